/**
 * What every output agrees on: which rules block, in which order they are shown, the one-line
 * verdict and the level ladder. Plain text here; each renderer escapes for its medium.
 */
import type { Evaluation, RuleOutcome, RuleResult } from "../engine/evaluate.js";
import type { Finding, Severity } from "../engine/types.js";
import { clip, plain } from "./escape.js";
import { ruleLabel } from "./components.js";

const SATISFIED: ReadonlySet<RuleOutcome> = new Set(["pass", "skip", "waived"]);
const FAILING: ReadonlySet<RuleOutcome> = new Set(["fail", "unknown", "error"]);

export const STATUS_DISPLAY: Readonly<Record<RuleOutcome, { readonly icon: string; readonly word: string }>> = {
  pass: { icon: "✅", word: "pass" },
  fail: { icon: "❌", word: "fail" },
  pending: { icon: "⏳", word: "pending" },
  unknown: { icon: "❔", word: "unknown" },
  error: { icon: "⚠️", word: "error" },
  skip: { icon: "⏭️", word: "skipped" },
  waived: { icon: "🏳️", word: "waived" },
};

export const TITLE_MAX = 120;

export function isSatisfied(rule: RuleResult): boolean {
  return SATISFIED.has(rule.status);
}

/** A blocking rule that fails, cannot be checked, or could not run: the merge is blocked. */
export function blocksMerge(rule: RuleResult): boolean {
  return rule.blocking && FAILING.has(rule.status);
}

/** A blocking rule waiting on something that will settle (CI). */
export function isWaiting(rule: RuleResult): boolean {
  return rule.blocking && rule.status === "pending";
}

/** An advisory rule (above the required level) that is not satisfied. */
export function isAdvisoryOpen(rule: RuleResult): boolean {
  return !rule.blocking && !isSatisfied(rule);
}

/** Blocking failures, then waiting, then advisory, then passes, waivers, skips. */
function displayRank(rule: RuleResult): number {
  if (blocksMerge(rule)) return 0;
  if (isWaiting(rule)) return 1;
  if (isAdvisoryOpen(rule)) return 2;
  if (rule.status === "pass") return 3;
  if (rule.status === "waived") return 4;
  return 5;
}

/** Rules in display order; the configuration's order within a group. */
export function displayOrder(rules: readonly RuleResult[]): RuleResult[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => displayRank(a.rule) - displayRank(b.rule) || a.index - b.index)
    .map((x) => x.rule);
}

export function severityOf(finding: Finding): Severity {
  return finding.severity ?? "failure";
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { failure: 0, warning: 1, notice: 2 };

/** Findings with failures first (a warning should not hide what blocks); stable otherwise. */
export function findingsByImportance(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_RANK[severityOf(a.finding)] - SEVERITY_RANK[severityOf(b.finding)] || a.index - b.index)
    .map((x) => x.finding);
}

export function validLine(line: number | undefined): number | undefined {
  return line !== undefined && Number.isInteger(line) && line >= 1 ? line : undefined;
}

/** "src/a.ts:12", "src/a.ts:12-14", "src/a.ts"; undefined without a path. Raw: escape per medium. */
export function locationOf(finding: Finding): string | undefined {
  if (!finding.path) return undefined;
  const line = validLine(finding.line);
  if (line === undefined) return finding.path;
  const end = validLine(finding.endLine);
  return end !== undefined && end > line ? `${finding.path}:${line}-${end}` : `${finding.path}:${line}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "2 warnings", or "" when none: notices are information, never counted as warnings. */
export function warningTally(findings: readonly Finding[]): string {
  const warnings = findings.filter((f) => severityOf(f) === "warning").length;
  return warnings > 0 ? plural(warnings, "warning") : "";
}

/** "reviews, docs" or "reviews, docs, tests, +2 more". */
export function listIds(rules: readonly RuleResult[], max = 3): string {
  const shown = rules.slice(0, max).map(ruleLabel);
  const more = rules.length - shown.length;
  return more > 0 ? `${shown.join(", ")}, +${more} more` : shown.join(", ");
}

export function reachedName(evaluation: Evaluation): string {
  return evaluation.level.reached ?? "none";
}

/** The parts of the level line; each renderer decorates them. */
export interface LevelLine {
  readonly reached: string;
  readonly required: string;
  readonly ladder: readonly string[];
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "1 March 2027" from "2027-03-01". */
export function dayInWords(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  return `${date!} ${MONTHS[(month ?? 1) - 1]!} ${year!}`;
}

/**
 * A dated target still ahead, in plain words: "silver is required from 1 March 2027 (in 91 days):
 * missing runbook, monitoring" (or "already reached"). Undefined when there is none.
 */
export function targetSentence(evaluation: Evaluation): string | undefined {
  const target = evaluation.level.target;
  if (!target) return undefined;
  const when = `${target.level} is required from ${dayInWords(target.from)} (in ${plural(target.daysLeft, "day")})`;
  if (target.met) return `${when}: already reached.`;
  const shown = target.missing.slice(0, 5);
  const more = target.missing.length - shown.length;
  return `${when}: missing ${shown.join(", ")}${more > 0 ? `, +${more} more` : ""}.`;
}

export function levelLine(evaluation: Evaluation): LevelLine {
  return { reached: reachedName(evaluation), required: evaluation.level.required, ladder: evaluation.level.ladder };
}

/** One plain line, at most TITLE_MAX characters: the check run's title and the CLI's first line. */
export function verdictTitle(evaluation: Evaluation): string {
  if (evaluation.interrupted) return clip(plain(`Blocked: ${evaluation.interrupted}`), TITLE_MAX);
  const rules = displayOrder(evaluation.rules);
  const failing = rules.filter(blocksMerge);
  const waiting = rules.filter(isWaiting);
  const advisory = rules.filter(isAdvisoryOpen);
  let title: string;
  switch (evaluation.conclusion) {
    case "success":
      title = evaluation.level.reached ? `Ready: ${evaluation.level.reached} reached` : "Ready";
      break;
    case "failure": {
      title = `Blocked: ${plural(failing.length, "rule fails", "rules fail")} (${listIds(failing)})`;
      if (waiting.length > 0) title += `; ${waiting.length} waiting (${listIds(waiting)})`;
      break;
    }
    case "pending": {
      const [only] = waiting;
      title =
        waiting.length === 1 && only
          ? `Waiting: ${only.id}${only.reason ? ` — ${only.reason}` : ""}`
          : `Waiting: ${plural(waiting.length, "rule")} pending (${listIds(waiting)})`;
      break;
    }
    case "neutral":
      title = `Ready at ${reachedName(evaluation)}; ${plural(advisory.length, "advisory rule")} not met (${listIds(advisory)})`;
      break;
  }
  return clip(plain(title), TITLE_MAX);
}

/** The finding a person should read first, or undefined when there is none. */
export function leadFinding(rule: RuleResult): Finding | undefined {
  return findingsByImportance(rule.findings)[0];
}

/** Why a rule is in its state, in a few words, without findings (plain). */
export function statusPhrase(rule: RuleResult): string {
  switch (rule.status) {
    case "unknown":
      return rule.reason ? `cannot be checked: ${rule.reason}` : "cannot be checked";
    case "error":
      return rule.reason ? `could not run: ${rule.reason}` : "could not run";
    case "fail":
      return rule.reason ?? (rule.findings.length > 0 ? plural(rule.findings.length, "finding") : rule.description);
    case "waived":
      // The engine's reason already reads "waived by @lead: why (expires …)".
      return rule.reason ?? "waived";
    default:
      return rule.reason ?? "";
  }
}
