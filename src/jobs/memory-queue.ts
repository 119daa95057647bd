/**
 * The in-process queue: no extra service. Waiting jobs are keyed by subject, so a burst of events
 * for one pull request leaves one job (the newest, see coalesceJobs); a subject runs one job at a
 * time; at most `concurrency` subjects run together; a failure is retried after a growing delay.
 * Nothing here survives the process: reconciliation finds what a restart lost.
 */
import type { Logger } from "../pipeline.js";
import { DEFAULT_CONCURRENCY, DEFAULT_RETRY, retryDelay } from "./queue.js";
import type { JobConsumer, JobQueue, QueueDepth, QueueHealth, RetryPolicy } from "./queue.js";
import { coalesceJobs, describeJob, jobBindings, subjectKey } from "./types.js";
import type { EvaluationJob } from "./types.js";

export interface MemoryQueueOptions {
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  readonly log?: Logger;
  /** The clock a job's `notBefore` is read against (default the system's). */
  readonly now?: () => Date;
}

interface Waiting {
  job: EvaluationJob;
  attempt: number;
}

export class MemoryJobQueue implements JobQueue {
  readonly #concurrency: number;
  readonly #retry: RetryPolicy;
  readonly #log: Logger | undefined;
  /** Insertion order is the order subjects are served in. */
  readonly #waiting = new Map<string, Waiting>();
  readonly #running = new Map<string, { job: EvaluationJob; done: Promise<void> }>();
  readonly #retrying = new Map<NodeJS.Timeout, { key: string; waiting: Waiting }>();
  /** Jobs whose `notBefore` has not come yet. */
  readonly #delayed = new Map<NodeJS.Timeout, EvaluationJob>();
  readonly #now: () => Date;
  #consumer: JobConsumer | undefined;
  #stopped = false;
  #idleWaiters: (() => void)[] = [];

  constructor(options: MemoryQueueOptions = {}) {
    this.#concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#log = options.log;
    this.#now = options.now ?? (() => new Date());
    if (!Number.isSafeInteger(this.#concurrency) || this.#concurrency < 1) throw new Error(`queue concurrency must be a whole number ≥ 1, got ${this.#concurrency}`);
    if (!Number.isSafeInteger(this.#retry.maxAttempts) || this.#retry.maxAttempts < 1) throw new Error(`queue maxAttempts must be a whole number ≥ 1, got ${this.#retry.maxAttempts}`);
  }

  async enqueue(job: EvaluationJob): Promise<void> {
    if (this.#stopped) {
      this.#log?.warn(jobBindings(job), "job refused: the queue is stopping");
      return;
    }
    const delayMs = job.notBefore ? Date.parse(job.notBefore) - this.#now().getTime() : 0;
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        this.#delayed.delete(timer);
        if (this.#stopped) return;
        this.#put(subjectKey(job), { job, attempt: 1 });
        this.#pump();
      }, delayMs);
      timer.unref();
      this.#delayed.set(timer, job);
      return;
    }
    this.#put(subjectKey(job), { job, attempt: 1 });
    this.#pump();
  }

  async start(consumer: JobConsumer): Promise<void> {
    this.#consumer = consumer;
    this.#pump();
  }

  async stop(graceMs: number): Promise<readonly EvaluationJob[]> {
    this.#stopped = true;
    const handedBack: EvaluationJob[] = [...this.#waiting.values()].map((w) => w.job);
    this.#waiting.clear();
    for (const [timer, { waiting }] of this.#retrying) {
      clearTimeout(timer);
      handedBack.push(waiting.job);
    }
    this.#retrying.clear();
    for (const [timer, job] of this.#delayed) {
      clearTimeout(timer);
      handedBack.push(job);
    }
    this.#delayed.clear();
    const running = [...this.#running.entries()];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(running.map(([, r]) => r.done)), deadline]);
    clearTimeout(timer);
    for (const [key, { job }] of running) if (this.#running.has(key)) handedBack.push(job);
    this.#settleIdle();
    return handedBack;
  }

  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Jobs held until their `notBefore` (paced scorecards) count as waiting. */
  async depth(): Promise<QueueDepth> {
    const { waiting, running, retrying, delayed } = this.size;
    return { waiting: waiting + delayed, running, retrying };
  }

  async health(): Promise<QueueHealth> {
    if (this.#stopped) return { ok: false, reason: "the queue is stopping" };
    if (!this.#consumer) return { ok: false, reason: "the queue has not started consuming" };
    return { ok: true };
  }

  /** Subjects waiting, running or waiting to retry (for tests and metrics). */
  get size(): { readonly waiting: number; readonly running: number; readonly retrying: number; readonly delayed: number } {
    return { waiting: this.#waiting.size, running: this.#running.size, retrying: this.#retrying.size, delayed: this.#delayed.size };
  }

  #put(key: string, next: Waiting): void {
    const waiting = this.#waiting.get(key);
    if (waiting) {
      // The newer job replaces the waiting one; a fresh event restarts the count of attempts.
      waiting.job = coalesceJobs(waiting.job, next.job);
      waiting.attempt = Math.min(waiting.attempt, next.attempt);
      return;
    }
    this.#waiting.set(key, { ...next });
  }

  #pump(): void {
    if (!this.#consumer || this.#stopped) return;
    for (const [key, waiting] of this.#waiting) {
      if (this.#running.size >= this.#concurrency) break;
      if (this.#running.has(key)) continue;
      this.#waiting.delete(key);
      this.#run(key, waiting, this.#consumer);
    }
    this.#settleIdle();
  }

  #run(key: string, waiting: Waiting, consumer: JobConsumer): void {
    const attempt = { attempt: waiting.attempt, maxAttempts: this.#retry.maxAttempts };
    const done = (async () => {
      try {
        await consumer.run(waiting.job, attempt);
      } catch (error) {
        await this.#failed(key, waiting, error, consumer);
      }
    })().finally(() => {
      this.#running.delete(key);
      this.#pump();
    });
    this.#running.set(key, { job: waiting.job, done });
  }

  async #failed(key: string, waiting: Waiting, error: unknown, consumer: JobConsumer): Promise<void> {
    const attempt = { attempt: waiting.attempt, maxAttempts: this.#retry.maxAttempts };
    const bindings = { ...jobBindings(waiting.job), attempt: waiting.attempt, err: error };
    if (waiting.attempt >= this.#retry.maxAttempts || this.#stopped) {
      if (this.#waiting.has(key)) {
        // A newer job for the subject already waits: it is the retry.
        this.#log?.warn(bindings, `job failed; a newer job for ${key} takes over`);
        return;
      }
      this.#log?.warn(bindings, `job gave up after ${waiting.attempt} attempts: ${describeJob(waiting.job)}`);
      try {
        await consumer.giveUp(waiting.job, error, attempt);
      } catch (giveUpError) {
        this.#log?.warn({ ...jobBindings(waiting.job), err: giveUpError }, "recording a job that gave up failed");
      }
      return;
    }
    const delayMs = retryDelay(this.#retry, waiting.attempt);
    this.#log?.info({ ...bindings, delayMs }, `job failed; retrying in ${delayMs} ms`);
    const retry: Waiting = { job: waiting.job, attempt: waiting.attempt + 1 };
    const timer = setTimeout(() => {
      this.#retrying.delete(timer);
      if (this.#stopped) return;
      this.#put(key, retry);
      this.#pump();
    }, delayMs);
    timer.unref();
    this.#retrying.set(timer, { key, waiting: retry });
  }

  #isIdle(): boolean {
    return this.#waiting.size === 0 && this.#running.size === 0 && this.#retrying.size === 0 && this.#delayed.size === 0;
  }

  #settleIdle(): void {
    if (!this.#isIdle() && !this.#stopped) return;
    if (!this.#isIdle() && this.#running.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
