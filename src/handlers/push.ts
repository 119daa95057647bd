/**
 * push to the default branch that changes a configuration file or CODEOWNERS: the verdict of every
 * open pull request into that branch depends on the base's configuration and owners, so one job
 * names the push and the runner fans it out into one job per open pull request, evaluated against
 * the new commit. A change to the organisation's baseline (its `.github` repository) is not fanned
 * out across the organisation: each pull request elsewhere picks it up on its next event once the
 * cached configuration expires.
 */
import type { Context } from "probot";
import { ORG_CONFIG_REPOSITORY, readinessInputsChanged } from "../jobs/triggers.js";
import { enqueueFor } from "./jobs.js";
import type { HandlerDeps } from "./jobs.js";

export async function onPush(context: Context<"push">, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  const branch = payload.repository.default_branch;
  if (payload.deleted || payload.ref !== `refs/heads/${branch}`) return;
  const changed = readinessInputsChanged(payload.commits);
  if (changed.length === 0) return;
  if (payload.repository.name === ORG_CONFIG_REPOSITORY) {
    context.log.info({ changed }, "the organisation's .github repository changed; other repositories pick it up on their next event");
  }
  context.log.info({ changed }, "readiness inputs changed on the default branch; its open pull requests are queued for evaluation");
  await enqueueFor(context, context.repo(), { kind: "base-push", branch, sha: payload.after }, deps, { reason: "push-fanout" });
}
