/** The repository page's table by area × level, from a stored record. */
import { describe, expect, test } from "@jest/globals";
import type { RecordedRule } from "../../src/state/types.js";
import { storedBranchRecord } from "../helpers/scorecards.js";

const record = (rules: RecordedRule[]) => storedBranchRecord("checkout", rules);
import { areaLevelSection } from "../../src/web/area-levels.js";
import { repositoryPage } from "../../src/web/pages.js";


const RULES: RecordedRule[] = [
  { id: "security-policy", area: "security", level: "bronze", blocking: true, status: "pass" },
  { id: "workflow-permissions", area: "security", level: "silver", blocking: true, status: "fail" },
  { id: "on-call", area: "incident", level: "silver", blocking: true, status: "pass" },
  { id: "<script>", area: "<b>odd</b>", level: "bronze", blocking: true, status: "pass" },
];

describe("the repository page's area × level table", () => {
  test("one row per area, a column per level the rules use, cells with a state class", () => {
    const section = String(areaLevelSection(record(RULES), ["bronze", "silver", "gold"]));
    expect(section).toContain('<thead><tr><th scope="col">Area</th><th scope="col">bronze</th><th scope="col">silver</th></tr></thead>');
    expect(section).toContain('<tr><th scope="row">Security</th><td class="area pass">✅ 1/1</td><td class="area fail">❌ 0/1</td></tr>');
    expect(section).toContain('<tr><th scope="row">Incident management</th><td class="area none">—</td><td class="area pass">✅ 1/1</td></tr>');
    expect(section).not.toContain("<b>odd</b>");
    expect(section).toContain("&lt;b&gt;odd&lt;/b&gt;");
  });

  test("no rules: no section", () => {
    expect(String(areaLevelSection(record([]), ["bronze"]))).toBe("");
  });

  test("the repository page shows it above the rules", () => {
    const page = repositoryPage({ viewer: { login: "ada" } as never, record: record(RULES), history: [], historyDays: [], ladder: ["bronze", "silver", "gold"], badgeUrl: "/badges/acme/checkout.svg" });
    expect(page.indexOf('id="areas"')).toBeGreaterThan(0);
    expect(page.indexOf('id="areas"')).toBeLessThan(page.indexOf('id="rules"'));
  });
});
