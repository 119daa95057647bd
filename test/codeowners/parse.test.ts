/** Lines of a CODEOWNERS file (rules 3-8 and 10 of the shared design notes (shared/design/codeowners.md)). */
import { CODEOWNERS_SIZE_LIMIT_BYTES, formatOwner, parseCodeowners } from "../../src/codeowners/parse.js";
import { utf8ByteLength } from "../../src/engine/text.js";

const parse = (text: string) => parseCodeowners(text, ".github/CODEOWNERS");

describe("parseCodeowners: lines (rules 4, 5)", () => {
  test("rule 4: blank lines and # comments are ignored; line numbers count them", () => {
    const { rules, errors } = parse("# owners\n\n   \n\t# indented comment\n*.js @alice\n");
    expect(errors).toEqual([]);
    expect(rules).toEqual([{ line: 5, pattern: "*.js", owners: [{ kind: "user", value: "alice", column: 6 }] }]);
  });

  test("rule 4: a trailing # comment after the owners is not an owner", () => {
    const { rules, errors } = parse("/src/ @alice @org/web # the web team\n/lib/ # nobody yet\n");
    expect(errors).toEqual([]);
    expect(rules.map((r) => r.owners.map(formatOwner))).toEqual([["@alice", "@org/web"], []]);
  });

  test("rule 5: a pattern then owners separated by any white space", () => {
    const { rules } = parse("  docs/\t@alice   @org/docs\tdocs@example.com  ");
    expect(rules[0]).toEqual({
      line: 1,
      pattern: "docs/",
      owners: [
        { kind: "user", value: "alice", column: 9 },
        { kind: "team", value: "org/docs", column: 18 },
        { kind: "email", value: "docs@example.com", column: 28 },
      ],
    });
  });

  test("CRLF line endings and a byte-order mark are read like plain lines", () => {
    const { rules, errors } = parse("\ufeff*.md @alice\r\n/src/ @bob\r\n");
    expect(errors).toEqual([]);
    expect(rules.map((r) => [r.line, r.pattern, r.owners[0]?.value])).toEqual([
      [1, "*.md", "alice"],
      [2, "/src/", "bob"],
    ]);
  });

  test("an escaped space belongs to the pattern", () => {
    const { rules } = parse("/My\\ Documents/ @alice");
    expect(rules[0]?.pattern).toBe("/My\\ Documents/");
    expect(rules[0]?.owners.map(formatOwner)).toEqual(["@alice"]);
  });

  test("a # inside a pattern is a literal character", () => {
    const { rules, errors } = parse("/src/C#/ @alice");
    expect(errors).toEqual([]);
    expect(rules[0]?.pattern).toBe("/src/C#/");
  });

  test("unicode patterns and owners' columns count characters", () => {
    const { rules } = parse("/文档/ @alice\n/😀/ @bob");
    expect(rules[0]?.owners[0]?.column).toBe(6);
    expect(rules[1]?.owners[0]?.column).toBe(5);
  });

  test("columns of later owners and errors on a line count characters too", () => {
    const { rules } = parse("/😀/ @bob 😀@x.io @carol");
    expect(rules[0]?.owners.map((o) => o.column)).toEqual([5, 10, 17]);
    const { errors } = parse("/😀/ @bob 😀 @carol 😀😀");
    expect(errors.map((e) => e.column)).toEqual([10, 19]);
  });
});

describe("parseCodeowners: owners (rules 6, 8)", () => {
  test("rule 6: a pattern with no owners is valid", () => {
    const { rules, errors } = parse("/vendor/");
    expect(errors).toEqual([]);
    expect(rules).toEqual([{ line: 1, pattern: "/vendor/", owners: [] }]);
  });

  test("rule 8: users, teams and e-mail addresses", () => {
    const { rules, errors } = parse("* @octo-cat @my-org/Platform_Team @user_emu a.b+c@mail.example.org");
    expect(errors).toEqual([]);
    expect(rules[0]?.owners.map((o) => [o.kind, o.value])).toEqual([
      ["user", "octo-cat"],
      ["team", "my-org/Platform_Team"],
      ["user", "user_emu"],
      ["email", "a.b+c@mail.example.org"],
    ]);
  });

  test.each([
    ["alice", 3, /"alice" is not a valid owner: did you mean @alice\?/],
    ["@", 3, /"@" alone is not an owner/],
    ["@org/", 3, /"@org\/" is not a valid team/],
    ["@org/team/sub", 3, /"@org\/team\/sub" is not a valid team/],
    ["@-dash", 3, /"@-dash" is not a valid user name/],
    ["me@localhost", 3, /"me@localhost" is not a valid e-mail address/],
    ["a@b@c.com", 3, /"a@b@c.com" is not a valid owner/],
    ["<alice>", 3, /"<alice>" is not a valid owner/],
  ])("rule 8: %j is an invalid owner at column %d", (token, column, message) => {
    const { rules, errors } = parse(`* ${token}`);
    expect(rules).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 1, column });
    expect(errors[0]?.message).toMatch(message);
  });
});

describe("parseCodeowners: invalid lines (rules 7, 10)", () => {
  test("rule 7: an invalid line is skipped and reported; the rest of the file applies", () => {
    const { rules, errors } = parse("*.js @alice\n/src/ @bob nobody @carol\n/docs/ @dana\n");
    expect(rules.map((r) => r.line)).toEqual([1, 3]);
    expect(errors).toEqual([{ line: 2, column: 12, message: expect.stringContaining('"nobody"') }]);
  });

  test("rule 7: every invalid owner on a line is reported with its column", () => {
    const { errors } = parse("/x/ bad1 @ok bad2");
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [1, 5],
      [1, 14],
    ]);
  });

  test("rule 10: a negated pattern is an invalid line", () => {
    const { rules, errors } = parse("!/src/generated/ @alice");
    expect(rules).toEqual([]);
    expect(errors).toEqual([{ line: 1, column: 1, message: expect.stringMatching(/negation with "!" is not supported/) }]);
  });

  test("rule 10: \\# cannot escape a leading #", () => {
    const { rules, errors } = parse("  \\#notes.md @alice");
    expect(rules).toEqual([]);
    expect(errors).toEqual([{ line: 1, column: 3, message: expect.stringMatching(/cannot start with "#"/) }]);
  });

  test("rule 10: brackets are literal, not an error", () => {
    const { rules, errors } = parse("/app/[slug]/ @alice");
    expect(errors).toEqual([]);
    expect(rules[0]?.pattern).toBe("/app/[slug]/");
  });

  test("a pattern ending in a lone backslash is reported", () => {
    const { rules, errors } = parse("/foo\\");
    expect(rules).toEqual([]);
    expect(errors[0]?.message).toMatch(/ends with a lone "\\"/);
  });
});

describe("parseCodeowners: size (rule 3)", () => {
  const line = "/some/fairly/long/directory/path/for/padding/ @org/team-name\n";

  test("a file of 3 MB or more owns nothing and says why, once", () => {
    const content = line.repeat(Math.ceil(CODEOWNERS_SIZE_LIMIT_BYTES / line.length));
    expect(utf8ByteLength(content)).toBeGreaterThanOrEqual(CODEOWNERS_SIZE_LIMIT_BYTES);
    const parsed = parse(content);
    expect(parsed.tooLarge).toBe(true);
    expect(parsed.rules).toEqual([]);
    expect(parsed.errors).toEqual([{ line: 1, column: 1, message: expect.stringMatching(/\.github\/CODEOWNERS is 3\.0 MB: GitHub ignores a CODEOWNERS file of 3 MB or more/) }]);
  });

  test("a file one byte under 3 MB is read", () => {
    const body = line.repeat(Math.floor((CODEOWNERS_SIZE_LIMIT_BYTES - 1) / line.length));
    const content = body + "#".repeat(CODEOWNERS_SIZE_LIMIT_BYTES - 1 - body.length);
    expect(utf8ByteLength(content)).toBe(CODEOWNERS_SIZE_LIMIT_BYTES - 1);
    const parsed = parse(content);
    expect(parsed.tooLarge).toBe(false);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rules.length).toBe(Math.floor((CODEOWNERS_SIZE_LIMIT_BYTES - 1) / line.length));
  });

  // A pull request that edits CODEOWNERS has its new file parsed: one line can hold a million owners.
  test("a line of a million owners is read in one pass, each owner at its column", () => {
    const count = 1_000_000;
    const content = `* ${"@a ".repeat(count)}`;
    expect(utf8ByteLength(content)).toBeLessThan(CODEOWNERS_SIZE_LIMIT_BYTES);
    const parsed = parse(content);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rules[0]?.owners).toHaveLength(count);
    expect(parsed.rules[0]?.owners.at(-1)).toEqual({ kind: "user", value: "a", column: 3 + 3 * (count - 1) });
  });

  test("a line of a million invalid owners reports each at its column", () => {
    const count = 1_000_000;
    const parsed = parse(`* ${"x ".repeat(count)}`);
    expect(parsed.rules).toEqual([]);
    expect(parsed.errors).toHaveLength(count);
    expect(parsed.errors.at(-1)?.column).toBe(3 + 2 * (count - 1));
  });

  test("the limit counts UTF-8 bytes, not characters", () => {
    const wide = "# " + "文".repeat(Math.ceil(CODEOWNERS_SIZE_LIMIT_BYTES / 3));
    expect(wide.length).toBeLessThan(CODEOWNERS_SIZE_LIMIT_BYTES);
    expect(parse(wide).tooLarge).toBe(true);
  });
});
