/**
 * The read-only scorecard API's bodies: JSON in the documented ScorecardEntry shape
 * (docs/api.md), and the same standing as CSV for spreadsheets.
 */
import { scorecardEntry, type ScorecardEntry } from "../render/scorecard-entry.js";
import type { StoredEvaluation } from "../state/types.js";
import { areaCell, SCORECARD_AREAS } from "./scorecard-view.js";

export function entryOf(record: StoredEvaluation): ScorecardEntry {
  return scorecardEntry(record);
}

export function scorecardsJson(records: readonly StoredEvaluation[]): { repositories: ScorecardEntry[] } {
  return { repositories: records.map(entryOf) };
}

export interface HistoryItem {
  readonly sha: string;
  readonly conclusion: ScorecardEntry["conclusion"];
  readonly level: ScorecardEntry["level"];
  readonly evaluatedAt: string;
}

export function repositoryJson(latest: StoredEvaluation, history: readonly StoredEvaluation[]): ScorecardEntry & { history: HistoryItem[] } {
  return {
    ...entryOf(latest),
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
