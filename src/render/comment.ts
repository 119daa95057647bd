/**
 * Evaluation → the sticky pull request comment: short, only what blocks and how to fix it, the
 * rest one click away. Deterministic (no clock, stable order) so the publisher can skip a write
 * when the text is unchanged.
 */
import type { Evaluation, RuleResult } from "../engine/evaluate.js";
import type { Finding } from "../engine/types.js";
import { levelMarkdown } from "./check-run.js";
import { ruleLabel } from "./components.js";
import { clip, code, md, safeUrl } from "./escape.js";
import { describeOmitted, fitChunks, type Chunk, type Omitted } from "./fit.js";
import type { RenderContext } from "./types.js";
import {
  blocksMerge,
  displayOrder,
  findingsByImportance,
  isAdvisoryOpen,
  isWaiting,
  leadFinding,
  listIds,
  locationOf,
  plural,
  severityOf,
  statusPhrase,
  STATUS_DISPLAY,
} from "./verdict.js";

/** Identifies the bot's sticky comment; GitHub does not render HTML comments. */
export const COMMENT_MARKER = "<!-- readiness-bot:sticky -->";
/** GitHub rejects a longer comment body (measured here in UTF-8 bytes, which is never less). */
export const COMMENT_LIMIT = 65_536;

/** Finding lines (details included) shown per blocking rule before "and N more". */
export const LINES_PER_RULE = 10;
const DETAILS_PER_FINDING = 3;
const MESSAGE_MAX = 500;
const DETAIL_MAX = 200;
const ADVISORY_MAX = 30;

function findingLines(finding: Finding): string[] {
  const location = locationOf(finding);
  const severity = severityOf(finding);
  const label = severity === "warning" ? "**warning:** " : severity === "notice" ? "**note:** " : "";
  const lines = [`- ${location ? `${code(location)} ` : ""}${label}${md(clip(finding.message, MESSAGE_MAX))}`];
  const details = finding.details ?? [];
  for (const detail of details.slice(0, DETAILS_PER_FINDING)) lines.push(`  - ${md(clip(detail, DETAIL_MAX))}`);
  if (details.length > DETAILS_PER_FINDING) lines.push(`  - …`);
  return lines;
}

/** A blocking or waiting rule: what it says, its first findings, how to fix it. */
function ruleBlock(rule: RuleResult, detailsHint: string): Chunk {
  const { icon } = STATUS_DISPLAY[rule.status];
  const phrase = statusPhrase(rule);
  const header = `**${icon} ${md(ruleLabel(rule))}** (${md(rule.level)})${phrase ? ` — ${md(clip(phrase, MESSAGE_MAX))}` : ""}`;
  const findings = findingsByImportance(rule.findings);
  const lines: string[] = [];
  let shown = 0;
  for (const finding of findings) {
    const next = findingLines(finding);
    const reserve = findings.length - shown - 1 > 0 ? 1 : 0;
    if (shown > 0 && lines.length + next.length + reserve > LINES_PER_RULE) break;
    lines.push(...next);
    shown++;
  }
  if (shown < findings.length) lines.push(`- … and ${plural(findings.length - shown, "more finding")}${detailsHint}`);
  const parts = [`\n${header}`];
  if (lines.length > 0) parts.push(lines.join("\n"));
  if (rule.fix && rule.status !== "pending") parts.push(`\n**Fix:** ${md(clip(rule.fix, MESSAGE_MAX))}`);
  // Counted as a rule only: the truncation note speaks of rules, each block already says "and N more".
  return { text: parts.join("\n"), rules: 1 };
}

function advisoryItem(rule: RuleResult): string {
  const { icon } = STATUS_DISPLAY[rule.status];
  const lead = rule.status === "fail" ? leadFinding(rule) : undefined;
  const location = lead ? locationOf(lead) : undefined;
  const what = lead
    ? `${location ? `${code(location)} ` : ""}${md(clip(lead.message, MESSAGE_MAX))}${rule.findings.length > 1 ? ` (+${rule.findings.length - 1} more)` : ""}`
    : md(clip(statusPhrase(rule), MESSAGE_MAX));
  const fix = rule.fix ? ` **Fix:** ${md(clip(rule.fix, MESSAGE_MAX))}` : "";
  return `- ${icon} **${md(ruleLabel(rule))}** (${md(rule.level)}) — ${what}${fix}`;
}

function advisoryBlock(advisory: readonly RuleResult[]): Chunk {
  const items = advisory.slice(0, ADVISORY_MAX).map(advisoryItem);
  if (advisory.length > ADVISORY_MAX) items.push(`- … and ${plural(advisory.length - ADVISORY_MAX, "more advisory rule")}`);
  const summary = `${plural(advisory.length, "advisory rule")} not met — ${advisory.length === 1 ? "it does" : "they do"} not block the merge`;
  return { text: `\n<details>\n<summary>${summary}</summary>\n\n${items.join("\n")}\n\n</details>`, rules: advisory.length };
}

function heading(evaluation: Evaluation, failing: readonly RuleResult[], waiting: readonly RuleResult[]): string {
  const reached = evaluation.level.reached;
  switch (evaluation.conclusion) {
    case "success":
    case "neutral":
      return reached ? `### ✅ Ready to merge: ${md(reached)} reached` : "### ✅ Ready to merge";
    case "failure":
      return `### ❌ Not ready to merge: ${plural(failing.length, "rule blocks", "rules block")} it`;
    case "pending":
      return `### ⏳ Not ready yet: waiting for ${md(listIds(waiting))}`;
  }
}

function footer(ctx: RenderContext): string {
  const parts: string[] = [];
  const url = safeUrl(ctx.checkRunUrl);
  if (url) parts.push(`[Full report in the readiness check](${url})`);
  const sources = ctx.configSources ?? [];
  if (sources.length > 0) parts.push(`configuration: ${sources.map((s) => code(s)).join(", ")}`);
  return parts.length > 0 ? `\n\n${parts.join(" · ")}` : "";
}

export function renderComment(evaluation: Evaluation, ctx: RenderContext = {}): string {
  const rules = displayOrder(evaluation.rules);
  const failing = rules.filter(blocksMerge);
  const waiting = rules.filter(isWaiting);
  const advisory = rules.filter(isAdvisoryOpen);
  const detailsHint = safeUrl(ctx.checkRunUrl) ? " (see the full report)" : "";

  // The preamble (the app's own markdown, bounded: a configuration preview) sits above the verdict and is never cut.
  const opening: Chunk = { text: `${COMMENT_MARKER}\n${ctx.preamble ? `${ctx.preamble}\n\n` : ""}${heading(evaluation, failing, waiting)}` };
  const blocks = [...failing, ...waiting].map((rule) => ruleBlock(rule, detailsHint));
  const level = levelMarkdown(evaluation);
  const waived = rules.filter((rule) => rule.status === "waived");
  const waivedChunks: Chunk[] = waived.length > 0 ? [{ text: `\n${waived.map((rule) => `- ${STATUS_DISPLAY.waived.icon} **${md(ruleLabel(rule))}** (${md(rule.level)}) — ${md(clip(statusPhrase(rule), MESSAGE_MAX))}`).join("\n")}`, rules: waived.length }] : [];
  const advisoryChunks = [...waivedChunks, ...(advisory.length > 0 ? [advisoryBlock(advisory)] : [])];
  const note = (omitted: Omitted) => `… truncated: ${describeOmitted(omitted)} not shown; the check run lists everything.`;

  // One byte kept for the final newline.
  let fitted = fitChunks([opening, ...blocks, { text: `\n${level}` }, ...advisoryChunks], COMMENT_LIMIT - 1, { note, tail: footer(ctx) });
  if (fitted.rest.length > 0) {
    // Cut: the level line moves behind the note so it is never what gets dropped.
    fitted = fitChunks([opening, ...blocks, ...advisoryChunks], COMMENT_LIMIT - 1, { note, tail: `\n\n${level}${footer(ctx)}` });
  }
  return `${fitted.text}\n`;
}
