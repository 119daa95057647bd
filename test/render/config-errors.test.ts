import type { ConfigError, ConfigOrigin } from "../../src/config/types.js";
import { CHECK_RUN_OUTPUT_LIMIT } from "../../src/render/check-run.js";
import { COMMENT_LIMIT, COMMENT_MARKER } from "../../src/render/comment.js";
import { CONFIG_ERRORS_TITLE, renderConfigErrors, renderConfigErrorsComment, renderConfigErrorsText } from "../../src/render/config-errors.js";
import { HOSTILE, deceptiveLinks, foreignTags, toHtml, utf8Bytes } from "./evaluations.js";

const origin: ConfigOrigin = { repository: "acme/app", path: ".github/readiness.yml", ref: "main" };
const baseline: ConfigOrigin = { repository: "acme/.github", path: "readiness.yml" };

function configError(line: number, keyPath: string, message: string, at: ConfigOrigin = origin, column = 3): ConfigError {
  return { origin: at, line, column, endLine: line, keyPath, message };
}

const errors: ConfigError[] = [
  configError(9, "rules.docs.when", "expected a list of globs, got a number"),
  configError(4, "rules.reviews.approvals", 'expected a whole number ≥ 0, got "two"'),
  configError(2, "", "unknown top-level key \"levle\"; did you mean \"level\"?", baseline, 1),
];

describe("renderConfigErrors: the failing check", () => {
  const output = renderConfigErrors(origin, errors);

  test('the title is exactly "Invalid .readiness.yml", whatever the file is called', () => {
    expect(output.title).toBe(CONFIG_ERRORS_TITLE);
    expect(CONFIG_ERRORS_TITLE).toBe("Invalid .readiness.yml");
    expect(renderConfigErrors({ repository: "acme/app", path: ".readiness.yml" }, errors).title).toBe("Invalid .readiness.yml");
  });

  test("the summary names the real file and ref, then every error as path:line:column — keyPath: message, in file order", () => {
    const lines = output.summary.split("\n");
    expect(lines[0]).toBe(
      "❌ **The readiness configuration is invalid, so no rule was checked.** `.github/readiness.yml` in acme/app at `main` has 3 errors:",
    );
    expect(lines.filter((l) => l.startsWith("- "))).toEqual([
      '- `.github/readiness.yml:4:3` — `rules.reviews.approvals`: expected a whole number ≥ 0, got "two"',
      "- `.github/readiness.yml:9:3` — `rules.docs.when`: expected a list of globs, got a number",
      '- `acme/.github:readiness.yml:2:1` — unknown top-level key "levle"; did you mean "level"?',
    ]);
  });

  test("says what to do: fix the file on the base branch; and who must fix an error in another repository", () => {
    expect(output.summary).toContain(
      "**What to do:** fix the file on the base branch `main`; the check re-runs when it changes. Edits to it in this pull request take effect only once they are merged.",
    );
    expect(output.summary).toContain("Errors in `readiness.yml` belong to acme/.github and must be fixed there.");
    const noRef = renderConfigErrors({ repository: "acme/app", path: ".readiness.yml" }, [configError(1, "level", "bad")]);
    expect(noRef.summary).toContain("fix the file on the base branch; the check re-runs when it changes.");
  });

  test("one failure annotation per error in this repository, on its file at its line", () => {
    expect(output.annotations).toEqual([
      { path: ".github/readiness.yml", start_line: 4, end_line: 4, annotation_level: "failure", message: 'expected a whole number ≥ 0, got "two"', title: "Invalid .readiness.yml: rules.reviews.approvals" },
      { path: ".github/readiness.yml", start_line: 9, end_line: 9, annotation_level: "failure", message: "expected a list of globs, got a number", title: "Invalid .readiness.yml: rules.docs.when" },
    ]);
  });

  test("positions are never below 1, and a multi-line error spans its lines", () => {
    const out = renderConfigErrors(origin, [{ origin, line: 0, column: 0, endLine: 0, keyPath: "", message: "empty file" }, { origin, line: 5, column: 1, endLine: 8, keyPath: "rules", message: "bad block" }]);
    expect(out.summary).toContain("- `.github/readiness.yml:1:1` — empty file");
    expect(out.annotations.map((a) => [a.start_line, a.end_line])).toEqual([[1, 1], [5, 8]]);
  });

  test("no errors reported still renders a failing explanation rather than an empty list", () => {
    const out = renderConfigErrors(origin, []);
    expect(out.summary).toContain("has errors:");
    expect(out.summary).toContain("- (the loader reported no details)");
  });

  test("thousands of errors stay within the limit, with the count of those cut and what to do kept", () => {
    const many = Array.from({ length: 5_000 }, (_, i) => configError(i + 1, `rules.r${i}.level`, `unknown level "platinum-${"x".repeat(20)}" ✨`));
    const out = renderConfigErrors(origin, many);
    expect(utf8Bytes(out.summary)).toBeLessThanOrEqual(CHECK_RUN_OUTPUT_LIMIT);
    const shown = out.summary.split("\n").filter((l) => l.startsWith("- `.github/readiness.yml:")).length;
    expect(shown).toBeGreaterThan(100);
    expect(out.summary).toContain(`… truncated: ${5_000 - shown} more errors not shown (run \`readiness validate\` locally for all of them).`);
    expect(out.summary).toContain("**What to do:** fix the file on the base branch `main`");
    expect(out.annotations).toHaveLength(5_000);
  });

  test("messages and key paths cannot inject markup", () => {
    const hostile = HOSTILE.map((text, i) => configError(i + 1, text, text));
    const html = toHtml(renderConfigErrors({ ...origin, ref: "<b>main</b>" }, hostile).summary);
    expect(foreignTags(html, ["a"])).toEqual([]);
    expect(deceptiveLinks(html)).toEqual([]);
    expect(html.match(/<li>/g)).toHaveLength(HOSTILE.length);
  });
});

describe("renderConfigErrorsComment", () => {
  test("marker, what is wrong, the errors, what to do, the link", () => {
    const body = renderConfigErrorsComment(origin, errors, { checkRunUrl: "https://github.com/acme/app/runs/7" });
    expect(body.startsWith(`${COMMENT_MARKER}\n### ❌ Not checked: the readiness configuration is invalid\n`)).toBe(true);
    expect(body).toContain("`.github/readiness.yml` in acme/app at `main` has 3 errors:");
    expect(body).toContain('- `.github/readiness.yml:4:3` — `rules.reviews.approvals`: expected a whole number ≥ 0, got "two"');
    expect(body).toContain("fix the file on the base branch `main`");
    expect(body.endsWith("[Full report in the readiness check](https://github.com/acme/app/runs/7)\n")).toBe(true);
  });

  test("shows at most 20 errors, then how many more", () => {
    const many = Array.from({ length: 45 }, (_, i) => configError(i + 1, `k${i}`, "bad"));
    const body = renderConfigErrorsComment(origin, many);
    expect(body.split("\n").filter((l) => l.startsWith("- `"))).toHaveLength(20);
    expect(body).toContain("\n- … and 25 more errors\n");
    expect(utf8Bytes(body)).toBeLessThanOrEqual(COMMENT_LIMIT);
  });

  test("deterministic", () => {
    expect(renderConfigErrorsComment(origin, [...errors])).toBe(renderConfigErrorsComment(origin, [...errors]));
  });
});

describe("renderConfigErrorsText: compiler-style lines for the CLI", () => {
  test("file:line:column: key: message, in file order, then a count", () => {
    expect(renderConfigErrorsText(origin, errors)).toBe(
      [
        '.github/readiness.yml:4:3: rules.reviews.approvals: expected a whole number ≥ 0, got "two"',
        ".github/readiness.yml:9:3: rules.docs.when: expected a list of globs, got a number",
        'acme/.github:readiness.yml:2:1: unknown top-level key "levle"; did you mean "level"?',
        "3 errors in .github/readiness.yml and acme/.github:readiness.yml (at main); no rule was checked.",
        "",
      ].join("\n"),
    );
  });

  test("one line per error even when a message has newlines, and no terminal escape sequences", () => {
    const local: ConfigOrigin = { repository: "local", path: ".readiness.yml" };
    const text = renderConfigErrorsText(local, [configError(1, "level", "bad\nvalue \u001b[31mred\u001b[0m", local)]);
    expect(text.split("\n")).toHaveLength(3);
    expect(text).not.toContain("\u001b");
    expect(text.startsWith(".readiness.yml:1:3: level: bad value ")).toBe(true);
    expect(text).toContain("1 error in .readiness.yml; no rule was checked.");
  });
});
