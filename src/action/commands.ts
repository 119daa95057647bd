/**
 * GitHub Actions' runner protocol, written out: workflow commands on standard output (annotations)
 * and the files the runner names in GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. Pure: the entry
 * (src/action/main.ts) writes what these return.
 *
 * Escaping follows the runner's own (actions/toolkit's command.ts): in a command's message `%`,
 * CR and LF are percent-encoded; in a property (file, title) also `:` and `,`, which would
 * otherwise end the property. Without it a file name or a finding could forge a command.
 */
import { randomBytes } from "node:crypto";
import type { Annotation } from "../render/types.js";

export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const COMMAND: Readonly<Record<Annotation["annotation_level"], string>> = { failure: "error", warning: "warning", notice: "notice" };

/** `::error file=…,line=…,endLine=…,title=…::message` for one annotation. */
export function annotationCommand(annotation: Annotation): string {
  const properties = [
    `file=${escapeProperty(annotation.path)}`,
    `line=${annotation.start_line}`,
    ...(annotation.end_line > annotation.start_line ? [`endLine=${annotation.end_line}`] : []),
    ...(annotation.title ? [`title=${escapeProperty(annotation.title)}`] : []),
  ];
  return `::${COMMAND[annotation.annotation_level]} ${properties.join(",")}::${escapeData(annotation.message)}`;
}

/**
 * GitHub shows at most 10 error and 10 warning annotations per step (and 10 notices, within 50
 * per job): past that they are dropped silently, so the action sends that many of each, failures
 * first, and says how many were left out.
 */
export const ANNOTATIONS_PER_LEVEL = 10;

export function capAnnotations(annotations: readonly Annotation[], perLevel: number = ANNOTATIONS_PER_LEVEL): { readonly shown: Annotation[]; readonly omitted: number } {
  const counts: Record<string, number> = {};
  const shown: Annotation[] = [];
  for (const annotation of annotations) {
    const level = annotation.annotation_level;
    if ((counts[level] ?? 0) >= perLevel) continue;
    counts[level] = (counts[level] ?? 0) + 1;
    shown.push(annotation);
  }
  return { shown, omitted: annotations.length - shown.length };
}

/**
 * One output in GITHUB_OUTPUT's multi-line form (`name<<DELIMITER`), with a delimiter that does
 * not occur in the value, so any value, newlines included, is read back exactly.
 */
export function outputBlock(name: string, value: string, delimiter: () => string = () => `ghadelimiter_${randomBytes(12).toString("hex")}`): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`"${name}" is not a valid output name`);
  let marker = delimiter();
  while (value.includes(marker) || name.includes(marker)) marker = delimiter();
  return `${name}<<${marker}\n${value}\n${marker}\n`;
}
