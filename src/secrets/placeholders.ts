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
  { example: "one character repeated (0000000000000000)", test: /^(.)\1*$/ },
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
