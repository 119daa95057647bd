/**
 * Healing remembered deployment requests: which ones reconciliation queues again, which it
 * forgets (answered) and which it drops (unreadable, or unanswered for a day).
 */
import { expect, test } from "@jest/globals";
import { MemoryStateStore } from "../../src/state/memory.js";
import { answerState, deploymentAnswerKey, deploymentRequestKey, healPendingDeployments, rememberDeploymentRequest } from "../../src/jobs/pending-deployments.js";
import { subjectKey } from "../../src/jobs/types.js";
import type { EvaluationJob } from "../../src/jobs/types.js";
import type { JobQueue } from "../../src/jobs/queue.js";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const minutes = (n: number) => new Date(NOW - n * 60_000).toISOString();

function request(runId: number, requestedAt: string) {
  return {
    installationId: 1,
    repository: { owner: "acme", repo: "shop" },
    subject: { kind: "deployment" as const, runId, environment: "production", callbackUrl: `https://api.github.com/repos/acme/shop/actions/runs/${runId}/deployment_protection_rule`, sha: "d".repeat(40), ref: "main" },
    reason: "deployment_protection_rule.requested",
    requestedAt,
  };
}

function recordingQueue(): JobQueue & { jobs: EvaluationJob[] } {
  const jobs: EvaluationJob[] = [];
  return { jobs, enqueue: async (job) => void jobs.push(job), start: async () => {}, stop: async () => [], idle: async () => {} };
}

const log = { info: () => {}, warn: () => {}, debug: () => {}, error: () => {} } as never;

test("answer states: free, claimed (with the claim's time, or the entry's for an older value), answered", () => {
  expect(answerState(undefined)).toEqual({ kind: "free", value: undefined });
  expect(answerState({ key: "k", value: "unanswered", updatedAt: minutes(1) })).toEqual({ kind: "free", value: "unanswered" });
  expect(answerState({ key: "k", value: "answered", updatedAt: minutes(1) })).toEqual({ kind: "answered" });
  expect(answerState({ key: "k", value: `answering:${minutes(3)}`, updatedAt: minutes(1) })).toEqual({ kind: "claimed", value: `answering:${minutes(3)}`, since: NOW - 3 * 60_000 });
  expect(answerState({ key: "k", value: "answering", updatedAt: minutes(5) })).toEqual({ kind: "claimed", value: "answering", since: NOW - 5 * 60_000 });
});

test("reconciliation queues unanswered requests past the grace period and stale claims, forgets answered ones, drops unreadable and day-old ones", async () => {
  const store = new MemoryStateStore();
  const queue = recordingQueue();
  const jobs = {
    fresh: request(1, minutes(1)),
    unanswered: request(2, minutes(5)),
    liveClaim: request(3, minutes(5)),
    staleClaim: request(4, minutes(5)),
    answered: request(5, minutes(5)),
    dayOld: request(6, minutes(24 * 60 + 1)),
  };
  for (const job of Object.values(jobs)) await rememberDeploymentRequest(store, job);
  await store.setBookkeeping({ key: deploymentAnswerKey(subjectKey(jobs.liveClaim)), value: `answering:${minutes(1)}`, updatedAt: minutes(1) });
  await store.setBookkeeping({ key: deploymentAnswerKey(subjectKey(jobs.staleClaim)), value: `answering:${minutes(3)}`, updatedAt: minutes(3) });
  await store.setBookkeeping({ key: deploymentAnswerKey(subjectKey(jobs.answered)), value: "answered", updatedAt: minutes(4) });
  await store.setBookkeeping({ key: deploymentRequestKey("deployment:acme/shop:7:production"), value: "{not json", updatedAt: minutes(9) });

  const report = await healPendingDeployments({ store, queue, now: () => new Date(NOW), log });
  expect(report).toEqual({ queued: 2, forgotten: 1, dropped: 2 });
  expect(queue.jobs.map((job) => (job.subject as { runId: number }).runId).sort()).toEqual([2, 4]);
  expect(queue.jobs.every((job) => job.reason === "reconcile")).toBe(true);
  // Kept for the originals' wait to be measured from.
  expect(queue.jobs.find((job) => (job.subject as { runId: number }).runId === 2)?.requestedAt).toBe(minutes(5));
  const left = (await store.listBookkeeping("deployment-request:", 100)).map((entry) => entry.key).sort();
  expect(left).toEqual([1, 2, 3, 4].map((runId) => deploymentRequestKey(`deployment:acme/shop:${runId}:production`)));

  // Queued ones were touched: the same pass again (within the grace period) queues nothing.
  const again = await healPendingDeployments({ store, queue: recordingQueue(), now: () => new Date(NOW), log });
  expect(again).toEqual({ queued: 0, forgotten: 0, dropped: 0 });
});
