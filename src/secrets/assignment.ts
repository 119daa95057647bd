/**
 * How code and configuration assign a value to a named setting, as one bounded pattern that a
 * keyword rule puts between its keyword and its value (group 1). Data only; checks.ts
 * (`assigned-value`) narrows the loose separators, and test/secrets/corpus.ts generates every
 * shape listed here for every keyword rule.
 */
import type { SecretRuleSpec } from "./types.js";

const r = String.raw;

/**
 * After the keyword: the rest of the setting's name; a closing quote or bracket (`"TOKEN"]`,
 * `\"token\"` in serialised JSON); an optional type (`var token string =`, `val token: String =`,
 * `let token: &str =`); the operator (`=` `:` `:=` `::=` `:::=` `?=` `+=` `.=` `=>`, `,` between
 * call arguments, `>` closing an XML element, ` value=` of an XML key/value pair, or blanks as in
 * `ENV NAME value` and `set -x NAME value`); an optional YAML block-scalar indicator (`|`, `>-`)
 * with the line break and indent after it; and an opening quote (`"`, `'`, backtick, escaped
 * `\"`, `r"`, `@"`).
 */
export const ASSIGN =
  r`[A-Za-z0-9_.-]{0,32}(?:\\?["'])?\]?` +
  // After a type only an operator with "=" follows, so `password https://…` is not `name type:`.
  r`(?:[ \t]{0,2}:?[ \t]{1,4}&?[A-Za-z][A-Za-z0-9_]{0,16}[ \t]{0,4}(?::{0,3}=|[?+.]=)` +
  r`|[ \t]{0,4}(?::{0,3}=|[?+.]=|=>|:|,|>|[ \t]{1,4}value[ \t]{0,2}=|[ \t]))` +
  r`[ \t]{0,4}(?:[|>][+-]?\s{1,16})?(?:\\?["'\x60]|[rbu@]["'])?`;

/** ASSIGN's name characters, and the first characters of what may follow the name (quote, bracket, operator, blank). */
const NAME_CHARS = new Uint8Array(128);
const AFTER_NAME = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") NAME_CHARS[c.charCodeAt(0)] = 1;
for (const c of `\\"']:=?+,> \t`) AFTER_NAME[c.charCodeAt(0)] = 1;
const MAX_NAME_REST = 32;

/**
 * Whether ASSIGN can match at `start`, read without a regular expression: the rest of the name
 * (at most 32 name characters) must be followed by a quote, `]`, an operator or a blank. The
 * name characters run to their end, since no name character can start what follows it (`.=` is
 * the one exception, and its `=` ends the run too). A necessary condition only: the scanner
 * skips every keyed rule at a keyword where it fails, and runs the patterns where it holds.
 *
 * `runEnd` is where the run of name characters starting at `start` ends (nameRunEnd).
 */
export function assignmentCanStart(text: string, start: number, runEnd: number): boolean {
  if (runEnd >= text.length) return false;
  const c = text.charCodeAt(runEnd);
  if (c >= 128 || AFTER_NAME[c] !== 1) return false;
  // `.=` may put the name's end one before the run's.
  const length = runEnd - start;
  return length <= MAX_NAME_REST || (length === MAX_NAME_REST + 1 && c === 61 /* = */ && text.charCodeAt(runEnd - 1) === 46 /* . */);
}

/** The end of the run of ASSIGN name characters that starts at `start`. */
export function nameRunEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (c >= 128 || NAME_CHARS[c] !== 1) break;
    end++;
  }
  return end;
}

/**
 * A value that only blanks separate from its name (`ENV TOKEN value`, `set -gx TOKEN value`) must
 * end its line (checks.ts, separatorFits). So where the line's last character other than a blank
 * or a quote lies further than this from the keyword, no keyed rule can match through the blank
 * operator, and the scanner reads ASSIGN without it: the longest ASSIGN (under 120 characters)
 * and the longest keyed value (400; test/secrets checks every keyed rule against this) fit.
 */
export const BLANK_SEPARATED_REACH = 520;

/** Value alphabets and the boundary each needs on its right. */
export const VALUE_AFTER = {
  alnum: "A-Za-z0-9",
  urlSafe: "A-Za-z0-9_-",
  base64: "A-Za-z0-9+/=",
} as const;

export interface KeyedRule extends Omit<SecretRuleSpec, "pattern" | "afterKeyword" | "keywords"> {
  readonly keywords: readonly string[];
  /** The value's own format, written from the provider's documentation; becomes group 1. */
  readonly value: string;
}

/**
 * A rule for a credential whose format alone is too plain to recognise (32 hex characters, a
 * UUID): found where it is assigned to a setting whose name holds one of the keywords.
 */
export function keyed(rule: KeyedRule): SecretRuleSpec {
  const { value, ...rest } = rule;
  return {
    before: null,
    after: VALUE_AFTER.alnum,
    check: "named-format",
    ...rest,
    afterKeyword: true,
    pattern: `${ASSIGN}(${value})`,
  };
}

export const UUID = r`[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}`;

const isBlank = (c: number) => c === 32 || c === 9;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isTypeChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 95;
/** `\s` or wider: every character above ASCII counts, so the set of ends can only grow. */
const mayBeSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c >= 128;
const isQuote = (c: number) => c === 34 || c === 39;

/**
 * Offsets reached while reading ASSIGN: a list without repeats (a stamp per offset relative to
 * the start says whether it is already in), reused from one reading to the next.
 */
class Offsets {
  readonly list = new Int32Array(512);
  count = 0;
  private readonly stamps = new Int32Array(256);
  private stamp = 0;
  private origin = 0;

  reset(origin: number): void {
    this.origin = origin;
    this.count = 0;
    if (++this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  add(offset: number): void {
    const r = offset - this.origin;
    if (r < 0 || r >= 256 || this.stamps[r] === this.stamp || this.count === this.list.length) return;
    this.stamps[r] = this.stamp;
    this.list[this.count++] = offset;
  }
}

const stageA = new Offsets();
const stageB = new Offsets();

/** `:{0,3}=` and `[?+.]=` read at `i`: every end. */
function operatorWithEquals(text: string, i: number, into: Offsets): void {
  for (let colons = 0; colons <= 3; colons++) {
    const c = text.charCodeAt(i + colons);
    if (c === 61 /* = */) into.add(i + colons + 1);
    if (c !== 58 /* : */) break;
  }
  const c = text.charCodeAt(i);
  if ((c === 63 || c === 43 || c === 46) /* ? + . */ && text.charCodeAt(i + 1) === 61) into.add(i + 2);
}

/** Length of the run of blanks (space, tab) at `i`, counted up to `limit`. */
function blanksAt(text: string, i: number, limit: number): number {
  let n = 0;
  while (n < limit && isBlank(text.charCodeAt(i + n))) n++;
  return n;
}

/**
 * The typed form from `p`: `[ \t]{0,2}:?[ \t]{1,4}&?[A-Za-z][A-Za-z0-9_]{0,16}[ \t]{0,4}` and an
 * operator with `=`. Each run (blanks, the type's letters) can only be taken whole, since what
 * must follow it (a letter, an operator) is never one of its own characters; so there are at
 * most two readings, with and without the colon.
 */
function typedOperator(text: string, p: number, into: Offsets): void {
  const blanks = blanksAt(text, p, 7);
  if (blanks >= 1 && blanks <= 6) typeThenOperator(text, p + blanks, into);
  if (blanks <= 2 && text.charCodeAt(p + blanks) === 58 /* : */) {
    const after = p + blanks + 1;
    const more = blanksAt(text, after, 5);
    if (more >= 1 && more <= 4) typeThenOperator(text, after + more, into);
  }
}

function typeThenOperator(text: string, s: number, into: Offsets): void {
  const t = text.charCodeAt(s) === 38 /* & */ ? s + 1 : s;
  if (!isLetter(text.charCodeAt(t))) return;
  let u = t + 1;
  while (u - t - 1 < 17 && isTypeChar(text.charCodeAt(u))) u++;
  if (u - t - 1 > 16) return;
  const blanks = blanksAt(text, u, 5);
  if (blanks <= 4) operatorWithEquals(text, u + blanks, into);
}

/**
 * Every offset at which ASSIGN, matched from `at`, can end: the places a keyed rule's value may
 * start. Read by hand, stage by stage as ASSIGN is written (each stage maps the offsets reached so
 * far to the offsets after it), so a keyword followed by no plausible value costs a few
 * comparisons instead of a backtracking attempt per keyed rule. Exact on ASCII text; beyond it a
 * superset (`\s` is taken to include every non-ASCII character), never less; test/secrets checks
 * both against the regular expression itself. Case-sensitive, as ASSIGN is when a rule does not
 * ask for `ignoreCase`. `runEnd` is nameRunEnd(text, at). Without `blankOperator`, the ends that
 * only a blank read as the operator leads to are left out (see BLANK_SEPARATED_REACH).
 *
 * Copies the offsets (distinct, in no particular order) to `out` and returns their count.
 */
export function assignmentEnds(text: string, at: number, runEnd: number, out: Int32Array, blankOperator = true): number {
  const a = stageA;
  const b = stageB;
  // The rest of the name, 0 to 32 name characters. Inside the run only a `.` of `.=` can begin
  // what follows (no other name character is a quote, bracket, blank or operator), so the
  // offsets inside it that matter are those.
  a.reset(at);
  const nameEnd = Math.min(runEnd, at + MAX_NAME_REST);
  if (runEnd - at <= MAX_NAME_REST) a.add(runEnd);
  for (let i = at; i <= nameEnd && i < runEnd; i++) {
    if (text.charCodeAt(i) === 46 /* . */ && text.charCodeAt(i + 1) === 61) a.add(i);
  }
  // A closing quote (`\"` in serialised JSON), then a closing bracket.
  b.reset(at);
  for (let k = 0; k < a.count; k++) {
    const i = a.list[k]!;
    const c = text.charCodeAt(i);
    b.add(i);
    if (isQuote(c)) b.add(i + 1);
    else if (c === 92 && isQuote(text.charCodeAt(i + 1))) b.add(i + 2);
  }
  a.reset(at);
  for (let k = 0; k < b.count; k++) {
    const i = b.list[k]!;
    a.add(i);
    if (text.charCodeAt(i) === 93 /* ] */) a.add(i + 1);
  }
  // The operator, with or without a type before it.
  b.reset(at);
  for (let k = 0; k < a.count; k++) {
    const p = a.list[k]!;
    typedOperator(text, p, b);
    // Untyped: [ \t]{0,4}, then one operator; inside the blanks the only operator is a blank.
    const blanks = blanksAt(text, p, 5);
    if (blankOperator) for (let q = p; q < p + Math.min(blanks, 4); q++) b.add(q + 1);
    else {
      // A block scalar after the blanks (`TOKEN |`, `<token >`) puts the value on a later line or
      // before `</`, where the line's length says nothing: keep the way to it (1 to 9 blanks).
      const run = blanksAt(text, p, 10);
      const c = text.charCodeAt(p + run);
      if (run >= 1 && run <= 9 && (c === 124 || c === 62)) b.add(p + run);
    }
    if (blanks <= 4) {
      const q = p + blanks;
      operatorWithEquals(text, q, b);
      const c = text.charCodeAt(q);
      if (c === 61 && text.charCodeAt(q + 1) === 62) b.add(q + 2); // =>
      else if (c === 58 || c === 44 || c === 62) b.add(q + 1); // : , >
    }
    // [ \t]{0,4} then [ \t]{1,4}value[ \t]{0,2}=: between 1 and 8 blanks in all, then `value`.
    const all = blanksAt(text, p, 9);
    if (all >= 1 && all <= 8 && text.startsWith("value", p + all)) {
      const v = p + all + 5;
      const after = blanksAt(text, v, 3);
      if (after <= 2 && text.charCodeAt(v + after) === 61) b.add(v + after + 1);
    }
  }
  // Blanks; a YAML block-scalar indicator with its line break and indent; an opening quote.
  a.reset(at);
  for (let k = 0; k < b.count; k++) {
    const i = b.list[k]!;
    const blanks = blanksAt(text, i, 4);
    for (let n = 0; n <= blanks; n++) a.add(i + n);
  }
  b.reset(at);
  for (let k = 0; k < a.count; k++) {
    const i = a.list[k]!;
    b.add(i);
    const c = text.charCodeAt(i);
    if (c !== 124 /* | */ && c !== 62 /* > */) continue;
    const sign = text.charCodeAt(i + 1);
    const last = sign === 43 || sign === 45 ? i + 2 : i + 1;
    for (let j = i + 1; j <= last; j++) {
      for (let n = 1; n <= 16 && mayBeSpace(text.charCodeAt(j + n - 1)); n++) b.add(j + n);
    }
  }
  a.reset(at);
  for (let k = 0; k < b.count; k++) {
    const i = b.list[k]!;
    a.add(i);
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (isQuote(c) || c === 96) a.add(i + 1);
    else if (c === 92 && (isQuote(next) || next === 96)) a.add(i + 2);
    else if ((c === 114 || c === 98 || c === 117 || c === 64) /* r b u @ */ && isQuote(next)) a.add(i + 2);
  }
  const length = text.length;
  let count = 0;
  for (let k = 0; k < a.count && count < out.length; k++) {
    const i = a.list[k]!;
    if (i <= length) out[count++] = i;
  }
  return count;
}
