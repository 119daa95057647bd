/**
 * How the app's GitHub requests behave under failure. Probot's Octokit already has
 * @octokit/plugin-retry (5xx, 429 and network failures, reported by Octokit as 500: retried with
 * waits of 1, 4, 9 s) and @octokit/plugin-throttling (primary and secondary rate limits, with
 * GitHub's `x-ratelimit-reset` and `retry-after`); this configures them rather than adding a
 * third layer, and adds what they lack:
 * - a timeout on every request (an attempt that hangs is aborted and retried like a 500);
 * - a bound on how long one request may wait for a rate limit (beyond it the job fails and the
 *   queue retries it later, so a worker is never parked for an hour);
 * - log lines for every failed attempt and rate-limit wait, with the job's bindings (delivery,
 *   repository, subject, head sha) when the request is made inside a job.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "../ports.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface RequestPolicy {
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Retries after the first attempt, for 5xx, 429, timeouts and connection failures. */
  readonly retries: number;
  /** The longest one rate-limit wait may be before the request fails instead (seconds). */
  readonly maxRateLimitWaitSeconds: number;
  /** Rate-limit retries per request. */
  readonly rateLimitRetries: number;
  /** Milliseconds per unit of Octokit's waits (1000 in production; tests shrink it). */
  readonly retryAfterBaseValue: number;
}

export const DEFAULT_REQUEST_POLICY: RequestPolicy = { timeoutMs: 10_000, retries: 3, maxRateLimitWaitSeconds: 60, rateLimitRetries: 2, retryAfterBaseValue: 1000 };

/** READINESS_GITHUB_TIMEOUT_MS (default 10000): a whole number of milliseconds ≥ 100. */
export function requestPolicyFromEnv(env: Env): RequestPolicy {
  const raw = env.READINESS_GITHUB_TIMEOUT_MS?.trim();
  if (!raw) return DEFAULT_REQUEST_POLICY;
  const timeoutMs = Number(raw);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 100) {
    throw new Error(`READINESS_GITHUB_TIMEOUT_MS must be a whole number of milliseconds, at least 100, got "${raw}"`);
  }
  return { ...DEFAULT_REQUEST_POLICY, timeoutMs };
}

const jobLog = new AsyncLocalStorage<Logger>();

/** Runs `work` with `log` as the logger for the GitHub requests it makes. */
export function withRequestLog<T>(log: Logger, work: () => Promise<T>): Promise<T> {
  return jobLog.run(log, work);
}

function currentLog(fallback: Logger | undefined): Logger | undefined {
  return jobLog.getStore() ?? fallback;
}

type Fetch = typeof globalThis.fetch;

/** `fetch` with a timeout per call, logging failed attempts (status or error code, never bodies). */
export function timedFetch(timeoutMs: number, fallbackLog?: Logger, base: () => Fetch = () => globalThis.fetch): Fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const method = init?.method ?? "GET";
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const path = safePath(url);
    try {
      const response = await base()(input, { ...init, signal });
      if (response.status >= 500 || response.status === 429 || (response.status === 403 && response.headers.get("retry-after"))) {
        currentLog(fallbackLog)?.info(
          { status: response.status, method, path, retryAfter: response.headers.get("retry-after") ?? undefined, rateLimitRemaining: response.headers.get("x-ratelimit-remaining") ?? undefined },
          `GitHub answered ${response.status} to ${method} ${path}`,
        );
      }
      return response;
    } catch (error) {
      const timedOut = timeout.aborted && !init?.signal?.aborted;
      const code = errorCode(error);
      currentLog(fallbackLog)?.info({ method, path, ...(timedOut ? { timeoutMs } : { code }) }, timedOut ? `GitHub did not answer ${method} ${path} within ${timeoutMs} ms` : `GitHub request ${method} ${path} failed (${code ?? "network error"})`);
      throw error;
    }
  };
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return "(unparsable url)";
  }
}

function errorCode(error: unknown): string | undefined {
  for (let at: unknown = error, depth = 0; at && depth < 4; at = (at as { cause?: unknown }).cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

interface ThrottleRequest {
  readonly method: string;
  readonly url: string;
  readonly request: { readonly retryCount: number };
}

type OctokitOptions = Record<string, unknown> & { request?: Record<string, unknown>; throttle?: Record<string, unknown>; retry?: Record<string, unknown>; log?: Logger };

/**
 * The Octokit options the app runs with, layered over Probot's (the function form runs after
 * Probot's own defaults, so these win).
 */
export function requestOptions(policy: RequestPolicy, fallbackLog?: Logger): (options: OctokitOptions) => OctokitOptions {
  return (options) => {
    const log = fallbackLog ?? options.log;
    const rateLimited = (kind: string) => (retryAfter: number, request: ThrottleRequest) => {
      const retry = request.request.retryCount < policy.rateLimitRetries && retryAfter <= policy.maxRateLimitWaitSeconds;
      currentLog(log)?.warn(
        { method: request.method, path: request.url, retryAfterSeconds: retryAfter, retryCount: request.request.retryCount },
        retry ? `GitHub ${kind} rate limit: waiting ${retryAfter} s as GitHub asks, then retrying` : `GitHub ${kind} rate limit: giving up on this request (the job is retried later)`,
      );
      return retry;
    };
    return {
      ...options,
      request: { ...options.request, fetch: timedFetch(policy.timeoutMs, log, () => (options.request?.fetch as Fetch | undefined) ?? globalThis.fetch) },
      retry: { ...options.retry, retries: policy.retries, retryAfterBaseValue: policy.retryAfterBaseValue },
      throttle: {
        ...options.throttle,
        retryAfterBaseValue: policy.retryAfterBaseValue,
        onRateLimit: rateLimited("primary"),
        onSecondaryRateLimit: rateLimited("secondary"),
      },
    };
  };
}
