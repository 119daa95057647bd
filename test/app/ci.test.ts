import { afterEach, expect, test } from "@jest/globals";
import { APP_ID, BASE_SHA, HEAD_SHA, checkRunEvent, createTestApp, pullRequestEvent, resetNock, statusEvent, yaml } from "../helpers/app.js";
import type { TestApp } from "../helpers/app.js";

afterEach(() => resetNock());

const CONFIG = yaml(["rules:", "  tests:", '    checks: ["ci / test*"]']);
async function openedWithPendingCi(): Promise<TestApp> {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, [{ filename: "src/cart.ts" }, { filename: "test/cart.test.ts" }]);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 2 }));
  // No CI result yet: waiting, not failing.
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([expect.objectContaining({ status: "in_progress", conclusion: null })]);
  app.fake.clearRequests();
  return app;
}

test("a completed check no rule waits for is ignored without any request once the configuration is cached", async () => {
  const app = await openedWithPendingCi();
  await app.receive("check_run", checkRunEvent("completed", { name: "ci / lint" }));
  await app.receive("status", statusEvent("coverage/codecov", "success"));
  expect(app.fake.requests).toEqual([]);
});

test("the bot's own check run completing is ignored without any request, even with nothing cached", async () => {
  const app = await createTestApp();
  await app.receive("check_run", checkRunEvent("completed", { name: "readiness", app: { id: APP_ID, slug: "readiness-test" } }));
  expect(app.fake.requests).toEqual([]);
});

test("a pending commit status is ignored without any request", async () => {
  const app = await createTestApp();
  await app.receive("status", statusEvent("ci / test", "pending"));
  expect(app.fake.requests).toEqual([]);
});

test("the awaited check completing re-evaluates the pull request and settles the same check run", async () => {
  const app = await openedWithPendingCi();
  const [waiting] = app.fake.ownCheckRuns(HEAD_SHA);
  app.fake.addCheckRun(HEAD_SHA, "ci / test (node 20)", "success");
  await app.receive("check_run", checkRunEvent("completed", { name: "ci / test (node 20)" }));

  const calls = app.fake.apiCalls();
  expect(calls[0]).toBe("GET /repos/acme/shop/pulls/7");
  // Facts are gathered in parallel: their order among themselves is not part of the contract.
  // The files are known for these commits; that there is no comment to update is known from the
  // first evaluation's listing (none was written: the verdict never failed).
  expect([...calls].sort()).toEqual([
    "GET /repos/acme/shop/pulls/7",
    `GET /repos/acme/shop/commits/${HEAD_SHA}/check-runs?filter=latest&page=1&per_page=100`,
    `GET /repos/acme/shop/commits/${HEAD_SHA}/status?page=1&per_page=100`,
    `PATCH /repos/acme/shop/check-runs/${waiting!.id}`,
  ].sort());
  expect(calls.at(-1)).toBe(`PATCH /repos/acme/shop/check-runs/${waiting!.id}`);
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([expect.objectContaining({ id: waiting!.id, conclusion: "success" })]);
});

test("a failing awaited commit status fails the check", async () => {
  const app = await openedWithPendingCi();
  app.fake.statuses.set(HEAD_SHA, [{ context: "ci / test", state: "failure", target_url: "https://ci.example/1", description: "1 failed" }]);
  await app.receive("status", statusEvent("ci / test", "failure"));

  // The head commit is known from the pull_request event: no listing of open pull requests.
  expect(app.fake.apiCalls().filter((c) => c.includes("/pulls?"))).toEqual([]);
  expect(app.fake.ownCheckRuns(HEAD_SHA).at(-1)).toMatchObject({ conclusion: "failure" });
});

test("a fork's check run (no pull requests in the payload) finds the pull request by its head commit", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  app.fake.addPull({ number: 3, headSha: "c".repeat(40) });
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, [{ filename: "src/cart.ts" }, { filename: "test/cart.test.ts" }]);
  app.fake.addCheckRun(HEAD_SHA, "ci / test", "success");
  await app.receive("check_run", checkRunEvent("completed", { name: "ci / test", pulls: [] }));

  expect(app.fake.apiCalls().slice(0, 2)).toEqual([
    "GET /repos/acme/shop/pulls?per_page=100&state=open",
    `GET /repos/acme/shop/contents/.readiness.yml?ref=${BASE_SHA}`,
  ]);
  // The job reads the pull request once, as it is when the job runs.
  expect(app.fake.apiCalls().filter((c) => c === "GET /repos/acme/shop/pulls/7")).toHaveLength(1);
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([expect.objectContaining({ conclusion: "success" })]);
  expect(app.fake.ownCheckRuns("c".repeat(40))).toEqual([]);

  // A second CI result on that commit uses what the listing taught: no second listing.
  app.fake.clearRequests();
  await app.receive("status", statusEvent("ci / lint", "success"));
  expect(app.fake.requests).toEqual([]);
});

test("a check completing on an outdated head commit does not evaluate the pull request", async () => {
  const app = await openedWithPendingCi();
  const old = "d".repeat(40);
  await app.receive("check_run", checkRunEvent("completed", { name: "ci / test", headSha: old, pulls: [{ number: 7, baseSha: BASE_SHA, headSha: old }] }));
  // The pull request is fetched (its head is now HEAD_SHA), nothing is written.
  expect(app.fake.apiCalls()).toEqual(["GET /repos/acme/shop/pulls/7"]);
});
