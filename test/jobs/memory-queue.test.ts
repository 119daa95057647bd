import { expect, test } from "@jest/globals";
import { MemoryJobQueue } from "../../src/jobs/memory-queue.js";
import type { JobAttempt, JobConsumer } from "../../src/jobs/queue.js";
import { retryDelay } from "../../src/jobs/queue.js";
import { coalesceJobs, subjectKey } from "../../src/jobs/types.js";
import type { EvaluationJob } from "../../src/jobs/types.js";

function pullJob(number: number, extra: Partial<EvaluationJob> = {}): EvaluationJob {
  return {
    installationId: 1,
    repository: { owner: "Acme", repo: "Shop" },
    subject: { kind: "pull", number },
    reason: "pull_request.opened",
    requestedAt: "2026-01-01T00:00:00.000Z",
    ...extra,
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A consumer whose runs wait until the test releases them. */
class HeldConsumer implements JobConsumer {
  readonly started: EvaluationJob[] = [];
  readonly gaveUp: { job: EvaluationJob; attempt: JobAttempt }[] = [];
  readonly #held: ReturnType<typeof deferred>[] = [];
  running = 0;
  maxRunning = 0;
  #arrivals: (() => void)[] = [];

  async run(job: EvaluationJob): Promise<void> {
    this.started.push(job);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const hold = deferred();
    this.#held.push(hold);
    for (const wake of this.#arrivals.splice(0)) wake();
    try {
      await hold.promise;
    } finally {
      this.running -= 1;
    }
  }

  async giveUp(job: EvaluationJob, _error: unknown, attempt: JobAttempt): Promise<void> {
    this.gaveUp.push({ job, attempt });
  }

  /** Resolves once `count` runs have started. */
  async startedCount(count: number): Promise<void> {
    while (this.started.length < count) await new Promise<void>((resolve) => this.#arrivals.push(resolve));
  }

  release(index: number): void {
    this.#held[index]!.resolve();
  }

  fail(index: number, error: unknown = new Error("502")): void {
    this.#held[index]!.reject(error);
  }
}

test("a subject's key is stable and lower-case; merge groups are keyed by their head commit", () => {
  expect(subjectKey(pullJob(12))).toBe("pull:acme/shop#12");
  expect(
    subjectKey({ repository: { owner: "Acme", repo: "Shop" }, subject: { kind: "merge-group", headSha: "ABC", baseSha: "d", base: "main", pullNumber: 3, pullHeadSha: "e" } }),
  ).toBe("merge-group:acme/shop@abc");
});

test("coalescing keeps the newest job, the earliest request time and any forced check write", () => {
  const older = pullJob(1, { reason: "check_run.rerequested", forceCheckWrite: true, requestedAt: "2026-01-01T00:00:00.000Z" });
  const newer = pullJob(1, { reason: "pull_request.synchronize", subject: { kind: "pull", number: 1, headSha: "f" }, requestedAt: "2026-01-01T00:00:05.000Z" });
  expect(coalesceJobs(older, newer)).toEqual({ ...newer, requestedAt: older.requestedAt, forceCheckWrite: true });
  expect(coalesceJobs(pullJob(1), pullJob(1, { reason: "x" })).forceCheckWrite).toBeUndefined();
});

test("a burst for one subject while it runs gives one more run, with the newest job", async () => {
  const queue = new MemoryJobQueue({ concurrency: 4 });
  const consumer = new HeldConsumer();
  await queue.start(consumer);
  await queue.enqueue(pullJob(7, { reason: "opened" }));
  await consumer.startedCount(1);
  for (const reason of ["labeled", "edited", "synchronize"]) await queue.enqueue(pullJob(7, { reason }));
  expect(queue.size).toEqual({ waiting: 1, running: 1, retrying: 0, delayed: 0 });
  consumer.release(0);
  await consumer.startedCount(2);
  expect(consumer.started.map((j) => j.reason)).toEqual(["opened", "synchronize"]);
  consumer.release(1);
  await queue.idle();
  expect(consumer.started).toHaveLength(2);
});

test("one run at a time per subject, and at most `concurrency` subjects at a time", async () => {
  const queue = new MemoryJobQueue({ concurrency: 2 });
  const consumer = new HeldConsumer();
  await queue.start(consumer);
  for (const n of [1, 2, 3]) await queue.enqueue(pullJob(n));
  await consumer.startedCount(2);
  expect(queue.size).toEqual({ waiting: 1, running: 2, retrying: 0, delayed: 0 });
  await queue.enqueue(pullJob(1, { reason: "again" }));
  consumer.release(1);
  await consumer.startedCount(3);
  // #3 was waiting first; #1 is still running, so its second job waits for it.
  expect(consumer.started.map((j) => (j.subject.kind === "pull" ? j.subject.number : 0))).toEqual([1, 2, 3]);
  consumer.release(0);
  await consumer.startedCount(4);
  expect(consumer.started[3]!.reason).toBe("again");
  consumer.release(2);
  consumer.release(3);
  await queue.idle();
  expect(consumer.maxRunning).toBe(2);
});

test("a failed job is retried with a growing delay, then given up with its attempts", async () => {
  expect([1, 2, 3, 4, 5].map((a) => retryDelay({ maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 500 }, a))).toEqual([100, 200, 400, 500, 500]);
  const queue = new MemoryJobQueue({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
  const attempts: number[] = [];
  const gaveUp: JobAttempt[] = [];
  await queue.start({
    async run(_job, attempt) {
      attempts.push(attempt.attempt);
      throw new Error("GitHub answered 502");
    },
    async giveUp(_job, error, attempt) {
      expect(String(error)).toContain("502");
      gaveUp.push(attempt);
    },
  });
  await queue.enqueue(pullJob(7));
  await queue.idle();
  expect(attempts).toEqual([1, 2, 3]);
  expect(gaveUp).toEqual([{ attempt: 3, maxAttempts: 3 }]);
});

test("a job that fails once and then succeeds is not given up", async () => {
  const queue = new MemoryJobQueue({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
  let runs = 0;
  let gaveUp = 0;
  await queue.start({
    async run() {
      runs += 1;
      if (runs === 1) throw new Error("ECONNRESET");
    },
    async giveUp() {
      gaveUp += 1;
    },
  });
  await queue.enqueue(pullJob(7));
  await queue.idle();
  expect({ runs, gaveUp }).toEqual({ runs: 2, gaveUp: 0 });
});

test("stop: takes no more work, lets a job in flight finish within the grace, hands back the rest", async () => {
  const queue = new MemoryJobQueue({ concurrency: 1 });
  const consumer = new HeldConsumer();
  await queue.start(consumer);
  await queue.enqueue(pullJob(1));
  await queue.enqueue(pullJob(2));
  await consumer.startedCount(1);
  const stopping = queue.stop(60_000);
  await queue.enqueue(pullJob(3));
  consumer.release(0);
  const handedBack = await stopping;
  expect(handedBack.map((j) => subjectKey(j))).toEqual(["pull:acme/shop#2"]);
  expect(consumer.started).toHaveLength(1);
});

test("stop: a job still running at the end of the grace is handed back", async () => {
  const queue = new MemoryJobQueue();
  const consumer = new HeldConsumer();
  await queue.start(consumer);
  await queue.enqueue(pullJob(1));
  await consumer.startedCount(1);
  const handedBack = await queue.stop(0);
  expect(handedBack.map((j) => subjectKey(j))).toEqual(["pull:acme/shop#1"]);
  consumer.release(0);
});

test("health and depth: not consuming before start, ready once started, not ready once stopping; depth counts jobs by state", async () => {
  const queue = new MemoryJobQueue({ concurrency: 1 });
  expect(await queue.health()).toEqual({ ok: false, reason: "the queue has not started consuming" });
  await queue.enqueue(pullJob(1));
  await queue.enqueue(pullJob(2));
  expect(await queue.depth()).toEqual({ waiting: 2, running: 0, retrying: 0 });
  const held = deferred();
  await queue.start({ run: () => held.promise, giveUp: async () => undefined });
  expect(await queue.health()).toEqual({ ok: true });
  expect(await queue.depth()).toEqual({ waiting: 1, running: 1, retrying: 0 });
  const stopping = queue.stop(1000);
  expect(await queue.health()).toEqual({ ok: false, reason: "the queue is stopping" });
  held.resolve();
  await stopping;
});
