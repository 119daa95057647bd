/**
 * check_run.completed and status: CI results some `tests` rule may be waiting for. Whether any
 * rule waits for this check name is decided from the configuration at the pull request's base,
 * cached per commit, so results no rule needs are dropped without an API request once that
 * configuration is known. A pending merge group of the pull request (in the state store) waits by
 * the configuration at the group's base: evaluating the pull request settles the group too, and
 * when only the group waits for the result, only the group is queued. The bot's own check run is
 * never a reason to evaluate. Only jobs are queued here; the runner evaluates.
 */
import type { Context } from "probot";
import { configAwaitsCheck } from "../github/events.js";
import type { AppOctokit, RepoRef } from "../github/events.js";
import { enqueueFor } from "./jobs.js";
import type { DeliveryContext, HandlerDeps } from "./jobs.js";
import { pullsWithHead } from "./targets.js";
import type { PayloadPullRef, RepositoryPayload } from "./targets.js";

/** Commit-status states that are final; `pending` changes nothing a rule can conclude. */
const FINAL_STATUS_STATES: ReadonlySet<string> = new Set(["success", "failure", "error"]);

export async function onCheckRunCompleted(context: Context<"check_run.completed">, deps: HandlerDeps): Promise<void> {
  const run = context.payload.check_run;
  if (deps.evaluator.isOwnCheckRun(run)) {
    context.log.debug({ check: run.name }, "ignored: the bot's own check run");
    return;
  }
  await reevaluateForCheck(context, context.octokit, context.payload.repository, run.head_sha, run.name, deps, run.pull_requests);
}

export async function onStatus(context: Context<"status">, deps: HandlerDeps): Promise<void> {
  const { state, context: name, sha } = context.payload;
  if (!FINAL_STATUS_STATES.has(state)) {
    context.log.debug({ status: name, state }, "ignored: commit status not final");
    return;
  }
  await reevaluateForCheck(context, context.octokit, context.payload.repository, sha, name, deps);
}

async function reevaluateForCheck(
  context: DeliveryContext,
  octokit: AppOctokit,
  repository: RepositoryPayload,
  sha: string,
  checkName: string,
  deps: HandlerDeps,
  listed?: readonly PayloadPullRef[],
): Promise<void> {
  const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
  const installationId = context.payload.installation?.id;
  const heads = await pullsWithHead(octokit, repo, repository.id, sha, deps.evaluator, listed);
  let queued = 0;
  for (const head of heads) {
    const config = await deps.evaluator.configAt(octokit, repo, head.baseSha);
    const pullAwaits = config !== null && config !== "invalid" && configAwaitsCheck(config, checkName);
    if (pullAwaits) {
      // The runner settles the pull request's pending merge group after evaluating it.
      await enqueueFor(context, repo, { kind: "pull", number: head.number, headSha: sha, onlyAtHead: true }, deps);
      queued += 1;
      continue;
    }
    if (typeof installationId !== "number") continue;
    const group = await deps.store.pendingGroupFor({ installationId, ...repo }, head.number, deps.now().toISOString());
    if (!group || group.pullHeadSha !== sha) continue;
    const groupConfig = await deps.evaluator.configAt(octokit, repo, group.groupBaseSha);
    if (groupConfig === null || groupConfig === "invalid" || !configAwaitsCheck(groupConfig, checkName)) continue;
    await enqueueFor(
      context,
      repo,
      { kind: "merge-group", headSha: group.groupHeadSha, baseSha: group.groupBaseSha, base: group.base, pullNumber: group.pullNumber, pullHeadSha: group.pullHeadSha },
      deps,
    );
    queued += 1;
  }
  if (queued === 0) context.log.debug?.({ check: checkName, pulls: heads.length }, "ignored: no rule waits for this check");
}
