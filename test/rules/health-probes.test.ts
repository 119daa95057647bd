import healthProbes from "../../rules/health-probes.js";
import { makeFacts } from "../../src/engine/facts.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";
import { ruleTester, runRule } from "../helpers/rule-tester.js";

/** A head tree of these files with these contents (null: listed but unreadable is set apart). */
function repo(files: Record<string, string>, extraPaths: string[] = []): Partial<Facts> {
  return {
    trees: { head: known([...Object.keys(files), ...extraPaths, "src/main.go"]) },
    contents: new Map(Object.entries(files).map(([path, text]) => [contentKey("head", path), known<string | null>(text)])),
  };
}

const container = (extra = "") => `        - name: api
          image: ghcr.io/acme/ledger-api:1.14.2
          ports:
            - name: http
              containerPort: 8080
          readinessProbe:
            httpGet: { path: /ready, port: http }
          livenessProbe:
            httpGet: { path: /healthz, port: http }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: "1", memory: 512Mi }${extra}`;

const deployment = (name: string, replicas: string, containers = container()) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ledger
spec:
${replicas}  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
${containers}
`;

const GOOD = deployment("ledger-api", "  replicas: 3\n");

const BARE_CONTAINER = `        - name: api
          image: ghcr.io/acme/ledger-api:1.14.2`;

const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ledger-worker
  namespace: ledger
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ledger-worker }
  minReplicas: 2
  maxReplicas: 10
`;

const DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: log-shipper }
spec:
  selector: { matchLabels: { app: log-shipper } }
  template:
    metadata: { labels: { app: log-shipper } }
    spec:
      containers:
${container()}
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata: { name: ledger-api }
spec:
  ports: [{ port: 80, targetPort: http }]
`;

const CHART = `apiVersion: v2
name: ledger
version: 0.3.1
`;

const VALUES_GOOD = `replicaCount: 2
image:
  repository: ghcr.io/acme/ledger-api
resources:
  requests: { cpu: 100m, memory: 128Mi }
  limits: { cpu: 500m, memory: 256Mi }
readinessProbe:
  httpGet: { path: /ready, port: http }
livenessProbe:
  httpGet: { path: /healthz, port: http }
autoscaling:
  enabled: false
`;

const VALUES_DEFAULT = `replicaCount: 1
image:
  repository: ghcr.io/acme/ledger-api
resources: {}
livenessProbe:
  httpGet: { path: /, port: http }
readinessProbe: {}
autoscaling:
  enabled: false
  minReplicas: 1
`;

const TEMPLATE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "ledger.fullname" . }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
`;

ruleTester(healthProbes, {
  valid: [
    { name: "a complete Deployment with 3 replicas", facts: repo({ "deploy/ledger-api.yaml": GOOD }) },
    {
      name: "a multi-document file: Service, Deployment without replicas and the HPA that scales it",
      facts: repo({ "k8s/worker.yml": [SERVICE, deployment("ledger-worker", ""), HPA].join("---\n") }),
    },
    { name: "the HPA may live in another file", facts: repo({ "k8s/worker.yaml": deployment("ledger-worker", ""), "k8s/hpa.yaml": HPA }) },
    { name: "a DaemonSet needs no replicas", facts: repo({ "manifests/log-shipper.yaml": DAEMONSET }) },
    {
      name: "a chart's values.yaml exposing probes, resources and replicas, with the templates skipped as notices",
      facts: repo({ "charts/ledger/Chart.yaml": CHART, "charts/ledger/values.yaml": VALUES_GOOD, "charts/ledger/templates/deployment.yaml": TEMPLATE }),
      findings: [{ message: "charts/ledger/templates/deployment.yaml is a Helm template ({{ … }}) that is not YAML until rendered: not checked", severity: "notice" }],
    },
    { name: "min-replicas 1 switches the replica check off", options: { "min-replicas": 1 }, facts: repo({ "deploy/a.yaml": deployment("ledger-api", "") }) },
    {
      name: "only the configured probes are required",
      options: { probes: ["readiness"], resources: ["requests"] },
      facts: repo({
        "deploy/a.yaml": deployment("ledger-api", "  replicas: 2\n", `        - name: api\n          image: x\n          readinessProbe: { tcpSocket: { port: 8080 } }\n          resources: { requests: { cpu: 50m } }`),
      }),
    },
    { name: "a templated replica count is decided at deploy time", facts: repo({ "deploy/a.yaml": deployment("ledger-api", '  replicas: "${REPLICAS}"\n') }) },
    {
      name: "a broken YAML file elsewhere warns but does not fail",
      facts: repo({ "deploy/a.yaml": GOOD, "deploy/kustomization.yaml": "resources:\n  - a.yaml\n bad: [\n" }),
      findings: [{ message: /^deploy\/kustomization\.yaml is not valid YAML \(line \d+: .+\): fix it/, severity: "warning", path: "deploy/kustomization.yaml" }],
    },
  ],
  invalid: [
    {
      name: "a bare container: every probe and resource missing, one replica by default, each at the container's line",
      facts: repo({ "deploy/ledger-api.yaml": deployment("ledger-api", "", BARE_CONTAINER) }),
      findings: [
        { message: 'Deployment "ledger-api", container "api" in deploy/ledger-api.yaml has no readinessProbe: add one under the container (line 14), such as httpGet', path: "deploy/ledger-api.yaml", line: 14 },
        { message: 'container "api" in deploy/ledger-api.yaml has no livenessProbe', line: 14 },
        { message: 'container "api" in deploy/ledger-api.yaml sets no resources.requests and resources.limits: add resources.requests and resources.limits with cpu and memory under the container (line 14)', line: 14 },
        { message: 'Deployment "ledger-api" in deploy/ledger-api.yaml sets no spec.replicas (Kubernetes runs 1): set spec.replicas to 2 or more, or add a HorizontalPodAutoscaler whose scaleTargetRef names Deployment ledger-api' },
      ],
    },
    {
      name: "replicas: 1, in the second document of a file",
      facts: repo({ "k8s/app.yaml": `${SERVICE}---\n${deployment("ledger-api", "  replicas: 1\n")}` }),
      findings: [{ message: 'Deployment "ledger-api" in k8s/app.yaml runs 1 replica: set spec.replicas to 2 or more', path: "k8s/app.yaml", line: 13 }],
    },
    {
      name: "an HPA for another Deployment does not count",
      facts: repo({ "k8s/api.yaml": deployment("ledger-api", ""), "k8s/hpa.yaml": HPA }),
      findings: [{ message: 'Deployment "ledger-api" in k8s/api.yaml sets no spec.replicas' }],
    },
    {
      name: "one container of two lacks its probes: named by its own name",
      facts: repo({ "deploy/a.yaml": deployment("ledger-api", "  replicas: 2\n", `${container()}\n        - name: proxy\n          image: envoyproxy/envoy:v1.31.0\n          resources: { requests: { cpu: 10m }, limits: { cpu: 100m } }`) }),
      findings: [{ message: 'container "proxy" in deploy/a.yaml has no readinessProbe' }, { message: 'container "proxy" in deploy/a.yaml has no livenessProbe' }],
    },
    {
      name: "a StatefulSet's empty limits count as none",
      facts: repo({
        "deploy/db.yaml": deployment("ledger-db", "  replicas: 3\n", container().replace('limits: { cpu: "1", memory: 512Mi }', "limits: {}")).replace("kind: Deployment", "kind: StatefulSet"),
      }),
      findings: [{ message: 'StatefulSet "ledger-db", container "api" in deploy/db.yaml sets no resources.limits: add resources.limits' }],
    },
    {
      name: "helm create's default values: empty resources and readiness probe, one replica without autoscaling",
      facts: repo({ "helm/ledger/Chart.yaml": CHART, "helm/ledger/values.yaml": VALUES_DEFAULT }),
      findings: [
        { message: "helm/ledger/values.yaml leaves readinessProbe empty: set it", path: "helm/ledger/values.yaml", line: 7 },
        { message: "helm/ledger/values.yaml sets no resources.requests and resources.limits: add resources.requests and resources.limits with cpu and memory", line: 4 },
        { message: "helm/ledger/values.yaml sets replicaCount: 1: raise it to 2 or more, or set autoscaling.enabled: true", line: 1 },
      ],
    },
    {
      name: "a List's items are workloads too",
      facts: repo({ "deploy/list.yaml": `apiVersion: v1\nkind: List\nitems:\n  - ${deployment("ledger-api", "  replicas: 2\n", BARE_CONTAINER).split("\n").join("\n    ").trimEnd()}\n` }),
      findings: [{ message: "has no readinessProbe" }, { message: "has no livenessProbe" }, { message: "sets no resources.requests and resources.limits" }],
    },
  ],
  skipped: [
    { name: "no manifests at all", facts: repo({}, ["README.md"]), reason: "no file matches **/{k8s,kubernetes,kube,.k8s,deploy,deployment,deployments,manifests,helm,charts,chart}/**/*.{yaml,yml}: no Kubernetes manifests to check" },
    { name: "YAML under deploy/ with no workload", facts: repo({ "deploy/service.yaml": SERVICE }), reason: "no Deployment, StatefulSet, DaemonSet and no Helm chart values in the 1 file matching" },
    { name: "a values.yaml outside a chart is not chart values", facts: repo({ "deploy/values.yaml": VALUES_DEFAULT }), reason: "no Deployment" },
  ],
  unknown: [
    { name: "the tree is truncated", facts: { trees: { head: unknownFact("the tree at the head commit is truncated") } }, reason: "cannot list the repository's files: the tree at the head commit is truncated" },
    {
      name: "a manifest cannot be read",
      facts: { trees: { head: known(["deploy/a.yaml", "deploy/b.yaml"]) }, contents: new Map([[contentKey("head", "deploy/a.yaml"), known<string | null>(GOOD)], [contentKey("head", "deploy/b.yaml"), unknownFact("GitHub answered 502")]]) },
      reason: "cannot check every manifest: deploy/b.yaml could not be read: GitHub answered 502",
    },
    {
      name: "more manifests than max-files",
      options: { "max-files": 1 },
      facts: repo({ "deploy/a.yaml": GOOD, "deploy/b.yaml": GOOD }),
      reason: "1 more matching file (from deploy/b.yaml) not read: at most 1 are; narrow paths or raise max-files",
    },
  ],
});

describe("health-probes: facts and options", () => {
  test("reads only the matching files, after the tree", () => {
    const o = healthProbes.options.parse({});
    expect(healthProbes.needs(o)).toEqual([{ kind: "tree", ref: "head" }]);
    const facts = repo({ "deploy/a.yaml": GOOD, "src/config.yaml": "a: 1\n" });
    expect(healthProbes.followUp?.(makeFacts({ trees: facts.trees }), o)).toEqual([{ kind: "content", ref: "head", path: "deploy/a.yaml" }]);
  });

  test("a pass says what was checked", () => {
    const verdict = runRule(healthProbes, {}, repo({ "deploy/a.yaml": GOOD, "charts/ledger/Chart.yaml": CHART, "charts/ledger/values.yaml": VALUES_GOOD }));
    expect(verdict).toMatchObject({ status: "pass", reason: "checked 1 workload and 1 Helm values file" });
  });

  test("every option is described", () => {
    for (const [key, schema] of Object.entries(healthProbes.options.shape)) expect([key, schema.description]).toEqual([key, expect.any(String)]);
  });
});
