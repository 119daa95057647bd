/**
 * Resolves a trigger (src/jobs/types.ts) into the jobs it calls for, reading GitHub (through the
 * evaluator's caches) and the state store: which open pull requests a CI result or a push to the
 * default branch concerns, and whether a re-run is on a real merge group. The runner enqueues the
 * jobs returned, so they coalesce and run one at a time per subject like any other.
 */
import type { Evaluator, KnownHeadPull } from "../github/evaluate-pull.js";
import { configAwaitsCheck, isBranchAt, openPullsOnBase, openPullsWithHead } from "../github/events.js";
import type { AppOctokit, RepoRef } from "../github/events.js";
import { fetchPull } from "../github/pull.js";
import type { Logger } from "../ports.js";
import type { RepositoryKey, StateStore } from "../state/types.js";
import { listInstallationRepositories } from "../github/branch.js";
import type { BasePushSubject, CiResultSubject, EvaluationJob, EvaluationSubject, ListedPull, RerunSubject, ScorecardsSubject, TriggerSubject } from "./types.js";

export interface ResolveContext {
  readonly evaluator: Evaluator;
  readonly store: StateStore;
  /** The installation's client (Probot's Octokit: listings paginate). */
  readonly octokit: AppOctokit;
  readonly log: Logger;
  readonly now: () => Date;
  /** Time between two repositories' scorecard jobs of one installation (see SCORECARD_SPACING_MS). */
  readonly scorecardSpacingMs?: number;
}

/**
 * Default time between two repositories' scorecards in one installation: 360 an hour, each a
 * handful of reads and one check-run write, well within 5,000 requests and GitHub's 500
 * content-creating requests an hour, with room left for pull requests.
 */
export const SCORECARD_SPACING_MS = 10_000;

/** The jobs a trigger job calls for: its installation, repository, reason and delivery, another subject. */
export async function resolveTrigger(job: EvaluationJob & { readonly subject: TriggerSubject }, context: ResolveContext): Promise<EvaluationJob[]> {
  if (job.subject.kind === "scorecards") return resolveScorecards(job.subject, job, context);
  const subjects = await resolveSubjects(job.subject, job, context);
  return subjects.map((subject) => ({ ...job, subject }));
}

/**
 * One branch job per repository of the installation (its default branch), spaced
 * `scorecardSpacingMs` apart through `notBefore`. Archived repositories are left out; a list in
 * the payload narrows the installation's to those repositories.
 */
async function resolveScorecards(subject: ScorecardsSubject, job: EvaluationJob, context: ResolveContext): Promise<EvaluationJob[]> {
  const listed = await listInstallationRepositories(context.octokit);
  const wanted = subject.repositories ? new Set(subject.repositories.map((r) => `${r.owner}/${r.repo}`.toLowerCase())) : undefined;
  const repositories = listed.filter((r) => !r.archived && (!wanted || wanted.has(`${r.owner}/${r.repo}`.toLowerCase())));
  const spacing = context.scorecardSpacingMs ?? SCORECARD_SPACING_MS;
  const start = context.now().getTime();
  context.log.info({ repositories: repositories.length, spacingMs: spacing, reevaluate: subject.reevaluate }, "queueing a scorecard evaluation of every repository, paced");
  return repositories.map((repository, index) => {
    const { notBefore: _unused, ...rest } = job;
    return {
      ...rest,
      repository: { owner: repository.owner, repo: repository.repo },
      subject: { kind: "branch", branch: repository.defaultBranch, ...(subject.reevaluate ? { reevaluate: true } : {}) },
      ...(index > 0 ? { notBefore: new Date(start + index * spacing).toISOString() } : {}),
    };
  });
}

async function resolveSubjects(subject: Exclude<TriggerSubject, ScorecardsSubject>, job: EvaluationJob, context: ResolveContext): Promise<EvaluationSubject[]> {
  switch (subject.kind) {
    case "ci-result":
      return resolveCiResult(subject, job, context);
    case "base-push":
      return resolveBasePush(subject, job, context);
    case "rerun":
      return resolveRerun(subject, job, context);
  }
}

function repositoryKey(job: EvaluationJob): RepositoryKey {
  return { installationId: job.installationId, owner: job.repository.owner, repo: job.repository.repo };
}

/**
 * Each open pull request with the head whose configuration (at its base) waits for the check:
 * that pull request (the runner settles its pending merge group after evaluating it). Otherwise
 * its pending merge group at that head, when the group's configuration waits for it. Results no
 * rule waits for call for nothing, without a request once the configuration is cached.
 */
async function resolveCiResult(subject: CiResultSubject, job: EvaluationJob, context: ResolveContext): Promise<EvaluationSubject[]> {
  const { evaluator, octokit } = context;
  const repo = job.repository;
  const heads = await pullsWithHead(octokit, repo, subject.headSha, evaluator, subject.pulls);
  const subjects: EvaluationSubject[] = [];
  for (const head of heads) {
    const config = await evaluator.configAt(octokit, repo, head.baseSha);
    if (config !== null && config !== "invalid" && configAwaitsCheck(config, subject.checkName)) {
      subjects.push({ kind: "pull", number: head.number, headSha: subject.headSha, onlyAtHead: true });
      continue;
    }
    const group = await context.store.pendingGroupFor(repositoryKey(job), head.number, context.now().toISOString());
    if (!group || group.pullHeadSha !== subject.headSha) continue;
    const groupConfig = await evaluator.configAt(octokit, repo, group.groupBaseSha);
    if (groupConfig === null || groupConfig === "invalid" || !configAwaitsCheck(groupConfig, subject.checkName)) continue;
    subjects.push({ kind: "merge-group", headSha: group.groupHeadSha, baseSha: group.groupBaseSha, base: group.base, pullNumber: group.pullNumber, pullHeadSha: group.pullHeadSha });
  }
  if (subjects.length === 0) context.log.debug?.({ check: subject.checkName, pulls: heads.length }, "ignored: no rule waits for this check");
  return subjects;
}

/** Every open pull request into the branch, evaluated against the pushed commit. */
async function resolveBasePush(subject: BasePushSubject, job: EvaluationJob, context: ResolveContext): Promise<EvaluationSubject[]> {
  const pulls = await openPullsOnBase(context.octokit, job.repository, subject.branch);
  context.log.info({ branch: subject.branch, sha: subject.sha, pulls: pulls.length }, "readiness inputs changed on the default branch; queueing every open pull request into it");
  return pulls.map((pull) => ({ kind: "pull", number: pull.number, headSha: pull.head.sha, baseSha: subject.sha }));
}

/**
 * A branch name is the pusher's choice: trust it as a merge group only when GitHub announced that
 * group (a pending group in the store came from a merge_group event) or the queue's branch exists
 * here at this commit. Otherwise a fork branch named like a group would borrow another pull
 * request's verdict. Anything else: every open pull request with the head.
 */
async function resolveRerun(subject: RerunSubject, job: EvaluationJob, context: ResolveContext): Promise<EvaluationSubject[]> {
  const { octokit } = context;
  const repo = job.repository;
  const queued = subject.mergeGroup;
  if (queued && subject.headBranch) {
    const pending = await context.store.pendingGroupFor(repositoryKey(job), queued.pullNumber, context.now().toISOString());
    const known = pending?.groupHeadSha === subject.headSha ? pending : undefined;
    if (known || (await isBranchAt(octokit, repo, subject.headBranch, subject.headSha))) {
      // The group's base commit is not in the payload: a pending group remembers it; otherwise the
      // pull request's base stands in for it.
      const baseSha = known ? known.groupBaseSha : (await fetchPull(octokit, repo, queued.pullNumber)).baseSha;
      return [{ kind: "merge-group", headSha: subject.headSha, baseSha, ...queued }];
    }
  }
  const heads = await pullsWithHead(octokit, repo, subject.headSha, context.evaluator, subject.pulls);
  if (heads.length === 0) context.log.info({ sha: subject.headSha }, "re-run requested, but no open pull request has this head commit");
  return heads.map((head) => ({ kind: "pull", number: head.number, headSha: subject.headSha }));
}

/**
 * Which open pull requests a commit is the head of, at the least cost: the payload's own list,
 * then what earlier evaluations taught the evaluator, then one (paginated) listing.
 */
async function pullsWithHead(octokit: AppOctokit, repo: RepoRef, sha: string, evaluator: Evaluator, listed: readonly ListedPull[]): Promise<KnownHeadPull[]> {
  if (listed.length > 0) return listed.map(({ number, baseSha }) => ({ number, baseSha }));
  const known = evaluator.knownPullsWithHead(repo, sha);
  if (known) return [...known];
  const found = (await openPullsWithHead(octokit, repo, sha)).map((pull) => ({ number: pull.number, baseSha: pull.base.sha }));
  evaluator.rememberPullsWithHead(repo, sha, found);
  return found;
}
