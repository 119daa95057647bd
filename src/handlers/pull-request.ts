/**
 * pull_request and pull_request_review: the payload carries the pull request as it is now, so
 * it is evaluated from the payload without fetching it again. Drafts are evaluated like any
 * other pull request: the check is informative until the draft is marked ready.
 */
import type { Evaluator } from "../github/evaluate-pull.js";
import type { AppOctokit, RepoRef } from "../github/events.js";
import { pullFromPayload } from "../github/pull.js";
import type { PullRequestPayload } from "../github/pull.js";
import type { Logger } from "../pipeline.js";

export const PULL_REQUEST_ACTIONS = ["opened", "reopened", "synchronize", "edited", "ready_for_review", "labeled", "unlabeled"] as const;
export const REVIEW_ACTIONS = ["submitted", "edited", "dismissed"] as const;

/** What pull_request and pull_request_review contexts have in common, as read here. */
export interface PullEventContext {
  readonly payload: { readonly pull_request: PullRequestPayload };
  readonly octokit: AppOctokit;
  readonly log: Logger;
  repo(): RepoRef;
}

export async function onPullRequest(context: PullEventContext, evaluator: Evaluator): Promise<void> {
  const pull = pullFromPayload(context.payload.pull_request);
  await evaluator.evaluatePull(context.octokit, context.repo(), pull, context.log);
}
