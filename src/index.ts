/**
 * The Probot app: which events go to which handler, and the service behind them (state store,
 * job queue, runner, reconciliation). Everything else GitHub sends is ignored.
 */
import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from "probot";
import { Evaluator, settingsFromEnv } from "./github/evaluate-pull.js";
import type { AppSettings } from "./github/evaluate-pull.js";
import { budgetFromEnv, EvaluationPool } from "./engine-worker/pool.js";
import type { EvaluateStep } from "./pipeline.js";
import type { GitHubClient } from "./github/octokit.js";
import { onCheckRunCompleted, onStatus } from "./handlers/ci.js";
import { onIssueComment } from "./handlers/comment.js";
import type { HandlerDeps } from "./handlers/jobs.js";
import { onMergeGroup } from "./handlers/merge-group.js";
import { onDeploymentProtectionRule } from "./handlers/deployment.js";
import { payloadProblem } from "./handlers/payloads.js";
import { PULL_REQUEST_ACTIONS, REVIEW_ACTIONS, onPullRequest } from "./handlers/pull-request.js";
import { onPush } from "./handlers/push.js";
import { onInstallationCreated, onRepositoriesAdded } from "./handlers/installation.js";
import { ScorecardSweep, scorecardIntervalFromEnv, scorecardSpacingFromEnv } from "./jobs/sweep.js";
import { onCheckRunRerequested, onCheckSuiteRerequested } from "./handlers/rerequest.js";
import { BullJobQueue } from "./jobs/bullmq-queue.js";
import { MemoryJobQueue } from "./jobs/memory-queue.js";
import { concurrencyFromEnv, positiveIntegerFromEnv } from "./jobs/queue.js";
import type { JobQueue, RetryPolicy } from "./jobs/queue.js";
import { Reconciler, reconcileMinutesFromEnv } from "./jobs/reconcile.js";
import { rememberDeploymentRequest } from "./jobs/pending-deployments.js";
import type { RequestClient } from "./jobs/reconcile.js";
import { JobRunner } from "./jobs/runner.js";
import type { EvaluationJob } from "./jobs/types.js";
import { describeJob } from "./jobs/types.js";
import { measureRequests } from "./github/request-metrics.js";
import { PrometheusMetrics, phaseTimer } from "./ops/metrics.js";
import { countDeliveries, checkReadiness, opsRoutes } from "./ops/routes.js";
import type { ReadinessChecks, ReadinessReport } from "./ops/routes.js";
import { MemoryStateStore } from "./state/memory.js";
import { createStateStore } from "./state/index.js";
import type { StateStore } from "./state/types.js";
import { webHandler } from "./web/router.js";
import { webSettingsFromEnv, type WebSettings } from "./web/settings.js";

/**
 * A handler that runs only on a well-formed payload (src/handlers/payloads.ts). The server refuses
 * malformed deliveries with 400 before Probot dispatches them; this covers every other way in.
 */
function wellFormed<C extends Context>(handler: (context: C) => Promise<void>): (context: C) => Promise<void> {
  return async (context) => {
    const problem = payloadProblem(context.name, context.payload);
    if (problem !== undefined) {
      context.log.warn(`malformed ${context.name} delivery ${context.id} ignored: ${problem}`);
      return;
    }
    await handler(context);
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/** The running service: what tests wait on and what shutdown stops. */
export interface ReadinessService {
  readonly store: StateStore;
  readonly queue: JobQueue;
  readonly runner: JobRunner;
  readonly reconciler: Reconciler;
  /** This app's metrics (its own registry), as /metrics serves them. */
  readonly metrics: PrometheusMetrics;
  /** What /readyz answers. */
  readiness(): Promise<ReadinessReport>;
  readonly sweep: ScorecardSweep;
  /** Resolves once no job waits, runs or waits to retry in this process. */
  idle(): Promise<void>;
  /** Stops taking work, lets jobs in flight finish within `graceMs`, closes queue and store. */
  stop(graceMs: number): Promise<readonly EvaluationJob[]>;
}

export interface ServiceOptions {
  readonly store?: StateStore | ((log: Probot["log"]) => StateStore);
  readonly queue?: JobQueue | ((log: Probot["log"]) => JobQueue);
  /** For the default in-process queue. */
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  readonly now?: () => Date;
  /** Minutes between reconciliation passes, the first at start; 0 (the default here) turns it off. */
  readonly reconcileMinutes?: number;
  /** The pipeline's evaluate step (default: in this thread; `npm start` passes the worker pool's). */
  readonly evaluate?: EvaluateStep;
  /** Where this app counts (default: a registry of its own). */
  readonly metrics?: PrometheusMetrics;
  /** READINESS_METRICS_TOKEN: /metrics then answers only `Authorization: Bearer <token>`. */
  readonly metricsToken?: string | undefined;
  /** The dashboard, scorecard API and badges, served beside the webhooks (needs Probot's server). */
  readonly web?: WebSettings;
  /** Called once the service is wired (tests wait on it; the server stops it). */
  readonly onService?: (service: ReadinessService) => void;
  /**
   * Scorecards (a branch's standing): false queues none (no push, installation or sweep job).
   * `intervalHours`: the periodic sweep, 0 (the default here) off. `spacingMs`: time between two
   * repositories' evaluations of one installation (default SCORECARD_SPACING_MS).
   */
  readonly scorecards?: false | { readonly intervalHours?: number; readonly spacingMs?: number };
}

/**
 * Serves the operator's routes (/healthz, /readyz, /metrics) beside Probot's. Loaded without a
 * server (tests that drive `probot.receive`), Probot's addHandler throws "No server instance":
 * there is nothing to serve them on.
 */
function serveBesideProbot(options: Partial<ApplicationFunctionOptions> | undefined, handler: Parameters<ApplicationFunctionOptions["addHandler"]>[0]): void {
  if (typeof options?.addHandler !== "function") return;
  try {
    options.addHandler(handler);
  } catch (error) {
    if (!(error instanceof Error && error.message === "No server instance")) throw error;
  }
}

/** Counts webhook deliveries at the webhook route, outermost, so every answer is seen (src/ops/routes.ts). */
function countWebhookDeliveries(probot: Probot, metrics: PrometheusMetrics): void {
  if (typeof probot.getNodeMiddleware !== "function") return;
  const webhookRoute = probot.getNodeMiddleware.bind(probot);
  probot.getNodeMiddleware = async (routeOptions) => countDeliveries(await webhookRoute(routeOptions), routeOptions?.path || probot.webhookPath, metrics);
}

export function readinessApp(settings: AppSettings, options: ServiceOptions = {}): ApplicationFunction {
  return async (app: Probot, appOptions?: ApplicationFunctionOptions) => {
    const now = options.now ?? (() => new Date());
    const metrics = options.metrics ?? new PrometheusMetrics();
    let stopping = false;
    countWebhookDeliveries(app, metrics);
    const evaluator = new Evaluator(settings, { appClient: () => app.auth(), timePhase: phaseTimer(metrics), ...(options.evaluate ? { evaluate: options.evaluate } : {}) });
    const store = typeof options.store === "function" ? options.store(app.log) : (options.store ?? new MemoryStateStore());
    const queue =
      (typeof options.queue === "function" ? options.queue(app.log) : options.queue) ??
      new MemoryJobQueue({ log: app.log, now, ...(options.concurrency ? { concurrency: options.concurrency } : {}), ...(options.retry ? { retry: options.retry } : {}) });
    metrics.observeQueue(async () => queue.depth?.());
    const scorecards = options.scorecards === false ? undefined : (options.scorecards ?? {});
    const runner = new JobRunner({
      evaluator,
      store,
      client: async (id) => (await app.auth(id)) as unknown as GitHubClient,
      log: app.log,
      now,
      enqueue: (job) => queue.enqueue(job),
      metrics,
      ...(scorecards?.spacingMs !== undefined ? { scorecardSpacingMs: scorecards.spacingMs } : {}),
    });
    const deps: HandlerDeps = {
      queue,
      now,
      ownCheck: { checkName: settings.checkName, ...(settings.appId !== undefined ? { appId: settings.appId } : {}) },
      scorecards: scorecards !== undefined,
      rememberDeploymentRequest: (job) => (job.subject.kind === "deployment" ? rememberDeploymentRequest(store, { ...job, subject: job.subject }) : Promise.resolve()),
    };

    app.on(PULL_REQUEST_ACTIONS.map((action) => `pull_request.${action}` as const), wellFormed((context) => onPullRequest(context, deps)));
    app.on(REVIEW_ACTIONS.map((action) => `pull_request_review.${action}` as const), wellFormed((context) => onPullRequest(context, deps)));
    app.on("check_run.completed", wellFormed((context) => onCheckRunCompleted(context, deps)));
    app.on("status", wellFormed((context) => onStatus(context, deps)));
    app.on("check_run.rerequested", wellFormed((context) => onCheckRunRerequested(context, deps)));
    app.on("check_suite.rerequested", wellFormed((context) => onCheckSuiteRerequested(context, deps)));
    app.on("merge_group.checks_requested", wellFormed((context) => onMergeGroup(context, deps)));
    app.on("push", wellFormed((context) => onPush(context, deps)));
    app.on("issue_comment.created", wellFormed((context) => onIssueComment(context, deps)));
    app.on("installation.created", wellFormed((context) => onInstallationCreated(context, deps)));
    app.on("installation_repositories.added", wellFormed((context) => onRepositoriesAdded(context, deps)));
    app.on("deployment_protection_rule.requested", wellFormed((context) => onDeploymentProtectionRule(context, deps)));

    // Handlers are registered first (Probot reads them as the app loads); jobs queued before
    // the store is ready wait in the queue.
    await store.migrate();
    await queue.start(runner);
    const reconciler = new Reconciler({
      appClient: async () => measureRequests(await app.auth(), metrics, "app") as unknown as RequestClient,
      installationClient: async (id) => measureRequests(await app.auth(id), metrics, String(id)) as unknown as RequestClient,
      queue,
      store,
      checkName: settings.checkName,
      ...(settings.appId !== undefined ? { appId: settings.appId } : {}),
      log: app.log,
      now,
      metrics,
    });
    reconciler.start(options.reconcileMinutes ?? 0);
    const sweep = new ScorecardSweep({
      appClient: async () => (await app.auth()) as unknown as RequestClient,
      queue,
      store,
      intervalHours: scorecards?.intervalHours ?? 0,
      log: app.log,
      now,
    });
    sweep.start();

    const readinessChecks: ReadinessChecks = {
      shuttingDown: () => stopping,
      // Any query proves the store answers; no subject has this key.
      store: async () => void (await store.latestEvaluation("readyz:probe")),
      queue: async () => (await queue.health?.()) ?? { ok: true },
    };
    const readiness = () => checkReadiness(readinessChecks);
    serveBesideProbot(appOptions, opsRoutes({ readiness: readinessChecks, metrics, metricsToken: options.metricsToken }));
    if (options.web && appOptions) appOptions.addHandler(webHandler({ store, settings: options.web, log: app.log, now }));

    const service: ReadinessService = {
      store,
      queue,
      runner,
      reconciler,
      metrics,
      readiness,
      sweep,
      idle: () => queue.idle(),
      async stop(graceMs) {
        stopping = true;
        await reconciler.stop();
        await sweep.stop();
        const handedBack = await queue.stop(graceMs);
        if (handedBack.length > 0) {
          app.log.warn({ jobs: handedBack.length, subjects: handedBack.map(describeJob) }, "stopped with jobs unfinished; reconciliation picks their subjects up at the next start");
        } else {
          app.log.info({}, "stopped: every job in flight finished");
        }
        await store.close();
        return handedBack;
      },
    };
    options.onService?.(service);
  };
}

/** READINESS_SHUTDOWN_GRACE_MS: how long shutdown waits for jobs in flight (default 20 s). */
export function shutdownGraceFromEnv(env: Env): number {
  return positiveIntegerFromEnv(env, "READINESS_SHUTDOWN_GRACE_MS", 20_000);
}

let started: ReadinessService | undefined;

/** Stops the service `npm start` runs (SIGTERM): no-op before it started. */
export async function stopReadiness(env: Env = process.env): Promise<readonly EvaluationJob[]> {
  const service = started;
  started = undefined;
  return service ? service.stop(shutdownGraceFromEnv(env)) : [];
}

/** REDIS_URL set: the BullMQ queue shared by every replica; otherwise in-process. */
export function queueFromEnv(env: Env, log: Probot["log"]): JobQueue {
  const concurrency = concurrencyFromEnv(env);
  const url = env.REDIS_URL?.trim();
  if (!url) return new MemoryJobQueue({ concurrency, log });
  log.info({ queue: "bullmq" }, "job queue: BullMQ on Redis (REDIS_URL)");
  return new BullJobQueue({ url, concurrency, log });
}

/**
 * The app as `npm start` runs it, configured from the environment when Probot loads it: the
 * state store from DATABASE_URL / READINESS_DB_PATH, the queue from REDIS_URL.
 */
const app: ApplicationFunction = (probot, options) => {
  // Evaluations run in a worker pool within READINESS_EVALUATION_BUDGET_MS, off the event loop.
  const pool = new EvaluationPool({ budgetMs: budgetFromEnv(process.env), log: probot.log });
  return readinessApp(settingsFromEnv(process.env), {
    store: (log) => createStateStore(process.env, log),
    queue: (log) => queueFromEnv(process.env, log),
    reconcileMinutes: reconcileMinutesFromEnv(process.env),
    scorecards: { intervalHours: scorecardIntervalFromEnv(process.env), spacingMs: scorecardSpacingFromEnv(process.env) },
    evaluate: pool.evaluate,
    metrics: new PrometheusMetrics({ processMetrics: true }),
    metricsToken: process.env.READINESS_METRICS_TOKEN,
    web: webSettingsFromEnv(process.env),
    onService: (service) => {
      started = {
        ...service,
        stop: async (graceMs) => {
          try {
            return await service.stop(graceMs);
          } finally {
            await pool.close();
          }
        },
      };
    },
  })(probot, options);
};
export default app;
