import vulnerabilities from "../../rules/vulnerabilities.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { AlertSource, Facts, SecurityAlert } from "../../src/engine/types.js";
import { ruleTester } from "../helpers/rule-tester.js";

const NOW = "2026-11-30T12:00:00.000Z";
const daysAgo = (days: number): string => new Date(Date.parse(NOW) - days * 86_400_000).toISOString();

const alert = (source: AlertSource, number: number, severity: SecurityAlert["severity"], ageDays: number, extra: Partial<SecurityAlert> = {}): SecurityAlert => ({
  source,
  number,
  severity,
  createdAt: daysAgo(ageDays),
  title: source === "secret-scanning" ? "Stripe API Key" : "Prototype pollution in lodash (npm)",
  ...extra,
});

const alerts = (lists: Partial<Record<AlertSource, SecurityAlert[]>>, now = NOW): Partial<Facts> => ({
  now: known(now),
  securityAlerts: {
    dependabot: known(lists.dependabot ?? []),
    "code-scanning": known(lists["code-scanning"] ?? []),
    "secret-scanning": known(lists["secret-scanning"] ?? []),
  },
});

ruleTester(vulnerabilities, {
  valid: [
    { name: "no open alerts", facts: alerts({}) },
    { name: "a critical alert inside its 7 days", facts: alerts({ dependabot: [alert("dependabot", 1, "critical", 6)] }) },
    { name: "medium and low are not judged by default", facts: alerts({ dependabot: [alert("dependabot", 2, "medium", 400), alert("dependabot", 3, "low", 400)] }) },
    { name: "a code scanning alert without a severity is not judged", facts: alerts({ "code-scanning": [alert("code-scanning", 4, null, 90)] }) },
    { name: "only the listed sources are read", options: { sources: ["dependabot"] }, facts: { now: known(NOW), securityAlerts: { dependabot: known([]) } } },
  ],
  invalid: [
    {
      name: "a critical Dependabot alert past 7 days",
      facts: alerts({ dependabot: [alert("dependabot", 12, "critical", 9, { path: "package-lock.json", url: "https://github.com/acme/shop/security/dependabot/12" })] }),
      findings: [{ message: "Dependabot alert #12 (critical): Prototype pollution in lodash (npm) in package-lock.json has been open 9 days; the limit is 7 days: fix it or dismiss it with a reason" }],
    },
    {
      name: "a secret scanning alert counts as critical, and never shows the secret",
      facts: alerts({ "secret-scanning": [alert("secret-scanning", 3, null, 8)] }),
      findings: [{ message: /^secret scanning alert #3 \(critical\): Stripe API Key has been open 8 days/ }],
    },
    {
      name: "custom ages in hours; worst first",
      options: { "max-age": { high: "12h", medium: "2w" } },
      facts: alerts({ "code-scanning": [alert("code-scanning", 5, "medium", 15, { path: "src/db.ts", line: 40 }), alert("code-scanning", 6, "high", 1)] }),
      findings: [
        { message: "code scanning alert #6 (high): Prototype pollution in lodash (npm) has been open 1 day; the limit is 12 hours" },
        { message: "code scanning alert #5 (medium): Prototype pollution in lodash (npm) in src/db.ts line 40 has been open 15 days; the limit is 14 days" },
      ],
    },
    {
      name: "a failure is reported even when another list cannot be read",
      facts: { now: known(NOW), securityAlerts: { dependabot: known([alert("dependabot", 1, "high", 31)]), "code-scanning": unknownFact("GitHub answered 403"), "secret-scanning": known([]) } },
      findings: [{ message: "Dependabot alert #1 (high)" }, { message: /cannot read the open code scanning alerts \(GitHub answered 403\)/, severity: "notice" }],
    },
  ],
  unknown: [
    {
      name: "the permission or the feature is missing: unknown, never a pass",
      facts: { now: known(NOW), securityAlerts: { dependabot: unknownFact("GitHub answered 403 for the Dependabot alerts"), "code-scanning": known([]), "secret-scanning": known([]) } },
      reason: "cannot read the open Dependabot alerts (GitHub answered 403 for the Dependabot alerts)",
    },
    {
      name: "locally only GitHub knows",
      facts: { now: known(NOW), securityAlerts: { dependabot: unknownFact("only GitHub knows the repository's open security alerts: not available locally") } },
      options: { sources: ["dependabot"] },
      reason: "only GitHub knows",
    },
    { name: "no clock", facts: { securityAlerts: { dependabot: known([]) } }, options: { sources: ["dependabot"] }, reason: "cannot tell the alerts' ages" },
  ],
  skipped: [{ name: "max-age judges nothing", options: { "max-age": {} }, facts: alerts({}), reason: "max-age judges no severity" }],
});

describe("options", () => {
  it("reject an age without a unit", () => {
    expect(vulnerabilities.options.safeParse({ "max-age": { critical: "7" } }).success).toBe(false);
  });
});
