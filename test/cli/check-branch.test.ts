import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ownerAndName } from "../../src/cli/check-branch.js";
import type { ScorecardEntry } from "../../src/render/scorecard-entry.js";
import { createRepo } from "../local/git-repo.js";
import type { TempRepo } from "../local/git-repo.js";
import { runCli } from "./run-cli.js";

// file-exists judges a branch; tests judges changes only; vulnerabilities needs GitHub's alerts.
const CONFIG = `level: silver
rules:
  file-exists:
    level: bronze
    paths: [SECURITY.md]
  tests: bronze
`;

describe("readiness check --branch", () => {
  let repo: TempRepo;
  let goodSha: string;
  let missingSha: string;
  let configs: string;
  const check = (...args: string[]) => runCli(["check", "--branch", ...args], { cwd: repo.dir });

  beforeAll(() => {
    repo = createRepo();
    configs = mkdtempSync(join(tmpdir(), "readiness-branch-configs-"));
    goodSha = repo.commit("initial", { ".readiness.yml": CONFIG, "SECURITY.md": "# Security\n", "src/a.ts": "export const a = 1;\n" });
    repo.git("checkout", "-q", "-b", "no-policy");
    // The branch keeps the configuration that requires SECURITY.md, and removes the file.
    missingSha = repo.commit("chore: drop the policy", { "SECURITY.md": null });
    repo.git("checkout", "-q", "main");
  });
  afterAll(() => {
    repo.cleanup();
    rmSync(configs, { recursive: true, force: true });
  });

  it("judges the current branch by default, leaving out rules about changes", async () => {
    const run = await check();
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toContain(`Checked locally: the branch main at ${goodSha.slice(0, 7)}`);
    expect(run.out).toContain(`main: gold reached · silver required (${goodSha.slice(0, 7)})`);
    expect(run.out).toMatch(/pass\s+file-exists\s+bronze\s+blocking/);
    expect(run.out).toContain("1 enabled rule applies to pull requests only and is not judged on a branch: tests.");
    expect(run.out).not.toMatch(/^\s*\S+\s+tests\s/m);
    expect(run.out).toContain("exit 0: silver, the required level, is reached.");
  });

  it("judges the named ref's tree at its own commit, and fails when a blocking rule fails", async () => {
    const run = await check("no-policy");
    expect(run.code).toBe(1);
    expect(run.out).toContain(`Checked locally: the branch no-policy at ${missingSha.slice(0, 7)}`);
    expect(run.out).toMatch(/fail\s+file-exists\s+bronze\s+blocking/);
    expect(run.out).toContain("Result: Blocked: 1 rule fails (file-exists).");
    expect(run.out).toContain("exit 1: silver is not reached.");
    // --branch=REF is the same as --branch REF.
    expect((await runCli(["check", "--branch=no-policy"], { cwd: repo.dir })).out).toBe(run.out);
  });

  it("takes a tag or a detached HEAD as given, judging the commit it names", async () => {
    repo.git("tag", "v1", missingSha);
    const tagged = JSON.parse((await check("v1", "--format", "json")).out) as ScorecardEntry;
    expect(tagged).toMatchObject({ ref: "v1", sha: missingSha, conclusion: "failure" });
    repo.git("checkout", "-q", "--detach", goodSha);
    try {
      const detached = await check("--format", "json");
      expect(detached.code).toBe(0);
      expect(JSON.parse(detached.out) as ScorecardEntry).toMatchObject({ ref: "HEAD", sha: goodSha, conclusion: "success" });
    } finally {
      repo.git("checkout", "-q", "main");
    }
  });

  it("prints exactly one scorecard entry with --format json", async () => {
    const before = Date.now();
    const run = await check("no-policy", "--format", "json");
    expect(run.code).toBe(1);
    const entry = JSON.parse(run.out) as ScorecardEntry;
    expect(Date.parse(entry.evaluatedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(entry.evaluatedAt).toBe(new Date(entry.evaluatedAt).toISOString());
    expect(entry).toEqual({
      repository: `local/${basename(repo.dir)}`,
      ref: "no-policy",
      sha: missingSha,
      conclusion: "failure",
      level: { reached: null, required: "silver" },
      evaluatedAt: entry.evaluatedAt,
      rules: [{ id: "file-exists", status: "fail", level: "bronze", area: "documentation" }],
    });
  });

  it("names the repository after the origin remote's owner/name when there is one", async () => {
    repo.git("remote", "add", "origin", "git@github.com:acme/payments.git");
    try {
      const entry = JSON.parse((await check("--format", "json")).out) as ScorecardEntry;
      expect(entry).toMatchObject({ repository: "acme/payments", ref: "main", sha: goodSha, conclusion: "success", level: { reached: "gold", required: "silver" } });
    } finally {
      repo.git("remote", "remove", "origin");
    }
  });

  it("reads --config instead of the branch's configuration", async () => {
    const file = join(configs, "branch.yml");
    writeFileSync(file, "level: bronze\nrules:\n  file-exists:\n    level: bronze\n    paths: [src/a.ts]\n");
    const run = await check("no-policy", "--config", file, "--format", "json");
    expect(run.code).toBe(0);
    expect((JSON.parse(run.out) as ScorecardEntry).rules).toEqual([{ id: "file-exists", status: "pass", level: "bronze", area: "documentation" }]);
  });

  it("reports a rule only GitHub can decide as such, blocking only under --strict", async () => {
    const file = join(configs, "alerts.yml");
    writeFileSync(file, "level: bronze\nrules:\n  vulnerabilities: bronze\n");
    const run = await check("--config", file);
    expect(run.code).toBe(0);
    expect(run.out).toContain("Cannot be judged locally: vulnerabilities — GitHub decides");
    expect(run.out).toContain("--strict would count vulnerabilities");
    const entry = JSON.parse((await check("--config", file, "--format", "json")).out) as ScorecardEntry;
    expect(entry.conclusion).toBe("neutral");
    expect(entry.rules).toEqual([{ id: "vulnerabilities", status: "unknown", level: "bronze", area: "security" }]);
    expect((await check("--config", file, "--strict")).code).toBe(1);
  });

  it("renders markdown with the branch renderer and the local verdict", async () => {
    const run = await check("no-policy", "--format", "markdown");
    expect(run.code).toBe(1);
    expect(run.out).toContain("❌ `no-policy` reaches no level; **silver** is required: 1 rule falls short (file-exists).");
    expect(run.out).toContain("### Documentation");
    expect(run.out).toContain("❌ **Blocked: 1 rule fails (file-exists)** (exit 1: silver is not reached)");
  });

  it("exits 2 with a clear message for an unknown ref, pull request options and a branch without configuration", async () => {
    const unknown = await check("no-polcy");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--branch no-polcy: no branch, tag or commit of that name. Did you mean "no-policy"?');
    const pullOnly = await check("--base", "main");
    expect(pullOnly.code).toBe(2);
    expect(pullOnly.err).toContain("--base cannot be used with it");
    const extra = await check("main", "no-policy");
    expect(extra.code).toBe(2);
    repo.git("checkout", "-q", "-b", "unconfigured", "main");
    repo.commit("chore: no gate", { ".readiness.yml": null });
    repo.git("checkout", "-q", "main");
    const none = await check("unconfigured");
    expect(none.code).toBe(2);
    expect(none.err).toContain("no readiness configuration: looked for .readiness.yml");
    expect(none.out).toBe("");
  });

  it("is described by readiness help check", async () => {
    const help = await runCli(["help", "check"], { cwd: repo.dir });
    expect(help.out).toContain("--branch [REF]");
  });
});

describe("ownerAndName", () => {
  it.each([
    ["git@github.com:acme/payments.git", "acme/payments"],
    ["https://github.com/acme/payments", "acme/payments"],
    ["https://github.com/acme/payments.git/", "acme/payments"],
    ["ssh://git@ghe.example.com/acme/payments.git", "acme/payments"],
    ["/srv/git/payments.git", null],
    ["file:///srv/git/acme/payments.git", null],
    ["https://gitlab.com/group/sub/payments.git", null],
  ])("%s → %s", (url, expected) => {
    expect(ownerAndName(url)).toBe(expected);
  });
});
