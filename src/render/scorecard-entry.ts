/**
 * One repository's standing, as the scorecard API (`GET /api/scorecards`), its CSV export and
 * `readiness check --branch --format json` all print it. This shape is documented and stable:
 * other tools read it. Fields are only ever added, never renamed or removed.
 */

export type ScorecardConclusion = "success" | "failure" | "neutral";

export interface ScorecardRule {
  /** The monorepo component whose checklist judged it; absent: the repository's own. */
  readonly component?: string;
  readonly id: string;
  /** pass, fail, skip, unknown, pending, error or waived. */
  readonly status: string;
  readonly level: string;
  /** security, reliability, observability, ownership, incident, testing, documentation, review, hygiene. */
  readonly area: string;
}

/** A dated target still ahead when the standing was evaluated: advisory until `from`. */
export interface ScorecardTarget {
  readonly level: string;
  /** "YYYY-MM-DD": required from 00:00 UTC that day. */
  readonly from: string;
  /** Whole days from today to `from`, counted by whoever prints the entry (0 or less once the day has come). */
  readonly daysLeft?: number;
  /** The evaluated commit already reaches the target's level. */
  readonly met: boolean;
  /** Rules at or below the target's level that are not satisfied. */
  readonly missing: readonly string[];
}

export interface ScorecardEntry {
  /** "owner/name". */
  readonly repository: string;
  /** The branch evaluated (the default branch). */
  readonly ref: string;
  readonly sha: string;
  readonly conclusion: ScorecardConclusion;
  /** `reached` is null when even the first level is not reached; `target` only while a dated target is ahead. */
  readonly level: { readonly reached: string | null; readonly required: string | null; readonly target?: ScorecardTarget };
  /** ISO-8601, UTC. */
  readonly evaluatedAt: string;
  readonly rules: readonly ScorecardRule[];
  /** Monorepos: each component with its own level (absent without `components:`). */
  readonly components?: readonly ScorecardComponent[];
}

export interface ScorecardComponent {
  readonly name: string;
  readonly conclusion: ScorecardConclusion;
  readonly level: { readonly reached: string | null; readonly required: string };
}

/** What an entry is built from: a stored branch record, or the CLI's evaluation of a local branch. */
export interface ScorecardSource {
  readonly owner: string;
  readonly repo: string;
  readonly ref?: string;
  readonly headSha: string;
  /** A recorded outcome or an evaluation's conclusion. */
  readonly outcome: string;
  readonly levelReached: string | null;
  readonly levelRequired: string | null;
  readonly evaluatedAt: string;
  readonly rules: readonly { readonly id: string; readonly status: string; readonly level: string; readonly area?: string; readonly component?: string }[];
  readonly target?: ScorecardTarget;
  readonly components?: readonly { readonly name: string; readonly reached: string | null; readonly required: string; readonly conclusion: string }[];
}

/**
 * A scorecard's conclusion: success and neutral as evaluated; anything else that is not a
 * pass (failure, a pending CI wait, an invalid configuration, an error) is a failure, because a
 * repository's standing is not reached until it is.
 */
export function scorecardConclusion(outcome: string): ScorecardConclusion {
  if (outcome === "success" || outcome === "neutral") return outcome;
  return "failure";
}

export function scorecardEntry(source: ScorecardSource, fallbackRef = ""): ScorecardEntry {
  return {
    repository: `${source.owner}/${source.repo}`,
    ref: source.ref ?? fallbackRef,
    sha: source.headSha,
    conclusion: scorecardConclusion(source.outcome),
    level: { reached: source.levelReached, required: source.levelRequired, ...(source.target ? { target: { ...source.target, missing: [...source.target.missing] } } : {}) },
    evaluatedAt: source.evaluatedAt,
    rules: source.rules.map((rule) => ({ ...(rule.component !== undefined ? { component: rule.component } : {}), id: rule.id, status: rule.status, level: rule.level, area: rule.area ?? "" })),
    ...(source.components
      ? { components: source.components.map((c) => ({ name: c.name, conclusion: scorecardConclusion(c.conclusion), level: { reached: c.reached, required: c.required } })) }
      : {}),
  };
}
