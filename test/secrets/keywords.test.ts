/**
 * The keyword pass against a plain search: every occurrence of every keyword, ASCII
 * case-insensitively, in order of where it ends, on text the Latin-1 copy holds exactly and on
 * text it does not (characters above U+00FF whose low byte spells a keyword's letter).
 */
import { KeywordIndex } from "../../src/secrets/keywords.js";

let seed = 5;
function random(alphabet: readonly string[], n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[seed % alphabet.length];
  }
  return out;
}

const KEYWORDS = ["key", "api_key", "token", "sk", "sk-", "pat", "path", "b", "ab", "://", "eyj"];

function plainSearch(text: string): [number, string][] {
  const folded = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const hits: [number, number, string][] = [];
  for (const k of KEYWORDS) for (let i = folded.indexOf(k); i >= 0; i = folded.indexOf(k, i + 1)) hits.push([i + k.length, i, k]);
  hits.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return hits.map(([, start, k]) => [start, k]);
}

function pass(index: KeywordIndex, text: string): [number, string][] {
  const hits = index.find(text);
  const out: [number, string][] = [];
  for (let h = 0; h < hits.count; h++) out.push([hits.starts[h]!, index.keywords[hits.keywords[h]!]!]);
  return out;
}

describe("KeywordIndex", () => {
  const index = new KeywordIndex(KEYWORDS);

  test.each([
    ["Latin-1 text", ["k", "e", "y", "K", "E", "Y", "a", "p", "i", "_", "t", "o", "n", "s", "-", "h", "b", "B", ":", "/", "j", " ", "é", "\u00ff"]],
    // U+0142 and U+0162 end in 0x42 ("B") and 0x62 ("b"); U+016B in 0x6B ("k"), U+0165 in 0x65 ("e").
    ["text beyond Latin-1", ["k", "e", "y", "a", "p", "i", "_", "t", "s", "-", "b", "\u0142", "\u0162", "\u016b", "\u0165", "\u0179", " "]],
  ])("finds exactly what a plain search finds, in order, on %s", (_name, alphabet) => {
    let compared = 0;
    for (let k = 0; k < 400; k++) {
      const text = random(alphabet, 1 + (k % 200));
      const expected = plainSearch(text);
      expect([text, pass(index, text)]).toEqual([text, expected]);
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(1000);
  });

  test("walks long texts in two halves with the same hits, keywords across the middle included", () => {
    const pieces = ["key", "api_", "ap", "tok", "en", "sk", "-", "pat", "h", "b", "a", "://", "eyJ", "K", " ", "\u0142"];
    let compared = 0;
    for (let k = 0; k < 60; k++) {
      const text = random(pieces, 400 + k * 13);
      const expected = plainSearch(text);
      expect(pass(index, text)).toEqual(expected);
      compared += expected.length;
    }
    // A keyword astride the middle of a long text.
    for (const length of [1024, 1025, 4096, 4097]) {
      const middle = (length + 1) >> 1;
      for (let shift = -7; shift <= 1; shift++) {
        const text = "x".repeat(middle + shift) + "api_key" + "x".repeat(Math.max(0, length - middle - shift - 7));
        expect(pass(index, text)).toEqual(plainSearch(text));
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });

  test("reports which keywords are present, and handles texts longer than any before", () => {
    const text = "x".repeat(200_000) + "API_KEY" + "\u0142".repeat(3);
    const hits = index.find(text);
    expect(pass(index, text)).toEqual([[200_000, "api_key"], [200_004, "key"]]);
    expect(KEYWORDS.filter((_k, i) => hits.present[i] === 1)).toEqual(["key", "api_key"]);
    expect(pass(index, "Sk-")).toEqual([[0, "sk"], [0, "sk-"]]);
  });

  test("lists no hit of a keyword asked about only as present, and still marks it present, on short and long texts", () => {
    const presenceOnly = new Set([KEYWORDS.indexOf("token"), KEYWORDS.indexOf("b")]);
    const some = new KeywordIndex(KEYWORDS, presenceOnly);
    for (const text of ["token api_key ab", random(["token", " ", "api_key", "ab", "x", "\u0142"], 3000)]) {
      const all = pass(index, text);
      expect(pass(some, text)).toEqual(all.filter(([, k]) => k !== "token" && k !== "b"));
      expect([...some.find(text).present]).toEqual([...index.find(text).present]);
      expect(all.some(([, k]) => k === "token")).toBe(true);
    }
  });

  test("hands back the text itself, or for keyword-dense Latin-1 text a copy with the same characters", () => {
    const dense = "token api_key \u00e9 ".repeat(200).slice(3);
    expect(index.find(dense).text).toBe(dense);
    const sparse = "token" + "x".repeat(5000);
    expect(index.find(sparse).text).toBe(sparse);
    const beyondLatin1 = "token \u0142 ".repeat(200);
    expect(index.find(beyondLatin1).text).toBe(beyondLatin1);
    for (let k = 0; k < 200; k++) {
      const text = random(["a", "k", "e", "y", "\u00ff", "\u0080", "\n", "\u0000"], k * 7);
      expect(index.find(text).text).toBe(text);
    }
  });
});
