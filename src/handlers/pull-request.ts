/**
 * pull_request and pull_request_review: one job for the pull request. The runner reads it fresh
 * when the job runs, so a burst of events (opened, labeled, a review) gives one evaluation at the
 * newest head. Drafts are evaluated like any other pull request: the check is informative until
 * the draft is marked ready.
 */
import type { RepoRef } from "../github/events.js";
import type { PullRequestPayload } from "../github/pull.js";
import { enqueueFor } from "./jobs.js";
import type { DeliveryContext, HandlerDeps } from "./jobs.js";

export const PULL_REQUEST_ACTIONS = ["opened", "reopened", "synchronize", "edited", "ready_for_review", "labeled", "unlabeled"] as const;
export const REVIEW_ACTIONS = ["submitted", "edited", "dismissed"] as const;

/** What pull_request and pull_request_review contexts have in common, as read here. */
export interface PullEventContext extends DeliveryContext {
  readonly payload: DeliveryContext["payload"] & { readonly pull_request: PullRequestPayload };
  repo(): RepoRef;
}

export async function onPullRequest(context: PullEventContext, deps: HandlerDeps): Promise<void> {
  const pull = context.payload.pull_request;
  if (typeof pull?.number !== "number") {
    context.log.warn({ event: context.name }, "ignored: the pull request in the payload has no number");
    return;
  }
  await enqueueFor(context, context.repo(), { kind: "pull", number: pull.number, ...(typeof pull.head?.sha === "string" ? { headSha: pull.head.sha } : {}) }, deps);
}
