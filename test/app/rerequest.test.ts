import { afterEach, expect, test } from "@jest/globals";
import { APP_ID, APP_SLUG, BASE_SHA, HEAD_SHA, createTestApp, examplePayload, pullRequestEvent, resetNock, yaml } from "../helpers/app.js";
import type { TestApp } from "../helpers/app.js";

afterEach(() => resetNock());

const OURS = { id: APP_ID, slug: APP_SLUG };

function pullRefs(payload: Record<string, any>, headSha: string) {
  const repoRef = { id: payload.repository.id, url: "", name: payload.repository.name };
  return [{ url: "", id: 1007, number: 7, head: { ref: "feature/cart", sha: headSha, repo: repoRef }, base: { ref: "main", sha: BASE_SHA, repo: repoRef } }];
}

function checkRunRerequested(options: { name?: string; app?: { id: number; slug: string }; headSha?: string; headBranch?: string; pulls?: boolean } = {}) {
  const payload = examplePayload("check_run", "rerequested");
  const headSha = options.headSha ?? HEAD_SHA;
  payload.check_run.name = options.name ?? "readiness";
  payload.check_run.app = { ...payload.check_run.app, ...(options.app ?? OURS) };
  payload.check_run.head_sha = headSha;
  payload.check_run.check_suite.head_branch = options.headBranch ?? "feature/cart";
  payload.check_run.check_suite.head_sha = headSha;
  payload.check_run.pull_requests = options.pulls === false ? [] : pullRefs(payload, headSha);
  return payload;
}

function checkSuiteRerequested(app = OURS) {
  const payload = examplePayload("check_suite", "rerequested");
  payload.check_suite.app = { ...payload.check_suite.app, ...app };
  payload.check_suite.head_sha = HEAD_SHA;
  payload.check_suite.head_branch = "feature/cart";
  payload.check_suite.pull_requests = pullRefs(payload, HEAD_SHA);
  return payload;
}

async function evaluatedOnce(): Promise<TestApp> {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  app.fake.addPull({ number: 7 });
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7 }));
  app.fake.clearRequests();
  return app;
}

test("check_run.rerequested on our check posts a fresh verdict on the same run, even when unchanged", async () => {
  const app = await evaluatedOnce();
  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  await app.receive("check_run", checkRunRerequested());

  expect(app.fake.apiCalls()).toEqual([
    "GET /repos/acme/shop/pulls/7",
    "GET /repos/acme/shop/pulls/7/reviews?page=1&per_page=100",
    `PATCH /repos/acme/shop/check-runs/${run!.id}`,
  ]);
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toHaveLength(1);
});

test("check_suite.rerequested on our suite re-evaluates its pull requests", async () => {
  const app = await evaluatedOnce();
  await app.receive("check_suite", checkSuiteRerequested());
  expect(app.fake.writes().map((w) => w.method + " " + w.path)).toEqual([`PATCH /repos/acme/shop/check-runs/${app.fake.ownCheckRuns(HEAD_SHA)[0]!.id}`]);
});

test("re-run requests for other apps' checks and suites are ignored without any request", async () => {
  const app = await createTestApp();
  await app.receive("check_run", checkRunRerequested({ name: "ci / test", app: { id: 15368, slug: "github-actions" } }));
  await app.receive("check_suite", checkSuiteRerequested({ id: 15368, slug: "github-actions" }));
  expect(app.fake.requests).toEqual([]);
});

test("a re-run of the check on a merge group's commit re-posts the queued pull request's verdict there", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  app.fake.addPull({ number: 12 });
  const groupHead = "e".repeat(40);
  const groupBranch = `gh-readonly-queue/main/pr-12-${HEAD_SHA}`;
  app.fake.branches.set(groupBranch, groupHead);
  await app.receive("check_run", checkRunRerequested({ headSha: groupHead, headBranch: groupBranch, pulls: false }));

  expect(app.fake.apiCalls().slice(0, 2)).toEqual([`GET /repos/acme/shop/git/ref/${encodeURIComponent(`heads/${groupBranch}`)}`, "GET /repos/acme/shop/pulls/12"]);
  expect(app.fake.ownCheckRuns(groupHead)).toEqual([expect.objectContaining({ conclusion: "failure" })]);
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([]);
  expect(app.fake.comments.size).toBe(0);
});

test("a branch merely named like a merge group (e.g. from a fork) does not borrow the queued pull request's verdict", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  // #12 is ready: one approval on its head.
  app.fake.addPull({ number: 12 });
  app.fake.addReview(12, "reviewer", "APPROVED", HEAD_SHA);
  // #20 comes from a branch named after a queue entry of #12, at another commit, with no approval.
  const attackerHead = "c".repeat(40);
  app.fake.addPull({ number: 20, headRef: `gh-readonly-queue/main/pr-12-${HEAD_SHA}`, headSha: attackerHead });
  await app.receive("check_suite", {
    ...checkSuiteRerequested(),
    check_suite: { ...checkSuiteRerequested().check_suite, head_sha: attackerHead, head_branch: `gh-readonly-queue/main/pr-12-${HEAD_SHA}`, pull_requests: [] },
  });

  const runs = app.fake.ownCheckRuns(attackerHead);
  expect(runs).toEqual([expect.objectContaining({ conclusion: "failure" })]);
  expect(runs[0]!.output.title).not.toMatch(/^#12/);
  expect(app.fake.apiCalls()).not.toContain("GET /repos/acme/shop/pulls/12");
});
