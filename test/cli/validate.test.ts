import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./run-cli.js";

describe("readiness validate", () => {
  let dir: string;
  beforeEach(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), "readiness-validate-")));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, content: string): void => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const validate = (...args: string[]) => runCli(["validate", ...args], { cwd: dir });

  test("a valid file: a one-line summary, exit 0", async () => {
    write(".readiness.yml", "level: silver\nrules:\n  tests: bronze\n  docs: silver\n  reviews: off\n");
    const run = await validate();
    expect(run).toEqual({
      code: 0,
      out: ".readiness.yml: valid. 2 rules enabled (tests, docs); level silver required (levels: bronze < silver < gold).\n",
      err: "",
    });
  });

  test("falls back to .github/readiness.yml; an explicit FILE wins", async () => {
    write(".github/readiness.yml", "rules:\n  tests: bronze\n");
    expect((await validate()).out).toBe(".github/readiness.yml: valid. 1 rule enabled (tests); level gold required (levels: bronze < silver < gold).\n");
    write("custom.yml", "levels: [must, nice]\nlevel: must\nrules:\n  docs: nice\n");
    expect((await validate("custom.yml")).out).toBe(
      "custom.yml: valid. 1 rule enabled (docs); level must required (levels: must < nice).\n" +
        "warning: custom.yml blocks nothing: every enabled rule is above the required level must, so all of them are advisory. Lower a rule's level or raise `level:`.\n",
    );
  });

  test.each([
    ["an empty file", ""],
    ["comments only", "# readiness: to do\n# later\n"],
    ["a bare document marker", "---\n"],
    ["an empty rules mapping", "rules: {}\n"],
    ["every rule off", "rules:\n  tests: off\n  docs: off\n"],
  ])("%s enforces nothing: valid (exit 0) with a warning that says so", async (_name, content) => {
    write(".readiness.yml", content);
    const run = await validate();
    expect(run.code).toBe(0);
    expect(run.err).toBe("");
    const [summary, warning, ...rest] = run.out.trimEnd().split("\n");
    expect(summary).toMatch(/^\.readiness\.yml: valid\. 0 rules enabled; /);
    expect(warning).toBe(
      "warning: .readiness.yml enforces nothing: no rule is enabled, so every pull request passes. Enable rules under `rules:` (see docs/configuration.md), e.g. `rules: { tests: bronze }`.",
    );
    expect(rest).toEqual([]);
  });

  test("every error, compiler-style with line and column, exit 1", async () => {
    write(
      ".readiness.yml",
      ["level: silver", "rules:", "  tests:", "    level: bronze", "    sorce: ['src/**']", "  doc: silver", "  reviews:", "    approvals: two", ""].join("\n"),
    );
    const run = await validate();
    expect(run.code).toBe(1);
    expect(run.err).toBe("");
    const lines = run.out.trimEnd().split("\n");
    expect(lines).toEqual([
      '.readiness.yml:5:5: rules.tests.sorce: unknown option "sorce". Did you mean "source"?',
      '.readiness.yml:6:3: rules.doc: unknown rule "doc". Did you mean "docs"?',
      '.readiness.yml:8:5: rules.reviews.approvals: expected a number, got "two"',
      "3 errors in .readiness.yml.",
    ]);
  });

  test("YAML problems: duplicate keys and syntax errors are positioned too", async () => {
    write("dup.yml", "rules:\n  tests: bronze\n  tests: silver\n");
    const dup = await validate("dup.yml");
    expect(dup.code).toBe(1);
    expect(dup.out).toMatch(/^dup\.yml:3:3: .*duplicate key/m);
    write("broken.yml", "rules:\n  tests: [bronze\n");
    const broken = await validate("broken.yml");
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/^broken\.yml:\d+:\d+: /m);
  });

  test("an unknown level in the merged result is an error at its line", async () => {
    write(".readiness.yml", "extends: readiness:recommended\nrules:\n  tests: platinum\n");
    const run = await validate();
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^\.readiness\.yml:3:3: rules\.tests: unknown level "platinum"/m);
  });

  test("a preset is resolved and summarised", async () => {
    write(".readiness.yml", "extends: readiness:recommended\nrules:\n  reviews: off\n");
    const run = await validate();
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^\.readiness\.yml: valid\. \d+ rules enabled \(.*tests.*\); level silver required/);
    expect(run.out).not.toMatch(/reviews/);
  });

  test("extending the organisation baseline: checked only with --org-config, and said so", async () => {
    write(".readiness.yml", "extends: acme/.github\nrules:\n  docs: silver\n");
    const alone = await validate();
    expect(alone.code).toBe(0);
    expect(alone.out).toBe(
      ".readiness.yml: valid. 1 rule enabled (docs); level gold required (levels: bronze < silver < gold).\n" +
        ".readiness.yml extends the organisation baseline, which was not checked: pass --org-config FILE to include it.\n",
    );
    write("org.yml", "level: bronze\nrules:\n  tests: bronze\n");
    const merged = await validate("--org-config", "org.yml");
    expect(merged.code).toBe(0);
    expect(merged.out).toBe(".readiness.yml: valid. 2 rules enabled (tests, docs); level bronze required (levels: bronze < silver < gold).\n");
    write("bad-org.yml", "rules:\n  tets: bronze\n");
    const bad = await validate("--org-config", "bad-org.yml");
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('bad-org.yml:2:3: rules.tets: unknown rule "tets". Did you mean "tests"?');
  });

  test("every error in the file in one run: YAML, duplicate keys, top-level keys, rules, options, levels and extends together", async () => {
    write(
      ".readiness.yml",
      [
        "extends: readiness:recomended",
        "levle: silver",
        "comment: sometimes",
        "rules:",
        "  reviews: of",
        "  tests:",
        "    level: bronze",
        '    sorce: ["src/**"]',
        "  docs:",
        '    when: {pathz: ["src/**"]}',
        "  doc: silver",
        "  secrets: bronze",
        "  secrets: silver",
        "owners:",
        "\t- a",
        "",
      ].join("\n"),
    );
    const run = await validate();
    expect(run.code).toBe(1);
    expect(run.out.trimEnd().split("\n")).toEqual([
      '.readiness.yml:1:1: extends: unknown preset "readiness:recomended". Did you mean "readiness:recommended"?',
      '.readiness.yml:2:1: levle: unknown key "levle". Did you mean "level"?',
      '.readiness.yml:3:1: comment: expected one of "on-failure", "always", "never", got "sometimes"',
      '.readiness.yml:5:3: rules.reviews: unknown level "of". Did you mean "off"? Levels are bronze, silver, gold (set them with `levels:`).',
      '.readiness.yml:8:5: rules.tests.sorce: unknown option "sorce". Did you mean "source"?',
      '.readiness.yml:10:12: rules.docs.when.pathz: unknown condition "pathz". Did you mean "paths"?',
      '.readiness.yml:11:3: rules.doc: unknown rule "doc". Did you mean "docs"?',
      '.readiness.yml:13:3: duplicate key "secrets": each key may appear only once in a mapping; remove one or merge them',
      ".readiness.yml:15:1: a tab indents this line; YAML indents with spaces only",
      "9 errors in .readiness.yml.",
    ]);
  });

  test("- reads the file from standard input, shown as <stdin>", async () => {
    const valid = await runCli(["validate", "-"], { cwd: dir, stdin: "rules:\n  tests: bronze\n" });
    expect(valid).toEqual({ code: 0, out: "<stdin>: valid. 1 rule enabled (tests); level gold required (levels: bronze < silver < gold).\n", err: "" });
    const invalid = await runCli(["validate", "-"], { cwd: dir, stdin: "rules:\n  tets: bronze\n" });
    expect(invalid.code).toBe(1);
    expect(invalid.out).toBe('<stdin>:2:3: rules.tets: unknown rule "tets". Did you mean "tests"?\n1 error in <stdin>.\n');
  });

  test("--org-config errors keep the file:line:column form and the count names the file they are in", async () => {
    write(".readiness.yml", "extends: acme/.github\nrules:\n  docs: silver\n");
    write("org.yml", "rules:\n  tets: bronze\n");
    const run = await validate("--org-config", "org.yml");
    expect(run.code).toBe(1);
    expect(run.out).toBe('org.yml:2:3: rules.tets: unknown rule "tets". Did you mean "tests"?\n1 error in org.yml.\n');
  });

  test("usage errors exit 2: no file, missing file, too many arguments", async () => {
    const none = await validate();
    expect(none.code).toBe(2);
    expect(none.err).toBe(`readiness validate: no .readiness.yml or .github/readiness.yml in ${dir}; give the file to check: readiness validate FILE\n`);
    const missing = await validate("nope.yml");
    expect(missing).toEqual({ code: 2, out: "", err: "readiness validate: nope.yml: no such file\n" });
    const directory = await validate(".");
    expect(directory.code).toBe(2);
    expect(directory.err).toBe("readiness validate: cannot read .: it is a directory\n");
    const many = await validate("a.yml", "b.yml");
    expect(many.code).toBe(2);
    expect(many.err).toContain('expected at most 1 file, got also "b.yml"');
    const org = await validate("--org-config", "missing-org.yml");
    expect(org.code).toBe(2);
  });
});
