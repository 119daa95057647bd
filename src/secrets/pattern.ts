/**
 * Patterns and the two engines that can run them.
 *
 * Every pattern (built-in or from config) is written in the syntax both engines accept: RE2's
 * (no lookaround, no backreferences); re2js checks it (for the built-in patterns, in their tests;
 * for custom ones, when the config is validated and again when compiled). The scanner only ever
 * asks "does this pattern match starting exactly here?", on a window that starts at a keyword, so
 * the work per attempt is bounded by the pattern's longest possible match.
 *
 * - "re2": re2js, linear time whatever the pattern. Custom rules from config, whose shape nobody
 *   has reviewed, run on it too, searched over each line that holds one of their keywords
 *   (`compileLineSearch`), so even an unbounded custom pattern costs one linear pass per line.
 * - "native": V8's backtracking RegExp, several times faster per attempt. Used for the built-in
 *   rules only, because `analyzePattern` proves each of them bounded: every quantifier has an
 *   upper bound (so an attempt reads at most `maxLength` characters) and no quantified group
 *   contains another quantifier (so backtracking cannot multiply). test/secrets checks both
 *   facts for every built-in pattern; bench/secrets measures both engines.
 */
import { RE2JS } from "re2js";

export type EngineName = "native" | "re2";

/** Offsets into the text: [matchStart, matchEnd, group1Start, group1End, ...]; -1 for an unmatched group. */
export type MatchOffsets = readonly number[];

export interface AnchoredPattern {
  readonly source: string;
  readonly engine: EngineName;
  readonly groupCount: number;
  /** Offsets of a match that starts exactly at `start` and reads at most `window` characters, or null. */
  matchAt(text: string, start: number): MatchOffsets | null;
}

export interface PatternShape {
  /** Longest possible match in characters; Infinity when some quantifier is unbounded. */
  readonly maxLength: number;
  readonly minLength: number;
  /** A quantifier other than `?` applied to a group that itself contains a quantifier. */
  readonly nestedQuantifier: boolean;
  readonly groupCount: number;
}

export class PatternSyntaxError extends Error {}

/** Compiles with re2js only to check the syntax; the message says what RE2 cannot do. */
export function checkRe2Syntax(source: string, ignoreCase = false): string | null {
  try {
    RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    return null;
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return `${detail} (patterns run on a linear-time engine: no lookahead, lookbehind or backreferences, repeat counts at most 1000)`;
  }
}

/**
 * Largest re2js program (its instruction count) a pattern from config may compile to. The search
 * steps through up to that many states per character of every line holding a keyword, so
 * `[a-z]{1000}[0-9]` (1,003) over a 1 MB line took 48 s; a token pattern such as
 * `ghp_[A-Za-z0-9]{36}` is about 40.
 */
export const MAX_CONFIG_PROGRAM_SIZE = 250;

/** Why a pattern from config may not run (syntax, or a program too large); null when it may. */
export function checkConfigPattern(source: string, ignoreCase = false): string | null {
  const syntax = checkRe2Syntax(source, ignoreCase);
  if (syntax) return `re2js cannot compile this pattern: ${syntax}`;
  const size = RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0).programSize();
  if (size > MAX_CONFIG_PROGRAM_SIZE) {
    return `this pattern is too large to search every line with: its program has ${size} instructions, at most ${MAX_CONFIG_PROGRAM_SIZE}. lower the repeat counts: {n,m} copies what it repeats m times, while {n,}, + and * cost no more than {n}`;
  }
  return null;
}

/** Default window for patterns whose longest match is unbounded (custom rules only). */
export const UNBOUNDED_WINDOW = 4096;

const compiled = new Map<string, AnchoredPattern>();

/**
 * Compiled once per engine, flags and source (matchAt sets lastIndex before each use, so sharing
 * a native RegExp is safe in single-threaded JavaScript).
 */
export function compileAnchored(source: string, options: { engine: EngineName; ignoreCase?: boolean; window?: number }): AnchoredPattern {
  const key = `${options.engine}:${options.ignoreCase === true}:${options.window ?? ""}:${source}`;
  let pattern = compiled.get(key);
  if (!pattern) {
    pattern = compileUncached(source, options);
    if (compiled.size > 2000) compiled.clear();
    compiled.set(key, pattern);
  }
  return pattern;
}

function compileUncached(source: string, options: { engine: EngineName; ignoreCase?: boolean; window?: number }): AnchoredPattern {
  if (options.engine === "native") {
    // RE2 syntax of the built-in patterns is checked by their tests, not on every start.
    const shape = analyzePattern(source);
    if (!Number.isFinite(shape.maxLength) || shape.nestedQuantifier) {
      throw new PatternSyntaxError(`the native engine runs only bounded patterns without nested quantifiers: ${source}`);
    }
    return nativePattern(source, options.ignoreCase === true, shape.groupCount);
  }
  const syntaxError = checkRe2Syntax(source, options.ignoreCase);
  if (syntaxError) throw new PatternSyntaxError(syntaxError);
  // Custom patterns may use RE2 syntax the shape reader does not know ((?i), \pL ...): re2js is
  // linear whatever the shape, and the window still bounds each attempt.
  let window = options.window ?? UNBOUNDED_WINDOW;
  if (options.window === undefined) {
    try {
      const shape = analyzePattern(source);
      if (Number.isFinite(shape.maxLength)) window = Math.max(1, shape.maxLength);
    } catch {
      // keep the default window
    }
  }
  return re2Pattern(source, options.ignoreCase === true, window);
}

/**
 * Where a pattern's only capturing group sits, so that its offsets follow from the match without
 * the `d` flag, whose index arrays (built in a runtime call) are the larger part of a successful
 * attempt's cost: after a part of fixed length at the start (`from: "start"`, `offset` characters
 * in; 0 for a group at the very start), or before one at the end (`from: "end"`; 0 for
 * `…(value)`, as every keyed rule is written; 2 for `…:(password)@[host]`); otherwise after a part
 * of varying length that the native engine captures too (`from: "captured"`, `offset` the
 * group's index in the source: `cloudinary://[0-9]{10,20}:(…)@…` is run as
 * `(cloudinary://[0-9]{10,20}:)(…)@…`, and the group starts where the captured part ends). The
 * group must be at the top level of a pattern without top-level alternatives or backreferences,
 * and not quantified.
 */
export interface GroupPlacement {
  readonly from: "start" | "end" | "captured";
  readonly offset: number;
}

export function groupPlacement(source: string): GroupPlacement | null {
  const opens: number[] = [];
  let capturing = -1;
  let capturingClose = -1;
  let nested = false;
  let alternatives = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      i++;
    } else if (c === "[") {
      // A class: skip to its closing bracket (a `]` first in the class is literal).
      i++;
      if (source[i] === "^") i++;
      if (source[i] === "]") i++;
      while (i < source.length && source[i] !== "]") {
        if (source[i] === "\\") i++;
        i++;
      }
    } else if (c === "(") {
      if (source[i + 1] !== "?") {
        if (capturing >= 0) return null;
        capturing = i;
        nested = opens.length > 0;
      }
      opens.push(i);
    } else if (c === ")") {
      const open = opens.pop();
      if (open === capturing) capturingClose = i;
    } else if (c === "|" && opens.length === 0) alternatives = true;
  }
  if (capturing < 0 || capturingClose < 0 || nested || alternatives) return null;
  // A quantified group captures only its last repetition, or none.
  const quantifier = source[capturingClose + 1];
  if (quantifier !== undefined && "?*+{".includes(quantifier)) return null;
  const fixed = (part: string): number => {
    try {
      const shape = analyzePattern(part);
      return shape.minLength === shape.maxLength ? shape.minLength : -1;
    } catch {
      return -1;
    }
  };
  const before = fixed(source.slice(0, capturing));
  if (before >= 0) return { from: "start", offset: before };
  const after = fixed(source.slice(capturingClose + 1));
  if (after >= 0) return { from: "end", offset: after };
  // A capturing group added before this one would renumber what a backreference names.
  return /\\[1-9]/.test(source) ? null : { from: "captured", offset: capturing };
}

function nativePattern(source: string, ignoreCase: boolean, groupCount: number): AnchoredPattern {
  const placement = groupCount === 1 ? groupPlacement(source) : null;
  if (placement !== null) {
    const { from, offset } = placement;
    // "captured": the part before the group runs as a group of its own, whose length places it.
    const placed = from === "captured" ? `(${source.slice(0, offset)})${source.slice(offset)}` : source;
    const regex = new RegExp(placed, `y${ignoreCase ? "i" : ""}`);
    return {
      source,
      engine: "native",
      groupCount,
      matchAt(text, start) {
        regex.lastIndex = start;
        const m = regex.exec(text);
        if (!m) return null;
        const end = m.index + m[0].length;
        if (from === "captured") {
          const groupStart = m.index + m[1]!.length;
          return [m.index, end, groupStart, groupStart + m[2]!.length];
        }
        const group = m[1];
        if (group === undefined) return [m.index, end, -1, -1];
        return from === "end" ? [m.index, end, end - offset - group.length, end - offset] : [m.index, end, m.index + offset, m.index + offset + group.length];
      },
    };
  }
  // `y`: match exactly at lastIndex; `d`: group offsets (computed only on success).
  const regex = new RegExp(source, `y${groupCount > 0 ? "d" : ""}${ignoreCase ? "i" : ""}`);
  return {
    source,
    engine: "native",
    groupCount,
    matchAt(text, start) {
      regex.lastIndex = start;
      const m = regex.exec(text);
      if (!m) return null;
      const offsets: number[] = [m.index, m.index + m[0].length];
      const indices = m.indices;
      for (let g = 1; g <= groupCount; g++) {
        const span = indices?.[g];
        offsets.push(span ? span[0] : -1, span ? span[1] : -1);
      }
      return offsets;
    },
  };
}

function re2Pattern(source: string, ignoreCase: boolean, window: number): AnchoredPattern {
  const compiled = RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  const groupCount = compiled.groupCount();
  const re2 = compiled.re2Input;
  const ANCHOR_START = 1;
  return {
    source,
    engine: "re2",
    groupCount,
    matchAt(text, start) {
      // re2js anchors at the start of its input, so the window is handed over as its own string
      // (V8 slices without copying).
      const slice = text.slice(start, Math.min(text.length, start + window));
      const [ok, groups] = re2.matchWithGroup(slice, 0, slice.length, ANCHOR_START, 1 + groupCount) as [boolean, number[] | null];
      if (!ok || !groups) return null;
      const offsets: number[] = [];
      for (let i = 0; i < 2 + 2 * groupCount; i++) {
        const v = groups[i];
        offsets.push(v === undefined || v < 0 ? -1 : v + start);
      }
      return offsets;
    },
  };
}

interface Node {
  min: number;
  max: number;
  hasQuantifier: boolean;
  nested: boolean;
}

/**
 * Reads the RE2/JS common subset far enough to bound it: literals, escapes, classes, groups,
 * alternation, `? * + {m} {m,} {m,n}` (lazy or not) and anchors.
 */
export function analyzePattern(source: string): PatternShape {
  let pos = 0;
  let groups = 0;

  const fail = (what: string): never => {
    throw new PatternSyntaxError(`${what} at offset ${pos} of ${source}`);
  };

  function parseAlternation(): Node {
    let best = parseSequence();
    while (source[pos] === "|") {
      pos++;
      const next = parseSequence();
      best = {
        min: Math.min(best.min, next.min),
        max: Math.max(best.max, next.max),
        hasQuantifier: best.hasQuantifier || next.hasQuantifier,
        nested: best.nested || next.nested,
      };
    }
    return best;
  }

  function parseSequence(): Node {
    const seq: Node = { min: 0, max: 0, hasQuantifier: false, nested: false };
    while (pos < source.length && source[pos] !== "|" && source[pos] !== ")") {
      const atom = parseQuantified();
      seq.min += atom.min;
      seq.max += atom.max;
      seq.hasQuantifier ||= atom.hasQuantifier;
      seq.nested ||= atom.nested;
    }
    return seq;
  }

  function parseQuantified(): Node {
    const { node: atom, isGroup } = parseAtom();
    const q = parseQuantifier();
    if (!q) return atom;
    const nested = atom.nested || (isGroup && atom.hasQuantifier && !(q.min === 0 && q.max === 1));
    return { min: atom.min * q.min, max: atom.max === 0 ? 0 : atom.max * q.max, hasQuantifier: true, nested };
  }

  function parseQuantifier(): { min: number; max: number } | null {
    const c = source[pos];
    let q: { min: number; max: number } | null = null;
    if (c === "?") q = { min: 0, max: 1 };
    else if (c === "*") q = { min: 0, max: Infinity };
    else if (c === "+") q = { min: 1, max: Infinity };
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(pos));
      if (!m) return null;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      pos += m[0].length - 1;
      q = { min, max };
    }
    if (!q) return null;
    pos++;
    if (source[pos] === "?") pos++;
    return q;
  }

  function parseAtom(): { node: Node; isGroup: boolean } {
    const c = source[pos];
    const one = { min: 1, max: 1, hasQuantifier: false, nested: false };
    if (c === "(") {
      pos++;
      if (source.startsWith("?:", pos)) pos += 2;
      else if (source[pos] === "?") fail("unsupported group syntax");
      else groups++;
      const inner = parseAlternation();
      if (source[pos] !== ")") fail("unclosed group");
      pos++;
      return { node: inner, isGroup: true };
    }
    if (c === "[") {
      pos++;
      if (source[pos] === "^") pos++;
      if (source[pos] === "]") pos++;
      while (pos < source.length && source[pos] !== "]") pos += source[pos] === "\\" ? 2 : 1;
      if (source[pos] !== "]") fail("unclosed class");
      pos++;
      return { node: one, isGroup: false };
    }
    if (c === "\\") {
      pos += 2;
      const escaped = source[pos - 1];
      if (escaped === "b" || escaped === "B") return { node: { ...one, min: 0, max: 0 }, isGroup: false };
      return { node: one, isGroup: false };
    }
    if (c === "^" || c === "$") {
      pos++;
      return { node: { ...one, min: 0, max: 0 }, isGroup: false };
    }
    if (c === "*" || c === "+" || c === "?" ) fail("quantifier without an operand");
    pos++;
    return { node: one, isGroup: false };
  }

  const root = parseAlternation();
  if (pos !== source.length) fail("unbalanced parenthesis");
  return { maxLength: root.max, minLength: root.min, nestedQuantifier: root.nested, groupCount: groups };
}

/** A pattern searched (unanchored, leftmost-first, non-overlapping) over a whole line. */
export interface LineSearch {
  readonly source: string;
  /** Offsets of every match in `line`: [matchStart, matchEnd, group1Start, group1End, ...]. */
  findAll(line: string): MatchOffsets[];
}

/** Custom rules: re2js over each line, linear in the line whatever the pattern. */
export function compileLineSearch(source: string, ignoreCase: boolean): LineSearch {
  const syntaxError = checkRe2Syntax(source, ignoreCase);
  if (syntaxError) throw new PatternSyntaxError(syntaxError);
  const compiled = RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  const groupCount = compiled.groupCount();
  return {
    source,
    findAll(line) {
      const found: number[][] = [];
      const matcher = compiled.matcher(line);
      while (matcher.find()) {
        const offsets = [matcher.start(), matcher.end()];
        for (let g = 1; g <= groupCount; g++) {
          const start = matcher.start(g);
          offsets.push(start, start < 0 ? -1 : matcher.end(g));
        }
        found.push(offsets);
        if (matcher.end() === matcher.start() && matcher.end() >= line.length) break;
      }
      return found;
    },
  };
}
