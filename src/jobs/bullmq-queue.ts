/**
 * The queue on Redis (BullMQ), when REDIS_URL is set: one queue shared by every replica.
 * - Coalescing and per-subject exclusivity across replicas: every job is deduplicated by its
 *   subject key with `keepLastIfActive`, so a subject has at most one job running and one
 *   waiting anywhere; events arriving while it runs leave the latest of them to run next.
 * - The newest job wins while one waits, too: BullMQ's deduplication keeps the first job's data
 *   (its `replace` works on delayed jobs only), so every enqueue also merges the job into a small
 *   hash per subject (newest job, forced check write OR-ed, first request time), and the worker
 *   runs what that hash holds when the job starts, written back into the job's data so a retry
 *   or a stalled-job recovery runs it too.
 * - Retries with exponential backoff, then `giveUp`; a job whose worker died is recovered by
 *   BullMQ's stalled-job check and runs again on another replica.
 * Jobs not finished at shutdown stay in Redis for the next worker.
 */
import { Queue, Worker } from "bullmq";
import type { Job } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "../ports.js";
import { DEFAULT_CONCURRENCY, DEFAULT_RETRY } from "./queue.js";
import type { JobConsumer, JobQueue, QueueDepth, QueueHealth, RetryPolicy } from "./queue.js";
import { coalesceJobs, describeJob, jobBindings, subjectKey } from "./types.js";
import type { EvaluationJob } from "./types.js";

export const QUEUE_NAME = "readiness-evaluations";
/** A pending hash no job took (its job was removed by hand, say) is dropped after this long. */
const PENDING_TTL_MS = 7 * 24 * 60 * 60_000;

export interface BullQueueOptions {
  readonly url: string;
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  readonly log?: Logger;
  /** Redis key prefix (tests use one per run). Default "bull". */
  readonly prefix?: string;
}

export class BullJobQueue implements JobQueue {
  readonly #options: BullQueueOptions;
  readonly #retry: RetryPolicy;
  readonly #connection: Redis;
  readonly #queue: Queue;
  readonly #active = new Map<string, EvaluationJob>();
  readonly #givingUp = new Set<Promise<void>>();
  #worker: Worker | undefined;
  /** BullMQ does not close connections it is given: quit after the worker closes. */
  #workerConnection: Redis | undefined;
  #stopped = false;

  constructor(options: BullQueueOptions) {
    this.#options = options;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    // BullMQ's blocking commands need ioredis to retry forever rather than fail a request.
    this.#connection = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: true });
    this.#connection.on("error", (error: Error) => options.log?.warn({ err: error.message }, "Redis connection error; BullMQ reconnects"));
    this.#queue = new Queue(QUEUE_NAME, { connection: this.#connection, ...(options.prefix ? { prefix: options.prefix } : {}) });
  }

  async enqueue(job: EvaluationJob): Promise<void> {
    if (this.#stopped) {
      this.#options.log?.warn(jobBindings(job), "job refused: the queue is stopping");
      return;
    }
    const key = this.#pendingKey(subjectKey(job));
    const merge = this.#connection.multi().hset(key, "job", JSON.stringify(job)).hsetnx(key, "requestedAt", job.requestedAt);
    if (job.forceCheckWrite) merge.hset(key, "forceCheckWrite", "1");
    await merge.pexpire(key, PENDING_TTL_MS).exec();
    const delay = job.notBefore ? Math.max(0, Date.parse(job.notBefore) - Date.now()) : 0;
    await this.#queue.add("evaluate", job, {
      deduplication: { id: subjectKey(job), keepLastIfActive: true },
      ...(delay > 0 ? { delay } : {}),
      attempts: this.#retry.maxAttempts,
      backoff: { type: "exponential", delay: this.#retry.baseDelayMs },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }

  async start(consumer: JobConsumer): Promise<void> {
    const maxAttempts = this.#retry.maxAttempts;
    const log = this.#options.log;
    this.#worker = new Worker(
      QUEUE_NAME,
      async (bullJob: Job<EvaluationJob>) => {
        const id = bullJob.id ?? subjectKey(bullJob.data);
        const job = await this.#takePending(bullJob);
        this.#active.set(id, job);
        try {
          await consumer.run(job, { attempt: bullJob.attemptsMade + 1, maxAttempts });
        } finally {
          this.#active.delete(id);
        }
      },
      {
        connection: (this.#workerConnection = this.#connection.duplicate()),
        concurrency: this.#options.concurrency ?? DEFAULT_CONCURRENCY,
        ...(this.#options.prefix ? { prefix: this.#options.prefix } : {}),
        settings: { backoffStrategy: (attemptsMade: number) => Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1)) },
      },
    );
    this.#worker.on("error", (error) => log?.warn({ err: error.message }, "BullMQ worker error"));
    this.#worker.on("failed", (bullJob, error) => {
      if (!bullJob) return;
      const attempt = { attempt: bullJob.attemptsMade, maxAttempts };
      const bindings = { ...jobBindings(bullJob.data), attempt: bullJob.attemptsMade, err: error };
      if (bullJob.attemptsMade < maxAttempts) {
        log?.info(bindings, "job failed; BullMQ retries it after a backoff");
        return;
      }
      log?.warn(bindings, `job gave up after ${bullJob.attemptsMade} attempts: ${describeJob(bullJob.data)}`);
      const givingUp = consumer
        .giveUp(bullJob.data, error, attempt)
        .catch((giveUpError: unknown) => log?.warn({ err: giveUpError }, "recording a job that gave up failed"))
        .finally(() => this.#givingUp.delete(givingUp));
      this.#givingUp.add(givingUp);
    });
    await this.#worker.waitUntilReady();
  }

  async stop(graceMs: number): Promise<readonly EvaluationJob[]> {
    this.#stopped = true;
    const worker = this.#worker;
    const workerConnection = this.#workerConnection;
    const quitWorkerConnection = () => workerConnection?.quit().catch(() => undefined);
    let handedBack: EvaluationJob[] = [];
    if (worker) {
      let timer: NodeJS.Timeout | undefined;
      const closing = worker.close();
      const timedOut = await Promise.race([closing.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
      clearTimeout(timer);
      if (timedOut) {
        // Still running at the deadline: BullMQ's stalled check gives them to another worker.
        // Forcing the close does not wait for the processor either, which may still be stuck.
        handedBack = [...this.#active.values()];
        void worker
          .close(true)
          .catch(() => undefined)
          .finally(quitWorkerConnection);
      } else {
        await quitWorkerConnection();
      }
    }
    await this.#queue.close();
    await this.#connection.quit().catch(() => undefined);
    return handedBack;
  }

  async depth(): Promise<QueueDepth> {
    const counts = await this.#queue.getJobCounts("waiting", "prioritized", "active", "delayed");
    return { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), running: counts.active ?? 0, retrying: counts.delayed ?? 0 };
  }

  /** Redis answers a PING within `timeoutMs`, and this process's worker is running. */
  async health(timeoutMs = 2_000): Promise<QueueHealth> {
    if (this.#stopped) return { ok: false, reason: "the queue is stopping" };
    if (!this.#worker?.isRunning()) return { ok: false, reason: "the BullMQ worker is not running" };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs)));
    const ping = this.#connection.ping().then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const problem = await Promise.race([ping, timeout]).finally(() => clearTimeout(timer));
    return problem === undefined ? { ok: true } : { ok: false, reason: `Redis is unreachable (${problem})` };
  }

  /** Resolves once the shared queue has nothing waiting, running or delayed (polls Redis). */
  async idle(): Promise<void> {
    for (;;) {
      const counts = await this.#queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      if (Object.values(counts).every((n) => n === 0) && this.#givingUp.size === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Removes every job and key of this queue (tests). */
  async obliterate(): Promise<void> {
    await this.#queue.obliterate({ force: true });
    const pattern = `${this.#pendingKey("")}*`;
    for (let cursor = "0"; ; ) {
      const [next, keys] = await this.#connection.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      if (keys.length > 0) await this.#connection.del(...keys);
      if ((cursor = next) === "0") break;
    }
  }

  #pendingKey(subject: string): string {
    return `${this.#options.prefix ?? "bull"}:${QUEUE_NAME}:pending:${subject}`;
  }

  /**
   * The job to run: the newest enqueued for the subject since the last job of it started (taken
   * and cleared in one transaction), merged with the job's own data, and stored as its data.
   */
  async #takePending(bullJob: Job<EvaluationJob>): Promise<EvaluationJob> {
    const key = this.#pendingKey(subjectKey(bullJob.data));
    const replies = await this.#connection.multi().hgetall(key).del(key).exec();
    const pending = (replies?.[0]?.[1] ?? {}) as Record<string, string>;
    if (typeof pending.job !== "string") return bullJob.data;
    let newest: EvaluationJob;
    try {
      newest = JSON.parse(pending.job) as EvaluationJob;
    } catch {
      return bullJob.data;
    }
    const waited: EvaluationJob = {
      ...newest,
      requestedAt: pending.requestedAt ?? newest.requestedAt,
      ...(pending.forceCheckWrite === "1" ? { forceCheckWrite: true } : {}),
    };
    const job = coalesceJobs(bullJob.data, waited);
    await bullJob.updateData(job);
    return job;
  }
}
