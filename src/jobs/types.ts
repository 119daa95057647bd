/**
 * The job boundary: what a handler, a schedule or reconciliation asks for, as plain data that can
 * cross a process (BullMQ stores it as JSON). A job names a subject; the runner resolves it
 * (fresh data from GitHub), runs the pipeline and records the outcome.
 */
import type { SubjectKey, SubjectKind } from "../state/types.js";

/**
 * A pull request. `headSha` is the head the event was about (informative: the runner evaluates
 * the head the pull request has when the job runs); `baseSha` pins the commit whose configuration
 * applies when the event knows a newer base than GitHub's pull request object (a push to it).
 */
export interface PullSubject {
  readonly kind: "pull";
  readonly number: number;
  readonly headSha?: string;
  readonly baseSha?: string;
  /**
   * Evaluate only while the pull request's head is still `headSha`: a CI result on an older
   * commit changes nothing about the newest one.
   */
  readonly onlyAtHead?: boolean;
}

/** A merge group testing one queued pull request; its check goes on the group's head commit. */
export interface MergeGroupSubject {
  readonly kind: "merge-group";
  readonly headSha: string;
  readonly baseSha: string;
  /** The branch the queue merges into. */
  readonly base: string;
  readonly pullNumber: number;
  /** The pull request's head commit when it was queued. */
  readonly pullHeadSha: string;
}

/** New kinds (a branch, a deployment) are added to this union and to `subjectKey`. */
export type Subject = PullSubject | MergeGroupSubject;

export interface JobRepository {
  readonly owner: string;
  readonly repo: string;
}

export interface EvaluationJob {
  readonly installationId: number;
  readonly repository: JobRepository;
  readonly subject: Subject;
  /** Why: the event and action ("pull_request.opened"), "push-fanout", "reconcile", "rerequest" ... */
  readonly reason: string;
  readonly deliveryId?: string;
  /** ISO-8601, UTC. */
  readonly requestedAt: string;
  /** After a re-run request GitHub has reset the run: write it even when nothing changed. */
  readonly forceCheckWrite?: boolean;
}

const SUBJECT_KINDS: { readonly [K in Subject["kind"]]: SubjectKind } = { pull: "pull", "merge-group": "merge-group" };

export function subjectKind(subject: Subject): SubjectKind {
  return SUBJECT_KINDS[subject.kind];
}

/** `pull:owner/repo#12`, `merge-group:owner/repo@<sha>`, lower-case (see SubjectKey). */
export function subjectKey(job: Pick<EvaluationJob, "repository" | "subject">): SubjectKey {
  const repository = `${job.repository.owner}/${job.repository.repo}`;
  const subject = job.subject;
  switch (subject.kind) {
    case "pull":
      return `pull:${repository}#${subject.number}`.toLowerCase();
    case "merge-group":
      return `merge-group:${repository}@${subject.headSha}`.toLowerCase();
  }
}

/**
 * Two jobs for one subject waiting together become one: the newer wins (it carries the newer
 * event), a forced check write is kept, and the earlier request time stays (how long the subject
 * has waited).
 */
export function coalesceJobs(older: EvaluationJob, newer: EvaluationJob): EvaluationJob {
  const forceCheckWrite = (older.forceCheckWrite ?? false) || (newer.forceCheckWrite ?? false);
  const requestedAt = older.requestedAt < newer.requestedAt ? older.requestedAt : newer.requestedAt;
  return { ...newer, requestedAt, ...(forceCheckWrite ? { forceCheckWrite } : {}) };
}

/** A short description for log lines: never a payload. */
export function describeJob(job: EvaluationJob): string {
  return `${subjectKey(job)} (${job.reason}${job.deliveryId ? `, delivery ${job.deliveryId}` : ""})`;
}
