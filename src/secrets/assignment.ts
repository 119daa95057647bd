/**
 * How code and configuration assign a value to a named setting, as one bounded pattern that a
 * keyword rule puts between its keyword and its value (group 1). Data only; checks.ts
 * (`assigned-value`) narrows the loose separators, and test/secrets/corpus.ts generates every
 * shape listed here for every keyword rule.
 */
import type { SecretRuleSpec } from "./types.js";

const r = String.raw;

/** The longest rest of a setting's name after its keyword. */
export const MAX_NAME_REST = 32;

/** ASSIGN's first atom: the rest of the setting's name after the keyword. */
export const NAME_REST = r`[A-Za-z0-9_.-]{0,${MAX_NAME_REST}}`;

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
  NAME_REST +
  r`(?:\\?["'])?\]?` +
  // After a type only an operator with "=" follows, so `password https://…` is not `name type:`.
  r`(?:[ \t]{0,2}:?[ \t]{1,4}&?[A-Za-z][A-Za-z0-9_]{0,16}[ \t]{0,4}(?::{0,3}=|[?+.]=)` +
  r`|[ \t]{0,4}(?::{0,3}=|[?+.]=|=>|:|,|>|[ \t]{1,4}value[ \t]{0,2}=|[ \t]))` +
  r`[ \t]{0,4}(?:[|>][+-]?\s{1,16})?(?:\\?["'\x60]|[rbu@]["'])?`;

/** ASSIGN's name characters, and the first characters of what may follow the name (quote, bracket, operator, blank). */
const NAME_CHARS = new Uint8Array(128);
const AFTER_NAME = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") NAME_CHARS[c.charCodeAt(0)] = 1;
for (const c of `\\"']:=?+,> \t`) AFTER_NAME[c.charCodeAt(0)] = 1;

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

/**
 * A value that only blanks separate from its name (`ENV TOKEN value`, `set -gx TOKEN value`) must
 * end its line (checks.ts, separatorFits). So where the line's last character other than a blank,
 * a quote or a carriage return lies further than this from the keyword, no keyed rule can match
 * through the blank operator: the longest ASSIGN and the longest keyed value fit (test/secrets
 * checks every keyed rule against it).
 */
export const BLANK_SEPARATED_REACH = 520;

const OPERATOR_START = new Uint8Array(128);
for (const c of ":=?+.,>") OPERATOR_START[c.charCodeAt(0)] = 1;
const TYPE_OPERATOR_START = new Uint8Array(128);
for (const c of ":=?+.") TYPE_OPERATOR_START[c.charCodeAt(0)] = 1;

/** The character code at `i`, or -1 past the end (charCodeAt's NaN there makes V8 deoptimise). */
const codeAt = (text: string, i: number): number => (i < text.length ? text.charCodeAt(i) : -1);
const isBlank = (c: number) => c === 32 || c === 9;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isTypeChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 95;

function blanksAt(text: string, i: number, limit: number): number {
  let n = 0;
  while (n < limit && isBlank(codeAt(text, i + n))) n++;
  return n;
}

/** What ASSIGN may read after the name (assignmentReading). */
export const NO_OPERATOR = 0;
export const OPERATOR = 1;
/** Only a blank read as the operator, which a value must end its line to use. */
export const ONLY_BLANK_OPERATOR = 2;

/**
 * Reads, without a regular expression, whether ASSIGN can go on from the end of the name's run
 * (`runEnd`; then an optional closing quote and an optional `]`) to an operator: one of `:=?+.,>`
 * after at most 4 blanks; a type (`var token string =`: letters, blanks, then `:=?+.`) after at
 * most 6; ` value=`; a block scalar (`|`, `>`) after at most 9. Where none fits but blanks follow,
 * the blank itself may be the operator, which only a value ending its line can use
 * (BLANK_SEPARATED_REACH): the scanner then looks at the line. A necessary condition, checked
 * against the regular expression in test/secrets.
 */
export function assignmentReading(text: string, runEnd: number): number {
  const reading = readAfterQuote(text, runEnd);
  if (reading === OPERATOR) return reading;
  const c = codeAt(text, runEnd);
  let afterQuote = -1;
  if (c === 34 || c === 39) afterQuote = runEnd + 1;
  else if (c === 92 && (codeAt(text, runEnd + 1) === 34 || codeAt(text, runEnd + 1) === 39)) afterQuote = runEnd + 2;
  if (afterQuote < 0) return reading;
  const quoted = readAfterQuote(text, afterQuote);
  return quoted === NO_OPERATOR ? reading : quoted;
}

/** The reading at `p`, or at `p + 1` after a `]` there, whichever goes further. */
function readAfterQuote(text: string, p: number): number {
  const reading = readOperatorAt(text, p);
  if (reading === OPERATOR || codeAt(text, p) !== 93 /* ] */) return reading;
  const bracketed = readOperatorAt(text, p + 1);
  return bracketed === NO_OPERATOR ? reading : bracketed;
}

function readOperatorAt(text: string, p: number): number {
  const blanks = blanksAt(text, p, 10);
  const d = codeAt(text, p + blanks);
  if (blanks <= 4 && d >= 0 && d < 128 && OPERATOR_START[d] === 1) return OPERATOR;
  if (blanks >= 1 && blanks <= 9 && (d === 124 || d === 62) /* | > */) return OPERATOR;
  if (blanks >= 1 && blanks <= 8 && text.startsWith("value", p + blanks)) return OPERATOR;
  if (blanks >= 1 && blanks <= 6) {
    // A type: `&`, a letter, up to 16 more type characters, up to 4 blanks, an operator with `=`.
    let t = p + blanks;
    if (codeAt(text, t) === 38 /* & */) t++;
    if (isLetter(codeAt(text, t))) {
      let u = t + 1;
      while (u - t - 1 < 17 && isTypeChar(codeAt(text, u))) u++;
      if (u - t - 1 <= 16) {
        const after = blanksAt(text, u, 5);
        const c = codeAt(text, u + after);
        if (after <= 4 && c >= 0 && c < 128 && TYPE_OPERATOR_START[c] === 1) return OPERATOR;
      }
    }
  }
  return blanks >= 1 ? ONLY_BLANK_OPERATOR : NO_OPERATOR;
}
