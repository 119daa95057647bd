/** Whole files: which file is used (rule 1), last match wins (rule 9), owner-less lines (rule 6). */
import { CodeownersLookupTooCostly, compileCodeowners, MAX_CANDIDATES_PER_LOOKUP } from "../../src/codeowners/match.js";
import { formatOwner, parseCodeowners } from "../../src/codeowners/parse.js";
import { compilePattern } from "../../src/codeowners/pattern.js";
import { CODEOWNERS_LOCATIONS, isCodeownersLocation, selectCodeownersFile } from "../../src/codeowners/select.js";
import { prng } from "../helpers/prng.js";

const matcherOf = (text: string) => compileCodeowners(parseCodeowners(text, "CODEOWNERS"));

function ownersOf(text: string, path: string): { line: number; owners: string[] } | null {
  const rule = matcherOf(text).ownersOf(path);
  return rule && { line: rule.line, owners: rule.owners.map(formatOwner) };
}

describe("selectCodeownersFile (rule 1)", () => {
  test("the first of .github/, root, docs/ that exists wins", () => {
    expect(selectCodeownersFile(["docs/CODEOWNERS", "CODEOWNERS", ".github/CODEOWNERS"])).toBe(".github/CODEOWNERS");
    expect(selectCodeownersFile(["docs/CODEOWNERS", "CODEOWNERS"])).toBe("CODEOWNERS");
    expect(selectCodeownersFile(["docs/CODEOWNERS", "src/CODEOWNERS"])).toBe("docs/CODEOWNERS");
  });

  test("other places and spellings are not CODEOWNERS files", () => {
    expect(selectCodeownersFile(["src/CODEOWNERS", ".gitlab/CODEOWNERS", ".github/codeowners", "codeowners"])).toBeNull();
    expect(selectCodeownersFile([])).toBeNull();
    expect(CODEOWNERS_LOCATIONS.every(isCodeownersLocation)).toBe(true);
    expect(isCodeownersLocation("docs/codeowners")).toBe(false);
  });
});

describe("compileCodeowners: whole files", () => {
  const file = [
    "# default owners",
    "*                @org/everyone", // 2
    "*.js             @js-owner", // 3
    "/docs/           docs@example.com", // 4
    "/docs/internal/", // 5: no owners
    "/src/payments/   @org/payments @alice # money", // 6
    "apps/            @org/apps", // 7
    "/src/payments/*.md @org/writers", // 8
    "!/src/skip/ @nobody", // 9: invalid, skipped
    "/src/skip/ @org/skip", // 10
  ].join("\n");

  test.each([
    ["README.md", 2, ["@org/everyone"]],
    ["lib/util.js", 3, ["@js-owner"]],
    ["docs/guide.js", 4, ["docs@example.com"]],
    ["docs/internal/secret.md", 5, []],
    ["src/payments/charge.js", 6, ["@org/payments", "@alice"]],
    ["src/payments/README.md", 8, ["@org/writers"]],
    ["src/payments/sub/README.md", 6, ["@org/payments", "@alice"]],
    ["src/skip/a.ts", 10, ["@org/skip"]],
  ])("rule 9: %s is decided by line %d", (path, line, owners) => {
    expect(ownersOf(file, path)).toEqual({ line, owners });
  });

  test("rule 6: a matching line with no owners leaves the file unowned, even when an earlier line owns it", () => {
    expect(ownersOf(file, "docs/internal/x.md")).toEqual({ line: 5, owners: [] });
  });

  test("rule 9: the last matching line wins even when an earlier line is more specific", () => {
    const text = "/src/payments/api/ @org/api\n/src/ @org/src\n";
    expect(ownersOf(text, "src/payments/api/charge.ts")).toEqual({ line: 2, owners: ["@org/src"] });
  });

  test("no matching line: null", () => {
    expect(ownersOf("/src/ @a\n", "lib/x.ts")).toBeNull();
    expect(ownersOf("", "lib/x.ts")).toBeNull();
  });

  test("rule 3: a file of 3 MB or more owns nothing", () => {
    const big = "* @everyone\n" + "#".repeat(3 * 1024 * 1024);
    expect(ownersOf(big, "a.ts")).toBeNull();
  });

  test("rule 11: '/' alone matches nothing, so an earlier line still decides", () => {
    expect(ownersOf("* @everyone\n/ @root\n", "README.md")).toEqual({ line: 1, owners: ["@everyone"] });
  });

  test("paths with spaces, unicode and brackets", () => {
    const text = ["/My\\ Documents/ @docs", "/文档/ @cn", "/app/[id]/ @routes", "*.tsx @ui"].join("\n");
    expect(ownersOf(text, "My Documents/a b.txt")).toEqual({ line: 1, owners: ["@docs"] });
    expect(ownersOf(text, "文档/说明.md")).toEqual({ line: 2, owners: ["@cn"] });
    expect(ownersOf(text, "app/[id]/page.ts")).toEqual({ line: 3, owners: ["@routes"] });
    expect(ownersOf(text, "app/[id]/page.tsx")).toEqual({ line: 4, owners: ["@ui"] });
    expect(ownersOf(text, "app/i/page.ts")).toBeNull();
  });

  test("a leading slash on the looked-up path is ignored; case matters", () => {
    expect(ownersOf("/src/ @a\n", "/src/x.ts")).toEqual({ line: 1, owners: ["@a"] });
    expect(ownersOf("/src/ @a\n", "SRC/x.ts")).toBeNull();
  });
});

describe("compileCodeowners: the index never changes the answer", () => {
  const segmentChoices = ["a", "b", "src", "lib", "x.js", "y.ts", "*", "**", "*.js", "a*", "?b", "*.ts", "l?b", "[a]"];
  const pathSegments = ["a", "b", "ab", "src", "lib", "x.js", "y.ts", "z.js", "[a]", "lob"];

  function randomPattern(rand: () => number): string {
    const n = 1 + Math.floor(rand() * 4);
    const segments = Array.from({ length: n }, () => segmentChoices[Math.floor(rand() * segmentChoices.length)]!);
    return `${rand() < 0.4 ? "/" : ""}${segments.join("/")}${rand() < 0.3 ? "/" : ""}`;
  }
  function randomPath(rand: () => number): string {
    const n = 1 + Math.floor(rand() * 5);
    return Array.from({ length: n }, () => pathSegments[Math.floor(rand() * pathSegments.length)]!).join("/");
  }

  test("indexed lookups equal testing every line from the last (seeded random files and paths)", () => {
    const rand = prng(20240611);
    let decided = 0;
    let undecided = 0;
    for (let round = 0; round < 100; round++) {
      const lines = Array.from({ length: 3 + Math.floor(rand() * 60) }, (_, i) => `${randomPattern(rand)} @owner${i}`);
      const parsed = parseCodeowners(lines.join("\n"), "CODEOWNERS");
      const matcher = compileCodeowners(parsed);
      const everyLine = parsed.rules.map((rule) => ({ rule, pattern: compilePattern(rule.pattern) }));
      for (let p = 0; p < 300; p++) {
        const path = randomPath(rand);
        const segments = path.split("/");
        const expected = [...everyLine].reverse().find((l) => l.pattern.matches(segments))?.rule ?? null;
        const actual = matcher.ownersOf(path);
        if (actual !== expected) throw new Error(`${path}: index says line ${actual?.line}, every-line scan says ${expected?.line}`);
        if (expected) decided++;
        else undecided++;
      }
    }
    // The random files must exercise both outcomes for the comparison to mean anything.
    expect(decided).toBeGreaterThan(3000);
    expect(undecided).toBeGreaterThan(3000);
  });
});

describe("compileCodeowners: a 10,000-line file", () => {
  // Speed is measured in bench/codeowners; here, correctness at this size.
  test("parses a 10,000-line file, decides by the last matching line, and answers 3,000 lookups", () => {
    const lines: string[] = ["* @org/default"];
    for (let i = 0; i < 9_999; i++) {
      if (i % 10 === 0) lines.push(`*.ext${i} @org/ext-${i}`);
      else if (i % 10 === 1) lines.push(`generated${i}/`);
      else lines.push(`/services/svc-${i % 1000}/module-${i}/ @org/team-${i}`);
    }
    expect(lines).toHaveLength(10_000);
    const matcher = compileCodeowners(parseCodeowners(lines.join("\n"), ".github/CODEOWNERS"));
    for (let i = 0; i < 3_000; i++) expect(matcher.ownersOf(`services/svc-${i % 1000}/module-${i}/src/file${i}.ts`)).not.toBeNull();

    expect(matcher.ownersOf("services/svc-992/module-9992/a.ts")?.line).toBe(9_994);
    expect(matcher.ownersOf("services/svc-992/module-9992/a.ext9990")?.line).toBe(9_994);
    expect(matcher.ownersOf("other/a.ext9990")?.line).toBe(9_992);
    expect(matcher.ownersOf("x/generated9991/a.ts")).toMatchObject({ line: 9_993, owners: [] });
    expect(matcher.ownersOf("elsewhere/a.ts")?.line).toBe(1);
  });
});

describe("compileCodeowners: lines no index can rule out are bounded per lookup", () => {
  // 100,000 lines such as `*a*a*a*b1` fit no index, so each lookup tested all of them: 41 s for
  // 300 paths. A lookup now tests at most MAX_CANDIDATES_PER_LOOKUP lines, then gives up.
  const wildcardLines = (count: number) => Array.from({ length: count }, (_, i) => `*a*a*a*a*a*a*a*b${i} @o`);

  test("past the cap a lookup throws, naming the path, instead of testing every line", () => {
    const matcher = matcherOf(["* @org/default", ...wildcardLines(100_000)].join("\n"));
    expect(() => matcher.ownersOf(`src/${"a".repeat(50)}.ts`)).toThrow(CodeownersLookupTooCostly);
    expect(() => matcher.ownersOf("src/x.ts")).toThrow(`more than 5,000 CODEOWNERS lines could match src/x.ts`);
  });

  test("a match among the last lines is found before the cap; the cap itself still answers", () => {
    const matcher = matcherOf(["* @org/default", ...wildcardLines(100_000), "*x*y @org/late"].join("\n"));
    expect(matcher.ownersOf("src/axby")?.line).toBe(100_002);
    const atCap = matcherOf(["*z* @org/first", ...wildcardLines(MAX_CANDIDATES_PER_LOOKUP - 1)].join("\n"));
    expect(atCap.ownersOf("src/z")?.line).toBe(1);
    const overCap = matcherOf(["*z* @org/first", ...wildcardLines(MAX_CANDIDATES_PER_LOOKUP)].join("\n"));
    expect(() => overCap.ownersOf("src/z")).toThrow(CodeownersLookupTooCostly);
  });

  test("indexed lines do not count against the cap", () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `/services/svc-${i}/ @org/team-${i}`);
    const matcher = matcherOf(["* @org/default", ...lines].join("\n"));
    expect(matcher.ownersOf("services/svc-7/a.ts")?.line).toBe(9);
    expect(matcher.ownersOf("elsewhere/a.ts")?.line).toBe(1);
  });
});
