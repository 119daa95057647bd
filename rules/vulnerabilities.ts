import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import type { AlertSeverity, AlertSource, FactRequest, Finding, SecurityAlert } from "../src/engine/types.js";
import { newOutcome, plural, settle } from "./lib/outcome.js";

const SEVERITY_ORDER: readonly AlertSeverity[] = ["critical", "high", "medium", "low"];
const SOURCES: readonly AlertSource[] = ["dependabot", "code-scanning", "secret-scanning"];
const SOURCE_NAME: Readonly<Record<AlertSource, string>> = {
  dependabot: "Dependabot alert",
  "code-scanning": "code scanning alert",
  "secret-scanning": "secret scanning alert",
};
/** Where each list lives on GitHub, for the reason when it cannot be read. */
const SOURCE_PAGE: Readonly<Record<AlertSource, string>> = {
  dependabot: "security/dependabot",
  "code-scanning": "security/code-scanning",
  "secret-scanning": "security/secret-scanning",
};

/** Alerts listed one by one before the rest are counted. */
const LISTED_ALERTS = 20;

const DAY_MS = 86_400_000;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };

const duration = z
  .string()
  .regex(/^\d{1,4}[hdw]$/, { message: 'write an age as a number and a unit: "12h", "7d" or "2w" ("0d": any open alert of this severity fails)' });

const milliseconds = (text: string): number => Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1)]!;

const options = z
  .object({
    "max-age": z
      .object({ critical: duration.optional(), high: duration.optional(), medium: duration.optional(), low: duration.optional() })
      .strict()
      .default({ critical: "7d", high: "30d" })
      .describe(
        'How long an alert of each severity may stay open ("7d", "12h", "2w"). A severity left out is not judged; the default allows 7 days for critical and 30 for high, the common vulnerability-remediation targets.',
      ),
    sources: z
      .array(z.enum(["dependabot", "code-scanning", "secret-scanning"]))
      .min(1)
      .default([...SOURCES])
      .describe("Which of GitHub's alert lists to judge. Each needs the feature on the repository and the app's read permission for it; a list that cannot be read makes the rule unknown, never a pass."),
    "secret-scanning-severity": z
      .enum(["critical", "high", "medium", "low"])
      .default("critical")
      .describe("GitHub gives secret scanning alerts no severity: they are judged as this one. A leaked secret works for whoever finds it until it is revoked."),
  })
  .strict();

type Options = z.output<typeof options>;

function severityOf(alert: SecurityAlert, o: Options): AlertSeverity | null {
  return alert.source === "secret-scanning" ? o["secret-scanning-severity"] : alert.severity;
}

function ageText(ms: number): string {
  if (ms < DAY_MS) return plural(Math.max(1, Math.floor(ms / 3_600_000)), "hour");
  return plural(Math.floor(ms / DAY_MS), "day");
}

function limitText(ms: number): string {
  if (ms === 0) return "no open alert of this severity is allowed";
  return ms % DAY_MS === 0 ? `the limit is ${plural(ms / DAY_MS, "day")}` : `the limit is ${plural(ms / 3_600_000, "hour")}`;
}

export default defineRule({
  id: "vulnerabilities",
  area: "security",
  defaultLevel: "gold",
  subjects: ["pull", "branch"],
  description:
    "No open Dependabot, code scanning or secret scanning alert at a judged severity is older than its allowed age (by default critical 7 days, high 30): the repository meets its vulnerability remediation targets.",
  fix: "Fix the listed alerts (update the dependency, fix the code, revoke and rotate the secret), or dismiss them on GitHub with a reason.",
  options,
  needs: (o: Options): FactRequest[] => [{ kind: "now" }, ...o.sources.map((source): FactRequest => ({ kind: "securityAlerts", source }))],
  evaluate(facts, o: Options) {
    if (!facts.now.known) return { status: "unknown", findings: [], reason: `cannot tell the alerts' ages: ${facts.now.reason}` };
    const now = Date.parse(facts.now.value);
    const limits: Partial<Record<AlertSeverity, number>> = {};
    for (const severity of SEVERITY_ORDER) {
      const age = o["max-age"][severity];
      if (age !== undefined) limits[severity] = milliseconds(age);
    }
    const outcome = newOutcome();
    const overdue: { alert: SecurityAlert; severity: AlertSeverity; age: number; limit: number }[] = [];
    let judged = 0;

    for (const source of o.sources) {
      const fact = facts.securityAlerts[source];
      if (!fact) {
        outcome.undecidable.push(`the open ${SOURCE_NAME[source]}s were not gathered`);
        continue;
      }
      if (!fact.known) {
        outcome.undecidable.push(`cannot read the open ${SOURCE_NAME[source]}s (${fact.reason}); see the repository's ${SOURCE_PAGE[source]} page`);
        continue;
      }
      for (const alert of fact.value) {
        const severity = severityOf(alert, o);
        const limit = severity === null ? undefined : limits[severity];
        if (severity === null || limit === undefined) continue;
        judged++;
        const opened = Date.parse(alert.createdAt);
        if (Number.isNaN(opened)) {
          outcome.undecidable.push(`${SOURCE_NAME[source]} #${alert.number} has no readable opening date`);
          continue;
        }
        const age = now - opened;
        if (age > limit) overdue.push({ alert, severity, age, limit });
      }
    }

    overdue.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.age - a.age);
    const findings: Finding[] = overdue.slice(0, LISTED_ALERTS).map(({ alert, severity, age, limit }) => ({
      message: `${SOURCE_NAME[alert.source]} #${alert.number} (${severity}): ${alert.title}${alert.path ? ` in ${alert.path}${alert.line !== undefined ? ` line ${alert.line}` : ""}` : ""} has been open ${ageText(age)}; ${limitText(limit)}: fix it or dismiss it with a reason`,
      details: alert.url ? [alert.url] : [],
    }));
    const rest = overdue.length - findings.length;
    if (rest > 0) findings.push({ message: `${plural(rest, "more alert")} over the allowed age: see the repository's Security tab` });
    outcome.findings.push(...findings);
    const judgedSeverities = SEVERITY_ORDER.filter((s) => limits[s] !== undefined);
    if (judgedSeverities.length === 0) return { status: "skip", findings: [], reason: "max-age judges no severity" };
    outcome.passed.push(judged === 0 ? `no open ${judgedSeverities.join(" or ")} alert` : `${plural(judged, `open ${judgedSeverities.join("/")} alert`)}, none over its allowed age`);
    return settle(outcome);
  },
});
