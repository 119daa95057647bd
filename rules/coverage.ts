import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { nameMatcher } from "../src/engine/globs.js";
import { fail, pass, pending, unknown } from "../src/engine/types.js";
import type { CheckResult, FactRequest, Finding } from "../src/engine/types.js";
import { listed } from "./lib/outcome.js";

const DEFAULT_CHECKS = ["*coverage*", "*Coverage*", "codecov*", "coveralls*"];

/** The bot's own check run, which a pattern like "*" would otherwise match. */
const OWN_CHECK = "readiness";

const options = z
  .object({
    checks: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .transform((v) => (typeof v === "string" ? [v] : v))
      .default(DEFAULT_CHECKS)
      .describe('Names of the commit statuses or check runs that report coverage, * matching anything, case-sensitive (such as "codecov/project" or "ci / coverage"). The default matches Codecov, Coveralls and any check with "coverage" in its name.'),
    minimum: z.number().min(0).max(100).default(80).describe("The lowest coverage accepted, in percent. Every matching check that reports a number must reach it."),
  })
  .strict();

type Options = z.output<typeof options>;

/**
 * The coverage a check reports: the first percentage in its text that is not a signed change
 * ("91.2% (+0.4%)", "Coverage increased (+0.2%) to 87.1%", "Coverage: 78%"). Linear, no backtracking.
 */
export function reportedPercent(text: string): number | undefined {
  const percent = /(\d{1,3}(?:\.\d+)?)\s?%/g;
  for (let match = percent.exec(text); match !== null; match = percent.exec(text)) {
    const before = text.slice(Math.max(0, match.index - 2), match.index);
    if (/[+\-−±]\s?$/.test(before) || /[\d.]$/.test(before)) continue;
    const value = Number(match[1]);
    if (value <= 100) return value;
  }
  return undefined;
}

const formatted = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0+$/, ""));

function describeCheck(check: CheckResult): string {
  return `${check.source === "status" ? "commit status" : "check run"} "${check.name}"`;
}

export default defineRule({
  id: "coverage",
  area: "testing",
  defaultLevel: "gold",
  subjects: ["pull", "branch"],
  description: "Test coverage, as CI already reports it on the commit (a coverage service's status or a check run's title or summary), reaches the required minimum. Tests are never run by the bot.",
  fix: "Add tests for the code the coverage report shows uncovered, until the coverage check reports the minimum or more.",
  options,
  tighten: { minimum: "at-least" },
  needs: (): FactRequest[] => [{ kind: "checks" }],
  evaluate(facts, o: Options) {
    if (!facts.checks.known) return unknown(`cannot read the coverage CI reported: ${facts.checks.reason}`);
    const matches = nameMatcher(o.checks);
    const reports = facts.checks.value.filter((c) => c.name !== OWN_CHECK && matches(c.name));
    if (reports.length === 0) {
      return pending(`no commit status or check run named like ${listed(o.checks)} has reported on this commit yet; coverage is read from CI, so the rule waits for it`);
    }
    const below: Finding[] = [];
    const met: string[] = [];
    const waiting: string[] = [];
    const silent: string[] = [];
    for (const check of reports) {
      const value = check.text === undefined ? undefined : reportedPercent(check.text);
      if (value === undefined) {
        if (check.state === "pending") waiting.push(describeCheck(check));
        else silent.push(describeCheck(check));
        continue;
      }
      if (value >= o.minimum) met.push(`${check.name} ${formatted(value)}%`);
      else {
        below.push({
          message: `${describeCheck(check)} reports ${formatted(value)}% coverage, below the required ${formatted(o.minimum)}%: add tests for the uncovered code until it reaches ${formatted(o.minimum)}%`,
          ...(check.url ? { details: [`the report: ${check.url}`] } : {}),
        });
      }
    }
    if (below.length > 0) return fail(below, `coverage below ${formatted(o.minimum)}%`);
    if (met.length > 0) return pass(`${met.join(", ")} (minimum ${formatted(o.minimum)}%)`);
    if (waiting.length > 0) return pending(`${listed(waiting)} has not reported a coverage number yet`);
    return unknown(`${listed(silent)} reported no percentage in its description, title or summary: name the check that reports the number in checks`);
  },
});
