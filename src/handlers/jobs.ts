/**
 * What every handler needs to decide and enqueue: the evaluator's caches (configuration per
 * commit, open pull requests per head), the store (pending merge groups) and the queue.
 */
import type { Evaluator } from "../github/evaluate-pull.js";
import type { RepoRef } from "../github/events.js";
import type { JobQueue } from "../jobs/queue.js";
import type { EvaluationJob, Subject } from "../jobs/types.js";
import type { Logger } from "../ports.js";
import type { StateStore } from "../state/types.js";

export interface HandlerDeps {
  readonly evaluator: Evaluator;
  readonly queue: JobQueue;
  readonly store: StateStore;
  readonly now: () => Date;
}

/** The parts of a Probot context a job is built from. */
export interface DeliveryContext {
  readonly id?: string;
  readonly name: string;
  readonly payload: { readonly action?: string; readonly installation?: { readonly id: number } | null };
  readonly log: Logger;
}

/** The job for a subject named by this delivery; undefined (and a log line) without an installation. */
export function jobFor(context: DeliveryContext, repo: RepoRef, subject: Subject, deps: HandlerDeps, options: { reason?: string; forceCheckWrite?: boolean } = {}): EvaluationJob | undefined {
  const installationId = context.payload.installation?.id;
  if (typeof installationId !== "number") {
    context.log.warn({ event: context.name }, "ignored: the delivery names no installation");
    return undefined;
  }
  return {
    installationId,
    repository: { owner: repo.owner, repo: repo.repo },
    subject,
    reason: options.reason ?? (context.payload.action ? `${context.name}.${context.payload.action}` : context.name),
    ...(context.id ? { deliveryId: context.id } : {}),
    requestedAt: deps.now().toISOString(),
    ...(options.forceCheckWrite ? { forceCheckWrite: true } : {}),
  };
}

export async function enqueueFor(context: DeliveryContext, repo: RepoRef, subject: Subject, deps: HandlerDeps, options: { reason?: string; forceCheckWrite?: boolean } = {}): Promise<void> {
  const job = jobFor(context, repo, subject, deps, options);
  if (job) await deps.queue.enqueue(job);
}
