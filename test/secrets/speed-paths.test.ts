/**
 * The fast paths of the scanner against plain reference versions: the one-pass made-up-body
 * test, and group offsets taken without the `d` flag when the only group is at a pattern's edge.
 */
import { ASSIGN, assignmentCanStart, assignmentEnds, BLANK_SEPARATED_REACH, nameRunEnd } from "../../src/secrets/assignment.js";
import { BUILTIN_RULES } from "../../src/secrets/builtin-rules.js";
import { looksMadeUp } from "../../src/secrets/placeholders.js";
import { analyzePattern, compileAnchored, edgeGroup, fitsFixedStart, fixedStart, patternAlphabet } from "../../src/secrets/pattern.js";
import { draw, parsePattern } from "./corpus.js";

/** The definition, one period at a time. */
function madeUpReference(body: string): boolean {
  const n = body.length;
  if (n < 8) return false;
  for (let p = 1; p <= 8; p++) {
    const need = Math.max(7, 2 * p);
    let stretch = 0;
    for (let i = 0; i + p < n; i++) {
      if (body[i] === body[i + p]) {
        if (++stretch >= need) return true;
      } else stretch = 0;
    }
  }
  let up = 0;
  let down = 0;
  for (let i = 1; i < n; i++) {
    const step = body.charCodeAt(i) - body.charCodeAt(i - 1);
    up = step === 1 ? up + 1 : 0;
    down = step === -1 ? down + 1 : 0;
    if (up >= 5 || down >= 5) return true;
  }
  return false;
}

let seed = 11;
function random(alphabet: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out += alphabet[seed % alphabet.length];
  }
  return out;
}

describe("looksMadeUp", () => {
  test("agrees with the definition on random and structured bodies", () => {
    const bodies: string[] = ["", "abcdefg", "aaaaaaaa", "abcdef", "fedcba", "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007"];
    for (const alphabet of ["ab", "abc", "0123", "0123456789abcdef", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"]) {
      for (let k = 0; k < 400; k++) bodies.push(random(alphabet, 8 + (k % 60)));
    }
    for (let p = 1; p <= 9; p++) {
      const unit = random("0123456789abcdefghijklmnopqrstuvwxyz", p);
      for (let times = 1; times <= 5; times++) bodies.push("Qz" + unit.repeat(times) + unit.slice(0, 3) + "Zq");
    }
    let madeUp = 0;
    for (const body of bodies) {
      expect([body, looksMadeUp(body)]).toEqual([body, madeUpReference(body)]);
      if (madeUpReference(body)) madeUp++;
    }
    // Both outcomes are exercised.
    expect(madeUp).toBeGreaterThan(50);
    expect(bodies.length - madeUp).toBeGreaterThan(50);
  });
});

describe("edgeGroup", () => {
  test("finds the only capturing group at either edge, never a quantified or inner one", () => {
    expect(edgeGroup("abc(?:x|y)([a-z]{4})")).toBe("end");
    expect(edgeGroup("([a-z]{4})@x")).toBe("start");
    expect(edgeGroup("([a-z]{4})?@x")).toBeNull();
    expect(edgeGroup("a([a-z]{4})b")).toBeNull();
    expect(edgeGroup("a[(]([a-z]{4})")).toBe("end");
    expect(edgeGroup("a\\(b([)]{4})")).toBe("end");
    expect(edgeGroup("(?:a(b))")).toBeNull();
    expect(edgeGroup("abc")).toBeNull();
  });

  test("native offsets without the d flag equal those with it, for every built-in keyed pattern", () => {
    const text = 'api_key = "0123abcd0123abcd0123abcd0123abcd" token: Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA';
    let compared = 0;
    for (const rule of BUILTIN_RULES) {
      if (!rule.pattern || edgeGroup(rule.pattern) === null) continue;
      const regex = new RegExp(rule.pattern, `yd${rule.ignoreCase ? "i" : ""}`);
      const pattern = compileAnchored(rule.pattern, { engine: "native", ignoreCase: rule.ignoreCase === true });
      for (let start = 0; start < text.length; start++) {
        regex.lastIndex = start;
        const m = regex.exec(text);
        const expected = m ? [m.index, m.index + m[0].length, ...(m.indices?.[1] ?? [-1, -1])] : null;
        expect([rule.id, start, pattern.matchAt(text, start)]).toEqual([rule.id, start, expected]);
        if (m) compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe("assignmentCanStart", () => {
  test("holds wherever ASSIGN matches (it only skips places where no keyed rule can match)", () => {
    const assign = new RegExp(ASSIGN, "y");
    const alphabet = "aZ9_.-\\\"']:=?+,>| \t\nvalue&x";
    let matched = 0;
    let skipped = 0;
    for (let k = 0; k < 3000; k++) {
      const text = random(alphabet, 1 + (k % 50)) + (k % 3 === 0 ? "a".repeat(30) + ".=" : "");
      for (let start = 0; start <= text.length; start++) {
        assign.lastIndex = start;
        const can = assignmentCanStart(text, start, nameRunEnd(text, start));
        if (assign.exec(text)) {
          expect([text, start, can]).toEqual([text, start, true]);
          matched++;
        } else if (!can) skipped++;
      }
    }
    expect(matched).toBeGreaterThan(1000);
    expect(skipped).toBeGreaterThan(1000);
  });
});

describe("assignmentEnds", () => {
  test("lists exactly the offsets where ASSIGN can end, on ASCII text", () => {
    const whole = new RegExp(`^(?:${ASSIGN})$`);
    const alphabet = "aZ9_.-\\\"'`]:=?+,>|& \t\nvalueVALUErbu@x";
    const out = new Int32Array(512);
    let ends = 0;
    for (let k = 0; k < 700; k++) {
      const text = random(alphabet, 1 + (k % 40)) + (k % 3 === 0 ? "a".repeat(30) + ".=" : "") + (k % 5 === 0 ? " String = " : "");
      for (let start = 0; start <= text.length; start++) {
        const runEnd = nameRunEnd(text, start);
        const count = assignmentCanStart(text, start, runEnd) ? assignmentEnds(text, start, runEnd, out) : 0;
        const found = [...out.subarray(0, count)].sort((a, b) => a - b);
        const expected: number[] = [];
        for (let end = start; end <= Math.min(text.length, start + 130); end++) if (whole.test(text.slice(start, end))) expected.push(end);
        expect([text, start, found]).toEqual([text, start, expected]);
        ends += expected.length;
      }
    }
    expect(ends).toBeGreaterThan(1000);
  });

  test("without the blank operator, keeps every end but those only a blank operator and no block scalar lead to", () => {
    // The same reading with `[ \t]` removed from ASSIGN's operators, plus (a superset) the way
    // through blanks to a block scalar.
    const whole = new RegExp(`^(?:${ASSIGN})$`);
    const withoutBlank = new RegExp(`^(?:${ASSIGN.replace("|[ \\t]))", "))")})$`);
    expect(withoutBlank.source).not.toBe(whole.source);
    const alphabet = "aZ9_.-\\\"'`]:=?+,>|& \t\nvaluex";
    const out = new Int32Array(512);
    let dropped = 0;
    for (let k = 0; k < 500; k++) {
      const text = random(alphabet, 1 + (k % 40));
      for (let start = 0; start <= text.length; start++) {
        const runEnd = nameRunEnd(text, start);
        const can = assignmentCanStart(text, start, runEnd);
        const found = new Set(can ? out.subarray(0, assignmentEnds(text, start, runEnd, out, false)) : []);
        const all = new Set(can ? out.subarray(0, assignmentEnds(text, start, runEnd, out, true)) : []);
        for (let end = start; end <= Math.min(text.length, start + 130); end++) {
          const read = text.slice(start, end);
          const kept = withoutBlank.test(read) || (whole.test(read) && /[|>]/.test(read));
          if (kept) expect([text, start, end, found.has(end)]).toEqual([text, start, end, true]);
        }
        for (const end of found) expect([text, start, end, all.has(end)]).toEqual([text, start, end, true]);
        dropped += all.size - found.size;
      }
    }
    expect(dropped).toBeGreaterThan(100);
  });

  test("BLANK_SEPARATED_REACH covers the longest ASSIGN and the longest keyed value", () => {
    const longestValue = Math.max(...BUILTIN_RULES.filter((r) => r.pattern?.startsWith(ASSIGN)).map((r) => analyzePattern(r.pattern!.slice(ASSIGN.length)).maxLength));
    expect(analyzePattern(ASSIGN).maxLength + longestValue + 1).toBeLessThanOrEqual(BLANK_SEPARATED_REACH);
  });

  test("never misses an end on text with characters beyond ASCII (it may list more)", () => {
    const whole = new RegExp(`^(?:${ASSIGN})$`);
    const alphabet = "a_.\"]:= \t\n|>\u00a0\u2028\u3000é";
    const out = new Int32Array(512);
    for (let k = 0; k < 800; k++) {
      const text = random(alphabet, 1 + (k % 30));
      for (let start = 0; start <= text.length; start++) {
        const runEnd = nameRunEnd(text, start);
        const count = assignmentCanStart(text, start, runEnd) ? assignmentEnds(text, start, runEnd, out) : 0;
        const found = new Set(out.subarray(0, count));
        for (let end = start; end <= text.length; end++) {
          if (whole.test(text.slice(start, end))) expect([text, start, end, found.has(end)]).toEqual([text, start, end, true]);
        }
      }
    }
  });
});

describe("gates before a pattern runs", () => {
  const keyed = BUILTIN_RULES.filter((r) => r.pattern?.startsWith(ASSIGN));
  const others = BUILTIN_RULES.filter((r) => r.pattern !== undefined && !r.pattern.startsWith(ASSIGN) && r.ignoreCase !== true);

  test("every keyed rule's value has an alphabet, and every drawn value fits its gate", () => {
    for (const rule of keyed) {
      const value = rule.pattern!.slice(ASSIGN.length);
      const alphabet = patternAlphabet(value);
      expect([rule.id, alphabet === null]).toEqual([rule.id, false]);
      const regex = new RegExp(`^${value}$`);
      for (let k = 0; k < 30; k++) {
        const drawn = draw(parsePattern(value), "random").text;
        if (!regex.test(drawn)) continue;
        const outside = [...drawn].filter((c) => (c.charCodeAt(0) < 128 ? alphabet!.ascii[c.charCodeAt(0)] !== 1 : !alphabet!.beyondAscii));
        expect([rule.id, drawn, outside]).toEqual([rule.id, drawn, []]);
      }
    }
  });

  test("every drawn match of a rule fits the rule's fixed start", () => {
    let checked = 0;
    for (const rule of others) {
      const fixed = fixedStart(rule.pattern!);
      if (!fixed) continue;
      const regex = new RegExp(`^(?:${rule.pattern})`);
      for (let k = 0; k < 30; k++) {
        const drawn = draw(parsePattern(rule.pattern!), "random").text;
        if (!regex.test(drawn)) continue;
        expect([rule.id, drawn, fitsFixedStart(drawn, 0, fixed)]).toEqual([rule.id, drawn, true]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  test("reads classes, escapes, repeats and stops where offsets vary", () => {
    const shape = (source: string) => {
      const f = fixedStart(source);
      return f?.ascii.map((t) => String.fromCharCode(...[...t.keys()].filter((c) => t[c] === 1))) ?? null;
    };
    expect(shape(String.raw`pat[a-c]{2}\.x+y`)).toEqual(["p", "a", "t", "abc", "abc", ".", "x"]);
    expect(shape(String.raw`sk_(?:live)`)).toEqual(["s", "k", "_"]);
    expect(shape(String.raw`ab?c`)).toEqual(["a"]);
    expect(shape(String.raw`\x60[0-1]{1,3}z`)).toEqual(["`", "01"]);
    expect(shape(String.raw`(?:a|b)c`)).toBeNull();
    const alphabet = patternAlphabet(String.raw`[^\s"]{2}|[a-b]\]`);
    expect(alphabet?.beyondAscii).toBe(true);
    expect([" ", '"', "\n", "a", "]", "~"].map((c) => alphabet!.ascii[c.charCodeAt(0)])).toEqual([0, 0, 0, 1, 1, 1]);
    expect(patternAlphabet(String.raw`\bx`)).toBeNull();
  });
});
