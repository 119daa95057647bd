/**
 * Reconciliation: what a restart, a crash or a lost webhook missed heals by itself. At start and
 * every N minutes it lists the app's installations, their repositories and open pull requests,
 * and queues every pull request whose head commit has no completed check run of this app's check
 * name, or whose latest record is a failed evaluation. Listings are conditional (ETags kept in the
 * state store's bookkeeping, so an unchanged page costs no rate limit) and the pass stops politely
 * when the remaining rate limit runs low.
 */
import type { MetricsSink } from "../ops/metrics.js";
import type { Logger } from "../ports.js";
import type { StateStore } from "../state/types.js";
import type { JobQueue } from "./queue.js";
import { positiveIntegerFromEnv } from "./queue.js";
import { subjectKey } from "./types.js";
import { healPendingDeployments } from "./pending-deployments.js";
import type { EvaluationJob } from "./types.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface RequestResponse {
  readonly status: number;
  readonly data: unknown;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
}

/** Octokit's generic `request`, the only method reconciliation uses. */
export interface RequestClient {
  request(route: string, params?: Record<string, unknown>): Promise<RequestResponse>;
}

export interface ReconcilerOptions {
  /** Authenticated as the app (lists installations). */
  readonly appClient: () => Promise<RequestClient>;
  /** Authenticated as one installation. */
  readonly installationClient: (installationId: number) => Promise<RequestClient>;
  readonly queue: JobQueue;
  readonly store: StateStore;
  readonly checkName: string;
  readonly appId?: number;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Stop the pass when a response says fewer requests than this remain. Default 200. */
  readonly minRateLimitRemaining?: number;
  /** Where passes and the subjects they queue again are counted. */
  readonly metrics?: MetricsSink;
}

export interface ReconcileReport {
  readonly installations: number;
  readonly repositories: number;
  readonly pulls: number;
  readonly queued: number;
  /** Requests answered 304 from a stored ETag. */
  readonly notModified: number;
  /** Set when the pass stopped early: why. */
  readonly stopped?: string;
}

/** READINESS_RECONCILE_MINUTES: minutes between passes, default 10; 0 turns reconciliation off. */
export function reconcileMinutesFromEnv(env: Env): number {
  return positiveIntegerFromEnv(env, "READINESS_RECONCILE_MINUTES", 10, 0);
}

class RateLimitLow extends Error {
  constructor(readonly remaining: number) {
    super(`rate limit low (${remaining} requests remaining)`);
  }
}

interface Repository {
  readonly owner: string;
  readonly repo: string;
}

interface OpenPull {
  readonly number: number;
  readonly headSha: string;
}

export class Reconciler {
  readonly #options: ReconcilerOptions;
  readonly #now: () => Date;
  readonly #minRemaining: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<ReconcileReport> | undefined;

  constructor(options: ReconcilerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#minRemaining = options.minRateLimitRemaining ?? 200;
  }

  /** Runs a pass now and then every `minutes` (0: never). A pass never overlaps another. */
  start(minutes: number): void {
    if (minutes <= 0) return;
    void this.runOnce();
    this.#timer = setInterval(() => void this.runOnce(), minutes * 60_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One pass; failures are logged, never thrown (the next pass tries again). */
  runOnce(): Promise<ReconcileReport> {
    this.#running ??= this.#pass().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #pass(): Promise<ReconcileReport> {
    const { log } = this.#options;
    const counts = { installations: 0, repositories: 0, pulls: 0, queued: 0, notModified: 0 };
    let stopped: string | undefined;
    try {
      const expired = await this.#options.store.expirePendingGroups(this.#now().toISOString());
      if (expired > 0) log.info({ expired }, "reconcile: expired pending merge groups forgotten");
      const deployments = await healPendingDeployments({ store: this.#options.store, queue: this.#options.queue, now: this.#now, log });
      counts.queued += deployments.queued;
      const app = await this.#options.appClient();
      const installations = await this.#list(app, "GET /app/installations", {}, "app", counts, (data) =>
        asArray(data).flatMap((i) => (typeof (i as { id?: unknown }).id === "number" ? [(i as { id: number }).id] : [])),
      );
      for (const installationId of installations) {
        counts.installations += 1;
        const client = await this.#options.installationClient(installationId);
        const repositories = await this.#list(client, "GET /installation/repositories", {}, `installation:${installationId}`, counts, (data) =>
          asArray((data as { repositories?: unknown }).repositories).flatMap(repositoryOf),
        );
        for (const repository of repositories) {
          counts.repositories += 1;
          const pulls = await this.#list(
            client,
            "GET /repos/{owner}/{repo}/pulls",
            { owner: repository.owner, repo: repository.repo, state: "open" },
            `installation:${installationId}`,
            counts,
            (data) => asArray(data).flatMap(openPullOf),
          );
          for (const pull of pulls) {
            counts.pulls += 1;
            if (await this.#needsEvaluation(client, installationId, repository, pull)) {
              await this.#options.queue.enqueue(this.#job(installationId, repository, pull));
              counts.queued += 1;
            }
          }
        }
      }
    } catch (error) {
      if (error instanceof RateLimitLow) {
        stopped = error.message;
        log.warn({ remaining: error.remaining, ...counts }, "reconcile: stopped early, the rate limit is low; the next pass continues");
      } else {
        stopped = "failed";
        log.warn({ err: error, ...counts }, "reconcile: pass failed; the next pass tries again");
      }
    }
    const report: ReconcileReport = { ...counts, ...(stopped ? { stopped } : {}) };
    this.#options.metrics?.reconciliation(stopped === undefined ? "completed" : stopped === "failed" ? "failed" : "stopped", counts.queued);
    if (!stopped) log.info(report, `reconcile: ${counts.queued} of ${counts.pulls} open pull requests queued`);
    return report;
  }

  async #needsEvaluation(client: RequestClient, installationId: number, repository: Repository, pull: OpenPull): Promise<boolean> {
    const job = this.#job(installationId, repository, pull);
    const latest = await this.#options.store.latestEvaluation(subjectKey(job));
    if (latest?.outcome === "error") return true;
    // Recorded at this head, not pending: published (or nothing to publish) already.
    if (latest && latest.headSha === pull.headSha && latest.outcome !== "pending") return false;
    const response = await this.#request(client, "GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
      owner: repository.owner,
      repo: repository.repo,
      ref: pull.headSha,
      check_name: this.#options.checkName,
      filter: "latest",
      ...(this.#options.appId !== undefined ? { app_id: this.#options.appId } : {}),
    });
    const runs = asArray((response.data as { check_runs?: unknown }).check_runs);
    return !runs.some((run) => {
      const r = run as { status?: unknown; name?: unknown; app?: { id?: unknown } | null };
      const ours = this.#options.appId === undefined || r.app?.id === undefined || r.app.id === this.#options.appId;
      return r.status === "completed" && r.name === this.#options.checkName && ours;
    });
  }

  #job(installationId: number, repository: Repository, pull: OpenPull): EvaluationJob {
    return {
      installationId,
      repository,
      subject: { kind: "pull", number: pull.number, headSha: pull.headSha },
      reason: "reconcile",
      requestedAt: this.#now().toISOString(),
    };
  }

  /** Every page of a list, each page a conditional request against its stored ETag. */
  async #list<T>(client: RequestClient, route: string, params: Record<string, unknown>, scope: string, counts: { notModified: number }, itemsOf: (data: unknown) => T[]): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page <= 100; page++) {
      const key = `reconcile:etag:${scope}:${route}:${JSON.stringify(params)}:${page}`;
      const stored = await this.#options.store.getBookkeeping(key);
      let pageItems: T[];
      let hasNext: boolean;
      try {
        const response = await this.#request(client, route, { ...params, per_page: 100, page, ...(stored?.etag ? { headers: { "if-none-match": stored.etag } } : {}) });
        pageItems = itemsOf(response.data);
        hasNext = /rel="next"/.test(String(response.headers.link ?? ""));
        const etag = response.headers.etag;
        if (typeof etag === "string") {
          await this.#options.store.setBookkeeping({ key, value: JSON.stringify({ items: pageItems, hasNext }), etag, updatedAt: this.#now().toISOString() });
        }
      } catch (error) {
        if ((error as { status?: unknown }).status !== 304 || !stored) throw error;
        counts.notModified += 1;
        const cached = JSON.parse(stored.value) as { items: T[]; hasNext: boolean };
        pageItems = cached.items;
        hasNext = cached.hasNext;
      }
      items.push(...pageItems);
      if (!hasNext) break;
    }
    return items;
  }

  async #request(client: RequestClient, route: string, params: Record<string, unknown>): Promise<RequestResponse> {
    const response = await client.request(route, params);
    const remaining = Number(response.headers["x-ratelimit-remaining"]);
    if (Number.isFinite(remaining) && remaining < this.#minRemaining) throw new RateLimitLow(remaining);
    return response;
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function repositoryOf(value: unknown): Repository[] {
  const r = value as { name?: unknown; owner?: { login?: unknown } | null; archived?: unknown };
  return typeof r?.name === "string" && typeof r.owner?.login === "string" && r.archived !== true ? [{ owner: r.owner.login, repo: r.name }] : [];
}

function openPullOf(value: unknown): OpenPull[] {
  const p = value as { number?: unknown; head?: { sha?: unknown } | null };
  return typeof p?.number === "number" && typeof p.head?.sha === "string" ? [{ number: p.number, headSha: p.head.sha }] : [];
}
