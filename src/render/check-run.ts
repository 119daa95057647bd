/**
 * Evaluation → the `readiness` check run's output: a one-line title, a summary a developer reads
 * in ten seconds (verdict, level ladder, one table row per rule, then every finding), the
 * overflow in `text`, and one annotation per finding that names a file.
 */
import type { Evaluation, RuleResult } from "../engine/evaluate.js";
import { utf8ByteLength } from "../engine/text.js";
import type { Finding } from "../engine/types.js";
import { areaLevelChunks } from "./area-levels.js";
import { clip, code, displayLines, displaysAsWritten, md } from "./escape.js";
import { describeOmitted, fitChunks, joinChunks, resumeChunks, type Chunk } from "./fit.js";
import type { Annotation, CheckRunOutput, RenderContext } from "./types.js";
import { componentsMarkdown, ruleLabel } from "./components.js";
import {
  blocksMerge,
  displayOrder,
  isAdvisoryOpen,
  isSatisfied,
  isWaiting,
  leadFinding,
  levelLine,
  listIds,
  locationOf,
  plural,
  severityOf,
  statusPhrase,
  STATUS_DISPLAY,
  targetSentence,
  validLine,
  verdictTitle,
  warningTally,
} from "./verdict.js";

/** GitHub rejects a summary or text over 65,535 bytes (it validates bytesize, not characters). */
export const CHECK_RUN_OUTPUT_LIMIT = 65_535;
export const ANNOTATION_TITLE_MAX = 255;
/** GitHub allows 64 KB; nobody reads more than this in a margin note. */
export const ANNOTATION_MESSAGE_MAX = 4_000;

const CELL_MAX = 300;
const MESSAGE_MAX = 2_000;
const DETAIL_MAX = 500;
const DETAILS_PER_FINDING = 20;

const TRUNCATED_HINT = "see the annotations, or run `readiness check` locally";

/** The verdict as one markdown line. */
export function verdictLine(evaluation: Evaluation): string {
  if (evaluation.interrupted) return `❌ **Not ready to merge:** ${md(evaluation.interrupted)}.`;
  const rules = displayOrder(evaluation.rules);
  const failing = rules.filter(blocksMerge);
  const waiting = rules.filter(isWaiting);
  const advisory = rules.filter(isAdvisoryOpen);
  const reached = md(levelLine(evaluation).reached);
  switch (evaluation.conclusion) {
    case "success":
      return evaluation.level.reached ? `✅ **Ready to merge:** ${reached} reached.` : "✅ **Ready to merge.**";
    case "failure": {
      const waitingNote = waiting.length > 0 ? ` Also waiting on ${md(listIds(waiting))}.` : "";
      return `❌ **Not ready to merge:** ${plural(failing.length, "blocking rule fails", "blocking rules fail")} (${md(listIds(failing))}).${waitingNote}`;
    }
    case "pending": {
      const [only] = waiting;
      const why = waiting.length === 1 && only?.reason ? ` — ${md(clip(only.reason, CELL_MAX))}` : "";
      return `⏳ **Waiting:** ${md(listIds(waiting))}${why}. Nothing else blocks the merge.`;
    }
    case "neutral":
      return `✅ **Ready to merge** at ${reached}; ${plural(advisory.length, "advisory rule")} not met (${md(listIds(advisory))}), which does not block.`;
  }
}

/** "**Level:** bronze reached · silver required · ladder bronze → silver → gold". */
export function levelMarkdown(evaluation: Evaluation): string {
  const { reached, required, ladder } = levelLine(evaluation);
  const target = targetSentence(evaluation);
  const line = `**Level:** ${md(reached)} reached · ${md(required)} required · ladder ${ladder.map(md).join(" → ")}`;
  const components = componentsMarkdown(evaluation);
  const withTarget = target ? `${line}\n\n📅 **Upcoming:** ${md(target)}` : line;
  return components ? `${withTarget}\n\n${components}` : withTarget;
}

function findingInline(finding: Finding, options: { table?: boolean; max: number; unlabelled?: boolean }): string {
  const location = locationOf(finding);
  const where = location ? `${code(location, { table: options.table })} ` : "";
  const severity = options.unlabelled ? "failure" : severityOf(finding);
  const label = severity === "warning" ? "**warning:** " : severity === "notice" ? "**note:** " : "";
  return `${where}${label}${md(clip(finding.message, options.max))}`;
}

function whatToDo(rule: RuleResult): string {
  if (isSatisfied(rule)) {
    const phrase = statusPhrase(rule);
    const noted = phrase ? md(clip(phrase, CELL_MAX)) : "";
    if (rule.findings.length === 0) return noted;
    const lead = leadFinding(rule);
    const warnings = warningTally(rule.findings);
    const count = rule.status !== "pass" ? plural(rule.findings.length, "finding") : warnings ? `⚠️ ${warnings}` : "";
    const first = lead ? findingInline(lead, { table: true, max: CELL_MAX, unlabelled: count !== "" }) : "";
    return [noted, count && first ? `${count}: ${first}` : count || first].filter(Boolean).join("<br>");
  }
  const lead = leadFinding(rule);
  const main =
    rule.status === "fail" && lead
      ? findingInline(lead, { table: true, max: CELL_MAX }) + (rule.findings.length > 1 ? ` (+${rule.findings.length - 1} more below)` : "")
      : md(clip(statusPhrase(rule), CELL_MAX));
  const fix = rule.fix ? `<br>**Fix:** ${md(clip(rule.fix, CELL_MAX))}` : "";
  return `${main}${fix}`;
}

export const TABLE_HEADER = "\n| Status | Rule | Level | Enforcement | What to do |\n| --- | --- | --- | --- | --- |";

export function tableRow(rule: RuleResult): string {
  const { icon, word } = STATUS_DISPLAY[rule.status];
  return `| ${icon} ${word} | ${md(ruleLabel(rule))} | ${md(rule.level)} | ${rule.blocking ? "blocking" : "advisory"} | ${whatToDo(rule)} |`;
}

export function needsDetails(rule: RuleResult): boolean {
  return rule.findings.length > 0 || (!isSatisfied(rule) && (rule.reason !== undefined || rule.fix !== undefined));
}

function ruleHeading(rule: RuleResult): string {
  const { icon, word } = STATUS_DISPLAY[rule.status];
  return `#### ${icon} ${md(ruleLabel(rule))} — ${word} · ${md(rule.level)} · ${rule.blocking ? "blocking" : "advisory"}`;
}

function findingBlock(finding: Finding): string {
  const lines = [`- ${findingInline(finding, { max: MESSAGE_MAX })}`];
  const details = finding.details ?? [];
  for (const detail of details.slice(0, DETAILS_PER_FINDING)) lines.push(`  - ${md(clip(detail, DETAIL_MAX))}`);
  if (details.length > DETAILS_PER_FINDING) lines.push(`  - … ${plural(details.length - DETAILS_PER_FINDING, "more line")}`);
  return lines.join("\n");
}

export function detailChunks(rule: RuleResult): Chunk[] {
  const heading = ruleHeading(rule);
  const resume = `\n${heading} (continued)\n`;
  const intro = [`\n${heading}`];
  if (rule.description) intro.push(`\n_${md(rule.description)}_`);
  const phrase = statusPhrase(rule);
  if (phrase && (rule.status !== "fail" || rule.reason)) intro.push(`\n${md(clip(phrase, MESSAGE_MAX))}`);
  // A blank line between the intro and the list of findings.
  const chunks: Chunk[] = [{ text: rule.findings.length > 0 ? `${intro.join("\n")}\n` : intro.join("\n") }];
  for (const finding of rule.findings) chunks.push({ text: findingBlock(finding), findings: 1, resume });
  if (rule.fix && !isSatisfied(rule)) chunks.push({ text: `\n**How to fix:** ${md(rule.fix)}`, resume });
  return chunks;
}

/** Everything the summary would show with no size limit, as cuttable chunks. */
export function summaryChunks(evaluation: Evaluation, verdict: string = verdictLine(evaluation)): Chunk[] {
  const rules = displayOrder(evaluation.rules);
  const chunks: Chunk[] = [{ text: verdict }, { text: `\n${levelMarkdown(evaluation)}` }];
  chunks.push(...areaLevelChunks(evaluation));
  if (rules.length > 0) {
    chunks.push({ text: TABLE_HEADER });
    for (const rule of rules) chunks.push({ text: tableRow(rule), rules: 1, resume: TABLE_HEADER });
  } else {
    chunks.push({ text: "\nNo rules are enabled." });
  }
  const detailed = rules.filter(needsDetails);
  if (detailed.length > 0) {
    chunks.push({ text: "\n### Details" });
    // A chunk per finding, appended one by one: too many to spread into push() (it overflows the stack).
    for (const rule of detailed) for (const chunk of detailChunks(rule)) chunks.push(chunk);
  }
  return chunks;
}

export function footer(ctx: RenderContext): string {
  const sources = ctx.configSources ?? [];
  return sources.length > 0 ? `\n\nConfiguration: ${sources.map((s) => code(s)).join(" · ")}` : "";
}

/** The one way to waive: a command with a reason (a button could not carry one). */
export const WAIVE_HINT = "To waive a rule for this pull request, someone allowed to comments `/readiness waive <rule> <reason>` (see docs/commands.md).";

/** The full report as markdown, without GitHub's size limits (the CLI's `--format markdown`). */
export function renderSummaryMarkdown(evaluation: Evaluation, ctx: RenderContext = {}): string {
  return `${joinChunks(summaryChunks(evaluation, ctx.verdict))}${footer(ctx)}\n`;
}

function annotationLevel(rule: RuleResult, finding: Finding): Annotation["annotation_level"] {
  const severity = severityOf(finding);
  if (severity !== "failure") return severity;
  if (rule.status === "waived") return "notice";
  return blocksMerge(rule) ? "failure" : "warning";
}

function truncateBytes(text: string, maxBytes: number): string {
  if (utf8ByteLength(text) <= maxBytes) return text;
  let cut = clip(text, maxBytes);
  while (utf8ByteLength(cut) > maxBytes) cut = clip(cut, Math.floor(cut.length * 0.9));
  return cut;
}

const LEVEL_ORDER: Readonly<Record<Annotation["annotation_level"], number>> = { failure: 0, warning: 1, notice: 2 };

/** One per finding with a path; failures first so a publisher that stops early keeps what blocks. */
export function annotationsFor(evaluation: Evaluation): Annotation[] {
  const annotations: Annotation[] = [];
  for (const rule of displayOrder(evaluation.rules)) {
    for (const finding of rule.findings) {
      // An annotation must carry the path exactly, so a path that would display differently from
      // what it is (bidi overrides, control characters) is not annotated; the summary lists it
      // neutralised.
      if (!finding.path || !displaysAsWritten(finding.path)) continue;
      const start = validLine(finding.line) ?? 1;
      const end = validLine(finding.endLine);
      // Annotations are plain text shown beside the code: control and bidi characters would make
      // a message read differently from what it is, as in summaries.
      const message = [finding.message, ...(finding.details ?? [])].flatMap(displayLines).join("\n");
      annotations.push({
        path: finding.path,
        start_line: start,
        end_line: end !== undefined && end >= start ? end : start,
        annotation_level: annotationLevel(rule, finding),
        message: truncateBytes(message, ANNOTATION_MESSAGE_MAX),
        title: clip(`readiness: ${ruleLabel(rule)}`, ANNOTATION_TITLE_MAX),
      });
    }
  }
  return annotations
    .map((annotation, index) => ({ annotation, index }))
    .sort((a, b) => LEVEL_ORDER[a.annotation.annotation_level] - LEVEL_ORDER[b.annotation.annotation_level] || a.index - b.index)
    .map((x) => x.annotation);
}

export function annotationsNote(shown: number, total: number): string {
  return shown < total ? `\n\n${shown} of ${total} findings are annotated on the changed lines (failures first).` : "";
}

export function renderCheckRun(evaluation: Evaluation, ctx: RenderContext = {}): CheckRunOutput {
  const all = annotationsFor(evaluation);
  const max = ctx.maxAnnotations;
  const annotations = max !== undefined && Number.isInteger(max) && max >= 0 && max < all.length ? all.slice(0, max) : all;
  const preamble: Chunk[] = ctx.preamble ? [{ text: `${ctx.preamble}\n` }] : [];
  const [verdict, level, ...rest] = summaryChunks(evaluation);
  // Right under the verdict: a failing run says how to waive (there is no button for it).
  const hint: Chunk[] = evaluation.rules.some(blocksMerge) ? [{ text: `\n${WAIVE_HINT}` }] : [];
  const summary = fitChunks([...preamble, verdict!, level!, ...hint, ...rest], CHECK_RUN_OUTPUT_LIMIT, {
    note: (omitted) => `… truncated here: ${describeOmitted(omitted)} continue below.`,
    tail: annotationsNote(annotations.length, all.length) + footer(ctx),
  });
  const output: CheckRunOutput = { title: verdictTitle(evaluation), summary: summary.text, annotations };
  if (summary.rest.length === 0) return output;
  const continued: Chunk[] = [{ text: "_Continued from the summary._" }, ...resumeChunks(summary.rest)];
  const text = fitChunks(continued, CHECK_RUN_OUTPUT_LIMIT, {
    note: (omitted) => `… truncated: ${describeOmitted(omitted)} not shown (${TRUNCATED_HINT}).`,
  });
  return { ...output, text: text.text };
}
