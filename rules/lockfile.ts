import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import { contentKey } from "../src/engine/types.js";
import type { ChangedFile, FactRequest, Facts, Finding } from "../src/engine/types.js";
import { ancestors, DEFAULT_LOCKFILES_BY_MANIFEST, directoryOf, fileName, joinPath } from "./lib/manifests.js";
import { newOutcome, plural, settle } from "./lib/outcome.js";

/** The command that writes each manifest's lockfile, for the finding. */
const LOCK_COMMAND: Readonly<Record<string, string>> = {
  "package.json": "npm install (or yarn, pnpm install, bun install)",
  "pyproject.toml": "poetry lock, uv lock or pdm lock",
  Pipfile: "pipenv lock",
  "go.mod": "go mod tidy",
  "Cargo.toml": "cargo generate-lockfile",
  Gemfile: "bundle install",
  "composer.json": "composer update --lock",
  "mix.exs": "mix deps.get",
  "pubspec.yaml": "dart pub get",
  "Package.swift": "swift package resolve",
};

/**
 * package.json keys that no lockfile records: changing only these (scripts, metadata, tool
 * settings) needs no new lockfile. Anything else (dependencies, overrides, workspaces, name,
 * version, engines ...) may.
 */
const PACKAGE_JSON_KEYS_OUTSIDE_LOCKFILES: ReadonlySet<string> = new Set([
  "scripts",
  "description",
  "keywords",
  "author",
  "contributors",
  "maintainers",
  "homepage",
  "repository",
  "bugs",
  "funding",
  "files",
  "main",
  "module",
  "browser",
  "types",
  "typings",
  "exports",
  "imports",
  "type",
  "sideEffects",
  "private",
  "publishConfig",
  "directories",
  "config",
  "man",
  "prettier",
  "eslintConfig",
  "stylelint",
  "jest",
  "babel",
  "browserslist",
  "lint-staged",
  "husky",
  "commitlint",
  "release",
  "volta",
]);

const manifestMap = z
  .record(z.string().min(1), z.array(z.string().min(1)))
  .transform((custom) => ({ ...DEFAULT_LOCKFILES_BY_MANIFEST, ...custom }) as Record<string, readonly string[]>);

const options = z
  .object({
    manifests: manifestMap
      .default(DEFAULT_LOCKFILES_BY_MANIFEST as Record<string, string[]>)
      .describe(
        "Manifest file name to the lockfiles that pin it; entries are added to the defaults (package.json, pyproject.toml, Pipfile, go.mod, Cargo.toml, Gemfile, composer.json, mix.exs, pubspec.yaml, Package.swift). [] exempts a manifest, such as pyproject.toml for a library that publishes no lockfile. A lockfile in the manifest's directory or any above it (a workspace root) counts.",
      ),
    committed: z.boolean().default(true).describe("Every manifest in the repository has its lockfile committed, not only the ones a pull request changes."),
    ignore: globs
      .default(["**/node_modules/**", "**/vendor/**", "**/fixtures/**", "**/testdata/**", "**/examples/**"])
      .describe("Manifests that need no lockfile (vendored code, test fixtures, examples)."),
  })
  .strict();

type Options = z.output<typeof options>;

function lockfilesFor(path: string, o: Options): readonly string[] {
  const name = fileName(path);
  return Object.hasOwn(o.manifests, name) ? (o.manifests[name] ?? []) : [];
}

const isManifest = (path: string, o: Options, ignored: (p: string) => boolean): boolean => lockfilesFor(path, o).length > 0 && !ignored(path);

/** A changed package.json whose change may reach its lockfile: both versions are needed to tell. */
const judgedByContent = (file: ChangedFile): boolean => fileName(file.path) === "package.json" && file.status === "modified";

function lockfileIn(paths: ReadonlySet<string>, manifest: string, names: readonly string[]): string | undefined {
  for (const directory of ancestors(directoryOf(manifest))) {
    for (const name of names) {
      const candidate = joinPath(directory, name);
      if (paths.has(candidate)) return candidate;
    }
  }
  return undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a modified package.json changed anything a lockfile records; undefined when unreadable. */
function packageJsonChangesLock(facts: Facts, path: string): boolean | undefined {
  const base = facts.contents.get(contentKey("base", path));
  const head = facts.contents.get(contentKey("head", path));
  if (!base?.known || !head?.known || base.value === null || head.value === null) return undefined;
  const before = parseObject(base.value);
  const after = parseObject(head.value);
  if (!before || !after) return undefined;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].some((key) => !PACKAGE_JSON_KEYS_OUTSIDE_LOCKFILES.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** Lines a diff adds or removes, other than blank lines and comments. */
function changesMoreThanComments(patch: string): boolean {
  return patch.split("\n").some((line) => {
    if (!(line.startsWith("+") || line.startsWith("-")) || line.startsWith("+++") || line.startsWith("---")) return false;
    const text = line.slice(1).trim();
    return text !== "" && !text.startsWith("#") && !text.startsWith("//");
  });
}

function dependenciesChanged(facts: Facts, file: ChangedFile): boolean {
  if (file.status === "added" || file.status === "copied") return true;
  if (judgedByContent(file)) {
    const judged = packageJsonChangesLock(facts, file.path);
    if (judged !== undefined) return judged;
  }
  if (file.patch !== undefined) return changesMoreThanComments(file.patch);
  // A rename without content changes keeps what it declares.
  return !(file.status === "renamed" && file.additions === 0 && file.deletions === 0);
}

const expected = (names: readonly string[]): string => (names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`);
const command = (manifest: string): string => LOCK_COMMAND[fileName(manifest)] ?? "your package manager";

export default defineRule({
  id: "lockfile",
  area: "security",
  defaultLevel: "bronze",
  subjects: ["pull", "branch"],
  description:
    "Dependency manifests have their lockfiles committed, and a change to what a manifest declares comes with the lockfile change, so every build installs the same reviewed versions.",
  fix: "Run the package manager's lock command (npm install, go mod tidy, poetry lock ...) and commit the lockfile with the manifest.",
  options,
  tighten: { committed: "true-stays", ignore: "subset" },
  // A branch has no change: only the committed lockfiles are judged there.
  needs: (_o, subject): FactRequest[] => [...(subject === "branch" ? [] : [{ kind: "files" } as const]), { kind: "tree", ref: "head" }],
  followUp(facts, o: Options): FactRequest[] {
    if (!facts.files.known) return [];
    const ignored = globMatcher(o.ignore);
    return facts.files.value
      .filter((f) => judgedByContent(f) && isManifest(f.path, o, ignored))
      .flatMap((f): FactRequest[] => [
        { kind: "content", ref: "base", path: f.path },
        { kind: "content", ref: "head", path: f.path },
      ]);
  },
  evaluate(facts, o: Options) {
    const outcome = newOutcome();
    const ignored = globMatcher(o.ignore);
    const flagged = new Set<string>();

    if (facts.subject.kind === "branch") {
      // Nothing changes on a branch: the committed-lockfile check below is the whole rule.
    } else if (!facts.files.known) {
      outcome.undecidable.push(`cannot tell which manifests changed: ${facts.files.reason}`);
    } else {
      const changedPaths = new Set(facts.files.value.filter((f) => f.status !== "unchanged").map((f) => f.path));
      const manifests = facts.files.value.filter((f) => f.status !== "removed" && f.status !== "unchanged" && isManifest(f.path, o, ignored));
      let judged = 0;
      for (const file of manifests) {
        if (!dependenciesChanged(facts, file)) continue;
        judged++;
        const names = lockfilesFor(file.path, o);
        if (lockfileIn(changedPaths, file.path, names) !== undefined) continue;
        flagged.add(file.path);
        const existing = facts.trees.head?.known ? lockfileIn(new Set(facts.trees.head.value), file.path, names) : undefined;
        outcome.findings.push({
          message: `${file.path} changes what it declares, but ${existing ?? expected(names)} is not updated with it: run ${command(file.path)} and commit ${existing ?? "the lockfile"}`,
          path: file.path,
        });
      }
      if (judged > 0) outcome.passed.push(`${plural(judged, "changed manifest")} updated with ${judged === 1 ? "its lockfile" : "their lockfiles"}`);
    }

    if (o.committed) {
      const tree = facts.trees.head;
      if (!tree) outcome.undecidable.push("cannot list the repository's files: the file tree was not gathered");
      else if (!tree.known) outcome.undecidable.push(`cannot list the repository's files: ${tree.reason}`);
      else {
        const present = new Set(tree.value);
        const manifests = tree.value.filter((p) => isManifest(p, o, ignored) && !flagged.has(p));
        const lacking: Finding[] = manifests
          .filter((path) => lockfileIn(present, path, lockfilesFor(path, o)) === undefined)
          .map((path) => ({
            message: `${path} has no lockfile (${expected(lockfilesFor(path, o))}) in its directory or above: run ${command(path)} and commit it${fileName(path) === "pyproject.toml" ? ', or, for a library that publishes no lockfile, set manifests: { "pyproject.toml": [] }' : ""}`,
            path,
          }));
        outcome.findings.push(...lacking);
        if (manifests.length > 0 && lacking.length === 0) outcome.passed.push(`${plural(manifests.length, "manifest")} with a committed lockfile`);
      }
    }
    const verdict = settle(outcome);
    return verdict.status === "pass" && verdict.reason === undefined ? { ...verdict, reason: "no dependency manifest" } : verdict;
  },
});
