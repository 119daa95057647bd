/**
 * Whether a string is one JSON text, as JSON.parse reads it, without parsing it into values or
 * throwing. Checks read JSON out of scanned text (a JWT's header), and text crafted to fail there
 * would otherwise cost an exception, several microseconds each, at every keyword hit.
 */

/** Containers nested deeper than this are not read (JSON.parse reads them; no header nests so). */
export const MAX_JSON_DEPTH = 64;

const WHITESPACE = new Uint8Array(128);
for (const c of " \t\n\r") WHITESPACE[c.charCodeAt(0)] = 1;

/** The characters that may follow a backslash in a JSON string (`u` takes four hex digits). */
const ESCAPED = new Uint8Array(128);
for (const c of `"\\/bfnrtu`) ESCAPED[c.charCodeAt(0)] = 1;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 128 || WHITESPACE[c] !== 1) break;
    i++;
  }
  return i;
}

/** The end of the string whose opening quote is at `i`, or -1. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 34 /* " */) return j + 1;
    if (c < 32) return -1;
    if (c === 92 /* \ */) {
      const e = s.charCodeAt(j + 1);
      if (!(e < 128 && ESCAPED[e] === 1)) return -1;
      if (e === 117 /* u */) {
        for (let k = 2; k <= 5; k++) if (!isHex(s.charCodeAt(j + k))) return -1;
        j += 5;
      } else j++;
    }
  }
  return -1;
}

/** The end of the number starting at `i`, or -1. */
function numberEnd(s: string, i: number): number {
  let j = i;
  if (s.charCodeAt(j) === 45 /* - */) j++;
  if (s.charCodeAt(j) === 48 /* 0 */) j++;
  else if (isDigit(s.charCodeAt(j))) while (isDigit(s.charCodeAt(j))) j++;
  else return -1;
  if (s.charCodeAt(j) === 46 /* . */) {
    j++;
    if (!isDigit(s.charCodeAt(j))) return -1;
    while (isDigit(s.charCodeAt(j))) j++;
  }
  const e = s.charCodeAt(j);
  if (e === 101 || e === 69 /* e E */) {
    j++;
    const sign = s.charCodeAt(j);
    if (sign === 43 || sign === 45 /* + - */) j++;
    if (!isDigit(s.charCodeAt(j))) return -1;
    while (isDigit(s.charCodeAt(j))) j++;
  }
  return j;
}

/** The end of the value starting at `i` (no whitespace before it), or -1. */
function valueEnd(s: string, i: number, depth: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) return stringEnd(s, i);
  if (c === 123 /* { */ || c === 91 /* [ */) {
    if (depth >= MAX_JSON_DEPTH) return -1;
    const object = c === 123;
    const close = object ? 125 : 93;
    let j = skipWhitespace(s, i + 1);
    if (s.charCodeAt(j) === close) return j + 1;
    for (;;) {
      if (object) {
        if (s.charCodeAt(j) !== 34) return -1;
        j = stringEnd(s, j);
        if (j < 0) return -1;
        j = skipWhitespace(s, j);
        if (s.charCodeAt(j) !== 58 /* : */) return -1;
        j = skipWhitespace(s, j + 1);
      }
      j = valueEnd(s, j, depth + 1);
      if (j < 0) return -1;
      j = skipWhitespace(s, j);
      const next = s.charCodeAt(j);
      if (next === close) return j + 1;
      if (next !== 44 /* , */) return -1;
      j = skipWhitespace(s, j + 1);
    }
  }
  if (c === 116 /* t */) return s.startsWith("true", i) ? i + 4 : -1;
  if (c === 102 /* f */) return s.startsWith("false", i) ? i + 5 : -1;
  if (c === 110 /* n */) return s.startsWith("null", i) ? i + 4 : -1;
  return numberEnd(s, i);
}

/**
 * Whether JSON.parse(s) returns rather than throws; false also for containers nested deeper than
 * MAX_JSON_DEPTH. Linear in the length of `s`.
 */
export function isJsonText(s: string): boolean {
  const start = skipWhitespace(s, 0);
  if (start >= s.length) return false;
  const end = valueEnd(s, start, 0);
  return end >= 0 && skipWhitespace(s, end) === s.length;
}
