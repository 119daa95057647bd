/**
 * The real `npm start` (its build step first, which finds dist/ up to date) against a fake GitHub
 * on 127.0.0.1, reached through Probot's GitHub Enterprise settings, with signed webhook deliveries.
 */
import { afterAll, beforeAll, expect, jest, test } from "@jest/globals";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createHmac } from "node:crypto";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { repoDockerfile, runtimeStage } from "../deploy/dockerfile.js";
import { BASE_SHA, examplePayload, FakeGitHub, HEAD_SHA, INSTALLATION_ID, pullRequestEvent, reviewEvent, throwawayPrivateKey, yaml } from "../helpers/app.js";
import { freePort, serveFakeGitHub, serverEnv } from "../helpers/server.js";
import { builtServer } from "../helpers/server-process.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SECRET = "e2e-webhook-secret";
const MARKER = "E2E-PAYLOAD-MARKER-7f3a";

jest.setTimeout(180_000);

let fake: FakeGitHub;
let fakeServer: Server;
let app: ChildProcess;
let appPort: number;
let output = "";

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- server output ---\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function deliver(name: string, payload: unknown, signWith: string = SECRET): Promise<Response> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", signWith).update(body).digest("hex")}`;
  return fetch(`http://127.0.0.1:${appPort}/api/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": name, "x-github-delivery": `e2e-${Date.now()}-${Math.random()}`, "x-hub-signature-256": signature },
    body,
  });
}

beforeAll(async () => {
  // dist/ up to date under the build lock other test files share: `npm start`'s build step below
  // then has nothing to compile, and never rewrites dist/ while another test file copies it.
  await builtServer();
  const served = await serveFakeGitHub();
  fake = served.fake;
  fakeServer = served.server;
  appPort = await freePort();
  // info: the shutdown test reads the server's "shutting down" and "stopped" lines. These tests
  // count requests per delivery; reconciliation is exercised by its own tests.
  const env = {
    ...serverEnv({ port: appPort, fakePort: served.port, secret: SECRET }),
    LOG_LEVEL: "info" as const,
    READINESS_RECONCILE_MINUTES: "0",
    READINESS_DB_PATH: ":memory:",
  };
  app = spawn("npm", ["start", "--silent"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  app.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  app.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  await waitFor(
    "the server to answer /ping",
    async () => {
      if (app.exitCode !== null) throw new Error(`npm start exited with ${app.exitCode}\n${output}`);
      return fetch(`http://127.0.0.1:${appPort}/ping`).then((r) => r.ok, () => false);
    },
    150_000,
  );
}, 300_000);

afterAll(async () => {
  if (app?.pid && app.exitCode === null) {
    const exited = new Promise((resolve) => app.once("exit", resolve));
    process.kill(-app.pid, "SIGTERM");
    const timer = setTimeout(() => {
      try {
        process.kill(-app.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  }
  await new Promise<void>((resolve) => (fakeServer ? fakeServer.close(() => resolve()) : resolve()));
});

test("a pull request goes from failing to passing as an approving review arrives: one check run, one comment", async () => {
  fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  fake.addPull({ number: 7 });
  fake.setPullFiles(7, [{ filename: "src/cart.ts" }]);

  const opened = await deliver("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));
  expect([200, 202]).toContain(opened.status);
  const failing = await waitFor("a failing check run and a comment", () => {
    const runs = fake.ownCheckRuns(HEAD_SHA);
    return runs.length === 1 && runs[0]!.conclusion === "failure" && fake.ownComments(7).length === 1 && runs[0];
  });
  expect(failing.name).toBe("readiness");
  const firstComment = fake.ownComments(7)[0]!.body;

  fake.addReview(7, "bob", "APPROVED");
  const approved = await deliver("pull_request_review", reviewEvent("submitted", { user: "bob", state: "approved" }, { number: 7 }));
  expect([200, 202]).toContain(approved.status);
  await waitFor("the same check run to pass and the comment to change", () => {
    const runs = fake.ownCheckRuns(HEAD_SHA);
    const comments = fake.ownComments(7);
    return runs.length === 1 && runs[0]!.conclusion === "success" && comments.length === 1 && comments[0]!.body !== firstComment;
  });
  expect(fake.ownCheckRuns(HEAD_SHA)[0]!.id).toBe(failing.id);
  expect(fake.ownComments(7)[0]!.body).toMatch(/ready/i);
  expect(fake.unmatched).toEqual([]);
  // The config was read at the base commit, never at the head.
  const contentReads = fake.requests.filter((r) => r.path.startsWith("/repos/acme/shop/contents/"));
  expect(contentReads.length).toBeGreaterThan(0);
  for (const read of contentReads) expect(read.query.ref).toBe(BASE_SHA);
});

test("the running server serves the dashboard, the scorecard API and badges beside the webhooks, closed by default", async () => {
  const dashboard = await fetch(`http://127.0.0.1:${appPort}/dashboard`);
  expect(dashboard.status).toBe(401);
  expect(await dashboard.text()).toContain("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET");
  const api = await fetch(`http://127.0.0.1:${appPort}/api/scorecards`);
  expect(api.status).toBe(401);
  expect(await api.json()).toEqual({ message: expect.stringContaining("READINESS_API_TOKEN") });
  expect((await fetch(`http://127.0.0.1:${appPort}/badges/acme/unknown.svg`)).status).toBe(404);
});

test("a badly signed delivery is rejected with 400, makes no API call and does not log the payload", async () => {
  const before = fake.requests.length;
  const logged = output.length;
  const payload = pullRequestEvent("opened", { number: 8, title: MARKER, body: MARKER });
  const response = await deliver("pull_request", payload, "not-the-secret");
  expect(response.status).toBe(400);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(fake.requests.length).toBe(before);
  const newOutput = output.slice(logged);
  expect(newOutput).toMatch(/signature does not match/);
  expect(newOutput).not.toContain(MARKER);
});

test("with credentials but no WEBHOOK_SECRET it refuses to start, rather than accept deliveries signed with Probot's public default", async () => {
  // dist/ is up to date (builtServer and `npm start` above).
  const refused = spawn("node", ["dist/src/server.js"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", APP_ID: "4242", PRIVATE_KEY: throwawayPrivateKey(), PORT: String(await freePort()), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let refusedOutput = "";
  refused.stdout!.on("data", (c: Buffer) => (refusedOutput += c.toString()));
  refused.stderr!.on("data", (c: Buffer) => (refusedOutput += c.toString()));
  const code = await new Promise<number | null>((resolve) => refused.once("exit", resolve));
  expect(code).toBe(1);
  expect(refusedOutput).toMatch(/WEBHOOK_SECRET is not set/);
});

test("without credentials it serves Probot's registration page, built from app.yml", async () => {
  // dist/ is up to date (builtServer and `npm start` above); setup mode needs no GitHub and (with NO_SMEE_SETUP) no proxy.
  const port = await freePort();
  const setup = spawn("node", ["dist/src/server.js"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: "127.0.0.1", NO_SMEE_SETUP: "true", LOG_LEVEL: "warn", LOG_FORMAT: "json" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let setupOutput = "";
  setup.stdout!.on("data", (c: Buffer) => (setupOutput += c.toString()));
  setup.stderr!.on("data", (c: Buffer) => (setupOutput += c.toString()));
  try {
    const page = await waitFor<string>("the setup page", async () => {
      if (setup.exitCode !== null) throw new Error(`setup server exited with ${setup.exitCode}\n${setupOutput}`);
      return fetch(`http://127.0.0.1:${port}/probot`).then(async (r) => (r.ok ? r.text() : undefined), () => undefined);
    });
    const manifest = JSON.parse(/value='([^']+)'/.exec(page)![1]!) as { name: string; public: boolean; default_events: string[]; default_permissions: Record<string, string> };
    expect(manifest.name).toBe("readiness");
    expect(manifest.public).toBe(false);
    expect(manifest.default_events).toContain("merge_group");
    expect(manifest.default_permissions).toMatchObject({ checks: "write", contents: "read", merge_queues: "read" });
  } finally {
    const exited = new Promise((resolve) => setup.once("exit", resolve));
    if (setup.exitCode === null) process.kill(-setup.pid!, "SIGTERM");
    await exited;
  }
});

/** Whether a TCP socket listens on `port` at the IPv4 wildcard address, from the kernel's table. */
function listensOnAllInterfaces(port: number): boolean {
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const LISTEN = "0A";
  return readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .some((fields) => fields[1] === `00000000:${portHex}` && fields[3] === LISTEN);
}

test("with the image's environment (the Dockerfile's ENV) it listens on all interfaces, not only loopback", async () => {
  // dist/ is up to date (builtServer and `npm start` above).
  const imageEnv = Object.fromEntries(runtimeStage(repoDockerfile()).env);
  const port = await freePort();
  // The image's state directory (/app/data, a volume) exists only in the image.
  const dataDir = mkdtempSync(join(tmpdir(), "readiness-image-data-"));
  const server = spawn("node", ["dist/src/server.js"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...imageEnv, READINESS_DB_PATH: join(dataDir, "readiness.sqlite"), READINESS_RECONCILE_MINUTES: "0", PORT: String(port), APP_ID: "4242", PRIVATE_KEY: throwawayPrivateKey(), WEBHOOK_SECRET: SECRET, LOG_FORMAT: "json" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let serverOutput = "";
  server.stdout!.on("data", (c: Buffer) => (serverOutput += c.toString()));
  server.stderr!.on("data", (c: Buffer) => (serverOutput += c.toString()));
  try {
    await waitFor("the server to answer /ping", async () => {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}\n${serverOutput}`);
      return fetch(`http://127.0.0.1:${port}/ping`).then((r) => r.ok, () => false);
    });
    // The log line reaches this process through a pipe, possibly after /ping already answers.
    await waitFor("the server to log where it listens", () => serverOutput.includes("Listening on"));
    expect(serverOutput).toContain(`Listening on http://0.0.0.0:${port}`);
    if (process.platform === "linux") expect(listensOnAllInterfaces(port)).toBe(true);
  } finally {
    // A server that already exited (it could not start) emits no further "exit".
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      process.kill(-server.pid!, "SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Whether any process is left in a process group. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

// Last: it stops the server every other test uses.
/** The default branch of acme/shop moves to `sha`, and GitHub says so. */
async function pushToMain(sha: string): Promise<void> {
  fake.branches.set("main", sha);
  const payload = examplePayload("push", undefined, (e) => Array.isArray(e.commits) && e.commits.length > 0);
  Object.assign(payload, { ref: "refs/heads/main", after: sha, deleted: false });
  Object.assign(payload.repository, { name: "shop", full_name: "acme/shop", default_branch: "main" });
  payload.repository.owner = { ...payload.repository.owner, login: "acme", name: "acme" };
  payload.commits = [{ ...payload.commits[0], id: sha, added: [], modified: ["docs/runbook.md"], removed: [] }];
  const response = await deliver("push", payload);
  expect([200, 202]).toContain(response.status);
}

const RUNBOOK = yaml(["# Runbook", "## Alerts", "page the on-call", "## Escalation", "call the lead", "## Rollback", "revert the deploy"]);
const HELD = ["level: silver", "alerts:", "  assign: codeowners", "environments:", "  production: silver", "  staging: bronze", "rules:", "  file-exists:", "    level: bronze", "    paths: [README.md]", "  runbook: silver"];

/** A commit of acme/shop with the held configuration, the README, and the runbook when `runbook`. */
function heldCommit(sha: string, runbook: boolean): void {
  fake.setFile(sha, ".readiness.yml", yaml(HELD));
  fake.setFile(sha, ".github/CODEOWNERS", "* @acme/platform @lead\n");
  fake.setFile(sha, "README.md", "# shop\n");
  if (runbook) fake.setFile(sha, "docs/runbook.md", RUNBOOK);
}

test("through the running server, a drop of the default branch opens one issue and its recovery closes it", async () => {
  const [ready, dropped, back] = ["1", "2", "3"].map((c) => c.repeat(40)) as [string, string, string];
  heldCommit(ready, true);
  heldCommit(dropped, false);
  heldCommit(back, true);
  const issuesBefore = fake.openedIssues.size;

  await pushToMain(ready);
  await waitFor("the scorecard check run of the first commit", () => fake.ownCheckRuns(ready).some((run) => run.status === "completed"));
  expect(fake.openedIssues.size).toBe(issuesBefore);

  await pushToMain(dropped);
  const [number, issue] = await waitFor("the alert issue", () => [...fake.openedIssues.entries()].find(([, opened]) => opened.title.startsWith("Readiness dropped")));
  expect(issue.title).toBe("Readiness dropped: gold → bronze");
  expect(issue.body).toContain("| runbook | silver |");
  expect(issue.assignees).toEqual(["lead"]);

  await pushToMain(back);
  await waitFor("the alert issue to close", () => fake.openedIssues.get(number)?.state === "closed");
  expect(fake.comments.get(number)?.map((c) => c.body).join("\n")).toContain("Readiness is back");
  expect([...fake.openedIssues.values()].filter((opened) => opened.title.startsWith("Readiness dropped"))).toHaveLength(1);
});

test("through the running server, the deployment gate answers each request once: approved, rejected, not listed", async () => {
  const [main, deployed] = ["4", "5"].map((c) => c.repeat(40)) as [string, string];
  heldCommit(main, true);
  heldCommit(deployed, false);
  fake.branches.set("main", main);
  const answersBefore = fake.deploymentAnswers.length;
  const request = (environment: string, runId: number) => ({
    action: "requested",
    environment,
    event: "push",
    // GitHub's callback URLs are https; the answer goes to the configured API (the fake), by path.
    deployment_callback_url: `${fake.baseUrl.replace(/^http:/, "https:")}/repos/acme/shop/actions/runs/${runId}/deployment_protection_rule`,
    deployment: { id: runId, sha: deployed, ref: "main", environment },
    repository: { id: 1296269, name: "shop", full_name: "acme/shop", owner: { login: "acme" }, default_branch: "main" },
    installation: { id: INSTALLATION_ID },
    sender: { login: "octocat" },
  });
  const started = Date.now();
  expect([200, 202]).toContain((await deliver("deployment_protection_rule", request("staging", 901))).status);
  await waitFor("the staging answer", () => fake.deploymentAnswers.some((answer) => answer.runId === 901));
  const evaluatedMs = Date.now() - started;
  const reused = Date.now();
  expect([200, 202]).toContain((await deliver("deployment_protection_rule", request("production", 902))).status);
  await waitFor("the production answer", () => fake.deploymentAnswers.some((answer) => answer.runId === 902));
  const reusedMs = Date.now() - reused;
  // The same request delivered again is not answered twice.
  expect([200, 202]).toContain((await deliver("deployment_protection_rule", request("production", 902))).status);
  expect([200, 202]).toContain((await deliver("deployment_protection_rule", request("qa", 903))).status);
  await waitFor("the qa answer", () => fake.deploymentAnswers.some((answer) => answer.runId === 903));
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(fake.deploymentAnswers.slice(answersBefore)).toEqual([
    { runId: 901, environment: "staging", state: "approved", comment: expect.stringContaining("staging requires bronze. Approved.") },
    { runId: 902, environment: "production", state: "rejected", comment: expect.stringContaining("production requires silver") },
    { runId: 903, environment: "qa", state: "approved", comment: expect.stringContaining('"qa" has no required level') },
  ]);
  // Measured, not asserted (speed targets live in bench/): printed for the report.
  process.stdout.write(`deployment gate through the server: evaluated ${evaluatedMs} ms, stored record reused ${reusedMs} ms (delivery to answer, polling every 100 ms)\n`);
});

test("through the running server, a dated target still ahead is advisory and says so, with what is missing, in the check run", async () => {
  const baseSha = "6".repeat(40);
  const headSha = "7".repeat(40);
  fake.setFile(baseSha, ".readiness.yml", yaml(["level:", "  required: silver", '  from: "2099-03-01"', "  until-then: bronze", "rules:", "  reviews: bronze", "  docs:", "    level: silver", "    require: [CHANGELOG.md]"]));
  fake.addPull({ number: 31, baseSha, headSha });
  fake.setPullFiles(31, [{ filename: "src/cart.ts" }]);
  fake.addReview(31, "bob", "APPROVED", headSha);
  expect([200, 202]).toContain((await deliver("pull_request", pullRequestEvent("opened", { number: 31, baseSha, headSha, changedFiles: 1 }))).status);
  const run = await waitFor("the check run under the dated target", () => fake.ownCheckRuns(headSha).find((r) => r.status === "completed"));
  // Bronze is what is required until then: reached, so nothing blocks (neutral: rules above it
  // are not met), and the target ahead is announced with what is missing for it.
  expect(run.conclusion).toBe("neutral");
  const text = `${run.output.title ?? ""}\n${run.output.summary ?? ""}\n${run.output.text ?? ""}`;
  expect(text).toContain("silver is required from 1 March 2099");
  expect(text).toContain("docs");
});

test("SIGTERM to npm (not to its process group) stops the server, which logs that it is shutting down and when it has stopped", async () => {
  expect(app.exitCode).toBeNull();
  const logged = output.length;
  const npmExited = new Promise((resolve) => app.once("exit", resolve));
  process.kill(app.pid!, "SIGTERM");
  await npmExited;
  // npm started in its own group (detached); the server is in it unless something re-grouped it.
  try {
    await waitFor("every process `npm start` started to exit", () => !groupAlive(app.pid!), 20_000);
  } catch (error) {
    process.kill(-app.pid!, "SIGKILL");
    throw error;
  }
  const lines = output
    .slice(logged)
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { level: number; msg: string });
  const messages = lines.filter((line) => line.level === 30).map((line) => line.msg);
  expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^SIGTERM received: shutting down/), "server stopped"]));
  await expect(fetch(`http://127.0.0.1:${appPort}/ping`)).rejects.toThrow();
});
