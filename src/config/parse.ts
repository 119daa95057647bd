import { LineCounter, Parser, isNode, parseDocument } from "yaml";
import type { CST, Document } from "yaml";
import type { ConfigError, ConfigOrigin } from "./types.js";

/** Larger files are refused before parsing: a readiness checklist is never this big. */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** Bounds alias expansion (billion laughs): more than this many alias resolutions is an error. */
export const MAX_ALIAS_COUNT = 50;
/**
 * Collections (mappings and sequences) nested deeper than this are refused before the document is
 * built: the YAML library builds it recursively, and a few hundred levels of `[[[…` or `- - - …`
 * exhaust the stack. The deepest option a rule has is a handful of levels down.
 */
export const MAX_NESTING_DEPTH = 64;

export interface ParsedYaml {
  readonly data: unknown;
  readonly errors: ConfigError[];
  /** Finds the line and column of a key path in the document (the nearest existing ancestor). */
  locate(path: readonly (string | number)[]): { line: number; column: number; endLine: number };
}

const keyPathText = (path: readonly (string | number)[]): string =>
  path.length === 0 ? "(top level)" : path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".").replace(/\.\[/g, "[");

export function makeError(origin: ConfigOrigin, at: { line: number; column: number; endLine: number }, path: readonly (string | number)[], message: string): ConfigError {
  return { origin, line: at.line, column: at.column, endLine: at.endLine, keyPath: keyPathText(path), message };
}

/**
 * Parses YAML keeping positions. Duplicate keys, syntax errors, oversized files, deep nesting and runaway
 * aliases become ConfigErrors; nothing throws.
 */
export function parseYaml(content: string, origin: ConfigOrigin): ParsedYaml {
  const lineCounter = new LineCounter();
  const firstLine = { line: 1, column: 1, endLine: 1 };
  const bytes = Buffer.byteLength(content, "utf8");
  if (bytes > MAX_CONFIG_BYTES) {
    return {
      data: undefined,
      errors: [makeError(origin, firstLine, [], `the file is ${bytes} bytes; the limit is ${MAX_CONFIG_BYTES} bytes. Move shared settings to the organisation baseline (extends) instead.`)],
      locate: () => firstLine,
    };
  }
  const tooDeep = firstOffsetDeeperThan(content, MAX_NESTING_DEPTH);
  if (tooDeep !== undefined) {
    const line = content.slice(0, tooDeep).split("\n").length;
    const at = { line, column: tooDeep - content.lastIndexOf("\n", tooDeep - 1), endLine: line };
    const message = `collections nested more than ${MAX_NESTING_DEPTH} levels deep; a readiness configuration needs a few. Look for unclosed [ or { brackets or a long run of "- ".`;
    return { data: undefined, errors: [makeError(origin, at, [], message)], locate: () => firstLine };
  }
  const doc: Document = parseDocument(content, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const locate = (path: readonly (string | number)[]) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const sub = path.slice(0, depth);
      // Point at the key of a mapping entry (where people look), else at the node itself.
      const target = depth === 0 ? doc.contents : (findKeyNode(doc, sub) ?? doc.getIn(sub, true));
      if (isNode(target) && target.range) {
        const start = position(target.range[0]);
        const end = position(Math.max(target.range[0], target.range[1] - 1));
        return { line: start.line, column: start.column, endLine: end.line };
      }
    }
    return firstLine;
  };

  const errors: ConfigError[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const at = position(e.pos[0]);
    const end = position(Math.max(e.pos[0], e.pos[1] - 1));
    const message = e.code === "DUPLICATE_KEY" ? "duplicate key: each key may appear only once in a mapping" : firstSentence(e.message);
    errors.push(makeError(origin, { line: at.line, column: at.column, endLine: end.line }, [], message));
  }
  if (errors.length > 0) return { data: undefined, errors, locate };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error && /alias/i.test(e.message)
      ? `too many YAML aliases: at most ${MAX_ALIAS_COUNT} alias expansions are allowed`
      : `the YAML could not be read: ${e instanceof Error ? firstSentence(e.message) : String(e)}`;
    return { data: undefined, errors: [makeError(origin, firstLine, [], message)], locate };
  }
  return { data, errors, locate };
}

/**
 * Where collections first nest deeper than `max` levels (the offset of the collection that does),
 * or undefined. Walks the parser's concrete syntax tree with an explicit stack: the parser itself
 * is iterative, so nothing here recurses however deep the text nests.
 */
function firstOffsetDeeperThan(content: string, max: number): number | undefined {
  const pending: { token: CST.Token; depth: number }[] = [];
  for (const token of new Parser().parse(content)) pending.push({ token, depth: 0 });
  while (pending.length > 0) {
    const { token, depth } = pending.pop()!;
    if (token.type === "document") {
      if (token.value) pending.push({ token: token.value, depth });
    } else if (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection") {
      if (depth + 1 > max) return token.offset;
      for (const item of token.items) {
        if ("key" in item && item.key) pending.push({ token: item.key, depth: depth + 1 });
        if (item.value) pending.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

function findKeyNode(doc: Document, path: readonly (string | number)[]): unknown {
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  const last = path[path.length - 1];
  if (parent && typeof parent === "object" && "items" in parent && Array.isArray((parent as { items: unknown[] }).items)) {
    for (const item of (parent as { items: unknown[] }).items) {
      if (item && typeof item === "object" && "key" in item) {
        const key = (item as { key: unknown }).key;
        if (isNode(key) && "value" in key && (key as { value: unknown }).value === last) return key;
      }
    }
  }
  return undefined;
}

function firstSentence(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").trim();
}
