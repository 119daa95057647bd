/**
 * The deployment gate through the app: a `deployment_protection_rule` request is answered once,
 * through its callback, approved or rejected by the level the default branch's configuration
 * requires of the environment; never approved by default.
 */
import { afterEach, expect, test } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStateStore } from "../../src/state/sql.js";
import { rememberDeploymentRequest } from "../../src/jobs/pending-deployments.js";
import { createTestApp, examplePayload, INSTALLATION_ID, OWNER, REPO, resetNock, yaml } from "../helpers/app.js";
import type { TestApp } from "../helpers/app.js";

afterEach(() => resetNock());

const BASE = "b".repeat(40);
const DEPLOYED = "d".repeat(40);
const RUNBOOK = yaml(["# Runbook", "## Alerts", "page", "## Escalation", "call", "## Rollback", "revert"]);
const CONFIG = ["extends: readiness:strict", "environments:", "  staging: bronze", "  production: gold", "  preview-*: bronze"];

function requested(environment: string, runId = 4242, sha = DEPLOYED) {
  return {
    action: "requested",
    environment,
    event: "push",
    deployment_callback_url: `https://api.github.com/repos/${OWNER}/${REPO}/actions/runs/${runId}/deployment_protection_rule`,
    deployment: { id: 1, sha, ref: "main", environment },
    repository: { id: 1296269, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER }, default_branch: "main" },
    installation: { id: INSTALLATION_ID },
    sender: { login: "octocat" },
  };
}

/**
 * The default branch at BASE with `config`; the deployed commit with the files rules read, its
 * runbook left out when `runbook` is false (the commit then falls short of gold).
 */
function seed(app: TestApp, { runbook = true }: { runbook?: boolean } = {}): void {
  app.fake.branches.set("main", BASE);
  for (const sha of [BASE, DEPLOYED]) {
    app.fake.setFile(sha, ".readiness.yml", yaml(CONFIG));
    app.fake.setFile(sha, ".github/CODEOWNERS", "* @acme/platform\n");
    if (runbook || sha === BASE) app.fake.setFile(sha, "docs/runbook.md", RUNBOOK);
    app.fake.setFile(sha, "src/cart.ts", "export {};\n");
  }
}

test("a commit reaching the environment's level is approved, with the level in the comment", async () => {
  const app = await createTestApp();
  seed(app);
  await app.receive("deployment_protection_rule", requested("staging"));
  expect(app.fake.deploymentAnswers).toEqual([{ runId: 4242, environment: "staging", state: "approved", comment: expect.stringMatching(/reaches \w+; staging requires bronze\. Approved\./) }]);
  const record = await app.service.store.latestEvaluation(`deployment:acme/shop@${DEPLOYED}`);
  expect(record).toMatchObject({ subjectKind: "deployment", headSha: DEPLOYED });
  // The default branch's scorecard is not written by a deployment, nor any check run.
  expect(await app.service.store.latestEvaluation("branch:acme/shop:main")).toBeUndefined();
  expect(app.fake.ownCheckRuns()).toEqual([]);
  expect(app.fake.unmatched).toEqual([]);
});

test("a commit below the environment's level is rejected, naming what blocks", async () => {
  const app = await createTestApp();
  seed(app, { runbook: false });
  await app.receive("deployment_protection_rule", requested("production"));
  expect(app.fake.deploymentAnswers).toHaveLength(1);
  const [answer] = app.fake.deploymentAnswers;
  expect(answer).toMatchObject({ environment: "production", state: "rejected" });
  expect(answer!.comment).toMatch(/production requires gold\. Blocking: [\w-]+/);
});

test("an environment the configuration does not list is approved with a note", async () => {
  const app = await createTestApp();
  seed(app);
  await app.receive("deployment_protection_rule", requested("qa"));
  expect(app.fake.deploymentAnswers).toEqual([{ runId: 4242, environment: "qa", state: "approved", comment: expect.stringContaining('"qa" has no required level') }]);
  // Nothing was evaluated: no tree read.
  expect(app.fake.apiCalls().filter((call) => call.includes("/git/trees/"))).toEqual([]);
});

test("the level and the rules come from the default branch's configuration, never the deployed commit's own file", async () => {
  const app = await createTestApp();
  seed(app, { runbook: false });
  app.fake.setFile(DEPLOYED, ".readiness.yml", yaml(["extends: readiness:recommended", "environments:", "  production: bronze"]));
  await app.receive("deployment_protection_rule", requested("production"));
  expect(app.fake.deploymentAnswers).toMatchObject([{ state: "rejected", comment: expect.stringContaining("production requires gold") }]);
});

test("a repository without a configuration is approved with a note", async () => {
  const app = await createTestApp();
  app.fake.branches.set("main", BASE);
  await app.receive("deployment_protection_rule", requested("production"));
  expect(app.fake.deploymentAnswers).toEqual([{ runId: 4242, environment: "production", state: "approved", comment: expect.stringContaining("has no readiness configuration") }]);
});

test("a fresh stored record of the commit is reused: no tree read, the same answer", async () => {
  const app = await createTestApp();
  seed(app, { runbook: false });
  const first = Date.now();
  await app.receive("deployment_protection_rule", requested("production", 1));
  const evaluatedMs = Date.now() - first;
  const evaluatedRequests = app.fake.apiCalls().length;
  app.fake.clearRequests();
  const second = Date.now();
  await app.receive("deployment_protection_rule", requested("production", 2));
  const reusedMs = Date.now() - second;
  expect(app.fake.apiCalls().filter((call) => call.includes("/git/trees/"))).toEqual([]);
  expect(app.fake.deploymentAnswers.map((a) => [a.runId, a.state, a.comment])).toEqual([
    [1, "rejected", app.fake.deploymentAnswers[0]!.comment],
    [2, "rejected", app.fake.deploymentAnswers[0]!.comment],
  ]);
  expect(app.logs.some((line) => line.msg === "deployment gate: a fresh record of the commit is reused")).toBe(true);
  // Measured, not asserted (speed targets live in bench/): printed for the report.
  process.stdout.write(`deployment gate answer: evaluated ${evaluatedMs} ms (${evaluatedRequests} requests), stored record reused ${reusedMs} ms (${app.fake.apiCalls().length} requests)\n`);
});

test("the default branch's scorecard of the deployed commit is reused: no tree read", async () => {
  const app = await createTestApp();
  seed(app);
  app.fake.branches.set("main", DEPLOYED);
  const push = examplePayload("push", undefined, (e) => Array.isArray(e.commits) && e.commits.length > 0);
  Object.assign(push, { ref: "refs/heads/main", after: DEPLOYED, deleted: false });
  push.repository.default_branch = "main";
  push.commits = [{ ...push.commits[0], id: DEPLOYED, added: [], modified: ["src/cart.ts"], removed: [] }];
  await app.receive("push", push);
  expect(await app.service.store.latestEvaluation("branch:acme/shop:main", DEPLOYED)).toBeDefined();
  app.fake.clearRequests();
  await app.receive("deployment_protection_rule", requested("staging"));
  expect(app.fake.apiCalls().filter((call) => call.includes("/git/trees/"))).toEqual([]);
  expect(app.fake.deploymentAnswers).toMatchObject([{ environment: "staging", state: "approved" }]);
  expect(app.logs.find((line) => line.msg === "deployment gate: a fresh record of the commit is reused")).toMatchObject({ subjectKey: "branch:acme/shop:main" });
});

test("GitHub failing: retried up to the bound, then rejected with the reason, answered exactly once", async () => {
  const app = await createTestApp();
  seed(app);
  app.fake.failures.set(`/repos/${OWNER}/${REPO}`, 502);
  await app.receive("deployment_protection_rule", requested("production"));
  // The test app's retry bound is 2 attempts.
  expect(app.fake.apiCalls().filter((call) => call === `GET /repos/${OWNER}/${REPO}`)).toHaveLength(2);
  expect(app.fake.deploymentAnswers).toEqual([{ runId: 4242, environment: "production", state: "rejected", comment: expect.stringMatching(/could not evaluate this commit for production \(GitHub kept failing \(HTTP 502, 2 attempts\)\); rejected/) }]);
});

test("a duplicate delivery of one request is answered once", async () => {
  const app = await createTestApp();
  seed(app);
  await app.receive("deployment_protection_rule", requested("staging"));
  await app.receive("deployment_protection_rule", requested("staging"));
  expect(app.fake.deploymentAnswers).toHaveLength(1);
  expect(app.logs.some((line) => line.msg === "deployment answered already; nothing to do")).toBe(true);
});

test("a callback URL naming another repository is never answered", async () => {
  const app = await createTestApp();
  seed(app);
  const payload = requested("staging");
  payload.deployment_callback_url = "https://api.github.com/repos/someone/else/actions/runs/1/deployment_protection_rule";
  await app.receive("deployment_protection_rule", payload);
  expect(app.fake.deploymentAnswers).toEqual([]);
  expect(app.fake.writes()).toEqual([]);
});

test("two replicas sharing one SQLite store, handed the same request at once, answer it once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "readiness-gate-"));
  const store = openSqliteStateStore(join(dir, "state.sqlite"));
  try {
    const first = await createTestApp({}, undefined, { store });
    seed(first);
    const second = await createTestApp({}, first.fake, { store });
    await Promise.all([first.receive("deployment_protection_rule", requested("staging")), second.receive("deployment_protection_rule", requested("staging"))]);
    expect(first.fake.deploymentAnswers).toHaveLength(1);
    expect(first.fake.deploymentAnswers[0]).toMatchObject({ environment: "staging", state: "approved" });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

const ANSWER_KEY = "deployment-answer:deployment:acme/shop:4242:production";
const REQUEST_KEY = "deployment-request:deployment:acme/shop:4242:production";

test("a claim left by an attempt that died is taken over after its lease, and the request answered once", async () => {
  const app = await createTestApp();
  seed(app);
  const died = new Date(Date.now() - 3 * 60_000).toISOString();
  await app.service.store.setBookkeeping({ key: ANSWER_KEY, value: `answering:${died}`, updatedAt: died });
  await app.receive("deployment_protection_rule", requested("production"));
  expect(app.fake.deploymentAnswers).toEqual([{ runId: 4242, environment: "production", state: "approved", comment: expect.stringContaining("production requires gold") }]);
  expect(app.logs.some((line) => line.msg === "deployment: the attempt that claimed this answer died; taking the claim over")).toBe(true);
  expect((await app.service.store.getBookkeeping(ANSWER_KEY))?.value).toBe("answered");
  // Answered: the durable copy of the request is gone.
  expect(await app.service.store.getBookkeeping(REQUEST_KEY)).toBeUndefined();
});

test("a live claim is never answered over; once it is stale, reconciliation answers the remembered request once", async () => {
  let clock = Date.parse("2026-12-01T10:00:00Z");
  const app = await createTestApp({}, undefined, { now: () => new Date(clock) });
  seed(app);
  const claimed = new Date(clock - 10_000).toISOString();
  await app.service.store.setBookkeeping({ key: ANSWER_KEY, value: `answering:${claimed}`, updatedAt: claimed });
  await app.receive("deployment_protection_rule", requested("production"));
  expect(app.fake.deploymentAnswers).toEqual([]);
  expect(app.fake.writes()).toEqual([]);
  // The request is on record, for whoever can answer it later.
  expect(JSON.parse((await app.service.store.getBookkeeping(REQUEST_KEY))!.value)).toMatchObject({ job: { subject: { kind: "deployment", runId: 4242, environment: "production", sha: DEPLOYED } } });

  // Within the lease reconciliation leaves it to the claim's holder.
  clock += 60_000;
  expect(await app.service.reconciler.runOnce()).toMatchObject({ queued: 0 });
  await app.service.idle();
  expect(app.fake.deploymentAnswers).toEqual([]);

  // The holder never answered: after the lease the next pass queues it, and it is answered once.
  clock += 2 * 60_000;
  expect(await app.service.reconciler.runOnce()).toMatchObject({ queued: 1 });
  await app.service.idle();
  expect(app.fake.deploymentAnswers).toMatchObject([{ runId: 4242, environment: "production", state: "approved" }]);
  expect(await app.service.store.getBookkeeping(REQUEST_KEY)).toBeUndefined();
  clock += 10 * 60_000;
  expect(await app.service.reconciler.runOnce()).toMatchObject({ queued: 0 });
  await app.service.idle();
  expect(app.fake.deploymentAnswers).toHaveLength(1);
});

test("a request whose job was lost with its process is answered by the next process's reconciliation", async () => {
  const dir = mkdtempSync(join(tmpdir(), "readiness-gate-"));
  const store = openSqliteStateStore(join(dir, "state.sqlite"));
  try {
    await store.migrate();
    // What the handler wrote before the process died with the job still in its in-memory queue.
    const requestedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    await rememberDeploymentRequest(store, {
      installationId: INSTALLATION_ID,
      repository: { owner: OWNER, repo: REPO },
      subject: { kind: "deployment", runId: 4242, environment: "production", callbackUrl: requested("production").deployment_callback_url, sha: DEPLOYED, ref: "main" },
      reason: "deployment_protection_rule.requested",
      requestedAt,
    });
    const restarted = await createTestApp({}, undefined, { store });
    seed(restarted);
    expect(await restarted.service.reconciler.runOnce()).toMatchObject({ queued: 1 });
    await restarted.service.idle();
    expect(restarted.fake.deploymentAnswers).toMatchObject([{ runId: 4242, environment: "production", state: "approved" }]);
    expect(await store.getBookkeeping(REQUEST_KEY)).toBeUndefined();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
