/** The repository page's table by area × level, from a stored record. */
import { describe, expect, test } from "@jest/globals";
import type { RecordedRule, StoredEvaluation } from "../../src/state/types.js";
import { areaLevelSection } from "../../src/web/area-levels.js";
import { repositoryPage } from "../../src/web/pages.js";

function record(rules: RecordedRule[]): StoredEvaluation {
  return {
    id: 1,
    installationId: 7,
    owner: "acme",
    repo: "checkout",
    subjectKind: "branch",
    subjectKey: "branch:acme/checkout:main",
    headSha: "a".repeat(40),
    outcome: "failure",
    levelReached: "bronze",
    levelRequired: "silver",
    rules,
    reason: "schedule",
    durationMs: 1,
    apiRequests: 1,
    evaluatedAt: "2026-03-31T03:00:00.000Z",
  };
}

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
