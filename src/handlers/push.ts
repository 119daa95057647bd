/**
 * push to the default branch:
 * - the branch's standing (its scorecard) is evaluated again, at the head it has when the job
 *   runs, so a burst of pushes gives one evaluation of the newest commit;
 * - a change to a configuration file or CODEOWNERS also changes the verdict of every open pull
 *   request into that branch: one job names the push and the runner fans it out into one job per
 *   open pull request, evaluated against the new commit;
 * - a change to the organisation baseline (its `.github` repository) re-evaluates the scorecard
 *   of every repository of the installation, paced. Pull requests elsewhere pick it up on their
 *   next event once the cached configuration expires.
 */
import type { Context } from "probot";
import { baselineChanged, ORG_CONFIG_REPOSITORY, readinessInputsChanged } from "../jobs/triggers.js";
import { EVERY_REPOSITORY } from "../jobs/types.js";
import { enqueueFor } from "./jobs.js";
import type { HandlerDeps } from "./jobs.js";

export async function onPush(context: Context<"push">, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  const branch = payload.repository.default_branch;
  if (payload.deleted || payload.ref !== `refs/heads/${branch}`) return;
  if (deps.scorecards !== false) {
    await enqueueFor(context, context.repo(), { kind: "branch", branch, sha: payload.after }, deps, { reason: "push" });
    if (payload.repository.name === ORG_CONFIG_REPOSITORY && baselineChanged(payload.commits)) {
      context.log.info({}, "the organisation's readiness baseline changed; every repository's scorecard is queued for evaluation");
      const account = { owner: context.repo().owner, repo: EVERY_REPOSITORY };
      await enqueueFor(context, account, { kind: "scorecards", reevaluate: true }, deps, { reason: "baseline-changed" });
    }
  }
  const changed = readinessInputsChanged(payload.commits);
  if (changed.length === 0) return;
  context.log.info({ changed }, "readiness inputs changed on the default branch; its open pull requests are queued for evaluation");
  await enqueueFor(context, context.repo(), { kind: "base-push", branch, sha: payload.after }, deps, { reason: "push-fanout" });
}
