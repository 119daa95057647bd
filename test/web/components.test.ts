/** The repository page lists a monorepo's components from the stored record, and names component rules after them. */
import { expect, test } from "@jest/globals";
import type { RecordedComponent, RecordedRule, StoredEvaluation } from "../../src/state/types.js";
import { storedBranchRecord } from "../helpers/scorecards.js";

const record = (rules: RecordedRule[], components?: RecordedComponent[]) => storedBranchRecord("platform", rules, components ? { components } : {});
import { repositoryPage } from "../../src/web/pages.js";


const page = (stored: StoredEvaluation) =>
  repositoryPage({ viewer: { login: "ada" } as never, record: stored, history: [], historyDays: [], ladder: ["bronze", "silver", "gold"], badgeUrl: "/badges/acme/platform.svg" });

test("each component with its level, required level and result, above the rules; its rules named after it", () => {
  const html = page(
    record(
      [
        { id: "runbook", area: "incident", level: "silver", blocking: true, status: "fail", component: "payments" },
        { id: "runbook", area: "incident", level: "silver", blocking: true, status: "pass" },
      ],
      [
        { name: "payments", reached: "bronze", required: "gold", conclusion: "failure" },
        { name: "<search>", reached: null, required: "bronze", conclusion: "success" },
      ],
    ),
  );
  expect(html).toContain('<tr><th scope="row">payments</th><td><span class="level">bronze</span></td><td>gold</td><td class="fail">below its required level</td></tr>');
  expect(html).toContain("&lt;search&gt;");
  expect(html).not.toContain("<search>");
  expect(html.indexOf('id="components"')).toBeGreaterThan(0);
  expect(html.indexOf('id="components"')).toBeLessThan(html.indexOf('id="rules"'));
  expect(html).toContain('<th scope="row">payments › runbook</th>');
  expect(html).toContain('<th scope="row">runbook</th>');
});

test("a repository without components has no components section", () => {
  expect(page(record([{ id: "runbook", area: "incident", level: "silver", blocking: true, status: "pass" }]))).not.toContain('id="components"');
});
