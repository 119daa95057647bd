/**
 * isJsonText against JSON.parse itself: valid texts of every kind, their mutations, and random
 * strings over JSON's own characters.
 */
import { isJsonText, MAX_JSON_DEPTH } from "../../src/secrets/json-syntax.js";

let seed = 20261201;
function next(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

function parses(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** A random JSON value, written with random whitespace. */
function jsonValue(depth: number): string {
  const ws = () => [" ", "", "\t", "\n", "\r", ""][next(6)]!;
  const scalars = ['"alg"', '"HS256"', '"\\u006eone"', '"a\\"b\\\\c\\/\\b\\f\\n\\r\\t"', "0", "-0", "12", "-3.25", "1e9", "2E-7", "0.5e+3", "true", "false", "null", '""', '"é"'];
  const kind = depth > 3 ? 0 : next(3);
  if (kind === 0) return scalars[next(scalars.length)]!;
  const n = next(4);
  const items: string[] = [];
  for (let k = 0; k < n; k++) items.push(kind === 1 ? `${ws()}${jsonValue(depth + 1)}${ws()}` : `${ws()}"k${next(3)}"${ws()}:${ws()}${jsonValue(depth + 1)}${ws()}`);
  return kind === 1 ? `[${items.join(",")}${n === 0 ? ws() : ""}]` : `{${items.join(",")}${n === 0 ? ws() : ""}}`;
}

describe("isJsonText", () => {
  test("agrees with JSON.parse on valid texts, on every one-character mutation of them, and on random strings", () => {
    const alphabet = ['{', '}', '[', ']', '"', ":", ",", " ", "\\", "u", "0", "1", "-", "+", ".", "e", "E", "t", "r", "true", "false", "null", "a", "\u0001", "\n", '"alg"', "x"];
    const texts: string[] = [];
    for (let k = 0; k < 3000; k++) {
      const valid = (k % 3 === 0 ? " " : "") + jsonValue(0) + (k % 5 === 0 ? "\n" : "");
      texts.push(valid);
      const at = next(valid.length + 1);
      texts.push(valid.slice(0, at) + alphabet[next(alphabet.length)]! + valid.slice(at));
      texts.push(valid.slice(0, at) + valid.slice(at + 1));
      let noise = "";
      for (let n = next(12); n > 0; n--) noise += alphabet[next(alphabet.length)];
      texts.push(noise);
    }
    texts.push("", " ", "01", "1.", ".5", "-", "1e", "+1", '"\\x41"', '"\\u12G4"', '"tab\there"', "[1,]", '{"a":1,}', "{,}", "nul", "truex", '{"a" 1}', "[1 2]", "\u00a0[]");
    let valid = 0;
    for (const text of texts) {
      const expected = parses(text);
      expect([text, isJsonText(text)]).toEqual([text, expected]);
      if (expected) valid++;
    }
    expect(valid).toBeGreaterThan(3000);
    expect(valid).toBeLessThan(texts.length - 3000);
  });

  test("does not read containers nested deeper than MAX_JSON_DEPTH (JSON.parse does; no JWT header nests so)", () => {
    expect(isJsonText("[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH))).toBe(true);
    expect(isJsonText("[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1))).toBe(false);
    expect(isJsonText("[".repeat(100_000))).toBe(false);
  });
});
