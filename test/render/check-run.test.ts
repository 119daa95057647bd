import { z } from "zod";
import { evaluate, type Registry, type ResolvedConfig, type RuleResult } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { defineRule } from "../../src/engine/rule.js";
import { fail, pass, pending, skip, unknown, type Finding, type Verdict } from "../../src/engine/types.js";
import { ANNOTATION_MESSAGE_MAX, CHECK_RUN_OUTPUT_LIMIT, renderCheckRun } from "../../src/render/check-run.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { oneLine } from "../../src/render/escape.js";
import { HOSTILE, deceptiveLinks, evaluation, foreignTags, rule, tableRows, toHtml, utf8Bytes, visible } from "./evaluations.js";

/** The rule ids of the summary table, top to bottom. */
function tableIds(summary: string): string[] {
  return tableRows(toHtml(summary)).map((cells) => cells[1] ?? "");
}

function tableRowOf(summary: string, id: string): string[] {
  const row = tableRows(toHtml(summary)).find((cells) => cells[1] === id);
  if (!row) throw new Error(`no table row for ${id}`);
  return row;
}

const reviewsFail = rule({
  id: "reviews",
  level: "bronze",
  status: "fail",
  reason: "needs 2 approvals, has 1",
  findings: [{ message: "1 more approval needed", details: ["can approve: alice, bob"] }],
  fix: "Ask a reviewer for an approval.",
});
const docsFail = rule({
  id: "docs",
  level: "silver",
  status: "fail",
  findings: [
    { message: "src/ changed but docs/ did not", path: "src/cart.ts", line: 12, endLine: 14 },
    { message: "CHANGELOG.md has no entry", path: "CHANGELOG.md" },
  ],
  fix: "Describe the change under docs/ or in CHANGELOG.md.",
});
const testsPending = rule({ id: "tests", level: "bronze", status: "pending", reason: "ci / test has not finished" });
const sloAdvisory = rule({
  id: "slo",
  level: "gold",
  blocking: false,
  status: "fail",
  findings: [{ message: "service has no SLO", path: "svc/slo.yaml", line: 3 }],
  fix: "Add an SLO file.",
});
const secretsSkip = rule({ id: "secrets", level: "bronze", status: "skip", reason: "no changed file matches src/**" });
const ownersPass = rule({ id: "codeowners", level: "bronze", status: "pass", reason: "every file has an owner" });
const runbookWaived = rule({ id: "runbook", level: "silver", status: "waived", reason: "waived by @sre-lead: hotfix" });

describe("title: one line a developer reads first", () => {
  test("success names the level reached", () => {
    const e = evaluation([ownersPass], { conclusion: "success", reached: "gold" });
    expect(renderCheckRun(e, {}).title).toBe("Ready: gold reached");
  });

  test("failure counts the blocking rules that fail and names them", () => {
    const e = evaluation([sloAdvisory, reviewsFail, ownersPass, docsFail], { conclusion: "failure", reached: null });
    expect(renderCheckRun(e).title).toBe("Blocked: 2 rules fail (reviews, docs)");
    const one = evaluation([reviewsFail], { conclusion: "failure", reached: null });
    expect(renderCheckRun(one).title).toBe("Blocked: 1 rule fails (reviews)");
  });

  test("failure also says what is still waiting", () => {
    const e = evaluation([testsPending, reviewsFail], { conclusion: "failure", reached: null });
    expect(renderCheckRun(e).title).toBe("Blocked: 1 rule fails (reviews); 1 waiting (tests)");
  });

  test("pending names what it waits for", () => {
    const e = evaluation([ownersPass, testsPending], { conclusion: "pending", reached: null });
    expect(renderCheckRun(e).title).toBe("Waiting: tests — ci / test has not finished");
    const two = evaluation([testsPending, rule({ id: "e2e", status: "pending", reason: "e2e running" })], { conclusion: "pending", reached: null });
    expect(renderCheckRun(two).title).toBe("Waiting: 2 rules pending (tests, e2e)");
  });

  test("neutral: ready at the level reached, with the advisory rules not met", () => {
    const e = evaluation([ownersPass, sloAdvisory], { conclusion: "neutral", reached: "silver" });
    expect(renderCheckRun(e).title).toBe("Ready at silver; 1 advisory rule not met (slo)");
  });

  test("stays one short line whatever the reason says", () => {
    const long = rule({ id: "tests", status: "pending", reason: `${"x".repeat(500)}\nsecond line` });
    const title = renderCheckRun(evaluation([long], { conclusion: "pending", reached: null })).title;
    expect(title.length).toBeLessThanOrEqual(120);
    expect(title).not.toContain("\n");
    expect(title.endsWith("…")).toBe(true);
    const many = Array.from({ length: 40 }, (_, i) => rule({ id: `rule-number-${i}`, status: "fail" }));
    const blocked = renderCheckRun(evaluation(many, { conclusion: "failure", reached: null })).title;
    expect(blocked).toBe("Blocked: 40 rules fail (rule-number-0, rule-number-1, rule-number-2, +37 more)");
  });
});

describe("summary", () => {
  const e = evaluation([ownersPass, secretsSkip, sloAdvisory, runbookWaived, testsPending, docsFail, reviewsFail], {
    conclusion: "failure",
    reached: "bronze",
  });
  const { summary } = renderCheckRun(e);

  test("opens with the verdict, then the level line with the ladder", () => {
    const [verdict, blank, level] = summary.split("\n");
    expect(verdict).toBe("❌ **Not ready to merge:** 2 blocking rules fail (docs, reviews). Also waiting on tests.");
    expect(blank).toBe("");
    expect(level).toBe("**Level:** bronze reached · silver required · ladder bronze → silver → gold");
  });

  test('says "none" when not even the first level is reached', () => {
    const none = renderCheckRun(evaluation([reviewsFail], { conclusion: "failure", reached: null, required: "bronze" })).summary;
    expect(none).toContain("**Level:** none reached · bronze required · ladder bronze → silver → gold");
  });

  test("orders the table: blocking failures, pending, advisory, passes, waived, skipped", () => {
    expect(tableIds(summary)).toEqual(["docs", "reviews", "tests", "slo", "codeowners", "runbook", "secrets"]);
  });

  test("each row: status icon and word, rule, level, blocking or advisory, what to do", () => {
    expect(tableRowOf(summary, "docs")).toEqual([
      "❌ fail",
      "docs",
      "silver",
      "blocking",
      "<code>src/cart.ts:12-14</code> src/ changed but docs/ did not (+1 more below)<br><strong>Fix:</strong> Describe the change under docs/ or in CHANGELOG.md.",
    ]);
    expect(tableRowOf(summary, "tests").slice(0, 4)).toEqual(["⏳ pending", "tests", "bronze", "blocking"]);
    expect(tableRowOf(summary, "tests")[4]).toBe("ci / test has not finished");
    expect(tableRowOf(summary, "slo").slice(0, 4)).toEqual(["❌ fail", "slo", "gold", "advisory"]);
    expect(tableRowOf(summary, "codeowners")).toEqual(["✅ pass", "codeowners", "bronze", "blocking", "every file has an owner"]);
    expect(tableRowOf(summary, "runbook")[0]).toBe("🏳️ waived");
    expect(tableRowOf(summary, "runbook")[4]).toBe("waived by <code>@sre-lead</code>: hotfix");
    expect(tableRowOf(summary, "secrets")).toEqual(["⏭️ skipped", "secrets", "bronze", "blocking", "no changed file matches src/**"]);
  });

  test("unknown and error say why the rule could not decide", () => {
    const s = renderCheckRun(
      evaluation(
        [
          rule({ id: "codeowners", status: "unknown", reason: "the pull request has over 3000 files", fix: "Split it." }),
          rule({ id: "secrets", status: "error", reason: "the rule crashed: boom" }),
        ],
        { conclusion: "failure", reached: null },
      ),
    ).summary;
    expect(tableRowOf(s, "codeowners")).toEqual([
      "❔ unknown",
      "codeowners",
      "bronze",
      "blocking",
      "cannot be checked: the pull request has over 3000 files<br><strong>Fix:</strong> Split it.",
    ]);
    expect(tableRowOf(s, "secrets").slice(0, 1).concat(tableRowOf(s, "secrets").slice(4))).toEqual(["⚠️ error", "could not run: the rule crashed: boom"]);
  });

  test("details list every finding of every rule that is not satisfied, with location, details and fix", () => {
    const details = summary.slice(summary.indexOf("### Details"));
    expect(details).toContain("#### ❌ docs — fail · silver · blocking");
    expect(details).toContain("- `src/cart.ts:12-14` src/ changed but docs/ did not");
    expect(details).toContain("- `CHANGELOG.md` CHANGELOG.md has no entry");
    expect(details).toContain("**How to fix:** Describe the change under docs/ or in CHANGELOG.md.");
    expect(details).toContain("#### ❌ reviews — fail · bronze · blocking");
    expect(details).toContain("needs 2 approvals, has 1");
    expect(details).toContain("- 1 more approval needed\n  - can approve: alice, bob");
    expect(details).toContain("#### ⏳ tests — pending · bronze · blocking");
    expect(details).toContain("#### ❌ slo — fail · gold · advisory");
    // Satisfied rules without findings need no details.
    expect(details).not.toContain("codeowners");
    expect(details).not.toContain("secrets");
    // Blocking rules come first in the details too.
    expect(details.indexOf("docs —")).toBeLessThan(details.indexOf("reviews —"));
    expect(details.indexOf("reviews —")).toBeLessThan(details.indexOf("tests —"));
    expect(details.indexOf("tests —")).toBeLessThan(details.indexOf("slo —"));
  });

  test("warnings on a passing rule are shown in its row and its details", () => {
    const warned = rule({
      id: "docs",
      status: "pass",
      reason: "docs changed",
      findings: [{ message: "CHANGELOG.md not touched", path: "CHANGELOG.md", severity: "warning" }],
    });
    const s = renderCheckRun(evaluation([warned], { conclusion: "success", reached: "gold" })).summary;
    expect(tableRowOf(s, "docs")[4]).toBe("docs changed<br>⚠️ 1 warning: <code>CHANGELOG.md</code> CHANGELOG.md not touched");
    expect(s).toContain("#### ✅ docs — pass · bronze · blocking");
    expect(s).toContain("- `CHANGELOG.md` **warning:** CHANGELOG.md not touched");
    expect(s).not.toContain("How to fix");
  });

  test("the markdown parses into one table with a row per rule and no foreign HTML", () => {
    const html = toHtml(summary);
    expect(tableRows(html)).toHaveLength(7);
    expect(tableRows(html).every((row) => row.length === 5)).toBe(true);
    expect(foreignTags(html)).toEqual([]);
  });

  test("the configuration in force is named at the end", () => {
    const s = renderCheckRun(e, { configSources: [".github/readiness.yml", "acme/.github:readiness.yml"] }).summary;
    expect(s.endsWith("\n\nConfiguration: `.github/readiness.yml` · `acme/.github:readiness.yml`")).toBe(true);
  });

  test("no rules enabled says so instead of an empty table", () => {
    const s = renderCheckRun(evaluation([], { conclusion: "success", reached: "gold" })).summary;
    expect(s).toContain("No rules are enabled.");
    expect(s).not.toContain("| Status |");
  });
});

describe("user-controlled text cannot break the table or inject HTML", () => {
  const hostileRules: RuleResult[] = HOSTILE.map((text, i) =>
    rule({
      id: `rule-${i}`,
      status: "fail",
      reason: text,
      findings: [
        { message: text, path: `src/${text}.ts`, line: 1, details: [text] },
        { message: `second ${text}`, path: text },
      ],
      fix: text,
    }),
  );
  const output = renderCheckRun(evaluation(hostileRules, { conclusion: "failure", reached: null }), { configSources: [...HOSTILE] });
  const html = toHtml(output.summary);

  test("one row of five cells per rule", () => {
    const rows = tableRows(html);
    expect(rows).toHaveLength(HOSTILE.length);
    expect(rows.map((r) => r.length)).toEqual(HOSTILE.map(() => 5));
    expect(rows.map((r) => r[1])).toEqual(HOSTILE.map((_, i) => `rule-${i}`));
    // GFM drops surplus cells silently, so the last cell's full text is what proves nothing split.
    expect(rows.map((r) => visible(r[4] ?? ""))).toEqual(
      HOSTILE.map((text) => {
        const t = oneLine(text).trim();
        return `${oneLine(`src/${text}.ts:1`).trim()} ${t} (+1 more below)Fix: ${t}`;
      }),
    );
  });

  test("no HTML from user text, no hidden links, no headings or lists made from messages", () => {
    expect(foreignTags(html, ["a"])).toEqual([]);
    expect(deceptiveLinks(html)).toEqual([]);
    expect(html).not.toMatch(/<(h1|h2|img|script|del|ol|pre)\b/);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // Headings are only ours: the details heading and one per rule.
    expect(html.match(/<h3>/g)).toHaveLength(1);
    expect(html.match(/<h4>/g)).toHaveLength(HOSTILE.length);
  });

  test("mentions are code, so nobody is pinged", () => {
    expect(output.summary).toContain("`@acme/platform`");
    const outsideCode = html.replace(/<code>[\s\S]*?<\/code>/g, "");
    expect(html).toContain("@octocat");
    expect(outsideCode).not.toContain("@octocat");
    expect(outsideCode).not.toContain("@acme");
  });

  test("annotations carry the raw path (GitHub needs it exact) and a plain message", () => {
    const first = output.annotations.find((a) => a.path === "src/a|b|c.ts");
    expect(first?.message).toBe("a|b|c\na|b|c");
  });
});

describe("annotations", () => {
  const findings: Finding[] = [
    { message: "no line", path: "a.ts" },
    { message: "range", path: "b.ts", line: 3, endLine: 7 },
    { message: "backwards range", path: "c.ts", line: 9, endLine: 2 },
    { message: "a warning", path: "d.ts", line: 1, severity: "warning" },
    { message: "a notice", path: "e.ts", line: 2, severity: "notice", details: ["extra", "lines"] },
    { message: "no path at all" },
    { message: "bad line", path: "f.ts", line: 0 },
  ];
  const e = evaluation(
    [
      rule({ id: "slo", blocking: false, level: "gold", status: "fail", findings: [{ message: "advisory", path: "s.ts", line: 4 }] }),
      rule({ id: "runbook", status: "waived", findings: [{ message: "waived finding", path: "w.ts", line: 5 }] }),
      rule({ id: "docs", status: "fail", findings }),
      rule({ id: "tests", status: "pending", reason: "waiting", findings: [{ message: "pending finding", path: "p.ts" }] }),
    ],
    { conclusion: "failure", reached: null },
  );
  const { annotations } = renderCheckRun(e);

  test("one per finding with a path; findings without a path are left to the summary", () => {
    expect(annotations).toHaveLength(9);
    expect(annotations.find((a) => a.message === "no path at all")).toBeUndefined();
  });

  test("line defaults to 1 and the end line to the start line", () => {
    const at = (path: string) => annotations.find((a) => a.path === path);
    expect(at("a.ts")).toMatchObject({ start_line: 1, end_line: 1 });
    expect(at("b.ts")).toMatchObject({ start_line: 3, end_line: 7 });
    expect(at("c.ts")).toMatchObject({ start_line: 9, end_line: 9 });
    expect(at("f.ts")).toMatchObject({ start_line: 1, end_line: 1 });
  });

  test("levels: failure for what blocks, warning for advisory rules, warnings and waits, notice for notices and waivers", () => {
    const level = (path: string) => annotations.find((a) => a.path === path)?.annotation_level;
    expect(level("a.ts")).toBe("failure");
    expect(level("d.ts")).toBe("warning");
    expect(level("e.ts")).toBe("notice");
    expect(level("s.ts")).toBe("warning");
    expect(level("w.ts")).toBe("notice");
    expect(level("p.ts")).toBe("warning");
  });

  test("failures come first, so a publisher that stops early keeps what blocks", () => {
    const levels = annotations.map((a) => a.annotation_level);
    expect(levels).toEqual([...levels].sort((a, b) => ["failure", "warning", "notice"].indexOf(a) - ["failure", "warning", "notice"].indexOf(b)));
    expect(levels[0]).toBe("failure");
  });

  test('title "readiness: <rule>", message with its details', () => {
    const notice = annotations.find((a) => a.path === "e.ts");
    expect(notice?.title).toBe("readiness: docs");
    expect(notice?.message).toBe("a notice\nextra\nlines");
    expect(annotations.every((a) => (a.title ?? "").length <= 255)).toBe(true);
  });

  test("bidi overrides and control characters in a finding never reach an annotation raw", () => {
    const hostile = renderCheckRun(
      evaluation([rule({ id: "docs", status: "fail", findings: [{ message: "file \u202egnp.exe\u202c changed \u001b[31m", details: ["\u2066isolate\u2069"], path: "a.ts" }] })], {
        conclusion: "failure",
        reached: null,
      }),
    );
    const message = hostile.annotations[0]?.message ?? "";
    expect(message).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(message).toBe("file \ufffdgnp.exe\ufffd changed \ufffd[31m\n\ufffdisolate\ufffd");
  });

  test("a path with a bidi override or control character is not annotated (an annotation carries the path raw); the summary lists it neutralised", () => {
    const hostile = renderCheckRun(
      evaluation([rule({ id: "docs", status: "fail", findings: [{ message: "m", path: "src/\u202egnp.ts" }, { message: "n", path: "src/ok.ts" }] })], {
        conclusion: "failure",
        reached: null,
      }),
    );
    expect(hostile.annotations.map((a) => a.path)).toEqual(["src/ok.ts"]);
    expect(hostile.summary).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(hostile.summary).toContain("src/\ufffdgnp.ts");
  });

  test("a huge message is cut to a size GitHub accepts", () => {
    const huge = renderCheckRun(
      evaluation([rule({ id: "docs", status: "fail", findings: [{ message: "🙂".repeat(100_000), path: "a.ts" }] })], { conclusion: "failure", reached: null }),
    );
    expect(utf8Bytes(huge.annotations[0]?.message ?? "")).toBeLessThanOrEqual(ANNOTATION_MESSAGE_MAX);
    expect(huge.annotations[0]?.message.endsWith("…")).toBe(true);
  });
});

describe("limits: 65,535 bytes for summary and text", () => {
  const manyFindings: Finding[] = Array.from({ length: 10_000 }, (_, i) => ({
    message: `secret-looking token removed from line ${i} — ✅ emoji cost four bytes 🔑`,
    path: `src/module-${i}/file.ts`,
    line: i + 1,
    details: [`detail for ${i}`],
  }));
  const big = evaluation(
    [rule({ id: "secrets", status: "fail", findings: manyFindings, fix: "Remove the token and rotate it." }), ownersPass],
    { conclusion: "failure", reached: null },
  );
  const output = renderCheckRun(big, { configSources: [".readiness.yml"] });
  const findingLine = /^- `src\/module-(\d+)\/file\.ts:\d+` secret-looking token removed from line \d+ — ✅ emoji cost four bytes 🔑$/;
  const shownIn = (text: string) => text.split("\n").filter((l) => findingLine.test(l)).length;

  test("summary and text stay within the limit, counted in bytes (GitHub validates bytesize)", () => {
    expect(utf8Bytes(output.summary)).toBeLessThanOrEqual(CHECK_RUN_OUTPUT_LIMIT);
    expect(utf8Bytes(output.text ?? "")).toBeLessThanOrEqual(CHECK_RUN_OUTPUT_LIMIT);
    // Characters alone would have under-counted: the limit is close to full in bytes.
    expect(output.summary.length).toBeLessThan(utf8Bytes(output.summary));
    expect(utf8Bytes(output.summary)).toBeGreaterThan(CHECK_RUN_OUTPUT_LIMIT - 1_000);
  });

  test("the summary keeps the verdict, the level and the whole table, and says how many findings continue below", () => {
    expect(output.summary.startsWith("❌ **Not ready to merge:** 1 blocking rule fails (secrets).")).toBe(true);
    expect(tableIds(output.summary)).toEqual(["secrets", "codeowners"]);
    const shown = shownIn(output.summary);
    expect(shown).toBeGreaterThan(100);
    expect(output.summary).toContain(`\n\n… truncated here: ${10_000 - shown} more findings continue below.\n\nConfiguration: \`.readiness.yml\``);
  });

  test("the text continues where the summary stopped and ends with the explicit truncation note", () => {
    const text = output.text ?? "";
    const inSummary = shownIn(output.summary);
    const inText = shownIn(text);
    expect(text.startsWith("_Continued from the summary._\n\n#### ❌ secrets — fail · bronze · blocking (continued)\n")).toBe(true);
    const firstInText = text.split("\n").find((l) => findingLine.test(l)) ?? "";
    expect(findingLine.exec(firstInText)?.[1]).toBe(String(inSummary));
    expect(text.endsWith(`… truncated: ${10_000 - inSummary - inText} more findings not shown (see the annotations, or run \`readiness check\` locally).`)).toBe(true);
  });

  test("cuts only at whole findings: every finding line is complete and followed by its detail", () => {
    for (const text of [output.summary, output.text ?? ""]) {
      const lines = text.split("\n");
      lines.forEach((line, i) => {
        if (line.startsWith("- `src/module-")) {
          expect(line).toMatch(findingLine);
          expect(lines[i + 1]).toMatch(/^ {2}- detail for \d+$/);
        }
      });
    }
  });

  test("every finding with a path still gets its annotation", () => {
    expect(output.annotations).toHaveLength(10_000);
  });

  test("a summary that fits has no text and no truncation note", () => {
    const small = renderCheckRun(evaluation([reviewsFail], { conclusion: "failure", reached: null }));
    expect(small.text).toBeUndefined();
    expect(small.summary).not.toContain("truncated");
  });

  test("one enormous message is clipped rather than pushing everything else out", () => {
    const huge = renderCheckRun(
      evaluation([rule({ id: "docs", status: "fail", findings: [{ message: "x".repeat(1_000_000) }, { message: "after the big one" }] })], {
        conclusion: "failure",
        reached: null,
      }),
    );
    expect(utf8Bytes(huge.summary)).toBeLessThanOrEqual(CHECK_RUN_OUTPUT_LIMIT);
    expect(huge.summary).toContain("- after the big one");
    expect(huge.text).toBeUndefined();
  });

  test("a preamble from the app and an annotation cap are fitted within the same limit", () => {
    const preamble = "Merge queue: the verdict of pull request #12, queued to merge into `main`.";
    const capped = renderCheckRun(big, { preamble, maxAnnotations: 150, configSources: [".readiness.yml"] });
    expect(capped.summary.startsWith(`${preamble}\n\n❌ **Not ready to merge:**`)).toBe(true);
    expect(utf8Bytes(capped.summary)).toBeLessThanOrEqual(CHECK_RUN_OUTPUT_LIMIT);
    expect(capped.annotations).toHaveLength(150);
    expect(capped.summary).toContain("more findings continue below.\n\n150 of 10000 findings are annotated on the changed lines (failures first).\n\nConfiguration:");
    const uncapped = renderCheckRun(big, { maxAnnotations: 20_000 });
    expect(uncapped.annotations).toHaveLength(10_000);
    expect(uncapped.summary).not.toContain("are annotated");
  });

  test("--format markdown renders everything, without the check run's limit", () => {
    const markdown = renderMarkdown(big);
    expect(shownIn(markdown)).toBe(10_000);
    expect(markdown).not.toContain("truncated");
  });
});

describe("determinism and purity", () => {
  test("the same evaluation renders identically, and the input is not modified", () => {
    const deepFreeze = <T>(value: T): T => {
      if (value && typeof value === "object") {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
      }
      return value;
    };
    const build = () =>
      evaluation([ownersPass, sloAdvisory, testsPending, docsFail, reviewsFail].map((r) => structuredClone(r)), { conclusion: "failure", reached: "bronze" });
    const a = renderCheckRun(deepFreeze(build()), { configSources: ["x"] });
    const b = renderCheckRun(build(), { configSources: ["x"] });
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe("through the real engine", () => {
  const makeRule = (id: string, verdict: Verdict, fix?: string) =>
    defineRule({ id, area: "hygiene", subjects: ["pull"], description: `${id} holds.`, options: z.object({}), needs: () => [], evaluate: () => verdict, fix });
  const registry: Registry = new Map([
    ["reviews", makeRule("reviews", fail([{ message: "needs one more approval" }]), "Ask for a review.")],
    ["docs", makeRule("docs", pass("docs changed"))],
    ["tests", makeRule("tests", pending("ci / test has not finished"))],
    ["slo", makeRule("slo", unknown("no CI data locally"))],
    ["secrets", makeRule("secrets", skip("nothing to scan"))],
    ["warn", makeRule("warn", fail([{ message: "consider a changelog", path: "CHANGELOG.md", severity: "warning" }]))],
  ]);
  const config = (rules: [string, string][], required = "silver"): ResolvedConfig => ({
    levels: ["bronze", "silver", "gold"],
    required,
    comment: "on-failure",
    rules: rules.map(([id, level]) => ({ id, level, options: {} })),
  });

  test("a blocking failure, a wait and an advisory unknown", () => {
    const e = evaluate(config([["slo", "gold"], ["tests", "bronze"], ["docs", "silver"], ["reviews", "bronze"]]), makeFacts(), registry);
    const out = renderCheckRun(e);
    expect(out.title).toBe("Blocked: 1 rule fails (reviews); 1 waiting (tests)");
    expect(tableIds(out.summary)).toEqual(["reviews", "tests", "slo", "docs"]);
    expect(out.summary).toContain("**Level:** none reached · silver required · ladder bronze → silver → gold");
  });

  test("a rule failing only with warnings passes, with its warning shown", () => {
    const e = evaluate(config([["warn", "bronze"], ["secrets", "bronze"], ["slo", "gold"]]), makeFacts(), registry);
    const out = renderCheckRun(e);
    expect(out.title).toBe("Ready at silver; 1 advisory rule not met (slo)");
    expect(tableRowOf(out.summary, "warn")[0]).toBe("✅ pass");
    expect(out.annotations).toEqual([
      { path: "CHANGELOG.md", start_line: 1, end_line: 1, annotation_level: "warning", message: "consider a changelog", title: "readiness: warn" },
    ]);
  });
});
