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
import Bottleneck from "bottleneck";
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
  /**
   * Spacing between content-creating requests (POST, PATCH, PUT, DELETE) of one installation, one
   * at a time; comments are spaced three times as far. GitHub asks for at least one second between
   * writes per token, which is plugin-throttling's own default (used unchanged at 1000). Each
   * installation has its own token, hence its own limiter: installations never wait for each other.
   */
  readonly writeIntervalMs: number;
}

export const DEFAULT_WRITE_INTERVAL_MS = 1000;

export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
  timeoutMs: 10_000,
  retries: 3,
  maxRateLimitWaitSeconds: 60,
  rateLimitRetries: 2,
  retryAfterBaseValue: 1000,
  writeIntervalMs: DEFAULT_WRITE_INTERVAL_MS,
};

function millisecondsFromEnv(env: Env, name: string, minimum: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new Error(`${name} must be a whole number of milliseconds, at least ${minimum}, got "${raw}"`);
  }
  return value;
}

/**
 * READINESS_GITHUB_TIMEOUT_MS (default 10000, at least 100); READINESS_GITHUB_WRITE_INTERVAL_MS
 * (default 1000: GitHub's guidance for github.com; a GitHub Enterprise Server with its own limits,
 * or a test against a fake GitHub, may set less).
 */
export function requestPolicyFromEnv(env: Env): RequestPolicy {
  const timeoutMs = millisecondsFromEnv(env, "READINESS_GITHUB_TIMEOUT_MS", 100) ?? DEFAULT_REQUEST_POLICY.timeoutMs;
  const writeIntervalMs = millisecondsFromEnv(env, "READINESS_GITHUB_WRITE_INTERVAL_MS", 0) ?? DEFAULT_WRITE_INTERVAL_MS;
  return { ...DEFAULT_REQUEST_POLICY, timeoutMs, writeIntervalMs };
}

interface WriteGroups {
  readonly write: Bottleneck.Group;
  readonly notifications: Bottleneck.Group;
}

/**
 * Write and comment limiters with a non-default spacing, shared by every Octokit of the process
 * (as plugin-throttling's own are) and, given Probot's Redis connection, by every replica. Each is
 * a Bottleneck.Group: plugin-throttling takes the limiter keyed by the client's throttle id, which
 * Probot sets to the installation id, so spacing is per installation; a key's limiter is dropped
 * after `timeout` without use, so the groups hold only installations that wrote recently.
 */
const writeGroups = new Map<string, WriteGroups>();
let connectionIds = new WeakMap<object, number>();
let nextConnectionId = 0;

function spacedWriteGroups(intervalMs: number, throttle: Record<string, unknown> | undefined): WriteGroups {
  const connection = throttle?.connection as object | undefined;
  if (connection && !connectionIds.has(connection)) connectionIds.set(connection, nextConnectionId++);
  const key = `${intervalMs}:${connection ? connectionIds.get(connection) : "local"}`;
  let groups = writeGroups.get(key);
  if (!groups) {
    // On Redis a replica whose heartbeat (every 5 s) is missed for clientTimeout is forgotten, and its
    // next write fails with UNKNOWN_CLIENT; Bottleneck's 10 s default was exceeded by a CPU-starved
    // replica in bench/load's two-process run, failing a job's every attempt. A minute rides it out.
    const common = { timeout: 2 * 60_000, ...(connection ? { connection: connection as Bottleneck.IORedisConnection, clientTimeout: 60_000 } : {}) };
    groups = {
      write: new Bottleneck.Group({ id: `readiness-write-${intervalMs}`, maxConcurrent: 1, minTime: intervalMs, ...common }),
      notifications: new Bottleneck.Group({ id: `readiness-notifications-${intervalMs}`, maxConcurrent: 1, minTime: 3 * intervalMs, ...common }),
    };
    writeGroups.set(key, groups);
  }
  return groups;
}

/** Forgets the shared limiters (tests that change the spacing). */
export function resetWriteGroups(): void {
  writeGroups.clear();
  connectionIds = new WeakMap();
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
 * The limiter key: Probot names each installation client's throttle id after the installation;
 * a client built elsewhere with an installation's credentials gets the same key, never the
 * process-wide "no-id" that would make every installation wait for every other.
 */
function throttleIdOf(options: OctokitOptions): { id?: string } {
  if (typeof options.throttle?.id === "string") return {};
  const installationId = (options.auth as { installationId?: unknown } | undefined)?.installationId;
  return typeof installationId === "number" || typeof installationId === "string" ? { id: String(installationId) } : {};
}

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
        ...throttleIdOf(options),
        ...(policy.writeIntervalMs !== DEFAULT_WRITE_INTERVAL_MS ? spacedWriteGroups(policy.writeIntervalMs, options.throttle) : {}),
        retryAfterBaseValue: policy.retryAfterBaseValue,
        onRateLimit: rateLimited("primary"),
        onSecondaryRateLimit: rateLimited("secondary"),
      },
    };
  };
}
