import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRepo, repoPool } from "../local/git-repo.js";
import type { TempRepo } from "../local/git-repo.js";
import { runCli } from "./run-cli.js";
import { B62, checksummed, pick } from "../secrets/samples.js";
import type { LocalJsonReport } from "../../src/cli/check.js";

const BASE_CONFIG = `level: silver
rules:
  tests: bronze
  docs: silver
`;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0xff]);

function json(out: string): LocalJsonReport {
  return JSON.parse(out) as LocalJsonReport;
}

const ruleOf = (report: LocalJsonReport, id: string) => {
  const rule = report.rules.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id} in ${JSON.stringify(report.rules.map((r) => r.id))}`);
  return rule;
};

describe("readiness check on a repository with tests and docs rules", () => {
  let repo: TempRepo;
  const check = (...args: string[]) => runCli(["check", ...args], { cwd: repo.dir });

  beforeAll(() => {
    repo = createRepo();
    repo.commit("initial", {
      ".readiness.yml": BASE_CONFIG,
      "src/cart.ts": "export const total = 1;\n",
      "test/cart.test.ts": "test('total', () => {});\n",
      "docs/guide.md": "# Guide\n\nHow the cart works.\n",
    });
    const branch = (name: string, build: () => void) => {
      repo.git("checkout", "-q", "-b", name, "main");
      build();
    };
    branch("untested", () => repo.commit("feat: fee", { "src/cart.ts": "export const total = 1;\nexport const fee = 2;\n" }));
    branch("ready", () =>
      repo.commit("feat: fee, tested and documented", {
        "src/cart.ts": "export const total = 1;\nexport const fee = 2;\n",
        "test/cart.test.ts": "test('total', () => {});\ntest('fee', () => {});\n",
        "CHANGELOG.md": "- a fee\n",
      }),
    );
    // A branch may not switch off its own gate: the base's configuration judges it.
    branch("weaken", () =>
      repo.commit("chore: relax the gate", {
        ".readiness.yml": "level: bronze\nrules:\n  tests: off\n  docs: off\n",
        "src/cart.ts": "export const total = 1;\nexport const fee = 2;\n",
      }),
    );
    branch("renamed-docs", () => {
      repo.commit("feat: fee", {
        "src/cart.ts": "export const total = 1;\nexport const fee = 2;\n",
        "test/cart.test.ts": "test('total', () => {});\ntest('fee', () => {});\n",
      });
      repo.git("mv", "docs/guide.md", "docs/manual.md");
      repo.git("commit", "-q", "-m", "docs: rename the guide");
    });
    branch("renamed-source", () => {
      repo.git("mv", "src/cart.ts", "src/basket.ts");
      repo.git("commit", "-q", "-m", "refactor: rename the cart");
    });
    branch("binary-docs", () =>
      repo.commit("feat: fee with a diagram", {
        "src/cart.ts": "export const total = 1;\nexport const fee = 2;\n",
        "test/cart.test.ts": "test('fee', () => {});\n",
        "docs/fee.png": PNG,
      }),
    );
    branch("only-docs-removed", () =>
      repo.commit("feat: fee, guide dropped", {
        "src/cart.ts": "export const total = 1;\nexport const fee = 2;\n",
        "test/cart.test.ts": "test('fee', () => {});\n",
        "docs/guide.md": null,
      }),
    );
    // main moves on after the branches: its later changes are not part of any pull request.
    repo.git("checkout", "-q", "main");
    repo.commit("docs: later change on main", { "docs/later.md": "later\n", "src/later.ts": "export const later = 1;\n" });
    repo.git("checkout", "-q", "untested");
  });
  afterAll(() => repo.cleanup());

  test("text: a source change without tests or docs blocks (exit 1) and says what to fix", async () => {
    const run = await check("--head", "untested");
    expect(run.err).toBe("");
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^Checked locally: untested \([0-9a-f]{7}\) against main \([0-9a-f]{7}\), merge base [0-9a-f]{7}, 1 changed file\.$/m);
    expect(run.out).toContain("Configuration: .readiness.yml at main.");
    expect(run.out).toMatch(/tests: fail \(bronze, blocking\)/);
    expect(run.out).toContain("src/cart.ts: source changed without a test change: src/cart.ts");
    expect(run.out).toMatch(/docs: fail \(silver, blocking\)/);
    expect(run.out).toMatch(/^Blocked: 2 rules fail \(tests, docs\)$/m);
    expect(run.out).toMatch(/Result: Blocked: 2 rules fail \(tests, docs\)\.\nexit 1: silver is not reached\.\n$/);
  });

  test("json: one object with the documented shape", async () => {
    const run = await check("--head", "untested", "--format", "json");
    expect(run.code).toBe(1);
    const report = json(run.out);
    expect(Object.keys(report)).toEqual(["conclusion", "level", "rules", "local"]);
    expect(report.conclusion).toBe("failure");
    expect(report.level).toEqual({ reached: null, required: "silver" });
    expect(ruleOf(report, "tests")).toEqual({
      id: "tests",
      status: "fail",
      level: "bronze",
      blocking: true,
      findings: [{ message: "source changed without a test change: src/cart.ts", path: "src/cart.ts", line: null, severity: "failure" }],
    });
    expect(report.local).toEqual({
      headline: "Blocked: 2 rules fail (tests, docs)",
      exitCode: 1,
      base: { ref: "main", sha: repo.git("rev-parse", "main").trim() },
      head: { ref: "untested", sha: repo.git("rev-parse", "untested").trim() },
      mergeBase: repo.git("merge-base", "main", "untested").trim(),
      githubOnly: [],
      strict: false,
      blockedBy: ["tests", "docs"],
    });
  });

  test("a tested, documented change reaches the required level (exit 0)", async () => {
    const run = await check("--head", "ready", "--format", "json");
    expect(run.code).toBe(0);
    const report = json(run.out);
    expect(report.conclusion).toBe("success");
    expect(report.level).toEqual({ reached: "gold", required: "silver" });
    expect(report.rules.map((r) => [r.id, r.status])).toEqual([
      ["tests", "pass"],
      ["docs", "pass"],
    ]);
    const text = await check("--head", "ready");
    expect(text.code).toBe(0);
    // The level reached (gold) is above the one required (silver): the top and the bottom agree.
    expect(text.out).toMatch(/^Ready: gold reached$/m);
    expect(text.out).toMatch(/Result: Ready: gold reached\.\nexit 0: silver, the required level, is reached\.\n$/);
  });

  test("a branch that switches its rules off in .readiness.yml is still judged by the base's file", async () => {
    const run = await check("--head", "weaken", "--format", "json");
    expect(run.code).toBe(1);
    const report = json(run.out);
    expect(report.level.required).toBe("silver");
    expect(ruleOf(report, "tests").status).toBe("fail");
    expect(ruleOf(report, "docs").status).toBe("fail");
  });

  test("uncommitted edits to .readiness.yml do not count either", async () => {
    repo.write(".readiness.yml", "level: bronze\nrules:\n  tests: off\n");
    try {
      const run = await check("--format", "json");
      expect(run.code).toBe(1);
      expect(ruleOf(json(run.out), "tests").status).toBe("fail");
    } finally {
      repo.git("checkout", "--", ".readiness.yml");
    }
  });

  test("--config tries another file instead of the base's", async () => {
    const file = join(repo.dir, "..", `${repo.dir.split("/").pop()}-try.yml`);
    writeFileSync(file, "level: bronze\nrules:\n  tests: bronze\n");
    const run = await check("--head", "ready", "--config", file);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`Configuration: ${file}.`);
    expect(run.out).not.toMatch(/^\s+\S+\s+docs\s/m);
  });

  test("a renamed document counts as a documentation change; the diff comes from the merge base", async () => {
    const report = json((await check("--head", "renamed-docs", "--format", "json")).out);
    expect(ruleOf(report, "docs").status).toBe("pass");
    expect(ruleOf(report, "tests").status).toBe("pass");
    // docs/later.md landed on main after the fork: it must not satisfy anything here.
    const untested = json((await check("--head", "untested", "--format", "json")).out);
    expect(ruleOf(untested, "docs").status).toBe("fail");
  });

  test("a renamed source file is a source change that needs a test", async () => {
    const report = json((await check("--head", "renamed-source", "--format", "json")).out);
    expect(ruleOf(report, "tests").findings).toEqual([{ message: "source changed without a test change: src/basket.ts", path: "src/basket.ts", line: null, severity: "failure" }]);
  });

  test("a binary file is listed like any other (a diagram under docs/ is documentation)", async () => {
    const run = await check("--head", "binary-docs", "--format", "json");
    expect(run.code).toBe(0);
    expect(ruleOf(json(run.out), "docs").status).toBe("pass");
  });

  test("removing documentation does not count as documenting", async () => {
    const report = json((await check("--head", "only-docs-removed", "--format", "json")).out);
    expect(ruleOf(report, "docs").status).toBe("fail");
  });

  test("markdown: the check run's report, for job summaries and comments", async () => {
    const run = await check("--head", "untested", "--format", "markdown");
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^\| ❌ fail \| tests \| bronze \| blocking \|/m);
    expect(run.out).toContain("Configuration: `.readiness.yml at main`");
    expect(run.out).not.toContain("Checked locally:");
  });

  test("--repo points at the repository from elsewhere; a subdirectory works too", async () => {
    const elsewhere = await runCli(["check", "--repo", repo.dir, "--head", "ready", "--format", "json"], { cwd: "/" });
    expect(elsewhere.code).toBe(0);
    const sub = await runCli(["check", "--head", "ready", "--format", "json"], { cwd: join(repo.dir, "src") });
    expect(sub.code).toBe(0);
  });

  test("head equal to the base, or already merged into it: nothing to compare, exit 2, no report", async () => {
    for (const format of ["text", "json", "markdown"]) {
      const same = await check("--base", "main", "--head", "main", "--format", format);
      expect(same.code).toBe(2);
      expect(same.out).toBe("");
      expect(same.err).toMatch(/^readiness check: nothing to compare: main \([0-9a-f]{7}\) is the same commit as main, so a pull request from it would have no changes and no rule was checked\./);
    }
    const merged = await check("--base", "main", "--head", "main~1");
    expect(merged.code).toBe(2);
    expect(merged.err).toMatch(/nothing to compare: main~1 \([0-9a-f]{7}\) is already contained in main \([0-9a-f]{7}\)/);
    expect(merged.err).not.toMatch(/0 changed files|Blocked/);
  });

  test("an unknown ref: exit 2 with a suggestion", async () => {
    const run = await check("--head", "redy");
    expect(run.code).toBe(2);
    expect(run.out).toBe("");
    expect(run.err).toBe('readiness check: --head redy: no branch, tag or commit of that name. Did you mean "ready"?\n');
    const option = await check("--base", "-rf");
    expect(option.code).toBe(2);
    expect(option.err).toContain("--base needs a value");
  });

  test("usage errors: unknown option, bad format, stray argument", async () => {
    const unknown = await check("--formt", "json");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown option --formt. Did you mean "--format"?');
    const format = await check("--format", "yaml");
    expect(format.code).toBe(2);
    expect(format.err).toContain("--format must be one of text, json, markdown");
    const stray = await check("main");
    expect(stray.code).toBe(2);
    expect(stray.err).toContain('unexpected argument "main"');
  });

  test("--help prints the options and exits 0", async () => {
    const run = await check("--help");
    expect(run.code).toBe(0);
    expect(run.out).toContain("Usage: readiness check");
    expect(run.out).toContain("--strict");
  });
});

describe("rules that need GitHub", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = createRepo();
    repo.commit("initial", {
      ".readiness.yml": "level: bronze\nrules:\n  tests: bronze\n  reviews: bronze\n  docs:\n    level: gold\n    require: []\n    pr-body:\n      sections: ['## Testing']\n",
      "src/a.ts": "export const a = 1;\n",
    });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("feat: b", { "src/a.ts": "export const a = 1;\nexport const b = 2;\n", "test/a.test.ts": "test('b', () => {});\n" });
  });
  afterAll(() => repo.cleanup());
  const check = (...args: string[]) => runCli(["check", ...args], { cwd: repo.dir });

  test("reviews are unknown locally: reported, not counted against the exit code", async () => {
    const run = await check();
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/reviews: unknown \(bronze, blocking\)/);
    expect(run.out).toContain("not available locally (GitHub only)");
    expect(run.out).toContain(
      "Cannot be judged locally: reviews — GitHub decides (it needs reviews, CI results, team membership or GitHub's CODEOWNERS report; a local checkout has none of them).",
    );
    expect(run.out).toMatch(/^Nothing that can be checked here blocks bronze; cannot be judged locally: reviews — GitHub decides$/m);
    expect(run.out).not.toMatch(/Blocked|fail \(reviews/);
    expect(run.out).toMatch(/exit 0: nothing checked here blocks bronze \(--strict would count reviews\)\.\n$/);
  });

  test("json: the conclusion agrees with the exit code, and names what GitHub decides", async () => {
    const run = await check("--format", "json");
    expect(run.code).toBe(0);
    const report = json(run.out);
    expect(report.conclusion).toBe("neutral");
    expect(report.local.exitCode).toBe(0);
    expect(ruleOf(report, "reviews").status).toBe("unknown");
    expect(report.local.githubOnly).toEqual(["reviews"]);
    expect(report.local.blockedBy).toEqual([]);
  });

  test("--strict: what only GitHub can decide blocks, as it does on GitHub", async () => {
    const run = await check("--strict", "--format", "json");
    expect(run.code).toBe(1);
    expect(json(run.out).local).toMatchObject({ strict: true, blockedBy: ["reviews"] });
  });

  test("the description is empty unless given; --body-file (or - for stdin) supplies it", async () => {
    const empty = json((await check("--format", "json")).out);
    expect(ruleOf(empty, "docs")).toMatchObject({ status: "fail", blocking: false, findings: [{ message: 'the pull request description has no "## Testing" section' }] });
    const text = await check();
    expect(text.out).toContain("The pull request description is empty here: pass --body-file FILE");

    const body = join(repo.dir, "..", `${repo.dir.split("/").pop()}-body.md`);
    writeFileSync(body, "## Testing\n\nRan the unit tests.\n");
    expect(ruleOf(json((await check("--format", "json", "--body-file", body)).out), "docs").status).toBe("pass");
    const piped = await runCli(["check", "--format", "json", "--body-file", "-"], { cwd: repo.dir, stdin: "## Testing\n\nby hand\n" });
    expect(ruleOf(json(piped.out), "docs").status).toBe("pass");
    const missing = await check("--body-file", "no-such-body.md");
    expect(missing.code).toBe(2);
    expect(missing.err).toBe("readiness check: cannot read --body-file no-such-body.md: no such file\n");
  });
});

describe("configuration problems", () => {
  const fresh = repoPool(afterAll);

  test("an invalid base configuration: every error as file:line:column, exit 2", async () => {
    const repo = fresh();
    repo.commit("initial", {
      ".readiness.yml": "level: silver\nrules:\n  tests:\n    level: bronze\n    sorce: ['src/**']\n  doc: silver\n",
    });
    repo.git("checkout", "-q", "-b", "feature");
    const run = await runCli(["check"], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.out).toBe("");
    expect(run.err).toContain("the configuration is invalid, so no rule was checked");
    expect(run.err).toMatch(/^\.readiness\.yml:5:5: rules\.tests\.sorce: unknown option "sorce"\. Did you mean "source"\?$/m);
    expect(run.err).toMatch(/^\.readiness\.yml:6:3: rules\.doc: unknown rule "doc"\. Did you mean "docs"\?$/m);
    expect(run.err).toContain("It was read from the base (main), as on GitHub: fix it there.");
  });

  test("no configuration anywhere: where it looked and how to start, exit 2", async () => {
    const repo = fresh();
    repo.commit("initial", { "README.md": "# x\n" });
    repo.git("checkout", "-q", "-b", "feature");
    const run = await runCli(["check"], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.out).toBe("");
    expect(run.err).toContain("no readiness configuration: looked for .readiness.yml and .github/readiness.yml at main");
    expect(run.err).toContain("no organisation baseline was given (--org-config FILE)");
    expect(run.err).toContain("commit a .readiness.yml to the base branch");

    repo.commit("add the gate", { ".readiness.yml": "rules:\n  tests: bronze\n" });
    const adding = await runCli(["check"], { cwd: repo.dir });
    expect(adding.code).toBe(2);
    expect(adding.err).toContain("Your branch adds .readiness.yml: it applies once merged into main. To try it now: readiness check --config .readiness.yml");
  });

  test("the organisation baseline applies only when given with --org-config", async () => {
    const repo = fresh();
    repo.commit("initial", { "src/a.ts": "1\n" });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("change", { "src/a.ts": "2\n" });
    const org = join(repo.dir, "..", `${repo.dir.split("/").pop()}-org.yml`);
    writeFileSync(org, "level: bronze\nrules:\n  tests: bronze\n");
    const run = await runCli(["check", "--org-config", org, "--format", "json"], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(ruleOf(json(run.out), "tests").status).toBe("fail");
  });

  test("a repository file extending the organisation baseline needs --org-config locally", async () => {
    const repo = fresh();
    repo.commit("initial", { ".readiness.yml": "extends: acme/.github\nrules:\n  docs: silver\n", "src/a.ts": "1\n" });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("docs: a readme", { "README.md": "# a\n" });
    const without = await runCli(["check"], { cwd: repo.dir });
    expect(without.code).toBe(2);
    expect(without.err).toMatch(/^\.readiness\.yml:1:\d+: extends: the organisation baseline "acme\/\.github" has no/m);
    expect(without.err).toContain("Locally the organisation baseline is read only from --org-config FILE.");
    const org = join(repo.dir, "..", `${repo.dir.split("/").pop()}-org.yml`);
    writeFileSync(org, "level: bronze\nrules:\n  tests: bronze\n");
    const withOrg = await runCli(["check", "--org-config", org, "--format", "json"], { cwd: repo.dir });
    expect(withOrg.code).toBe(0);
    expect(json(withOrg.out).rules.map((r) => r.id).sort()).toEqual(["docs", "tests"]);
  });

  test("a locked organisation baseline holds the repository's own file only when given with --org-config", async () => {
    const repo = fresh();
    repo.commit("initial", { ".readiness.yml": "rules:\n  pr-size:\n    max-lines: 5000\n", "src/a.ts": "1\n" });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("change", { "src/a.ts": "2\n" });
    const org = join(repo.dir, "..", `${repo.dir.split("/").pop()}-locked-org.yml`);
    writeFileSync(org, "rules:\n  pr-size:\n    max-lines: 800\n    locked: true\n  tests:\n    locked: true\n");
    const withOrg = await runCli(["check", "--org-config", org], { cwd: repo.dir });
    expect(withOrg.code).toBe(2);
    expect(withOrg.err).toMatch(new RegExp(`^\\.readiness\\.yml:3:5: rules\\.pr-size\\.max-lines: the organisation baseline ${org.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} locks "pr-size" \\(line 4\\): option "max-lines" would loosen it`, "m"));
    // Without the baseline, locally nothing is locked: the file is judged on its own.
    const without = await runCli(["check", "--format", "json"], { cwd: repo.dir });
    expect(json(without.out).rules.map((r) => r.id)).toEqual(["pr-size"]);
    // Within the limit, the locked rules are added to the file's own.
    repo.git("checkout", "-q", "main");
    repo.commit("tighten", { ".readiness.yml": "rules:\n  pr-size:\n    max-lines: 400\n" });
    repo.git("checkout", "-q", "feature");
    repo.git("rebase", "-q", "main");
    const tightened = await runCli(["check", "--org-config", org, "--format", "json"], { cwd: repo.dir });
    expect(json(tightened.out).rules.map((r) => r.id).sort()).toEqual(["pr-size", "tests"]);
  });

  test.each([
    ["an empty file", ""],
    ["comments only", "# to do\n"],
    ["rules: {}", "rules: {}\n"],
  ])("a configuration that enforces nothing (%s): exit 0, with a warning on standard error in every format", async (_name, config) => {
    const repo = fresh();
    repo.commit("initial", { ".readiness.yml": config, "src/a.ts": "1\n" });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("change", { "src/a.ts": "2\n" });
    for (const format of ["text", "json", "markdown"]) {
      const run = await runCli(["check", "--format", format], { cwd: repo.dir });
      expect(run.code).toBe(0);
      expect(run.err).toBe(
        "readiness check: warning: the configuration (.readiness.yml at main) enforces nothing: no rule is enabled, so every pull request passes. Enable rules under `rules:` (see docs/configuration.md), e.g. `rules: { tests: bronze }`.\n",
      );
    }
  });

  test("a configuration whose rules are all advisory blocks nothing: a warning too", async () => {
    const repo = fresh();
    repo.commit("initial", { ".readiness.yml": "level: bronze\nrules:\n  tests: silver\n", "src/a.ts": "1\n" });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("change", { "src/a.ts": "2\n" });
    const run = await runCli(["check"], { cwd: repo.dir });
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/^readiness check: warning: the configuration \(\.readiness\.yml at main\) blocks nothing: every enabled rule is above the required level bronze/);
  });

  test("not a git repository: exit 2", async () => {
    const run = await runCli(["check", "--repo", "/"], { cwd: "/" });
    expect(run.code).toBe(2);
    expect(run.err).toBe("readiness check: / is not inside a git repository (use --repo DIR to point at one)\n");
  });
});

describe("the would-be pull request: base branch, labels and author", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = createRepo();
    repo.commit("initial", {
      ".readiness.yml": [
        "level: bronze",
        "rules:",
        "  tests:",
        "    level: bronze",
        "    when: { base: [main], labels: [needs-tests] }",
        "  docs:",
        "    level: bronze",
        "    when: { authors: [octocat] }",
        "",
      ].join("\n"),
      "src/a.ts": "1\n",
    });
    repo.git("update-ref", "refs/remotes/origin/main", "main");
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("change", { "src/a.ts": "2\n" });
  });
  afterAll(() => repo.cleanup());
  const statuses = async (...args: string[]) => {
    const run = await runCli(["check", "--format", "json", ...args], { cwd: repo.dir });
    return Object.fromEntries(json(run.out).rules.map((r) => [r.id, r.status]));
  };

  test("without labels or a matching author the conditional rules do not apply", async () => {
    expect(await statuses("--base", "origin/main")).toEqual({ tests: "skip", docs: "skip" });
  });

  test("--label and --author make them apply; origin/main targets main", async () => {
    expect(await statuses("--base", "origin/main", "--label", "needs-tests", "--author", "octocat")).toEqual({ tests: "fail", docs: "fail" });
  });

  test("a --config file that does not exist is a clear error", async () => {
    const run = await runCli(["check", "--config", "missing.yml"], { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.err).toBe(`readiness check: cannot read the configuration file (--config) ${join(repo.dir, "missing.yml")}: no such file\n`);
  });
});

describe("readiness check on a branch that adds credentials", () => {
  const token = checksummed("ghp_");
  const password = pick(B62, 18);
  let repo: TempRepo;
  beforeAll(() => {
    repo = createRepo();
    repo.commit("initial", { ".readiness.yml": "level: bronze\nrules:\n  secrets: bronze\n", "src/a.ts": "1\n" });
    repo.git("checkout", "-q", "-b", "leaky");
    repo.commit("feat: client", { "src/client.ts": `export const auth = "${token}"; // primary key\n`, "deploy/.env": `DB_PASSWORD=${password}\n` });
  });
  afterAll(() => repo.cleanup());

  test.each(["text", "json", "markdown"])("--format %s: blocked, the places named, never the secrets", async (format) => {
    const run = await runCli(["check", "--base", "main", "--head", "leaky", "--format", format], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.out).toContain("src/client.ts");
    expect(run.out).toContain("deploy/.env");
    const everything = run.out + run.err;
    for (const secret of [token, password]) {
      for (let start = 0; start + 5 <= secret.length; start++) expect(everything).not.toContain(secret.slice(start, start + 5));
    }
    expect(everything).not.toContain("primary key");
  });

  test("text: the advice is said once per kind of secret, not once per secret; wording fits a local run", async () => {
    const many = Array.from({ length: 30 }, () => checksummed("ghp_"));
    repo.git("checkout", "-q", "-b", "many-leaks", "main");
    repo.commit("feat: many", { "src/many.ts": many.map((t, i) => `export const t${i} = "${t}";`).join("\n"), "deploy/.env": `DB_PASSWORD=${password}\n` });
    repo.git("checkout", "-q", "main");
    const run = await runCli(["check", "--base", "main", "--head", "many-leaks"], { cwd: repo.dir });
    expect(run.code).toBe(1);
    expect(run.out.split("Not pushed yet: rewrite the commits")).toHaveLength(2);
    expect(run.out.split("rotate or revoke it at GitHub first")).toHaveLength(2);
    expect(run.out).toContain("rotate or revoke it wherever it was issued (and wherever it is accepted) first");
    expect(run.out).not.toMatch(/at Generic|locally to see them all/);
    expect(run.out).toContain("10 more secret(s) in this file are not listed; run `readiness scan src/many.ts` to list them all");
    // Each secret still has its own line and fingerprint.
    expect(run.out.match(/^ {2}src\/many\.ts:\d+: .*\[github-classic-token\] fingerprint [0-9a-f]+$/gm)).toHaveLength(20);
  });
});
