/**
 * What the service counts, behind a small port: the pipeline, the runner, the reconciler and the
 * webhook route report to a `MetricsSink` and know nothing of Prometheus. `PrometheusMetrics` is
 * the sink `/metrics` reads: one prom-client registry per instance (never the global one), so
 * several apps in one process (tests) count apart.
 *
 * Label values are bounded: events and route classes come from fixed lists or from the app's own
 * request templates, never from what an unauthenticated sender chose.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Phase, PhaseTimer } from "../ports.js";

export type { Phase, PhaseTimer } from "../ports.js";
export const PHASES: readonly Phase[] = ["config", "facts", "evaluate", "publish"];

/** accepted: answered 2xx; refused: 4xx (bad signature, malformed, too large, too slow); failed: 5xx. */
export type DeliveryOutcome = "accepted" | "refused" | "failed";
/** succeeded: the attempt finished; failed: it threw (the queue retries it); gave_up: no attempt left. */
export type JobOutcome = "succeeded" | "failed" | "gave_up";
/** completed: every installation was visited; stopped: the rate limit was low; failed: an error ended it. */
export type ReconciliationOutcome = "completed" | "stopped" | "failed";

export interface QueueDepth {
  readonly waiting: number;
  readonly running: number;
  readonly retrying: number;
}

export interface MetricsSink {
  webhookDelivery(event: string, outcome: DeliveryOutcome): void;
  job(kind: string, outcome: JobOutcome): void;
  jobRetry(kind: string): void;
  phase(phase: Phase, seconds: number): void;
  /** `status` is the HTTP status, or "error" when no answer came (timeout, connection). */
  githubRequest(routeClass: string, status: string): void;
  /** `installation` is the installation id, or "app" for requests made as the app itself. */
  rateLimitRemaining(installation: string, remaining: number): void;
  reconciliation(outcome: ReconciliationOutcome, subjectsHealed: number): void;
  /** `level` is the level reached, or "none". */
  verdict(conclusion: string, level: string): void;
}

const ignore = (): void => undefined;

/** Counts nothing: the default wherever no sink is given (the CLI, unit tests). */
export const NO_METRICS: MetricsSink = {
  webhookDelivery: ignore,
  job: ignore,
  jobRetry: ignore,
  phase: ignore,
  githubRequest: ignore,
  rateLimitRemaining: ignore,
  reconciliation: ignore,
  verdict: ignore,
};

/** The events the app subscribes to (app.yml); any other name is counted as "other". */
export const WEBHOOK_EVENTS: ReadonlySet<string> = new Set([
  "check_run",
  "check_suite",
  "deployment_protection_rule",
  "installation",
  "installation_repositories",
  "issue_comment",
  "merge_group",
  "ping",
  "pull_request",
  "pull_request_review",
  "push",
  "status",
]);

export function eventLabel(event: string | undefined): string {
  return event !== undefined && WEBHOOK_EVENTS.has(event) ? event : "other";
}

/** Seconds; evaluations run from milliseconds (cached facts) to tens of seconds (large pulls, slow GitHub). */
const PHASE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface PrometheusMetricsOptions {
  /** Node.js process metrics (memory, CPU, event loop lag); on for the server, off in tests. */
  readonly processMetrics?: boolean;
  /** Read when /metrics is scraped. */
  readonly queueDepth?: () => Promise<QueueDepth | undefined>;
}

export class PrometheusMetrics implements MetricsSink {
  readonly registry = new Registry();
  readonly #deliveries: Counter<"event" | "outcome">;
  readonly #jobs: Counter<"kind" | "outcome">;
  readonly #retries: Counter<"kind">;
  readonly #phases: Histogram<"phase">;
  readonly #requests: Counter<"route" | "status">;
  readonly #rateLimit: Gauge<"installation">;
  readonly #reconciliations: Counter<"outcome">;
  readonly #healed: Counter;
  readonly #verdicts: Counter<"conclusion" | "level">;
  #queueDepth: (() => Promise<QueueDepth | undefined>) | undefined;

  constructor(options: PrometheusMetricsOptions = {}) {
    const registers = [this.registry];
    this.#queueDepth = options.queueDepth;
    this.#deliveries = new Counter({ name: "readiness_webhook_deliveries_total", help: "Webhook deliveries by event and outcome (accepted 2xx, refused 4xx, failed 5xx).", labelNames: ["event", "outcome"], registers });
    this.#jobs = new Counter({ name: "readiness_jobs_total", help: "Job attempts by subject kind and outcome (succeeded, failed and retried, gave_up).", labelNames: ["kind", "outcome"], registers });
    this.#retries = new Counter({ name: "readiness_job_retries_total", help: "Job attempts after the first, by subject kind.", labelNames: ["kind"], registers });
    this.#phases = new Histogram({ name: "readiness_evaluation_phase_seconds", help: "Time spent in each pipeline phase (config, facts, evaluate, publish).", labelNames: ["phase"], buckets: PHASE_BUCKETS, registers });
    this.#requests = new Counter({ name: "readiness_github_requests_total", help: "GitHub API requests by route class and final HTTP status (after retries), or error.", labelNames: ["route", "status"], registers });
    this.#rateLimit = new Gauge({ name: "readiness_github_rate_limit_remaining", help: "GitHub's x-ratelimit-remaining from the latest response, per installation (or app).", labelNames: ["installation"], registers });
    this.#reconciliations = new Counter({ name: "readiness_reconciliation_runs_total", help: "Reconciliation passes by outcome (completed, stopped early on a low rate limit, failed).", labelNames: ["outcome"], registers });
    this.#healed = new Counter({ name: "readiness_reconciliation_subjects_healed_total", help: "Subjects a reconciliation pass found missing or stale and queued again.", registers });
    this.#verdicts = new Counter({ name: "readiness_verdicts_total", help: "Recorded verdicts by conclusion and level reached (none when no level was reached).", labelNames: ["conclusion", "level"], registers });
    const depth = (): Promise<QueueDepth | undefined> => this.#queueDepth?.() ?? Promise.resolve(undefined);
    new Gauge({
      name: "readiness_queue_jobs",
      help: "Jobs in the queue by state (waiting, running, retrying), read when scraped.",
      labelNames: ["state"],
      registers,
      async collect() {
        const now = await depth().catch(() => undefined);
        this.reset();
        if (!now) return;
        for (const state of ["waiting", "running", "retrying"] as const) this.set({ state }, now[state]);
      },
    });
    for (const phase of PHASES) this.#phases.zero({ phase });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** The queue read at each scrape (the queue is built after the metrics). */
  observeQueue(depth: () => Promise<QueueDepth | undefined>): void {
    this.#queueDepth = depth;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text `/metrics` answers. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  webhookDelivery(event: string, outcome: DeliveryOutcome): void {
    this.#deliveries.inc({ event: eventLabel(event), outcome });
  }
  job(kind: string, outcome: JobOutcome): void {
    this.#jobs.inc({ kind, outcome });
  }
  jobRetry(kind: string): void {
    this.#retries.inc({ kind });
  }
  phase(phase: Phase, seconds: number): void {
    this.#phases.observe({ phase }, seconds);
  }
  githubRequest(routeClass: string, status: string): void {
    this.#requests.inc({ route: routeClass, status });
  }
  rateLimitRemaining(installation: string, remaining: number): void {
    this.#rateLimit.set({ installation }, remaining);
  }
  reconciliation(outcome: ReconciliationOutcome, subjectsHealed: number): void {
    this.#reconciliations.inc({ outcome });
    if (subjectsHealed > 0) this.#healed.inc(subjectsHealed);
  }
  verdict(conclusion: string, level: string): void {
    this.#verdicts.inc({ conclusion, level });
  }
}

/** Times the pipeline's phases into `sink`. */
export function phaseTimer(sink: MetricsSink, clock: () => number = () => performance.now()): PhaseTimer {
  return async (phase, work) => {
    const started = clock();
    try {
      return await work();
    } finally {
      sink.phase(phase, (clock() - started) / 1000);
    }
  };
}
