/**
 * How code and configuration assign a value to a named setting, as one bounded pattern that a
 * keyword rule puts between its keyword and its value (group 1). Data only; checks.ts
 * (`assigned-value`) narrows the loose separators, and test/secrets/corpus.ts generates every
 * shape listed here for every keyword rule.
 */
import { analyzePattern } from "./pattern.js";
import type { SecretRuleSpec } from "./types.js";

const r = String.raw;

/** The longest rest of a setting's name after its keyword. */
export const MAX_NAME_REST = 32;

/** ASSIGN's first atom: the rest of the setting's name after the keyword. */
export const NAME_REST = r`[A-Za-z0-9_.-]{0,${MAX_NAME_REST}}`;

/**
 * ASSIGN's end, between the operator and the value: up to 4 blanks, an optional YAML block-scalar
 * indicator (`|`, `>-`) with the line break and indent after it, and an optional opening quote.
 */
export const VALUE_LEAD = r`[ \t]{0,4}(?:[|>][+-]?\s{1,16})?(?:\\?["'\x60]|[rbu@]["'])?`;

/** ASSIGN's optional closing quote and bracket after the name (`"TOKEN"]`, `\"token\"` in serialised JSON). */
const CLOSING = r`(?:\\?["'])?\]?`;
/** ASSIGN's type and operator: after a type only an operator with "=" follows, so `password https://…` is not `name type:`. */
const TYPED_ALTERNATIVE = r`[ \t]{0,2}:?[ \t]{1,4}&?[A-Za-z][A-Za-z0-9_]{0,16}[ \t]{0,4}(?::{0,3}=|[?+.]=)`;
/** ASSIGN's operators without a type. */
const OPERATOR_ALTERNATIVE = r`[ \t]{0,4}(?::{0,3}=|[?+.]=|=>|:|,|>|[ \t]{1,4}value[ \t]{0,2}=|[ \t])`;

/**
 * After the keyword: the rest of the setting's name; a closing quote or bracket (`"TOKEN"]`,
 * `\"token\"` in serialised JSON); an optional type (`var token string =`, `val token: String =`,
 * `let token: &str =`); the operator (`=` `:` `:=` `::=` `:::=` `?=` `+=` `.=` `=>`, `,` between
 * call arguments, `>` closing an XML element, ` value=` of an XML key/value pair, or blanks as in
 * `ENV NAME value` and `set -x NAME value`); an optional YAML block-scalar indicator (`|`, `>-`)
 * with the line break and indent after it; and an opening quote (`"`, `'`, backtick, escaped
 * `\"`, `r"`, `@"`).
 */
export const ASSIGN = NAME_REST + CLOSING + `(?:${TYPED_ALTERNATIVE}|${OPERATOR_ALTERNATIVE})` + VALUE_LEAD;

/**
 * ASSIGN after the name (its name rest taken off), without the alternative of a type: what
 * ASSIGN matches where no `=` lies within TYPE_EQUALS_AFTER_NAME of the name's end, since a type
 * is followed by an operator ending in `=`. The alternative otherwise reads a value's first word
 * as a type and backtracks through it before the operator is tried.
 */
export const ASSIGN_UNTYPED_AFTER_NAME = CLOSING + `(?:${OPERATOR_ALTERNATIVE})` + VALUE_LEAD;

/** How far after the name's end the `=` ending ASSIGN's alternative of a type lies at most. */
export const TYPE_EQUALS_AFTER_NAME = analyzePattern(CLOSING + TYPED_ALTERNATIVE).maxLength - 1;

/** ASSIGN's name characters, and the first characters of what may follow the name (quote, bracket, operator, blank). */
const NAME_CHARS = new Uint8Array(128);
const AFTER_NAME = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") NAME_CHARS[c.charCodeAt(0)] = 1;
for (const c of `\\"']:=?+,> \t`) AFTER_NAME[c.charCodeAt(0)] = 1;

/**
 * Whether ASSIGN can start at a keyword followed by the character with code `c` (ASCII): it
 * continues the name, or ends it as a quote, bracket, operator or blank may (assignmentCanStart).
 */
export function assignmentMayFollow(c: number): boolean {
  return c < 128 && (NAME_CHARS[c] === 1 || AFTER_NAME[c] === 1);
}

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

/** What ASSIGN may read after the name (assignmentReading), from least to most: a reading that allows more wins. */
export const NO_OPERATOR = 0;
/** Only a blank read as the operator, which a value must end its line to use. */
export const ONLY_BLANK_OPERATOR = 1;
/**
 * An operator, but only after a type (`var token string =`): where a failing pattern attempt is
 * costliest (it backtracks through every shorter type name), so the scanner tries the value at
 * its two places where the commonest shape holds (TypedDeclaration) and reads valueReach before
 * the whole pattern elsewhere.
 */
export const TYPED_OPERATOR = 2;
export const OPERATOR = 3;

/**
 * Reads, without a regular expression, whether ASSIGN can go on from the end of the name's run
 * (`runEnd`; then an optional closing quote and an optional `]`) to an operator: one of `:=?+.,>`
 * after at most 4 blanks; ` value=`; a block scalar (`|`, `>`) after at most 9; otherwise a type
 * (`var token string =`: letters, blanks, then `:=?+.`) after at most 6 (TYPED_OPERATOR). Where none fits but blanks follow,
 * the blank itself may be the operator, which only a value ending its line can use
 * (BLANK_SEPARATED_REACH): the scanner then looks at the line. A necessary condition, checked
 * against the regular expression in test/secrets.
 *
 * `equalsAt` is the first `=` at or after `runEnd` (-1: none): a type is read only where it lies
 * within TYPED_EQUALS_REACH, so `password password …` costs no type reading. The scanner passes
 * it from a search that moves forward through the text once.
 */
export function assignmentReading(text: string, runEnd: number, equalsAt = text.indexOf("=", runEnd), declaration: TypedDeclaration | null = null): number {
  const reading = readAfterQuote(text, runEnd, equalsAt, declaration);
  if (reading === OPERATOR) return reading;
  const afterQuote = closingQuoteEnd(text, runEnd);
  if (afterQuote < 0) return reading;
  return Math.max(reading, readAfterQuote(text, afterQuote, equalsAt, null));
}

/**
 * How far after the place where ASSIGN's operator part is read the `=` of an operator after a
 * type lies at most: 6 blanks (readOperatorAt), `&`, a letter and 16 type characters, 4 blanks,
 * `:::`.
 */
export const TYPED_EQUALS_REACH = 6 + 1 + 17 + 4 + 3;

/** Where ASSIGN's optional closing quote after the name (`"`, `'`, escaped `\"`) ends, or -1 when there is none. */
function closingQuoteEnd(text: string, runEnd: number): number {
  if (runEnd >= text.length) return -1;
  const c = text.charCodeAt(runEnd);
  if (c === 34 || c === 39) return runEnd + 1;
  if (c !== 92 || runEnd + 1 >= text.length) return -1;
  const next = text.charCodeAt(runEnd + 1);
  return next === 34 || next === 39 ? runEnd + 2 : -1;
}

/** The reading at `p`, or at `p + 1` after a `]` there, whichever goes further. */
function readAfterQuote(text: string, p: number, equalsAt: number, declaration: TypedDeclaration | null): number {
  const reading = readOperatorAt(text, p, equalsAt, declaration);
  if (reading === OPERATOR || p >= text.length || text.charCodeAt(p) !== 93 /* ] */) return reading;
  return Math.max(reading, readOperatorAt(text, p + 1, equalsAt, null));
}

/** `equalsAt`: the first `=` at or after the name's end (-1: none), without which no type is read. */
function readOperatorAt(text: string, p: number, equalsAt: number, declaration: TypedDeclaration | null): number {
  // Up to 10 blanks and the character after them (-1 past the end), read without the helpers:
  // this runs at every name end, and V8 does not always inline them into it.
  const length = text.length;
  let blanks = 0;
  let d = -1;
  while (p + blanks < length) {
    const c = text.charCodeAt(p + blanks);
    if ((c !== 32 && c !== 9) || blanks === 10) {
      d = c;
      break;
    }
    blanks++;
  }
  if (blanks <= 4 && d >= 0 && d < 128 && OPERATOR_START[d] === 1) return OPERATOR;
  if (blanks >= 1 && blanks <= 9 && (d === 124 || d === 62) /* | > */) return OPERATOR;
  if (blanks >= 1 && blanks <= 8 && d === 118 /* v */ && text.startsWith("value", p + blanks)) return OPERATOR;
  if (blanks >= 1 && blanks <= 6 && equalsAt >= 0 && equalsAt - p <= TYPED_EQUALS_REACH) {
    // A type: `&`, a letter, up to 16 more type characters, up to 4 blanks, an operator with `=`
    // (read in place too, for the same reason).
    let t = p + blanks;
    let first = d;
    if (first === 38 /* & */) {
      t++;
      first = t < length ? text.charCodeAt(t) : -1;
    }
    if (isLetter(first)) {
      let u = t + 1;
      while (u - t - 1 < 17 && u < length) {
        const k = text.charCodeAt(u);
        if (!((k >= 65 && k <= 90) || (k >= 97 && k <= 122) || (k >= 48 && k <= 57) || k === 95)) break;
        u++;
      }
      if (u - t - 1 <= 16) {
        let after = 0;
        let c = -1;
        while (u + after < length) {
          const k = text.charCodeAt(u + after);
          if ((k !== 32 && k !== 9) || after === 5) {
            c = k;
            break;
          }
          after++;
        }
        if (after <= 4 && c >= 0 && c < 128 && TYPE_OPERATOR_START[c] === 1) {
          if (declaration !== null && t === p + blanks) declaration.noteType(text, p, blanks, u, after);
          return TYPED_OPERATOR;
        }
      }
    }
  }
  return blanks >= 1 ? ONLY_BLANK_OPERATOR : NO_OPERATOR;
}

/** The characters JavaScript's `\s` matches. */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The run of characters other than ASCII whitespace at `s` (any character a value may hold, and more), counted up to `enough`. */
function runAt(text: string, s: number, enough: number): number {
  const limit = Math.min(text.length, s + enough);
  let e = s;
  while (e < limit) {
    const c = text.charCodeAt(e);
    if (c === 32 || (c >= 9 && c <= 13)) break;
    e++;
  }
  return e - s;
}

/** From `s`, past ASSIGN's blanks after the operator: the value's run, or the one after a block scalar's indicator, line break and indent. */
function reachFrom(text: string, s: number, enough: number): number {
  const run = runAt(text, s, enough);
  const c = codeAt(text, s);
  if (run >= enough || (c !== 124 && c !== 62) /* | > */) return run;
  let t = s + 1;
  const sign = codeAt(text, t);
  if (sign === 43 || sign === 45 /* + - */) t++;
  let w = 0;
  while (w < 17 && isSpace(codeAt(text, t + w))) w++;
  return w >= 1 && w <= 16 ? Math.max(run, runAt(text, t + w, enough)) : run;
}

/** After an operator ending at `p`: up to 4 blanks, then reachFrom. */
function reachAfterOperator(text: string, p: number, enough: number): number {
  const blanks = blanksAt(text, p, 5);
  return blanks <= 4 ? reachFrom(text, p + blanks, enough) : 0;
}

/** The operators `:{0,3}=` and `[?+.]=` at `o` (the ones a type may precede): their end, or -1. */
function equalsOperatorEnd(text: string, o: number): number {
  const d = codeAt(text, o);
  if (d === 58 /* : */) {
    let n = 1;
    while (n < 4 && codeAt(text, o + n) === 58) n++;
    return n <= 3 && codeAt(text, o + n) === 61 ? o + n + 1 : -1;
  }
  if (d === 61) return o + 1;
  if ((d === 63 || d === 43 || d === 46) /* ? + . */ && codeAt(text, o + 1) === 61) return o + 2;
  return -1;
}

/** A type at `t` (`&`, a letter, up to 16 type characters), blanks, and an operator with `=`: where the operator ends, or -1. */
function typedOperatorEnd(text: string, t: number): number {
  if (codeAt(text, t) === 38 /* & */) t++;
  if (!isLetter(codeAt(text, t))) return -1;
  let u = t + 1;
  while (u - t - 1 < 17 && isTypeChar(codeAt(text, u))) u++;
  if (u - t - 1 > 16) return -1;
  const after = blanksAt(text, u, 5);
  return after <= 4 ? equalsOperatorEnd(text, u + after) : -1;
}

/** reach from `p`, where ASSIGN's operator part begins (after the name, its optional quote and `]`); at least `enough` once one place reaches it. */
function reachAt(text: string, p: number, enough: number): number {
  let best = 0;
  const blanks = blanksAt(text, p, 10);
  const o = p + blanks;
  if (blanks <= 4) {
    const d = codeAt(text, o);
    const equals = equalsOperatorEnd(text, o);
    if (equals >= 0) best = reachAfterOperator(text, equals, enough);
    // `=>` needs no reading of its own: after `=`, its `>` reads as a block scalar's indicator.
    if (best < enough && (d === 58 || d === 44 || d === 62) /* : , > */) best = Math.max(best, reachAfterOperator(text, o + 1, enough));
    if (best >= enough) return best;
  }
  if (blanks >= 1 && blanks <= 9) {
    // A type after `[ \t]{0,2}:?[ \t]{1,4}` (`&`, a letter, up to 16 type characters), read once:
    // the blank operator's value runs through it.
    const t = codeAt(text, o) === 38 /* & */ ? o + 1 : o;
    let typeEnd = -1;
    if (blanks <= 6 && isLetter(codeAt(text, t))) {
      let u = t + 1;
      while (u - t - 1 < 17 && isTypeChar(codeAt(text, u))) u++;
      if (u - t - 1 <= 16) typeEnd = u;
    }
    // A blank as the operator, with up to 4 blanks on each side: the value starts after them all.
    if (typeEnd < 0) best = Math.max(best, reachFrom(text, o, enough));
    else {
      // reachFrom at a type's `&` or letter: the run, through the type and on from its end.
      const typed = typeEnd - o;
      best = Math.max(best, typed >= enough ? enough : typed + runAt(text, typeEnd, enough - typed));
    }
    if (best >= enough) return best;
    if (blanks <= 8 && codeAt(text, o) === 118 /* v */ && text.startsWith("value", o)) {
      const v = o + 5;
      const b = blanksAt(text, v, 3);
      if (b <= 2 && codeAt(text, v + b) === 61) best = Math.max(best, reachAfterOperator(text, v + b + 1, enough));
    }
    if (typeEnd >= 0) {
      const after = blanksAt(text, typeEnd, 5);
      const end = after <= 4 ? equalsOperatorEnd(text, typeEnd + after) : -1;
      if (end >= 0) best = Math.max(best, reachAfterOperator(text, end, enough));
    }
  }
  const lead = blanks <= 2 ? blanks : 3;
  if (lead <= 2 && codeAt(text, p + lead) === 58) {
    const b = blanksAt(text, p + lead + 1, 5);
    if (b >= 1 && b <= 4) {
      const end = typedOperatorEnd(text, p + lead + 1 + b);
      if (end >= 0) best = Math.max(best, reachAfterOperator(text, end, enough));
    }
  }
  return best;
}

/**
 * The longest run of characters other than whitespace starting where ASSIGN, read from the end of
 * a name's run (`runEnd`), may end: after every operator it can read there (and the blanks after
 * it, an opening quote counted in the run), or after a block scalar's indicator and indent. A
 * keyed rule whose value holds no whitespace and needs n characters (valueFloor) cannot match
 * where this is less than n, so the scanner skips it without running its pattern
 * (`var token string = x` never reaches a 32-character value). Reading stops at the first place
 * that reaches `enough`: the answer is then `enough` or more, otherwise exact. A necessary
 * condition, checked against every assignment rule's pattern in test/secrets.
 */
export function valueReach(text: string, runEnd: number, enough: number): number {
  let best = reachAt(text, runEnd, enough);
  if (best < enough && codeAt(text, runEnd) === 93 /* ] */) best = Math.max(best, reachAt(text, runEnd + 1, enough));
  if (best >= enough) return best;
  const afterQuote = closingQuoteEnd(text, runEnd);
  if (afterQuote >= 0) {
    best = Math.max(best, reachAt(text, afterQuote, enough));
    if (best < enough && codeAt(text, afterQuote) === 93) best = Math.max(best, reachAt(text, afterQuote + 1, enough));
  }
  return best;
}

/**
 * The commonest typed declaration after a name's run, read once through: where the run ends
 * (`runEnd`) in 1 to 6 blanks, a type of letters, digits and `_` (starting with a letter, not
 * `value`, at most 17 characters), up to 4 blanks and an operator with `=` (`=` `:=` `::=` `:::=`
 * `?=` `+=` `.=`). There ASSIGN can take the value at two places only: after the operator (then
 * VALUE_LEAD), or at the type itself, the blank before it read as the operator; no quote, bracket
 * or `:` comes first. `read` says whether the shape is there and keeps where its parts are; the
 * run at the type is then counted up to the largest floor asked and kept until the next read
 * (exact below it).
 */
export class TypedDeclaration {
  // The last type the reading read after blanks (no `&`) and before an operator (noteType).
  private notedText = "";
  private notedAt = -1;
  private notedBlanks = 0;
  private notedEnd = 0;
  private notedAfter = 0;
  private text = "";
  private at = -1;
  private holds = false;
  /** Where the type starts and ends, and where the operator ends (valid while `read` holds). */
  typeStart = 0;
  typeEnd = 0;
  operatorEnd = 0;
  private typeEnough = 0;
  private typeReach = 0;

  /**
   * assignmentReading, handed this declaration, read a type at `at` (where the operator part is
   * read): its blanks before, its end, the blanks after it. `read` at the same place takes these
   * instead of reading the characters again; both read the same shape with the same bounds.
   */
  noteType(text: string, at: number, blanks: number, end: number, after: number): void {
    this.notedText = text;
    this.notedAt = at;
    this.notedBlanks = blanks;
    this.notedEnd = end;
    this.notedAfter = after;
  }

  /** Whether the shape follows the run of name characters that ends at `runEnd`. */
  read(text: string, runEnd: number): boolean {
    if (this.at === runEnd && this.text === text) return this.holds;
    this.text = text;
    this.at = runEnd;
    this.typeEnough = this.typeReach = 0;
    let blanks: number;
    let u: number;
    let after: number;
    if (this.notedAt === runEnd && this.notedText === text) {
      // The reading has just read this type: the same checks passed there.
      blanks = this.notedBlanks;
      u = this.notedEnd;
      after = this.notedAfter;
    } else {
      blanks = blanksAt(text, runEnd, 7);
      const o = runEnd + blanks;
      if (blanks === 0 || blanks > 6 || !isLetter(codeAt(text, o)) || text.startsWith("value", o)) return (this.holds = false);
      u = o + 1;
      while (u - o <= 17 && isTypeChar(codeAt(text, u))) u++;
      if (u - o > 17) return (this.holds = false);
      after = blanksAt(text, u, 5);
    }
    const end = after <= 4 ? equalsOperatorEnd(text, u + after) : -1;
    if (end < 0) return (this.holds = false);
    this.typeStart = runEnd + blanks;
    this.typeEnd = u;
    this.operatorEnd = end;
    return (this.holds = true);
  }

  /** The run of characters other than whitespace from the type's start, at least `enough` where it reaches that far. */
  reachAtType(enough: number): number {
    if (this.typeEnough < enough && this.typeReach >= this.typeEnough) {
      this.typeEnough = enough;
      const typed = this.typeEnd - this.typeStart;
      this.typeReach = typed >= enough ? typed : typed + runAt(this.text, this.typeEnd, enough - typed);
    }
    return this.typeReach;
  }
}

const sharedDeclaration = new TypedDeclaration();

/**
 * valueReach for the commonest typed declaration (TypedDeclaration): the longer of the runs at
 * its two places, counted up to `enough`; -1 for any other shape. Equal to valueReach wherever
 * the shape is read (test/secrets), which is why the value can start at those two places only;
 * the scanner reads the run at the type (reachAtType) and tries its pattern after the operator.
 */
export function typedDeclarationReach(text: string, runEnd: number, enough: number, declaration = sharedDeclaration): number {
  if (!declaration.read(text, runEnd)) return -1;
  return Math.min(enough, Math.max(declaration.reachAtType(enough), reachAfterOperator(text, declaration.operatorEnd, enough)));
}

/**
 * valueReach for the commonest plain operator, read in a few characters: where the name's run
 * ends (`runEnd`) in up to 4 blanks and an `=` not followed by `>`, the value can only start at
 * the `=` (after blanks, read as the operator, the `=` is in the value) or after the `=` and up to
 * 4 blanks; no type, ` value=`, quote or bracket can come first. Then this is the longer of the two
 * runs of characters other than whitespace there, counted up to `enough`; -1 for any other
 * shape (or a block scalar's indicator after the `=`), where valueReach must be read. A keyed
 * rule whose value needs more (valueFloor) cannot match: `token = token = …` then costs no
 * pattern attempt. Checked against valueReach and every keyed pattern in test/secrets.
 */
export function plainEqualsReach(text: string, runEnd: number, enough: number): number {
  const blanks = blanksAt(text, runEnd, 5);
  const o = runEnd + blanks;
  if (blanks > 4 || codeAt(text, o) !== 61 /* = */ || codeAt(text, o + 1) === 62 /* > */) return -1;
  const after = blanksAt(text, o + 1, 5);
  const c = codeAt(text, o + 1 + after);
  if (c === 124 || c === 62 /* | > */) return -1;
  // With blanks before it, the `=` may start the value; after it, the value starts past its blanks.
  const atEquals = blanks > 0 ? runAt(text, o, enough) : 0;
  return after > 4 ? atEquals : Math.max(atEquals, runAt(text, o + 1 + after, enough));
}

/** Class escapes that match no whitespace; `\\s`, `\\W`, `\\D` and the like do. */
const NON_SPACE_CLASS_ESCAPES = new Set(["d", "w", "S"]);

/** The code an escape inside a class stands for (`\\x60`, `\\-`), or -1 for anything else (a class escape, `\\u`). */
function escapedCode(source: string, i: number): { code: number; length: number } {
  const e = source[i + 1];
  if (e === "x" && /^[0-9a-fA-F]{2}$/.test(source.slice(i + 2, i + 4))) return { code: parseInt(source.slice(i + 2, i + 4), 16), length: 4 };
  if (e !== undefined && !/[A-Za-z0-9]/.test(e)) return { code: e.charCodeAt(0), length: 2 };
  return { code: -1, length: 2 };
}

/**
 * Whether no character a pattern matches can be whitespace: literals, escapes and classes are
 * read (a negated class must exclude `\\s`); `.`, `\\s`, `\\W`, `\\D`, a blank or anything
 * unread answers no.
 */
export function matchesNoWhitespace(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      const e = source[i + 1];
      if (e === undefined) return false;
      if (NON_SPACE_CLASS_ESCAPES.has(e) || e === "b" || e === "B") {
        i++;
        continue;
      }
      const { code, length } = escapedCode(source, i);
      if (code < 0 || isSpace(code)) return false;
      i += length - 1;
      continue;
    }
    if (c === "[") {
      const negated = source[i + 1] === "^";
      let j = negated ? i + 2 : i + 1;
      let excludesSpace = false;
      const members: number[] = [];
      let first = true;
      while (j < source.length && (source[j] !== "]" || first)) {
        first = false;
        let code: number;
        if (source[j] === "\\") {
          const e = source[j + 1];
          if (e === "s") excludesSpace = true;
          if (e !== undefined && /[A-Za-z]/.test(e) && e !== "x") {
            // A class escape: in a positive class only those that match no whitespace.
            if (!negated && !NON_SPACE_CLASS_ESCAPES.has(e)) return false;
            j += 2;
            continue;
          }
          const escaped = escapedCode(source, j);
          if (escaped.code < 0) return false;
          code = escaped.code;
          j += escaped.length;
        } else {
          code = source.charCodeAt(j);
          j++;
        }
        if (source[j] === "-" && source[j + 1] !== "]" && j + 1 < source.length) {
          let to: number;
          if (source[j + 1] === "\\") {
            const escaped = escapedCode(source, j + 1);
            if (escaped.code < 0) return false;
            to = escaped.code;
            j += 1 + escaped.length;
          } else {
            to = source.charCodeAt(j + 1);
            j += 2;
          }
          // A range over a whitespace character (ASCII controls to the blank, or past U+009F).
          if (code <= 32 && to >= 9) members.push(32);
          if (to >= 0xa0) members.push(0xa0);
          members.push(code, to);
        } else members.push(code);
      }
      if (source[j] !== "]") return false;
      if (negated ? !excludesSpace : members.some(isSpace)) return false;
      i = j;
      continue;
    }
    if (c === "." || c === " " || isSpace(c.charCodeAt(0))) return false;
  }
  return true;
}

/**
 * The fewest characters that what follows ASSIGN in a keyed pattern (`remainder`, its value)
 * reads, when none of them can be whitespace: then no match fits where valueReach is shorter.
 * 0 (no floor) otherwise.
 */
export function valueFloor(remainder: string): number {
  return matchesNoWhitespace(remainder) ? analyzePattern(remainder).minLength : 0;
}
