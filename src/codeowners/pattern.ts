/**
 * One CODEOWNERS pattern compiled to a segment matcher (the shared design notes (shared/design/codeowners.md),
 * rules 10-17). Paths are matched segment by segment with a greedy wildcard algorithm that
 * backtracks only to the latest `**` (and, inside a segment, to the latest `*`), so hostile
 * patterns or paths cost at most O(pattern x path), never exponential time. No regular
 * expressions are built from user input.
 */

/** A test on one path segment (a segment never contains "/"). */
export type SegmentTest = (segment: string) => boolean;

/** `**`: zero or more whole segments. */
export const GLOBSTAR = Symbol("**");

/** A segment that must equal `text` (compared inline: no closure per literal). */
export interface LiteralElement {
  readonly kind: "literal";
  readonly text: string;
}
export interface GlobElement {
  readonly kind: "glob";
  readonly test: SegmentTest;
  /** Set when every matching segment ends in `.${extension}`: lets an index rule the pattern out. */
  readonly extension?: string;
}
export type Element = typeof GLOBSTAR | LiteralElement | GlobElement;

/** Where a matcher can be filed so most paths never test it (see match.ts). */
export type IndexKey =
  | { readonly kind: "never" }
  /** Anchored at the root and starting with these literal segments. */
  | { readonly kind: "prefix"; readonly segments: readonly string[] }
  /** Some segment of a matching path equals this literal. */
  | { readonly kind: "segment"; readonly text: string }
  /** Some segment of a matching path has this extension (the text after its last "."). */
  | { readonly kind: "extension"; readonly extension: string }
  | { readonly kind: "always" };

export interface CompiledPattern {
  /** Matches a repository-relative path already split on "/". */
  matches(segments: readonly string[]): boolean;
  readonly index: IndexKey;
  /** The element sequence the path must match in full, for tests and diagnostics. */
  readonly elements: readonly Element[];
}

/** One character of a pattern after escapes: a literal character, or an unescaped wildcard. */
type PatternChar = { readonly literal: string } | { readonly wildcard: "*" | "?" };

const ANY_SEGMENT: GlobElement = { kind: "glob", test: (segment) => segment.length > 0 };

/** Segments after escapes: a plain string when the segment has no wildcard, else its characters. */
type RawSegment = string | PatternChar[];

function splitSegments(pattern: string): RawSegment[] {
  // Most lines are plain paths: split without building a character list.
  if (!pattern.includes("\\")) {
    const segments: RawSegment[] = pattern.split("/");
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      if (segment.includes("*") || segment.includes("?")) {
        segments[i] = Array.from(segment, (ch): PatternChar => (ch === "*" || ch === "?" ? { wildcard: ch } : { literal: ch }));
      }
    }
    return segments;
  }
  const segments: PatternChar[][] = [[]];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "\\" && i + 1 < chars.length) {
      const escaped = chars[++i]!;
      // An escaped "/" is still a separator: no path segment can contain one.
      if (escaped === "/") segments.push([]);
      else segments[segments.length - 1]!.push({ literal: escaped });
    } else if (ch === "/") segments.push([]);
    else if (ch === "*" || ch === "?") segments[segments.length - 1]!.push({ wildcard: ch });
    else segments[segments.length - 1]!.push({ literal: ch });
  }
  return segments;
}

const isWildcard = (c: PatternChar, w: "*" | "?"): boolean => "wildcard" in c && c.wildcard === w;
const literalText = (chars: readonly PatternChar[]): string => chars.map((c) => ("literal" in c ? c.literal : "")).join("");

/** A run of characters between `*`s: fixed length, `null` where a `?` stands. */
type Part = readonly (string | null)[];

function matchesPartAt(chars: readonly string[], at: number, part: Part): boolean {
  for (let i = 0; i < part.length; i++) {
    const want = part[i];
    if (want !== null && chars[at + i] !== want) return false;
  }
  return true;
}

/**
 * A segment glob split on `*` into fixed-length parts: the first must match at the start, the
 * last at the end, the middle ones in order. Taking each middle part at its leftmost position is
 * optimal because the parts have fixed lengths, so one pass decides.
 */
function compileSegmentGlob(chars: readonly PatternChar[]): GlobElement {
  const parts: (string | null)[][] = [[]];
  for (const c of chars) {
    if (isWildcard(c, "*")) parts.push([]);
    else parts[parts.length - 1]!.push("literal" in c ? c.literal : null);
  }
  const lastPart = parts[parts.length - 1]!;
  let extension: string | undefined;
  const tailDot = lastPart.lastIndexOf(".");
  if (tailDot >= 0 && lastPart.slice(tailDot + 1).every((c) => c !== null)) extension = lastPart.slice(tailDot + 1).join("");

  const hasQuestion = parts.some((p) => p.includes(null));
  if (parts.length === 1) {
    // No `*`: only `?` makes this a glob; compare character by character.
    const only = parts[0]!;
    return { kind: "glob", extension, test: (segment) => { const cs = Array.from(segment); return cs.length === only.length && matchesPartAt(cs, 0, only); } };
  }
  const first = parts[0]!;
  const last = lastPart;
  const middle = parts.slice(1, -1).filter((p) => p.length > 0);
  const minLength = parts.reduce((n, p) => n + p.length, 0);

  if (!hasQuestion) {
    const firstText = first.join("");
    const lastText = last.join("");
    const middleTexts = middle.map((p) => p.join(""));
    return {
      kind: "glob",
      extension,
      test: (segment) => {
        if (segment.length < minLength || !segment.startsWith(firstText) || !segment.endsWith(lastText)) return false;
        let from = firstText.length;
        const end = segment.length - lastText.length;
        for (const text of middleTexts) {
          const at = segment.indexOf(text, from);
          if (at < 0 || at + text.length > end) return false;
          from = at + text.length;
        }
        return true;
      },
    };
  }
  return {
    kind: "glob",
    extension,
    test: (segment) => {
      const cs = Array.from(segment);
      if (cs.length < minLength || !matchesPartAt(cs, 0, first) || !matchesPartAt(cs, cs.length - last.length, last)) return false;
      let from = first.length;
      const end = cs.length - last.length;
      for (const part of middle) {
        let at = from;
        while (at + part.length <= end && !matchesPartAt(cs, at, part)) at++;
        if (at + part.length > end) return false;
        from = at + part.length;
      }
      return true;
    },
  };
}

function compileSegment(raw: RawSegment): Element {
  if (typeof raw === "string") return { kind: "literal", text: raw };
  const chars = raw;
  if (chars.length === 2 && isWildcard(chars[0]!, "*") && isWildcard(chars[1]!, "*")) return GLOBSTAR;
  if (chars.length === 1 && isWildcard(chars[0]!, "*")) return ANY_SEGMENT;
  if (chars.every((c) => "literal" in c)) return { kind: "literal", text: literalText(chars) };
  return compileSegmentGlob(chars);
}

/**
 * Full match of a segment sequence: the classic wildcard algorithm with `**` as the star and
 * one-segment tests as the other symbols; on a mismatch it retries from the latest `**` only.
 */
export function matchElements(elements: readonly Element[], segments: readonly string[]): boolean {
  let e = 0;
  let s = 0;
  let starElement = -1;
  let starSegment = 0;
  while (s < segments.length) {
    const element = elements[e];
    if (element === GLOBSTAR) {
      starElement = e++;
      starSegment = s;
      continue;
    }
    if (element !== undefined && (element.kind === "literal" ? element.text === segments[s] : element.test(segments[s]!))) {
      e++;
      s++;
      continue;
    }
    if (starElement < 0) return false;
    e = starElement + 1;
    s = ++starSegment;
  }
  while (elements[e] === GLOBSTAR) e++;
  return e === elements.length;
}

function pushElement(elements: Element[], element: Element): void {
  // Consecutive `**` mean the same as one.
  if (element === GLOBSTAR && elements[elements.length - 1] === GLOBSTAR) return;
  elements.push(element);
}

function indexKeyOf(elements: readonly Element[]): IndexKey {
  const prefix: string[] = [];
  for (const element of elements) {
    if (element === GLOBSTAR || element.kind !== "literal") break;
    prefix.push(element.text);
  }
  if (prefix.length > 0) return { kind: "prefix", segments: prefix };
  if (elements[0] === GLOBSTAR) {
    const next = elements[1];
    if (next !== undefined && next !== GLOBSTAR) {
      if (next.kind === "literal") return { kind: "segment", text: next.text };
      if (next.extension !== undefined) return { kind: "extension", extension: next.extension };
    }
  }
  return { kind: "always" };
}

/** A method, not a closure per pattern: a 10,000-line file compiles with fewer allocations. */
class SegmentPattern implements CompiledPattern {
  constructor(
    readonly elements: readonly Element[],
    readonly index: IndexKey,
  ) {}

  matches(segments: readonly string[]): boolean {
    return matchElements(this.elements, segments);
  }
}

const NOTHING: CompiledPattern = { matches: () => false, index: { kind: "never" }, elements: [] };

/**
 * Compiles a pattern as written in CODEOWNERS (escapes included). Anchoring (rule 12): a leading
 * "/" or a "/" before the last character anchors at the root; otherwise the pattern matches at
 * any depth, as if it began with `**`. The end of the pattern decides what lies below a match:
 * a trailing "/" or `**` needs at least one more segment (rules 13, 17), a last segment of
 * exactly `*` matches that level only (rule 15), any other last segment also matches everything
 * below (rule 14).
 */
export function compilePattern(pattern: string): CompiledPattern {
  const segments = splitSegments(pattern);
  const leadingSlash = segments.length > 1 && segments[0]!.length === 0;
  const trailingSlash = segments.length > 1 && segments[segments.length - 1]!.length === 0;
  const body: Element[] = [];
  // Empty segments ("/" at either end, or "//") carry no name.
  for (const segment of segments) if (segment.length > 0) body.push(compileSegment(segment));
  if (body.length === 0) return NOTHING; // rule 11: "/" alone matches nothing

  // `**/` (any directory, everything below it): gitignore matches what is inside some directory,
  // never a file at the root, so the directory is at least one segment and something lies below it.
  if (trailingSlash && body.every((element) => element === GLOBSTAR)) {
    return new SegmentPattern([ANY_SEGMENT, ANY_SEGMENT, GLOBSTAR], { kind: "always" });
  }

  const anchored = leadingSlash || body.length > 1;
  const last = body[body.length - 1]!;

  let tail: "below" | "exact" | "self-or-below";
  if (trailingSlash) tail = "below";
  else if (last === GLOBSTAR && body.length > 1) {
    body.pop();
    tail = "below";
  } else if (last === ANY_SEGMENT || last === GLOBSTAR) tail = "exact";
  else tail = "self-or-below";

  const elements: Element[] = [];
  if (!anchored) pushElement(elements, GLOBSTAR);
  for (const element of body) pushElement(elements, element);
  if (tail === "below") pushElement(elements, ANY_SEGMENT);
  if (tail !== "exact") pushElement(elements, GLOBSTAR);

  return new SegmentPattern(elements, indexKeyOf(elements));
}

/** A literal path written as pattern text: white space, wildcards and backslashes escaped. */
export function escapePatternText(path: string): string {
  return path.replace(/[\\*? \t]/g, (c) => `\\${c}`);
}
