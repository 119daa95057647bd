/**
 * The runner resolves what handlers enqueue without reading: a CI result and a push to the
 * default branch become evaluations of exactly the pull requests they concern, queued as jobs of
 * their own.
 */
import { afterEach, expect, test } from "@jest/globals";
import { BASE_SHA, HEAD_SHA, checkRunEvent, createTestApp, examplePayload, resetNock, statusEvent, yaml } from "../helpers/app.js";

afterEach(() => resetNock());

const AWAITS_CI = yaml(["rules:", "  tests:", '    checks: ["ci / test*"]']);
const REVIEWS_ONLY = yaml(["rules:", "  reviews:", "    approvals: 1"]);
const OTHER_BASE = "c".repeat(40);
const OTHER_HEAD = "d".repeat(40);
const NEW_BASE = "9".repeat(40);

/** The pull requests with an evaluation on record, by number. */
async function evaluated(app: Awaited<ReturnType<typeof createTestApp>>, numbers: readonly number[]): Promise<number[]> {
  const found: number[] = [];
  for (const n of numbers) if (await app.service.store.latestEvaluation(`pull:acme/shop#${n}`)) found.push(n);
  return found;
}

async function threePulls() {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", AWAITS_CI);
  app.fake.setFile(OTHER_BASE, ".readiness.yml", REVIEWS_ONLY);
  // #7 and #8 share the head; only #7's base waits for CI. #9 has another head.
  app.fake.addPull({ number: 7 });
  app.fake.addPull({ number: 8, baseSha: OTHER_BASE });
  app.fake.addPull({ number: 9, headSha: OTHER_HEAD });
  for (const n of [7, 8, 9]) app.fake.setPullFiles(n, [{ filename: "src/cart.ts" }, { filename: "test/cart.test.ts" }]);
  app.fake.addCheckRun(HEAD_SHA, "ci / test", "success");
  return app;
}

test("a CI result found by its head commit evaluates exactly the pull requests with that head whose configuration waits for it", async () => {
  const app = await threePulls();
  await app.receive("status", statusEvent("ci / test", "success"));
  expect(await evaluated(app, [7, 8, 9])).toEqual([7]);
  expect(await app.service.store.latestEvaluation("pull:acme/shop#7")).toMatchObject({ headSha: HEAD_SHA, reason: "status", outcome: "success" });
  // One listing finds them.
  expect(app.fake.apiCalls().filter((c) => c.startsWith("GET /repos/acme/shop/pulls?"))).toEqual(["GET /repos/acme/shop/pulls?per_page=100&state=open"]);
});

test("a CI result whose payload lists its pull requests evaluates those only, without a listing", async () => {
  const app = await threePulls();
  await app.receive("check_run", checkRunEvent("completed", { name: "ci / test (node 20)", pulls: [{ number: 7, baseSha: BASE_SHA, headSha: HEAD_SHA }] }));
  expect(await evaluated(app, [7, 8, 9])).toEqual([7]);
  expect(app.fake.apiCalls().filter((c) => c.includes("/pulls?"))).toEqual([]);
});

test("a CI result no configuration waits for evaluates nothing", async () => {
  const app = await threePulls();
  await app.receive("status", statusEvent("lint", "success"));
  expect(await evaluated(app, [7, 8, 9])).toEqual([]);
  expect(app.fake.writes()).toEqual([]);
});

test("a push changing the default branch's configuration evaluates exactly its open pull requests, against the pushed commit", async () => {
  const app = await createTestApp();
  app.fake.setFile(NEW_BASE, ".readiness.yml", REVIEWS_ONLY);
  app.fake.addPull({ number: 7 });
  app.fake.addPull({ number: 8, headSha: OTHER_HEAD });
  app.fake.addPull({ number: 9, headSha: "1".repeat(40), baseRef: "release" });
  app.fake.addPull({ number: 10, headSha: "2".repeat(40) }).state = "closed";
  const payload = examplePayload("push", undefined, (e) => Array.isArray(e.commits) && e.commits.length > 0);
  Object.assign(payload, { ref: "refs/heads/main", after: NEW_BASE, deleted: false });
  payload.repository.default_branch = "main";
  payload.commits = [{ ...payload.commits[0], added: [], modified: [".readiness.yml"], removed: [] }];
  await app.receive("push", payload);

  expect(await evaluated(app, [7, 8, 9, 10])).toEqual([7, 8]);
  for (const n of [7, 8]) expect(await app.service.store.latestEvaluation(`pull:acme/shop#${n}`)).toMatchObject({ baseSha: NEW_BASE, reason: "push-fanout" });
});

test("a trigger that cannot be resolved is retried, then given up without a record or a check run (reconciliation finds its pull requests)", async () => {
  const app = await threePulls();
  app.fake.failures.set("/repos/acme/shop/pulls", 502);
  await app.receive("status", statusEvent("ci / test", "success"));
  expect(app.fake.apiCalls().filter((c) => c.startsWith("GET /repos/acme/shop/pulls?"))).toHaveLength(2);
  expect(await evaluated(app, [7, 8, 9])).toEqual([]);
  expect(app.fake.writes()).toEqual([]);
  expect(app.logs.some((line) => /gave up after 2 attempts/.test(line.msg) && line.subject === `ci-result:acme/shop@${HEAD_SHA}:ci / test`)).toBe(true);
});
