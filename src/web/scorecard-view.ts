/**
 * What the organisation page shows, computed from the records a person may see: the per-area
 * matrix, the rules that block most repositories, the filters and the level distribution per
 * day. Pure: the records and the day come in.
 */
import { DEFAULT_LEVELS } from "../config/schema.js";
import { scorecardConclusion } from "../render/scorecard-entry.js";
import type { DailyBranchLevel, StoredEvaluation } from "../state/types.js";

/** The matrix's columns, in the order a scorecard reads. */
export const SCORECARD_AREAS = ["security", "reliability", "observability", "ownership", "incident", "testing", "documentation"] as const;

/** The column of repositories that reached no level. */
export const NO_LEVEL = "none";

const PASSING = new Set(["pass", "waived"]);
const FAILING = new Set(["fail", "error"]);
const NOT_APPLICABLE = new Set(["skip"]);

export type AreaState = "pass" | "fail" | "unknown" | "none";

export interface AreaCell {
  readonly state: AreaState;
  /** Rules of the area that fail or could not be judged. */
  readonly failing: number;
  /** Rules of the area that apply (not skipped). */
  readonly applicable: number;
}

export function repositoryName(record: { readonly owner: string; readonly repo: string }): string {
  return `${record.owner}/${record.repo}`;
}

export function areaCell(record: StoredEvaluation, area: string): AreaCell {
  const rules = record.rules.filter((rule) => rule.area === area && !NOT_APPLICABLE.has(rule.status));
  const failing = rules.filter((rule) => !PASSING.has(rule.status)).length;
  if (rules.length === 0) return { state: "none", failing: 0, applicable: 0 };
  const state: AreaState = rules.some((rule) => FAILING.has(rule.status)) ? "fail" : failing > 0 ? "unknown" : "pass";
  return { state, failing, applicable: rules.length };
}

/** Whether the repository stands at or above its required level. */
export function meetsRequired(record: StoredEvaluation): boolean {
  return scorecardConclusion(record.outcome) !== "failure";
}

/** The levels in ladder order: the default ladder first, then any other name the records use. */
export function levelLadder(records: readonly StoredEvaluation[]): string[] {
  const ladder: string[] = [...DEFAULT_LEVELS];
  for (const record of records) {
    for (const level of [record.levelReached, record.levelRequired, ...record.rules.map((rule) => rule.level)]) {
      if (level && !ladder.includes(level)) ladder.push(level);
    }
  }
  return ladder;
}

export interface Filters {
  /** A level name, NO_LEVEL, or "below" (below the required level). */
  readonly level?: string;
  /** Repositories with a failing rule in this area. */
  readonly area?: string;
  /** A CODEOWNERS root owner. */
  readonly owner?: string;
}

export function parseFilters(params: URLSearchParams): Filters {
  const pick = (name: string) => {
    const value = params.get(name)?.trim();
    return value ? value.slice(0, 200) : undefined;
  };
  const level = pick("level");
  const area = pick("area");
  const owner = pick("owner");
  return { ...(level ? { level } : {}), ...(area ? { area } : {}), ...(owner ? { owner } : {}) };
}

export function applyFilters(records: readonly StoredEvaluation[], filters: Filters): StoredEvaluation[] {
  return records.filter((record) => {
    if (filters.level === "below" && meetsRequired(record)) return false;
    if (filters.level !== undefined && filters.level !== "below" && (record.levelReached ?? NO_LEVEL) !== filters.level) return false;
    if (filters.area !== undefined && areaCell(record, filters.area).state !== "fail") return false;
    if (filters.owner !== undefined && !(record.owners ?? []).some((owner) => owner.toLowerCase() === filters.owner!.toLowerCase())) return false;
    return true;
  });
}

/** Every CODEOWNERS root owner named by the records, sorted. */
export function ownersOf(records: readonly StoredEvaluation[]): string[] {
  return [...new Set(records.flatMap((record) => record.owners ?? []))].sort((a, b) => a.localeCompare(b));
}

export interface BlockingRule {
  readonly id: string;
  readonly area: string;
  /** How many repositories it keeps below their required level. */
  readonly repositories: number;
}

/** Rules that block (at or below the required level, not passing) the most repositories. */
export function blockingRules(records: readonly StoredEvaluation[], limit = 10): BlockingRule[] {
  const counts = new Map<string, { area: string; repositories: number }>();
  for (const record of records) {
    for (const rule of record.rules) {
      if (!rule.blocking || PASSING.has(rule.status) || NOT_APPLICABLE.has(rule.status)) continue;
      const entry = counts.get(rule.id) ?? { area: rule.area ?? "", repositories: 0 };
      entry.repositories++;
      counts.set(rule.id, entry);
    }
  }
  return [...counts.entries()]
    .map(([id, entry]) => ({ id, ...entry }))
    .sort((a, b) => b.repositories - a.repositories || a.id.localeCompare(b.id))
    .slice(0, limit);
}

export interface DayLevels {
  /** `2026-03-01`. */
  readonly day: string;
  /** Repositories per level reached (NO_LEVEL for none) at the end of the day. */
  readonly counts: Readonly<Record<string, number>>;
  readonly total: number;
}

/** The UTC days ending with `lastDay`, oldest first. */
export function dayRange(lastDay: string, days: number): string[] {
  const end = Date.parse(`${lastDay}T00:00:00.000Z`);
  return Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/**
 * The number of repositories at each level at the end of each day: a repository keeps the level
 * of its last evaluation until the next one (`standingBefore` gives the level each had when
 * the range starts), and counts from the day of its first evaluation.
 */
export function levelDistribution(
  days: readonly string[],
  standingBefore: readonly { readonly owner: string; readonly repo: string; readonly levelReached: string | null }[],
  daily: readonly DailyBranchLevel[],
  ladder: readonly string[],
): DayLevels[] {
  const current = new Map<string, string>();
  for (const record of standingBefore) current.set(repositoryName(record), record.levelReached ?? NO_LEVEL);
  const byDay = new Map<string, DailyBranchLevel[]>();
  for (const row of daily) {
    const rows = byDay.get(row.day) ?? [];
    rows.push(row);
    byDay.set(row.day, rows);
  }
  return days.map((day) => {
    for (const row of byDay.get(day) ?? []) current.set(repositoryName(row), row.levelReached ?? NO_LEVEL);
    const counts: Record<string, number> = Object.fromEntries([NO_LEVEL, ...ladder].map((level) => [level, 0]));
    for (const level of current.values()) counts[level] = (counts[level] ?? 0) + 1;
    return { day, counts, total: current.size };
  });
}
