import fileExists from "../../rules/file-exists.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";
import { ruleTester, runRule } from "../helpers/rule-tester.js";

/** The head tree: every file's path, as the tree fact lists blobs. */
const head = (...paths: string[]): Partial<Facts> => ({ trees: { head: known(paths) } });

const REPO = ["README.md", "SECURITY.md", ".github/CODEOWNERS", "docs/runbook.md", "docs/adr/0001-queues.md", "src/cart.ts"];

ruleTester(fileExists, {
  valid: [
    { name: "a file at the root", options: { paths: ["SECURITY.md"] }, facts: head(...REPO) },
    { name: "one path may be written without a list", options: { paths: "SECURITY.md" }, facts: head(...REPO) },
    { name: "several files", options: { paths: ["SECURITY.md", ".github/CODEOWNERS", "docs/runbook.md"] }, facts: head(...REPO) },
    { name: "a glob matched by one file", options: { paths: ["docs/adr/*.md"] }, facts: head(...REPO) },
    { name: "alternatives: a CODEOWNERS in any of GitHub's places", options: { paths: ["{.github/,,docs/}CODEOWNERS"] }, facts: head("docs/CODEOWNERS") },
    { name: "a dot-file matched by **", options: { paths: ["**/.editorconfig"] }, facts: head("web/.editorconfig") },
    { name: "a directory with a file in it", options: { paths: ["docs/**"] }, facts: head(...REPO) },
  ],
  invalid: [
    {
      name: "a missing file",
      options: { paths: ["SECURITY.md"] },
      facts: head("README.md", "src/cart.ts"),
      findings: [{ message: "SECURITY.md does not exist at the head of this pull request: add it" }],
    },
    {
      name: "one finding per missing pattern, in the configured order; present ones are not reported",
      options: { paths: ["LICENSE", "SECURITY.md", "docs/runbook.md", "CONTRIBUTING.md"] },
      facts: head(...REPO),
      findings: [
        { message: "LICENSE does not exist at the head of this pull request: add it" },
        { message: "CONTRIBUTING.md does not exist at the head of this pull request: add it" },
      ],
    },
    {
      name: "a glob nothing matches",
      options: { paths: ["docs/adr/*.md"] },
      facts: head("docs/adr/README.txt", "docs/adr/nested/0001.md"),
      findings: [{ message: "no file matches docs/adr/*.md at the head of this pull request: add one" }],
    },
    {
      name: "names are case-sensitive",
      options: { paths: ["SECURITY.md"] },
      facts: head("security.md"),
      findings: [{ message: "SECURITY.md does not exist" }],
    },
    {
      name: "a file in another directory does not count",
      options: { paths: ["CODEOWNERS"] },
      facts: head(".github/CODEOWNERS"),
      findings: [{ message: "CODEOWNERS does not exist" }],
    },
    {
      name: "an empty repository",
      options: { paths: ["README.md"] },
      facts: head(),
      findings: [{ message: "README.md does not exist" }],
    },
  ],
  unknown: [
    {
      name: "the tree is truncated",
      options: { paths: ["SECURITY.md"] },
      facts: { trees: { head: unknownFact("the repository is too large for GitHub to list its files in one request (the tree at the head commit is truncated)") } },
      reason: "cannot list the repository's files at the head commit: the repository is too large for GitHub to list its files in one request",
    },
    {
      name: "the tree was not gathered",
      options: { paths: ["SECURITY.md"] },
      facts: {},
      reason: "cannot list the repository's files at the head commit: the file tree was not gathered",
    },
    {
      name: "only the base tree is known",
      options: { paths: ["SECURITY.md"] },
      facts: { trees: { base: known(["SECURITY.md"]) } },
      reason: "the file tree was not gathered",
    },
  ],
});

describe("file-exists: what the developer reads", () => {
  const run = (options: unknown, partial: Partial<Facts>) => runRule(fileExists, options, partial);

  test("a file that differs only in case is pointed out", () => {
    const verdict = run({ paths: ["SECURITY.md"] }, head("README.md", "Security.md"));
    expect(verdict.findings).toEqual([
      { message: "SECURITY.md does not exist at the head of this pull request: add it", details: ["Security.md differs only in case: rename it, or write that name in paths"] },
    ]);
  });

  test("a glob's case-insensitive match is pointed out too", () => {
    const verdict = run({ paths: ["docs/ADR/*.md"] }, head("docs/adr/0001.md"));
    expect(verdict.findings[0]?.details).toEqual(["docs/adr/0001.md differs only in case: rename it, or write that name in paths"]);
  });

  test("a missing file has no path: there is nothing to annotate", () => {
    const verdict = run({ paths: ["SECURITY.md"] }, head());
    expect(verdict.findings).toEqual([{ message: "SECURITY.md does not exist at the head of this pull request: add it", details: [] }]);
  });

  test("a pass names what was found for each pattern", () => {
    const verdict = run({ paths: ["SECURITY.md", "docs/adr/*.md"] }, head(...REPO));
    expect(verdict).toEqual({ status: "pass", findings: [], reason: "found SECURITY.md, docs/adr/0001-queues.md (docs/adr/*.md)" });
  });
});

describe("file-exists: facts and options", () => {
  test("needs the head tree only", () => {
    expect(fileExists.needs(fileExists.options.parse({ paths: ["SECURITY.md", "docs/**"] }))).toEqual([{ kind: "tree", ref: "head" }]);
  });

  test("the option has a description", () => {
    expect(Object.keys(fileExists.options.shape)).toEqual(["paths"]);
    expect(fileExists.options.shape.paths.description).toMatch(/must exist/);
  });

  test.each([
    [{}, /file-exists has nothing to check: list the files that must exist under paths, such as paths: \[SECURITY.md\]/],
    [{ paths: [] }, /file-exists has nothing to check/],
    [{ path: ["SECURITY.md"] }, /Unrecognized key/],
    [{ paths: [""] }, /too small|>=1|Invalid input/i],
    [{ paths: ["!SECURITY.md"] }, /cannot exclude: remove the !/],
    [{ paths: ["/SECURITY.md"] }, /relative to the repository root, without the leading \//],
    [{ paths: ["docs/"] }, /write "docs\/\*\*" to require a file in this directory/],
  ])("rejects %j with a specific message", (input, message) => {
    const result = fileExists.options.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(message);
  });

  test("each rejected pattern is reported at its own position", () => {
    const result = fileExists.options.safeParse({ paths: ["SECURITY.md", "/LICENSE", "!x"] });
    expect(result.error?.issues.map((i) => i.path)).toEqual([
      ["paths", 1],
      ["paths", 2],
    ]);
  });
});
