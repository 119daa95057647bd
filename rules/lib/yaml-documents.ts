import { LineCounter, isNode, parseAllDocuments } from "yaml";
import type { Document } from "yaml";

/** One YAML document: its plain value, and where its nodes are. */
export interface YamlDocument {
  readonly value: unknown;
  /** 1-based line of the node at `path`, or of its nearest ancestor that exists. */
  lineOf(path: readonly (string | number)[]): number;
}

export type ParsedYaml =
  | { readonly ok: true; readonly documents: readonly YamlDocument[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

/** Aliases one file may expand: a few are normal, thousands are an expansion attack. */
const MAX_ALIASES = 100;

/**
 * Every document of a (multi-document) YAML file. A syntax error, a duplicate key or an alias
 * bomb makes the whole file unparsed, with the line and YAML's own short message.
 */
export function parseYamlDocuments(text: string): ParsedYaml {
  const lines = new LineCounter();
  let documents: Document.Parsed[];
  try {
    documents = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false }) as Document.Parsed[];
  } catch {
    return { ok: false, line: 1, message: "it is not YAML" };
  }
  if (!Array.isArray(documents)) return { ok: true, documents: [] };
  const out: YamlDocument[] = [];
  for (const document of documents) {
    const problem = document.errors[0];
    if (problem) {
      const line = problem.linePos?.[0]?.line ?? lines.linePos(problem.pos[0]).line;
      return { ok: false, line, message: firstLine(problem.message) };
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      return { ok: false, line: 1, message: e instanceof Error ? firstLine(e.message) : "it could not be read" };
    }
    if (value === null || value === undefined) continue;
    out.push({
      value,
      lineOf(path) {
        for (let length = path.length; length >= 0; length--) {
          const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
          if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
        }
        return 1;
      },
    });
  }
  return { ok: true, documents: out };
}

const firstLine = (message: string): string => message.split("\n")[0]!.slice(0, 200);

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The value at a path of plain objects and arrays; undefined when any step is missing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[step];
    }
  }
  return current;
}

/** Set to something: not null, not an empty object, list or string. */
export function isFilled(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  if (typeof value === "string") return value.trim() !== "";
  return true;
}
