import { LineCounter, Parser, isMap, isNode, isScalar, parseDocument } from "yaml";
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
  /**
   * True when a YAML error lies in the part of the file a key path was read from: what was
   * recovered there may be garbled, so errors about it would only repeat the YAML error.
   */
  damaged(path: readonly (string | number)[]): boolean;
}

const keyPathText = (path: readonly (string | number)[]): string =>
  path.length === 0 ? "(top level)" : path.map((p) => (typeof p === "number" ? `[${p}]` : p)).join(".").replace(/\.\[/g, "[");

/** `path` null: the error is about the text itself (YAML syntax), not a setting. */
export function makeError(origin: ConfigOrigin, at: { line: number; column: number; endLine: number }, path: readonly (string | number)[] | null, message: string): ConfigError {
  return { origin, line: at.line, column: at.column, endLine: at.endLine, keyPath: path === null ? "" : keyPathText(path), message };
}

/** What the YAML library's error codes mean, in words a person editing the file can act on. */
const YAML_MESSAGES: Readonly<Record<string, string>> = {
  MULTIPLE_DOCS: "the file has more than one YAML document (---); a configuration is one document: remove the --- line and what follows, or merge it into the first",
  TAB_AS_INDENT: "a tab indents this line; YAML indents with spaces only",
  BAD_INDENT: "this line is not indented like the lines around it: align it with its siblings (keys of one mapping start at the same column)",
  BLOCK_AS_IMPLICIT_KEY: "a mapping cannot start on the same line as its key (a second \": \" on one line, or a line indented under a value): put it on its own line, or quote the value",
  MULTILINE_IMPLICIT_KEY: "a key must fit on one line: check the indentation of this line and the next",
  MISSING_CHAR: "a bracket or quote is not closed",
  UNEXPECTED_TOKEN: "unexpected text here",
};

const noPosition = { line: 1, column: 1, endLine: 1 };
const noLocate = () => noPosition;
const neverDamaged = () => false;

/** Text that is not text: NUL bytes, or bytes that are not UTF-8 (decoded as U+FFFD). */
function looksBinary(content: string): boolean {
  return content.includes("\u0000") || /\uFFFD/.test(content);
}

/**
 * Parses YAML keeping positions. Duplicate keys, syntax errors, oversized files, deep nesting and runaway
 * aliases become ConfigErrors; nothing throws. After YAML errors the library's recovered data is
 * still returned (with `damaged` marking where it may be garbled), so one run reports every error.
 */
export function parseYaml(content: string, origin: ConfigOrigin): ParsedYaml {
  const lineCounter = new LineCounter();
  const firstLine = noPosition;
  if (looksBinary(content)) {
    return {
      data: undefined,
      errors: [makeError(origin, firstLine, null, "not a text file: it contains NUL bytes or bytes that are not UTF-8; a configuration is UTF-8 YAML text")],
      locate: noLocate,
      damaged: neverDamaged,
    };
  }
  const bytes = Buffer.byteLength(content, "utf8");
  if (bytes > MAX_CONFIG_BYTES) {
    return {
      data: undefined,
      errors: [makeError(origin, firstLine, null, `the file is ${bytes} bytes; the limit is ${MAX_CONFIG_BYTES} bytes. Move shared settings to the organisation baseline (extends) instead.`)],
      locate: noLocate,
      damaged: neverDamaged,
    };
  }
  const tooDeep = firstOffsetDeeperThan(content, MAX_NESTING_DEPTH);
  if (tooDeep !== undefined) {
    const line = content.slice(0, tooDeep).split("\n").length;
    const at = { line, column: tooDeep - content.lastIndexOf("\n", tooDeep - 1), endLine: line };
    const message = `collections nested more than ${MAX_NESTING_DEPTH} levels deep; a readiness configuration needs a few. Look for unclosed [ or { brackets or a long run of "- ".`;
    return { data: undefined, errors: [makeError(origin, at, null, message)], locate: noLocate, damaged: neverDamaged };
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
  const damagedLines: number[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    // The library points an indentation error at the start of the line; the problem is where its text starts.
    let start = e.pos[0];
    if (e.code === "BAD_INDENT") while (content[start] === " " || content[start] === "\t") start++;
    const at = position(start);
    const end = position(Math.max(start, e.pos[1] - 1));
    if (e.code !== "DUPLICATE_KEY" && e.code !== "MULTIPLE_DOCS") for (let line = at.line; line <= end.line; line++) damagedLines.push(line);
    const message = e.code === "DUPLICATE_KEY" ? duplicateKeyMessage(content, e.pos) : (YAML_MESSAGES[e.code] ?? firstSentence(e.message));
    errors.push(makeError(origin, { line: at.line, column: at.column, endLine: end.line }, null, message));
  }

  /** The lines an entry was read from: its key's line up to the next sibling's key line (inclusive, as a YAML error there may belong to either). */
  const spanOf = (path: readonly (string | number)[]): { from: number; to: number } | undefined => {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const items = parent.items;
    const index = items.findIndex((pair) => isScalar(pair.key) && pair.key.value === path[path.length - 1]);
    const key = items[index]?.key;
    if (!isNode(key) || !key.range) return undefined;
    const next = items[index + 1]?.key;
    const parentEnd = isNode(parent) && parent.range ? position(Math.max(parent.range[0], parent.range[1] - 1)).line : Number.MAX_SAFE_INTEGER;
    const to = isNode(next) && next.range ? position(next.range[0]).line : Math.max(parentEnd, position(key.range[0]).line) + 1;
    return { from: position(key.range[0]).line, to };
  };
  const damaged = (path: readonly (string | number)[]): boolean => {
    if (damagedLines.length === 0) return false;
    // An entry of the top level or of `rules` is the unit: errors elsewhere in the file still count.
    const unit = path[0] === "rules" && path.length >= 2 ? path.slice(0, 2) : path.slice(0, 1);
    if (unit.length === 0) return true;
    const span = spanOf(unit) ?? (unit.length === 2 ? spanOf(unit.slice(0, 1)) : undefined);
    if (!span) return true;
    return damagedLines.some((line) => line >= span.from && line <= span.to);
  };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error && /alias/i.test(e.message)
      ? `too many YAML aliases: at most ${MAX_ALIAS_COUNT} alias expansions are allowed`
      : `the YAML could not be read: ${e instanceof Error ? firstSentence(e.message) : String(e)}`;
    return { data: undefined, errors: [...errors, makeError(origin, firstLine, null, message)], locate, damaged: () => true };
  }
  return { data, errors, locate, damaged };
}

/** Names the repeated key: "duplicate key "tests": …". */
function duplicateKeyMessage(content: string, pos: readonly [number, number]): string {
  const line = content.slice(pos[0], content.indexOf("\n", pos[0]) < 0 ? undefined : content.indexOf("\n", pos[0]));
  const key = /^\s*(?:-\s+)?(?:"([^"]*)"|'([^']*)'|([^:#]*?))\s*:(?:\s|$)/.exec(line);
  const name = key ? (key[1] ?? key[2] ?? key[3] ?? "").trim() : "";
  return name ? `duplicate key "${name}": each key may appear only once in a mapping; remove one or merge them` : "duplicate key: each key may appear only once in a mapping";
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
