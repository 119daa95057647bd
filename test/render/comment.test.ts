import type { Finding } from "../../src/engine/types.js";
import { COMMENT_LIMIT, COMMENT_MARKER, LINES_PER_RULE, renderComment } from "../../src/render/comment.js";
import { HOSTILE, deceptiveLinks, evaluation, foreignTags, rule, toHtml, unprotectedMentions, utf8Bytes } from "./evaluations.js";

const url = "https://github.com/acme/app/runs/42";

const reviews = rule({
  id: "reviews",
  level: "bronze",
  status: "fail",
  reason: "needs 2 approvals, has 1",
  findings: [{ message: "one more approval needed", details: ["can approve: alice, bob"] }],
  fix: "Ask a reviewer for an approval.",
});
const tests = rule({ id: "tests", level: "bronze", status: "pending", reason: "ci / test has not finished" });
const slo = rule({ id: "slo", level: "gold", blocking: false, status: "fail", findings: [{ message: "no SLO file", path: "svc/slo.yaml", line: 3 }], fix: "Add an SLO." });
const owners = rule({ id: "codeowners", status: "pass", reason: "every file has an owner" });

function numbered(count: number, extra: Partial<Finding> = {}): Finding[] {
  return Array.from({ length: count }, (_, i) => ({ message: `finding ${i}`, path: `src/f${i}.ts`, line: i + 1, ...extra }));
}

describe("the sticky comment", () => {
  test("starts with the hidden marker, which GitHub does not render", () => {
    const body = renderComment(evaluation([owners], { conclusion: "success", reached: "gold" }));
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(COMMENT_MARKER).toMatch(/^<!-- [a-z:-]+ -->$/);
    // The HTML comment ends on its own line: the heading after it still renders as a heading.
    expect(toHtml(body)).toContain("<h3>✅ Ready to merge: gold reached</h3>");
  });

  test("success: a short ready message with the level and the link", () => {
    const body = renderComment(evaluation([owners], { conclusion: "success", reached: "gold" }), { checkRunUrl: url });
    expect(body).toBe(
      `${COMMENT_MARKER}\n### ✅ Ready to merge: gold reached\n\n**Level:** gold reached · silver required · ladder bronze → silver → gold\n\n[Full report in the readiness check](${url})\n`,
    );
  });

  test("failure: what blocks, each with its findings and fix; advisory collapsed; level; link", () => {
    const body = renderComment(evaluation([owners, slo, tests, reviews], { conclusion: "failure", reached: null }), { checkRunUrl: url });
    expect(body).toBe(
      [
        COMMENT_MARKER,
        "### ❌ Not ready to merge: 1 rule blocks it",
        "",
        "**❌ reviews** (bronze) — needs 2 approvals, has 1",
        "- one more approval needed",
        "  - can approve: alice, bob",
        "",
        "**Fix:** Ask a reviewer for an approval.",
        "",
        "**⏳ tests** (bronze) — ci / test has not finished",
        "",
        "**Level:** none reached · silver required · ladder bronze → silver → gold",
        "",
        "<details>",
        "<summary>1 advisory rule not met — it does not block the merge</summary>",
        "",
        "- ❌ **slo** (gold) — `svc/slo.yaml:3` no SLO file **Fix:** Add an SLO.",
        "",
        "</details>",
        "",
        `[Full report in the readiness check](${url})`,
        "",
      ].join("\n"),
    );
    expect(body).not.toContain("codeowners");
  });

  test("pending: says what it waits for", () => {
    const body = renderComment(evaluation([owners, tests], { conclusion: "pending", reached: null }));
    expect(body.split("\n")[1]).toBe("### ⏳ Not ready yet: waiting for tests");
    expect(body).toContain("**⏳ tests** (bronze) — ci / test has not finished");
  });

  test("neutral: ready, with the advisory rules collapsed", () => {
    const body = renderComment(evaluation([owners, slo], { conclusion: "neutral", reached: "silver" }));
    expect(body.split("\n")[1]).toBe("### ✅ Ready to merge: silver reached");
    expect(body).toContain("<details>\n<summary>1 advisory rule not met — it does not block the merge</summary>");
    expect(body).toContain("**Level:** silver reached · silver required · ladder bronze → silver → gold");
  });

  test(`at most ${LINES_PER_RULE} finding lines per rule, then "and N more"`, () => {
    const many = rule({ id: "secrets", status: "fail", findings: numbered(25), fix: "Remove them." });
    const body = renderComment(evaluation([many], { conclusion: "failure", reached: null }), { checkRunUrl: url });
    const lines = body.split("\n").filter((l) => l.startsWith("- "));
    expect(lines).toHaveLength(LINES_PER_RULE);
    expect(lines.slice(0, LINES_PER_RULE - 1)).toEqual(numbered(LINES_PER_RULE - 1).map((f) => `- \`${f.path}:${f.line}\` ${f.message}`));
    expect(lines[LINES_PER_RULE - 1]).toBe(`- … and ${25 - (LINES_PER_RULE - 1)} more findings (see the full report)`);
    expect(body).toContain("**Fix:** Remove them.");
  });

  test("details lines count against the budget, and failures are shown before warnings", () => {
    const withDetails = rule({
      id: "codeowners",
      status: "fail",
      findings: [
        { message: "a warning first in the list", severity: "warning" },
        ...numbered(5, { details: ["owner: @acme/platform", "suggested line: /src/ @acme/platform"] }),
      ],
    });
    const body = renderComment(evaluation([withDetails], { conclusion: "failure", reached: null }));
    const block = body.split("\n").filter((l) => l.startsWith("- ") || l.startsWith("  - "));
    expect(block[0]).toBe("- `src/f0.ts:1` finding 0");
    expect(block.length).toBeLessThanOrEqual(LINES_PER_RULE);
    expect(block[block.length - 1]).toBe("- … and 3 more findings");
    expect(body).not.toContain("a warning first in the list");
  });

  test("mentions in findings never ping anyone", () => {
    const body = renderComment(
      evaluation([rule({ id: "codeowners", status: "fail", findings: [{ message: "needs @acme/platform", details: ["or @octocat"] }] })], {
        conclusion: "failure",
        reached: null,
      }),
    );
    const outsideCode = toHtml(body).replace(/<code>[\s\S]*?<\/code>/g, "");
    expect(body).toContain("`@acme/platform`");
    expect(outsideCode).not.toMatch(/@acme|@octocat/);
  });

  test("a mention glued to another (an action or file name the author chose) pings nobody", () => {
    const findings: Finding[] = [
      { message: "uses: @x/y@someone is not an action reference", path: ".github/workflows/ci.yml", line: 3 },
      { message: "no owner", path: "src/@x@someone" },
    ];
    const body = renderComment(evaluation([rule({ id: "pinned-actions", status: "fail", findings })], { conclusion: "failure", reached: null }));
    expect(unprotectedMentions(toHtml(body))).toEqual([]);
  });

  test("user-controlled text cannot inject HTML or links", () => {
    const hostile = HOSTILE.map((text, i) => rule({ id: `r${i}`, status: "fail", reason: text, findings: [{ message: text, path: text, details: [text] }], fix: text }));
    const advisory = HOSTILE.map((text, i) => rule({ id: `a${i}`, blocking: false, level: "gold", status: "fail", findings: [{ message: text, path: text }] }));
    const html = toHtml(renderComment(evaluation([...hostile, ...advisory], { conclusion: "failure", reached: null }), { checkRunUrl: url }));
    expect(foreignTags(html, ["a", "details", "summary"])).toEqual([]);
    expect(deceptiveLinks(html)).toEqual([`<a href="${url}">Full report in the readiness check</a>`]);
    expect(html.match(/<details>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<(h1|h2|img|script|ol|pre)\b/);
  });

  test("a link that is not http(s) is dropped", () => {
    const body = renderComment(evaluation([owners], { conclusion: "success", reached: "gold" }), { checkRunUrl: "javascript:alert(1)" });
    expect(body).not.toContain("javascript");
    expect(body).not.toContain("Full report");
  });

  test("the configuration in force is named in the footer", () => {
    const body = renderComment(evaluation([owners], { conclusion: "success", reached: "gold" }), { checkRunUrl: url, configSources: [".readiness.yml"] });
    expect(body.endsWith(`[Full report in the readiness check](${url}) · configuration: \`.readiness.yml\`\n`)).toBe(true);
  });

  test("deterministic: equal evaluations render byte-identical text", () => {
    const build = () => evaluation([owners, slo, tests, reviews].map((r) => structuredClone(r)), { conclusion: "failure", reached: null });
    expect(renderComment(build(), { checkRunUrl: url })).toBe(renderComment(build(), { checkRunUrl: url }));
  });

  test("stays within 65,536 bytes with a truncation note, keeping the marker and closing its HTML", () => {
    const blocking = Array.from({ length: 400 }, (_, i) =>
      rule({ id: `rule-${i}`, status: "fail", reason: "🔥".repeat(2_000), findings: numbered(50, { message: "x".repeat(5_000) }), fix: "y".repeat(5_000) }),
    );
    const advisory = Array.from({ length: 400 }, (_, i) => rule({ id: `adv-${i}`, blocking: false, level: "gold", status: "fail", findings: numbered(3) }));
    const body = renderComment(evaluation([...advisory, ...blocking], { conclusion: "failure", reached: null }), { checkRunUrl: url });
    expect(utf8Bytes(body)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    const shownRules = body.split("\n").filter((l) => /^\*\*❌ rule-\d+\*\*/.test(l)).length;
    expect(shownRules).toBeGreaterThan(0);
    // The rules that did not fit, and the 400 advisory rules after them.
    expect(body).toContain(`\n\n… truncated: ${400 - shownRules + 400} more rules not shown; the check run lists everything.`);
    expect(body.endsWith(`\n\n**Level:** none reached · silver required · ladder bronze → silver → gold\n\n[Full report in the readiness check](${url})\n`)).toBe(true);
    expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
  });
});
