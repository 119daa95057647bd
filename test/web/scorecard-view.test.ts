/** The organisation page's numbers, from records: areas, blocking rules, filters, distribution; and the CSV and HTML escaping. */
import { describe, expect, test } from "@jest/globals";
import type { RecordedRule } from "../../src/state/types.js";
import { csvField, scorecardsCsv } from "../../src/web/api.js";
import { html } from "../../src/web/html.js";
import { organisationPage } from "../../src/web/pages.js";
import { applyFilters, areaCell, blockingRules, dayRange, levelDistribution } from "../../src/web/scorecard-view.js";
import { storedBranchRecord as record } from "../helpers/scorecards.js";


const rule = (id: string, area: string, status: string, blocking = true): RecordedRule => ({ id, area, level: "bronze", blocking, status });

describe("an area's cell", () => {
  test.each([
    ["every rule passes or is waived", [rule("a", "security", "pass"), rule("b", "security", "waived")], { state: "pass", failing: 0, applicable: 2 }],
    ["one fails", [rule("a", "security", "pass"), rule("b", "security", "fail")], { state: "fail", failing: 1, applicable: 2 }],
    ["an error counts as failing", [rule("a", "security", "error")], { state: "fail", failing: 1, applicable: 1 }],
    ["unknown or pending without a failure", [rule("a", "security", "unknown"), rule("b", "security", "pending")], { state: "unknown", failing: 2, applicable: 2 }],
    ["only skipped rules", [rule("a", "security", "skip")], { state: "none", failing: 0, applicable: 0 }],
    ["rules of other areas only", [rule("a", "testing", "fail")], { state: "none", failing: 0, applicable: 0 }],
  ])("%s", (_name, rules, cell) => {
    expect(areaCell(record("x", rules), "security")).toEqual(cell);
  });
});

test("blocking rules count repositories where a blocking rule does not pass, most first, advisory rules aside", () => {
  const records = [
    record("a", [rule("runbook", "incident", "fail"), rule("tests", "testing", "unknown"), rule("docs", "documentation", "fail", false)]),
    record("b", [rule("runbook", "incident", "fail"), rule("tests", "testing", "pass")]),
    record("c", [rule("runbook", "incident", "waived"), rule("secrets", "security", "skip")]),
  ];
  expect(blockingRules(records)).toEqual([
    { id: "runbook", area: "incident", repositories: 2 },
    { id: "tests", area: "testing", repositories: 1 },
  ]);
});

test("filters: below the required level, a level (or none), failing in an area, an owner without regard to case", () => {
  const records = [
    record("met", [rule("a", "security", "pass")], { outcome: "success", levelReached: "silver", owners: ["@acme/SRE"] }),
    record("none", [rule("a", "security", "fail")], { levelReached: null, owners: ["@acme/web"] }),
    record("bronze", [rule("a", "testing", "fail")], { owners: [] }),
  ];
  const names = (filters: Parameters<typeof applyFilters>[1]) => applyFilters(records, filters).map((r) => r.repo);
  expect(names({ level: "below" })).toEqual(["none", "bronze"]);
  expect(names({ level: "none" })).toEqual(["none"]);
  expect(names({ level: "silver" })).toEqual(["met"]);
  expect(names({ area: "security" })).toEqual(["none"]);
  expect(names({ owner: "@acme/sre" })).toEqual(["met"]);
  expect(names({ level: "below", area: "testing" })).toEqual(["bronze"]);
});

test("the distribution carries each repository's level forward from its last evaluation, and counts it from its first", () => {
  const days = dayRange("2026-03-03", 3);
  expect(days).toEqual(["2026-03-01", "2026-03-02", "2026-03-03"]);
  const distribution = levelDistribution(
    days,
    [{ owner: "acme", repo: "old", levelReached: "gold" }],
    [
      { installationId: 7, owner: "acme", repo: "new", day: "2026-03-02", levelReached: null, levelRequired: "silver" },
      { installationId: 7, owner: "acme", repo: "old", day: "2026-03-03", levelReached: "bronze", levelRequired: "silver" },
    ],
    ["bronze", "silver", "gold"],
  );
  expect(distribution).toEqual([
    { day: "2026-03-01", counts: { none: 0, bronze: 0, silver: 0, gold: 1 }, total: 1 },
    { day: "2026-03-02", counts: { none: 1, bronze: 0, silver: 0, gold: 1 }, total: 2 },
    { day: "2026-03-03", counts: { none: 1, bronze: 1, silver: 0, gold: 0 }, total: 2 },
  ]);
});

test("CSV quotes every field and defuses formulas", () => {
  expect(csvField('say "hi"')).toBe('"say ""hi"""');
  expect(csvField("=HYPERLINK(1)")).toBe(`"'=HYPERLINK(1)"`);
  expect(csvField("@acme")).toBe(`"'@acme"`);
  const csv = scorecardsCsv([record("shop", [rule("runbook", "incident", "fail"), rule("secrets", "security", "pass")])]);
  expect(csv.split("\r\n")).toEqual([
    "repository,ref,sha,conclusion,level_reached,level_required,evaluated_at,security,reliability,observability,ownership,incident,testing,documentation,failing_rules",
    `"acme/shop","","${"a".repeat(40)}","failure","bronze","silver","2026-03-31T03:00:00.000Z","pass","none","none","none","fail","none","none","runbook"`,
    "",
  ]);
});

test("text from records is escaped wherever a page shows it", () => {
  expect(html`<p title="${'"><script>'}">${"<img src=x onerror=alert(1)>"}</p>`.text).toBe('<p title="&quot;&gt;&lt;script&gt;">&lt;img src=x onerror=alert(1)&gt;</p>');
  const hostile = record("x<script>alert(1)</script>", [rule("<b>rule</b>", "security", "fail")], { owners: ['@"><svg onload=alert(1)>'] });
  const page = organisationPage({
    viewer: { login: "<i>me</i>", csrf: "t" },
    total: 1,
    meeting: 0,
    records: [hostile],
    filters: { owner: '"><script>' },
    ladder: ["bronze", "silver", "gold"],
    owners: hostile.owners!,
    blocking: blockingRules([hostile]),
    distribution: [],
  });
  expect(page).not.toMatch(/<script|<svg onload|<b>rule|<i>me/);
  expect(page).toContain("acme/x&lt;script&gt;alert(1)&lt;/script&gt;");
});
