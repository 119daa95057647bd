/**
 * check_run.completed and status: CI results some `tests` rule may be waiting for. Whether any
 * rule waits for this check name is decided from the configuration at the pull request's base,
 * cached per commit, so results no rule needs are dropped without an API request once that
 * configuration is known. A pending merge group of the pull request waits by the configuration
 * at the group's base, remembered with it: evaluating the pull request settles the group too, and
 * when only the group waits for the result, only the group is evaluated. The bot's own check run
 * is never a reason to evaluate.
 */
import type { Context } from "probot";
import type { Evaluator } from "../github/evaluate-pull.js";
import { configAwaitsCheck } from "../github/events.js";
import type { AppOctokit, RepoRef } from "../github/events.js";
import type { Logger } from "../pipeline.js";
import { detailsOf, pullsWithHead } from "./targets.js";
import type { PayloadPullRef, RepositoryPayload } from "./targets.js";

/** Commit-status states that are final; `pending` changes nothing a rule can conclude. */
const FINAL_STATUS_STATES: ReadonlySet<string> = new Set(["success", "failure", "error"]);

export async function onCheckRunCompleted(context: Context<"check_run.completed">, evaluator: Evaluator): Promise<void> {
  const run = context.payload.check_run;
  if (evaluator.isOwnCheckRun(run)) {
    context.log.debug({ check: run.name }, "ignored: the bot's own check run");
    return;
  }
  await reevaluateForCheck(context.octokit, context.payload.repository, run.head_sha, run.name, evaluator, context.log, run.pull_requests);
}

export async function onStatus(context: Context<"status">, evaluator: Evaluator): Promise<void> {
  const { state, context: name, sha } = context.payload;
  if (!FINAL_STATUS_STATES.has(state)) {
    context.log.debug({ status: name, state }, "ignored: commit status not final");
    return;
  }
  await reevaluateForCheck(context.octokit, context.payload.repository, sha, name, evaluator, context.log);
}

async function reevaluateForCheck(
  octokit: AppOctokit,
  repository: RepositoryPayload,
  sha: string,
  checkName: string,
  evaluator: Evaluator,
  log: Logger,
  listed?: readonly PayloadPullRef[],
): Promise<void> {
  const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
  const heads = await pullsWithHead(octokit, repo, repository.id, sha, evaluator, listed);
  let evaluated = 0;
  for (const head of heads) {
    const config = await evaluator.configAt(octokit, repo, head.baseSha);
    const pullAwaits = config !== null && config !== "invalid" && configAwaitsCheck(config, checkName);
    const group = evaluator.pendingMergeGroup(repo, head.number);
    const groupAwaits = group !== undefined && configAwaitsCheck(group.config, checkName);
    if (!pullAwaits && !groupAwaits) continue;
    const pull = await detailsOf(octokit, repo, head);
    if (pull.headSha !== sha) continue;
    if (pullAwaits) await evaluator.evaluatePull(octokit, repo, pull, log);
    else await evaluator.settleMergeGroup(octokit, repo, pull, log);
    evaluated += 1;
  }
  if (evaluated === 0) log.debug?.({ check: checkName, pulls: heads.length }, "ignored: no rule waits for this check");
}
