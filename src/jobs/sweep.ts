/**
 * The periodic scorecard sweep: time alone can fail a rule (a stale runbook, an expired
 * attestation), so every repository's standing is evaluated again once per interval (default a
 * day). Several replicas may run this: each checks often whether a sweep is due, and the one
 * that claims it in the state store's bookkeeping (compare-and-set on the time of the last sweep)
 * queues one scorecards job per installation; the others do nothing. The runner paces each
 * installation's repositories (src/jobs/resolve.ts).
 */
import type { Logger } from "../ports.js";
import type { StateStore } from "../state/types.js";
import type { JobQueue } from "./queue.js";
import { positiveIntegerFromEnv } from "./queue.js";
import type { RequestClient } from "./reconcile.js";
import { EVERY_REPOSITORY } from "./types.js";
import { SCORECARD_SPACING_MS } from "./resolve.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The bookkeeping entry whose value is the ISO time the last sweep was claimed. */
export const SWEEP_KEY = "scorecards:sweep";
/** How often a replica checks whether a sweep is due. */
const CHECK_EVERY_MS = 10 * 60_000;

/** READINESS_SCORECARD_INTERVAL_HOURS: hours between sweeps, default 24; 0 turns the sweep off. */
export function scorecardIntervalFromEnv(env: Env): number {
  return positiveIntegerFromEnv(env, "READINESS_SCORECARD_INTERVAL_HOURS", 24, 0);
}

/**
 * READINESS_SCORECARD_SPACING_MS: milliseconds between two repositories' scorecard evaluations in
 * one installation, default SCORECARD_SPACING_MS (10 s: 360 repositories an hour).
 */
export function scorecardSpacingFromEnv(env: Env): number {
  return positiveIntegerFromEnv(env, "READINESS_SCORECARD_SPACING_MS", SCORECARD_SPACING_MS, 0);
}

export interface SweepOptions {
  /** Authenticated as the app (lists installations). */
  readonly appClient: () => Promise<RequestClient>;
  readonly queue: JobQueue;
  readonly store: StateStore;
  readonly intervalHours: number;
  readonly log: Logger;
  readonly now?: () => Date;
}

export interface SweepReport {
  /** False when no sweep was due or another replica claimed it. */
  readonly swept: boolean;
  readonly installations: number;
}

export class ScorecardSweep {
  readonly #options: SweepOptions;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SweepReport> | undefined;

  constructor(options: SweepOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Checks now and then every few minutes whether a sweep is due; intervalHours 0: never. */
  start(): void {
    if (this.#options.intervalHours <= 0) return;
    void this.runIfDue();
    this.#timer = setInterval(() => void this.runIfDue(), Math.min(CHECK_EVERY_MS, this.#options.intervalHours * 3_600_000));
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** Claims and runs a sweep when one is due; never throws (the next check tries again). */
  runIfDue(): Promise<SweepReport> {
    this.#running ??= this.#sweep().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #sweep(): Promise<SweepReport> {
    const { store, log } = this.#options;
    const none: SweepReport = { swept: false, installations: 0 };
    try {
      const now = this.#now();
      const last = await store.getBookkeeping(SWEEP_KEY);
      const intervalMs = this.#options.intervalHours * 3_600_000;
      if (intervalMs <= 0) return none;
      if (last && now.getTime() - Date.parse(last.value) < intervalMs) return none;
      const claimed = await store.claimBookkeeping(last?.value, { key: SWEEP_KEY, value: now.toISOString(), updatedAt: now.toISOString() });
      if (!claimed) {
        log.info({}, "scorecard sweep: another replica claimed it");
        return none;
      }
      const installations = await this.#installations();
      for (const installation of installations) {
        await this.#options.queue.enqueue({
          installationId: installation.id,
          repository: { owner: installation.account, repo: EVERY_REPOSITORY },
          subject: { kind: "scorecards", reevaluate: true },
          reason: "schedule",
          requestedAt: now.toISOString(),
        });
      }
      log.info({ installations: installations.length }, "scorecard sweep: every installation's repositories queued");
      return { swept: true, installations: installations.length };
    } catch (error) {
      log.warn({ err: error }, "scorecard sweep failed; the next check tries again");
      return none;
    }
  }

  async #installations(): Promise<{ id: number; account: string }[]> {
    const client = await this.#options.appClient();
    const found: { id: number; account: string }[] = [];
    for (let page = 1; page <= 100; page++) {
      const response = await client.request("GET /app/installations", { per_page: 100, page });
      const items = Array.isArray(response.data) ? response.data : [];
      for (const item of items as { id?: unknown; account?: { login?: unknown; slug?: unknown } | null; suspended_at?: unknown }[]) {
        const account = typeof item.account?.login === "string" ? item.account.login : typeof item.account?.slug === "string" ? item.account.slug : undefined;
        if (typeof item.id === "number" && account !== undefined && !item.suspended_at) found.push({ id: item.id, account });
      }
      if (!/rel="next"/.test(String(response.headers.link ?? ""))) break;
    }
    return found;
  }
}
