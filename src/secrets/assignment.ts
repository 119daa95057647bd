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
