/**
 * Handlers decide from the payload and enqueue: for every event kind the app handles, a delivery
 * makes no request at all (nock allows no connection and has no interceptor, so any request fails
 * the delivery) and leaves exactly the job expected. What takes a read is the runner's
 * (test/app/resolve.test.ts).
 */
import { afterEach, beforeAll, expect, test } from "@jest/globals";
import { Writable } from "node:stream";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { readinessApp } from "../../src/index.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import type { EvaluationJob, Subject } from "../../src/jobs/types.js";
import { APP_ID, BASE_SHA, HEAD_SHA, checkRunEvent, examplePayload, pullRequestEvent, resetNock, reviewEvent, statusEvent, throwawayPrivateKey } from "../helpers/app.js";

type Json = Record<string, any>;

let privateKey: string;
beforeAll(() => {
  privateKey = throwawayPrivateKey();
});
afterEach(() => resetNock());

/** Records what is enqueued; never runs anything. */
class RecordingQueue implements JobQueue {
  readonly jobs: EvaluationJob[] = [];
  async enqueue(job: EvaluationJob): Promise<void> {
    this.jobs.push(job);
  }
  async start(): Promise<void> {}
  async stop(): Promise<readonly EvaluationJob[]> {
    return [];
  }
  async idle(): Promise<void> {}
}

/** No retries: a request fails the delivery at once. */
const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object | undefined), enabled: false },
}));

function quietProbot(): Probot {
  return new Probot({ appId: APP_ID, privateKey, Octokit, log: pino({ level: "silent" }, new Writable({ write: (_c, _e, done) => done() })) });
}

async function deliver(name: string, payload: Json): Promise<EvaluationJob[]> {
  nock.disableNetConnect();
  const queue = new RecordingQueue();
  const probot = quietProbot();
  await probot.load(readinessApp({ checkName: "readiness", fingerprintKey: "k", appId: APP_ID }, { queue }));
  await probot.receive({ id: "delivery-1", name, payload } as Parameters<Probot["receive"]>[0]);
  return queue.jobs;
}

const GROUP_HEAD = "e".repeat(40);
const NEW_BASE = "9".repeat(40);

function pushEvent(modified: string[], ref = "refs/heads/main"): Json {
  const payload = examplePayload("push", undefined, (e) => Array.isArray(e.commits) && e.commits.length > 0);
  payload.ref = ref;
  payload.after = NEW_BASE;
  payload.deleted = false;
  payload.repository.default_branch = "main";
  payload.commits = [{ ...payload.commits[0], added: [], modified, removed: [] }];
  return payload;
}

function mergeGroupEvent(): Json {
  const payload = examplePayload("merge_group", "checks_requested");
  payload.merge_group.head_sha = GROUP_HEAD;
  payload.merge_group.base_sha = NEW_BASE;
  payload.merge_group.head_ref = `refs/heads/gh-readonly-queue/main/pr-12-${HEAD_SHA}`;
  return payload;
}

function ownRerun(headBranch: string, headSha = HEAD_SHA): Json {
  const payload = checkRunEvent("rerequested", { name: "readiness", headSha, app: { id: APP_ID, slug: "readiness-test" }, pulls: headBranch === "feature/cart" ? undefined : [] });
  payload.check_run.check_suite.head_branch = headBranch;
  return payload;
}

function ownSuiteRerun(): Json {
  const payload = examplePayload("check_suite", "rerequested");
  payload.check_suite.app = { ...payload.check_suite.app, id: APP_ID };
  payload.check_suite.head_sha = HEAD_SHA;
  payload.check_suite.head_branch = "feature/cart";
  payload.check_suite.pull_requests = [];
  return payload;
}

/** A check run whose payload also lists a pull request of another repository sharing the commit. */
function checkRunListingAFork(): Json {
  const payload = checkRunEvent("completed", { name: "ci / test", pulls: [{ number: 7, baseSha: BASE_SHA, headSha: HEAD_SHA }, { number: 99, baseSha: BASE_SHA, headSha: HEAD_SHA }] });
  payload.check_run.pull_requests[1].base.repo = { ...payload.check_run.pull_requests[1].base.repo, id: 1 };
  return payload;
}

const cases: [string, string, () => Json, readonly Subject[], { reason?: string; forceCheckWrite?: boolean }?][] = [
  ["pull_request.opened", "pull_request", () => pullRequestEvent("opened", { number: 7 }), [{ kind: "pull", number: 7, headSha: HEAD_SHA }]],
  ["pull_request_review.submitted", "pull_request_review", () => reviewEvent("submitted", { user: "bob", state: "approved" }, { number: 7 }), [{ kind: "pull", number: 7, headSha: HEAD_SHA }]],
  ["check_run.completed (pull requests listed)", "check_run", checkRunListingAFork, [{ kind: "ci-result", headSha: HEAD_SHA, checkName: "ci / test", pulls: [{ number: 7, baseSha: BASE_SHA }] }]],
  ["check_run.completed (a fork's: none listed)", "check_run", () => checkRunEvent("completed", { name: "ci / test", pulls: [] }), [{ kind: "ci-result", headSha: HEAD_SHA, checkName: "ci / test", pulls: [] }]],
  ["check_run.completed (the bot's own)", "check_run", () => checkRunEvent("completed", { name: "readiness", app: { id: APP_ID, slug: "readiness-test" } }), []],
  ["status (final)", "status", () => statusEvent("ci / test", "failure"), [{ kind: "ci-result", headSha: HEAD_SHA, checkName: "ci / test", pulls: [] }]],
  ["status (pending)", "status", () => statusEvent("ci / test", "pending"), []],
  [
    "check_run.rerequested (the bot's own)",
    "check_run",
    () => ownRerun("feature/cart"),
    [{ kind: "rerun", headSha: HEAD_SHA, headBranch: "feature/cart", mergeGroup: null, pulls: [{ number: 7, baseSha: BASE_SHA }] }],
    { forceCheckWrite: true },
  ],
  [
    "check_run.rerequested (on a merge group's branch)",
    "check_run",
    () => ownRerun(`gh-readonly-queue/main/pr-12-${HEAD_SHA}`, GROUP_HEAD),
    [{ kind: "rerun", headSha: GROUP_HEAD, headBranch: `gh-readonly-queue/main/pr-12-${HEAD_SHA}`, mergeGroup: { base: "main", pullNumber: 12, pullHeadSha: HEAD_SHA }, pulls: [] }],
    { forceCheckWrite: true },
  ],
  ["check_run.rerequested (another app's)", "check_run", () => checkRunEvent("rerequested", { name: "ci / test" }), []],
  ["check_suite.rerequested", "check_suite", ownSuiteRerun, [{ kind: "rerun", headSha: HEAD_SHA, headBranch: "feature/cart", mergeGroup: null, pulls: [] }], { forceCheckWrite: true }],
  [
    "merge_group.checks_requested",
    "merge_group",
    mergeGroupEvent,
    [{ kind: "merge-group", headSha: GROUP_HEAD, baseSha: NEW_BASE, base: "main", pullNumber: 12, pullHeadSha: HEAD_SHA }],
  ],
  [
    "push (configuration changed on the default branch)",
    "push",
    () => pushEvent([".readiness.yml"]),
    [
      { kind: "branch", branch: "main", sha: NEW_BASE },
      { kind: "base-push", branch: "main", sha: NEW_BASE },
    ],
  ],
  ["push (other files on the default branch: its scorecard)", "push", () => pushEvent(["src/cart.ts"]), [{ kind: "branch", branch: "main", sha: NEW_BASE }], { reason: "push" }],
  ["push (another branch)", "push", () => pushEvent([".readiness.yml"], "refs/heads/feature"), []],
];

test.each(cases)("%s: no request, exactly the job expected", async (_title, name, payload, subjects, options = {}) => {
  const jobs = await deliver(name, payload());
  expect(jobs.map((job) => job.subject)).toEqual(subjects);
  for (const job of jobs) {
    expect(job).toMatchObject({ installationId: expect.any(Number), repository: { owner: expect.any(String), repo: expect.any(String) }, deliveryId: "delivery-1" });
    expect(job.forceCheckWrite ?? false).toBe(options.forceCheckWrite ?? false);
    if (options.reason) expect(job.reason).toBe(options.reason);
    // Jobs cross processes as JSON.
    expect(JSON.parse(JSON.stringify(job))).toEqual(job);
  }
});

test("a request from a handler would fail the delivery (the guard above can fail)", async () => {
  nock.disableNetConnect();
  const probot = quietProbot();
  await probot.load((app) => {
    app.on("status", async (context) => {
      await context.octokit.request("GET /repos/{owner}/{repo}", context.repo());
    });
  });
  await expect(probot.receive({ id: "d", name: "status", payload: statusEvent("ci / test", "success") } as Parameters<Probot["receive"]>[0])).rejects.toThrow();
});
