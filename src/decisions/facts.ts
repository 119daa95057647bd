/**
 * The decisions fact, read from the state store's audit log (never from anything a pull request
 * author can edit): the waivers on record for one pull request (the newest waive or unwaive of
 * each rule) and the repository's attestations, with the time of the evaluation.
 */
import type { DecisionsFact, Fact, WaiverFact } from "../engine/types.js";
import { known, unknownFact } from "../engine/types.js";
import type { DecisionRecord, StateStore } from "../state/types.js";

/** What the log holds in force for a pull request (or, without one, the attestations only). Pure. */
export function decisionsInForce(entries: readonly DecisionRecord[], pullNumber: number | undefined): Pick<DecisionsFact, "waivers" | "attestations"> {
  const newestByRule = new Map<string, DecisionRecord>();
  const attestations: DecisionsFact["attestations"][number][] = [];
  for (const entry of entries) {
    if (entry.kind === "attest") attestations.push({ item: entry.target, by: entry.actor, evidence: entry.reason, at: entry.createdAt });
    else if (pullNumber !== undefined && entry.pullNumber === pullNumber) newestByRule.set(entry.target, entry);
  }
  const waivers: WaiverFact[] = [];
  for (const entry of newestByRule.values()) {
    if (entry.kind !== "waive") continue;
    waivers.push({
      rule: entry.target,
      by: entry.actor,
      reason: entry.reason,
      at: entry.createdAt,
      ...(entry.expiresAt !== undefined ? { expiresAt: entry.expiresAt } : {}),
      ...(entry.untilPush && entry.sha !== undefined ? { headSha: entry.sha } : {}),
    });
  }
  return { waivers, attestations };
}

export interface DecisionsSubject {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber?: number;
  readonly headSha?: string;
}

export async function loadDecisions(store: StateStore, subject: DecisionsSubject, now: Date): Promise<Fact<DecisionsFact>> {
  try {
    const entries = await store.listDecisions({ owner: subject.owner, repo: subject.repo });
    return known({ now: now.toISOString(), ...(subject.headSha !== undefined ? { headSha: subject.headSha } : {}), ...decisionsInForce(entries, subject.pullNumber) });
  } catch {
    return unknownFact("waivers and attestations could not be read from the state store; the next evaluation tries again");
  }
}
