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

/** Per list of stop-words, one pattern of them all: one search of the value instead of one per word. */
const stopWordPatterns = new WeakMap<readonly string[], RegExp>();

/** Case-insensitive substring test against a list already lower-cased: whether `value.toLowerCase()` includes any of `words`. */
export function containsStopWord(value: string, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  let pattern = stopWordPatterns.get(words);
  if (pattern === undefined) {
    pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("|"));
    stopWordPatterns.set(words, pattern);
  }
  return pattern.test(value.toLowerCase());
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
 * For a unit of p characters that is a stretch of at least repeatStretch(p) consecutive positions
 * where a character equals the one p after it. Any such stretch holds one of every
 * repeatStretch(p)-th positions, so only those are compared, and only where they match is the
 * stretch around them measured: about one comparison per character for all periods together,
 * where comparing every position for every period costs ten. The same goes for steps of +1 or -1
 * between neighbours (MAX_SEQUENCE_STEPS in a row). With `start` and `end`, the body is that part
 * of `body`.
 */
export function looksMadeUp(body: string, start = 0, end = body.length): boolean {
  if (end - start < 8) return false;
  for (let period = 1; period <= MAX_PERIOD; period++) {
    const need = repeatStretch(period);
    // Positions i with body[i] === body[i + period], for i from start to end - period - 1.
    const last = end - period - 1;
    for (let i = start + need - 1; i <= last; i += need) {
      if (body.charCodeAt(i) !== body.charCodeAt(i + period)) continue;
      let from = i;
      while (from > start && i - from < need && body.charCodeAt(from - 1) === body.charCodeAt(from - 1 + period)) from--;
      let to = i;
      while (to < last && to - from + 1 < need && body.charCodeAt(to + 1) === body.charCodeAt(to + 1 + period)) to++;
      if (to - from + 1 >= need) return true;
    }
  }
  // Steps between neighbours: step i is body[i + 1] - body[i], for i from start to end - 2.
  const lastStep = end - 2;
  for (let i = start + MAX_SEQUENCE_STEPS - 1; i <= lastStep; i += MAX_SEQUENCE_STEPS) {
    const step = body.charCodeAt(i + 1) - body.charCodeAt(i);
    if (step !== 1 && step !== -1) continue;
    let from = i;
    while (from > start && i - from < MAX_SEQUENCE_STEPS && body.charCodeAt(from) - body.charCodeAt(from - 1) === step) from--;
    let to = i;
    while (to < lastStep && to - from + 1 < MAX_SEQUENCE_STEPS && body.charCodeAt(to + 2) - body.charCodeAt(to + 1) === step) to++;
    if (to - from + 1 >= MAX_SEQUENCE_STEPS) return true;
  }
  return false;
}
