/**
 * Evaluation → plain terminal output for `readiness check --format text`: ASCII structure,
 * aligned columns, findings as `path:line: message` so editors and terminals can jump to them.
 * User text is stripped of control characters (no escape sequences reach the terminal).
 */
import type { Evaluation, RuleResult } from "../engine/evaluate.js";
import type { Finding } from "../engine/types.js";
import { clip, displayLines, plain } from "./escape.js";
import { componentsText, ruleLabel } from "./components.js";
import {
  displayOrder,
  isSatisfied,
  leadFinding,
  levelLine,
  targetSentence,
  locationOf,
  severityOf,
  statusPhrase,
  STATUS_DISPLAY,
  verdictTitle,
  warningTally,
} from "./verdict.js";

const ID_MAX = 40;
const NOTE_MAX = 100;

function note(rule: RuleResult): string {
  const lead = leadFinding(rule);
  if (rule.status === "fail" && lead) {
    const more = rule.findings.length > 1 ? ` (+${rule.findings.length - 1} more)` : "";
    return `${lead.message}${more}`;
  }
  const phrase = statusPhrase(rule);
  if (rule.status === "pass") return [phrase, warningTally(rule.findings)].filter(Boolean).join("; ");
  return phrase;
}

function alignedTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

/** A finding's lines; advice already given in this section (`said`) is not repeated. */
function findingLines(finding: Finding, said: Set<string>): string[] {
  const location = locationOf(finding);
  const severity = severityOf(finding);
  const label = severity === "failure" ? "" : `${severity}: `;
  const lines = [`  ${location ? `${plain(location)}: ` : ""}${label}${plain(finding.message)}`];
  for (const detail of finding.details ?? []) {
    if (said.has(detail)) continue;
    said.add(detail);
    for (const line of displayLines(detail)) lines.push(`      ${line}`);
  }
  return lines;
}

function ruleSection(rule: RuleResult): string[] {
  const { word } = STATUS_DISPLAY[rule.status];
  const phrase = statusPhrase(rule);
  const lines = [`${plain(ruleLabel(rule))}: ${word} (${plain(rule.level)}, ${rule.blocking ? "blocking" : "advisory"})${phrase ? ` - ${plain(phrase)}` : ""}`];
  const said = new Set<string>();
  for (const finding of rule.findings) lines.push(...findingLines(finding, said));
  if (rule.fix && !isSatisfied(rule)) lines.push(`  fix: ${plain(rule.fix)}`);
  return lines;
}

/** `title` replaces the verdict line (the CLI's local verdict, which may differ from GitHub's). */
export function renderText(evaluation: Evaluation, options: { readonly title?: string } = {}): string {
  const rules = displayOrder(evaluation.rules);
  const { reached, required, ladder } = levelLine(evaluation);
  const target = targetSentence(evaluation);
  const out = [
    options.title !== undefined ? plain(options.title) : verdictTitle(evaluation),
    `Level: ${plain(reached)} reached, ${plain(required)} required (ladder: ${ladder.map(plain).join(" -> ")})`,
    ...(target ? [`Upcoming: ${plain(target)}`] : []),
    ...componentsText(evaluation),
    "",
  ];
  if (rules.length === 0) {
    out.push("No rules are enabled.");
    return `${out.join("\n")}\n`;
  }
  const rows = [
    ["STATUS", "RULE", "LEVEL", "ENFORCEMENT", "NOTE"],
    ...rules.map((rule) => [
      STATUS_DISPLAY[rule.status].word,
      clip(plain(ruleLabel(rule)), ID_MAX),
      clip(plain(rule.level), ID_MAX),
      rule.blocking ? "blocking" : "advisory",
      clip(plain(note(rule)), NOTE_MAX),
    ]),
  ];
  out.push(...alignedTable(rows).map((line) => `  ${line}`));
  const detailed = rules.filter((rule) => rule.findings.length > 0 || (!isSatisfied(rule) && (rule.reason !== undefined || rule.fix !== undefined)));
  // Line by line: a rule's section has a line per finding, too many to spread into push().
  for (const rule of detailed) for (const line of ["", ...ruleSection(rule)]) out.push(line);
  return `${out.join("\n")}\n`;
}
