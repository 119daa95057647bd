/**
 * The fast paths of the scanner against plain reference versions: the one-pass made-up-body
 * test, and group offsets taken without the `d` flag when the only group is at a pattern's edge.
 */
import { ASSIGN, assignmentCanStart, assignmentReading, BLANK_SEPARATED_REACH, matchesNoWhitespace, nameRunEnd, NO_OPERATOR, ONLY_BLANK_OPERATOR, OPERATOR, plainEqualsReach, TYPE_EQUALS_AFTER_NAME, TYPED_EQUALS_REACH, TYPED_OPERATOR, TypedDeclaration, typedDeclarationReach, valueFloor, valueReach } from "../../src/secrets/assignment.js";
import { BUILTIN_RULES } from "../../src/secrets/builtin-rules.js";
import { containsStopWord, looksMadeUp, STOP_WORDS } from "../../src/secrets/placeholders.js";
import { characterKinds, CHECKS, CONTEXT_CHECKS, decodePrintableBase64, entropy, readsAsCode, SECRET_KEEPING_CHECKS, SECRET_ONLY_CHECKS, SECRET_TESTS, separatorFits } from "../../src/secrets/checks.js";
import { analyzePattern, compileAnchored, groupPlacement, type GroupPlacement } from "../../src/secrets/pattern.js";
import { admitsAt, afterLiteralShape, JudgingMemo, keywordGates, LastAttempt, literalRunOf, matchAfterName, matchTypedDeclaration, nextEquals, passesGate, runMatch, SecretScanner, settingNameVariants, ValueCuts } from "../../src/secrets/scanner.js";
import { secretsOptions } from "../../src/secrets/options.js";
import { buildCorpus, draw, parsePattern } from "./corpus.js";
import type { CheckName } from "../../src/secrets/types.js";

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
    // Repeats and runs of every length near the threshold, at every offset of a random body.
    const runs = ["a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh"].flatMap((unit) => [1, 2, 3].map((t) => unit.repeat(t) + unit.slice(0, 3)));
    runs.push("012345", "01234", "fedcba", "edcba", "aaaaaaa", "aaaaaaaa", "9876543", "VWXYZ[");
    for (const run of runs) {
      for (let at = 0; at <= 10; at++) bodies.push(random("KMPRTW2468", at) + run + random("KMPRTW2468", 10 - at), random("KMPRTW2468", at) + run, run + random("KMPRTW2468", at));
    }
    let madeUp = 0;
    for (const body of bodies) {
      expect([body, looksMadeUp(body)]).toEqual([body, madeUpReference(body)]);
      // Read in place inside a longer text, whose neighbours must not count.
      expect([body, looksMadeUp(`aaaaaaaa${body}12345678`, 8, 8 + body.length)]).toEqual([body, madeUpReference(body)]);
      if (madeUpReference(body)) madeUp++;
    }
    // Both outcomes are exercised.
    expect(madeUp).toBeGreaterThan(50);
    expect(bodies.length - madeUp).toBeGreaterThan(50);
  });
});

describe("JudgingMemo", () => {
  test("made-up verdicts for overlapping and repeated bodies of one text are the definition's", () => {
    // A text of random stretches and runs; bodies are read from it at every nesting: a body, the
    // parts of it that later matches take (same end, later start; same start, earlier end), and
    // the same value again further on.
    const pieces: string[] = [];
    for (let k = 0; k < 60; k++) pieces.push(random("ABCDEFGHJKMNPQRSTUVWXYZ23456789", 5 + (k % 23)), ["aaaaaaa", "abcdef", "xyxyxyxyxy", "", "5432"][k % 5]!);
    const text = pieces.join("");
    const memo = new JudgingMemo();
    let checked = 0;
    let madeUp = 0;
    for (let at = 0; at + 40 <= text.length; at += 7) {
      const length = 8 + (at % 90);
      const end = Math.min(text.length, at + length);
      for (const [from, to] of [[at, end], [at + 3, end], [at + 9, end], [at, end - 4], [at + 2, end - 11]] as const) {
        const body = text.slice(from, to);
        expect([from, to, memo.madeUp(body, from)]).toEqual([from, to, madeUpReference(body)]);
        checked++;
        if (madeUpReference(body)) madeUp++;
      }
    }
    // The same bodies again, as a file repeating its values.
    for (let at = 0; at + 40 <= text.length; at += 13) {
      const body = text.slice(at, at + 30);
      expect([at, memo.madeUp(body, text.length + at)]).toEqual([at, madeUpReference(body)]);
    }
    expect(checked).toBeGreaterThan(500);
    expect(madeUp).toBeGreaterThan(50);
    expect(checked - madeUp).toBeGreaterThan(50);
  });

  test("a verdict is kept per rule and value", () => {
    const memo = new JudgingMemo();
    expect(memo.verdict(1, "value")).toBeUndefined();
    memo.remember(1, "value", false);
    memo.remember(2, "value", true);
    memo.remember(300, "value", true);
    memo.remember(0, "other", true);
    expect([memo.verdict(0, "value"), memo.verdict(1, "value"), memo.verdict(2, "value"), memo.verdict(300, "value"), memo.verdict(1, "other"), memo.verdict(0, "other")]).toEqual([undefined, false, true, true, undefined, true]);
    // Judged as another text (a decoded password): its own verdict, whatever the texts spell.
    memo.remember(1, "ab", true, "c");
    expect([memo.verdict(1, "ab", "c"), memo.verdict(1, "ab"), memo.verdict(1, "a", "bc"), memo.verdict(1, "2:abc")]).toEqual([true, undefined, undefined, undefined]);
    memo.remember(1, "2:abc", false);
    expect([memo.verdict(1, "2:abc"), memo.verdict(1, "ab", "c")]).toEqual([false, true]);
    // The last value a rule judged, kept for the next lookup, answers for that rule and value only.
    const last = new JudgingMemo();
    last.remember(4, "x1", true);
    last.remember(5, "x1", false);
    last.remember(4, "y2", false);
    expect([last.verdict(4, "y2"), last.verdict(4, "x1"), last.verdict(5, "x1"), last.verdict(4, "x1"), last.verdict(5, "y2"), last.verdict(4, "x1", "z")]).toEqual([false, true, false, true, undefined, undefined]);
    last.remember(6, "ab", true, "c");
    expect([last.verdict(6, "ab", "c"), last.verdict(6, "ab", "d"), last.verdict(6, "ab"), last.verdict(6, "ab", "c")]).toEqual([true, undefined, undefined, true]);
  });
});

describe("ValueCuts", () => {
  // Which string object a cut returns cannot be observed from JavaScript (equal strings are
  // identical to every operator); what a cut must be is the slice it stands for.
  test("a cut is the text's characters, at repeated, equal and different offsets", () => {
    const value = "LTAIjZEXAMPLExeWSQB";
    const text = `API_KEY="${value}"\nAPI_KEY="${value}"\nAPI_KEY="LTAI${"b".repeat(15)}"\nAPI_KEY="${value}"\nk=ab\nk=ab\n`;
    const cuts = new ValueCuts(text);
    // Where the n-th (from 0) `LTAI` starts.
    const at = (n: number) => {
      let i = -1;
      for (let k = 0; k <= n; k++) i = text.indexOf("LTAI", i + 1);
      return i;
    };
    const first = cuts.cut(at(0), at(0) + 19);
    expect(first).toBe(value);
    expect(cuts.cut(at(0), at(0) + 19)).toBe(first);
    const second = cuts.cut(at(1), at(1) + 19);
    expect(second).toBe(value);
    expect(cuts.cut(at(1), at(1) + 4)).toBe("LTAI");
    expect(cuts.cut(at(2), at(2) + 19)).toBe(`LTAI${"b".repeat(15)}`);
    expect(cuts.cut(at(3), at(3) + 19)).toBe(value);
    const short = text.indexOf("ab");
    expect([cuts.cut(short, short + 2), cuts.cut(short + 5, short + 7), cuts.cut(short, short)]).toEqual(["ab", "ab", ""]);
    // Every cut of a scan is the slice it stands for, whatever the order of offsets.
    for (let i = 0; i < 400; i++) {
      const start = (i * 37) % text.length;
      const end = Math.min(text.length, start + ((i * 11) % 25));
      expect(cuts.cut(start, end)).toBe(text.slice(start, end));
    }
  });
});

describe("nextEquals", () => {
  test("is indexOf's first = at or after an offset, near it, far from it and past the end", () => {
    const texts = ["", "=", "a=b", "token = token = ", `${"x".repeat(7)}=`, `${"x".repeat(8)}=`, `${"x".repeat(9)}=y=`, "no equals here at all", `${"a".repeat(40)}==`];
    for (const text of texts) {
      for (let from = 0; from <= text.length + 1; from++) expect([text, from, nextEquals(text, from)]).toEqual([text, from, text.indexOf("=", from)]);
    }
  });
});

describe("containsStopWord", () => {
  test("is whether the lower-cased value includes any of the words, for the built-in list and words full of pattern characters", () => {
    const lists = [STOP_WORDS, ["a.b", "x*", "(y)", "[z]", "\\", "^q$", "a|b", "{2}", "c-d", "/e/"], ["never"], [""]];
    let found = 0;
    for (let k = 0; k < 6000; k++) {
      const value = random("aAbBxXyYzZqQ.*()[]\\^$|{}2c-d/eTeStPASSwordKK\u0130", 1 + (k % 24)) + (k % 7 === 0 ? "Example" : "");
      for (const words of lists) {
        const expected = words.some((w) => value.toLowerCase().includes(w));
        expect([value, words.length, containsStopWord(value, words)]).toEqual([value, words.length, expected]);
        if (expected) found++;
      }
    }
    expect(found).toBeGreaterThan(6000);
  });
});

describe("SECRET_KEEPING_CHECKS", () => {
  test("only pass or fail a match, or set its severity: on every rule's labelled cases, no outcome moves the secret, extends the match or names a text to judge; SECRET_TESTS pass wherever their check does", () => {
    const cases = buildCorpus();
    let outcomes = 0;
    let secretTestFailures = 0;
    let secretOnlyFailures = 0;
    // The scanner reads these only for rules whose memo verdict it reads first, and runs a
    // secret test's context check in place of the check.
    expect([...SECRET_ONLY_CHECKS, ...Object.keys(SECRET_TESTS)].filter((c) => !SECRET_KEEPING_CHECKS.has(c as CheckName))).toEqual([]);
    expect(Object.keys(CONTEXT_CHECKS).sort()).toEqual(Object.keys(SECRET_TESTS).sort());
    for (const rule of BUILTIN_RULES) {
      if (!rule.pattern || !rule.check || !SECRET_KEEPING_CHECKS.has(rule.check)) continue;
      const pattern = compileAnchored(rule.pattern, { engine: "native", ignoreCase: rule.ignoreCase === true });
      for (const c of cases.filter((x) => x.rule === rule.id).slice(0, SECRET_ONLY_CHECKS.has(rule.check) ? 80 : 12)) {
        for (let start = 0; start < c.text.length; start++) {
          const m = pattern.matchAt(c.text, start);
          if (!m) continue;
          const input = { text: c.text, matchStart: m[0]!, matchEnd: m[1]!, secretStart: m[2]! >= 0 ? m[2]! : m[0]!, secretEnd: m[3]! >= 0 ? m[3]! : m[1]! };
          const outcome = CHECKS[rule.check](input);
          const secretTest = SECRET_TESTS[rule.check];
          if (secretTest !== undefined) {
            // A test of the secret alone that the check needs, and the rest: together, the check.
            const passes = secretTest(input.text, input.secretStart, input.secretEnd);
            if (outcome !== null) expect([rule.id, c.text, passes]).toEqual([rule.id, c.text, true]);
            if (!passes) secretTestFailures++;
            expect([rule.id, c.text, passes && CONTEXT_CHECKS[rule.check]!(input) !== null]).toEqual([rule.id, c.text, outcome !== null]);
          }
          if (SECRET_ONLY_CHECKS.has(rule.check)) {
            // The secret cut out of its text: the same verdict.
            const secret = c.text.slice(input.secretStart, input.secretEnd);
            const alone = CHECKS[rule.check]({ text: secret, matchStart: 0, matchEnd: secret.length, secretStart: 0, secretEnd: secret.length });
            expect([rule.id, c.text, alone !== null]).toEqual([rule.id, c.text, outcome !== null]);
            if (outcome === null) secretOnlyFailures++;
          }
          if (outcome === null) continue;
          outcomes++;
          expect([rule.id, Object.keys(outcome).filter((k) => k !== "severity" && k !== "matchEnd"), outcome.matchEnd ?? input.matchEnd]).toEqual([rule.id, [], input.matchEnd]);
        }
      }
    }
    expect(outcomes).toBeGreaterThan(500);
    expect(secretTestFailures).toBeGreaterThan(20);
    expect(secretOnlyFailures).toBeGreaterThan(5);
  });
});

describe("judgedParts", () => {
  test("a Kubernetes Secret's entries judged once per scan give the outcomes judged afresh, on every labelled case", () => {
    const rule = BUILTIN_RULES.find((r) => r.id === "kubernetes-secret-manifest")!;
    const pattern = compileAnchored(rule.pattern!, { engine: "native" });
    const check = CHECKS[rule.check!];
    // One store for every case, each case checked twice: entries recur across and within them.
    const judgedParts = { encoded: new Map<string, string | null>(), plain: new Map<string, string | null>() };
    let compared = 0;
    let passed = 0;
    // The labelled cases, and manifests of three entries each drawn from values that do and do
    // not read as secrets, under data: (base64) and stringData: (plain).
    const values = ["admin", "changeme-please", "q8Zr2LmX4vNp7TkW9sYb3HdJ", "-----BEGIN CERTIFICATE-----\nMIIB", "${DB_PASSWORD}", "db.internal.svc:5432", "{{ .Values.token }}"];
    const manifests: string[] = [];
    for (let k = 0; k < values.length ** 3; k++) {
      const picked = [0, 1, 2].map((n) => values[Math.floor(k / values.length ** n) % values.length]!);
      const plain = k % 2 === 1;
      const entries = picked.map((v, n) => `  key${n}: ${plain ? JSON.stringify(v) : Buffer.from(v).toString("base64")}\n`).join("");
      manifests.push(`kind: Secret\n${plain ? "stringData" : "data"}:\n${entries}`);
    }
    const texts = [...buildCorpus().filter((x) => x.rule === rule.id || x.text.includes("kind: Secret")).map((x) => x.text), ...manifests];
    for (const c of texts.map((text) => ({ text }))) {
      for (const block of c.text.matchAll(/(?:stringData|data):/g)) {
        {
          const m = pattern.matchAt(c.text, block.index);
          if (!m) continue;
          const input = { text: c.text, matchStart: m[0]!, matchEnd: m[1]!, secretStart: m[2]!, secretEnd: m[3]! };
          const fresh = check(input);
          for (let round = 0; round < 2; round++) expect([c.text, check({ ...input, judgedParts })]).toEqual([c.text, fresh]);
          compared++;
          if (fresh) passed++;
        }
      }
    }
    expect(judgedParts.encoded.size + judgedParts.plain.size).toBeGreaterThan(20);
    expect(compared).toBeGreaterThan(300);
    expect(passed).toBeGreaterThan(100);
  });

  test("a Secret's walk passes comment lines within 16 characters, stops at another indentation, and reads long values", () => {
    const rule = BUILTIN_RULES.find((r) => r.id === "kubernetes-secret-manifest")!;
    const pattern = compileAnchored(rule.pattern!, { engine: "native" });
    const check = CHECKS[rule.check!];
    const b64 = (v: string) => Buffer.from(v).toString("base64");
    const secret = "q8Zr2LmX4vNp7TkW9sYb3HdJ";
    const found = (text: string) => {
      const m = pattern.matchAt(text, text.search(/(?:stringData|data):/));
      if (!m) return "no match";
      const outcome = check({ text, matchStart: m[0]!, matchEnd: m[1]!, secretStart: m[2]!, secretEnd: m[3]! });
      return outcome ? text.slice(outcome.secretStart ?? m[2]!, outcome.secretEnd ?? m[3]!) : null;
    };
    const manifest = (between: string, indent = "  ") => `kind: Secret\ndata:\n  username: ${b64("admin")}\n${between}${indent}password: ${b64(secret)}\n`;
    expect(found(manifest(""))).toBe(b64(secret));
    expect(found(manifest("  # rotated monthly\n"))).toBe(b64(secret));
    expect(found(manifest("\t#\n  #another\n"))).toBe(b64(secret));
    expect(found(manifest(`${" ".repeat(15)}# far right\n`))).toBe(b64(secret));
    // Sixteen blanks before the `#`: not read as a comment, and no entry at an indentation of 8 or less.
    expect(found(manifest(`${" ".repeat(16)}# too far\n`))).toBeNull();
    expect(found(manifest("", "    "))).toBeNull();
    expect(found(manifest("", "\t\t"))).toBeNull();
    // A comment on the last line, and a file ending without a line break.
    expect(found(`kind: Secret\ndata:\n  username: ${b64("admin")}\n  # end`)).toBeNull();
    expect(found(`kind: Secret\ndata:\n  username: ${b64("admin")}\n  password: ${b64(secret)}`)).toBe(b64(secret));
    // A value longer than the pattern takes: the finding is what the pattern took.
    const long = random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 1200);
    expect(found(`kind: Secret\nstringData:\n  token: ${long}\n`)).toBe(long.slice(0, 1000));
  });
});

describe("decodePrintableBase64", () => {
  test("is Buffer's base64 decoding where every decoded byte is printable ASCII, else null", () => {
    const reference = (s: string) => {
      const decoded = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString("latin1");
      return decoded !== "" && /^[\x20-\x7e]*$/.test(decoded) ? decoded : null;
    };
    // Printable text encoded (both alphabets, every padding), random base64, and stray characters.
    const texts: string[] = [];
    for (let k = 0; k < 4000; k++) {
      const plain = random("abcXYZ019:!~ _-", k % 23);
      const encoded = Buffer.from(plain, "latin1").toString(k % 2 === 0 ? "base64" : "base64url");
      texts.push(encoded, encoded.replace(/=+$/, ""), encoded + "=", random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_", k % 40), random("QUJDREVG=.* \n", k % 12));
    }
    let printable = 0;
    for (const text of texts) {
      const expected = reference(text);
      expect([text, decodePrintableBase64(text)]).toEqual([text, expected]);
      if (expected !== null) printable++;
    }
    expect(printable).toBeGreaterThan(4000);
    expect(texts.length - printable).toBeGreaterThan(4000);
  });
});

describe("separatorFits", () => {
  /** The definition, on the separator's text. */
  function separatorReference(text: string, separator: string, secretEnd: number): boolean {
    const isQuote = (c: string | undefined) => c === '"' || c === "'" || c === "`";
    if (/[=:]/.test(separator)) return true;
    if (separator.includes(",")) return isQuote(separator[separator.length - 1]);
    if (separator.includes(">")) return text.startsWith("</", secretEnd);
    let i = secretEnd;
    if (isQuote(text[i])) i++;
    while (text[i] === " " || text[i] === "\t" || text[i] === "\r") i++;
    return i >= text.length || text[i] === "\n";
  }

  test("agrees with the definition read from the separator's text", () => {
    const alphabet = "ab=:,>\"'` \t\r\n</";
    let fits = 0;
    let compared = 0;
    const disagreements: string[] = [];
    for (let k = 0; k < 3000; k++) {
      const text = random(alphabet, 1 + (k % 14));
      for (let matchStart = 0; matchStart < text.length; matchStart++) {
        for (let secretStart = matchStart; secretStart <= text.length; secretStart++) {
          const secretEnd = Math.min(text.length, secretStart + (k % 3));
          const expected = separatorReference(text, text.slice(matchStart, secretStart), secretEnd);
          if (separatorFits(text, matchStart, secretStart, secretEnd) !== expected) disagreements.push(`${JSON.stringify(text)} ${matchStart} ${secretStart} ${secretEnd}`);
          compared++;
          if (expected) fits++;
        }
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(fits).toBeGreaterThan(compared / 10);
    expect(compared - fits).toBeGreaterThan(compared / 10);
  });
});

describe("readsAsCode", () => {
  /** The definition: a property path by its regular expression (and its segments' lengths where it has digits), or a comment's start. */
  function readsAsCodeReference(value: string): boolean {
    const dotted = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) && (!/[0-9]/.test(value) || value.split(".").every((part) => part.length <= 24));
    return dotted || value.startsWith("/*");
  }

  test("agrees with the definition on paths, tokens with dots and random values", () => {
    const alphabet = "aZ_$9..//*-";
    const values = ["messages_1.Messages.Token", "this._printNextNode", "hvs.mU2qBSyiKQAJxklfB6lKw4Hg", `ab.${"c1".repeat(13)}`, `ab.${"c".repeat(30)}`, "/*#__PURE__*/", ".a.b", "a..b", "a.b.", "a.9b", "$.x", "x", ""];
    for (let k = 0; k < 6000; k++) {
      // Random text, and dotted segments of every length either side of the limit.
      values.push(k % 2 === 0 ? random(alphabet, k % 16) : Array.from({ length: 1 + (k % 4) }, (_, n) => random("aZ_$9", (k * (n + 3)) % 31)).join("."));
    }
    let code = 0;
    for (const value of values) {
      const text = `<${value}>`;
      const expected = readsAsCodeReference(value);
      expect([value, readsAsCode(text, 1, 1 + value.length, characterKinds(text, 1, 1 + value.length))]).toEqual([value, expected]);
      if (expected) code++;
    }
    expect(code).toBeGreaterThan(300);
    expect(values.length - code).toBeGreaterThan(3000);
  });
});

describe("characterKinds", () => {
  test("flags lower case, upper case, digits and anything else as the character classes do", () => {
    for (let k = 0; k < 3000; k++) {
      const text = random("aZ09_.-\u00e9\u3000 mQ", k % 20);
      const start = k % 3;
      const value = text.slice(start, text.length - (k % 2));
      const expected = (/[a-z]/.test(value) ? 1 : 0) | (/[A-Z]/.test(value) ? 2 : 0) | (/[0-9]/.test(value) ? 4 : 0) | (/[^A-Za-z0-9]/.test(value) ? 8 : 0);
      expect([value, characterKinds(text, start, start + value.length)]).toEqual([value, expected]);
    }
  });
});

describe("entropy", () => {
  test("equals the definition summed over a map, to the last bit, call after call", () => {
    const reference = (text: string) => {
      const counts = new Map<number, number>();
      for (let i = 0; i < text.length; i++) counts.set(text.charCodeAt(i), (counts.get(text.charCodeAt(i)) ?? 0) + 1);
      let bits = 0;
      for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
      return bits;
    };
    for (let k = 0; k < 2000; k++) {
      const text = random("aB3_\u00e9\u4e2d\ud83d\ude00xyzXYZ0123456789", k % 90);
      expect([text, entropy(text)]).toEqual([text, reference(text)]);
    }
    expect(entropy("")).toBe(0);
    expect(entropy("aaaa")).toBe(0);
    expect(entropy("ab")).toBe(1);
  });
});

describe("groupPlacement", () => {
  test("places the only capturing group after a fixed-length start, before a fixed-length end or after a captured start, never a quantified, inner or alternative one", () => {
    const cases: [string, GroupPlacement | null][] = [
      ["abc(?:x|y)([a-z]{4})", { from: "start", offset: 4 }],
      ["ab+(?:x|yz)([a-z]{4})", { from: "end", offset: 0 }],
      ["([a-z]{4})@x", { from: "start", offset: 0 }],
      ["a+:([a-z]{4,9})@[a-z]", { from: "end", offset: 2 }],
      ["a[(]([a-z]{4})", { from: "start", offset: 2 }],
      ["a\\(b([)]{4})", { from: "start", offset: 3 }],
      ["a+([a-z]{4})b+", { from: "captured", offset: 2 }],
      ["cloudinary://[0-9]{10,20}:([A-Za-z0-9_-]{20,40})@[A-Za-z0-9_-]{1,64}", { from: "captured", offset: 26 }],
      ["a+([a-z]{4})b+\\1", null],
      ["([a-z]{4})?@x", null],
      ["a([a-z]{4}){2}", null],
      ["a|b([a-z]{4})", null],
      ["(?:a(b))", null],
      ["x*(?:a(b))", null],
      ["(a)(b)", null],
      ["abc", null],
    ];
    for (const [source, expected] of cases) expect([source, groupPlacement(source)]).toEqual([source, expected]);
  });

  test("native offsets without the d flag equal those with it, for every built-in pattern whose group it places", () => {
    const scanner = new SecretScanner(secretsOptions.parse({}));
    const corpus = buildCorpus().filter((c) => c.positive);
    let placed = 0;
    let captured = 0;
    let compared = 0;
    for (const rule of BUILTIN_RULES) {
      const placement = rule.pattern ? groupPlacement(rule.pattern) : null;
      if (!rule.pattern || placement === null) continue;
      placed++;
      if (placement.from === "captured") captured++;
      const regex = new RegExp(rule.pattern, `yd${rule.ignoreCase ? "i" : ""}`);
      const pattern = compileAnchored(rule.pattern, { engine: "native", ignoreCase: rule.ignoreCase === true });
      // The rule's own positives (where it matches), and a text of other shapes.
      const texts = [...corpus.filter((c) => c.rule === rule.id).slice(0, 6).map((c) => c.text), 'api_key = "0123abcd0123abcd0123abcd0123abcd" token: Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA'];
      for (const text of texts) {
        for (let start = 0; start < text.length; start++) {
          regex.lastIndex = start;
          const m = regex.exec(text);
          const expected = m ? [m.index, m.index + m[0].length, ...(m.indices?.[1] ?? [-1, -1])] : null;
          expect([rule.id, start, pattern.matchAt(text, start)]).toEqual([rule.id, start, expected]);
          if (m) compared++;
        }
      }
    }
    expect(scanner.rules.length).toBeGreaterThan(placed);
    expect(placed).toBeGreaterThan(100);
    expect(captured).toBeGreaterThanOrEqual(2);
    expect(compared).toBeGreaterThan(1000);
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

describe("assignmentReading", () => {
  const whole = new RegExp(`^(?:${ASSIGN})$`);
  const withoutBlank = new RegExp(`^(?:${ASSIGN.replace("|[ \\t]))", "))")})$`);

  test("sees an operator wherever ASSIGN can end without a blank for operator (or through a block scalar), and blanks wherever it can end at all", () => {
    expect(withoutBlank.source).not.toBe(whole.source);
    const alphabet = "aZ9_.-\\\"'`]:=?+,>|& \t\nvaluex";
    let operators = 0;
    let blankOnly = 0;
    for (let k = 0; k < 2500; k++) {
      const text = random(alphabet, 1 + (k % 30)) + (k % 4 === 0 ? " String = x" : "");
      for (let start = 0; start <= text.length; start++) {
        const runEnd = nameRunEnd(text, start);
        if (!assignmentCanStart(text, start, runEnd)) continue;
        const reading = assignmentReading(text, runEnd);
        let any = false;
        let needsOperator = false;
        for (let end = start; end <= Math.min(text.length, start + 130); end++) {
          const read = text.slice(start, end);
          if (!whole.test(read)) continue;
          any = true;
          if (withoutBlank.test(read) || /[|>]/.test(read)) needsOperator = true;
        }
        if (needsOperator) expect([text, start, reading === OPERATOR || reading === TYPED_OPERATOR]).toEqual([text, start, true]);
        else if (any) expect([text, start, reading === NO_OPERATOR]).toEqual([text, start, false]);
        if (reading === OPERATOR || reading === TYPED_OPERATOR) operators++;
        if (reading === ONLY_BLANK_OPERATOR) blankOnly++;
      }
    }
    expect(operators).toBeGreaterThan(500);
    expect(blankOnly).toBeGreaterThan(100);
  });

  test("reads a type only where an `=` lies within TYPED_EQUALS_REACH, as the scanner's forward search for `=` finds it", () => {
    // The farthest `=` a typed operator has: 6 blanks, `&`, a 17-character type, 4 blanks, `:::=`.
    const typed = `token${" ".repeat(6)}&A${"b".repeat(16)}${" ".repeat(4)}:::=`;
    expect(typed.indexOf("=") - "token".length).toBe(TYPED_EQUALS_REACH);
    expect(assignmentReading(typed, 5)).toBe(TYPED_OPERATOR);
    expect(assignmentReading(typed, 5, -1)).toBe(ONLY_BLANK_OPERATOR);
    expect(assignmentReading("password password password", 8)).toBe(ONLY_BLANK_OPERATOR);
    // Typed declarations among lines without `=` and lines whose `=` lies far beyond the name,
    // each line longer than BLANK_SEPARATED_REACH (where only the typed reading lets a pattern
    // run): every planted secret is found in the joined text as in its own.
    const scanner = new SecretScanner(secretsOptions.parse({}));
    // Keyed rules only: a token of its own format would be found without its name.
    const keyed = new Set(BUILTIN_RULES.filter((r) => r.afterKeyword).map((r) => r.id));
    const planted = buildCorpus().filter((c) => c.positive && keyed.has(c.rule) && c.shape.startsWith("Go typed") && c.secret !== undefined);
    expect(planted.length).toBeGreaterThan(50);
    const filler = ["password password password", `token value ${"x".repeat(40)} = 1`, "", "var token string"];
    const tail = ` // ${"x ".repeat(BLANK_SEPARATED_REACH)}`;
    const joined = planted.map((c, i) => `${filler[i % filler.length]}${tail}\n${c.text}${tail}`).join("\n");
    const found = new Set(scanner.scanText(joined).map((m) => joined.slice(m.secretStart, m.secretEnd)));
    const alone = planted.filter((c) => scanner.scanText(c.text + tail).some((m) => c.text.slice(m.secretStart, m.secretEnd) === c.secret));
    expect(alone.length).toBeGreaterThan(50);
    for (const c of alone) expect([c.rule, found.has(c.secret!)]).toEqual([c.rule, true]);
  });

  test("BLANK_SEPARATED_REACH covers the longest ASSIGN and the longest keyed value", () => {
    const longestValue = Math.max(...BUILTIN_RULES.filter((r) => r.pattern?.startsWith(ASSIGN)).map((r) => analyzePattern(r.pattern!.slice(ASSIGN.length)).maxLength));
    expect(analyzePattern(ASSIGN).maxLength + longestValue + 1).toBeLessThanOrEqual(BLANK_SEPARATED_REACH);
  });
});

describe("matchAfterName", () => {
  test("finds what the whole pattern finds at the keyword's end, for every assignment rule", () => {
    const scanner = new SecretScanner(secretsOptions.parse({}));
    const rules = scanner.rules.filter((r) => r.afterName !== null);
    expect(rules.length).toBeGreaterThan(50);
    // Names, quotes, types and operators (`.=` after a name of every length up to the limit and
    // beyond), then values each rule's format may or may not take.
    const alphabet = "aZ9_.-\\\"']:=?+,>| \tx";
    const values = ["0123456789abcdef0123456789abcdef", "abcdefABCDEF0123456789ab", "12345678-1234-1234-1234-123456789abc", "x", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"];
    let compared = 0;
    let found = 0;
    for (let k = 0; k < 180; k++) {
      const name = k % 5 === 0 ? "a".repeat(26 + ((k / 5) % 12)) + "." : random(alphabet, k % 12);
      const operator = [" = ", ".= '", ": ", " string = \"", "=\"", " ", "=>"][k % 7]!;
      const text = `${name}${operator}${values[k % values.length]}${k % 2 === 0 ? "" : " tail"}`;
      for (const rule of rules) {
        for (let at = 0; at <= Math.min(text.length, 3); at++) {
          const runEnd = nameRunEnd(text, at);
          if (!assignmentCanStart(text, at, runEnd)) continue;
          const whole = rule.pattern!.matchAt(text, at);
          const after = matchAfterName(rule.afterName!, text, at, runEnd);
          // The same end and value; the match itself starts where the name ends.
          expect([rule.id, text, at, after && [...after.slice(1)]]).toEqual([rule.id, text, at, whole && [...whole.slice(1)]]);
          compared++;
          if (whole) found++;
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
    expect(found).toBeGreaterThan(300);
  });

  test("without the alternative of a type, finds what it finds wherever no = lies within TYPE_EQUALS_AFTER_NAME of the name's end, for every assignment rule", () => {
    const scanner = new SecretScanner(secretsOptions.parse({}));
    const rules = scanner.rules.filter((r) => r.afterName !== null);
    // Every shape of the labelled corpus (types, operators, quotes, block scalars) with its `=`
    // kept and taken away, and types followed by `=` just within and just beyond the reach.
    const texts = new Set<string>();
    buildCorpus().forEach((c, i) => {
      if (c.text.length > 300 || i % 8 !== 0) return;
      texts.add(c.text);
      texts.add(c.text.replaceAll("=", " "));
    });
    const value = '"A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"';
    for (let pad = 0; pad <= 3; pad++) {
      texts.add(`token\\"]  :${" ".repeat(4 + pad)}&${"T".repeat(17)}    :::= ${value}`);
      texts.add(`token\\"]  :    &${"T".repeat(17 + pad)}    :::= ${value}`);
      texts.add(`token\\"]  :    &${"T".repeat(17)}${" ".repeat(4 + pad)}:::= ${value}`);
      texts.add(`token\\"]  :    &${"T".repeat(17 - pad)}    :::= ${value}`);
    }
    let compared = 0;
    let untyped = 0;
    let found = 0;
    let foundUntyped = 0;
    for (const text of texts) {
      for (let at = 0; at < text.length; at++) {
        if (at > 0 && /[A-Za-z0-9_.-]/.test(text[at - 1]!)) continue;
        const runEnd = nameRunEnd(text, at);
        if (runEnd === at || !assignmentCanStart(text, at, runEnd)) continue;
        const equalsAt = text.indexOf("=", runEnd);
        const typeMayEnd = equalsAt >= 0 && equalsAt - runEnd <= TYPE_EQUALS_AFTER_NAME;
        if (!typeMayEnd) untyped++;
        for (const rule of rules) {
          const whole = matchAfterName(rule.afterName!, text, at, runEnd);
          if (whole) found++;
          if (typeMayEnd) continue;
          expect([rule.id, text, at, matchAfterName(rule.afterNameUntyped!, text, at, runEnd)]).toEqual([rule.id, text, at, whole]);
          compared++;
          if (whole) foundUntyped++;
        }
      }
    }
    expect(untyped).toBeGreaterThan(3000);
    expect(compared).toBeGreaterThan(300_000);
    expect(found).toBeGreaterThan(30_000);
    expect(foundUntyped).toBeGreaterThan(15_000);
    // A type's `=` as far as the alternative reaches is within it.
    const typed = new RegExp(String.raw`(?:\\?["'])?\]?[ \t]{0,2}:?[ \t]{1,4}&?[A-Za-z][A-Za-z0-9_]{0,16}[ \t]{0,4}(?::{0,3}=|[?+.]=)`, "y");
    const farthest = `\\"]  :    &${"T".repeat(17)}    :::=`;
    expect(typed.exec(farthest)?.[0].length).toBe(TYPE_EQUALS_AFTER_NAME + 1);
  });
});

describe("matchTypedDeclaration", () => {
  test("finds what matchAfterName finds wherever a typed declaration is read, for every assignment rule with a floor", () => {
    const scanner = new SecretScanner(secretsOptions.parse({}));
    const rules = scanner.rules.filter((r) => r.typedDeclaration !== null);
    expect(rules.length).toBeGreaterThan(50);
    // Declarations part by part, as for typedDeclarationReach, with values of every rule's
    // alphabet: long enough, one short, quoted, in a block scalar, run on from the type.
    const pick = (options: readonly string[], k: number) => options[k % options.length]!;
    const blanks = ["", " ", "\t", "  ", "    ", "      ", "       "];
    const types = ["string", "x", "String9", "value", "&str", "a".repeat(17), "b".repeat(18), "r", "abcdef0123456789abcdef0123456789ab"];
    const operators = ["=", ":=", "::=", "?=", "+=", ".=", "=>", ":", "="];
    const leads = ["", " ", "  ", "     ", '"', " '", " |\n  ", ' r"', "\t`"];
    const bodies = ["0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0", "12345678-1234-1234-1234-123456789abc", "sk_live_Ab3dE6gH9jK2mN5pQ8sT1vW4", "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy+/==", "abc"];
    const tails = ["", " ", "\n", '" tail', "=1"];
    let declared = 0;
    let found = 0;
    for (let k = 0; k < 1500; k++) {
      const body = pick(bodies, k * 13 + 5);
      const text = `token${pick(blanks, k)}${pick(types, k * 7 + 1)}${pick(blanks, k * 3 + 2)}${pick(operators, k * 11 + 3)}${pick(leads, k * 5 + 4)}${body.slice(0, 8 + ((k * 7) % 60))}${pick(tails, k * 17 + 6)}`;
      const runEnd = nameRunEnd(text, 5);
      if (!assignmentCanStart(text, 5, runEnd)) continue;
      const declaration = new TypedDeclaration();
      if (!declaration.read(text, runEnd)) continue;
      declared++;
      const attempts = new LastAttempt();
      for (const rule of rules) {
        const expected = matchAfterName(rule.afterName!, text, 5, runEnd);
        const m = matchTypedDeclaration(rule, text, declaration, runEnd, attempts);
        expect([rule.id, text, m && [...m]]).toEqual([rule.id, text, expected && [...expected]]);
        if (expected) found++;
      }
    }
    expect(declared).toBeGreaterThan(300);
    expect(found).toBeGreaterThan(1000);
  });

  test("LastAttempt answers a pattern asked again at the same place without running it", () => {
    let runs = 0;
    const pattern = { source: "x", engine: "native" as const, groupCount: 0, matchAt: (_text: string, at: number) => (runs++, at % 2 === 0 ? [at, at + 1] : null) };
    const other = { ...pattern, matchAt: (_text: string, at: number) => (runs++, [at, at + 2]) };
    const attempts = new LastAttempt();
    expect([attempts.matchAt(pattern, "xx", 0), attempts.matchAt(pattern, "xx", 0), runs]).toEqual([[0, 1], [0, 1], 1]);
    expect([attempts.matchAt(pattern, "xx", 1), attempts.matchAt(pattern, "xx", 1), runs]).toEqual([null, null, 2]);
    expect([attempts.matchAt(other, "xx", 1), attempts.matchAt(pattern, "xx", 1), runs]).toEqual([[1, 3], null, 4]);
  });
});

describe("valueReach and valueFloor", () => {
  test("matchesNoWhitespace reads literals, escapes and classes, and answers no to anything that may match a blank", () => {
    const r = String.raw;
    for (const yes of [r`[a-f0-9]{32}`, r`[^\s"'\x60;,(){}<>\[\]\\]{8,200}`, r`(?:sk|rk)_live_[A-Za-z0-9]{24}`, r`[\w+/=-]{40}`, r`\d{6}\.[A-Z]+`, r`[\x21-\x7e]{8}`]) {
      expect([yes, matchesNoWhitespace(yes)]).toEqual([yes, true]);
    }
    for (const no of [r`(?:Bot )?[MNO][A-Za-z]{23}`, r`.{8}`, r`\s+x`, r`[^"']{8}`, r`[\s\S]{8}`, r`[ -~]{8}`, r`[\W]{3}`, r`\x20a`, r`[\x00-\x7f]`, r`[a-z\u00a0]{8}`, r`\D{4}`]) {
      expect([no, matchesNoWhitespace(no)]).toEqual([no, false]);
    }
    expect(valueFloor(r`([a-f0-9]{32})`)).toBe(32);
    expect(valueFloor(r`((?:Bot )?[MNO][A-Za-z0-9]{23})`)).toBe(0);
  });

  test("never turns away a match: wherever an assignment rule matches, valueReach reaches its floor", () => {
    const scanner = new SecretScanner(secretsOptions.parse({}));
    const rules = scanner.rules.filter((r) => r.afterName !== null);
    expect(rules.filter((r) => r.valueFloor > 0).length).toBeGreaterThan(50);
    // Operators of every kind (types, ` value=`, block scalars with their line break and indent,
    // quotes and brackets before them), then values around each floor: one short, exact, long.
    const operators = [" = ", "=", ": ", ":", " := ", "::=", ":::= ", " ?= ", "+=", ".= ", " => ", ", ", ">", "  value= ", " value  =", "        value= ", "       value  =", " ", "\t\t", "     ", " string = ", " : String = ", "  &str = ", ": |\n    ", ": >-\n  ", " |\r\n\t", '" = ', '"] = ', "']: ", '\\": \\"', "] = '", " = r'", ' = @"', " = `"];
    const bodies = ["0123456789abcdef0123456789abcdef0123456789", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0", "12345678-1234-1234-1234-123456789abc", "sk_live_Ab3dE6gH9jK2mN5pQ8sT1vW4", "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy+/=="];
    let matched = 0;
    let turnedAway = 0;
    for (let k = 0; k < operators.length * bodies.length; k++) {
      const operator = operators[k % operators.length]!;
      const body = bodies[Math.floor(k / operators.length) % bodies.length]!;
      for (const rule of rules) {
        const floor = rule.valueFloor;
        for (const length of new Set([Math.max(1, floor - 1), floor, floor + 7, body.length])) {
          const value = body.repeat(Math.ceil(length / body.length) + 1).slice(0, length);
          const text = `token${operator}${value}${k % 3 === 0 ? "" : k % 3 === 1 ? " tail" : "\n"}`;
          const runEnd = nameRunEnd(text, 5);
          if (!assignmentCanStart(text, 5, runEnd)) continue;
          const m = matchAfterName(rule.afterName!, text, 5, runEnd);
          const reach = valueReach(text, runEnd, 1024);
          const plain = plainEqualsReach(text, runEnd, floor);
          if (m !== null) expect([rule.id, text, plain < 0 || plain >= floor]).toEqual([rule.id, text, true]);
          // Read up to the floor only, the answer is the same either side of it.
          expect([rule.id, text, valueReach(text, runEnd, floor) >= floor]).toEqual([rule.id, text, reach >= floor]);
          if (m !== null) {
            expect([rule.id, text, reach >= floor]).toEqual([rule.id, text, true]);
            matched++;
          } else if (reach < floor) turnedAway++;
        }
      }
    }
    expect(matched).toBeGreaterThan(2000);
    expect(turnedAway).toBeGreaterThan(2000);
  });

  test("plainEqualsReach is valueReach wherever it reads the shape (blanks, `=`, blanks), and -1 elsewhere", () => {
    const alphabet = ["=", "=", " ", " ", "\t", "\n", ">", "|", "a", "abcdefgh", "x1", '"', "'", "]", ":", ".", "value", "=>", "\u00a0", "-"];
    let read = 0;
    let short = 0;
    for (let k = 0; k < 20000; k++) {
      let text = "token";
      for (let n = 1 + (k % 9); n > 0; n--) text += alphabet[Math.floor(((k * 7919 + n * 104729) % 1000003) / 7) % alphabet.length];
      const runEnd = nameRunEnd(text, 5);
      for (const enough of [1, 4, 8, 32]) {
        const plain = plainEqualsReach(text, runEnd, enough);
        if (plain < 0) continue;
        read++;
        expect([text, enough, plain]).toEqual([text, enough, valueReach(text, runEnd, enough)]);
        if (plain < enough) short++;
      }
    }
    expect(read).toBeGreaterThan(5000);
    expect(short).toBeGreaterThan(1000);
    // `=>`, a block scalar, more than 4 blanks, anything before the `=`: not read here.
    for (const text of ["token => x", "token = |\n  x", "token=>\n x", "token     = x", 'token" = x', "token: x", "token = \tx"]) expect([text, plainEqualsReach(text, 5, 8)]).toEqual([text, text === "token = \tx" ? 1 : -1]);
  });

  test("typedDeclarationReach is valueReach wherever it reads the shape (blanks, a type, an operator with =), and -1 elsewhere", () => {
    // Declarations part by part (blanks, a type, blanks, an operator, blanks, a value, what
    // follows), each part drawn from shapes that fit and shapes that do not.
    const pick = (options: readonly string[], k: number) => options[k % options.length]!;
    const blanks = ["", " ", "\t", "  ", " \t ", "    ", "      ", "       "];
    const types = ["string", "x", "String9", "value", "valueType", "&str", "a".repeat(17), "b".repeat(18), "=", ":", "'"];
    const operators = ["=", ":=", "::=", ":::=", "::::=", "?=", "+=", ".=", "=>", ":", ",", "|"];
    const values = ["", "abcdefgh", "abc", "|\n  abcdefghij", ">-\n abc", '"abcdefghijkl"', "a\u00a0b", "x=y=z"];
    const tails = ["", " ", "\n", " tail", "=1"];
    let read = 0;
    let short = 0;
    for (let k = 0; k < 20000; k++) {
      const text = `token${pick(blanks, k)}${pick(types, k * 7 + 1)}${pick(blanks, k * 3 + 2)}${pick(operators, k * 11 + 3)}${pick(blanks, k * 5 + 4)}${pick(values, k * 13 + 5)}${pick(tails, k * 17 + 6)}`;
      const runEnd = nameRunEnd(text, 5);
      for (const enough of [1, 4, 8, 32]) {
        const typed = typedDeclarationReach(text, runEnd, enough);
        // Right after the reading has read the same type, from what it noted: the same answer.
        const noted = new TypedDeclaration();
        assignmentReading(text, runEnd, text.indexOf("=", runEnd), noted);
        expect([text, enough, typedDeclarationReach(text, runEnd, enough, noted)]).toEqual([text, enough, typed]);
        if (typed < 0) continue;
        read++;
        // Both are exact below `enough` and at least `enough` beyond.
        expect([text, enough, Math.min(typed, enough)]).toEqual([text, enough, Math.min(valueReach(text, runEnd, enough), enough)]);
        if (typed < enough) short++;
      }
    }
    expect(read).toBeGreaterThan(3000);
    expect(short).toBeGreaterThan(1000);
    for (const text of ["token string x", "token value = x", "token &str = x", 'token" string = x', "token: String = x", `token ${"b".repeat(18)} = x`, "token       string = x"]) expect([text, typedDeclarationReach(text, 5, 8)]).toEqual([text, -1]);
  });

  test("reads no further than the value on text without one", () => {
    expect(valueReach("var twilioToken string = var", 15, 100)).toBe(6);
    expect(valueReach("token: |\n    abcdefghij", 5, 100)).toBe(10);
    expect(valueReach("token = " + "a".repeat(5000), 5, 40)).toBe(40);
  });
});

describe("needs", () => {
  test("every drawn match of a rule that needs a text holds it within the distance from the match's start", () => {
    const rules = BUILTIN_RULES.filter((r) => r.needs !== undefined);
    expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining(["openai-api-key", "url-credentials"]));
    let checked = 0;
    for (const rule of rules) {
      const whole = new RegExp(`^(?:${rule.pattern!})`);
      // Every bounded repeat at its most and every optional group taken: the needed text as far as it gets.
      const longest = rule.pattern!.replace(/\{(\d+),(\d+)\}/g, "{$2}").replace(/\)\?/g, ")");
      for (let k = 0; k < 300; k++) {
        const drawn = draw(parsePattern(k % 3 === 0 ? longest : rule.pattern!), k % 2 === 0 ? "random" : "repeated").text;
        const m = whole.exec(drawn);
        if (!m) continue;
        const at = m[0].indexOf(rule.needs!.text);
        expect([rule.id, drawn, at >= 0 && at <= rule.needs!.distance]).toEqual([rule.id, drawn, true]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(600);
  });
});

describe("runMatch", () => {
  test("reads only a literal, one class of plain characters and ranges, and one bounded repeat", () => {
    const r = String.raw;
    expect(literalRunOf(r`ghp_[A-Za-z0-9]{36}`)).toMatchObject({ from: 4, min: 36, max: 36 });
    expect(literalRunOf(r`ya29\.[A-Za-z0-9_-]{30,1000}`)).toMatchObject({ from: 5, min: 30, max: 1000 });
    for (const no of [r`ghp_[A-Za-z0-9]{36}x`, r`ghp_[^a]{36}`, r`ghp_[\w]{36}`, r`ghp_[a-z]+`, r`(?:a|b)[a-z]{3}`, r`ab?[a-z]{3}`, r`[a-z]{3}`, r`ab[a-z]{3}[0-9]{2}`]) expect([no, literalRunOf(no)]).toEqual([no, null]);
  });

  test("finds what the regular expression finds, for every built-in rule it reads", () => {
    const scanner = new SecretScanner(secretsOptions.parse({}), "native");
    const rules = scanner.rules.filter((rule) => rule.run !== null);
    expect(rules.length).toBeGreaterThan(50);
    let found = 0;
    let missed = 0;
    let skipped = 0;
    for (const rule of rules) {
      const source = rule.pattern!.source;
      for (let k = 0; k < 60; k++) {
        const drawn = draw(parsePattern(k % 4 === 0 ? source.replace(/\{(\d+),(\d+)\}/, "{$2}") : source), k % 3 === 0 ? "repeated" : "random").text;
        // Cut short, run on past the longest, or followed by a character outside the class.
        const text = ["", " tail", drawn.slice(rule.literal.length, rule.literal.length + 30), "\u00e9x", "-_.+/=~Zz9"][k % 5]!;
        for (const candidate of [drawn + text, drawn.slice(0, drawn.length - 1 - (k % 7)) + text, "xy" + drawn + drawn]) {
          for (let start = 0; start < Math.min(candidate.length, 3); start++) {
            if (!candidate.startsWith(rule.literal, start)) continue;
            const expected = rule.pattern!.matchAt(candidate, start);
            const actual = runMatch(rule.run!, candidate, start);
            expect([rule.id, candidate, start, actual && [actual[0], actual[1]]]).toEqual([rule.id, candidate, start, expected && [expected[0], expected[1]]]);
            // Where the scanner has found the afterLiteral offsets in place, they are not read again: the same match.
            const shape = rule.afterLiteral;
            if (shape !== null) {
              const from = start + rule.literal.length;
              let admitted = 0;
              while (admitted < shape.length && from + admitted < candidate.length && admitsAt(shape, admitted, candidate.charCodeAt(from + admitted))) admitted++;
              if (admitted === shape.length) {
                expect([rule.id, candidate, start, runMatch(rule.run!, candidate, start, shape.length)]).toEqual([rule.id, candidate, start, actual]);
                skipped++;
              }
            }
            if (expected) found++;
            else missed++;
          }
        }
      }
    }
    expect(found).toBeGreaterThan(3000);
    expect(missed).toBeGreaterThan(1000);
    expect(skipped).toBeGreaterThan(3000);
  });
});

describe("afterLiteralShape", () => {
  test("reads classes, characters, repeats and plain alternatives after a literal start, and stops where offsets vary", () => {
    const shape = (p: string) => {
      const r = afterLiteralShape(p);
      if (!r) return null;
      const at = (k: number) => String.fromCharCode(...[...Array(128).keys()].filter((c) => admitsAt(r, k, c)));
      return { offset: r.offset, chars: [...Array(r.length).keys()].map(at) };
    };
    expect(shape(String.raw`pat[a-c]{2}\.x+y`)).toEqual({ offset: 3, chars: ["abc", "abc", ".", "x"] });
    expect(shape(String.raw`sk\-[x]+z`)).toEqual({ offset: 3, chars: ["x"] });
    expect(shape(String.raw`dp\.(?:pt|st|scim)\.[a-z]{40}`)).toEqual({ offset: 3, chars: ["ps", "ct"] });
    expect(shape(String.raw`do[op]_v1_[a-f]{64}`)?.chars).toEqual(["op", "_", "v", "1", "_", "abcdef", "abcdef", "abcdef", "abcdef", "abcdef", "abcdef", "abcdef"]);
    expect(shape(String.raw`ab[c]{3,9}d`)).toEqual({ offset: 2, chars: ["c", "c", "c"] });
    expect(shape(String.raw`sk\-x+`)).toBeNull();
    expect(shape(String.raw`ab?c`)).toBeNull();
    expect(shape(String.raw`ab[c]*`)).toBeNull();
    expect(shape(String.raw`ab[c]{0,3}`)).toBeNull();
    expect(shape(String.raw`ab(?:c|d+)`)).toBeNull();
    expect(shape(String.raw`ab[^c]`)).toBeNull();
    expect(shape(String.raw`ab\d`)).toBeNull();
  });

  test("every drawn match of a built-in rule has the characters its shape requires after its literal", () => {
    const scanner = new SecretScanner(secretsOptions.parse({}), "native");
    let checked = 0;
    for (const rule of scanner.rules.filter((r) => r.afterLiteral !== null)) {
      const source = rule.pattern!.source;
      const whole = new RegExp(`^(?:${source})`);
      const shape = rule.afterLiteral!;
      const length = shape.length;
      for (let k = 0; k < 40; k++) {
        const drawn = draw(parsePattern(source), "random").text;
        if (!whole.test(drawn)) continue;
        const after = [...drawn.slice(rule.literal.length, rule.literal.length + length)].map((c, j) => admitsAt(shape, j, c.charCodeAt(0)));
        expect([rule.id, drawn, after]).toEqual([rule.id, drawn, Array(length).fill(true)]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
});

describe("keyword gates", () => {
  const options = secretsOptions.parse({});
  const gated = new SecretScanner(options, "native");
  const ungated = new SecretScanner(options, "native", { gates: false });
  const raw = (scanner: SecretScanner, text: string) => scanner.scanText(text).map((m) => `${m.rule.id} ${m.start}-${m.end} ${m.secretStart}-${m.secretEnd} ${m.severity}`);
  const keywordsOf = (id: string) => BUILTIN_RULES.find((r) => r.id === id)!.keywords ?? [];

  test("turn away no match: the labelled corpus, and every rule's match after and before every ASCII character, in both cases", () => {
    const texts = buildCorpus().map((c) => c.text);
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).concat(["\t", "\n", "\\n", "\\t", "\u00e9", "\u0142"]);
    for (const rule of gated.rules) {
      if (rule.pattern === null) continue;
      const source = BUILTIN_RULES.find((r) => r.id === rule.id)!.pattern!;
      const drawn = draw(parsePattern(source), "random").text;
      for (const keyword of rule.afterKeyword ? keywordsOf(rule.id).slice(0, 2) : [""]) {
        const match = keyword + drawn;
        for (const c of printable) texts.push(`${c}${match} `, ` ${match}${c}`);
        texts.push(match, match.slice(0, -1), match.slice(0, keyword.length + 1), ` ${match.toUpperCase()}`, ` ${match.toLowerCase()}`);
      }
      // Names around the longest ASSIGN reads (GATE_NAME), with `=`, `.=`, `:` or a blank after them.
      if (rule.assignment) {
        const value = draw(parsePattern(source.slice(ASSIGN.length)), "random").text;
        for (let n = 28; n <= 36; n++) for (const operator of ["=", ".=", ": ", " "]) texts.push(`${keywordsOf(rule.id)[0]}${"x_1".repeat(12).slice(0, n)}${operator}${value}`);
      }
    }
    // letters-and-digits rules: the secret's only digit or upper-case letter first, last, or
    // none, up to the longest match (digitOrUpperWithin).
    // Consonants: no stop word or placeholder turns these away before the check would.
    const lower = (n: number) => random("bcdfghjklmnpqrstvwz", n);
    for (const body of ["abcdefgh", "7bcdefgh", "abcdefg7", "abcdefgQ", "Qbcdefgh", lower(24), lower(23) + "7", "A" + lower(23), lower(127) + "7", lower(128) + "7", lower(999) + "7", lower(1000) + "Q", lower(1000)]) {
      for (const before of ["curl -u user:", `curl --user="${lower(64)}:`, "curl -H 'Authorization: Bearer ", "Authorization: ", "Authorization: \tApi-Key \t", "Bearer ", "x Bearer "]) texts.push(`${before}${body}`, `${before}${body} tail`, `${before}${body}"`);
    }
    let matched = 0;
    for (const text of texts) {
      const expected = raw(ungated, text);
      expect([text, raw(gated, text)]).toEqual([text, expected]);
      matched += expected.length;
    }
    expect(texts.length).toBeGreaterThan(60_000);
    expect(matched).toBeGreaterThan(20_000);
  });

  test("read the character before, the character after and the case the rules' literals spell", () => {
    const keywords = [...new Set(gated.rules.flatMap((rule) => (rule.afterKeyword ? settingNameVariants(keywordsOf(rule.id)) : keywordsOf(rule.id))))];
    const gates = keywordGates(keywords, (k) => gated.rules.filter((rule) => (rule.afterKeyword ? settingNameVariants(keywordsOf(rule.id)) : keywordsOf(rule.id)).includes(keywords[k]!)));
    const at = (keyword: string, text: string) => {
      const k = keywords.indexOf(keyword);
      const start = text.indexOf(keyword.toUpperCase()) >= 0 ? text.indexOf(keyword.toUpperCase()) : text.toLowerCase().indexOf(keyword);
      return passesGate(gates, k, text, start, start + keyword.length);
    };
    // Twilio's `SK[0-9a-f]{32}`: upper case, then hex digits at each offset the gate reads.
    expect([at("sk", "x SKa0f"), at("sk", "x ska0f"), at("sk", "task"), at("sk", "x SKz0f"), at("sk", "x SKa0z"), at("sk", "x SKa0")]).toEqual([true, false, false, false, false, false]);
    // A keyed name: the name goes on, or an operator, quote or blank ends it; `(` cannot follow.
    expect([at("twilio", "twilio_token"), at("twilio", "twilio="), at("twilio", "twilio "), at("twilio", "twilio("), at("twilio", "twilio")]).toEqual([true, true, true, false, false]);
    // A boundary before: not inside a word, unless the letter is an escape's.
    expect([at("pat", " patabcdefghijklmnopq.x"), at("pat", "apatabcdefghijklmnopq.x"), at("pat", "\\npatabcdefghijklmnopq.x")]).toEqual([true, false, true]);
    const kinds = [...gates.kinds];
    expect(kinds.filter((k) => k !== 0).length).toBeGreaterThan(keywords.length / 2);
    // GATE_BEFORE, GATE_AFTER, GATE_EXACT, GATE_NAME: each part applies to many keywords.
    for (const bit of [1, 2, 4, 8]) expect(kinds.filter((k) => (k & bit) !== 0).length).toBeGreaterThan(50);
  });

  test("skip a large share of the hits of every keyword glued together, before reading names", () => {
    const keywords = [...new Set(BUILTIN_RULES.flatMap((r) => r.keywords ?? []))];
    const text = keywords.join("").repeat(3);
    const hits = gated["index"].find(text);
    let skipped = 0;
    for (let h = 0; h < hits.count; h++) {
      const k = hits.keywords[h]!;
      if (!passesGate(gated["gates"]!, k, hits.text, hits.starts[h]!, hits.starts[h]! + gated["keywordLengths"][k]!)) skipped++;
    }
    expect(skipped).toBeGreaterThan(hits.count / 5);
    expect(raw(gated, text)).toEqual(raw(ungated, text));
  });
});
