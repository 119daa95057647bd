import type { Fact, Facts } from "./types.js";
import { unknownFact } from "./types.js";

const NOT_GATHERED = "not gathered (no enabled rule declared that it needs this fact)";

/** A complete snapshot from the facts that were gathered; the rest are unknown, "not gathered". */
export function makeFacts(partial: Partial<Facts> = {}): Facts {
  const missing = <T>(): Fact<T> => unknownFact(NOT_GATHERED);
  return {
    pull: partial.pull ?? missing(),
    files: partial.files ?? missing(),
    reviews: partial.reviews ?? missing(),
    checks: partial.checks ?? missing(),
    codeowners: partial.codeowners ?? missing(),
    headCodeowners: partial.headCodeowners ?? missing(),
    teams: partial.teams ?? new Map(),
    contents: partial.contents ?? new Map(),
    trees: partial.trees ?? {},
    headContentsOfUnpatched: partial.headContentsOfUnpatched ?? missing(),
    codeownersErrors: partial.codeownersErrors ?? {},
    fingerprintKey: partial.fingerprintKey ?? missing(),
    lastCommits: partial.lastCommits ?? new Map(),
    now: partial.now ?? missing(),
    decisions: partial.decisions ?? missing(),
    treeSizes: partial.treeSizes ?? {},
    securityAlerts: partial.securityAlerts ?? {},
    subject: partial.subject ?? { kind: "pull" },
  };
}

/** Merges a later round of facts over an earlier one (maps are unioned). */
export function mergeFacts(a: Facts, b: Partial<Facts>): Facts {
  return {
    ...a,
    ...b,
    teams: new Map([...a.teams, ...(b.teams ?? [])]),
    contents: new Map([...a.contents, ...(b.contents ?? [])]),
    trees: { ...a.trees, ...(b.trees ?? {}) },
    codeownersErrors: { ...a.codeownersErrors, ...(b.codeownersErrors ?? {}) },
    lastCommits: new Map([...a.lastCommits, ...(b.lastCommits ?? [])]),
    treeSizes: { ...a.treeSizes, ...(b.treeSizes ?? {}) },
    securityAlerts: { ...a.securityAlerts, ...(b.securityAlerts ?? {}) },
  };
}
