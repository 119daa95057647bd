import { findSection, headingKey, headings, parseWantedSection } from "../../../rules/lib/markdown-sections.js";

describe("headings", () => {
  test("ATX and setext headings, with their level, text, line and whether text follows", () => {
    const doc = ["# Title", "", "intro", "## Empty", "", "### Deeper", "", "## Rollback plan ##", "revert it", "Setext", "======", "text", "Under", "---"].join("\n");
    expect(headings(doc)).toEqual([
      { level: 1, text: "Title", line: 1, filled: true },
      { level: 2, text: "Empty", line: 4, filled: false },
      { level: 3, text: "Deeper", line: 6, filled: false },
      { level: 2, text: "Rollback plan", line: 8, filled: true },
      { level: 1, text: "Setext", line: 10, filled: true },
      { level: 2, text: "Under", line: 13, filled: false },
    ]);
  });

  test.each([
    ["# a #", "a"],
    ["# a ###   ", "a"],
    ["# a\t#", "a"],
    ["# a#", "a#"],
    ["# a \\#", "a \\#"],
    ["# #", ""],
    ["# ###", ""],
    ["#", ""],
    ["# a # b", "a # b"],
    ["# a  #  # ", "a  #"],
    ["#   spaced   out   ", "spaced   out"],
  ])("the closing #s of %j are not part of its text", (line, text) => {
    expect(headings(line).map((h) => h.text)).toEqual([text]);
  });

  test("fenced code and HTML comments hold no headings", () => {
    expect(headings(["```", "# not a heading", "```", "<!-- # nor this -->", "# real"].join("\n"))).toEqual([{ level: 1, text: "real", line: 5, filled: false }]);
  });

  test("a section with only deeper headings and blank lines is empty; content under a deeper heading fills it", () => {
    expect(headings(["# a", "", "## b", "", "### c", "x"].join("\n")).map((h) => h.filled)).toEqual([true, true, true]);
    expect(headings(["# a", "## b", "# c", "x"].join("\n")).map((h) => h.filled)).toEqual([false, false, true]);
  });

  // A runbook is read up to 1 MB and a pull request description up to 64 KB, both written by the
  // pull request's author: documents made to be slow must still be read in one pass.
  const MEGABYTE = 1024 * 1024;

  test("a megabyte of empty headings", () => {
    const found = headings("#\n".repeat(MEGABYTE / 2));
    expect(found).toHaveLength(MEGABYTE / 2);
    expect(found.every((h) => h.level === 1 && h.text === "" && !h.filled)).toBe(true);
  });

  test("a megabyte of setext headings", () => {
    const found = headings("a\n=\n".repeat(MEGABYTE / 4));
    expect(found).toHaveLength(MEGABYTE / 4);
    expect(found.at(-1)).toEqual({ level: 1, text: "a", line: MEGABYTE / 2 - 1, filled: false });
  });

  test("a heading line of a megabyte of blanks before a closing-sequence look-alike", () => {
    const blanks = " \t".repeat(MEGABYTE / 2);
    expect(headings(`# a${blanks}#x`)).toEqual([{ level: 1, text: `a${blanks}#x`, line: 1, filled: false }]);
    expect(headings(`# a${blanks}#${blanks}`)).toEqual([{ level: 1, text: "a", line: 1, filled: false }]);
  });

  test("findSection on a megabyte-long heading text with a run of blanks before its end", () => {
    const text = `Rollback${" ".repeat(MEGABYTE)}x`;
    const doc = headings(`# ${text}\nplan`);
    expect(findSection(doc, parseWantedSection("Rollback"))).toEqual({ state: "missing" });
    expect(findSection(doc, parseWantedSection("Rollback x"))).toEqual({ state: "filled", heading: { level: 1, text, line: 1, filled: true } });
  });
});

describe("headingKey", () => {
  test.each([
    ["Rollback plan", "rollback plan"],
    ["Rollback plan:", "rollback plan"],
    ["Rollback   plan : ", "rollback plan"],
    ["Rollback plan\u00a0:\u3000", "rollback plan"],
    ["  Rollback\tplan", "rollback plan"],
    ["a:b", "a:b"],
    [":::", ""],
  ])("%j → %j", (text, key) => {
    expect(headingKey(text)).toBe(key);
  });

  test("a long run of blanks and colons that does not end the text", () => {
    expect(headingKey(`a${" :".repeat(1024 * 1024)}b`)).toBe(`a${" :".repeat(1024 * 1024)}b`.replace(/\s+/g, " ").toLowerCase());
  });
});
