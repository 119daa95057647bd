/**
 * push to the default branch that changes a configuration file or CODEOWNERS: every open pull
 * request into that branch is re-evaluated, one after another, against the new commit (its
 * verdict depends on the base's configuration and owners). A change to the organisation's
 * baseline (its `.github` repository) is not fanned out across the organisation: each pull
 * request elsewhere picks it up on its next event once the cached configuration expires.
 */
import type { Context } from "probot";
import type { Evaluator } from "../github/evaluate-pull.js";
import { ORG_CONFIG_REPOSITORY, openPullsOnBase, readinessInputsChanged } from "../github/events.js";
import { pullFromPayload } from "../github/pull.js";

export async function onPush(context: Context<"push">, evaluator: Evaluator): Promise<void> {
  const { payload } = context;
  const branch = payload.repository.default_branch;
  if (payload.deleted || payload.ref !== `refs/heads/${branch}`) return;
  const changed = readinessInputsChanged(payload.commits);
  if (changed.length === 0) return;
  const repo = context.repo();
  if (payload.repository.name === ORG_CONFIG_REPOSITORY) {
    context.log.info({ changed }, "the organisation's .github repository changed; other repositories pick it up on their next event");
  }
  const pulls = await openPullsOnBase(context.octokit, repo, branch);
  context.log.info({ changed, pulls: pulls.length }, "readiness inputs changed on the default branch; re-evaluating open pull requests");
  const failed: number[] = [];
  for (const raw of pulls) {
    const pull = { ...pullFromPayload(raw), baseSha: payload.after };
    try {
      await evaluator.evaluatePull(context.octokit, repo, pull, context.log);
    } catch (error) {
      failed.push(pull.number);
      context.log.warn({ pull: pull.number, err: error }, "re-evaluation failed");
    }
  }
  if (failed.length > 0) throw new Error(`${failed.length} of ${pulls.length} open pull requests could not be re-evaluated: #${failed.join(", #")}`);
}
