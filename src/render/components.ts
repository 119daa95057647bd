/**
 * Monorepo components in every output: a rule judged by a component's checklist is named
 * "payments › docs", and a verdict that judged components lists each one with its own level.
 * Pure; adds nothing when the configuration has no `components:`.
 */
import type { ComponentVerdict, Conclusion, Evaluation, RuleResult } from "../engine/evaluate.js";
import { clip, code, md, plain } from "./escape.js";

const plural = (count: number, one: string): string => `${count} ${count === 1 ? one : `${one}s`}`;

const NAME_SEPARATOR = " › ";

/** How a rule is named where it is shown: its id, after its component's name when a component judged it. */
export function ruleLabel(rule: Pick<RuleResult, "id" | "component">): string {
  return rule.component !== undefined ? `${rule.component}${NAME_SEPARATOR}${rule.id}` : rule.id;
}

const CONCLUSION_WORDS: Readonly<Record<Conclusion, { readonly icon: string; readonly word: string }>> = {
  success: { icon: "✅", word: "ready" },
  neutral: { icon: "✅", word: "ready (advisory rules open)" },
  pending: { icon: "⏳", word: "waiting" },
  failure: { icon: "❌", word: "blocked" },
};

const PATHS_SHOWN = 3;

function pathsText(paths: readonly string[]): string {
  const shown = paths.slice(0, PATHS_SHOWN).join(", ");
  return paths.length > PATHS_SHOWN ? `${shown}, +${paths.length - PATHS_SHOWN} more` : shown;
}

function filesNote(files: number | undefined): string {
  return files === undefined ? "" : plural(files, "changed file");
}

interface PartLine {
  readonly name: string;
  readonly paths: string;
  readonly files: string;
  readonly reached: string;
  readonly required: string;
  readonly conclusion: Conclusion;
  /** `paths` are globs (shown as code), not words. */
  readonly globs: boolean;
}

function partLines(evaluation: Evaluation): PartLine[] | undefined {
  const components = evaluation.components;
  if (components === undefined) return undefined;
  const lines: PartLine[] = [];
  const repository = evaluation.repositoryPart;
  if (repository?.judged && repository.conclusion && repository.level) {
    lines.push({ name: "(repository)", paths: "files in no component", files: filesNote(repository.files), reached: repository.level.reached ?? "none", required: repository.level.required, conclusion: repository.conclusion, globs: false });
  }
  for (const component of components) lines.push(componentLine(component));
  return lines;
}

function componentLine(component: ComponentVerdict): PartLine {
  return {
    name: component.name,
    paths: pathsText(component.paths),
    files: filesNote(component.files),
    reached: component.level.reached ?? "none",
    required: component.level.required,
    conclusion: component.conclusion,
    globs: true,
  };
}

/** The components section in markdown (check run, comment, scorecard); undefined without components. */
export function componentsMarkdown(evaluation: Evaluation): string | undefined {
  const lines = partLines(evaluation);
  if (lines === undefined) return undefined;
  if (lines.length === 0) return "**Components:** none touched.";
  const untouched = evaluation.repositoryPart && !evaluation.repositoryPart.judged ? "\n\nEvery changed file is in a component: the repository's own checklist had nothing to judge." : "";
  const rows = lines.map((line) => {
    const { icon, word } = CONCLUSION_WORDS[line.conclusion];
    const paths = line.globs ? code(clip(line.paths, 200), { table: true }) : md(line.paths);
    const where = line.files ? `${paths} · ${line.files}` : paths;
    return `| ${md(line.name)} | ${where} | ${md(line.reached)} reached · ${md(line.required)} required | ${icon} ${word} |`;
  });
  return `**Components** (each judged by its own checklist; the worst decides):\n\n| Component | Files | Level | Result |\n| --- | --- | --- | --- |\n${rows.join("\n")}${untouched}`;
}

/** The components as plain lines (the CLI's text); empty without components. */
export function componentsText(evaluation: Evaluation): string[] {
  const lines = partLines(evaluation);
  if (lines === undefined) return [];
  if (lines.length === 0) return ["Components: none touched"];
  return [
    "Components:",
    ...lines.map((line) => `  ${plain(line.name)}: ${plain(line.reached)} reached, ${plain(line.required)} required - ${CONCLUSION_WORDS[line.conclusion].word} (${plain(line.paths)}${line.files ? `; ${line.files}` : ""})`),
  ];
}
