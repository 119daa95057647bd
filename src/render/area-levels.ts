/**
 * The readiness review at a glance: a table by area (security, reliability, observability,
 * ownership, incident management …) × level (the ladder), each cell the rules of that area at
 * that level that are satisfied out of those enabled, with a status mark. Shown in the pull
 * request and branch check runs and on the dashboard's repository page. Pure.
 */
import type { Evaluation } from "../engine/evaluate.js";
import { md } from "./escape.js";
import type { Chunk } from "./fit.js";

/** Rows in the order a readiness review reads; an area not listed comes after, by name. */
export const AREA_ROWS: readonly string[] = ["security", "scalability", "reliability", "observability", "ownership", "incident", "testing", "documentation", "review", "hygiene"];

/** Each area's title, as the check runs and the dashboard name it. */
export const AREA_NAMES: Readonly<Record<string, string>> = {
  security: "Security",
  scalability: "Scalability",
  reliability: "Reliability",
  observability: "Observability",
  ownership: "Ownership",
  incident: "Incident management",
  testing: "Testing",
  documentation: "Documentation",
  review: "Review",
  hygiene: "Hygiene",
};

/** What a cell needs of a rule: an evaluation's rule result or a stored record's rule. */
export interface AreaLevelRule {
  readonly area?: string;
  readonly level: string;
  readonly status: string;
}

/** fail and error fail; unknown cannot be told; pending waits; pass, skip and waived are satisfied. */
export type CellState = "pass" | "fail" | "unknown" | "pending" | "none";

export interface AreaLevelCell {
  readonly state: CellState;
  /** Rules satisfied (passed, not applicable, waived). */
  readonly passed: number;
  /** Rules of the area enabled at the level. */
  readonly total: number;
}

export interface AreaLevelRow {
  readonly area: string;
  readonly title: string;
  /** One per level of the ladder, in ladder order. */
  readonly cells: readonly AreaLevelCell[];
}

const SATISFIED = new Set(["pass", "skip", "waived"]);
const FAILED = new Set(["fail", "error"]);

function cellOf(rules: readonly AreaLevelRule[]): AreaLevelCell {
  const total = rules.length;
  const passed = rules.filter((rule) => SATISFIED.has(rule.status)).length;
  if (total === 0) return { state: "none", passed, total };
  const state: CellState = rules.some((rule) => FAILED.has(rule.status))
    ? "fail"
    : rules.some((rule) => rule.status === "unknown")
      ? "unknown"
      : passed < total
        ? "pending"
        : "pass";
  return { state, passed, total };
}

/**
 * The matrix: one row per area that has a rule (rows with none are left out), one cell per level
 * of the ladder. A rule at a level outside the ladder (an old record) is not counted.
 */
export function areaLevelMatrix(rules: readonly AreaLevelRule[], ladder: readonly string[]): AreaLevelRow[] {
  const areas = [...new Set(rules.map((rule) => rule.area || "other"))];
  const rank = (area: string) => (AREA_ROWS.includes(area) ? AREA_ROWS.indexOf(area) : AREA_ROWS.length);
  areas.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return areas.map((area) => {
    const inArea = rules.filter((rule) => (rule.area || "other") === area);
    return { area, title: AREA_NAMES[area] ?? area, cells: ladder.map((level) => cellOf(inArea.filter((rule) => rule.level === level))) };
  });
}

export const CELL_MARKS: Readonly<Record<CellState, string>> = { pass: "✅", fail: "❌", unknown: "❔", pending: "⏳", none: "" };

/** "✅ 2/2", "❌ 1/3", or "—" when the area has no rule at the level. */
export function cellText(cell: AreaLevelCell): string {
  return cell.state === "none" ? "—" : `${CELL_MARKS[cell.state]} ${cell.passed}/${cell.total}`;
}

/** The markdown table for a check run; "" when no rule was judged. */
export function areaLevelMarkdown(evaluation: Pick<Evaluation, "rules" | "level">): string {
  const ladder = evaluation.level.ladder;
  const rows = areaLevelMatrix(evaluation.rules, ladder);
  if (rows.length === 0) return "";
  return [
    `| Area | ${ladder.map(md).join(" | ")} |`,
    `| --- |${ladder.map(() => " --- |").join("")}`,
    ...rows.map((row) => `| ${md(row.title)} | ${row.cells.map(cellText).join(" | ")} |`),
  ].join("\n");
}

/** The table as a summary chunk (kept or dropped whole), under its caption; none when no rule was judged. */
export function areaLevelChunks(evaluation: Pick<Evaluation, "rules" | "level">): Chunk[] {
  const table = areaLevelMarkdown(evaluation);
  return table ? [{ text: `\n**By area and level** (rules met / enabled):\n\n${table}` }] : [];
}
