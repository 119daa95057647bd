/**
 * check_run.rerequested and check_suite.rerequested on the bot's own check: GitHub leaves the
 * run as it is, so a fresh verdict is posted for every open pull request with that head (or, on
 * a merge group's commit, for the queued pull request).
 */
import type { Context } from "probot";
import type { Evaluator } from "../github/evaluate-pull.js";
import { isBranchAt, parseMergeGroupRef } from "../github/events.js";
import type { AppOctokit, RepoRef } from "../github/events.js";
import { fetchPull } from "../github/pull.js";
import type { Logger } from "../pipeline.js";
import { detailsOf, pullsWithHead } from "./targets.js";
import type { PayloadPullRef, RepositoryPayload } from "./targets.js";

export async function onCheckRunRerequested(context: Context<"check_run.rerequested">, evaluator: Evaluator): Promise<void> {
  const run = context.payload.check_run;
  if (!evaluator.isOwnCheckRun(run) || run.name !== evaluator.settings.checkName) {
    context.log.debug({ check: run.name }, "ignored: re-run requested for another check");
    return;
  }
  await reevaluateHead(context.octokit, context.payload.repository, run.head_sha, run.check_suite.head_branch ?? null, evaluator, context.log, run.pull_requests);
}

export async function onCheckSuiteRerequested(context: Context<"check_suite.rerequested">, evaluator: Evaluator): Promise<void> {
  const suite = context.payload.check_suite;
  if (evaluator.settings.appId !== undefined && suite.app.id !== evaluator.settings.appId) {
    context.log.debug({ app: suite.app.id }, "ignored: another app's check suite");
    return;
  }
  await reevaluateHead(context.octokit, context.payload.repository, suite.head_sha, suite.head_branch, evaluator, context.log, suite.pull_requests);
}

async function reevaluateHead(
  octokit: AppOctokit,
  repository: RepositoryPayload,
  sha: string,
  headBranch: string | null,
  evaluator: Evaluator,
  log: Logger,
  listed: readonly PayloadPullRef[],
): Promise<void> {
  const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
  const queued = headBranch ? parseMergeGroupRef(headBranch) : null;
  // A branch name is the pusher's choice: trust it as a merge group only when this process saw
  // that group (merge_group events come from GitHub) or the queue's branch exists here at this
  // commit. Otherwise a fork branch named like a group would borrow another PR's verdict.
  const pending = queued ? evaluator.pendingMergeGroup(repo, queued.pullNumber) : undefined;
  if (queued && (pending?.headSha === sha || (await isBranchAt(octokit, repo, headBranch!, sha)))) {
    const pull = await fetchPull(octokit, repo, queued.pullNumber);
    // The group's base commit is not in the payload: a pending group remembers it; otherwise the
    // pull request's base stands in for it.
    const baseSha = pending?.headSha === sha ? pending.baseSha : pull.baseSha;
    await evaluator.evaluateMergeGroup(octokit, repo, { headSha: sha, baseSha, entry: queued }, pull, log, { forceCheckWrite: true });
    return;
  }
  const heads = await pullsWithHead(octokit, repo, repository.id, sha, evaluator, listed);
  if (heads.length === 0) log.info({ sha }, "re-run requested, but no open pull request has this head commit");
  for (const head of heads) {
    const pull = await detailsOf(octokit, repo, head);
    if (pull.headSha === sha) await evaluator.evaluatePull(octokit, repo, pull, log, { forceCheckWrite: true });
  }
}
