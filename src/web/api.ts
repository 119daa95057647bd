/**
 * The read-only scorecard API's bodies: JSON in the documented ScorecardEntry shape
 * (docs/api.md), and the same standing as CSV for spreadsheets.
 */
import { scorecardEntry, type ScorecardEntry } from "../render/scorecard-entry.js";
import type { StoredEvaluation } from "../state/types.js";
import { areaCell, SCORECARD_AREAS } from "./scorecard-view.js";
import { daysUntil, type TargetDay, type TargetProgressView } from "./targets-view.js";

/** The documented entry; with `today`, a dated target's `daysLeft` is counted from it. */
export function entryOf(record: StoredEvaluation, today?: string): ScorecardEntry {
  const entry = scorecardEntry(record);
  const target = entry.level.target;
  if (!target || today === undefined) return entry;
  return { ...entry, level: { ...entry.level, target: { level: target.level, from: target.from, daysLeft: daysUntil(target.from, today), met: target.met, missing: target.missing } } };
}

export function scorecardsJson(records: readonly StoredEvaluation[], today?: string): { repositories: ScorecardEntry[] } {
  return { repositories: records.map((record) => entryOf(record, today)) };
}

export interface TargetJson {
  readonly level: string;
  readonly from: string;
  readonly daysLeft: number;
  readonly repositories: number;
  readonly reaching: number;
  readonly repositoriesReaching: readonly string[];
  readonly repositoriesBelow: readonly string[];
  readonly blocking: readonly { readonly rule: string; readonly repositories: number }[];
  readonly trend: readonly TargetDay[];
}

/** `GET /api/targets`: each dated target still ahead, soonest first, with its progress. */
export function targetsJson(targets: readonly TargetProgressView[]): { targets: TargetJson[] } {
  return {
    targets: targets.map((target) => ({
      level: target.level,
      from: target.from,
      daysLeft: target.daysLeft,
      repositories: target.repositories.length,
      reaching: target.reaching.length,
      repositoriesReaching: [...target.reaching],
      repositoriesBelow: target.repositories.filter((name) => !target.reaching.includes(name)),
      blocking: target.blocking.map((rule) => ({ rule: rule.id, repositories: rule.repositories })),
      trend: target.trend.map((day) => ({ ...day })),
    })),
  };
}

export interface HistoryItem {
  readonly sha: string;
  readonly conclusion: ScorecardEntry["conclusion"];
  readonly level: ScorecardEntry["level"];
  readonly evaluatedAt: string;
}

export function repositoryJson(latest: StoredEvaluation, history: readonly StoredEvaluation[], today?: string): ScorecardEntry & { history: HistoryItem[] } {
  return {
    ...entryOf(latest, today),
    history: history.map((record) => {
      const entry = entryOf(record);
      return { sha: entry.sha, conclusion: entry.conclusion, level: entry.level, evaluatedAt: entry.evaluatedAt };
    }),
  };
}

export const CSV_COLUMNS = [
  "repository",
  "ref",
  "sha",
  "conclusion",
  "level_reached",
  "level_required",
  "evaluated_at",
  ...SCORECARD_AREAS,
  "failing_rules",
] as const;

/**
 * A field quoted as RFC 4180 asks; text a spreadsheet would run as a formula (=, +, -, @, tab,
 * carriage return first) gets a leading apostrophe.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function scorecardsCsv(records: readonly StoredEvaluation[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const record of records) {
    const entry = entryOf(record);
    const failing = record.rules.filter((rule) => rule.status === "fail" || rule.status === "error").map((rule) => rule.id);
    const fields = [
      entry.repository,
      entry.ref,
      entry.sha,
      entry.conclusion,
      entry.level.reached ?? "",
      entry.level.required ?? "",
      entry.evaluatedAt,
      ...SCORECARD_AREAS.map((area) => areaCell(record, area).state),
      failing.join(" "),
    ];
    lines.push(fields.map(csvField).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
