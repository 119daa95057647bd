import { afterEach, expect, test } from "@jest/globals";
import { APP_ID, APP_SLUG, BASE_SHA, HEAD_SHA, ORG_BASELINE_READS, checkRunEvent, createTestApp, examplePayload, pullRequestEvent, resetNock, statusEvent, yaml } from "../helpers/app.js";
import type { TestApp } from "../helpers/app.js";
import { parseMergeGroupRef } from "../../src/jobs/triggers.js";

afterEach(() => resetNock());

const GROUP_HEAD = "e".repeat(40);
const GROUP_BASE = "f".repeat(40);

function mergeGroupEvent(pullNumber: number, base = "main") {
  const payload = examplePayload("merge_group", "checks_requested");
  payload.merge_group.head_sha = GROUP_HEAD;
  payload.merge_group.base_sha = GROUP_BASE;
  payload.merge_group.base_ref = `refs/heads/${base}`;
  payload.merge_group.head_ref = `refs/heads/gh-readonly-queue/${base}/pr-${pullNumber}-${HEAD_SHA}`;
  return payload;
}

test("GitHub's merge-group branch names one pull request; bases with slashes survive", () => {
  expect(parseMergeGroupRef(`refs/heads/gh-readonly-queue/main/pr-104-${"9".repeat(40)}`)).toEqual({ base: "main", pullNumber: 104, pullHeadSha: "9".repeat(40) });
  expect(parseMergeGroupRef(`refs/heads/gh-readonly-queue/release/2.x/pr-5-${"a".repeat(40)}`)).toEqual({ base: "release/2.x", pullNumber: 5, pullHeadSha: "a".repeat(40) });
  expect(parseMergeGroupRef("refs/heads/main")).toBeNull();
  expect(parseMergeGroupRef("refs/heads/gh-readonly-queue/main/pr-x-123")).toBeNull();
});

test("checks_requested posts the queued pull request's verdict on the group's head commit only, without a comment", async () => {
  const app = await createTestApp();
  // The configuration of the commit the group merges into applies.
  app.fake.setFile(GROUP_BASE, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  app.fake.addPull({ number: 12 });
  app.fake.addReview(12, "bob", "APPROVED");
  await app.receive("merge_group", mergeGroupEvent(12));

  expect(app.fake.apiCalls()).toEqual([
    "GET /repos/acme/shop/pulls/12",
    `GET /repos/acme/shop/contents/.readiness.yml?ref=${GROUP_BASE}`,
    ...ORG_BASELINE_READS,
    "GET /repos/acme/shop/pulls/12/reviews?page=1&per_page=100",
    "GET /app",
    `GET /repos/acme/shop/commits/${GROUP_HEAD}/check-runs?check_name=readiness&filter=latest`,
    "POST /repos/acme/shop/check-runs",
  ]);
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([]);
  const [run] = app.fake.ownCheckRuns(GROUP_HEAD);
  expect(run).toMatchObject({ name: "readiness", conclusion: "success" });
  expect(run!.output.title).toMatch(/^#12: /);
  expect(run!.output.summary).toContain("pull request #12");
  expect(app.fake.comments.size).toBe(0);
});

test("a queued pull request that is not ready fails the group's check, naming the pull request", async () => {
  const app = await createTestApp();
  app.fake.setFile(GROUP_BASE, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 2"]));
  app.fake.addPull({ number: 12 });
  app.fake.addReview(12, "bob", "APPROVED");
  await app.receive("merge_group", mergeGroupEvent(12));

  const [run] = app.fake.ownCheckRuns(GROUP_HEAD);
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(run!.output.title).toMatch(/^#12: /);
});

test("no configuration at the group's base: no check, as for pull requests", async () => {
  const app = await createTestApp();
  app.fake.addPull({ number: 12 });
  await app.receive("merge_group", mergeGroupEvent(12));
  expect(app.fake.ownCheckRuns()).toEqual([]);
  expect(app.fake.writes()).toEqual([]);
});

test("a merge group whose branch names no pull request is left alone with a warning", async () => {
  const app = await createTestApp();
  const payload = mergeGroupEvent(12);
  payload.merge_group.head_ref = "refs/heads/some-other-queue/main";
  await app.receive("merge_group", payload);
  expect(app.fake.requests).toEqual([]);
  expect(app.logs.some((l) => l.level === 40 && /names a pull request|does not name/.test(l.msg))).toBe(true);
});

// ---------------------------------------------------------------------------------------------
// A group whose verdict waits for CI on the queued pull request's head

const TESTS_CONFIG = yaml(["rules:", "  tests:", '    checks: ["ci / test*"]']);
/** A CI check run on pull request 12's head completed. */
const checkRunCompleted = (name: string) => checkRunEvent("completed", { name, pulls: [{ number: 12, baseSha: BASE_SHA, headSha: HEAD_SHA }] });

/** Pull request 12 queued while "ci / test" has not reported on its head: the group's check waits. */
async function queuedWhileCiRuns(options: { pullConfig?: string | null } = {}): Promise<TestApp> {
  const app = await createTestApp();
  app.fake.setFile(GROUP_BASE, ".readiness.yml", TESTS_CONFIG);
  const pullConfig = options.pullConfig === undefined ? TESTS_CONFIG : options.pullConfig;
  if (pullConfig !== null) app.fake.setFile(BASE_SHA, ".readiness.yml", pullConfig);
  app.fake.addPull({ number: 12 });
  app.fake.setPullFiles(12, [{ filename: "src/cart.ts" }, { filename: "test/cart.test.ts" }]);
  await app.receive("merge_group", mergeGroupEvent(12));
  expect(app.fake.ownCheckRuns(GROUP_HEAD)).toEqual([expect.objectContaining({ status: "in_progress", conclusion: null })]);
  app.fake.clearRequests();
  return app;
}

const PULL_FACT_READS = [
  "GET /repos/acme/shop/pulls/12/files?page=1&per_page=100",
  `GET /repos/acme/shop/commits/${HEAD_SHA}/check-runs?filter=latest&page=1&per_page=100`,
  `GET /repos/acme/shop/commits/${HEAD_SHA}/status?page=1&per_page=100`,
];

test("the awaited check completing settles a pending group: its run is updated from the facts the pull request's evaluation read", async () => {
  const app = await queuedWhileCiRuns();
  const [groupRun] = app.fake.ownCheckRuns(GROUP_HEAD);
  app.fake.addCheckRun(HEAD_SHA, "ci / test", "success");
  await app.receive("check_run", checkRunCompleted("ci / test"));

  const calls = app.fake.apiCalls();
  // The pull request's own evaluation, exactly as without a queue (facts in parallel, in any order) ...
  expect(calls.slice(0, 2)).toEqual([`GET /repos/acme/shop/contents/.readiness.yml?ref=${BASE_SHA}`, "GET /repos/acme/shop/pulls/12"]);
  expect([...calls.slice(2, 5)].sort()).toEqual([...PULL_FACT_READS].sort());
  expect(calls.slice(5)).toEqual([
    `GET /repos/acme/shop/commits/${HEAD_SHA}/check-runs?check_name=readiness&filter=latest`,
    "POST /repos/acme/shop/check-runs",
    "GET /repos/acme/shop/issues/12/comments?page=1&per_page=100",
    // ... then one write on the group: no fact read twice, the group's configuration and run known.
    `PATCH /repos/acme/shop/check-runs/${groupRun!.id}`,
  ]);
  expect(app.fake.ownCheckRuns(GROUP_HEAD)).toEqual([expect.objectContaining({ id: groupRun!.id, status: "completed", conclusion: "success" })]);
  expect(app.fake.ownCheckRuns(GROUP_HEAD)[0]!.output.title).toMatch(/^#12: /);
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([expect.objectContaining({ conclusion: "success" })]);

  // Settled groups are forgotten: the next result on the head touches the pull request only.
  app.fake.clearRequests();
  await app.receive("check_run", checkRunCompleted("ci / test (node 22)"));
  expect(app.fake.apiCalls().filter((c) => c.includes(GROUP_HEAD) || c.includes(`/check-runs/${groupRun!.id}`))).toEqual([]);
});

test("an awaited commit status settles a pending group too, finding the pull request without a listing", async () => {
  const app = await queuedWhileCiRuns();
  app.fake.statuses.set(HEAD_SHA, [{ context: "ci / test", state: "failure", target_url: "https://ci.example/1", description: "1 failed" }]);
  await app.receive("status", statusEvent("ci / test", "failure"));

  expect(app.fake.apiCalls().filter((c) => c.includes("/pulls?"))).toEqual([]);
  expect(app.fake.ownCheckRuns(GROUP_HEAD)).toEqual([expect.objectContaining({ status: "completed", conclusion: "failure" })]);
});

test("a result the pull request's configuration does not wait for, but the group's does, settles the group alone", async () => {
  // The queue merges into a base that has since gained the configuration; the pull request's base has none.
  const app = await queuedWhileCiRuns({ pullConfig: null });
  const [groupRun] = app.fake.ownCheckRuns(GROUP_HEAD);
  app.fake.addCheckRun(HEAD_SHA, "ci / test", "success");
  await app.receive("check_run", checkRunCompleted("ci / test"));

  const calls = app.fake.apiCalls();
  // Whether the pull request's base waits for it: no configuration there, nor an organisation
  // baseline (known already: the group's configuration read it, for its locked rules).
  expect(calls.slice(0, 3)).toEqual([
    `GET /repos/acme/shop/contents/.readiness.yml?ref=${BASE_SHA}`,
    `GET /repos/acme/shop/contents/.github%2Freadiness.yml?ref=${BASE_SHA}`,
    "GET /repos/acme/shop/pulls/12",
  ]);
  // The group's CI (its files at these commits were read when it was queued), then one write on
  // the group; nothing on the pull request's head.
  expect([...calls.slice(3, 5)].sort()).toEqual([...PULL_FACT_READS.slice(1)].sort());
  expect(calls.slice(5)).toEqual([`PATCH /repos/acme/shop/check-runs/${groupRun!.id}`]);
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([]);
  expect(app.fake.ownCheckRuns(GROUP_HEAD)).toEqual([expect.objectContaining({ id: groupRun!.id, conclusion: "success" })]);
});

test("any evaluation of the pull request settles its pending group (a review, a label ...)", async () => {
  const app = await queuedWhileCiRuns();
  app.fake.addCheckRun(HEAD_SHA, "ci / test", "success");
  await app.receive("pull_request", pullRequestEvent("labeled", { number: 12, changedFiles: 2, labels: ["cart"] }));
  expect(app.fake.ownCheckRuns(GROUP_HEAD)).toEqual([expect.objectContaining({ conclusion: "success" })]);
});

test("a group still pending after an evaluation stays remembered until the awaited check completes", async () => {
  const app = await queuedWhileCiRuns();
  const [groupRun] = app.fake.ownCheckRuns(GROUP_HEAD);
  // Another awaited check finished; "ci / test" is still running.
  app.fake.addCheckRun(HEAD_SHA, "ci / test-unit", "success");
  const running = app.fake.addCheckRun(HEAD_SHA, "ci / test", null);
  await app.receive("check_run", checkRunCompleted("ci / test-unit"));
  expect(app.fake.ownCheckRuns(GROUP_HEAD)).toEqual([expect.objectContaining({ id: groupRun!.id, status: "in_progress" })]);

  // The same result delivered again changes nothing the group shows: no write on it.
  app.fake.clearRequests();
  await app.receive("check_run", checkRunCompleted("ci / test-unit"));
  expect(app.fake.writes()).toEqual([]);

  running.status = "completed";
  running.conclusion = "success";
  await app.receive("check_run", checkRunCompleted("ci / test"));
  expect(app.fake.ownCheckRuns(GROUP_HEAD)).toEqual([expect.objectContaining({ id: groupRun!.id, conclusion: "success" })]);
});

test("a pending group whose pull request has a new head is forgotten without a write (GitHub dequeues it)", async () => {
  const app = await queuedWhileCiRuns();
  const NEW_HEAD = "c".repeat(40);
  app.fake.pulls.get(12)!.head.sha = NEW_HEAD;
  app.fake.addCheckRun(NEW_HEAD, "ci / test", "success");
  await app.receive("pull_request", pullRequestEvent("synchronize", { number: 12, headSha: NEW_HEAD, changedFiles: 2 }));
  expect(app.fake.apiCalls().filter((c) => c.includes(GROUP_HEAD))).toEqual([]);
  expect(app.fake.ownCheckRuns(GROUP_HEAD)).toEqual([expect.objectContaining({ status: "in_progress" })]);
  expect(app.logs.some((l) => /pending merge group forgotten/.test(l.msg))).toBe(true);

  // Forgotten: a later result on the old head concerns no group.
  app.fake.clearRequests();
  await app.receive("check_run", checkRunCompleted("ci / test"));
  expect(app.fake.apiCalls().filter((c) => c.includes(GROUP_HEAD))).toEqual([]);
});

test("a group that was not pending: the pull request's evaluation makes exactly the requests it makes without a queue", async () => {
  /** The requests a CI result on pull request 12 costs, after a merge group was posted or not. */
  async function ciResultCost(queued: boolean): Promise<string[]> {
    const app = await createTestApp();
    app.fake.setFile(GROUP_BASE, ".readiness.yml", TESTS_CONFIG);
    app.fake.setFile(BASE_SHA, ".readiness.yml", TESTS_CONFIG);
    app.fake.addPull({ number: 12 });
    app.fake.setPullFiles(12, [{ filename: "src/cart.ts" }, { filename: "test/cart.test.ts" }]);
    app.fake.addCheckRun(HEAD_SHA, "ci / test", "success");
    // The same process history either way: the app slug is learnt before, not during, the measured event.
    await app.receive("pull_request", pullRequestEvent("opened", { number: 12, changedFiles: 2 }));
    if (queued) {
      await app.receive("merge_group", mergeGroupEvent(12));
      expect(app.fake.ownCheckRuns(GROUP_HEAD)).toEqual([expect.objectContaining({ conclusion: "success" })]);
    }
    app.fake.clearRequests();
    app.fake.addCheckRun(HEAD_SHA, "ci / test (node 22)", "success");
    await app.receive("check_run", checkRunCompleted("ci / test (node 22)"));
    const calls = app.fake.apiCalls();
    resetNock();
    return calls;
  }
  const withoutQueue = await ciResultCost(false);
  const withQueue = await ciResultCost(true);
  expect(withoutQueue.length).toBeGreaterThan(0);
  expect([...withQueue].sort()).toEqual([...withoutQueue].sort());
  expect(withQueue.filter((c) => c.includes(GROUP_HEAD))).toEqual([]);
});

test("re-running a pending group's check evaluates it against the group's base, which the payload does not carry", async () => {
  // The pull request's base would fail it (two approvals); the group's base waits for CI.
  const app = await queuedWhileCiRuns({ pullConfig: yaml(["rules:", "  reviews:", "    approvals: 2"]) });
  const payload = examplePayload("check_run", "rerequested");
  payload.check_run.name = "readiness";
  payload.check_run.app = { ...payload.check_run.app, id: APP_ID, slug: APP_SLUG };
  payload.check_run.head_sha = GROUP_HEAD;
  payload.check_run.check_suite.head_branch = `gh-readonly-queue/main/pr-12-${HEAD_SHA}`;
  payload.check_run.check_suite.head_sha = GROUP_HEAD;
  payload.check_run.pull_requests = [];
  await app.receive("check_run", payload);

  expect(app.fake.apiCalls().filter((c) => c.includes("/contents/"))).toEqual([]);
  expect(app.fake.apiCalls().filter((c) => c.includes("/reviews"))).toEqual([]);
  expect(app.fake.ownCheckRuns(GROUP_HEAD).at(-1)).toMatchObject({ status: "in_progress" });
});
