/**
 * The GitHub Action as a runner runs it: `node action/dist/index.js` (the committed bundle) with a
 * pull_request event payload, the runner's environment and files, against the fake GitHub on
 * loopback. Asserts what a workflow run shows: the job summary, the outputs, the annotations
 * (workflow commands on standard output) and the exit code; and that the configuration came from
 * the base commit while reviews and CI results came from the API.
 */
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE_SHA, pullRequestEvent, reviewEvent, yaml } from "../helpers/app.js";
import type { FakeFile, PullShape } from "../helpers/app.js";
import { FaultyGitHub } from "../helpers/fault-github.js";
import { ROOT } from "../helpers/server-process.js";
import { checksummed } from "../secrets/samples.js";

const BUNDLE = join(ROOT, "action", "dist", "index.js");
const CONFIG = yaml(["rules:", "  secrets: bronze", "  reviews:", "    approvals: 1", "  tests:", "    checks: [\"ci / build\"]"]);

let github: FaultyGitHub;
const dir = mkdtempSync(join(tmpdir(), "readiness-action-"));

/**
 * The action as a runner checks it out, away from this repository's node_modules: it must run
 * from its own directory without an install step.
 */
const installed = join(dir, "action-checkout");

beforeAll(async () => {
  cpSync(join(ROOT, "action.yml"), join(installed, "action.yml"));
  cpSync(join(ROOT, "action", "dist"), join(installed, "action", "dist"), { recursive: true });
  github = await FaultyGitHub.start();
  github.fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
});

afterAll(async () => {
  await github?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: string;
  readonly outputs: Record<string, string>;
  /** The workflow commands that annotate a file. */
  readonly annotations: string[];
}

/** GITHUB_OUTPUT's `name<<DELIMITER` blocks, read back as the runner reads them. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const end = lines.indexOf(match[2]!, i + 1);
    outputs[match[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return outputs;
}

let runs = 0;

async function runAction(eventName: string, payload: unknown, env: Record<string, string> = {}): Promise<Run> {
  const n = ++runs;
  const eventPath = join(dir, `event-${n}.json`);
  const summaryPath = join(dir, `summary-${n}.md`);
  const outputPath = join(dir, `output-${n}`);
  writeFileSync(eventPath, JSON.stringify(payload));
  writeFileSync(summaryPath, "");
  writeFileSync(outputPath, "");
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(installed, "action", "dist", "index.js")],
      {
        cwd: dir,
        // Only what a runner sets: nothing from this repository's node_modules or environment.
        env: {
          PATH: process.env.PATH ?? "",
          GITHUB_EVENT_NAME: eventName,
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_API_URL: `http://${github.host}/api/v3`,
          GITHUB_REPOSITORY: "acme/shop",
          GITHUB_JOB: "readiness",
          GITHUB_STEP_SUMMARY: summaryPath,
          GITHUB_OUTPUT: outputPath,
          INPUT_TOKEN: "ghs_workflowtoken",
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
  return {
    code,
    stdout,
    stderr,
    summary: readFileSync(summaryPath, "utf8"),
    outputs: parseOutputs(readFileSync(outputPath, "utf8")),
    annotations: stdout.split("\n").filter((line) => /^::(error|warning|notice) file=/.test(line)),
  };
}

let nextNumber = 70;

/** A pull request on the fake with its own head commit; resolves to its event payload. */
function openPull(files: readonly (Partial<FakeFile> & { filename: string })[], options: { approved?: boolean; ci?: string | null } = {}) {
  const number = nextNumber++;
  const headSha = `${number}`.padStart(40, "c");
  const shape: PullShape = { number, headSha, changedFiles: files.length };
  github.fake.addPull(shape);
  github.fake.setPullFiles(number, files);
  if (options.approved) github.fake.addReview(number, "bob", "APPROVED", headSha);
  if (options.ci !== undefined) github.fake.addCheckRun(headSha, "ci / build", options.ci);
  // A head that weakens its own gate: never read, the base's configuration applies.
  github.fake.setFile(headSha, ".readiness.yml", yaml(["rules: {}"]));
  return { number, headSha, payload: pullRequestEvent("opened", shape) };
}

const requestsFor = (number: number, headSha: string) =>
  github.fake.requests.filter((r) => r.path.includes(`/pulls/${number}/`) || r.path.includes(headSha)).map((r) => `${r.method} ${r.path}${r.query.ref ? `?ref=${r.query.ref}` : ""}`);

describe("on a pull_request event", () => {
  test("a pull request that adds a secret: the step fails, the summary says why, the secret's line is annotated with escaped properties, never the secret", async () => {
    const token = checksummed("ghp_");
    const { number, headSha, payload } = openPull(
      [{ filename: "src/a,b:c.ts", status: "added", patch: `@@ -0,0 +1,2 @@\n+import x from "y";\n+export const auth = "${token}";` }, { filename: "test/a.test.ts" }],
      { approved: true, ci: "success" },
    );
    const configReads = github.fake.requests.length;
    const run = await runAction("pull_request", payload);

    expect(run.code).toBe(1);
    expect(run.outputs).toEqual({ conclusion: "failure", level: "", "required-level": expect.any(String) });
    expect(run.summary).toMatch(/^## readiness\n/);
    expect(run.summary).toContain("Not ready to merge");
    expect(run.summary).toContain("secrets");
    expect(run.annotations).toEqual([expect.stringMatching(/^::error file=src\/a%2Cb%3Ac\.ts,line=2,title=readiness%3A secrets::/)]);
    const everything = `${run.stdout}${run.stderr}${run.summary}`;
    for (let start = 0; start + 5 <= token.length; start++) expect(everything).not.toContain(token.slice(start, start + 5));

    const reads = github.fake.requests.slice(configReads).map((r) => `${r.method} ${r.path}${r.query.ref ? `?ref=${r.query.ref}` : ""}`);
    expect(reads).toContain(`GET /repos/acme/shop/contents/.readiness.yml?ref=${BASE_SHA}`);
    expect(reads.filter((r) => r.includes(".readiness.yml") && r.includes(headSha))).toEqual([]);
    expect(requestsFor(number, headSha)).toEqual(
      expect.arrayContaining([`GET /repos/acme/shop/pulls/${number}/reviews`, `GET /repos/acme/shop/commits/${headSha}/check-runs`, `GET /repos/acme/shop/commits/${headSha}/status`]),
    );
    // The action reads only: no check run, no comment.
    expect(github.fake.writes()).toEqual([]);
  }, 60_000);

  test("an approved pull request whose CI passed: the step passes with the level reached", async () => {
    const { payload } = openPull([{ filename: "docs/guide.md" }], { approved: true, ci: "success" });
    const run = await runAction("pull_request", payload);
    expect(run.stdout).not.toMatch(/^::error/m);
    expect(run.code).toBe(0);
    expect(run.outputs.conclusion).toBe("success");
    expect(run.outputs.level).not.toBe("");
    expect(run.summary).toContain("Ready to merge");
  }, 60_000);

  test("reviews and CI come from the API: without an approval and with CI failed, the step fails naming both", async () => {
    const { payload } = openPull([{ filename: "docs/guide.md" }], { approved: false, ci: "failure" });
    const run = await runAction("pull_request_target", payload);
    expect(run.code).toBe(1);
    expect(run.outputs.conclusion).toBe("failure");
    expect(run.summary).toContain("reviews");
    expect(run.summary).toContain("ci / build");
  }, 60_000);

  test("on a review, with CI still running: the step fails as pending and says to re-run once results are in", async () => {
    const { number, headSha } = openPull([{ filename: "docs/guide.md" }], { approved: true, ci: null });
    const payload = reviewEvent("submitted", { user: "bob", state: "approved" }, { number, headSha });
    const run = await runAction("pull_request_review", payload);
    expect(run.code).toBe(1);
    expect(run.outputs.conclusion).toBe("pending");
    expect(run.summary).toContain("re-run this job");
  }, 60_000);

  test("no configuration at the base: nothing to check, the step passes and says how to start", async () => {
    const { payload } = openPull([{ filename: "docs/guide.md" }]);
    payload.pull_request.base.sha = "d".repeat(40);
    const run = await runAction("pull_request", payload);
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ conclusion: "neutral", level: "", "required-level": "" });
    expect(run.summary).toContain("No readiness configuration at the base commit");
  }, 60_000);

  test("an invalid configuration at the base: the step fails with the configuration's errors", async () => {
    const base = "e".repeat(40);
    github.fake.setFile(base, ".readiness.yml", yaml(["rules:", "  no-such-rule: bronze"]));
    const { payload } = openPull([{ filename: "docs/guide.md" }]);
    payload.pull_request.base.sha = base;
    const run = await runAction("pull_request", payload);
    expect(run.code).toBe(1);
    expect(run.outputs.conclusion).toBe("failure");
    expect(run.summary).toContain("no-such-rule");
  }, 60_000);
});

describe("bad input is a clear error, not a crash", () => {
  test("another event: the step fails and says to trigger on pull_request", async () => {
    const run = await runAction("push", { ref: "refs/heads/main" });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error title=readiness::readiness judges pull requests: this run is for the "push" event.*see the workflow example in the README/m);
    expect(run.stderr).toBe("");
  });

  test("an empty token: the step fails and says what the token needs", async () => {
    const { payload } = openPull([{ filename: "docs/guide.md" }]);
    const run = await runAction("pull_request", payload, { INPUT_TOKEN: "" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("the token input is empty");
  });

  test("a payload without a pull request: the step fails naming the file", async () => {
    const run = await runAction("pull_request", { action: "opened" });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/payload at .*event-\d+\.json has no pull request/);
  });
});

test("the bundle holds no native module (the action needs no store)", () => {
  expect(readFileSync(BUNDLE, "utf8")).not.toMatch(/better-sqlite3|\.node["']/);
});
