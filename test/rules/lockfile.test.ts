import lockfile from "../../rules/lockfile.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { ChangedFile, Facts } from "../../src/engine/types.js";
import { ruleTester } from "../helpers/rule-tester.js";

const file = (path: string, status: ChangedFile["status"] = "modified", patch = "@@ -1 +1 @@\n-a\n+b"): ChangedFile => ({ path, status, additions: 1, deletions: 1, patch });

const PKG_BASE = JSON.stringify({ name: "shop", version: "1.0.0", scripts: { test: "jest" }, dependencies: { zod: "^4.0.0" } }, null, 2);
const PKG_SCRIPTS = JSON.stringify({ name: "shop", version: "1.0.0", scripts: { test: "jest --ci" }, dependencies: { zod: "^4.0.0" } }, null, 2);
const PKG_DEPS = JSON.stringify({ name: "shop", version: "1.0.0", scripts: { test: "jest" }, dependencies: { zod: "^4.1.0" } }, null, 2);

const TREE = ["package.json", "package-lock.json", "packages/ui/package.json", "go.mod", "go.sum", "src/index.ts"];

const facts = (files: ChangedFile[], tree = TREE, contents: [string, string][] = []): Partial<Facts> => ({
  files: known(files),
  trees: { head: known(tree) },
  contents: new Map(contents.map(([key, text]) => [key, known<string | null>(text)])),
});

ruleTester(lockfile, {
  valid: [
    { name: "a dependency change with its lockfile", facts: facts([file("package.json"), file("package-lock.json")]) },
    {
      name: "only scripts changed in package.json: no lockfile needed",
      facts: facts([file("package.json")], TREE, [
        [contentKey("base", "package.json"), PKG_BASE],
        [contentKey("head", "package.json"), PKG_SCRIPTS],
      ]),
    },
    { name: "a workspace package pinned by the root lockfile", facts: facts([file("packages/ui/package.json"), file("package-lock.json")]) },
    { name: "a go.mod change that only edits comments", facts: facts([file("go.mod", "modified", "@@ -1,2 +1,2 @@\n module shop\n-// old\n+// new")]) },
    { name: "no manifest anywhere", facts: facts([file("src/index.ts")], ["src/index.ts"]) },
    { name: "an exempted manifest", options: { manifests: { "pyproject.toml": [] } }, facts: facts([file("pyproject.toml")], ["pyproject.toml"]) },
  ],
  invalid: [
    {
      name: "dependencies changed without the lockfile",
      facts: facts([file("package.json")], TREE, [
        [contentKey("base", "package.json"), PKG_BASE],
        [contentKey("head", "package.json"), PKG_DEPS],
      ]),
      findings: [{ message: "package.json changes what it declares, but package-lock.json is not updated with it: run npm install (or yarn, pnpm install, bun install) and commit package-lock.json", path: "package.json" }],
    },
    {
      name: "a new Cargo.toml without Cargo.lock, reported once",
      facts: facts([file("crates/core/Cargo.toml", "added")], [...TREE, "crates/core/Cargo.toml"]),
      findings: [{ message: "crates/core/Cargo.toml changes what it declares, but Cargo.lock is not updated with it: run cargo generate-lockfile and commit the lockfile" }],
    },
    {
      name: "on the repository: a manifest without a committed lockfile",
      facts: facts([], [...TREE, "tools/pyproject.toml"]),
      findings: [{ message: "tools/pyproject.toml has no lockfile (poetry.lock, uv.lock, pdm.lock or pylock.toml) in its directory or above", path: "tools/pyproject.toml" }],
    },
  ],
  unknown: [
    { name: "the changed files are unknown", facts: { files: unknownFact("GitHub answered 502"), trees: { head: known(TREE) } }, reason: "cannot tell which manifests changed: GitHub answered 502" },
  ],
});
