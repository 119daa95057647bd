/**
 * A configuration preview → the section the check run and the comment show above the verdict, and
 * the annotations on the proposed file. Pure; bounded (long lists end in "and N more"), so the
 * section fits as the renderers' never-cut preamble.
 */
import type { Change, ConfigDiff, ConfigPreview, ScorecardChange, VerdictSummary } from "../config/diff.js";
import { isEmptyDiff } from "../config/diff.js";
import type { DatedTarget } from "../engine/evaluate.js";
import { configAnnotations, errorItem, inFileOrder } from "./config-errors.js";
import { code, md } from "./escape.js";
import type { Annotation } from "./types.js";
import { plural } from "./verdict.js";

/** Title prefix of a check run failed by an invalid proposal (the base verdict follows it). */
export const PROPOSED_INVALID_TITLE = "Proposed .readiness.yml is invalid";
/** Items shown per list (changes, errors) before "and N more". */
export const PREVIEW_ITEMS_MAX = 20;

/** Whether the preview alone fails the check: an invalid proposal must be fixed before it merges. */
export function previewFails(preview: ConfigPreview): boolean {
  return preview.kind === "invalid";
}

/** Failure annotations on the proposed file (this repository's files only), at each error's line. */
export function previewAnnotations(preview: ConfigPreview, repository: string): Annotation[] {
  if (preview.kind !== "invalid") return [];
  const here = preview.errors.filter((error) => error.origin.repository.toLowerCase() === repository.toLowerCase());
  return configAnnotations(preview.origin, here);
}

function bounded(items: readonly string[]): string[] {
  if (items.length <= PREVIEW_ITEMS_MAX) return [...items];
  return [...items.slice(0, PREVIEW_ITEMS_MAX), `- … and ${items.length - PREVIEW_ITEMS_MAX} more`];
}

function level(name: string | null): string {
  return name === null ? "no level" : md(name);
}

function targetWords(target: DatedTarget | undefined): string {
  return target ? `${md(target.level)} from ${md(target.from)}` : "none";
}

/** One bullet per change, in a fixed order: the gate itself first, then rules. */
export function diffItems(diff: ConfigDiff): string[] {
  const items: string[] = [];
  if (diff.required) items.push(`- 🎯 required level: ${md(diff.required.from)} → **${md(diff.required.to)}**`);
  if (diff.target) items.push(`- 📅 dated target: ${targetWords(diff.target.from)} → ${targetWords(diff.target.to)}`);
  if (diff.ladder) items.push(`- 🪜 levels: ${diff.ladder.from.map(md).join(" → ")} ⇒ ${diff.ladder.to.map(md).join(" → ")}`);
  for (const rule of diff.added) items.push(`- ➕ ${code(rule.id)} added at ${md(rule.level)}`);
  for (const rule of diff.removed) items.push(`- ➖ ${code(rule.id)} removed (was ${md(rule.level)})`);
  for (const move of diff.levelsMoved) items.push(`- ↕️ ${code(move.id)}: ${md(move.from)} → **${md(move.to)}**`);
  for (const change of diff.optionsChanged) items.push(`- ⚙️ ${code(change.id)}: ${change.keys.map((key) => code(key)).join(", ")} changed`);
  for (const item of diff.attestationsAdded) items.push(`- ➕ attestation ${code(item.id)} added at ${md(item.level)}`);
  for (const item of diff.attestationsRemoved) items.push(`- ➖ attestation ${code(item.id)} removed (was ${md(item.level)})`);
  if (diff.comment) items.push(`- 💬 comment: ${md(diff.comment.from)} → ${md(diff.comment.to)}`);
  return items;
}

const CONCLUSION_WORDS: Readonly<Record<VerdictSummary["conclusion"], string>> = {
  success: "✅ ready",
  neutral: "✅ ready (advisory rules open)",
  failure: "❌ not ready",
  pending: "⏳ waiting",
};

function idList(ids: readonly string[], table = false): string {
  return ids.slice(0, 5).map((id) => code(id, { table })).join(", ") + (ids.length > 5 ? ` and ${ids.length - 5} more` : "");
}

function verdictCell(verdict: VerdictSummary): string {
  const blocked = verdict.blockedBy && verdict.blockedBy.length > 0 ? ` (blocked by ${idList(verdict.blockedBy, true)})` : "";
  return `${CONCLUSION_WORDS[verdict.conclusion]}: ${level(verdict.reached)} reached, ${md(verdict.required)} required${blocked}`;
}

function scorecardAfter(change: ScorecardChange, table = false): string {
  const { low, high } = change.after;
  if (low === high) return level(low);
  return `between ${level(low)} and ${level(high)}, depending on ${idList(change.unjudged, table)} (not yet judged on the branch)`;
}

function verdictTable(pull: Change<VerdictSummary> | undefined, scorecard: ScorecardChange | undefined): string[] {
  if (!pull && !scorecard) return [];
  const rows = ["| | Base configuration (in force) | Proposed configuration |", "| --- | --- | --- |"];
  if (pull) rows.push(`| This pull request | ${verdictCell(pull.from)} | ${verdictCell(pull.to)} |`);
  if (scorecard) rows.push(`| Scorecard (${code(scorecard.ref, { table: true })} at ${code(scorecard.sha.slice(0, 7), { table: true })}) | ${level(scorecard.before)} | ${scorecardAfter(scorecard, true)} |`);
  return rows;
}

/** The headline difference in one sentence, or nothing when the verdicts agree. */
function verdictNote(pull: Change<VerdictSummary> | undefined, scorecard: ScorecardChange | undefined): string | undefined {
  const notes: string[] = [];
  if (pull && (pull.from.conclusion !== pull.to.conclusion || pull.from.reached !== pull.to.reached)) {
    notes.push(`under the proposed configuration this pull request would be ${CONCLUSION_WORDS[pull.to.conclusion].replace(/^\S+ /, "")} (${level(pull.to.reached)} reached) instead of ${CONCLUSION_WORDS[pull.from.conclusion].replace(/^\S+ /, "")} (${level(pull.from.reached)} reached)`);
  }
  if (scorecard && scorecard.after.low === scorecard.after.high && scorecard.after.low !== scorecard.before) {
    notes.push(`the repository's scorecard would move from ${level(scorecard.before)} to ${level(scorecard.after.low)}`);
  } else if (scorecard && scorecard.after.low !== scorecard.after.high) {
    notes.push(`the repository's scorecard (${level(scorecard.before)} now) would be ${scorecardAfter(scorecard)}`);
  }
  return notes.length > 0 ? `**Verdict differences:** ${notes.join("; ")}.` : undefined;
}

/** The preview section, markdown the app writes (user text escaped). */
export function renderPreview(preview: ConfigPreview): string {
  const files = preview.paths.map((path) => code(path)).join(" and ");
  const lines = [
    "### 🔎 Configuration preview",
    "",
    `This pull request changes ${files}. It is judged by the base branch's configuration; the proposed one takes effect once merged.`,
  ];
  if (preview.orgBaseline) {
    lines.push("", `It changes the organisation baseline ${code(preview.orgBaseline)}: every repository that extends it follows the change once merged; below is its effect on this repository.`);
  }
  lines.push("");
  switch (preview.kind) {
    case "invalid": {
      const count = preview.errors.length > 0 ? plural(preview.errors.length, "error") : "errors";
      lines.push(
        `❌ **The proposed configuration is invalid:** ${code(preview.origin.path)} at ${code(preview.headSha.slice(0, 7))} has ${count} (annotated on the file). ` +
          "This check fails until they are fixed; the verdict below is this pull request's under the base branch's configuration.",
        "",
        ...bounded(inFileOrder(preview.origin, preview.errors).map((error) => errorItem(preview.origin, error))),
      );
      break;
    }
    case "none":
      lines.push("⚠️ **Under the proposed files this repository has no readiness configuration:** once merged, its pull requests are no longer checked and it leaves the scorecard.");
      break;
    case "valid": {
      const items = diffItems(preview.diff);
      if (isEmptyDiff(preview.diff)) lines.push("✅ The proposed configuration is valid and changes no rule or level.");
      else lines.push("✅ The proposed configuration is valid. Once merged:", "", ...bounded(items));
      const table = verdictTable(preview.pull, preview.scorecard);
      if (table.length > 0) lines.push("", ...table);
      const note = verdictNote(preview.pull, preview.scorecard);
      if (note) lines.push("", note);
      if (preview.scorecard && preview.scorecard.unjudged.length > 0) {
        lines.push("", "_The scorecard's level under the proposal is estimated from its latest record, without new reads: rules the record does not cover are counted once as failing and once as passing._");
      }
      break;
    }
  }
  return lines.join("\n");
}
