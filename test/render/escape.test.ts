import { clip, code, cutToBytes, md, oneLine, plain, safeUrl } from "../../src/render/escape.js";
import { prng } from "../helpers/prng.js";
import { HOSTILE, deceptiveLinks, foreignTags, tableRows, toHtml, unprotectedMentions, visible } from "./evaluations.js";

describe("md: user text as inline markdown that renders literally", () => {
  test.each(HOSTILE)("%j renders as exactly its one-line text, with no markup", (raw) => {
    const html = toHtml(`- ${md(raw)}`);
    expect(foreignTags(html, ["a"])).toEqual([]);
    expect(deceptiveLinks(html)).toEqual([]);
    expect(html).not.toMatch(/<(strong|em|del|img|h1|h2|ol|pre)\b/);
    const expected = oneLine(raw).trim();
    // Mentions are wrapped in code spans: same characters, no ping.
    expect(visible(html)).toBe(expected);
  });

  test.each(HOSTILE)("%j keeps a table row at exactly its cells", (raw) => {
    const html = toHtml(`| a | b | c |\n| --- | --- | --- |\n| ${md(raw)} | ${code(raw, { table: true })} | end |`);
    const rows = tableRows(html);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveLength(3);
    expect(rows[0]?.[2]).toBe("end");
    expect(visible(rows[0]?.[0] ?? "")).toBe(oneLine(raw).trim());
    expect(visible(rows[0]?.[1] ?? "")).toBe(oneLine(raw).trim());
  });

  test("block syntax at the start of the text stays text", () => {
    for (const raw of ["# title", "- item", "+ item", "1. first", "2) second", "> quote", "    indented"]) {
      const html = toHtml(`- ${md(raw)}`);
      expect(html).not.toMatch(/<(h1|ol|blockquote|pre)\b/);
      expect(html.match(/<ul>/g)).toHaveLength(1);
      expect(visible(html)).toBe(raw.trim());
    }
  });

  test("@-mentions are put in code spans so GitHub does not notify anyone; e-mail addresses are left alone", () => {
    expect(md("ask @acme/platform or @octocat")).toBe("ask `@acme/platform` or `@octocat`");
    expect(md("write to dev@example.com")).toBe("write to dev@example.com");
  });

  // GitHub links and notifies `@name` after any character that is not a letter, digit or `_`:
  // backslashes and backticks are escaped into plain text, so one in front is no protection.
  test.each([
    "`@octocat", "\\@octocat", "``@octocat``", "\\`@acme/platform", "x`@octocat", "é@octocat", "*@octocat*", "[@octocat]", "~@octocat", "|@octocat",
    // A mention glued to another: closing the first span would put a backtick before the second.
    "@x/y@someone", "uses: '@x/y@someone'", "src/@x@someone", "@a.b@c", "@a-@b", "@a/b.c-d_e@f/g@h",
  ])(
    "%j pings nobody and still reads as written",
    (raw) => {
      const html = toHtml(`- ${md(raw)}`);
      expect(unprotectedMentions(html)).toEqual([]);
      expect(visible(html)).toBe(raw);
    },
  );

  test("no generated text of mention-prone characters pings anyone, in a list item or a table cell", () => {
    const alphabet = ["@", "@", "a", "b", "1", "/", "`", "\\", ".", "-", "_", " ", "*", "é", "|", "[", "]", "~", "<", "&"];
    const random = prng(15_3);
    for (let i = 0; i < 3000; i++) {
      const length = 1 + Math.floor(random() * 16);
      let raw = "";
      for (let j = 0; j < length; j++) raw += alphabet[Math.floor(random() * alphabet.length)];
      const listItem = toHtml(`- ${md(raw)}`);
      const cell = toHtml(`| a | b |\n| --- | --- |\n| ${md(raw)} | ${code(raw, { table: true })} |`);
      expect({ raw, mentions: [...unprotectedMentions(listItem), ...unprotectedMentions(cell)] }).toEqual({ raw, mentions: [] });
    }
  });

  test("newlines never survive: one line in, one line out", () => {
    expect(md("a\r\nb\rc\nd\u2028e")).toBe("a b c d e");
    expect(md("a\nb")).not.toContain("\n");
  });
});

describe("code: paths and names as code spans", () => {
  test("a fence longer than any backtick run inside", () => {
    expect(code("a`b")).toBe("``a`b``");
    expect(code("``x``")).toBe("``` ``x`` ```");
    expect(visible(toHtml(code("``x``")))).toBe("``x``");
  });

  test("inside a table a pipe falls back to escaped text instead of a code span", () => {
    expect(code("a|b", { table: true })).toBe("a\\|b");
    expect(code("a|b")).toBe("`a|b`");
  });

  test("empty text gives nothing, not an empty code span", () => {
    expect(code("  ")).toBe("");
  });
});

describe("plain: user text for a terminal", () => {
  test("control characters and bidi overrides are replaced, so no escape sequence reaches the terminal", () => {
    const out = plain("\u001b[2J\u001b]0;title\u0007ok\u202e\u0000");
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(out).toContain("ok");
  });
});

describe("sizes", () => {
  test("clip never splits a surrogate pair and marks the cut", () => {
    const clipped = clip("ab😀cd", 4);
    expect(clipped).toBe("ab…");
    expect(clip("short", 10)).toBe("short");
    expect(clip("exactly", 7)).toBe("exactly");
  });

  test("cutToBytes keeps whole lines", () => {
    expect(cutToBytes("one\ntwo\nthree", 8)).toBe("one\ntwo");
    expect(cutToBytes("one\ntwo", 100)).toBe("one\ntwo");
    expect(cutToBytes("éééé", 5)).toBe("éé");
  });
});

describe("safeUrl", () => {
  test("only http(s), with characters that would end a markdown link encoded", () => {
    expect(safeUrl("javascript:alert(1)")).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
    expect(safeUrl("https://github.com/a/b/runs/1")).toBe("https://github.com/a/b/runs/1");
    expect(safeUrl("https://x.example/a) [b](c")).toBe("https://x.example/a%29%20[b]%28c");
  });
});

describe("the test oracle itself", () => {
  test("sees an injected tag, a hidden link destination and a broken table when they are there", () => {
    expect(foreignTags(toHtml("x <img src=x onerror=alert(1)> y"))).toContain("img");
    expect(deceptiveLinks(toHtml("[click](https://evil.example)"))).toHaveLength(1);
    expect(tableRows(toHtml("| a | b |\n| --- | --- |\n| x | y | z |"))[0]).toHaveLength(2);
    expect(tableRows(toHtml("| a | b |\n| --- | --- |\n| x|y | z |"))[0]?.[0]).toBe("x");
  });
});
