/**
 * The deployment gate's job: answers one `deployment_protection_rule` request, once. The level an
 * environment requires comes from the configuration on the repository's default branch (never
 * the deployed commit's own file); the commit's standing from a fresh stored record of it, else
 * from evaluating it as a branch subject under that same configuration. A deployment is never approved by default: when no
 * standing can be had, the queue retries and the give-up answers `rejected` with the reason.
 */
import type { Evaluator } from "../github/evaluate-pull.js";
import type { GitHubClient } from "../github/octokit.js";
import type { AppOctokit } from "../github/events.js";
import { fetchBranchHead, fetchRepositoryState } from "../github/branch.js";
import { answerDeployment, callbackRun } from "../github/deployment-gate.js";
import type { DeploymentCallbackClient } from "../github/deployment-gate.js";
import { environmentNotListed, environmentRequirement, gateAnswer, gateUnavailable, noConfiguration } from "../render/deployment.js";
import type { GateAnswer, GateStanding } from "../render/deployment.js";
import type { PipelineOutcome } from "../pipeline.js";
import type { Logger } from "../ports.js";
import type { EvaluationRecord, StateStore } from "../state/types.js";
import { deploymentRecordKey } from "./types.js";
import { ANSWERED, AnswerInProgress, UNANSWERED, answerState, claimIsStale, claimValue, deploymentAnswerKey, forgetDeploymentRequest } from "./pending-deployments.js";
import type { DeploymentSubject, EvaluationJob } from "./types.js";

/** A stored record of the commit younger than this is the standing answered with. */
export const DEPLOYMENT_RECORD_FRESH_MS = 60 * 60_000;

/** The rule outcomes that do not hold a level back. */
const SATISFIED: ReadonlySet<string> = new Set(["pass", "skip", "waived"]);

export interface DeploymentJobContext {
  readonly job: EvaluationJob & { readonly subject: DeploymentSubject };
  readonly octokit: GitHubClient;
  readonly evaluator: Evaluator;
  readonly store: StateStore;
  readonly log: Logger;
  readonly now: () => Date;
  /** Records the commit's evaluation under `key` (the runner's record). */
  readonly record: (key: string, sha: string, outcome: PipelineOutcome) => Promise<void>;
  /** The job's subject key: one answer per key. */
  readonly key: string;
}

/**
 * Posts `answer` unless this request was answered (or is being answered) already: the claim is
 * taken before posting, so a retried job or a duplicate delivery never answers twice. A failed
 * post releases the claim for the next attempt; a claim whose holder died is taken over after
 * its lease. False when nothing was posted: answered already, or (with `whenClaimed: "skip"`)
 * claimed by another attempt; with `whenClaimed: "throw"` a live claim throws AnswerInProgress so
 * the queue tries again later.
 */
export async function answerOnce(
  context: Pick<DeploymentJobContext, "job" | "octokit" | "store" | "log" | "now" | "key">,
  answer: GateAnswer,
  whenClaimed: "skip" | "throw" = "skip",
): Promise<boolean> {
  const { job, store, log } = context;
  const runId = callbackRun(job.subject.callbackUrl, job.repository);
  if (runId === undefined) {
    log.warn({}, "deployment not answered: the callback URL is not this repository's protection-rule endpoint");
    return false;
  }
  const key = deploymentAnswerKey(context.key);
  const entry = await store.getBookkeeping(key);
  const state = answerState(entry);
  if (state.kind === "answered") return false;
  const claimedAt = context.now();
  if (state.kind === "claimed") {
    if (!claimIsStale(state, claimedAt)) {
      if (whenClaimed === "throw") throw new AnswerInProgress(new Date(state.since).toISOString());
      return false;
    }
    log.warn({ claimedAt: new Date(state.since).toISOString() }, "deployment: the attempt that claimed this answer died; taking the claim over");
  }
  const claim = claimValue(claimedAt);
  if (!(await store.claimBookkeeping(entry?.value, { key, value: claim, updatedAt: claimedAt.toISOString() }))) {
    if (whenClaimed === "throw") throw new AnswerInProgress(claimedAt.toISOString());
    return false;
  }
  try {
    await answerDeployment(context.octokit as unknown as DeploymentCallbackClient, job.repository, runId, { environment: job.subject.environment, ...answer });
  } catch (error) {
    await store.claimBookkeeping(claim, { key, value: UNANSWERED, updatedAt: context.now().toISOString() });
    throw error;
  }
  await store.setBookkeeping({ key, value: ANSWERED, updatedAt: context.now().toISOString() });
  await forgetDeploymentRequest(store, context.key);
  const waitedMs = context.now().getTime() - Date.parse(job.requestedAt);
  log.info({ environment: job.subject.environment, state: answer.state, waitedMs }, "deployment answered");
  return true;
}

export async function runDeployment(context: DeploymentJobContext): Promise<void> {
  const { job, store, log } = context;
  const subject = job.subject;
  if (callbackRun(subject.callbackUrl, job.repository) === undefined) {
    log.warn({}, "deployment not answered: the callback URL is not this repository's protection-rule endpoint");
    await forgetDeploymentRequest(store, context.key);
    return;
  }
  const state = answerState(await store.getBookkeeping(deploymentAnswerKey(context.key)));
  if (state.kind === "answered") {
    log.info({ environment: subject.environment }, "deployment answered already; nothing to do");
    await forgetDeploymentRequest(store, context.key);
    return;
  }
  if (state.kind === "claimed" && !claimIsStale(state, context.now())) throw new AnswerInProgress(new Date(state.since).toISOString());
  await answerOnce(context, await decide(context), "throw");
}

async function decide(context: DeploymentJobContext): Promise<GateAnswer> {
  const { job, octokit, evaluator, log } = context;
  const { environment, sha } = job.subject;
  const repository = await fetchRepositoryState(octokit as unknown as AppOctokit, job.repository);
  const baseSha = await fetchBranchHead(octokit as unknown as AppOctokit, job.repository, repository.defaultBranch);
  if (baseSha === null) return noConfiguration(environment);
  const base = await evaluator.loadConfigAt(octokit, job.repository, baseSha);
  if (base.kind === "none") return noConfiguration(environment);
  if (base.kind !== "ok") return gateUnavailable(environment, `the configuration on ${repository.defaultBranch} is invalid`);
  const requirement = environmentRequirement(base.settings.environments, environment);
  if (!requirement) return environmentNotListed(environment);
  const ladder = base.config.levels;

  const stored = await freshRecord(context, [`branch:${job.repository.owner}/${job.repository.repo}`.toLowerCase() + `:${repository.defaultBranch}`, deploymentRecordKey(job.repository, sha)]);
  if (stored) {
    log.info({ evaluatedAt: stored.evaluatedAt, subjectKey: stored.subjectKey }, "deployment gate: a fresh record of the commit is reused");
    return gateAnswer(environment, requirement, standingOf(sha, ladder, stored));
  }
  const ref = /^[0-9a-f]{40}$/.test(job.subject.ref) ? repository.defaultBranch : job.subject.ref.replace(/^refs\/heads\//, "");
  // The gate answers through the callback: no check run is written on the deployed commit.
  const { outcome } = await evaluator.evaluateBranch(octokit, job.repository, { ref, sha, configSha: baseSha }, log, { mayPublish: async () => false });
  await context.record(deploymentRecordKey(job.repository, sha), sha, outcome);
  if (outcome.kind !== "evaluated") return gateUnavailable(environment, `the configuration on ${repository.defaultBranch} could not be applied (${outcome.kind})`);
  const { evaluation } = outcome;
  return gateAnswer(environment, requirement, {
    sha,
    reached: evaluation.level.reached,
    ladder,
    failing: sortedFailing(ladder, evaluation.rules.map((rule) => ({ id: rule.id, level: rule.level, status: rule.status }))),
  });
}

async function freshRecord(context: DeploymentJobContext, keys: readonly string[]): Promise<EvaluationRecord | undefined> {
  const oldest = context.now().getTime() - DEPLOYMENT_RECORD_FRESH_MS;
  for (const key of keys) {
    const record = await context.store.latestEvaluation(key, context.job.subject.sha);
    if (record && !["error", "no-config", "invalid-config"].includes(record.outcome) && Date.parse(record.evaluatedAt) >= oldest) return record;
  }
  return undefined;
}

function standingOf(sha: string, ladder: readonly string[], record: EvaluationRecord): GateStanding {
  return { sha, reached: record.levelReached, ladder, failing: sortedFailing(ladder, record.rules) };
}

function sortedFailing(ladder: readonly string[], rules: readonly { readonly id: string; readonly level: string; readonly status: string }[]): GateStanding["failing"] {
  return rules
    .filter((rule) => !SATISFIED.has(rule.status))
    .map((rule) => ({ id: rule.id, level: rule.level }))
    .sort((a, b) => ladder.indexOf(a.level) - ladder.indexOf(b.level));
}
