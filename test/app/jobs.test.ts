/**
 * The job boundary seen from outside: events queue jobs, the runner evaluates the pull request as
 * it is when the job runs, records every evaluation, and a job that gives up leaves a completed
 * check run that says so.
 */
import { afterEach, expect, test } from "@jest/globals";
import { BASE_SHA, HEAD_SHA, FakeGitHub, createTestApp, pullRequestEvent, resetNock, reviewEvent, yaml } from "../helpers/app.js";
import { MemoryStateStore } from "../../src/state/memory.js";
import type { Probot } from "probot";

afterEach(() => resetNock());

const CONFIG = yaml(["rules:", "  reviews:", "    approvals: 1"]);

test("an evaluation is recorded: outcome, levels, rule statuses, reason, delivery id and API requests", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  app.fake.addPull({ number: 7 });
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7 }));
  const record = await app.service.store.latestEvaluation("pull:acme/shop#7");
  expect(record).toMatchObject({
    installationId: 31337,
    owner: "acme",
    repo: "shop",
    subjectKind: "pull",
    headSha: HEAD_SHA,
    baseSha: BASE_SHA,
    outcome: "failure",
    levelReached: null,
    levelRequired: "gold",
    rules: [{ id: "reviews", level: "bronze", blocking: true, status: "fail" }],
    reason: "pull_request.opened",
    deliveryId: "delivery-1",
  });
  expect(record!.apiRequests).toBe(app.fake.apiCalls().length);
});

test("a burst of events for one pull request gives one check run and one comment, at its newest head", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  const newest = "e".repeat(40);
  app.fake.addPull({ number: 7, headSha: newest });
  const deliver = (action: string, id: number) =>
    app.probot.receive({ id: `burst-${id}`, name: "pull_request", payload: pullRequestEvent(action, { number: 7 }) } as Parameters<Probot["receive"]>[0]);
  await Promise.all([deliver("opened", 1), deliver("labeled", 2), deliver("labeled", 3), deliver("synchronize", 4)]);
  await app.service.idle();
  // The events named HEAD_SHA; the pull request's head is now `newest`.
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([]);
  expect(app.fake.ownCheckRuns(newest)).toHaveLength(1);
  expect(app.fake.ownComments(7)).toHaveLength(1);
  // Coalesced: at most the job that started plus the newest one that waited.
  expect(app.fake.apiCalls().filter((c) => c === "GET /repos/acme/shop/pulls/7").length).toBeLessThanOrEqual(2);
});

test("a closed pull request is not evaluated", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  app.fake.addPull({ number: 7 }).state = "closed";
  await app.receive("pull_request", pullRequestEvent("labeled", { number: 7 }));
  expect(app.fake.apiCalls()).toEqual(["GET /repos/acme/shop/pulls/7"]);
  expect(await app.service.store.latestEvaluation("pull:acme/shop#7")).toBeUndefined();
});

test("a job that gives up completes the check run with an explanation; the next success replaces it in place", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  app.fake.addPull({ number: 7 });
  app.fake.failures.set("/repos/acme/shop/pulls/7", 503);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7 }));

  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
  expect(run!.output.title).toBe("Could not evaluate: retrying automatically");
  expect(run!.output.summary).toContain("GitHub kept failing (HTTP 503, 2 attempts)");
  expect(run!.output.summary).toContain("Re-run");
  expect(app.fake.ownComments(7)).toEqual([]);
  expect(await app.service.store.latestEvaluation("pull:acme/shop#7")).toMatchObject({ outcome: "error", headSha: HEAD_SHA });

  app.fake.failures.delete("/repos/acme/shop/pulls/7");
  app.fake.addReview(7, "bob", "APPROVED");
  await app.receive("pull_request", pullRequestEvent("synchronize", { number: 7 }));
  const runs = app.fake.ownCheckRuns(HEAD_SHA);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ id: run!.id, conclusion: "success" });
});

test("a pull request whose webhook never came gets its verdict from reconciliation, once", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  app.fake.addPull({ number: 7 });
  const first = await app.service.reconciler.runOnce();
  await app.service.idle();
  expect(first).toMatchObject({ installations: 1, repositories: 1, pulls: 1, queued: 1 });
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([expect.objectContaining({ conclusion: "failure" })]);
  expect(await app.service.store.latestEvaluation("pull:acme/shop#7")).toMatchObject({ reason: "reconcile", outcome: "failure" });
  // The verdict is on record at that head: the next pass queues nothing.
  const second = await app.service.reconciler.runOnce();
  expect(second).toMatchObject({ pulls: 1, queued: 0 });
});

test("stop: the job in flight finishes within the grace, later events are refused and logged", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  app.fake.addPull({ number: 7 });
  await app.probot.receive({ id: "d-1", name: "pull_request", payload: pullRequestEvent("opened", { number: 7 }) } as Parameters<Probot["receive"]>[0]);
  const handedBack = await app.service.stop(60_000);
  expect(handedBack).toEqual([]);
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toHaveLength(1);
  expect(app.logs.some((line) => line.msg === "stopped: every job in flight finished")).toBe(true);
  await app.probot.receive({ id: "d-2", name: "pull_request", payload: pullRequestEvent("labeled", { number: 7 }) } as Parameters<Probot["receive"]>[0]);
  expect(app.logs.some((line) => line.msg === "job refused: the queue is stopping" && line.deliveryId === "d-2")).toBe(true);
});

test("a second process sharing the state store updates the same check run and comment without listing them", async () => {
  const store = new MemoryStateStore();
  const fake = new FakeGitHub();
  const first = await createTestApp({}, fake, { store });
  fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  fake.addPull({ number: 7 });
  await first.receive("pull_request", pullRequestEvent("opened", { number: 7 }));
  const [run] = fake.ownCheckRuns(HEAD_SHA);
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(fake.ownComments(7)).toHaveLength(1);

  // Another process (no in-process cache) with the same store; the verdict changes.
  const second = await createTestApp({}, fake, { store });
  fake.addReview(7, "bob", "APPROVED");
  const before = fake.apiCalls().length;
  await second.receive("pull_request_review", reviewEvent("submitted", { user: "bob", state: "approved" }, { number: 7 }));
  const calls = fake.apiCalls().slice(before);
  expect(calls.filter((c) => /check-runs\?.*check_name=readiness/.test(c) || /GET \/repos\/acme\/shop\/issues\/7\/comments/.test(c))).toEqual([]);
  expect(calls).toContain(`PATCH /repos/acme/shop/check-runs/${run!.id}`);
  expect(fake.ownCheckRuns(HEAD_SHA)).toEqual([expect.objectContaining({ id: run!.id, conclusion: "success" })]);
  expect(fake.ownComments(7)).toHaveLength(1);
});
