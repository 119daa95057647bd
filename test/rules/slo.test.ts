import slo from "../../rules/slo.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";
import { ruleTester } from "../helpers/rule-tester.js";

function repo(files: Record<string, string>, extra: string[] = []): Partial<Facts> {
  return {
    trees: { head: known([...Object.keys(files), ...extra, "src/main.py"]) },
    contents: new Map(Object.entries(files).map(([path, text]) => [contentKey("head", path), known<string | null>(text)])),
  };
}

const OPENSLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
spec:
  service: checkout
  indicatorRef: checkout-success-ratio
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Good
      target: 0.995
`;

const SLOTH = `version: "prometheus/v1"
service: "checkout"
labels:
  owner: team-checkout
slos:
  - name: "requests-availability"
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job="checkout"}[{{.window}}]))
    alerting:
      name: CheckoutHighErrorRate
`;

const SLOTH_CRD = `apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata:
  name: checkout
spec:
  service: checkout
  slos:
    - name: latency
      objective: 99
      sli: { raw: { errorRatioQuery: "1 - histogram_ratio" } }
`;

const NOBL9 = `apiVersion: n9/v1alpha
kind: SLO
metadata:
  name: checkout-latency
  project: shop
spec:
  service: checkout
  budgetingMethod: Occurrences
  objectives:
    - displayName: Fast
      value: 300
      target: 0.95
      op: lte
`;

const GOOGLE = `{
  "name": "projects/acme-shop/services/checkout/serviceLevelObjectives/availability",
  "displayName": "99.5% of checkout requests succeed",
  "goal": 0.995,
  "rollingPeriod": "2419200s",
  "serviceLevelIndicator": { "basicSli": { "availability": {} } }
}
`;

ruleTester(slo, {
  valid: [
    { name: "OpenSLO", facts: repo({ "slo/checkout.yaml": OPENSLO }) },
    { name: "Sloth prometheus/v1", facts: repo({ "sloth/checkout.yml": SLOTH }) },
    { name: "Sloth's PrometheusServiceLevel in a multi-document file", facts: repo({ "k8s/slos.yaml": `apiVersion: v1\nkind: Namespace\nmetadata: { name: checkout }\n---\n${SLOTH_CRD}` }) },
    { name: "Nobl9", facts: repo({ "nobl9/checkout.yaml": NOBL9 }) },
    { name: "Google Cloud SLO as JSON", facts: repo({ "slo/availability.json": GOOGLE }) },
    { name: "for the configured service", options: { service: "checkout" }, facts: repo({ "slo/checkout.yaml": OPENSLO }) },
    { name: "with the required error-budget policy", options: { "error-budget-policy": "docs/error-budget-policy.md" }, facts: repo({ "slo/checkout.yaml": OPENSLO }, ["docs/error-budget-policy.md"]) },
  ],
  invalid: [
    { name: "no SLO at all", facts: repo({}), findings: [{ message: "no SLO definition with objectives matches **/{slo,slos,openslo,sloth,nobl9}/**/*.{yaml,yml,json}, **/*.slo.{yaml,yml,json}, **/*-slo.{yaml,yml} and 2 more: add one, such as slo/availability.yaml with apiVersion: openslo/v1, kind: SLO" }] },
    {
      name: "an OpenSLO without objectives: at its spec",
      facts: repo({ "slo/checkout.yaml": OPENSLO.replace(/ {2}objectives:[\s\S]*$/, "") }),
      findings: [{ message: 'OpenSLO SLO "checkout-availability" in slo/checkout.yaml has no objectives: add spec.objectives with at least one target', path: "slo/checkout.yaml", line: 7 }, { message: "no SLO definition with objectives" }],
    },
    {
      name: "an objective without a target",
      facts: repo({ "slo/checkout.yaml": OPENSLO.replace("      target: 0.995\n", "") }),
      findings: [{ message: 'OpenSLO SLO "checkout-availability" in slo/checkout.yaml objective 1 has no target', line: 14 }, { message: "no SLO definition" }],
    },
    {
      name: "an SLO file that does not parse",
      facts: repo({ "slo/checkout.yaml": OPENSLO, "slo/broken.yaml": "apiVersion: openslo/v1\nkind: SLO\nspec: [\n" }),
      findings: [{ message: /^slo\/broken\.yaml does not parse \(line \d+/, path: "slo/broken.yaml" }],
    },
    { name: "SLOs for another service only", options: { service: "payments" }, facts: repo({ "slo/checkout.yaml": OPENSLO }), findings: [{ message: 'no SLO is for the service "payments" (found SLOs for checkout): add one whose spec.service is payments' }] },
    {
      name: "the error-budget policy is missing",
      options: { "error-budget-policy": "docs/error-budget-policy.md" },
      facts: repo({ "slo/checkout.yaml": OPENSLO }),
      findings: [{ message: "the error-budget policy docs/error-budget-policy.md does not exist: write what happens when the error budget is spent" }],
    },
    { name: "a Google goal of 1 or more is no objective", facts: repo({ "slo/a.json": GOOGLE.replace("0.995", "1.5") }), findings: [{ message: 'Google Cloud SLO "99.5% of checkout requests succeed" in slo/a.json has no goal' }, { message: "no SLO definition" }] },
  ],
  unknown: [
    { name: "the tree cannot be listed", facts: { trees: { head: unknownFact("the tree at the head commit is truncated") } }, reason: "cannot list the repository's files: the tree at the head commit is truncated" },
    {
      name: "an SLO file cannot be read and none other counts",
      facts: { trees: { head: known(["slo/a.yaml"]) }, contents: new Map([[contentKey("head", "slo/a.yaml"), unknownFact("GitHub answered 502")]]) },
      reason: "cannot read every SLO file: slo/a.yaml could not be read: GitHub answered 502",
    },
  ],
});
