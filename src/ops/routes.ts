/**
 * The operator's endpoints, beside Probot's routes:
 * - `GET /healthz`: alive (the process answers); an orchestrator restarts it when this fails.
 * - `GET /readyz`: ready to take work (store and, when configured, Redis reachable, the queue
 *   consuming, not shutting down); 503 with the reason otherwise, so a load balancer sends
 *   deliveries to another replica.
 * - `GET /metrics`: Prometheus exposition; with a token configured, only for `Authorization:
 *   Bearer <token>` (401 otherwise); without one, open to whoever reaches the port.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpHandler } from "./webhook-edge.js";

/** One dependency's state: `reason` says what is wrong, in words an operator can act on. */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface ReadinessChecks {
  /** True once shutdown began (SIGTERM): no new work, so not ready. */
  shuttingDown(): boolean;
  /** Resolves when the state store answers a query; rejects otherwise. */
  store(): Promise<void>;
  /** The queue's own account (src/jobs/queue.ts `health`): consuming, and Redis reachable when it is on Redis. */
  queue(): Promise<CheckResult>;
}

export interface ReadinessReport {
  readonly ready: boolean;
  /** The first problem found, when not ready. */
  readonly reason?: string;
  readonly checks: { readonly store: string; readonly queue: string };
}

/** A probe that takes longer than this counts as failed: the orchestrator's own timeout is a few seconds. */
export const CHECK_TIMEOUT_MS = 2_000;

async function within(check: () => Promise<CheckResult>, timeoutMs: number, what: string): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => (timer = setTimeout(() => resolve({ ok: false, reason: `${what} did not answer within ${timeoutMs} ms` }), timeoutMs)));
  try {
    return await Promise.race([
      check().catch((error: unknown): CheckResult => ({ ok: false, reason: `${what} failed: ${error instanceof Error ? error.message : String(error)}` })),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(checks: ReadinessChecks, timeoutMs = CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
  const [store, queue] = await Promise.all([
    within(async () => (await checks.store(), { ok: true }), timeoutMs, "the state store"),
    within(() => checks.queue(), timeoutMs, "the job queue"),
  ]);
  const shown = (result: CheckResult) => (result.ok ? "ok" : result.reason);
  const report = { checks: { store: shown(store), queue: shown(queue) } };
  if (checks.shuttingDown()) return { ready: false, reason: "shutting down", ...report };
  const failed = [store, queue].find((result): result is Extract<CheckResult, { ok: false }> => !result.ok);
  return failed ? { ready: false, reason: failed.reason, ...report } : { ready: true, ...report };
}

export interface MetricsSource {
  readonly contentType: string;
  text(): Promise<string>;
}

export interface OpsRoutesOptions {
  readonly readiness: ReadinessChecks;
  readonly metrics: MetricsSource;
  /** READINESS_METRICS_TOKEN: when set, /metrics answers only requests bearing it. */
  readonly metricsToken?: string | undefined;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Compares digests, so neither the token's length nor its prefix leaks through timing. */
function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): true {
  res.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)), "cache-control": "no-store", ...headers });
  res.end(body);
  return true;
}

const json = (res: ServerResponse, status: number, value: unknown, headers?: Record<string, string>) => send(res, status, "application/json", JSON.stringify(value), headers);

export function opsRoutes(options: OpsRoutesOptions): HttpHandler {
  const token = options.metricsToken?.trim() || undefined;
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = (req.url ?? "/").split("?")[0];
    switch (path) {
      case "/healthz":
        return json(res, 200, { status: "alive" });
      case "/readyz": {
        const report = await checkReadiness(options.readiness);
        return json(res, report.ready ? 200 : 503, { status: report.ready ? "ready" : "not ready", ...report });
      }
      case "/metrics":
        if (token !== undefined && !bearerMatches(req, token)) {
          return json(res, 401, { error: "metrics need Authorization: Bearer <READINESS_METRICS_TOKEN>" }, { "www-authenticate": 'Bearer realm="metrics"' });
        }
        return send(res, 200, options.metrics.contentType, await options.metrics.text());
      default:
        return false;
    }
  };
}

export interface DeliveryCounter {
  webhookDelivery(event: string, outcome: "accepted" | "refused" | "failed"): void;
}

/**
 * The webhook route, counting each delivery (a POST to `path`) by event and by how it was
 * answered, whichever layer answered it (the edge's refusals, Probot's signature check, handlers).
 */
export function countDeliveries(route: HttpHandler, path: string, counter: DeliveryCounter): HttpHandler {
  const webhookPath = path.replace(/\/+$/, "") || "/";
  return (req, res) => {
    const requested = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "") || "/";
    if (req.method === "POST" && requested === webhookPath) {
      const event = req.headers["x-github-event"];
      res.once("finish", () => {
        const outcome = res.statusCode < 300 ? "accepted" : res.statusCode < 500 ? "refused" : "failed";
        counter.webhookDelivery(typeof event === "string" ? event : "", outcome);
      });
    }
    return route(req, res);
  };
}
