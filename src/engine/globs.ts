import { z } from "zod";

/**
 * Path globs as users write them in .readiness.yml: `**` as a whole segment crosses directories
 * (zero or more), `*` matches within one segment, `?` one character (not "/"), `[abc]`, `[a-z]`,
 * `[!a]` / `[^a]` and `[[:alpha:]]` one character of a class, `{a,b}` and `{1..3}` / `{a..c}`
 * alternate, `\` makes the next character literal, and dot-files match like any other file. A
 * pattern starting with `!` excludes (a path matches when it matches some positive pattern and no
 * `!` pattern, whatever the order). Not CODEOWNERS semantics (see src/codeowners for those).
 *
 * No regular expression is built: a pattern is expanded (braces, bounded by GLOB_LIMITS) into
 * alternatives, each a list of segment tests matched with a greedy wildcard algorithm that
 * retries only from the latest `**` (and, inside a segment, the latest `*`). Matching costs at
 * most O(pattern × path) per alternative, whatever the pattern or the path.
 */
export type PathMatcher = (path: string) => boolean;

export const GLOB_LIMITS = {
  /** Alternatives one pattern's braces may expand to. */
  alternatives: 256,
  /** Characters in one pattern. */
  length: 1000,
} as const;

/** Why a pattern cannot be used, for config validation; a GlobError at match time. */
export class GlobError extends Error {}

const STAR = Symbol("*");
/** One character of a segment: a literal code point, any character (`?`), or a class. */
type CharTest = string | ((ch: string) => boolean);
type SegmentToken = typeof STAR | CharTest;

const GLOBSTAR = Symbol("**");
type Element =
  | typeof GLOBSTAR
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "test"; readonly test: (segment: string) => boolean }
  | { readonly kind: "glob"; readonly tokens: readonly SegmentToken[] };

function matchesSegment(element: Exclude<Element, typeof GLOBSTAR>, segment: string): boolean {
  if (element.kind === "literal") return element.text === segment;
  if (element.kind === "test") return element.test(segment);
  return matchSegment(element.tokens, segment);
}

const anyChar: CharTest = () => true;

const POSIX_CLASSES: Readonly<Record<string, (ch: string) => boolean>> = {
  alnum: (c) => /^[A-Za-z0-9]$/.test(c),
  alpha: (c) => /^[A-Za-z]$/.test(c),
  ascii: (c) => c.charCodeAt(0) < 128,
  blank: (c) => c === " " || c === "\t",
  digit: (c) => c >= "0" && c <= "9",
  lower: (c) => c >= "a" && c <= "z",
  punct: (c) => /^[!-/:-@[-`{-~]$/.test(c),
  space: (c) => /^\s$/.test(c),
  upper: (c) => c >= "A" && c <= "Z",
  word: (c) => /^\w$/.test(c),
  xdigit: (c) => /^[0-9A-Fa-f]$/.test(c),
};

/**
 * Reads a class starting at `chars[start]` ("["). Returns the test and the index after "]", or
 * null when the "[" is literal: no closing "]", or a "/" inside (a class never spans segments).
 */
function readClass(chars: readonly string[], start: number): { test: CharTest; next: number } | null {
  let i = start + 1;
  let negated = false;
  if (chars[i] === "!" || chars[i] === "^") {
    negated = true;
    i++;
  }
  const singles = new Set<string>();
  const ranges: [number, number][] = [];
  const named: ((ch: string) => boolean)[] = [];
  let first = true;
  while (i < chars.length) {
    let ch = chars[i]!;
    if (ch === "/") return null;
    if (ch === "]" && !first) {
      const test = (c: string): boolean => {
        const code = c.codePointAt(0)!;
        const inClass = singles.has(c) || ranges.some(([lo, hi]) => code >= lo && code <= hi) || named.some((n) => n(c));
        return inClass !== negated;
      };
      return { test, next: i + 1 };
    }
    first = false;
    if (ch === "[" && chars[i + 1] === ":") {
      const close = chars.indexOf(":", i + 2);
      const name = close > 0 && chars[close + 1] === "]" ? chars.slice(i + 2, close).join("") : undefined;
      const posix = name === undefined ? undefined : POSIX_CLASSES[name];
      if (posix) {
        named.push(posix);
        i = close + 2;
        continue;
      }
    }
    if (ch === "\\" && i + 1 < chars.length) ch = chars[++i]!;
    if (ch === "/") return null;
    if (chars[i + 1] === "-" && i + 2 < chars.length && chars[i + 2] !== "]") {
      let hi = chars[i + 2]!;
      let next = i + 3;
      if (hi === "\\" && i + 3 < chars.length) {
        hi = chars[i + 3]!;
        next = i + 4;
      }
      if (hi === "/") return null;
      ranges.push([ch.codePointAt(0)!, hi.codePointAt(0)!]);
      i = next;
      continue;
    }
    singles.add(ch);
    i++;
  }
  return null;
}

/** Splits a brace-free pattern into segments of tokens; "/" separates, even escaped. */
function tokenize(pattern: string): SegmentToken[][] {
  const chars = Array.from(pattern);
  const segments: SegmentToken[][] = [[]];
  let current = segments[0]!;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "/") {
      current = [];
      segments.push(current);
    } else if (ch === "\\" && i + 1 < chars.length) {
      const escaped = chars[++i]!;
      if (escaped === "/") {
        current = [];
        segments.push(current);
      } else current.push(escaped);
    } else if (ch === "*") {
      // Consecutive stars inside a segment mean one star.
      if (current[current.length - 1] !== STAR) current.push(STAR);
    } else if (ch === "?") current.push(anyChar);
    else if (ch === "[") {
      const cls = readClass(chars, i);
      if (cls) {
        current.push(cls.test);
        i = cls.next - 1;
      } else current.push(ch);
    } else current.push(ch);
  }
  return segments;
}

/** Tells a `**` segment apart from one written `\*\*` (literal stars) before tokenizing loses it. */
function rawSegments(pattern: string): string[] {
  const out: string[] = [""];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "\\" && i + 1 < chars.length) {
      const escaped = chars[++i]!;
      if (escaped === "/") out.push("");
      else out[out.length - 1] += `\\${escaped}`;
    } else if (ch === "/") out.push("");
    else out[out.length - 1] += ch;
  }
  return out;
}

const isLiteral = (t: SegmentToken): t is string => typeof t === "string";

/** Literal segments compare as strings; `*`, `*.ts` and `README*` need no wildcard loop. */
function segmentElement(tokens: readonly SegmentToken[]): Element {
  if (tokens.every(isLiteral)) return { kind: "literal", text: tokens.join("") };
  const inner = tokens.slice(1);
  if (tokens[0] === STAR && inner.every(isLiteral)) {
    const suffix = inner.join("");
    return { kind: "test", test: (segment) => segment.length > 0 && segment.endsWith(suffix) };
  }
  const head = tokens.slice(0, -1);
  if (tokens[tokens.length - 1] === STAR && head.every(isLiteral)) {
    const prefix = head.join("");
    return { kind: "test", test: (segment) => segment.length > 0 && segment.startsWith(prefix) };
  }
  return { kind: "glob", tokens };
}

function compileAlternative(pattern: string): readonly Element[] {
  const body = pattern.startsWith("./") ? pattern.slice(2) : pattern;
  const raws = rawSegments(body);
  const tokenized = tokenize(body);
  const elements: Element[] = [];
  tokenized.forEach((tokens, index) => {
    if (raws[index] === "**") {
      if (elements[elements.length - 1] !== GLOBSTAR) elements.push(GLOBSTAR);
    } else elements.push(segmentElement(tokens));
  });
  return elements;
}

/**
 * The greedy wildcard algorithm: `tokens` match `items` in full, where a star token takes any
 * run of items and every other token exactly one. On a mismatch only the latest star takes one
 * more item; earlier stars never need to, because whatever they could have absorbed the latest
 * one absorbs as well. O(tokens x items) at worst, no backtracking.
 */
function greedyMatch<T, I>(tokens: ArrayLike<T>, items: ArrayLike<I>, isStar: (token: T) => boolean, matchesOne: (token: T, item: I) => boolean): boolean {
  let t = 0;
  let i = 0;
  let star = -1;
  let resumeAt = 0;
  while (i < items.length) {
    const token = tokens[t];
    if (token !== undefined && isStar(token)) {
      star = t++;
      resumeAt = i;
    } else if (token !== undefined && matchesOne(token, items[i]!)) {
      t++;
      i++;
    } else if (star >= 0) {
      t = star + 1;
      i = ++resumeAt;
    } else {
      return false;
    }
  }
  while (t < tokens.length && isStar(tokens[t]!)) t++;
  return t === tokens.length;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const isStarToken = (token: SegmentToken): boolean => token === STAR;
const charMatches = (token: SegmentToken, ch: string): boolean => (typeof token === "string" ? token === ch : token !== STAR && token(ch));

/** One segment's code points against its tokens (`*` the star). */
function matchSegment(tokens: readonly SegmentToken[], segment: string): boolean {
  if (segment.length === 0) return false;
  // Without surrogate pairs, UTF-16 units are the code points: index the string itself.
  return greedyMatch(tokens, SURROGATE.test(segment) ? Array.from(segment) : segment, isStarToken, charMatches);
}

const isGlobstar = (element: Element): boolean => element === GLOBSTAR;
const segmentMatches = (element: Element, segment: string): boolean => element !== GLOBSTAR && matchesSegment(element, segment);

/** The path's segments against the elements (`**` the star, every other element one segment). */
function matchElements(elements: readonly Element[], segments: readonly string[]): boolean {
  return greedyMatch(elements, segments, isGlobstar, segmentMatches);
}

class TooManyAlternatives extends Error {}

/** Index just past the "}" closing the "{" at `open`, or -1; escapes are skipped. */
function closingBrace(chars: readonly string[], open: number): number {
  let depth = 0;
  for (let i = open; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === "\\") i++;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i;
  }
  return -1;
}

/** The top-level comma-separated parts of a brace body. */
function splitAlternatives(chars: readonly string[]): string[] {
  const parts: string[] = [""];
  let depth = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "\\" && i + 1 < chars.length) {
      parts[parts.length - 1] += ch + chars[++i]!;
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}") depth--;
    if (ch === "," && depth === 0) parts.push("");
    else parts[parts.length - 1] += ch;
  }
  return parts;
}

/** `{1..5}` or `{a..e}` (either direction) as its members; null when the body is no range. */
function rangeMembers(body: string, limit: number): string[] | null {
  const numeric = /^(\d{1,9})\.\.(\d{1,9})$/.exec(body);
  const alphabetic = /^([A-Za-z])\.\.([A-Za-z])$/.exec(body);
  const bounds = numeric ? [Number(numeric[1]), Number(numeric[2])] : alphabetic ? [alphabetic[1]!.charCodeAt(0), alphabetic[2]!.charCodeAt(0)] : null;
  if (!bounds) return null;
  const [from, to] = bounds as [number, number];
  const step = from <= to ? 1 : -1;
  if (Math.abs(to - from) + 1 > limit) throw new TooManyAlternatives();
  const members: string[] = [];
  for (let n = from; n !== to + step; n += step) members.push(numeric ? String(n) : String.fromCharCode(n));
  return members;
}

/** Expands braces into brace-free alternatives; throws TooManyAlternatives past `limit`. */
function expandBraces(pattern: string, limit: number): string[] {
  const chars = Array.from(pattern);
  for (let open = 0; open < chars.length; open++) {
    if (chars[open] === "\\") {
      open++;
      continue;
    }
    if (chars[open] !== "{") continue;
    const close = closingBrace(chars, open);
    if (close < 0) continue;
    const body = chars.slice(open + 1, close);
    const parts = splitAlternatives(body);
    const members = parts.length > 1 ? parts : rangeMembers(body.join(""), limit);
    // `{a}` and unbalanced braces are literal; braces nested in them may still expand.
    if (!members) continue;
    const prefix = chars.slice(0, open).join("");
    const suffixes = expandBraces(chars.slice(close + 1).join(""), limit);
    const out: string[] = [];
    for (const member of members) {
      for (const inner of expandBraces(member, limit)) {
        for (const suffix of suffixes) {
          if (out.length >= limit) throw new TooManyAlternatives();
          out.push(prefix + inner + suffix);
        }
      }
    }
    return out;
  }
  return [pattern];
}

/** Why a pattern cannot be used (too long, too many alternatives); undefined when it can. */
export function globProblem(pattern: string): string | undefined {
  const body = pattern.startsWith("!") ? pattern.slice(1) : pattern;
  if (body.length === 0) return "a lone ! excludes nothing: write the pattern to exclude after it, such as !docs/**";
  if (pattern.length > GLOB_LIMITS.length) return `glob too long: ${pattern.length} characters, at most ${GLOB_LIMITS.length}`;
  try {
    expandBraces(body, GLOB_LIMITS.alternatives);
  } catch (e) {
    if (!(e instanceof TooManyAlternatives)) throw e;
    return `the braces in this glob expand to more than ${GLOB_LIMITS.alternatives} alternatives: split it into several globs, or use * or **`;
  }
  return undefined;
}

/** One pattern (no leading `!`) compiled to its alternatives. */
function compileGlob(pattern: string): (segments: readonly string[]) => boolean {
  let expanded: string[];
  try {
    expanded = expandBraces(pattern, GLOB_LIMITS.alternatives);
  } catch (e) {
    if (e instanceof TooManyAlternatives) throw new GlobError(`glob ${pattern.slice(0, 80)}: ${globProblem(pattern) ?? "too many alternatives"}`);
    throw e;
  }
  const alternatives = expanded.map(compileAlternative);
  return (segments) => alternatives.some((elements) => matchElements(elements, segments));
}

const cache = new Map<string, PathMatcher>();

export function globMatcher(patterns: readonly string[]): PathMatcher {
  const key = JSON.stringify(patterns);
  let matcher = cache.get(key);
  if (!matcher) {
    const include = patterns.filter((p) => !p.startsWith("!")).map(compileGlob);
    const exclude = patterns.filter((p) => p.startsWith("!") && p.length > 1).map((p) => compileGlob(p.slice(1)));
    matcher = (path) => {
      const segments = path.split("/");
      return include.some((m) => m(segments)) && !exclude.some((m) => m(segments));
    };
    if (cache.size > 500) cache.clear();
    cache.set(key, matcher);
  }
  return matcher;
}

export function matchesAny(path: string, patterns: readonly string[]): boolean {
  return globMatcher(patterns)(path);
}

/**
 * Check-name globs ("ci / test (*)"): `*` matches any run of characters, including `/` and line
 * breaks, `?` exactly one (UTF-16 unit); everything else is literal and case-sensitive.
 */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  return (name) => patterns.some((pattern) => wildcardMatch(pattern, name));
}

/**
 * Whole-string wildcard match of a check name. Names come from other apps and from commit
 * statuses a pull request's own CI may post, so no regular expression is built (see greedyMatch).
 */
function wildcardMatch(pattern: string, name: string): boolean {
  return greedyMatch(pattern, name, (c) => c === "*", (c, n) => c === "?" || c === n);
}

/** One path glob, checked when the configuration is read (see globProblem). */
export const globPattern = z
  .string()
  .min(1)
  .superRefine((pattern, ctx) => {
    const problem = globProblem(pattern);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** An option that takes one glob or a list; always a list after parsing. */
export const globs = z.union([globPattern, z.array(globPattern)]).transform((v) => (typeof v === "string" ? [v] : v));
