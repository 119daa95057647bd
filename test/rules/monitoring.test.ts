import monitoring from "../../rules/monitoring.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";
import { ruleTester } from "../helpers/rule-tester.js";

/** The head tree and contents; `changed` lists the pull request's files (undefined: a branch, no changed files known). */
function repo(files: Record<string, string>, changed?: string[]): Partial<Facts> {
  return {
    trees: { head: known([...Object.keys(files), "src/server.go"]) },
    contents: new Map(Object.entries(files).map(([path, text]) => [contentKey("head", path), known<string | null>(text)])),
    files: changed === undefined ? unknownFact("a branch has no changed files") : known(changed.map((path) => ({ path, status: "modified" as const, additions: 2, deletions: 0 }))),
  };
}

const RULES = `groups:
  - name: orders
    rules:
      - record: job:http_errors:rate5m
        expr: sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
      - alert: OrdersHighErrorRate
        expr: job:http_errors:rate5m{job="orders"} > 0.05
        for: 10m
        labels: { severity: page }
        annotations:
          summary: More than 5% of order requests fail
          runbook_url: https://runbooks.example.test/orders/high-error-rate
`;

const RULES_NO_RUNBOOK = `groups:
  - name: orders
    rules:
      - alert: OrdersLatencyHigh
        expr: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="orders"}[5m]))) > 0.8
        annotations:
          summary: p99 latency over 800 ms
`;

const PROMETHEUS_RULE = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: orders }
spec:
  groups:
    - name: orders.saturation
      rules:
        - alert: OrdersQueueBacklog
          expr: orders_queue_depth > 1000
`;

const DASHBOARD = JSON.stringify({ title: "Orders overview", uid: "orders-1", schemaVersion: 39, panels: [{ type: "timeseries", title: "Requests" }] }, null, 2);

const DATADOG_MONITOR = JSON.stringify({ name: "Orders error rate", type: "query alert", query: "sum(last_5m):sum:orders.errors{*}.as_count() > 50", message: "Orders fail. Runbook: https://runbooks.example.test/orders @pagerduty-orders" }, null, 2);

const TERRAFORM = `resource "grafana_dashboard" "orders" {
  config_json = file("\${path.module}/orders.json")
}

resource "aws_cloudwatch_metric_alarm" "orders_5xx" {
  alarm_name          = "orders-5xx"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 10
}
`;

ruleTester(monitoring, {
  valid: [
    { name: "Prometheus alerts with runbook links and a Grafana dashboard", facts: repo({ "monitoring/alerts.yaml": RULES, "dashboards/orders.json": DASHBOARD }, []) },
    { name: "Terraform resources by type", facts: repo({ "infra/monitoring.tf": TERRAFORM }) },
    { name: "a Datadog monitor whose message links the runbook", facts: repo({ "datadog/orders-errors.json": DATADOG_MONITOR, "grafana/orders.json": DASHBOARD }) },
    {
      name: "on a pull request, an unchanged alert without a runbook link only warns",
      facts: repo({ "monitoring/alerts.yaml": RULES, "monitoring/latency.rules.yaml": RULES_NO_RUNBOOK, "dashboards/orders.json": DASHBOARD }, ["src/server.go"]),
      findings: [{ message: "alert rule OrdersLatencyHigh in monitoring/latency.rules.yaml has no runbook_url annotation", severity: "warning", line: 4 }],
    },
    { name: "only alerts required", options: { require: ["alerts"] }, facts: repo({ "alerts/orders.yml": RULES }) },
    { name: "another annotation name", options: { "runbook-annotations": ["runbook"] }, facts: repo({ "alerts/orders.yml": RULES.replace("runbook_url:", "runbook:"), "dashboards/o.json": DASHBOARD }) },
  ],
  invalid: [
    {
      name: "nothing declared",
      facts: repo({}),
      findings: [{ message: "the service declares no dashboard: add a Grafana dashboard JSON" }, { message: "the service declares no alert: add Prometheus alert rules" }],
    },
    {
      name: "a changed alert rule without its runbook link fails, at the alert's line",
      facts: repo({ "monitoring/latency.rules.yaml": RULES_NO_RUNBOOK, "dashboards/orders.json": DASHBOARD }, ["monitoring/latency.rules.yaml"]),
      findings: [{ message: "alert rule OrdersLatencyHigh in monitoring/latency.rules.yaml has no runbook_url annotation: add annotations.runbook_url with the link", path: "monitoring/latency.rules.yaml", line: 4 }],
    },
    {
      name: "on a branch every alert rule is held to it (a PrometheusRule resource)",
      facts: repo({ "monitoring/orders-rule.yaml": PROMETHEUS_RULE, "dashboards/orders.json": DASHBOARD }),
      findings: [{ message: "alert rule OrdersQueueBacklog in monitoring/orders-rule.yaml has no runbook_url annotation", line: 8 }],
    },
    {
      name: "a Datadog monitor without a link",
      facts: repo({ "monitors/orders.json": DATADOG_MONITOR.replace(" Runbook: https://runbooks.example.test/orders", ""), "dashboards/orders.json": DASHBOARD }),
      findings: [{ message: 'Datadog monitor "Orders error rate" in monitors/orders.json has no link in its message' }],
    },
    {
      name: "alerts but no dashboard",
      facts: repo({ "monitoring/alerts.yaml": RULES }),
      findings: [{ message: "the service declares no dashboard" }],
    },
  ],
  unknown: [
    { name: "the tree cannot be listed", facts: { trees: { head: unknownFact("truncated") } }, reason: "cannot list the repository's files: truncated" },
    { name: "more files than max-files", options: { "max-files": 1 }, facts: repo({ "infra/a.tf": TERRAFORM, "infra/b.tf": TERRAFORM }), reason: "1 more matching file (from infra/b.tf) not read" },
  ],
});
