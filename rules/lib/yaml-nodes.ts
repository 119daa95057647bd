/**
 * Reading YAML files of the repository (workflows, Dependabot configuration) as nodes with line
 * numbers. Nodes are walked, never converted to plain values: an alias is not expanded, so a file
 * built to blow up on expansion costs no more than its own size. Files come from facts already
 * bounded in size (1 MB).
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Node, YAMLMap } from "yaml";

export interface YamlFile {
  /** The root node; null for an empty document. */
  readonly root: unknown;
  /** The first syntax error: its line and message. */
  readonly error?: { readonly line: number; readonly message: string };
  lineOf(node: unknown): number | undefined;
}

/** Characters of a parser message kept in a finding. */
const MESSAGE_LIMIT = 160;

export function readYaml(text: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as Node | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  const first = doc.errors[0];
  if (first) {
    const message = first.message.split("\n")[0]!.slice(0, MESSAGE_LIMIT);
    return { root: null, error: { line: lineCounter.linePos(first.pos[0]).line, message }, lineOf };
  }
  return { root: doc.contents, lineOf };
}

/** The string of a scalar node (numbers and booleans as written); undefined for anything else. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : String(value);
}

/** A map's entries as [key text, key node, value node]; non-scalar keys are left out. */
export function entries(node: unknown): [string, unknown, unknown][] {
  if (!isMap(node)) return [];
  const out: [string, unknown, unknown][] = [];
  for (const pair of (node as YAMLMap).items) {
    const key = scalarText(pair.key);
    if (key !== undefined) out.push([key, pair.key, pair.value]);
  }
  return out;
}

/** The value node under `key` in a map, and its key node (for the line). */
export function field(node: unknown, key: string): { key: unknown; value: unknown } | undefined {
  const found = entries(node).find(([name]) => name === key);
  return found ? { key: found[1], value: found[2] } : undefined;
}

export const items = (node: unknown): unknown[] => (isSeq(node) ? [...node.items] : []);

export { isAlias, isMap, isScalar, isSeq };
