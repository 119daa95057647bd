import { afterEach, beforeEach, expect, test } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import nock from "nock";
import { MemoryStateStore } from "../../src/state/memory.js";
import { Reconciler, reconcileMinutesFromEnv } from "../../src/jobs/reconcile.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import type { EvaluationJob } from "../../src/jobs/types.js";

const API = "https://api.github.com";
const APP_ID = 4242;
const sha = (c: string) => c.repeat(40);

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

class CollectingQueue implements JobQueue {
  readonly jobs: EvaluationJob[] = [];
  async enqueue(job: EvaluationJob) {
    this.jobs.push(job);
  }
  async start() {}
  async stop() {
    return [];
  }
  async idle() {}
}

function setup(store = new MemoryStateStore()) {
  const queue = new CollectingQueue();
  const lines: { msg: string; obj: object }[] = [];
  const log = { info: (obj: object, msg = "") => lines.push({ obj, msg }), warn: (obj: object, msg = "") => lines.push({ obj, msg }) };
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const client = async () => new Octokit({ auth: "token", baseUrl: API, log: quiet });
  const reconciler = new Reconciler({ appClient: client, installationClient: client, queue, store, checkName: "readiness", appId: APP_ID, log, now: () => new Date("2026-01-01T00:00:00Z") });
  return { queue, store, lines, reconciler };
}

const run = (name: string, status: string, appId = APP_ID) => ({ id: 1, name, status, conclusion: status === "completed" ? "success" : null, app: { id: appId } });
const plenty = { "x-ratelimit-remaining": "4000" };

/** Two pages of pull requests: #1 with our completed run, #2 in progress, #3 with none (another app's only). */
function listings(etags = true) {
  const etag = (value: string): Record<string, string> => (etags ? { etag: value } : {});
  nock(API).get("/app/installations").query(true).reply(200, [{ id: 31337 }], { ...plenty, ...etag('"inst"') });
  nock(API).get("/installation/repositories").query(true).reply(200, { total_count: 1, repositories: [{ name: "shop", owner: { login: "acme" } }, { name: "old", owner: { login: "acme" }, archived: true }] }, { ...plenty, ...etag('"repos"') });
  nock(API)
    .get("/repos/acme/shop/pulls")
    .query((q) => q.page === "1")
    .reply(200, [{ number: 1, head: { sha: sha("1") } }, { number: 2, head: { sha: sha("2") } }], {
      ...plenty,
      ...etag('"pulls-1"'),
      link: `<${API}/repos/acme/shop/pulls?state=open&per_page=100&page=2>; rel="next"`,
    });
  nock(API).get("/repos/acme/shop/pulls").query((q) => q.page === "2").reply(200, [{ number: 3, head: { sha: sha("3") } }], { ...plenty, ...etag('"pulls-2"') });
}

function checkRuns() {
  const runs: Record<string, unknown[]> = { [sha("1")]: [run("readiness", "completed")], [sha("2")]: [run("readiness", "in_progress")], [sha("3")]: [run("readiness", "completed", 15368)] };
  for (const [head, list] of Object.entries(runs)) {
    nock(API)
      .get(`/repos/acme/shop/commits/${head}/check-runs`)
      .query({ check_name: "readiness", filter: "latest", app_id: String(APP_ID) })
      .reply(200, { total_count: list.length, check_runs: list }, plenty);
  }
}

test("READINESS_RECONCILE_MINUTES: default 10, 0 turns it off, anything else is a clear error", () => {
  expect(reconcileMinutesFromEnv({})).toBe(10);
  expect(reconcileMinutesFromEnv({ READINESS_RECONCILE_MINUTES: "0" })).toBe(0);
  expect(() => reconcileMinutesFromEnv({ READINESS_RECONCILE_MINUTES: "-1" })).toThrow(/READINESS_RECONCILE_MINUTES must be a whole number of at least 0, got "-1"/);
});

test("queues every open pull request whose head has no completed check run of this app, across pages", async () => {
  const { queue, reconciler } = setup();
  listings();
  checkRuns();
  const report = await reconciler.runOnce();
  expect(queue.jobs).toEqual([
    { installationId: 31337, repository: { owner: "acme", repo: "shop" }, subject: { kind: "pull", number: 2, headSha: sha("2") }, reason: "reconcile", requestedAt: "2026-01-01T00:00:00.000Z" },
    { installationId: 31337, repository: { owner: "acme", repo: "shop" }, subject: { kind: "pull", number: 3, headSha: sha("3") }, reason: "reconcile", requestedAt: "2026-01-01T00:00:00.000Z" },
  ]);
  expect(report).toEqual({ installations: 1, repositories: 1, pulls: 3, queued: 2, notModified: 0 });
  expect(nock.isDone()).toBe(true);
});

test("the next pass asks with the stored ETags; unchanged pages (304) are served from bookkeeping", async () => {
  const { queue, reconciler } = setup();
  listings();
  checkRuns();
  await reconciler.runOnce();
  queue.jobs.length = 0;

  const conditional = (etag: string) => ({ reqheaders: { "if-none-match": etag } });
  nock(API, conditional('"inst"')).get("/app/installations").query(true).reply(304, "");
  nock(API, conditional('"repos"')).get("/installation/repositories").query(true).reply(304, "");
  nock(API, conditional('"pulls-1"')).get("/repos/acme/shop/pulls").query((q) => q.page === "1").reply(304, "");
  nock(API, conditional('"pulls-2"')).get("/repos/acme/shop/pulls").query((q) => q.page === "2").reply(304, "");
  checkRuns();
  const report = await reconciler.runOnce();
  expect(report).toMatchObject({ pulls: 3, queued: 2, notModified: 4 });
  expect(queue.jobs.map((j) => (j.subject.kind === "pull" ? j.subject.number : 0))).toEqual([2, 3]);
  expect(nock.isDone()).toBe(true);
});

test("a recorded verdict at the head needs no check-run lookup; a recorded failure is queued again", async () => {
  const store = new MemoryStateStore();
  const base = { installationId: 31337, owner: "acme", repo: "shop", subjectKind: "pull" as const, levelReached: null, levelRequired: null, rules: [], reason: "x", durationMs: 1, apiRequests: 1, evaluatedAt: "2025-12-31T00:00:00.000Z" };
  await store.recordEvaluation({ ...base, subjectKey: "pull:acme/shop#1", headSha: sha("1"), outcome: "success" });
  await store.recordEvaluation({ ...base, subjectKey: "pull:acme/shop#2", headSha: sha("2"), outcome: "error", error: "GitHub kept failing" });
  const { queue, reconciler } = setup(store);
  listings();
  nock(API).get(`/repos/acme/shop/commits/${sha("3")}/check-runs`).query(true).reply(200, { total_count: 0, check_runs: [] }, plenty);
  await reconciler.runOnce();
  expect(queue.jobs.map((j) => (j.subject.kind === "pull" ? j.subject.number : 0))).toEqual([2, 3]);
  expect(nock.isDone()).toBe(true);
});

test("stops politely when the rate limit runs low, logging how far it got", async () => {
  const { queue, lines, reconciler } = setup();
  nock(API).get("/app/installations").query(true).reply(200, [{ id: 31337 }], plenty);
  nock(API).get("/installation/repositories").query(true).reply(200, { repositories: [{ name: "shop", owner: { login: "acme" } }] }, { "x-ratelimit-remaining": "12" });
  const report = await reconciler.runOnce();
  expect(report).toEqual({ installations: 1, repositories: 0, pulls: 0, queued: 0, notModified: 0, stopped: "rate limit low (12 requests remaining)" });
  expect(queue.jobs).toEqual([]);
  expect(lines.at(-1)!.msg).toBe("reconcile: stopped early, the rate limit is low; the next pass continues");
});

test("a failing pass is logged, not thrown", async () => {
  const { lines, reconciler } = setup();
  nock(API).get("/app/installations").query(true).reply(500, { message: "boom" });
  await expect(reconciler.runOnce()).resolves.toMatchObject({ stopped: "failed" });
  expect(lines.at(-1)!.msg).toBe("reconcile: pass failed; the next pass tries again");
});
