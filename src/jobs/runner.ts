/**
 * Runs one job: a trigger (a CI result, a push to the default branch, a re-run request) is
 * resolved into the jobs it calls for, enqueued through the queue (src/jobs/resolve.ts); any other
 * job's subject is resolved from GitHub as it is now (a pull request's current head and state,
 * whatever the event said), and the runner composes the ports for the subject's kind, runs the pipeline,
 * and records the outcome in the state store. Merge groups whose verdict waits on CI are kept in
 * the store, not in memory, so a restart or another replica settles them.
 */
import type { Evaluation, RuleResult } from "../engine/evaluate.js";
import type { PullRequestInfo } from "../engine/types.js";
import type { Evaluator, MergeGroupTarget } from "../github/evaluate-pull.js";
import { statusOf } from "../github/octokit.js";
import type { GitHubClient } from "../github/octokit.js";
import { fetchPull, fetchPullState } from "../github/pull.js";
import { withRequestLog } from "../github/requests.js";
import type { PipelineOutcome } from "../pipeline.js";
import type { BindableLogger, FactsProvider, Logger } from "../ports.js";
import { RECORDED_FINDINGS_LIMIT } from "../state/types.js";
import type { MetricsSink } from "../ops/metrics.js";
import { NO_METRICS } from "../ops/metrics.js";
import { measureRequests } from "../github/request-metrics.js";
import type { EvaluationRecord, PendingGroupRecord, RecordedOutcome, RecordedRule, RepositoryKey, StateStore, StoredEvaluation } from "../state/types.js";
import type { AppOctokit } from "../github/events.js";
import type { RequestingClient } from "../github/decisions.js";
import { loadDecisions } from "../decisions/facts.js";
import { runCommand } from "./command.js";
import { alertOnStanding } from "./alerts.js";
import type { Standing } from "../render/alert.js";
import { storeLedger } from "./ledger.js";
import { recordedComponents } from "./components.js";
import type { JobAttempt, JobConsumer } from "./queue.js";
import { resolveTrigger } from "./resolve.js";
import { isTrigger, jobBindings, jobHeadSha, subjectKey, subjectKind } from "./types.js";
import { answerOnce, runDeployment } from "./deployment.js";
import { gateUnavailable } from "../render/deployment.js";
import type { BranchSubject, DeploymentSubject, EvaluationJob, MergeGroupSubject, PullSubject, TriggerSubject } from "./types.js";
import { fetchBranchHead, fetchRepositoryState } from "../github/branch.js";

/**
 * How long a merge group left pending is remembered: longer than merge queues are set to wait for
 * required checks (the ruleset's check_response_timeout_minutes); by then the queue has failed
 * the group and nothing posted on it would count.
 */
export const PENDING_GROUP_TTL_MS = 6 * 60 * 60_000;

export interface RunnerOptions {
  readonly evaluator: Evaluator;
  readonly store: StateStore;
  /** A client authenticated as the installation. */
  readonly client: (installationId: number) => Promise<GitHubClient>;
  readonly log: BindableLogger;
  readonly now?: () => Date;
  /** Where the jobs a trigger resolves into go: the queue the runner consumes. */
  readonly enqueue: (job: EvaluationJob) => Promise<void>;
  /** Where jobs, retries, verdicts and GitHub requests are counted. */
  readonly metrics?: MetricsSink;
  /** Time between two repositories' scorecards of one installation (default SCORECARD_SPACING_MS). */
  readonly scorecardSpacingMs?: number;
  /** Where alert chat webhook URLs are read (READINESS_CHAT_WEBHOOK_URL or the variable a configuration names). Default: the process environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

interface RunContext {
  readonly job: EvaluationJob;
  readonly attempt: JobAttempt;
  readonly repository: RepositoryKey;
  readonly octokit: GitHubClient;
  readonly log: Logger;
  readonly startedAt: Date;
  readonly requests: { count: number };
}

export class JobRunner implements JobConsumer {
  readonly #evaluator: Evaluator;
  readonly #store: StateStore;
  readonly #client: (installationId: number) => Promise<GitHubClient>;
  readonly #log: BindableLogger;
  readonly #now: () => Date;
  readonly #enqueue: (job: EvaluationJob) => Promise<void>;
  readonly #metrics: MetricsSink;
  readonly #scorecardSpacingMs: number | undefined;
  readonly #env: Readonly<Record<string, string | undefined>>;

  constructor(options: RunnerOptions) {
    this.#metrics = options.metrics ?? NO_METRICS;
    this.#scorecardSpacingMs = options.scorecardSpacingMs;
    this.#env = options.env ?? process.env;
    this.#enqueue = options.enqueue;
    this.#evaluator = options.evaluator;
    this.#store = options.store;
    this.#client = options.client;
    this.#log = options.log;
    this.#now = options.now ?? (() => new Date());
  }

  async run(job: EvaluationJob, attempt: JobAttempt): Promise<void> {
    const log = jobLog(this.#log, job, attempt);
    const kind = job.subject.kind;
    if (attempt.attempt > 1) this.#metrics.jobRetry(kind);
    try {
      await withRequestLog(log, () => this.#run(job, attempt, log));
    } catch (error) {
      this.#metrics.job(kind, "failed");
      throw error;
    }
    this.#metrics.job(kind, "succeeded");
  }

  async #run(job: EvaluationJob, attempt: JobAttempt, log: Logger): Promise<void> {
    const requests = { count: 0 };
    const octokit = countRequests(measureRequests(await this.#client(job.installationId), this.#metrics, String(job.installationId)), requests);
    if (job.subject.kind === "command") {
      const context = { job: { ...job, subject: job.subject }, octokit: octokit as GitHubClient & RequestingClient, evaluator: this.#evaluator, store: this.#store, log, now: this.#now(), enqueue: this.#enqueue };
      return runCommand(context);
    }
    if (isTrigger(job.subject)) return this.#resolve({ ...job, subject: job.subject }, octokit, log);
    const context: RunContext = { job, attempt, repository: repositoryKey(job), octokit, log, startedAt: this.#now(), requests };
    switch (job.subject.kind) {
      case "pull":
        return this.#runPull(context, job.subject);
      case "merge-group":
        return this.#runMergeGroup(context, job.subject);
      case "branch":
        return this.#runBranch(context, job.subject);
      case "deployment":
        return runDeployment({
          ...this.#deploymentContext({ ...job, subject: job.subject }, octokit, log),
          record: (key, sha, outcome) => this.#record(context, key, sha, sha, outcome, "deployment", { ref: job.subject.kind === "deployment" ? job.subject.ref : "" }),
        });
    }
  }

  /**
   * Records the failure (reconciliation enqueues subjects whose latest record is an error) and
   * completes the subject's check run with an explanation, so the required check is neither
   * missing nor in progress for good.
   */
  async giveUp(job: EvaluationJob, error: unknown, attempt: JobAttempt): Promise<void> {
    const log = jobLog(this.#log, job, attempt);
    this.#metrics.job(job.subject.kind, "gave_up");
    const reason = failureReason(error, attempt.attempt);
    if (job.subject.kind === "deployment") {
      // Never approved by default: the request is answered `rejected` with the reason.
      try {
        const octokit = measureRequests(await this.#client(job.installationId), this.#metrics, String(job.installationId));
        const context = this.#deploymentContext({ ...job, subject: job.subject }, octokit, log);
        await withRequestLog(log, () => answerOnce(context, gateUnavailable(context.job.subject.environment, reason)));
      } catch (answerError) {
        log.warn({ status: statusOf(answerError) }, "the deployment could not be answered; GitHub keeps it waiting until it times out");
      }
      return;
    }
    // A trigger judged nothing: the pull requests it concerned keep an incomplete check run,
    // which reconciliation finds.
    if (isTrigger(job.subject) || job.subject.kind === "command") return;
    const headSha = job.subject.kind === "branch" ? job.subject.sha : job.subject.headSha;
    const now = this.#now().toISOString();
    try {
      await this.#store.recordEvaluation({
        ...repositoryKey(job),
        subjectKind: subjectKind(job.subject),
        subjectKey: subjectKey(job),
        headSha: headSha ?? "",
        outcome: "error",
        levelReached: null,
        levelRequired: null,
        rules: [],
        reason: job.reason,
        ...(job.deliveryId ? { deliveryId: job.deliveryId } : {}),
        durationMs: Math.max(0, Date.parse(now) - Date.parse(job.requestedAt)),
        apiRequests: 0,
        error: reason,
        evaluatedAt: now,
        ...(job.subject.kind === "branch" ? { ref: job.subject.branch } : {}),
      });
    } catch (storeError) {
      log.warn({ err: storeError }, "could not record the failed evaluation");
    }
    if (!headSha) return;
    try {
      const octokit = measureRequests(await this.#client(job.installationId), this.#metrics, String(job.installationId));
      const ledger = storeLedger(this.#store, repositoryKey(job), subjectKey(job), headSha, this.#now);
      await withRequestLog(log, () => this.#evaluator.publishUnavailable(octokit, { ...job.repository, headSha }, reason, log, ledger));
    } catch (publishError) {
      log.warn({ err: publishError }, "could not mark the check run as not evaluated; reconciliation retries");
    }
  }

  async #resolve(job: EvaluationJob & { readonly subject: TriggerSubject }, octokit: GitHubClient, log: Logger): Promise<void> {
    // The installation client is Probot's full Octokit (src/index.ts), whose listings paginate.
    const jobs = await resolveTrigger(job, {
      evaluator: this.#evaluator,
      store: this.#store,
      octokit: octokit as unknown as AppOctokit,
      log,
      now: this.#now,
      ...(this.#scorecardSpacingMs !== undefined ? { scorecardSpacingMs: this.#scorecardSpacingMs } : {}),
    });
    for (const next of jobs) await this.#enqueue(next);
  }

  async #runPull(context: RunContext, subject: PullSubject): Promise<void> {
    const { job, octokit } = context;
    const fresh = await fetchPullState(octokit, job.repository, subject.number);
    if (!fresh.open) {
      context.log.info({ pull: subject.number, state: fresh.state }, "pull request is not open; nothing to evaluate");
      return;
    }
    if (subject.onlyAtHead && subject.headSha !== fresh.pull.headSha) {
      context.log.info({ currentHeadSha: fresh.pull.headSha }, "nothing to evaluate: the event was about an older head commit");
      return;
    }
    const pull: PullRequestInfo = subject.baseSha ? { ...fresh.pull, baseSha: subject.baseSha } : fresh.pull;
    // From here on the job's lines (and its requests' lines) name the head being evaluated.
    const log = subject.headSha === pull.headSha ? context.log : jobLog(this.#log, job, context.attempt, pull.headSha);
    if (subject.headSha && subject.headSha !== pull.headSha) {
      log.info({ eventHeadSha: subject.headSha }, "the pull request has moved on since the event; evaluating its current head");
    }
    return withRequestLog(log, () => this.#evaluatePull(context, pull, log));
  }

  async #evaluatePull(context: RunContext, pull: PullRequestInfo, log: Logger): Promise<void> {
    const { job, octokit } = context;
    const key = subjectKey(job);
    const { outcome, facts } = await this.#evaluator.evaluatePull(octokit, job.repository, pull, log, {
      forceCheckWrite: job.forceCheckWrite ?? false,
      mayPublish: () => this.#isNewest(key, pull.headSha, context.startedAt),
      ledger: storeLedger(this.#store, context.repository, key, pull.headSha, this.#now),
      decisions: () => loadDecisions(this.#store, { ...job.repository, pullNumber: pull.number, headSha: pull.headSha }, this.#now()),
      // Read only when the pull request changes its configuration (the preview's scorecard line).
      scorecard: () => latestStanding(this.#store, job.repository),
      installationId: job.installationId,
    });
    await this.#record(context, key, pull.headSha, pull.baseSha, outcome);
    await this.#settleMergeGroup(context, pull, facts, log);
  }

  /**
   * A branch at the head it has now (a burst of pushes: the newest commit), if it is still the
   * default branch. A head already recorded is not evaluated again unless the subject asks to
   * re-evaluate (the organisation baseline changed, the daily sweep).
   */
  async #runBranch(context: RunContext, subject: BranchSubject): Promise<void> {
    const { job } = context;
    const octokit = context.octokit as unknown as AppOctokit;
    const repository = await fetchRepositoryState(octokit, job.repository);
    if (repository.archived || repository.defaultBranch !== subject.branch) {
      context.log.info({ branch: subject.branch, defaultBranch: repository.defaultBranch, archived: repository.archived }, "no scorecard: the branch is no longer the default branch of an active repository");
      return;
    }
    const sha = await fetchBranchHead(octokit, job.repository, subject.branch);
    if (sha === null) {
      context.log.info({ branch: subject.branch }, "no scorecard: the branch has no commit yet");
      return;
    }
    const log = child(context.log, { headSha: sha, branch: subject.branch });
    const key = subjectKey(job);
    const latest = await this.#store.latestEvaluation(key, sha);
    if (!subject.reevaluate && latest && latest.outcome !== "error") {
      log.info({ evaluatedAt: latest.evaluatedAt }, "the branch's head has a scorecard already; nothing to evaluate");
      return;
    }
    if (subject.sha && subject.sha !== sha) log.info({ eventSha: subject.sha }, "the branch has moved on since the event; evaluating its current head");
    const { outcome, owners } = await this.#evaluator.evaluateBranch(context.octokit, job.repository, { ref: subject.branch, sha }, log, {
      forceCheckWrite: job.forceCheckWrite ?? false,
      mayPublish: () => this.#isNewest(key, sha, context.startedAt),
      ledger: storeLedger(this.#store, context.repository, key, sha, this.#now),
      decisions: () => loadDecisions(this.#store, { ...job.repository }, this.#now()),
    });
    const previous = await this.#store.latestEvaluation(key);
    await this.#record(context, key, sha, sha, outcome, "branch", { ref: subject.branch, visibility: repository.visibility, ...(owners ? { owners } : {}) });
    if (outcome.kind === "evaluated") await this.#alert(context, subject.branch, sha, outcome, previous, owners ?? [], log);
  }

  /**
   * Opens, edits or closes the repository's alert issue when its standing level changed. The
   * verdict is recorded already: an alert that cannot be written is logged, not retried with it.
   */
  async #alert(context: RunContext, ref: string, sha: string, outcome: Extract<PipelineOutcome, { kind: "evaluated" }>, previous: StoredEvaluation | undefined, owners: readonly string[], log: Logger): Promise<void> {
    const ladder = outcome.evaluation.level.ladder;
    const repository = `${context.job.repository.owner}/${context.job.repository.repo}`;
    const standingOf = (record: Pick<EvaluationRecord, "headSha" | "levelReached" | "levelRequired" | "rules">): Standing => ({
      repository,
      ref,
      sha: record.headSha,
      reached: record.levelReached,
      required: record.levelRequired,
      ladder,
      rules: record.rules,
    });
    const comparable = previous && !["error", "no-config", "invalid-config"].includes(previous.outcome) ? standingOf(previous) : undefined;
    try {
      await alertOnStanding({
        store: this.#store,
        octokit: context.octokit,
        repository: context.repository,
        settings: outcome.settings.alerts,
        previous: comparable,
        current: standingOf({ headSha: sha, ...recordedVerdict(outcome) }),
        owners,
        env: this.#env,
        log,
        now: this.#now().toISOString(),
      });
    } catch (error) {
      log.warn({ status: statusOf(error) }, "the readiness alert could not be written; it is tried again on the next evaluation");
    }
  }

  async #runMergeGroup(context: RunContext, subject: MergeGroupSubject): Promise<void> {
    const { job, octokit } = context;
    const log = child(context.log, { pull: subject.pullNumber });
    const pull = await fetchPull(octokit, job.repository, subject.pullNumber);
    if (pull.headSha !== subject.pullHeadSha) {
      // GitHub takes a pull request out of the queue when its head changes: the group is void.
      await this.#store.deletePendingGroup(context.repository, subject.pullNumber, subject.headSha);
      log.info({ pullHeadSha: pull.headSha, queuedHeadSha: subject.pullHeadSha }, "merge group skipped: the pull request's head has changed since it was queued");
      return;
    }
    await this.#evaluateGroup(context, subject, pull, log);
  }

  async #evaluateGroup(context: RunContext, subject: MergeGroupSubject, pull: PullRequestInfo, log: Logger, pullFacts?: FactsProvider): Promise<void> {
    const target: MergeGroupTarget = {
      headSha: subject.headSha,
      baseSha: subject.baseSha,
      entry: { base: subject.base, pullNumber: subject.pullNumber, pullHeadSha: subject.pullHeadSha },
    };
    const key = subjectKey({ repository: context.job.repository, subject });
    const outcome = await this.#evaluator.evaluateMergeGroup(context.octokit, context.job.repository, target, pull, log, {
      forceCheckWrite: context.job.forceCheckWrite ?? false,
      ...(pullFacts ? { pullFacts } : {}),
      ledger: storeLedger(this.#store, context.repository, key, subject.headSha, this.#now),
      decisions: () => loadDecisions(this.#store, { ...context.job.repository, pullNumber: subject.pullNumber, headSha: subject.pullHeadSha }, this.#now()),
      installationId: context.job.installationId,
    });
    await this.#notePendingGroup(context.repository, subject, outcome);
    await this.#record(context, key, subject.headSha, subject.baseSha, outcome, "merge-group");
  }

  /**
   * Posts a fresh verdict on the pull request's pending merge group, if it has one. A group built
   * from an older head is forgotten unposted. A failure is logged and the group kept, so the next
   * evaluation of the pull request tries again.
   */
  async #settleMergeGroup(context: RunContext, pull: PullRequestInfo, facts: FactsProvider, log: Logger): Promise<void> {
    const group = await this.#store.pendingGroupFor(context.repository, pull.number, this.#now().toISOString());
    if (!group) return;
    if (group.pullHeadSha !== pull.headSha) {
      await this.#store.deletePendingGroup(context.repository, pull.number, group.groupHeadSha);
      log.info({ pull: pull.number, group: group.groupHeadSha }, "pending merge group forgotten: the pull request's head has changed since it was queued");
      return;
    }
    try {
      await this.#evaluateGroup(context, groupSubject(group), pull, child(log, { group: group.groupHeadSha }), facts);
    } catch (error) {
      log.warn({ pull: pull.number, group: group.groupHeadSha, err: error }, "pending merge group could not be re-evaluated; the next evaluation of the pull request retries");
    }
  }

  /** Remembers a group whose posted verdict is pending; forgets it once its verdict is final. */
  async #notePendingGroup(repository: RepositoryKey, subject: MergeGroupSubject, outcome: PipelineOutcome): Promise<void> {
    if (outcome.kind === "evaluated" && outcome.evaluation.conclusion === "pending") {
      const now = this.#now();
      const record: PendingGroupRecord = {
        ...repository,
        pullNumber: subject.pullNumber,
        groupHeadSha: subject.headSha,
        groupBaseSha: subject.baseSha,
        base: subject.base,
        pullHeadSha: subject.pullHeadSha,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + PENDING_GROUP_TTL_MS).toISOString(),
      };
      await this.#store.savePendingGroup(record);
    } else {
      // Only this group: a newer group of the same pull request stays remembered.
      await this.#store.deletePendingGroup(repository, subject.pullNumber, subject.headSha);
    }
  }

  #deploymentContext(job: EvaluationJob & { readonly subject: DeploymentSubject }, octokit: GitHubClient, log: Logger) {
    return { job, octokit, evaluator: this.#evaluator, store: this.#store, log, now: this.#now, key: subjectKey(job) };
  }

  /** False when another head of the subject was evaluated (and published) after this job began. */
  async #isNewest(key: string, headSha: string, startedAt: Date): Promise<boolean> {
    const latest = await this.#store.latestEvaluation(key);
    if (!latest || latest.headSha === headSha || latest.outcome === "error") return true;
    return latest.evaluatedAt <= startedAt.toISOString();
  }

  async #record(
    context: RunContext,
    key: string,
    headSha: string,
    baseSha: string,
    outcome: PipelineOutcome,
    kind: "pull" | "merge-group" | "branch" | "deployment" = "pull",
    extra: Pick<EvaluationRecord, "ref" | "owners" | "visibility"> = {},
  ): Promise<void> {
    const now = this.#now();
    const record: EvaluationRecord = {
      ...context.repository,
      subjectKind: kind,
      subjectKey: key,
      headSha,
      baseSha,
      ...recordedVerdict(outcome),
      reason: context.job.reason,
      ...(context.job.deliveryId ? { deliveryId: context.job.deliveryId } : {}),
      durationMs: now.getTime() - context.startedAt.getTime(),
      apiRequests: context.requests.count,
      evaluatedAt: now.toISOString(),
      ...extra,
    };
    await this.#store.recordEvaluation(record);
    this.#metrics.verdict(record.outcome, record.levelReached ?? "none");
  }
}

/** One rule's result as the record keeps it: bounded findings, nothing but what a check run shows. */
export function recordedRule(rule: RuleResult): RecordedRule {
  const findings = rule.findings.slice(0, RECORDED_FINDINGS_LIMIT).map((finding) => ({
    message: finding.message.length > 500 ? `${finding.message.slice(0, 499)}…` : finding.message,
    ...(finding.path !== undefined ? { path: finding.path } : {}),
    ...(finding.line !== undefined ? { line: finding.line } : {}),
    ...(finding.severity !== undefined ? { severity: finding.severity } : {}),
  }));
  return {
    id: rule.id,
    level: rule.level,
    blocking: rule.blocking,
    status: rule.status,
    area: rule.area,
    ...(rule.component !== undefined ? { component: rule.component } : {}),
    ...(rule.reason !== undefined ? { reason: rule.reason } : {}),
    ...(rule.fix !== undefined ? { fix: rule.fix } : {}),
    findings,
    findingCount: rule.findings.length,
  };
}

/** What a pipeline outcome leaves in the record. */
export function recordedVerdict(outcome: PipelineOutcome): Pick<EvaluationRecord, "outcome" | "levelReached" | "levelRequired" | "rules" | "target" | "components"> {
  if (outcome.kind !== "evaluated") {
    return { outcome: outcome.kind satisfies RecordedOutcome, levelReached: null, levelRequired: null, rules: [] };
  }
  const { evaluation } = outcome;
  return {
    outcome: evaluation.conclusion,
    levelReached: evaluation.level.reached,
    levelRequired: evaluation.level.required,
    rules: evaluation.rules.map(recordedRule),
    ...recordedTarget(evaluation),
    ...recordedComponents(evaluation),
  };
}

/** The dated target still ahead, as a record keeps it (days left are counted by whoever shows it). */
function recordedTarget(evaluation: Evaluation): Pick<EvaluationRecord, "target"> {
  const target = evaluation.level.target;
  return target ? { target: { level: target.level, from: target.from, met: target.met, missing: [...target.missing] } } : {};
}

/**
 * Why a job gave up, in words safe to show on a check run: the status or error code only, never
 * an error message (Octokit's may quote the request).
 */
export function failureReason(error: unknown, attempts: number): string {
  const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  // Wrapping errors (the publisher's) keep GitHub's answer as their cause.
  const chain: unknown[] = [];
  for (let at: unknown = error; at !== undefined && at !== null && chain.length < 5; at = (at as { cause?: unknown }).cause) chain.push(at);
  for (const link of chain) {
    const status = statusOf(link);
    if (status !== undefined) return `GitHub kept failing (HTTP ${status}, ${tries})`;
  }
  for (const link of chain) {
    const { name, code } = (typeof link === "object" ? link : {}) as { name?: unknown; code?: unknown };
    if (name === "TimeoutError" || name === "AbortError") return `GitHub did not answer in time (${tries})`;
    if (typeof code === "string" && /^[A-Z_]+$/.test(code)) return `GitHub could not be reached (${code}, ${tries})`;
  }
  const name = (typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined) as unknown;
  return `the evaluation failed (${typeof name === "string" && /^\w+$/.test(name) ? name : "error"}, ${tries})`;
}

/** The repository's newest branch record that holds a standing (the scorecard), if any. */
async function latestStanding(store: StateStore, repository: { readonly owner: string; readonly repo: string }): Promise<StoredEvaluation | undefined> {
  const history = await store.branchHistory({ owner: repository.owner, repo: repository.repo, limit: 10 });
  return history.find((record) => !["error", "no-config", "invalid-config"].includes(record.outcome));
}

function groupSubject(group: PendingGroupRecord): MergeGroupSubject {
  return { kind: "merge-group", headSha: group.groupHeadSha, baseSha: group.groupBaseSha, base: group.base, pullNumber: group.pullNumber, pullHeadSha: group.pullHeadSha };
}

function repositoryKey(job: EvaluationJob): RepositoryKey {
  return { installationId: job.installationId, owner: job.repository.owner, repo: job.repository.repo };
}

function child(log: Logger, bindings: Record<string, unknown>): Logger {
  const bindable = log as BindableLogger;
  return typeof bindable.child === "function" ? bindable.child(bindings) : log;
}

/**
 * Every line of a job names it: delivery, repository, subject, head commit (the one evaluated,
 * once known), reason, attempt.
 */
export function jobLog(log: BindableLogger, job: EvaluationJob, attempt: JobAttempt, headSha?: string): Logger {
  return child(log, { ...jobBindings(job, headSha ?? jobHeadSha(job.subject)), attempt: attempt.attempt });
}

/** Counts the requests a client makes (Octokit's request hook); a client without hooks is not counted. */
function countRequests(octokit: GitHubClient, requests: { count: number }): GitHubClient {
  const hook = (octokit as { hook?: { before?: (name: string, fn: () => void) => void } }).hook;
  hook?.before?.("request", () => {
    requests.count += 1;
  });
  return octokit;
}
