/**
 * Pattern against path, one row per case, each naming the rule of
 * shared/design/codeowners.md it exercises (rules 10-17; case sensitivity from the
 * "Matching" heading).
 */
import { compilePattern, escapePatternText } from "../../src/codeowners/pattern.js";
import { splitPath } from "../../src/codeowners/match.js";

type Row = readonly [rule: string, pattern: string, path: string, matches: boolean];

const rows: Row[] = [
  // Matching is case-sensitive.
  ["case", "/Docs/", "Docs/a.md", true],
  ["case", "/Docs/", "docs/a.md", false],
  ["case", "*.MD", "README.md", false],
  ["case", "readme.md", "README.md", false],

  // 10: no negation and no character classes; "[" and "]" are literal.
  ["10", "[abc].md", "[abc].md", true],
  ["10", "[abc].md", "a.md", false],
  ["10", "[abc].md", "docs/[abc].md", true],
  ["10", "/src/[id]/", "src/[id]/page.tsx", true],
  ["10", "/src/[id]/", "src/1/page.tsx", false],
  ["10", "file[0-9].txt", "file1.txt", false],
  ["10", "file[0-9].txt", "file[0-9].txt", true],
  ["10", "a!b", "a!b", true],

  // 11: "/" alone matches nothing.
  ["11", "/", "README.md", false],
  ["11", "/", "src/a.ts", false],

  // 12: a leading "/" anchors; a "/" in the middle anchors; no "/" (or only a trailing one) matches at any depth.
  ["12", "/build", "build", true],
  ["12", "/build", "build/out.js", true],
  ["12", "/build", "src/build", false],
  ["12", "build", "src/build", true],
  ["12", "build", "src/build/out.js", true],
  ["12", "build", "a/b/c/build", true],
  ["12", "src/build", "src/build", true],
  ["12", "src/build", "app/src/build", false],
  ["12", "src/build/", "app/src/build/x", false],
  ["12", "logs/", "app/logs/today.txt", true],
  ["12", "logs/", "logs/today.txt", true],
  ["12", "/logs/", "app/logs/today.txt", false],

  // 13: a trailing "/" matches a directory and everything below, not a file of that name.
  ["13", "apps/", "apps", false],
  ["13", "apps/", "apps/web/index.ts", true],
  ["13", "apps/", "x/apps/web/index.ts", true],
  ["13", "/apps/", "apps/a", true],
  ["13", "/apps/web/", "apps/web", false],
  ["13", "/apps/web/", "apps/web/a/b/c", true],
  ["13", "/apps/web/", "apps/webpack/a", false],

  // 14: a last segment that is a name or a partial glob also matches everything below a directory it matches.
  ["14", "foo", "foo", true],
  ["14", "foo", "foo/bar/baz", true],
  ["14", "foo", "foo.txt", false],
  ["14", "foo", "food/x", false],
  ["14", "f*", "foo/bar", true],
  ["14", "f*", "x/fun/y/z", true],
  ["14", "f*", "bar/baz", false],
  ["14", "*.js", "dist.js/bundle.css", true],
  ["14", "*.js", "a/b/c.js", true],
  ["14", "*.js", "a/b/c.jsx", false],
  ["14", "a/b", "a/b", true],
  ["14", "a/b", "a/b/c/d", true],
  ["14", "a/b", "a/bc", false],
  ["14", "/docs/*/guide", "docs/v1/guide/intro.md", true],

  // 15: a last segment of exactly "*" matches one level only; a lone "*" matches everything.
  ["15", "docs/*", "docs/a.md", true],
  ["15", "docs/*", "docs/x/a.md", false],
  ["15", "docs/*", "docs", false],
  ["15", "/docs/*", "docs/a.md", true],
  ["15", "/*", "README.md", true],
  ["15", "/*", "src/a.ts", false],
  ["15", "*", "README.md", true],
  ["15", "*", "a/b/c/d.ts", true],
  ["15", "/*/", "src/a.ts", true],
  ["15", "/*/", "README.md", false],

  // 16: "*" matches any run of characters except "/"; "?" one character except "/".
  ["16", "*.md", "CHANGELOG.md", true],
  ["16", "/*.md", "docs/a.md", false],
  ["16", "/src/*.ts", "src/index.ts", true],
  ["16", "/src/*.ts", "src/lib/index.ts", false],
  ["16", "/src/a*b*c.ts", "src/aXbYc.ts", true],
  ["16", "/src/a*b*c.ts", "src/abc.ts", true],
  ["16", "/src/a*b*c.ts", "src/acb.ts", false],
  ["16", "/src/a*b*c.ts", "src/a/b/c.ts", false],
  ["16", "/v?/api", "v1/api", true],
  ["16", "/v?/api", "v10/api", false],
  ["16", "/v?/api", "v/api", false],
  ["16", "a?b", "a/b", false],
  ["16", "?.txt", "é.txt", true],
  ["16", "?.txt", "😀.txt", true],
  ["16", "?.txt", "ab.txt", false],
  ["16", "f\\*o", "f*o", true],
  ["16", "f\\*o", "foo", false],
  ["16", "f\\?o", "f?o", true],
  ["16", "f\\?o", "fxo", false],

  // 17: "**" leading = any directories including none; middle = zero or more; trailing = one or more levels below; alone = everything.
  ["17", "**/migrations", "migrations", true],
  ["17", "**/migrations", "db/migrations/001.sql", true],
  ["17", "**/db/migrations", "svc/db/migrations/001.sql", true],
  ["17", "**/db/migrations", "db/x/migrations", false],
  ["17", "a/**/b", "a/b", true],
  ["17", "a/**/b", "a/x/b", true],
  ["17", "a/**/b", "a/x/y/z/b/c", true],
  ["17", "a/**/b", "x/a/b", false],
  ["17", "a/**/b", "a/bb", false],
  ["17", "a/**", "a", false],
  ["17", "a/**", "a/x", true],
  ["17", "a/**", "a/x/y", true],
  ["17", "/a/**", "b/a/x", false],
  ["17", "**", "anything/at/all.txt", true],
  ["17", "**", "README", true],
  ["17", "/**", "README", true],
  ["17", "a/**/", "a", false],
  ["17", "a/**/", "a/b", true],
  ["17", "**/*.sql", "x/y/z.sql", true],
  ["17", "a/**/b/c*", "a/q/b/cat/x", true],
  ["17", "a/**/b/c*", "a/q/b/dog", false],
  ["17", "a/**/**/b", "a/b", true],
  // "**/" is any directory: what lies inside one, never a file at the root (gitignore).
  ["17", "**/", "README.md", false],
  ["17", "**/", "src/a.ts", true],
  ["17", "**/", "a/b/c/d.ts", true],
  ["17", "/**/", "README.md", false],
  ["17", "/**/", "src/a.ts", true],
  ["17", "**/**/", "README.md", false],
  ["17", "**/**/", "src/a.ts", true],

  // Paths with spaces (escaped in the pattern), unicode and brackets.
  ["16", "/My\\ Documents/", "My Documents/notes.txt", true],
  ["16", "/My\\ Documents/", "My/notes.txt", false],
  ["12", "/文档/", "文档/说明.md", true],
  ["12", "/文档/", "docs/说明.md", false],
  ["14", "über", "src/über/x.ts", true],
  ["14", "Über", "src/über/x.ts", false],
];

describe("compilePattern", () => {
  test.each(rows)("rule %s: %j against %j is %s", (_rule, pattern, path, expected) => {
    expect(compilePattern(pattern).matches(splitPath(path))).toBe(expected);
  });

  test("every numbered matching rule of the note has cases", () => {
    const covered = new Set(rows.map(([rule]) => rule));
    for (const rule of ["10", "11", "12", "13", "14", "15", "16", "17"]) expect(covered).toContain(rule);
  });

  test("index keys rule lines out without losing matches", () => {
    expect(compilePattern("/src/api/").index).toEqual({ kind: "prefix", segments: ["src", "api"] });
    expect(compilePattern("node_modules/").index).toEqual({ kind: "segment", text: "node_modules" });
    expect(compilePattern("*.test.ts").index).toEqual({ kind: "extension", extension: "ts" });
    expect(compilePattern("**/db/migrations").index).toEqual({ kind: "segment", text: "db" });
    expect(compilePattern("/*/x").index).toEqual({ kind: "always" });
    expect(compilePattern("/").index).toEqual({ kind: "never" });
  });

  // Completes with the right answer (exponential backtracking would not finish); speed is bench/'s business.
  test("hostile patterns and paths finish with the right answer", () => {
    const segment = "a".repeat(5000);
    const star = "*a".repeat(200) + "b";
    expect(compilePattern(star).matches([segment])).toBe(false);
    const deep = Array.from({ length: 2000 }, () => "a");
    expect(compilePattern("**/a/**/a/**/a/**/a/**/b").matches(deep)).toBe(false);
    expect(compilePattern("?".repeat(300) + "*b").matches([segment])).toBe(false);
  });
});

describe("escapePatternText", () => {
  test.each(["My Docs/a b", "src/[id]", "weird/*?/x", "back\\slash", "tab\there"])("a pattern written from %j matches exactly that path and what is below", (path) => {
    const pattern = compilePattern(`/${escapePatternText(path)}/`);
    expect(pattern.matches(splitPath(`${path}/file.ts`))).toBe(true);
    expect(pattern.matches(splitPath("other/file.ts"))).toBe(false);
  });
  test("wildcards are escaped, so they no longer match other names", () => {
    expect(compilePattern(`/${escapePatternText("a*")}/`).matches(splitPath("abc/x"))).toBe(false);
  });
});

describe("splitPath", () => {
  test("ignores leading slashes, keeps spaces and brackets", () => {
    expect(splitPath("/src/a b/[c].ts")).toEqual(["src", "a b", "[c].ts"]);
  });
});
