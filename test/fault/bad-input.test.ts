/**
 * Issue 8's bad-input corpus against the real server: payloads missing fields, more than 3,000
 * files, files without patches, binary and oddly named files, huge or hostile configuration.
 * Each delivery ends in a clear outcome (a completed check run that says what happened, or a
 * rejection with one log line naming the delivery) and the process keeps serving.
 * (Payload validation at large is test/hostile/'s subject, for issue 15.)
 */
import { afterAll, beforeAll, describe, expect, jest, test } from "@jest/globals";
import { createHmac } from "node:crypto";
import { BASE_SHA, examplePayload, pullRequestEvent, yaml } from "../helpers/app.js";
import type { FakeFile } from "../helpers/app.js";
import { FaultyGitHub } from "../helpers/fault-github.js";
import type { ServerProcess } from "../helpers/server-process.js";
import { CHECK_NAME, deliver, startApp, workDir } from "./driver.js";

jest.setTimeout(120_000);

let github: FaultyGitHub;
let app: ServerProcess;
const dir = workDir("bad-input");

beforeAll(async () => {
  github = await FaultyGitHub.start();
  // No reconciliation pass: every GitHub request here is one a delivery caused.
  app = await startApp(github, dir.path, { READINESS_RECONCILE_MINUTES: "0" });
}, 300_000);

afterAll(async () => {
  await app?.kill("SIGKILL");
  await github?.close();
  dir.remove();
});

const sha = (seed: string): string => createHmac("sha1", "bad-input").update(seed).digest("hex");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stillServing(): Promise<void> {
  expect(app.alive()).toBe(true);
  const ping = await fetch(`http://127.0.0.1:${app.port}/ping`);
  expect(ping.status).toBe(200);
}

let nextNumber = 500;

interface Case {
  readonly config: string;
  readonly files: readonly (Partial<FakeFile> & { filename: string })[];
  readonly changedFiles?: number;
  /** Files at the head commit (for files without a patch). */
  readonly headFiles?: Readonly<Record<string, string>>;
}

/** Opens a pull request on the fake for the case and delivers pull_request.opened; resolves to its completed check run. */
async function verdictFor(c: Case) {
  const number = nextNumber++;
  const baseSha = sha(`base-${number}`);
  const headSha = sha(`head-${number}`);
  github.fake.setFile(baseSha, ".readiness.yml", c.config);
  for (const [path, content] of Object.entries(c.headFiles ?? {})) github.fake.setFile(headSha, path, content);
  github.fake.addPull({ number, baseSha, headSha });
  github.fake.setPullFiles(number, c.files);
  if (c.changedFiles !== undefined) github.fake.pulls.get(number)!.changed_files = c.changedFiles;
  const status = await deliver(app, "pull_request", pullRequestEvent("opened", { number, baseSha, headSha, changedFiles: c.changedFiles ?? c.files.length }));
  expect([200, 202]).toContain(status);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = github.fake.ownCheckRuns(headSha).find((r) => r.name === CHECK_NAME && r.status === "completed");
    if (run) return { run, number };
    if (Date.now() > deadline) throw new Error(`no completed check run for #${number}\n${app.output().slice(-4000)}`);
    await sleep(200);
  }
}

const docsConfig = yaml(["rules:", "  docs:", "    when: [\"src/**\"]", "    require: [\"docs/**\"]", "  secrets: {}"]);
const src = (n: number): FakeFile => ({ filename: `src/file-${n}.ts`, status: "modified", additions: 1, deletions: 0, changes: 1, patch: "@@ -1 +1 @@\n-a\n+b" });

describe("payloads missing fields", () => {
  type Damage = (payload: Record<string, any>) => void;
  /**
   * The pull request exists on the fake with a failing verdict (no approval). A clear outcome is
   * either that verdict (the job reads the pull request afresh) or a rejection: exactly one
   * warning naming the delivery, and no check run.
   */
  const clearOutcome = async (damage: Damage) => {
    const number = nextNumber++;
    const headSha = sha(`head-${number}`);
    github.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
    github.fake.addPull({ number, headSha });
    const payload = pullRequestEvent("opened", { number, headSha });
    damage(payload);
    const logged = app.logLines().length;
    const delivery = `bad-input-${number}`;
    const status = await deliver(app, "pull_request", payload, delivery);
    expect([200, 202, 400]).toContain(status);
    const deadline = Date.now() + 20_000;
    let verdict: string | null | undefined;
    let warnings: Record<string, unknown>[] = [];
    while (Date.now() < deadline) {
      await sleep(250);
      verdict = github.fake.ownCheckRuns(headSha).find((r) => r.status === "completed")?.conclusion;
      warnings = app.logLines().slice(logged).filter((line) => Number(line.level) >= 40);
      if (verdict || warnings.length > 0) break;
    }
    await sleep(500);
    warnings = app.logLines().slice(logged).filter((line) => Number(line.level) >= 40);
    if (verdict) {
      expect(verdict).toBe("failure");
    } else {
      expect(warnings.map((line) => String(line.msg))).toHaveLength(1);
      expect(JSON.stringify(warnings[0])).toContain(delivery);
      expect(github.fake.ownCheckRuns(headSha)).toEqual([]);
    }
    await stillServing();
  };

  const damaged: [string, Damage][] = [
    ["no pull_request", (p) => delete p.pull_request],
    ["a pull request without head", (p) => delete p.pull_request.head],
    ["a pull request without base sha", (p) => delete p.pull_request.base.sha],
    ["a pull request number that is a string", (p) => (p.pull_request.number = "seven")],
    ["no repository", (p) => delete p.repository],
    ["no installation", (p) => delete p.installation],
  ];
  test.each(damaged)("%s: its verdict, or one warning naming the delivery; still serving", (_name, damage) => clearOutcome(damage));

  test("a body that is not JSON: 400, still serving", async () => {
    const status = await deliver(app, "pull_request", "{not json");
    expect(status).toBe(400);
    await stillServing();
  });

  test("an event the app does not handle, with a payload of the wrong shape: answered, still serving", async () => {
    const payload = examplePayload("issues", "opened");
    delete payload.issue;
    expect([200, 202]).toContain(await deliver(app, "issues", payload));
    await stillServing();
  });
});

describe("files", () => {
  test("more than 3,000 files: a completed check that says only the first 3,000 could be listed", async () => {
    const files = Array.from({ length: 3_000 }, (_, i) => src(i));
    const { run } = await verdictFor({ config: docsConfig, files, changedFiles: 3_500 });
    expect(run.conclusion).not.toBe("success");
    expect(`${run.output.summary}\n${run.output.text}`).toMatch(/3,?000/);
    await stillServing();
  });

  test("exactly 3,000 files, documentation among them: passes", async () => {
    const files = [...Array.from({ length: 2_999 }, (_, i) => src(i)), { filename: "docs/cart.md" }];
    const { run } = await verdictFor({ config: docsConfig, files });
    expect(run.conclusion).toBe("success");
    await stillServing();
  });

  test("files without patches (binary, too large to diff): a verdict, their content read at the head commit", async () => {
    const files: FakeFile[] = [
      { filename: "assets/logo.png", status: "added", additions: 0, deletions: 0, changes: 0 },
      { filename: "src/huge.ts", status: "modified", additions: 40_000, deletions: 0, changes: 40_000 },
      { filename: "docs/guide.md", status: "added", additions: 1, deletions: 0, changes: 1 },
    ];
    const headFiles = { "assets/logo.png": "\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR", "src/huge.ts": "export const x = 1;\n".repeat(1_000), "docs/guide.md": "# Guide\n" };
    const { run } = await verdictFor({ config: docsConfig, files, headFiles });
    expect(run.conclusion).toBe("success");
    await stillServing();
  });

  test("oddly named files (spaces, unicode, quotes, newlines, markup, very long, renamed): a verdict that names them safely", async () => {
    const names = [
      "src/with space.ts",
      "src/ünïcødé/文件.ts",
      "src/quote\"and'apostrophe.ts",
      "src/line\nbreak.ts",
      "src/<script>alert(1)</script>.ts",
      "src/`backtick`|pipe*star[x].ts",
      `src/${"deep/".repeat(60)}file.ts`,
      `src/${"n".repeat(250)}.ts`,
      "-leading-dash.ts",
      "src/../escape.ts",
    ];
    const files: FakeFile[] = [
      ...names.map((filename) => ({ filename, status: "added", additions: 1, deletions: 0, changes: 1, patch: "@@ -0,0 +1 @@\n+x" })),
      { filename: "src/new name.ts", previous_filename: "src/old\tname.ts", status: "renamed", additions: 0, deletions: 0, changes: 0 },
    ];
    const { run } = await verdictFor({ config: docsConfig, files });
    expect(run.conclusion).toBe("failure");
    expect(run.output.text ?? "").not.toContain("<script>");
    await stillServing();
  });
});

describe("configuration", () => {
  const configError = async (config: string, message: RegExp) => {
    const { run } = await verdictFor({ config, files: [src(1)] });
    expect(run.conclusion).toBe("failure");
    expect(`${run.output.title}\n${run.output.summary}\n${run.output.text}`).toMatch(message);
    await stillServing();
  };

  test("a configuration over the size limit: a failing check that gives the limit", () => configError(`rules:\n  docs: {}\n# ${"x".repeat(600_000)}\n`, /limit|bytes/));

  test("a YAML alias bomb: a failing check about aliases", () =>
    configError(
      yaml(['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`), "rules: *m"]),
      /alias/i,
    ));

  test("collections nested thousands deep: a failing check about nesting", () => configError(`rules: ${"[".repeat(5_000)}${"]".repeat(5_000)}\n`, /nested/));

  test("a binary file as configuration: a failing check that says it is not text", () => configError("rules:\u0000\u0001\u0002\n", /NUL|text/));

  test("thousands of unknown rules: a failing check that lists the problem", () =>
    configError(yaml(["rules:", ...Array.from({ length: 5_000 }, (_, i) => `  not-a-rule-${i}: {}`)]), /not-a-rule-0/));
});
