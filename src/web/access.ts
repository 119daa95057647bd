/**
 * Who may see which repository. The API token sees every repository; a signed-in person sees
 * the repositories GitHub lists for them through each installation the store has records of
 * (GET /user/installations/{id}/repositories with their user token), cached per session for a
 * short while so a page view costs no GitHub request, yet a revoked access ends soon.
 */
import type { StoredEvaluation } from "../state/types.js";

export type Principal = { readonly kind: "api-token" } | { readonly kind: "person"; readonly sessionId: string; readonly token: string };

/** Reads the repositories one user token reaches through one installation (`owner/name`, lower-case). */
export type ListRepositories = (token: string, installationId: number) => Promise<readonly string[]>;

const MAX_CACHED_SESSIONS = 1_000;

function accessKey(installationId: number, owner: string, repo: string): string {
  return `${installationId}:${owner}/${repo}`.toLowerCase();
}

export class AccessCache {
  readonly #entries = new Map<string, { readonly until: number; readonly keys: ReadonlySet<string>; readonly installations: string }>();

  constructor(
    private readonly list: ListRepositories,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** The records the principal may see, in the order given. */
  async visible(principal: Principal, records: readonly StoredEvaluation[]): Promise<StoredEvaluation[]> {
    if (principal.kind === "api-token") return [...records];
    const installations = [...new Set(records.map((record) => record.installationId))].sort((a, b) => a - b);
    const keys = await this.keysFor(principal, installations);
    return records.filter((record) => keys.has(accessKey(record.installationId, record.owner, record.repo)));
  }

  /** Forgets a session's list (sign-out). */
  forget(sessionId: string): void {
    this.#entries.delete(sessionId);
  }

  private async keysFor(principal: Extract<Principal, { kind: "person" }>, installations: readonly number[]): Promise<ReadonlySet<string>> {
    const at = this.now();
    const signature = installations.join(",");
    const cached = this.#entries.get(principal.sessionId);
    // A record from an installation not listed before asks GitHub again.
    if (cached && cached.until > at && cached.installations === signature) return cached.keys;
    const keys = new Set<string>();
    for (const installationId of installations) {
      for (const name of await this.list(principal.token, installationId)) keys.add(`${installationId}:${name}`.toLowerCase());
    }
    if (this.ttlMs > 0) {
      if (this.#entries.size >= MAX_CACHED_SESSIONS) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(principal.sessionId, { until: at + this.ttlMs, keys, installations: signature });
    }
    return keys;
  }
}
