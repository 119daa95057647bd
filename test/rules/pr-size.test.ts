import prSize from "../../rules/pr-size.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { ChangedFile, Facts, FileStatus, PullRequestInfo } from "../../src/engine/types.js";
import { changed, changedFile, pullRequest } from "../helpers/facts.js";
import { ruleTester, runRule } from "../helpers/rule-tester.js";

const sized = (path: string, additions: number, deletions = 0, status: FileStatus = "modified"): ChangedFile => ({
  ...changedFile(path, status),
  additions,
  deletions,
});
/** n files of one line each: src/f0.ts, src/f1.ts ... */
const many = (n: number, directory = "src"): ChangedFile[] => Array.from({ length: n }, (_, i) => sized(`${directory}/f${i}.ts`, 1));

const OVER_CAP = "the pull request changes 4200 files; GitHub lists only the first 3000";
/** A pull request too large for GitHub to list, with whichever of GitHub's totals are given. */
const overCap = (totals: Pick<PullRequestInfo, "changedFiles" | "additions" | "deletions">): Partial<Facts> => ({
  files: unknownFact(OVER_CAP),
  pull: known(pullRequest(totals)),
});

ruleTester(prSize, {
  valid: [
    { name: "a small change", facts: changed(sized("src/cart.ts", 40, 12), sized("test/cart.test.ts", 30)) },
    { name: "no files at all", facts: changed() },
    { name: "exactly at both limits", options: { "max-lines": 10, "max-files": 2 }, facts: changed(sized("a.ts", 4, 1), sized("b.ts", 5)) },
    { name: "a lockfile is not counted", facts: changed(sized("src/cart.ts", 10), sized("package-lock.json", 9000, 4000)) },
    {
      name: "nested lockfiles, snapshots, vendored, built and minified files are not counted",
      facts: changed(
        sized("services/api/go.sum", 2000),
        sized("web/yarn.lock", 3000),
        sized("web/src/__snapshots__/cart.test.ts.snap", 900),
        sized("third_party/vendor/github.com/x/y.go", 5000),
        sized("web/dist/app.js", 7000),
        sized("web/public/jquery.min.js", 1000),
        sized("web/src/cart.ts", 20),
      ),
    },
    { name: "max-lines 0: any number of lines", options: { "max-lines": 0 }, facts: changed(sized("src/schema.sql", 50_000)) },
    { name: "max-files 0: any number of files", options: { "max-files": 0 }, facts: changed(...many(500)) },
    { name: "one exclude glob may be written without a list", options: { exclude: "generated/**", "max-lines": 5 }, facts: changed(sized("generated/api.ts", 900), sized("src/a.ts", 5)) },
    { name: "a removed file excluded by its path", options: { "max-lines": 10 }, facts: changed(sized("vendor/lib.js", 0, 4000, "removed"), sized("src/a.ts", 3)) },
    {
      name: "over GitHub's listing cap, GitHub's totals within both limits (they include excluded files, so this is certain)",
      options: { "max-lines": 100_000, "max-files": 5000 },
      facts: overCap({ changedFiles: 4200, additions: 60_000, deletions: 2000 }),
    },
    {
      name: "over the cap with only the file limit set: the line totals are not needed",
      options: { "max-lines": 0, "max-files": 5000 },
      facts: overCap({ changedFiles: 4200 }),
    },
    {
      name: "a file list unknown for another reason is judged by the totals too",
      facts: { files: unknownFact("GitHub listed 19 of the 20 changed files"), pull: known(pullRequest({ changedFiles: 20, additions: 300, deletions: 20 })) },
    },
  ],
  invalid: [
    {
      name: "too many lines",
      facts: changed(sized("src/cart.ts", 1000, 200), sized("test/cart.test.ts", 40)),
      findings: [{ message: "this pull request changes 1,240 lines, more than the limit of 800: split it into smaller pull requests, starting with the largest files" }],
    },
    {
      name: "deletions count like additions",
      options: { "max-lines": 100 },
      facts: changed(sized("src/legacy.ts", 0, 101, "removed")),
      findings: [{ message: "changes 101 lines, more than the limit of 100" }],
    },
    {
      name: "too many files",
      facts: changed(...many(101)),
      findings: [{ message: "this pull request changes 101 files, more than the limit of 100: split it into smaller pull requests, for example by directory" }],
    },
    {
      name: "both limits exceeded: one finding each",
      options: { "max-lines": 50, "max-files": 3 },
      facts: changed(sized("a.ts", 20), sized("b.ts", 20), sized("c.ts", 20), sized("d.ts", 1)),
      findings: [{ message: "changes 61 lines, more than the limit of 50" }, { message: "changes 4 files, more than the limit of 3" }],
    },
    {
      name: "exclude replaces the default list: a lockfile then counts",
      options: { exclude: ["generated/**"] },
      facts: changed(sized("package-lock.json", 9000), sized("generated/client.ts", 9000)),
      findings: [{ message: "changes 9,000 lines" }],
    },
    {
      name: "an excluded file does not count towards the file limit either, but the rest do",
      options: { "max-files": 2 },
      facts: changed(sized("yarn.lock", 1), sized("a.ts", 1), sized("b.ts", 1), sized("c.ts", 1)),
      findings: [{ message: "changes 3 files, more than the limit of 2" }],
    },
    {
      name: "over the cap: GitHub's totals exceed both limits, one finding each",
      facts: overCap({ changedFiles: 4200, additions: 90_000, deletions: 1234 }),
      findings: [
        { message: "this pull request changes 91,234 lines, more than the limit of 800: split it into smaller pull requests, starting with the largest files" },
        { message: "this pull request changes 4,200 files, more than the limit of 100: split it into smaller pull requests, for example by directory" },
      ],
    },
    {
      name: "over the cap: the lines alone exceed their limit",
      options: { "max-lines": 50_000, "max-files": 5000 },
      facts: overCap({ changedFiles: 4200, additions: 40_000, deletions: 10_001 }),
      findings: [{ message: "changes 50,001 lines, more than the limit of 50,000" }],
    },
    {
      name: "over the cap: a total over its limit fails even when the other total is missing, which rides along as a notice",
      facts: overCap({ changedFiles: 4200 }),
      findings: [
        { message: "changes 4,200 files, more than the limit of 100" },
        { message: `cannot count the lines: ${OVER_CAP}, and GitHub gave no total`, severity: "notice" },
      ],
    },
    {
      name: "a ! pattern keeps a file counted",
      options: { exclude: ["dist/**", "!dist/handwritten.js"], "max-lines": 100 },
      facts: changed(sized("dist/bundle.js", 5000), sized("dist/handwritten.js", 150)),
      findings: [{ message: "changes 150 lines" }],
    },
  ],
  unknown: [
    {
      name: "the file list is over GitHub's cap and the pull request is not known",
      facts: { files: unknownFact(OVER_CAP) },
      reason: `cannot measure the pull request: ${OVER_CAP}`,
    },
    {
      name: "over the cap and GitHub gave no totals (a pull_request_review payload)",
      facts: overCap({}),
      reason: `cannot measure the pull request: ${OVER_CAP}`,
    },
    {
      name: "over the cap, the file total within its limit but no line totals",
      options: { "max-files": 5000 },
      facts: overCap({ changedFiles: 4200 }),
      reason: `cannot count the lines: ${OVER_CAP}, and GitHub gave no total`,
    },
  ],
});

describe("pr-size: what the developer reads", () => {
  const run = (options: unknown, partial: Partial<Facts>) => runRule(prSize, options, partial);

  test("the five largest counted files are named, largest first, then what was not counted", () => {
    const verdict = run(
      { "max-lines": 100 },
      changed(
        sized("src/a.ts", 10),
        sized("src/b.ts", 300, 20),
        sized("package-lock.json", 9000),
        sized("src/c.ts", 40, 40),
        sized("src/d.ts", 1),
        sized("src/e.ts", 80),
        sized("src/f.ts", 1000, 234),
        sized("src/g.ts", 80),
        sized("img/logo.png", 0),
      ),
    );
    expect(verdict.findings).toEqual([
      {
        message: "this pull request changes 1,805 lines, more than the limit of 100: split it into smaller pull requests, starting with the largest files",
        details: [
          "src/f.ts: 1,234 lines (+1,000 -234)",
          "src/b.ts: 320 lines (+300 -20)",
          "src/c.ts: 80 lines (+40 -40)",
          "src/e.ts: 80 lines (+80 -0)",
          "src/g.ts: 80 lines (+80 -0)",
          "not counted: package-lock.json (matching exclude)",
        ],
      },
    ]);
  });

  test("too many files names the directories holding most of them", () => {
    const verdict = run(
      { "max-files": 5 },
      changed(...many(3, "src/api"), ...many(2, "src/ui"), sized("README.md", 1), sized("Makefile", 1), sized("docs/a.md", 1)),
    );
    expect(verdict.findings[0]?.details).toEqual(["src/api/: 3 files", "src/ui/: 2 files", "the repository root: 2 files", "docs/: 1 file"]);
  });

  test("a file changing no lines (binary, mode change) is not listed as a large change", () => {
    const verdict = run({ "max-lines": 1 }, changed(sized("a.ts", 2), sized("logo.png", 0)));
    expect(verdict.findings[0]?.details).toEqual(["a.ts: 2 lines (+2 -0)"]);
  });

  test("many excluded files are summarised", () => {
    const verdict = run({ "max-lines": 1 }, changed(sized("a.ts", 2), ...["a/yarn.lock", "b/yarn.lock", "c/yarn.lock", "d/yarn.lock"].map((p) => sized(p, 1))));
    expect(verdict.findings[0]?.details).toContain("not counted: a/yarn.lock, b/yarn.lock, c/yarn.lock and 1 more (matching exclude)");
  });

  test("a pass says the size and the limits", () => {
    expect(run({ "max-lines": 2000 }, changed(sized("src/a.ts", 1200, 34), sized("yarn.lock", 5)))).toEqual({
      status: "pass",
      findings: [],
      reason: "1,234 lines in 1 file (limit 2,000 lines, 100 files); 1 excluded file not counted",
    });
    expect(run({ "max-lines": 0 }, changed(sized("a.ts", 1), sized("b.ts", 2))).reason).toBe("3 lines in 2 files (limit 100 files)");
    expect(run({ "max-files": 0 }, changed(sized("a.ts", 1))).reason).toBe("1 line in 1 file (limit 800 lines)");
  });
});

describe("pr-size: over GitHub's listing cap", () => {
  const run = (options: unknown, partial: Partial<Facts>) => runRule(prSize, options, partial);

  test("a failure names GitHub's totals and says excluded files could not be subtracted", () => {
    const verdict = run({ "max-files": 3000 }, overCap({ changedFiles: 4200, additions: 100, deletions: 0 }));
    expect(verdict.findings).toEqual([
      {
        message: "this pull request changes 4,200 files, more than the limit of 3,000: split it into smaller pull requests, for example by directory",
        details: [`counted from GitHub's totals for the whole pull request, excluded files included: ${OVER_CAP}, so files matching exclude cannot be subtracted`],
      },
    ]);
  });

  test("a pass says the totals, the limits, and why the list was not used", () => {
    expect(run({ "max-lines": 100_000, "max-files": 5000 }, overCap({ changedFiles: 4200, additions: 60_000, deletions: 2000 }))).toEqual({
      status: "pass",
      findings: [],
      reason: `62,000 lines in 4,200 files by GitHub's totals, excluded files included (limit 100,000 lines, 5,000 files); the file list itself is unavailable: ${OVER_CAP}`,
    });
    expect(run({ "max-lines": 0, "max-files": 5000 }, overCap({ changedFiles: 4200 })).reason).toBe(
      `4,200 files by GitHub's totals, excluded files included (limit 5,000 files); the file list itself is unavailable: ${OVER_CAP}`,
    );
  });

  test("a known file list is measured from the list, whatever the totals say", () => {
    const verdict = run({}, { ...changed(sized("src/a.ts", 3), sized("yarn.lock", 5000)), pull: known(pullRequest({ changedFiles: 2, additions: 5003, deletions: 0 })) });
    expect(verdict.status).toBe("pass");
  });
});

describe("pr-size: facts and options", () => {
  test("needs only the changed files", () => {
    expect(prSize.needs(prSize.options.parse({}))).toEqual([{ kind: "files" }]);
    expect(prSize.needs(prSize.options.parse({ "max-files": 0, exclude: [] }))).toEqual([{ kind: "files" }]);
  });

  test("asks for the pull request (GitHub's totals) only when the file list is unknown", () => {
    const options = prSize.options.parse({});
    expect(prSize.followUp!(makeFacts(changed(sized("a.ts", 1))), options)).toEqual([]);
    expect(prSize.followUp!(makeFacts({ files: unknownFact(OVER_CAP) }), options)).toEqual([{ kind: "pull" }]);
  });

  test("an empty configuration takes every default", () => {
    const defaults = prSize.options.parse({});
    expect(defaults["max-lines"]).toBe(800);
    expect(defaults["max-files"]).toBe(100);
    expect(defaults.exclude).toEqual(
      expect.arrayContaining(["**/package-lock.json", "**/yarn.lock", "**/pnpm-lock.yaml", "**/go.sum", "**/Cargo.lock", "**/poetry.lock", "**/*.snap", "**/vendor/**", "**/dist/**", "**/*.min.js"]),
    );
  });

  test("every option has a description", () => {
    const shape = prSize.options.shape;
    expect(Object.keys(shape)).toEqual(["max-lines", "max-files", "exclude"]);
    for (const [name, schema] of Object.entries(shape)) expect([name, schema.description ?? ""]).toEqual([name, expect.stringMatching(/\w{3}/)]);
  });

  test.each([
    [{ max_lines: 500 }, /Unrecognized key/],
    [{ "max-lines": -1 }, /too small|>=0/i],
    [{ "max-files": 2.5 }, /expected int/i],
    [{ "max-lines": "800" }, /expected number/i],
    [{ exclude: [""] }, /too small|>=1/i],
    [{ "max-lines": 0, "max-files": 0 }, /pr-size has nothing to check: set max-lines or max-files above 0, or switch the rule off/],
  ])("rejects %j with a specific message", (input, message) => {
    const result = prSize.options.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(message);
  });
});
