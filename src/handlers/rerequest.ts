/**
 * check_run.rerequested and check_suite.rerequested on the bot's own check: GitHub leaves the
 * run as it is, so a fresh verdict is posted for every open pull request with that head (or, on
 * a merge group's commit, for the queued pull request).
 */
import type { Context } from "probot";
import { isBranchAt, parseMergeGroupRef } from "../github/events.js";
import type { AppOctokit, RepoRef } from "../github/events.js";
import { fetchPull } from "../github/pull.js";
import { enqueueFor } from "./jobs.js";
import type { DeliveryContext, HandlerDeps } from "./jobs.js";
import { pullsWithHead } from "./targets.js";
import type { PayloadPullRef, RepositoryPayload } from "./targets.js";

export async function onCheckRunRerequested(context: Context<"check_run.rerequested">, deps: HandlerDeps): Promise<void> {
  const run = context.payload.check_run;
  if (!deps.evaluator.isOwnCheckRun(run) || run.name !== deps.evaluator.settings.checkName) {
    context.log.debug({ check: run.name }, "ignored: re-run requested for another check");
    return;
  }
  await reevaluateHead(context, context.octokit, context.payload.repository, run.head_sha, run.check_suite.head_branch ?? null, deps, run.pull_requests);
}

export async function onCheckSuiteRerequested(context: Context<"check_suite.rerequested">, deps: HandlerDeps): Promise<void> {
  const suite = context.payload.check_suite;
  if (deps.evaluator.settings.appId !== undefined && suite.app.id !== deps.evaluator.settings.appId) {
    context.log.debug({ app: suite.app.id }, "ignored: another app's check suite");
    return;
  }
  await reevaluateHead(context, context.octokit, context.payload.repository, suite.head_sha, suite.head_branch, deps, suite.pull_requests);
}

async function reevaluateHead(
  context: DeliveryContext,
  octokit: AppOctokit,
  repository: RepositoryPayload,
  sha: string,
  headBranch: string | null,
  deps: HandlerDeps,
  listed: readonly PayloadPullRef[],
): Promise<void> {
  const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
  const queued = headBranch ? parseMergeGroupRef(headBranch) : null;
  // A branch name is the pusher's choice: trust it as a merge group only when GitHub announced
  // that group (a pending group in the store came from a merge_group event) or the queue's branch
  // exists here at this commit. Otherwise a fork branch named like a group would borrow another
  // pull request's verdict.
  const installationId = context.payload.installation?.id;
  const pending =
    queued && typeof installationId === "number" ? await deps.store.pendingGroupFor({ installationId, ...repo }, queued.pullNumber, deps.now().toISOString()) : undefined;
  const known = pending?.groupHeadSha === sha ? pending : undefined;
  if (queued && (known || (await isBranchAt(octokit, repo, headBranch!, sha)))) {
    // The group's base commit is not in the payload: a pending group remembers it; otherwise the
    // pull request's base stands in for it.
    const baseSha = known ? known.groupBaseSha : (await fetchPull(octokit, repo, queued.pullNumber)).baseSha;
    await enqueueFor(context, repo, { kind: "merge-group", headSha: sha, baseSha, ...queued }, deps, { forceCheckWrite: true });
    return;
  }
  const heads = await pullsWithHead(octokit, repo, repository.id, sha, deps.evaluator, listed);
  if (heads.length === 0) context.log.info({ sha }, "re-run requested, but no open pull request has this head commit");
  for (const head of heads) await enqueueFor(context, repo, { kind: "pull", number: head.number, headSha: sha }, deps, { forceCheckWrite: true });
}
