import { nameMatcher } from "../../src/engine/globs.js";

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
