/**
 * Values that stand for a secret without being one: documentation examples, template variables,
 * masked values. Recognised by default (option `placeholders`), listed in docs/secrets.md.
 */

export interface PlaceholderShape {
  /** What the catalogue shows. */
  readonly example: string;
  readonly test: RegExp;
}

/** Every test runs on a string of at most a few hundred characters and is linear (no nested quantifiers). */
export const PLACEHOLDER_SHAPES: readonly PlaceholderShape[] = [
  { example: "EXAMPLE (as in the access key AWS documents), example, sample", test: /example|sample/i },
  { example: "xxxx, XXXX, ****, ####, ••••", test: /(?:x{4}|\*{4}|#{4}|•{4}|\.{4})/i },
  // The repeated character is a letter or digit, never a separator, so the pattern cannot split a run two ways.
  { example: "one character repeated, also between separators (0000000000000000, 0000000/0000000)", test: /^(.)\1*$|^([A-Za-z0-9])\2*(?:[/.:_-]\2+)+$/ },
  { example: "${VAR}, ${{ secrets.X }}, $(cmd), $VAR", test: /\$\{|\$\(|^\$[A-Za-z_]/ },
  { example: "{{ var }}, {% var %}, <%= var %>", test: /\{\{|\}\}|\{%|<%/ },
  { example: "%VAR%", test: /^%[A-Za-z_][A-Za-z0-9_]*%$/ },
  { example: "<your-token>, <token>, [token]", test: /^[<[]|[>\]]$|<[A-Za-z_-]+>/ },
  { example: "your_token, YOUR-API-KEY, yourpassword", test: /your[_-]?[a-z]/i },
  { example: "placeholder, changeme, replace_me, redacted, dummy, fake, notreal", test: /placeholder|change[_-]?me|replace[_-]?me|redacted|dummy|fake|not[_-]?real/i },
];

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_SHAPES.some((shape) => shape.test.test(value));
}

/**
 * Long values (key bodies, long tokens) only for words a random body cannot hold by chance:
 * 7 or more letters, or eight x's, appear in 200 random base64 characters with odds below 1e-9.
 */
const LONG_PLACEHOLDER = /example|placeholder|redacted|x{8}|\*{8}/i;

export function isLongPlaceholder(value: string): boolean {
  return LONG_PLACEHOLDER.test(value);
}

/** Built-in stop-words: rules marked `stopWords` (the generic and URL rules) ignore values containing one. */
export const STOP_WORDS: readonly string[] = [
  "example",
  "test",
  "sample",
  "dummy",
  "fake",
  "mock",
  "password",
  "passwd",
  "secret",
  "token",
  "changeme",
  "default",
  "null",
  "undefined",
  "none",
  "true",
  "false",
  "localhost",
  "admin",
  "pass",
  "todo",
];

/** Case-insensitive substring test against a list already lower-cased. */
export function containsStopWord(value: string, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const lower = value.toLowerCase();
  return words.some((w) => lower.includes(w));
}

/** Shortest stretch of `s[i] === s[i + p]` that counts as a repeat, for a unit of p characters. */
const repeatStretch = (period: number): number => Math.max(7, 2 * period);
const MAX_PERIOD = 8;
const MAX_SEQUENCE_STEPS = 5;

/**
 * A body no token generator produces: one character 8 times (`aaaaaaaa`), a unit of up to 8
 * characters repeated (`abcdabcdabcd`, `deadbeefdeadbeefdeadbeef`), or 6 characters running up
 * or down the alphabet (`abcdef`, `123456`, `0123456789abcdef`). In a random base62 token the
 * first happens with odds around 62^-7 per position, and in hex (the poorest alphabet a rule
 * accepts) around 16^-7, so real tokens pass.
 *
 * One pass: the last MAX_PERIOD characters stay in locals, and for each period p the count of
 * consecutive positions where a character equals the one p before it (a stretch of
 * `s[i] === s[i + p]`) grows or resets, so a body costs one read and nine comparisons per character.
 */
export function looksMadeUp(body: string): boolean {
  const n = body.length;
  if (n < 8) return false;
  const need1 = repeatStretch(1);
  const need2 = repeatStretch(2);
  const need3 = repeatStretch(3);
  const need4 = repeatStretch(4);
  const need5 = repeatStretch(5);
  const need6 = repeatStretch(6);
  const need7 = repeatStretch(7);
  const need8 = repeatStretch(MAX_PERIOD);
  let c1 = -1, c2 = -1, c3 = -1, c4 = -1, c5 = -1, c6 = -1, c7 = -1, c8 = -1;
  let s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0;
  let up = 0;
  let down = 0;
  for (let j = 0; j < n; j++) {
    const c = body.charCodeAt(j);
    s1 = c === c1 ? s1 + 1 : 0;
    s2 = c === c2 ? s2 + 1 : 0;
    s3 = c === c3 ? s3 + 1 : 0;
    s4 = c === c4 ? s4 + 1 : 0;
    s5 = c === c5 ? s5 + 1 : 0;
    s6 = c === c6 ? s6 + 1 : 0;
    s7 = c === c7 ? s7 + 1 : 0;
    s8 = c === c8 ? s8 + 1 : 0;
    if (j > 0) {
      const step = c - c1;
      up = step === 1 ? up + 1 : 0;
      down = step === -1 ? down + 1 : 0;
    }
    if (
      s1 >= need1 || s2 >= need2 || s3 >= need3 || s4 >= need4 || s5 >= need5 || s6 >= need6 || s7 >= need7 || s8 >= need8 ||
      up >= MAX_SEQUENCE_STEPS || down >= MAX_SEQUENCE_STEPS
    ) {
      return true;
    }
    c8 = c7;
    c7 = c6;
    c6 = c5;
    c5 = c4;
    c4 = c3;
    c3 = c2;
    c2 = c1;
    c1 = c;
  }
  return false;
}
