/**
 * What every handler needs to decide and enqueue: the queue, the clock, and what identifies the
 * bot's own check runs. Nothing here reads GitHub or the state store: a handler builds jobs from
 * the payload alone, and the runner resolves whatever takes a read (src/jobs/resolve.ts).
 */
import type { RepoRef } from "../github/events.js";
import type { JobQueue } from "../jobs/queue.js";
import type { OwnCheck } from "../jobs/triggers.js";
import type { EvaluationJob, ListedPull, Subject } from "../jobs/types.js";
import type { Logger } from "../ports.js";

export interface HandlerDeps {
  readonly queue: JobQueue;
  readonly now: () => Date;
  readonly ownCheck: OwnCheck;
  /** false: no scorecard (branch) evaluations are queued; default on. */
  readonly scorecards?: boolean;
  /**
   * Keeps a deployment protection request durably before its job is queued (GitHub sends it
   * once; src/jobs/pending-deployments.ts). Absent in tests that do not need it.
   */
  readonly rememberDeploymentRequest?: (job: EvaluationJob) => Promise<void>;
}

/** The repository as every webhook payload carries it. */
export interface RepositoryPayload {
  readonly id: number;
  readonly name: string;
  readonly owner: { readonly login: string };
}

/** The short form check_run and check_suite payloads list. */
export interface PayloadPullRef {
  readonly number: number;
  readonly base: { readonly sha: string; readonly repo?: { readonly id: number } };
  readonly head: { readonly sha: string };
}

export function repoOf(repository: RepositoryPayload): RepoRef {
  return { owner: repository.owner.login, repo: repository.name };
}

/**
 * The listed pull requests with this head in this repository: check payloads also list pull
 * requests of other repositories that share the commit.
 */
export function listedWithHead(listed: readonly PayloadPullRef[], repository: RepositoryPayload, sha: string): ListedPull[] {
  return listed
    .filter((p) => p.head.sha === sha && (p.base.repo?.id === undefined || p.base.repo.id === repository.id))
    .map((p) => ({ number: p.number, baseSha: p.base.sha }));
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
