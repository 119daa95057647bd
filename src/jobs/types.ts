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

/** A pull request a payload lists with a commit: its number and base commit. */
export interface ListedPull {
  readonly number: number;
  readonly baseSha: string;
}

/**
 * A CI result (a completed check run, a final commit status) named `checkName` on `headSha`. The
 * runner evaluates the open pull requests with that head whose configuration waits for the name,
 * or their pending merge group when only the group's does. `pulls`: those the payload listed in
 * this repository (empty: the runner finds them).
 */
export interface CiResultSubject {
  readonly kind: "ci-result";
  readonly headSha: string;
  readonly checkName: string;
  readonly pulls: readonly ListedPull[];
}

/**
 * A push to the default branch `branch`, now at `sha`, changed a readiness input (configuration,
 * CODEOWNERS): the runner evaluates every open pull request into it against `sha`.
 */
export interface BasePushSubject {
  readonly kind: "base-push";
  readonly branch: string;
  readonly sha: string;
}

/**
 * A re-run of the bot's check on `headSha` was requested. `mergeGroup`: the queue entry the head
 * branch is named after, if it is (the runner trusts it only once GitHub confirms the group).
 */
export interface RerunSubject {
  readonly kind: "rerun";
  readonly headSha: string;
  readonly headBranch: string | null;
  readonly mergeGroup: { readonly base: string; readonly pullNumber: number; readonly pullHeadSha: string } | null;
  readonly pulls: readonly ListedPull[];
}

/**
 * A `/readiness` command commented on a pull request or issue (src/jobs/commands.ts): the runner
 * checks who may, records the decision, answers on the comment and re-evaluates the pull request.
 */
export interface CommandSubject {
  readonly kind: "command";
  readonly commentId: number;
  readonly commentUrl: string;
  /** The issue or pull request commented on. */
  readonly issueNumber: number;
  readonly onPull: boolean;
  /** Login of the commenter. */
  readonly author: string;
  /** The command line as written (parsed by the runner, so a refusal is answered). */
  readonly line: string;
  /** The repository's default branch: an issue's configuration is read there. */
  readonly defaultBranch: string;
}

/**
 * A branch's standing (the scorecard): the default branch `branch`, evaluated at the head it has
 * when the job runs (`sha`: the commit the event was about, informative), so a burst of pushes
 * coalesces into one evaluation of the newest commit.
 */
export interface BranchSubject {
  readonly kind: "branch";
  readonly branch: string;
  readonly sha?: string;
  /**
   * Evaluate even when the head already has a record: the configuration's organisation baseline
   * changed, or time alone may have changed the verdict (the daily sweep). Without it a head
   * evaluated already is not evaluated again.
   */
  readonly reevaluate?: boolean;
}

/**
 * Every repository of an installation needs a scorecard (the app was installed, repositories
 * were added, the organisation baseline changed, the daily sweep). `repositories`: those the
 * payload listed (absent: the runner lists the installation's). The runner enqueues one branch
 * job per repository, spaced out so the installation's rate limits are kept.
 */
export interface ScorecardsSubject {
  readonly kind: "scorecards";
  readonly repositories?: readonly JobRepository[];
  /** Re-evaluate heads that already have a record (see BranchSubject.reevaluate). */
  readonly reevaluate: boolean;
}

/**
 * A deployment waiting on the app as a custom protection rule: the commit `sha` (from `ref`) to be
 * deployed to `environment` by workflow run `runId`, answered at `callbackUrl` (checked to be this
 * repository's own endpoint before anything is posted).
 */
export interface DeploymentSubject {
  readonly kind: "deployment";
  readonly runId: number;
  readonly environment: string;
  readonly callbackUrl: string;
  readonly sha: string;
  readonly ref: string;
}

/** What is judged. New kinds (a deployment) are added here, to `subjectKey` and `subjectKind`. */
export type EvaluationSubject = PullSubject | MergeGroupSubject | BranchSubject;

/**
 * What an event says happened, when which subjects it concerns takes reading GitHub: the runner
 * resolves it into jobs for evaluation subjects, enqueued through the queue like any other.
 */
export type TriggerSubject = CiResultSubject | BasePushSubject | RerunSubject | ScorecardsSubject;

export type Subject = EvaluationSubject | TriggerSubject | CommandSubject | DeploymentSubject;

const TRIGGER_KINDS: ReadonlySet<string> = new Set<TriggerSubject["kind"]>(["ci-result", "base-push", "rerun", "scorecards"]);

export function isTrigger(subject: Subject): subject is TriggerSubject {
  return TRIGGER_KINDS.has(subject.kind);
}

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
  /** ISO-8601, UTC: not run before this time (paced work, such as a whole installation's scorecards). */
  readonly notBefore?: string;
}

const SUBJECT_KINDS: { readonly [K in EvaluationSubject["kind"]]: SubjectKind } = { pull: "pull", "merge-group": "merge-group", branch: "branch" };

export function subjectKind(subject: EvaluationSubject): SubjectKind {
  return SUBJECT_KINDS[subject.kind];
}

/**
 * `pull:owner/repo#12`, `merge-group:owner/repo@<sha>`, lower-case (see SubjectKey). Triggers:
 * `ci-result:owner/repo@<sha>:<check name>`, `base-push:owner/repo:<branch>` (a newer push to the
 * branch replaces one still waiting), `rerun:owner/repo@<sha>`. A branch: `branch:owner/repo:<branch>`
 * (the branch name keeps its case, as Git does). An installation's scorecards:
 * `scorecards:<account>` (the job's repository names the account, its repo is "*"). A deployment:
 * `deployment:owner/repo:<run id>:<environment>` (one answer per run and environment).
 */
export function subjectKey(job: Pick<EvaluationJob, "repository" | "subject">): SubjectKey {
  const repository = `${job.repository.owner}/${job.repository.repo}`;
  const subject = job.subject;
  switch (subject.kind) {
    case "pull":
      return `pull:${repository}#${subject.number}`.toLowerCase();
    case "merge-group":
      return `merge-group:${repository}@${subject.headSha}`.toLowerCase();
    case "ci-result":
      return `ci-result:${repository}@${subject.headSha}`.toLowerCase() + `:${subject.checkName}`;
    case "base-push":
      return `base-push:${repository}`.toLowerCase() + `:${subject.branch}`;
    case "rerun":
      return `rerun:${repository}@${subject.headSha}`.toLowerCase();
    case "command":
      return `command:${repository}#${subject.commentId}`.toLowerCase();
    case "branch":
      return `branch:${repository}`.toLowerCase() + `:${subject.branch}`;
    case "scorecards":
      return `scorecards:${job.repository.owner}`.toLowerCase();
    case "deployment":
      return `deployment:${repository}`.toLowerCase() + `:${subject.runId}:${subject.environment}`;
  }
}

/**
 * Where the evaluation of a deployed commit is recorded: its own subject, so the default branch's
 * scorecard is never replaced by a commit that is not the branch's head.
 */
export function deploymentRecordKey(repository: JobRepository, sha: string): SubjectKey {
  return `deployment:${repository.owner}/${repository.repo}@${sha}`.toLowerCase();
}

/** The job's repository for work about a whole installation: the account, every repository. */
export const EVERY_REPOSITORY = "*";

/**
 * Two jobs for one subject waiting together become one: the newer wins (it carries the newer
 * event), a forced check write is kept, and the earlier request time stays (how long the subject
 * has waited).
 */
export function coalesceJobs(older: EvaluationJob, newer: EvaluationJob): EvaluationJob {
  const forceCheckWrite = (older.forceCheckWrite ?? false) || (newer.forceCheckWrite ?? false);
  const requestedAt = older.requestedAt < newer.requestedAt ? older.requestedAt : newer.requestedAt;
  // A branch job that must re-evaluate stays so when a push-triggered one replaces it.
  const subject =
    newer.subject.kind === "branch" && older.subject.kind === "branch" && older.subject.reevaluate && !newer.subject.reevaluate ? { ...newer.subject, reevaluate: true } : newer.subject;
  return { ...newer, subject, requestedAt, ...(forceCheckWrite ? { forceCheckWrite } : {}) };
}

/** A short description for log lines: never a payload. */
export function describeJob(job: EvaluationJob): string {
  return `${subjectKey(job)} (${job.reason}${job.deliveryId ? `, delivery ${job.deliveryId}` : ""})`;
}

/** The commit a job is about, as far as the job itself says (the runner may learn a newer head). */
export function jobHeadSha(subject: Subject): string | undefined {
  return "headSha" in subject ? subject.headSha : "sha" in subject ? subject.sha : undefined;
}

/**
 * What every log line about a job carries (the runner's and the queue's): delivery, repository,
 * subject, head commit, reason. `headSha` overrides the job's own once the runner knows the head
 * it evaluates.
 */
export function jobBindings(job: EvaluationJob, headSha: string | undefined = jobHeadSha(job.subject)): Record<string, unknown> {
  return {
    ...(job.deliveryId ? { deliveryId: job.deliveryId } : {}),
    repository: `${job.repository.owner}/${job.repository.repo}`,
    subject: subjectKey(job),
    ...(headSha ? { headSha } : {}),
    reason: job.reason,
  };
}
