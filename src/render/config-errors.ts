/**
 * An unusable configuration file → a failing check that lists every error where it is, the
 * sticky comment's version of the same, and compiler-style lines for the CLI.
 */
import type { ConfigError, ConfigOrigin } from "../config/types.js";
import { CHECK_RUN_OUTPUT_LIMIT, ANNOTATION_TITLE_MAX } from "./check-run.js";
import { COMMENT_LIMIT, COMMENT_MARKER } from "./comment.js";
import { clip, code, displayLines, md, plain, safeUrl } from "./escape.js";
import { countOmitted, fitChunks, type Chunk } from "./fit.js";
import type { Annotation, CheckRunOutput, RenderContext } from "./types.js";
import { plural } from "./verdict.js";

/** The same title for every configuration file name, so the check is recognisable at a glance. */
export const CONFIG_ERRORS_TITLE = "Invalid .readiness.yml";

const MESSAGE_MAX = 1_000;
const COMMENT_ERRORS_MAX = 20;

function positive(n: number): number {
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** Errors in file order; those from other repositories (an organisation baseline) after the file's own. */
export function inFileOrder(origin: ConfigOrigin, errors: readonly ConfigError[]): ConfigError[] {
  const foreign = (e: ConfigError): number => (e.origin.repository === origin.repository ? 0 : 1);
  return errors
    .map((error, index) => ({ error, index }))
    .sort(
      (a, b) =>
        foreign(a.error) - foreign(b.error) ||
        (a.error.origin.repository < b.error.origin.repository ? -1 : a.error.origin.repository > b.error.origin.repository ? 1 : 0) ||
        (a.error.origin.path < b.error.origin.path ? -1 : a.error.origin.path > b.error.origin.path ? 1 : 0) ||
        a.error.line - b.error.line ||
        a.error.column - b.error.column ||
        a.index - b.index,
    )
    .map((x) => x.error);
}

/** "path:line:column", with the repository in front when the error is in another repository's file. */
function position(origin: ConfigOrigin, error: ConfigError): string {
  const at = `${error.origin.path}:${positive(error.line)}:${positive(error.column)}`;
  return error.origin.repository === origin.repository ? at : `${error.origin.repository}:${at}`;
}

function where(origin: ConfigOrigin): string {
  const repository = origin.repository !== "local" ? ` in ${md(origin.repository)}` : "";
  const ref = origin.ref ? ` at ${code(origin.ref)}` : "";
  return `${code(origin.path)}${repository}${ref}`;
}

export function errorItem(origin: ConfigOrigin, error: ConfigError): string {
  const key = error.keyPath ? `${code(error.keyPath)}: ` : "";
  return `- ${code(position(origin, error))} — ${key}${md(clip(error.message, MESSAGE_MAX))}`;
}

function whatToDo(origin: ConfigOrigin, errors: readonly ConfigError[]): string {
  const branch = origin.ref ? `the base branch ${code(origin.ref)}` : "the base branch";
  const lines = [
    `**What to do:** fix the file on ${branch}; the check re-runs when it changes. ` +
      "Edits to it in this pull request take effect only once they are merged.",
  ];
  const elsewhere = new Map<string, ConfigOrigin>();
  for (const error of errors) {
    if (error.origin.repository !== origin.repository) elsewhere.set(`${error.origin.repository}\n${error.origin.path}`, error.origin);
  }
  for (const other of elsewhere.values()) {
    lines.push(`Errors in ${code(other.path)} belong to ${md(other.repository)} and must be fixed there.`);
  }
  return lines.join("\n\n");
}

function errorChunks(origin: ConfigOrigin, errors: readonly ConfigError[]): Chunk[] {
  if (errors.length === 0) return [{ text: "- (the loader reported no details)" }];
  return inFileOrder(origin, errors).map((error) => ({ text: errorItem(origin, error), findings: 1 }));
}

/** One failure annotation per error in this repository's files, at its line. */
export function configAnnotations(origin: ConfigOrigin, errors: readonly ConfigError[]): Annotation[] {
  return inFileOrder(origin, errors)
    .filter((error) => error.origin.repository === origin.repository)
    .map((error) => {
      const line = positive(error.line);
      return {
        path: error.origin.path,
        start_line: line,
        end_line: Number.isInteger(error.endLine) && error.endLine >= line ? error.endLine : line,
        annotation_level: "failure" as const,
        message: clip(displayLines(error.message).join("\n"), MESSAGE_MAX),
        title: clip(error.keyPath ? `${CONFIG_ERRORS_TITLE}: ${plain(error.keyPath)}` : CONFIG_ERRORS_TITLE, ANNOTATION_TITLE_MAX),
      };
    });
}

function countLine(origin: ConfigOrigin, errors: readonly ConfigError[]): string {
  return `${where(origin)} has ${errors.length > 0 ? plural(errors.length, "error") : "errors"}`;
}

export function renderConfigErrors(origin: ConfigOrigin, errors: readonly ConfigError[]): CheckRunOutput {
  const head: Chunk = { text: `❌ **The readiness configuration is invalid, so no rule was checked.** ${countLine(origin, errors)}:\n` };
  // What to do survives any truncation: it is the tail.
  const summary = fitChunks([head, ...errorChunks(origin, errors)], CHECK_RUN_OUTPUT_LIMIT, {
    note: (omitted) => `… truncated: ${plural(omitted.findings, "more error")} not shown (run \`readiness validate\` locally for all of them).`,
    tail: `\n\n${whatToDo(origin, errors)}`,
  });
  return { title: CONFIG_ERRORS_TITLE, summary: summary.text, annotations: configAnnotations(origin, errors) };
}

export function renderConfigErrorsComment(origin: ConfigOrigin, errors: readonly ConfigError[], ctx: RenderContext = {}): string {
  const items = errorChunks(origin, errors);
  const shown = items.slice(0, COMMENT_ERRORS_MAX);
  const hidden = items.slice(COMMENT_ERRORS_MAX);
  const list = shown.map((c) => c.text);
  if (hidden.length > 0) list.push(`- … and ${plural(countOmitted(hidden).findings, "more error")}`);
  const url = safeUrl(ctx.checkRunUrl);
  const chunks: Chunk[] = [
    { text: `${COMMENT_MARKER}\n### ❌ Not checked: the readiness configuration is invalid\n\n${countLine(origin, errors)}:\n` },
    { text: list.join("\n") },
  ];
  const tail = `\n\n${whatToDo(origin, errors)}${url ? `\n\n[Full report in the readiness check](${url})` : ""}\n`;
  return fitChunks(chunks, COMMENT_LIMIT, { note: () => "… truncated: the check run lists every error.", tail }).text;
}

/** The files the errors are in, the configuration's own first: "a.yml" or "a.yml and org.yml". */
function filesOf(origin: ConfigOrigin, errors: readonly ConfigError[]): string {
  const files = [...new Set(inFileOrder(origin, errors).map((e) => plain(position(origin, e).replace(/:\d+:\d+$/, ""))))];
  if (files.length === 0) return plain(origin.path);
  return files.length === 1 ? files[0]! : `${files.slice(0, -1).join(", ")} and ${files[files.length - 1]!}`;
}

/** Compiler-style lines (`file:line:column: key: message`) and a count, for the terminal. */
export function renderConfigErrorsText(origin: ConfigOrigin, errors: readonly ConfigError[]): string {
  const lines = inFileOrder(origin, errors).map((error) => {
    const key = error.keyPath ? `${plain(error.keyPath)}: ` : "";
    return `${plain(position(origin, error))}: ${key}${plain(error.message)}`;
  });
  const count = errors.length > 0 ? plural(errors.length, "error") : "errors";
  lines.push(`${count} in ${filesOf(origin, errors)}${origin.ref ? ` (at ${plain(origin.ref)})` : ""}; no rule was checked.`);
  return `${lines.join("\n")}\n`;
}
