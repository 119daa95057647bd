import picomatch from "picomatch";
import { GLOB_LIMITS, GlobError, globMatcher, globProblem, globs, nameMatcher } from "../../src/engine/globs.js";

describe("globMatcher: path globs as .readiness.yml documents them", () => {
  test.each([
    ["src/**", "src/a/b.ts", true],
    ["src/**", "src", true],
    ["src/**", "srcs/a", false],
    ["**/*.ts", "a.ts", true],
    ["**/*.ts", "a/b/c.ts", true],
    ["*.md", "docs/a.md", false],
    ["*", "a/b", false],
    ["a/**/b", "a/b", true],
    ["a/**/b", "a/x/y/b", true],
    ["a/**/b", "a/x/y/c", false],
    ["**", ".github/workflows/ci.yml", true],
    ["*", ".env", true],
    ["**/.env", "deploy/.env", true],
    ["?.md", "a.md", true],
    ["?.md", "ab.md", false],
    ["a?b", "a/b", false],
    ["?.md", "ü.md", true],
    ["[abc].md", "b.md", true],
    ["[a-c]*.md", "d.md", false],
    ["[!a]*", "b", true],
    ["[!a]*", "a", false],
    ["[^a]*", "a", false],
    ["[]a]", "]", true],
    ["[a-]", "-", true],
    ["[[:digit:]]x", "5x", true],
    ["[[:upper:]]x", "ax", false],
    ["[a", "[a", true],
    ["[/]", "[/]", true],
    ["{src,lib}/**", "lib/a.js", true],
    ["src/**/*.{ts,tsx}", "src/a/b.tsx", true],
    ["src/**/*.{ts,tsx}", "src/a/b.js", false],
    ["a/{b,c/d}/e", "a/c/d/e", true],
    ["{a,{b,c}}x", "cx", true],
    ["{,src/}*.ts", "a.ts", true],
    ["{,src/}*.ts", "src/a.ts", true],
    ["{a}", "{a}", true],
    ["{a}", "a", false],
    ["{a,b", "{a,b", true],
    ["{1..3}.md", "2.md", true],
    ["{1..3}.md", "4.md", false],
    ["{c..a}", "b", true],
    ["\\*.md", "*.md", true],
    ["\\*.md", "a.md", false],
    ["a\\?b", "a?b", true],
    ["a\\?b", "axb", false],
    ["./src/**", "src/a", true],
    ["app/(auth)/**", "app/(auth)/page.tsx", true],
    ["FOO", "foo", false],
    ["release/*", "release/1.2", true],
  ])("%j against %j: %s", (pattern, path, expected) => {
    expect(globMatcher([pattern])(path)).toBe(expected);
  });

  test("a path matches a positive pattern and no ! pattern, whatever the order", () => {
    const matches = globMatcher(["!src/**/*.test.ts", "src/**"]);
    expect(matches("src/a.ts")).toBe(true);
    expect(matches("src/a.test.ts")).toBe(false);
    expect(globMatcher(["!docs/**"])("README.md")).toBe(false);
    expect(globMatcher([])("README.md")).toBe(false);
  });

  // Globs come from the configuration and paths from the pull request: before, picomatch built a
  // backtracking regular expression and `*a*a*a*a*a*a*a*a*b` against six 50-character names
  // held the event loop for 111 s. Each of these now costs O(pattern x path).
  test.each([
    ["*a*a*a*a*a*a*a*a*b", "a".repeat(5000), false],
    ["*a*a*a*a*a*a*a*a*b", `${"a".repeat(5000)}b`, true],
    ["**/*a*a*a*a*a*a*a*a*b", `x/${"a".repeat(5000)}`, false],
    ["**/a/**/a/**/a/**/a/**/a/**/b", Array(2000).fill("a").join("/"), false],
    ["**/a/**/a/**/a/**/a/**/a/**/b", `${Array(2000).fill("a").join("/")}/b`, true],
    ["*?*?*?*?*?*?*?*?*b", "a".repeat(5000), false],
    ["*[a-z]*[a-z]*[a-z]*[a-z]*[a-z]*[0-9]", "a".repeat(5000), false],
    ["{*a,*b}{*a,*b}{*a,*b}{*a,*b}c", "ab".repeat(2000), false],
  ])("hostile %j against a long path: %s", (pattern, path, expected) => {
    expect(globMatcher([pattern])(path)).toBe(expected);
  });

  test("brace expansion is bounded: at validation a clear problem, at match time an error", () => {
    const bomb = "{a,b}".repeat(9);
    expect(globProblem(bomb)).toMatch(`more than ${GLOB_LIMITS.alternatives} alternatives`);
    expect(globProblem("{1..1000000}")).toMatch("more than");
    expect(globProblem("{a,b}".repeat(8))).toBeUndefined();
    expect(() => globMatcher([bomb])).toThrow(GlobError);
    expect(globProblem("x".repeat(GLOB_LIMITS.length + 1))).toMatch("glob too long");
    expect(globProblem("!")).toMatch("a lone ! excludes nothing");
    expect(globs.safeParse(["src/**", bomb]).success).toBe(false);
    expect(globs.safeParse(["src/**", "{a,b}/**"]).success).toBe(true);
  });

  // picomatch (what globs used before) is the reference for everything the configuration
  // documents. Two places where it disagrees with itself are deliberately not followed:
  const deliberatelyDifferent = (pattern: string, path: string): boolean =>
    // picomatch: `foo/**` matches "foo" but `*/**` does not match "src"; here `**` is zero or
    // more segments everywhere.
    (pattern === "*/**" && !path.includes("/")) ||
    // picomatch with dot: true reads `[!a]` as `[a]`; here it is POSIX negation (as `[^a]`).
    pattern.includes("[!");
  const patterns = ["**", "*", "src/**", "src/*", "**/*.ts", "*.md", "docs/**/*.md", "{src,lib}/**", "src/**/*.{ts,tsx}", "**/test/**", "**/*.test.ts", "a/**/b", "?.md", "[abc].md", "[a-c]*.md", "[^a]*", "file?.txt", "**/.env", "*.{js,ts}", "src/{a,b/c}/**", "**/{test,tests,__tests__}/**", "CHANGELOG.md", "src/**/index.ts", "*/x", "**/x/**", "x/*/y", "{,src/}*.ts", "a*b*c", "**/*a*a*a*b", "src/{,**/}*.ts", "[[:digit:]]*", "./src/**", "*/**", "x/**/", "{1..3}.md", "{a..c}/x", ".github/workflows/*.{yml,yaml}", "\\*.md", "a\\?b", "src/[!a]*"];
  const paths = ["src", "src/a.ts", "src/a/b.ts", "src/a/b/c.tsx", "lib/x.js", "docs/a.md", "docs/x/y/z.md", "a.md", "d.md", ".env", "a/.env", "x/.git/y", "test/a.ts", "a/tests/b.test.ts", "a/b", "a/x/y/b", "file1.txt", "file12.txt", "x/q/y", "x/y", "CHANGELOG.md", "src/a/index.ts", "aXbYc", "p/aaaab", "p/aaaa", "1.md", "4.md", "b/x", "x", "*.md", "a?b", "axb", "src/index.ts", ".github/workflows/ci.yml", "5x", "a/b/c/d/e/f.ts", "src/.hidden.ts"];
  test.each(patterns)("%j agrees with picomatch on every sample path", (pattern) => {
    const reference = picomatch(pattern, { dot: true });
    const disagreements = paths.filter((path) => reference(path) !== globMatcher([pattern])(path) && !deliberatelyDifferent(pattern, path));
    expect(disagreements).toEqual([]);
  });
});

describe("nameMatcher: check-name globs", () => {
  test.each([
    ["ci / test", "ci / test", true],
    ["ci / test", "ci / test (ubuntu)", false],
    ["ci / test", "CI / test", false],
    ["ci / *", "ci / test", true],
    ["ci / *", "ci / ", true],
    ["ci / *", "ci /", false],
    ["*", "", true],
    ["*", "anything / at all", true],
    ["* / test", "build / lint / test", true],
    ["test (*)", "test (node 20, ubuntu)", true],
    ["test (*)", "test (node 20", false],
    ["build (*, *, *)", "build (ubuntu, 20, x64)", true],
    ["build (*, *, *)", "build (ubuntu, 20)", false],
    ["lint?", "lint1", true],
    ["lint?", "lint", false],
    ["lint?", "lint12", false],
    ["?", "\n", true],
    ["a*b", "a\nb", true],
    ["**", "x", true],
    ["*a*b*", "xxaxxbxx", true],
    ["*a*b*", "xxbxxaxx", false],
    // Regular-expression syntax in a name is literal text.
    ["v1.2 [beta] (a|b) $x ^y +z {1} \\d", "v1.2 [beta] (a|b) $x ^y +z {1} \\d", true],
    ["v1.2", "v1x2", false],
    ["a+", "aa", false],
    ["(a|b)", "a", false],
    ["\\d", "1", false],
    ["[ab]", "a", false],
  ])("%j against %j: %s", (pattern, name, expected) => {
    expect(nameMatcher([pattern])(name)).toBe(expected);
  });

  test("a name matches when any pattern matches", () => {
    const matches = nameMatcher(["lint", "test (*)"]);
    expect(matches("lint")).toBe(true);
    expect(matches("test (20)")).toBe(true);
    expect(matches("build")).toBe(false);
    expect(nameMatcher([])("lint")).toBe(false);
  });

  // Check names come from other apps and from commit statuses a pull request's own CI may post:
  // a hostile name must not make a many-star pattern backtrack (each `*` multiplied the work).
  test("hostile names against many-star patterns finish with the right answer", () => {
    const long = "a".repeat(5000);
    expect(nameMatcher(["*a*a*a*a*a*a*a*a*b"])(long)).toBe(false);
    expect(nameMatcher(["*a*a*a*a*a*a*a*a*b"])(`${long}b`)).toBe(true);
    expect(nameMatcher(["build (*, *, *)"])(`build (${", ".repeat(5000)}`)).toBe(false);
    expect(nameMatcher(["*?*?*?*?*?*?*?*?*b"])(long)).toBe(false);
  });
});
