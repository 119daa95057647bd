import { areaLevelChunks, areaLevelMarkdown, areaLevelMatrix, cellText } from "../../src/render/area-levels.js";
import { renderBranchCheckRun } from "../../src/render/branch.js";
import { CHECK_RUN_OUTPUT_LIMIT, renderCheckRun } from "../../src/render/check-run.js";
import { evaluation, rule, toHtml } from "./evaluations.js";

/** The overview table's body rows as cell texts. */
function overviewRows(markdown: string): string[][] {
  const table = [...toHtml(markdown).matchAll(/<thead>([\s\S]*?)<\/thead>\s*<tbody>([\s\S]*?)<\/tbody>/g)].find((m) => /<th[^>]*>Area<\/th>/.test(m[1] ?? ""));
  if (!table) return [];
  return [...(table[2] ?? "").matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] ?? "").matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1] ?? ""));
}

const RULES = [
  rule({ id: "secrets", area: "security", level: "bronze", status: "pass" }),
  rule({ id: "lockfile", area: "security", level: "bronze", status: "fail" }),
  rule({ id: "workflow-permissions", area: "security", level: "silver", status: "pass" }),
  rule({ id: "vulnerabilities", area: "security", level: "gold", status: "unknown", blocking: false }),
  rule({ id: "runbook", area: "incident", level: "silver", status: "waived" }),
  rule({ id: "on-call", area: "incident", level: "silver", status: "skip" }),
  rule({ id: "monitoring", area: "observability", level: "silver", status: "pending" }),
  rule({ id: "health-probes", area: "reliability", level: "gold", status: "error", blocking: false }),
  rule({ id: "codeowners", area: "ownership", level: "bronze", status: "pass" }),
  rule({ id: "tests", area: "testing", level: "bronze", status: "pass" }),
];

describe("the area × level matrix", () => {
  const rows = areaLevelMatrix(RULES, ["bronze", "silver", "gold"]);

  test("one row per area with rules, in the order a readiness review reads", () => {
    expect(rows.map((row) => row.title)).toEqual(["Security", "Reliability", "Observability", "Ownership", "Incident management", "Testing"]);
  });

  test("cells count the rules met (passed, not applicable, waived) out of those enabled, with a mark", () => {
    const security = rows[0]!;
    expect(security.cells.map(cellText)).toEqual(["❌ 1/2", "✅ 1/1", "❔ 0/1"]);
    expect(rows.find((row) => row.area === "incident")!.cells.map(cellText)).toEqual(["—", "✅ 2/2", "—"]);
    expect(rows.find((row) => row.area === "observability")!.cells.map(cellText)).toEqual(["—", "⏳ 0/1", "—"]);
    expect(rows.find((row) => row.area === "reliability")!.cells.map(cellText)).toEqual(["—", "—", "❌ 0/1"]);
  });

  test("takes stored records' rules (area may be missing) and a custom ladder", () => {
    const stored = [
      { id: "a", status: "pass", level: "basic" },
      { id: "b", status: "fail", level: "full", area: "security" },
      { id: "c", status: "pass", level: "retired-level", area: "security" },
    ];
    const matrix = areaLevelMatrix(stored, ["basic", "full"]);
    expect(matrix.map((row) => [row.area, row.cells.map(cellText)])).toEqual([
      ["security", ["—", "❌ 0/1"]],
      ["other", ["✅ 1/1", "—"]],
    ]);
  });

  test("no rules: no table", () => {
    expect(areaLevelMarkdown(evaluation([], { conclusion: "success", reached: "gold" }))).toBe("");
    expect(areaLevelChunks(evaluation([], { conclusion: "success", reached: "gold" }))).toEqual([]);
  });

  test("the markdown is one GFM table: a header of the ladder, a row per area", () => {
    const markdown = areaLevelMarkdown(evaluation(RULES, { conclusion: "failure", reached: null }));
    expect(markdown.split("\n").slice(0, 3)).toEqual(["| Area | bronze | silver | gold |", "| --- | --- | --- | --- |", "| Security | ❌ 1/2 | ✅ 1/1 | ❔ 0/1 |"]);
    expect(overviewRows(markdown)).toHaveLength(6);
    expect(overviewRows(markdown).every((cells) => cells.length === 4)).toBe(true);
  });
});

describe("in the check runs", () => {
  const judged = evaluation(RULES, { conclusion: "failure", reached: null });

  test("a pull request's check run shows it under the level line, before the rule table", () => {
    const summary = renderCheckRun(judged).summary;
    expect(overviewRows(summary)[0]).toEqual(["Security", "❌ 1/2", "✅ 1/1", "❔ 0/1"]);
    expect(summary.indexOf("**By area and level**")).toBeGreaterThan(summary.indexOf("**Level:**"));
    expect(summary.indexOf("**By area and level**")).toBeLessThan(summary.indexOf("| Status | Rule |"));
  });

  test("the branch scorecard's check run shows it too", () => {
    const summary = renderBranchCheckRun(judged, { ref: "main" }).summary;
    expect(overviewRows(summary).map((cells) => cells[0])).toEqual(["Security", "Reliability", "Observability", "Ownership", "Incident management", "Testing"]);
  });

  test("it stays small: every area and a ten-level ladder fit in a few kilobytes of the 65,535-byte summary", () => {
    const ladder = Array.from({ length: 10 }, (_, i) => `level-${i}`);
    const areas = ["security", "reliability", "observability", "ownership", "incident", "testing", "documentation", "review", "hygiene"] as const;
    const many = areas.flatMap((area) => ladder.map((level, i) => rule({ id: `${area}-${i}`, area, level, status: i % 2 ? "pass" : "fail" })));
    const table = areaLevelMarkdown(evaluation(many, { conclusion: "failure", reached: null, ladder }));
    expect(Buffer.byteLength(table)).toBeLessThan(4_000);
    expect(Buffer.byteLength(renderCheckRun(evaluation(many, { conclusion: "failure", reached: null, ladder })).summary)).toBeLessThanOrEqual(CHECK_RUN_OUTPUT_LIMIT);
  });
});
