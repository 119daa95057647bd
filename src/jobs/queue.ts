/**
 * The queue port between deciding (handlers, reconciliation) and doing (the runner). Two
 * implementations: in-process (the default, src/jobs/memory-queue.ts) and BullMQ on Redis
 * (src/jobs/bullmq-queue.ts) when REDIS_URL is set. Both promise the same things:
 * - jobs for one subject waiting together coalesce into one (the newest wins);
 * - one job at a time per subject; at most `concurrency` jobs at a time overall;
 * - a failed job is retried with backoff, a bounded number of times, then handed to
 *   `JobConsumer.giveUp` (which records the failure; reconciliation picks the subject up again).
 */
import type { EvaluationJob } from "./types.js";

export interface JobAttempt {
  /** 1 for the first run. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

export interface JobConsumer {
  run(job: EvaluationJob, attempt: JobAttempt): Promise<void>;
  /** Every attempt failed; `error` is the last failure. Must not throw (failures are logged). */
  giveUp(job: EvaluationJob, error: unknown, attempt: JobAttempt): Promise<void>;
}

export interface JobQueue {
  enqueue(job: EvaluationJob): Promise<void>;
  start(consumer: JobConsumer): Promise<void>;
  /**
   * Stops taking work and waits up to `graceMs` for jobs in flight. Returns the jobs handed back
   * unfinished (waiting, waiting to retry, or still running at the deadline): in-process they are
   * lost with the process and reconciliation finds their subjects again; on Redis they stay queued.
   */
  stop(graceMs: number): Promise<readonly EvaluationJob[]>;
  /** Resolves once nothing waits, runs or waits to retry in this process. */
  idle(): Promise<void>;
  /**
   * Jobs by state, for /metrics (on Redis: the shared queue, every replica's jobs). Both queues
   * have it; a test double may leave it out (no queue gauge).
   */
  depth?(): Promise<QueueDepth>;
  /**
   * Whether this process takes and runs work now: started, not stopping, its backing service
   * reachable (/readyz). Both queues have it; a test double without it counts as ready.
   */
  health?(): Promise<QueueHealth>;
}

export interface QueueDepth {
  readonly waiting: number;
  readonly running: number;
  readonly retrying: number;
}

/** `reason` says, in a few words an operator can act on, why the queue takes no work. */
export type QueueHealth = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Wait before the second attempt; doubled for each one after, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 2_000, maxDelayMs: 60_000 };
export const DEFAULT_CONCURRENCY = 4;

/** The wait before attempt `attempt + 1`, after `attempt` failed. */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** READINESS_CONCURRENCY: a whole number ≥ 1, default 4; anything else is a clear error. */
export function concurrencyFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  return positiveIntegerFromEnv(env, "READINESS_CONCURRENCY", DEFAULT_CONCURRENCY, 1);
}

/** A whole number ≥ `min` from the environment, its default when unset or blank. */
export function positiveIntegerFromEnv(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min = 0): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return value;
}
