/**
 * check_run.completed and status: CI results some `tests` rule may be waiting for. Which pull
 * requests (or pending merge groups) wait for this check name takes reading their configuration,
 * so the handler enqueues the result itself and the runner resolves it (src/jobs/resolve.ts):
 * results no rule needs are dropped there, without an API request once the configuration is
 * cached. The bot's own check run, and a commit status that is not final, are never a reason to
 * evaluate: decided here, from the payload.
 */
import type { Context } from "probot";
import { isOwnCheckRun } from "../jobs/triggers.js";
import { enqueueFor, listedWithHead, repoOf } from "./jobs.js";
import type { HandlerDeps } from "./jobs.js";

/** Commit-status states that are final; `pending` changes nothing a rule can conclude. */
const FINAL_STATUS_STATES: ReadonlySet<string> = new Set(["success", "failure", "error"]);

export async function onCheckRunCompleted(context: Context<"check_run.completed">, deps: HandlerDeps): Promise<void> {
  const run = context.payload.check_run;
  if (isOwnCheckRun(deps.ownCheck, run)) {
    context.log.debug({ check: run.name }, "ignored: the bot's own check run");
    return;
  }
  const { repository } = context.payload;
  const pulls = listedWithHead(run.pull_requests, repository, run.head_sha);
  await enqueueFor(context, repoOf(repository), { kind: "ci-result", headSha: run.head_sha, checkName: run.name, pulls }, deps);
}

export async function onStatus(context: Context<"status">, deps: HandlerDeps): Promise<void> {
  const { state, context: name, sha, repository } = context.payload;
  if (!FINAL_STATUS_STATES.has(state)) {
    context.log.debug({ status: name, state }, "ignored: commit status not final");
    return;
  }
  // Commit statuses never list pull requests: the runner finds them by their head.
  await enqueueFor(context, repoOf(repository), { kind: "ci-result", headSha: sha, checkName: name, pulls: [] }, deps);
}
