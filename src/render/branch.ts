/**
 * A branch's standing (the scorecard) → the `readiness` check run on the evaluated commit and the
 * CLI's `check --branch` text and markdown: the level reached against the level required, the
 * rule table grouped by area, and the rules left out because they judge changes only. Pure.
 */
import type { Evaluation, RuleResult } from "../engine/evaluate.js";
import { SUBJECT_NAMES } from "../engine/rule.js";
import type { Area } from "../engine/rule.js";
import { annotationsFor, annotationsNote, CHECK_RUN_OUTPUT_LIMIT, detailChunks, footer, levelMarkdown, needsDetails, TABLE_HEADER, tableRow } from "./check-run.js";
import { AREA_NAMES, areaLevelChunks } from "./area-levels.js";
import { clip, code, md, plain } from "./escape.js";
import { describeOmitted, fitChunks, joinChunks, resumeChunks, type Chunk } from "./fit.js";
import { renderText } from "./text.js";
import type { CheckRunOutput, RenderContext } from "./types.js";
import { blocksMerge, displayOrder, listIds, plural, TITLE_MAX } from "./verdict.js";

/** The order areas are shown in (the scorecard's columns); an area not listed comes after, by name. */
export const AREA_ORDER: readonly Area[] = ["security", "reliability", "observability", "ownership", "incident", "testing", "documentation", "review", "hygiene"];


export interface BranchRenderContext extends RenderContext {
  /** The branch evaluated ("main"). */
  readonly ref: string;
}

/** Rules by area, areas in AREA_ORDER, rules in display order within each. */
export function rulesByArea(rules: readonly RuleResult[]): { readonly area: Area; readonly title: string; readonly rules: RuleResult[] }[] {
  const groups = new Map<Area, RuleResult[]>();
  for (const rule of displayOrder(rules)) {
    const list = groups.get(rule.area) ?? [];
    list.push(rule);
    groups.set(rule.area, list);
  }
  const rank = (area: Area): number => (AREA_ORDER.includes(area) ? AREA_ORDER.indexOf(area) : AREA_ORDER.length);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([area, list]) => ({ area, title: AREA_NAMES[area] ?? area, rules: list }));
}

/** "main: silver reached · gold required" (plain, at most TITLE_MAX characters). */
export function branchTitle(evaluation: Evaluation, ref: string): string {
  if (evaluation.interrupted) return clip(plain(`${ref}: not evaluated: ${evaluation.interrupted}`), TITLE_MAX);
  const reached = evaluation.level.reached ? `${evaluation.level.reached} reached` : "no level reached";
  return clip(plain(`${ref}: ${reached} · ${evaluation.level.required} required`), TITLE_MAX);
}

/** The lead line: where the branch stands and, when it falls short, which rules hold it back. */
export function branchVerdictLine(evaluation: Evaluation, ref: string): string {
  const branch = code(ref);
  if (evaluation.interrupted) return `❌ **${branch} could not be evaluated:** ${md(evaluation.interrupted)}.`;
  const failing = displayOrder(evaluation.rules).filter(blocksMerge);
  const reached = evaluation.level.reached ? `reaches **${md(evaluation.level.reached)}**` : "reaches no level";
  const required = md(evaluation.level.required);
  switch (evaluation.conclusion) {
    case "failure":
      return `❌ ${branch} ${reached}; **${required}** is required: ${plural(failing.length, "rule falls", "rules fall")} short (${md(listIds(failing))}).`;
    case "pending":
      return `⏳ ${branch} ${reached}; **${required}** is required and some rules are still waiting.`;
    default:
      return `✅ ${branch} ${reached}, meeting the required **${required}**.`;
  }
}

/** One line naming the enabled rules a branch leaves out; "" when none. */
export function notApplicableLine(evaluation: Evaluation): string {
  const left = evaluation.notApplicable ?? [];
  if (left.length === 0) return "";
  return `${plural(left.length, "enabled rule applies", "enabled rules apply")} to ${SUBJECT_NAMES.pull} only and ${left.length === 1 ? "is" : "are"} not judged on a branch: ${left.join(", ")}.`;
}

function branchChunks(evaluation: Evaluation, ref: string): Chunk[] {
  const chunks: Chunk[] = [{ text: branchVerdictLine(evaluation, ref) }, { text: `\n${levelMarkdown(evaluation)}` }];
  chunks.push(...areaLevelChunks(evaluation));
  const groups = rulesByArea(evaluation.rules);
  if (groups.length === 0) chunks.push({ text: "\nNo enabled rule applies to a branch." });
  for (const group of groups) {
    const header = `\n### ${group.title}\n${TABLE_HEADER}`;
    chunks.push({ text: header });
    for (const rule of group.rules) chunks.push({ text: tableRow(rule), rules: 1, resume: header });
  }
  const left = notApplicableLine(evaluation);
  if (left) chunks.push({ text: `\n_${md(left)}_` });
  const detailed = displayOrder(evaluation.rules).filter(needsDetails);
  if (detailed.length > 0) {
    chunks.push({ text: "\n### Details" });
    for (const rule of detailed) for (const chunk of detailChunks(rule)) chunks.push(chunk);
  }
  return chunks;
}

/** The check run on the evaluated commit of a branch. */
export function renderBranchCheckRun(evaluation: Evaluation, ctx: BranchRenderContext): CheckRunOutput {
  const all = annotationsFor(evaluation);
  const max = ctx.maxAnnotations;
  const annotations = max !== undefined && Number.isInteger(max) && max >= 0 && max < all.length ? all.slice(0, max) : all;
  const summary = fitChunks(branchChunks(evaluation, ctx.ref), CHECK_RUN_OUTPUT_LIMIT, {
    note: (omitted) => `… truncated here: ${describeOmitted(omitted)} continue below.`,
    tail: annotationsNote(annotations.length, all.length) + footer(ctx),
  });
  const output: CheckRunOutput = { title: branchTitle(evaluation, ctx.ref), summary: summary.text, annotations };
  if (summary.rest.length === 0) return output;
  const text = fitChunks([{ text: "_Continued from the summary._" }, ...resumeChunks(summary.rest)], CHECK_RUN_OUTPUT_LIMIT, {
    note: (omitted) => `… truncated: ${describeOmitted(omitted)} not shown (run \`readiness check --branch\` locally).`,
  });
  return { ...output, text: text.text };
}

/** The whole report as markdown, without GitHub's limits (`readiness check --branch --format markdown`). */
export function renderBranchMarkdown(evaluation: Evaluation, ctx: BranchRenderContext): string {
  return `${joinChunks(branchChunks(evaluation, ctx.ref))}${footer(ctx)}\n`;
}

/** Terminal text (`readiness check --branch`): the branch's standing first, then the usual rule list. */
export function renderBranchText(evaluation: Evaluation, ctx: BranchRenderContext & { readonly sha?: string }): string {
  const at = ctx.sha ? ` (${ctx.sha.slice(0, 7)})` : "";
  const text = renderText(evaluation, { title: `${branchTitle(evaluation, ctx.ref)}${at}` });
  const left = notApplicableLine(evaluation);
  return left ? `${text}\n${plain(left)}\n` : text;
}
