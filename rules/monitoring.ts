import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globs } from "../src/engine/globs.js";
import { fail, pass, skip, unknown } from "../src/engine/types.js";
import type { FactRequest, Facts, Finding } from "../src/engine/types.js";
import { listed, plural } from "./lib/outcome.js";
import { headText, listMatching, maxFilesOption, readRequests } from "./lib/repository-files.js";
import { at, isFilled, isRecord, parseYamlDocuments } from "./lib/yaml-documents.js";

const DEFAULT_PATHS = [
  "**/{monitoring,observability,alerts,alerting,prometheus,grafana,dashboards,datadog,monitors}/**/*.{yaml,yml,json}",
  "**/*.rules.{yaml,yml}",
  "**/*{-,_}rules.{yaml,yml}",
  "**/*.tf",
];
const DEFAULT_ALERT_TYPES = [
  "datadog_monitor",
  "grafana_rule_group",
  "aws_cloudwatch_metric_alarm",
  "aws_cloudwatch_composite_alarm",
  "google_monitoring_alert_policy",
  "azurerm_monitor_metric_alert",
  "newrelic_nrql_alert_condition",
];
const DEFAULT_DASHBOARD_TYPES = ["grafana_dashboard", "datadog_dashboard", "datadog_dashboard_json", "aws_cloudwatch_dashboard", "google_monitoring_dashboard", "newrelic_one_dashboard"];

const options = z
  .object({
    paths: globs
      .default(DEFAULT_PATHS)
      .describe("Where monitoring is declared: Prometheus rule files (groups/rules/alert, or a PrometheusRule resource), Grafana dashboard JSON, Datadog monitors as JSON or YAML, and Terraform files (*.tf)."),
    require: z.array(z.enum(["dashboards", "alerts"])).default(["dashboards", "alerts"]).describe("What the service must declare: dashboards, alerts, or both."),
    "runbook-annotations": z
      .array(z.string().min(1))
      .default(["runbook_url"])
      .describe("Annotations of a Prometheus alert rule that hold its runbook link; one of them must be set on every alert rule. A Datadog monitor's message must contain a link instead. []: not checked."),
    "terraform-alerts": z.array(z.string().min(1)).default(DEFAULT_ALERT_TYPES).describe("Terraform resource types that count as alerts."),
    "terraform-dashboards": z.array(z.string().min(1)).default(DEFAULT_DASHBOARD_TYPES).describe("Terraform resource types that count as dashboards."),
    "max-files": maxFilesOption,
  })
  .strict();

type Options = z.output<typeof options>;

interface Found {
  dashboards: string[];
  alerts: string[];
  /** Alert rules without a runbook link: the file, line and message. */
  missingRunbook: { path: string; line: number; message: string }[];
  unparsed: Finding[];
}

const TERRAFORM_RESOURCE = /^\s*resource\s+"([A-Za-z0-9_]+)"\s+"([^"]+)"/gm;
const LINK = /https?:\/\/\S+/;

function fromTerraform(path: string, text: string, o: Options, found: Found): void {
  const alerts = new Set(o["terraform-alerts"]);
  const dashboards = new Set(o["terraform-dashboards"]);
  for (const m of text.matchAll(TERRAFORM_RESOURCE)) {
    if (alerts.has(m[1]!)) found.alerts.push(`${m[1]}.${m[2]} (${path})`);
    else if (dashboards.has(m[1]!)) found.dashboards.push(`${m[1]}.${m[2]} (${path})`);
  }
}

function fromDocument(path: string, value: unknown, lineOf: (p: readonly (string | number)[]) => number, o: Options, found: Found): void {
  if (!isRecord(value)) return;
  const prometheusGroups = value.kind === "PrometheusRule" ? { groups: at(value, "spec", "groups"), prefix: ["spec", "groups"] } : { groups: value.groups, prefix: ["groups"] };
  if (Array.isArray(prometheusGroups.groups)) {
    prometheusGroups.groups.forEach((group, g) => {
      const rules = at(group, "rules");
      if (!Array.isArray(rules)) return;
      rules.forEach((rule, r) => {
        const alert = at(rule, "alert");
        if (typeof alert !== "string") return; // a recording rule
        found.alerts.push(`${alert} (${path})`);
        if (o["runbook-annotations"].length === 0) return;
        if (o["runbook-annotations"].some((key) => isFilled(at(rule, "annotations", key)))) return;
        const where = [...prometheusGroups.prefix, g, "rules", r];
        found.missingRunbook.push({
          path,
          line: lineOf([...where, "alert"]),
          message: `alert rule ${alert} in ${path} has no ${o["runbook-annotations"].join(" or ")} annotation: add annotations.${o["runbook-annotations"][0]} with the link to what the person on call does about it`,
        });
      });
    });
    return;
  }
  const panels = Array.isArray(value.panels) ? value.panels : at(value, "dashboard", "panels");
  if (Array.isArray(panels) && (typeof value.title === "string" || typeof at(value, "dashboard", "title") === "string")) {
    found.dashboards.push(`${String(value.title ?? at(value, "dashboard", "title"))} (${path})`);
    return;
  }
  if (typeof value.type === "string" && typeof value.query === "string" && typeof value.name === "string") {
    found.alerts.push(`${value.name} (${path})`);
    if (o["runbook-annotations"].length > 0 && !(typeof value.message === "string" && LINK.test(value.message))) {
      found.missingRunbook.push({ path, line: lineOf(["message"]), message: `Datadog monitor "${value.name}" in ${path} has no link in its message: add the runbook's URL to message` });
    }
    return;
  }
  if (typeof value.layout_type === "string" && Array.isArray(value.widgets)) found.dashboards.push(`${String(value.title ?? "dashboard")} (${path})`);
}

export default defineRule({
  id: "monitoring",
  area: "observability",
  defaultLevel: "silver",
  subjects: ["pull", "branch"],
  description:
    "The service declares its dashboards and alerts as code (Prometheus rules, Grafana dashboards, Datadog monitors, Terraform resources), and every alert rule links its runbook; on a pull request, alert rules in changed files must.",
  fix: "Add the dashboards and alerts the findings name, and a runbook_url annotation on every alert rule.",
  componentOptions: { paths: "root" },
  options,
  // On a branch there is no change: every alert rule is held to its runbook link.
  needs: (_o, subject): FactRequest[] => [{ kind: "tree", ref: "head" }, ...(subject === "branch" ? [] : [{ kind: "files" } as const])],
  followUp: (facts: Facts, o: Options) => readRequests(facts, o.paths, o["max-files"]),
  evaluate(facts, o: Options) {
    const listing = listMatching(facts, o.paths, o["max-files"]);
    if (!listing.known) return unknown(listing.reason);
    const found: Found = { dashboards: [], alerts: [], missingRunbook: [], unparsed: [] };
    const unreadable: string[] = [];
    for (const path of listing.paths) {
      const read = headText(facts, path);
      if ("unreadable" in read) {
        unreadable.push(read.unreadable);
        continue;
      }
      if ("missing" in read) continue;
      if (path.endsWith(".tf")) {
        fromTerraform(path, read.text, o, found);
        continue;
      }
      const parsed = parseYamlDocuments(read.text);
      if (!parsed.ok) {
        found.unparsed.push({ message: `${path} does not parse (line ${parsed.line}: ${parsed.message}): fix it so its alerts and dashboards count`, path, line: parsed.line, severity: "warning" });
        continue;
      }
      for (const document of parsed.documents) fromDocument(path, document.value, (p) => document.lineOf(p), o, found);
    }

    // On a pull request only changed files are held to the runbook link; the rest are reminders.
    const changed = facts.files.known ? new Set(facts.files.value.filter((f) => f.status !== "removed").map((f) => f.path)) : undefined;
    const findings: Finding[] = [...found.unparsed];
    if (o.require.includes("dashboards") && found.dashboards.length === 0) {
      findings.push({ message: "the service declares no dashboard: add a Grafana dashboard JSON (under dashboards/ or grafana/), or a Terraform grafana_dashboard or datadog_dashboard resource" });
    }
    if (o.require.includes("alerts") && found.alerts.length === 0) {
      findings.push({ message: "the service declares no alert: add Prometheus alert rules (groups → rules → alert, under alerts/ or prometheus/), Datadog monitors, or a Terraform alerting resource such as datadog_monitor or aws_cloudwatch_metric_alarm" });
    }
    for (const missing of found.missingRunbook) {
      const strict = changed === undefined || changed.has(missing.path);
      findings.push({ message: missing.message, path: missing.path, line: missing.line, ...(strict ? {} : { severity: "warning" as const }) });
    }
    const omitted = listing.omitted.length > 0 ? [`${plural(listing.omitted.length, "more matching file")} (from ${listing.omitted[0]}) not read: narrow paths or raise max-files`] : [];
    const undecided = [...unreadable, ...omitted];
    if (findings.some((f) => (f.severity ?? "failure") === "failure")) return fail([...findings, ...undecided.map((message): Finding => ({ message, severity: "notice" }))]);
    if (undecided.length > 0) return unknown(`cannot read every monitoring file: ${undecided.join("; ")}`, findings);
    if (o.require.length === 0) return skip("require is empty: nothing to check");
    return pass(`${plural(found.dashboards.length, "dashboard")} (${listed(found.dashboards, 2)}), ${plural(found.alerts.length, "alert")} (${listed(found.alerts, 2)})`, findings);
  },
});
