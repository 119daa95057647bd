/**
 * GitHub asks once: a `deployment_protection_rule` request that is not answered keeps the
 * deployment waiting (GitHub gives up after 30 days). So a request is written to the state store
 * when its delivery arrives, before it is queued, and forgotten only once it is answered. A crash
 * in between (the in-process queue dies with the process; an attempt dies while holding the
 * answer claim) is healed by reconciliation, which queues again every request still unanswered.
 *
 * The answer's state lives under `deployment-answer:<subject key>`:
 * - absent or `unanswered`: nobody answers it now; an attempt may claim it;
 * - `answering:<ISO time>`: claimed at that time; another attempt waits, and takes the claim over
 *   once it is older than the lease (its holder died);
 * - `answered`: answered; nothing is posted again.
 */
import type { Logger } from "../ports.js";
import type { BookkeepingEntry, StateStore } from "../state/types.js";
import type { JobQueue } from "./queue.js";
import { subjectKey } from "./types.js";
import type { DeploymentSubject, EvaluationJob } from "./types.js";

const REQUEST_PREFIX = "deployment-request:";
const ANSWER_PREFIX = "deployment-answer:";

export const ANSWERED = "answered";
export const UNANSWERED = "unanswered";
const ANSWERING = "answering:";

/**
 * How long a claim protects an answer being posted. Posting is one request (Octokit gives up on a
 * request long before this); a claim older than this belongs to an attempt that died.
 */
export const DEPLOYMENT_ANSWER_LEASE_MS = 2 * 60_000;

/** A request younger than this is left to the job queued with it; reconciliation queues older ones again. */
export const DEPLOYMENT_REQUEST_GRACE_MS = 2 * 60_000;

/**
 * A request still unanswered after this is dropped, with an error in the log: the bot could not
 * answer for a day (GitHub kept failing), so a person decides in GitHub's interface.
 */
export const DEPLOYMENT_REQUEST_GIVE_UP_MS = 24 * 60 * 60_000;

/** At most this many requests are looked at per reconciliation pass (the least recently touched first). */
const HEAL_BATCH = 500;

export const deploymentAnswerKey = (key: string): string => `${ANSWER_PREFIX}${key}`;
export const deploymentRequestKey = (key: string): string => `${REQUEST_PREFIX}${key}`;

export type AnswerState =
  | { readonly kind: "free"; readonly value: string | undefined }
  | { readonly kind: "claimed"; readonly value: string; readonly since: number }
  | { readonly kind: "answered" };

/** The answer's state as stored; a claim's time is in its value (so a claim can be compared-and-set exactly). */
export function answerState(entry: BookkeepingEntry | undefined): AnswerState {
  if (!entry || entry.value === UNANSWERED) return { kind: "free", value: entry?.value };
  if (entry.value === ANSWERED) return { kind: "answered" };
  if (entry.value.startsWith(ANSWERING)) {
    const since = Date.parse(entry.value.slice(ANSWERING.length));
    return { kind: "claimed", value: entry.value, since: Number.isNaN(since) ? Date.parse(entry.updatedAt) : since };
  }
  // A value this version does not write (an older "answering" without its time): judged by when it was written.
  return { kind: "claimed", value: entry.value, since: Date.parse(entry.updatedAt) };
}

export const claimValue = (now: Date): string => `${ANSWERING}${now.toISOString()}`;

export function claimIsStale(state: Extract<AnswerState, { kind: "claimed" }>, now: Date): boolean {
  return now.getTime() - state.since >= DEPLOYMENT_ANSWER_LEASE_MS;
}

/** Another attempt holds the answer's claim: the queue tries again later (and takes over a stale claim then). */
export class AnswerInProgress extends Error {
  constructor(readonly claimedAt: string) {
    super(`another attempt is answering this deployment (claimed at ${claimedAt}); trying again after its lease`);
    this.name = "AnswerInProgress";
  }
}

interface StoredRequest {
  readonly job: EvaluationJob & { readonly subject: DeploymentSubject };
}

/** Written before the request's job is queued: the durable copy of a request GitHub sends once. */
export async function rememberDeploymentRequest(store: StateStore, job: EvaluationJob & { readonly subject: DeploymentSubject }): Promise<void> {
  const value: StoredRequest = { job };
  await store.setBookkeeping({ key: deploymentRequestKey(subjectKey(job)), value: JSON.stringify(value), updatedAt: job.requestedAt });
}

export async function forgetDeploymentRequest(store: StateStore, key: string): Promise<void> {
  await store.deleteBookkeeping(deploymentRequestKey(key));
}

function storedJob(entry: BookkeepingEntry): (EvaluationJob & { readonly subject: DeploymentSubject }) | undefined {
  try {
    const parsed = JSON.parse(entry.value) as Partial<StoredRequest>;
    const job = parsed.job;
    if (!job || job.subject?.kind !== "deployment" || typeof job.installationId !== "number" || typeof job.requestedAt !== "string") return undefined;
    return job;
  } catch {
    return undefined;
  }
}

export interface HealReport {
  /** Requests queued again. */
  readonly queued: number;
  /** Answered requests whose entry was left behind (the attempt died after answering), now removed. */
  readonly forgotten: number;
  /** Requests unanswered for longer than the give-up bound, or unreadable, now removed. */
  readonly dropped: number;
}

/**
 * Queues again every remembered request that is unanswered and older than the grace period, or
 * whose claim is stale; forgets answered ones. Each request queued again is touched, so one pass
 * does not queue it twice and the batch moves on to others.
 */
export async function healPendingDeployments(options: { readonly store: StateStore; readonly queue: JobQueue; readonly now: () => Date; readonly log: Logger }): Promise<HealReport> {
  const { store, queue, log } = options;
  const now = options.now();
  let queued = 0;
  let forgotten = 0;
  let dropped = 0;
  for (const entry of await store.listBookkeeping(REQUEST_PREFIX, HEAL_BATCH)) {
    const key = entry.key.slice(REQUEST_PREFIX.length);
    const job = storedJob(entry);
    if (!job) {
      log.warn({ key }, "a remembered deployment request could not be read; it is dropped");
      await store.deleteBookkeeping(entry.key);
      dropped += 1;
      continue;
    }
    const state = answerState(await store.getBookkeeping(deploymentAnswerKey(key)));
    if (state.kind === "answered") {
      await store.deleteBookkeeping(entry.key);
      forgotten += 1;
      continue;
    }
    const age = now.getTime() - Date.parse(job.requestedAt);
    if (age >= DEPLOYMENT_REQUEST_GIVE_UP_MS) {
      log.warn(
        { key, environment: job.subject.environment, requestedAt: job.requestedAt },
        "a deployment request could not be answered for a day; it is dropped and waits in GitHub for a person's decision",
      );
      await store.deleteBookkeeping(entry.key);
      dropped += 1;
      continue;
    }
    if (state.kind === "claimed" && !claimIsStale(state, now)) continue;
    if (now.getTime() - Date.parse(entry.updatedAt) < DEPLOYMENT_REQUEST_GRACE_MS) continue;
    await queue.enqueue({ ...job, reason: "reconcile" });
    await store.setBookkeeping({ ...entry, updatedAt: now.toISOString() });
    queued += 1;
  }
  if (queued + forgotten + dropped > 0) log.info({ queued, forgotten, dropped }, "reconcile: unanswered deployment requests healed");
  return { queued, forgotten, dropped };
}
