import noBinaries from "../../rules/no-binaries.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { ChangedFile, Fact, Facts } from "../../src/engine/types.js";
import { BINARY_CONTENT_REASON } from "../../src/secrets/files.js";
import { ruleTester } from "../helpers/rule-tester.js";

const added = (path: string, patch?: string): ChangedFile => ({ path, status: "added", additions: patch ? 1 : 0, deletions: 0, ...(patch ? { patch } : {}) });

const facts = (files: ChangedFile[], sizes: Record<string, number> = {}, contents: Record<string, Fact<string>> = {}): Partial<Facts> => ({
  files: known(files),
  treeSizes: { head: known(new Map(Object.entries(sizes))) },
  headContentsOfUnpatched: known(new Map(Object.entries(contents))),
});

ruleTester(noBinaries, {
  valid: [
    { name: "text files with diffs", facts: facts([added("src/a.ts", "@@ -0,0 +1 @@\n+x")], { "src/a.ts": 10 }) },
    {
      name: "an allowed image beside a text file",
      options: { allow: ["docs/images/**"] },
      facts: facts([added("docs/images/arch.png"), added("docs/arch.md", "@@ -0,0 +1 @@\n+![arch](images/arch.png)")], { "docs/images/arch.png": 20_000, "docs/arch.md": 30 }),
    },
    { name: "a large text file GitHub sent no diff for, under the limit", facts: facts([added("data/seed.sql")], { "data/seed.sql": 900_000 }, { "data/seed.sql": known("insert into t values (1);") }) },
    { name: "no size limit", options: { "max-size": null, binaries: false }, facts: { files: known([added("big.txt")]) } },
  ],
  invalid: [
    { name: "an added archive, by its extension", facts: facts([added("dist/app.zip")], { "dist/app.zip": 1000 }), findings: [{ message: "dist/app.zip is a binary file", path: "dist/app.zip" }] },
    {
      name: "a binary without a telling extension, by its content",
      facts: facts([added("tools/run")], { "tools/run": 100 }, { "tools/run": unknownFact(BINARY_CONTENT_REASON) }),
      findings: [{ message: "tools/run is a binary file" }],
    },
    { name: "a NUL byte in the content", facts: facts([added("blob.x")], { "blob.x": 100 }, { "blob.x": known("ab\u0000cd") }), findings: [{ message: "blob.x is a binary file" }] },
    {
      name: "a file over the size limit",
      options: { "max-size": "1MB" },
      facts: facts([added("data/dump.json", "@@ -0,0 +1 @@\n+[]")], { "data/dump.json": 3 * 1024 * 1024 }),
      findings: [{ message: "data/dump.json is 3.0 MB, over the 1MB limit" }],
    },
  ],
  skipped: [
    { name: "only allowed files", options: { allow: ["**/*.png"] }, facts: facts([added("logo.png")], { "logo.png": 10 }), reason: "outside allow" },
    { name: "only removals", facts: facts([{ path: "old.png", status: "removed", additions: 0, deletions: 0 }]), reason: "no file added or changed" },
  ],
  unknown: [
    { name: "files unknown", facts: { files: unknownFact("too many files") }, reason: "too many files" },
    { name: "sizes unknown", facts: { files: known([added("a.ts", "@@ -0,0 +1 @@\n+x")]), treeSizes: { head: unknownFact("truncated") } }, reason: "file sizes (truncated)" },
  ],
});
