import coverage, { reportedPercent } from "../../rules/coverage.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { CheckResult, Facts } from "../../src/engine/types.js";
import { ruleTester } from "../helpers/rule-tester.js";

const status = (name: string, text: string | undefined, state: CheckResult["state"] = "success"): CheckResult => ({
  name,
  source: "status",
  state,
  detail: state,
  url: `https://ci.example.test/${encodeURIComponent(name)}`,
  ...(text === undefined ? {} : { text }),
});
const run = (name: string, text: string | undefined, state: CheckResult["state"] = "success"): CheckResult => ({ ...status(name, text, state), source: "check_run" });
const checks = (...results: CheckResult[]): Partial<Facts> => ({ checks: known(results) });

ruleTester(coverage, {
  valid: [
    { name: "Codecov's project status above the default 80%", facts: checks(status("codecov/project", "91.20% (+0.40%) compared to 1a2b3c4"), status("ci/build", "Build passed")) },
    { name: "Coveralls: the delta is not the coverage", facts: checks(status("coverage/coveralls", "Coverage increased (+0.2%) to 87.1% when pulling 9f8e7d6 on cart-totals into main")) },
    { name: "a check run's title", options: { checks: ["ci / coverage"], minimum: 75 }, facts: checks(run("ci / coverage", "Coverage: 75%\nLines 750 of 1000")) },
    { name: "exactly the minimum", options: { minimum: 91.2 }, facts: checks(status("codecov/project", "91.20% (+0.40%) compared to 1a2b3c4")) },
    {
      name: "a matching check without a number is ignored when another reports one",
      facts: checks(run("coverage-upload", "Uploaded lcov.info"), status("codecov/patch", "88.00% of diff hit (target 80.00%)")),
    },
  ],
  invalid: [
    {
      name: "below the minimum, with the number and where to read the report",
      facts: checks(status("codecov/project", "72.45% (-1.10%) compared to 1a2b3c4")),
      findings: [{ message: 'commit status "codecov/project" reports 72.45% coverage, below the required 80%: add tests for the uncovered code until it reaches 80%' }],
    },
    {
      name: "every reporting check must reach it: the patch status fails alone",
      facts: checks(status("codecov/project", "85.00% (+0.10%) compared to 1a2b3c4"), status("codecov/patch", "40.00% of diff hit (target 85.00%)")),
      findings: [{ message: 'commit status "codecov/patch" reports 40% coverage, below the required 80%' }],
    },
    {
      name: "a custom minimum",
      options: { minimum: 95 },
      facts: checks(run("Coverage report", "Total coverage 94.9%")),
      findings: [{ message: 'check run "Coverage report" reports 94.9% coverage, below the required 95%' }],
    },
  ],
  pending: [
    { name: "nothing reported yet", facts: checks(status("ci/build", "running", "pending")), reason: "no commit status or check run named like *coverage*, *Coverage*, codecov* and 1 more has reported on this commit yet" },
    { name: "the coverage check is still running", facts: checks(run("ci / coverage", undefined, "pending")), reason: 'check run "ci / coverage" has not reported a coverage number yet' },
  ],
  unknown: [
    { name: "CI results are not available (the CLI)", facts: { checks: unknownFact("not available locally (GitHub only)") }, reason: "cannot read the coverage CI reported: not available locally (GitHub only)" },
    { name: "a finished check without a number", facts: checks(run("coverage", "Uploaded")), reason: 'check run "coverage" reported no percentage in its description, title or summary' },
  ],
});

describe("reportedPercent", () => {
  test.each([
    ["91.20% (+0.40%) compared to 1a2b3c4", 91.2],
    ["Coverage increased (+0.2%) to 87.1%", 87.1],
    ["Coverage decreased (-3.5%) to 61%", 61],
    ["Coverage: 78 %", 78],
    ["version 1.2.3 passed", undefined],
    ["150% more tests, 90% lines", 90],
    ["12.5%", 12.5],
  ])("%s → %s", (text, value) => {
    expect(reportedPercent(text)).toBe(value);
  });

});
