/**
 * The BullMQ queue against a real Redis (TEST_REDIS_URL; .ci/run starts one). Two queue
 * instances sharing one Redis stand for two replicas.
 */
import { afterEach, expect, test } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { BullJobQueue } from "../../src/jobs/bullmq-queue.js";
import type { JobAttempt, JobConsumer } from "../../src/jobs/queue.js";
import { subjectKey } from "../../src/jobs/types.js";
import type { EvaluationJob } from "../../src/jobs/types.js";

const REDIS = process.env.TEST_REDIS_URL;
const redisTest = REDIS ? test : test.skip;

const queues: BullJobQueue[] = [];
afterEach(async () => {
  for (const queue of queues.splice(0)) {
    await queue.obliterate().catch(() => undefined);
    await queue.stop(0);
  }
});

function replica(prefix: string, retry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 }): BullJobQueue {
  const queue = new BullJobQueue({ url: REDIS!, prefix, concurrency: 4, retry });
  queues.push(queue);
  return queue;
}

function pullJob(number: number, reason = "pull_request.opened"): EvaluationJob {
  return { installationId: 1, repository: { owner: "acme", repo: "shop" }, subject: { kind: "pull", number }, reason, requestedAt: new Date().toISOString() };
}

/** Runs held until released; counts how many run at once per subject, across replicas. */
class SharedConsumer implements JobConsumer {
  readonly started: EvaluationJob[] = [];
  readonly gaveUp: JobAttempt[] = [];
  readonly running = new Map<string, number>();
  maxPerSubject = 0;
  #release: (() => void)[] = [];
  #waiters: (() => void)[] = [];
  hold = true;

  async run(job: EvaluationJob): Promise<void> {
    const key = subjectKey(job);
    this.started.push(job);
    this.running.set(key, (this.running.get(key) ?? 0) + 1);
    this.maxPerSubject = Math.max(this.maxPerSubject, this.running.get(key)!);
    for (const wake of this.#waiters.splice(0)) wake();
    try {
      if (this.hold) await new Promise<void>((resolve) => this.#release.push(resolve));
    } finally {
      this.running.set(key, this.running.get(key)! - 1);
    }
  }

  async giveUp(_job: EvaluationJob, _error: unknown, attempt: JobAttempt): Promise<void> {
    this.gaveUp.push(attempt);
  }

  async startedCount(count: number): Promise<void> {
    while (this.started.length < count) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  releaseAll(): void {
    this.hold = false;
    for (const release of this.#release.splice(0)) release();
  }
}

redisTest("a burst for one subject while it runs, from two replicas, gives one more run with the newest job", async () => {
  const prefix = `t-${randomUUID()}`;
  const [a, b] = [replica(prefix), replica(prefix)];
  const consumer = new SharedConsumer();
  await a.start(consumer);
  await b.start(consumer);
  await a.enqueue(pullJob(7, "opened"));
  await consumer.startedCount(1);
  await b.enqueue(pullJob(7, "labeled"));
  await a.enqueue(pullJob(7, "edited"));
  await b.enqueue(pullJob(7, "synchronize"));
  consumer.releaseAll();
  await a.idle();
  expect(consumer.started.map((j) => j.reason)).toEqual(["opened", "synchronize"]);
  expect(consumer.maxPerSubject).toBe(1);
});

redisTest("jobs arriving from two replicas while one waits: the newest runs, once, keeping a forced check write and the first request time", async () => {
  const prefix = `t-${randomUUID()}`;
  // One job at a time per replica, and each busy with another subject: #7's jobs must wait.
  const [a, b] = [new BullJobQueue({ url: REDIS!, prefix, concurrency: 1 }), new BullJobQueue({ url: REDIS!, prefix, concurrency: 1 })];
  queues.push(a, b);
  const consumer = new SharedConsumer();
  await a.start(consumer);
  await b.start(consumer);
  await a.enqueue(pullJob(1));
  await b.enqueue(pullJob(2));
  await consumer.startedCount(2);
  const first = { ...pullJob(7, "pull_request.opened"), requestedAt: "2026-01-01T00:00:00.000Z" };
  await a.enqueue(first);
  await b.enqueue({ ...pullJob(7, "rerequest"), requestedAt: "2026-01-01T00:00:01.000Z", forceCheckWrite: true });
  await a.enqueue({ ...pullJob(7, "pull_request.labeled"), requestedAt: "2026-01-01T00:00:02.000Z" });
  consumer.releaseAll();
  await a.idle();
  const runs = consumer.started.filter((job) => subjectKey(job) === "pull:acme/shop#7");
  expect(runs).toEqual([{ ...first, reason: "pull_request.labeled", forceCheckWrite: true }]);
});

redisTest("different subjects run side by side; one subject never runs twice at once across replicas", async () => {
  const prefix = `t-${randomUUID()}`;
  const [a, b] = [replica(prefix), replica(prefix)];
  const consumer = new SharedConsumer();
  await a.start(consumer);
  await b.start(consumer);
  for (const n of [1, 2, 3]) await (n % 2 ? a : b).enqueue(pullJob(n));
  await consumer.startedCount(3);
  for (const n of [1, 2, 3]) await (n % 2 ? b : a).enqueue(pullJob(n, "again"));
  consumer.releaseAll();
  await a.idle();
  expect(consumer.started).toHaveLength(6);
  expect(consumer.maxPerSubject).toBe(1);
});

redisTest("a failing job is retried with backoff, then given up with its attempts", async () => {
  const queue = replica(`t-${randomUUID()}`);
  const attempts: number[] = [];
  const gaveUp: JobAttempt[] = [];
  await queue.start({
    async run(_job, attempt) {
      attempts.push(attempt.attempt);
      throw new Error("GitHub answered 502");
    },
    async giveUp(_job, _error, attempt) {
      gaveUp.push(attempt);
    },
  });
  await queue.enqueue(pullJob(7));
  await queue.idle();
  expect(attempts).toEqual([1, 2, 3]);
  expect(gaveUp).toEqual([{ attempt: 3, maxAttempts: 3 }]);
});

redisTest("stop hands back a job still running at the end of the grace", async () => {
  const prefix = `t-${randomUUID()}`;
  const queue = new BullJobQueue({ url: REDIS!, prefix, concurrency: 1 });
  const consumer = new SharedConsumer();
  await queue.start(consumer);
  await queue.enqueue(pullJob(7));
  await consumer.startedCount(1);
  const handedBack = await queue.stop(0);
  expect(handedBack.map((j) => subjectKey(j))).toEqual(["pull:acme/shop#7"]);
  consumer.releaseAll();
});

redisTest("health: not consuming before start; ready with Redis answering; not ready once stopping; depth reads the shared queue", async () => {
  const queue = replica(`health-${randomUUID()}`);
  expect(await queue.health()).toEqual({ ok: false, reason: "the BullMQ worker is not running" });
  await queue.enqueue(pullJob(1));
  expect(await queue.depth()).toEqual({ waiting: 1, running: 0, retrying: 0 });
  await queue.start({ run: async () => undefined, giveUp: async () => undefined });
  expect(await queue.health()).toEqual({ ok: true });
  await queue.idle();
  await queue.stop(1000);
  expect(await queue.health()).toEqual({ ok: false, reason: "the queue is stopping" });
});
