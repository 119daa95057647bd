/**
 * check_run.rerequested and check_suite.rerequested on the bot's own check: GitHub leaves the
 * run as it is, so a fresh verdict is posted for every open pull request with that head (or, on
 * a merge group's commit, for the queued pull request). Whether the head branch really is a
 * merge group takes a read: the runner resolves the re-run (src/jobs/resolve.ts).
 */
import type { Context } from "probot";
import { isOwnCheckRun, parseMergeGroupRef } from "../jobs/triggers.js";
import { enqueueFor, listedWithHead, repoOf } from "./jobs.js";
import type { DeliveryContext, HandlerDeps, PayloadPullRef, RepositoryPayload } from "./jobs.js";

export async function onCheckRunRerequested(context: Context<"check_run.rerequested">, deps: HandlerDeps): Promise<void> {
  const run = context.payload.check_run;
  if (!isOwnCheckRun(deps.ownCheck, run) || run.name !== deps.ownCheck.checkName) {
    context.log.debug({ check: run.name }, "ignored: re-run requested for another check");
    return;
  }
  await enqueueRerun(context, context.payload.repository, run.head_sha, run.check_suite.head_branch ?? null, deps, run.pull_requests);
}

export async function onCheckSuiteRerequested(context: Context<"check_suite.rerequested">, deps: HandlerDeps): Promise<void> {
  const suite = context.payload.check_suite;
  if (deps.ownCheck.appId !== undefined && suite.app.id !== deps.ownCheck.appId) {
    context.log.debug({ app: suite.app.id }, "ignored: another app's check suite");
    return;
  }
  await enqueueRerun(context, context.payload.repository, suite.head_sha, suite.head_branch, deps, suite.pull_requests);
}

async function enqueueRerun(
  context: DeliveryContext,
  repository: RepositoryPayload,
  sha: string,
  headBranch: string | null,
  deps: HandlerDeps,
  listed: readonly PayloadPullRef[],
): Promise<void> {
  const mergeGroup = headBranch ? parseMergeGroupRef(headBranch) : null;
  const pulls = listedWithHead(listed, repository, sha);
  await enqueueFor(context, repoOf(repository), { kind: "rerun", headSha: sha, headBranch, mergeGroup, pulls }, deps, { forceCheckWrite: true });
}
