/**
 * push to the default branch that changes a configuration file or CODEOWNERS: one job per open
 * pull request into that branch, evaluated against the new commit (its verdict depends on the
 * base's configuration and owners). A change to the organisation's baseline (its `.github`
 * repository) is not fanned out across the organisation: each pull request elsewhere picks it up
 * on its next event once the cached configuration expires.
 */
import type { Context } from "probot";
import { ORG_CONFIG_REPOSITORY, openPullsOnBase, readinessInputsChanged } from "../github/events.js";
import { jobFor } from "./jobs.js";
import type { HandlerDeps } from "./jobs.js";

export async function onPush(context: Context<"push">, deps: HandlerDeps): Promise<void> {
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
  context.log.info({ changed, pulls: pulls.length }, "readiness inputs changed on the default branch; queueing every open pull request into it");
  for (const pull of pulls) {
    const job = jobFor(context, repo, { kind: "pull", number: pull.number, headSha: pull.head.sha, baseSha: payload.after }, deps, { reason: "push-fanout" });
    if (job) await deps.queue.enqueue(job);
  }
}
