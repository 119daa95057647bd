import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globs } from "../src/engine/globs.js";
import { fail, pass, skip, unknown } from "../src/engine/types.js";
import type { FactRequest, Facts, Finding } from "../src/engine/types.js";
import { listed, plural } from "./lib/outcome.js";
import { baseName, directoryOf, headTexts, joinPath, listMatching, maxFilesOption, readRequests } from "./lib/repository-files.js";
import { at, isFilled, isRecord, parseYamlDocuments } from "./lib/yaml-documents.js";
import type { YamlDocument } from "./lib/yaml-documents.js";

const DEFAULT_PATHS = ["**/{k8s,kubernetes,kube,.k8s,deploy,deployment,deployments,manifests,helm,charts,chart}/**/*.{yaml,yml}"];
const PROBES = { readiness: "readinessProbe", liveness: "livenessProbe", startup: "startupProbe" } as const;
type ProbeName = keyof typeof PROBES;

const options = z
  .object({
    paths: globs
      .default(DEFAULT_PATHS)
      .describe("Where Kubernetes manifests and Helm charts live: YAML files (several documents per file are fine) under the usual k8s, deploy, manifests, helm and charts directories by default. Other YAML files there are ignored."),
    kinds: z
      .array(z.string().min(1))
      .default(["Deployment", "StatefulSet", "DaemonSet"])
      .describe("The workload kinds judged. A DaemonSet runs one pod per node, so it needs no replica count."),
    probes: z
      .array(z.enum(["readiness", "liveness", "startup"]))
      .default(["readiness", "liveness"])
      .describe("The probes every container must declare: readiness (traffic only to ready pods), liveness (restart a stuck process), startup (slow starts)."),
    resources: z
      .array(z.enum(["requests", "limits"]))
      .default(["requests", "limits"])
      .describe("What every container's resources must set: requests (what the scheduler reserves) and limits (what a container may use at most)."),
    "min-replicas": z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe("Replicas a Deployment or StatefulSet must run unless a HorizontalPodAutoscaler (or KEDA ScaledObject) in the repository scales it. 1 switches the check off."),
    "max-files": maxFilesOption,
  })
  .strict();

type Options = z.output<typeof options>;

interface Located {
  readonly path: string;
  readonly document: YamlDocument;
  /** The path inside the document to the object (a List's item has ["items", i]). */
  readonly at: readonly (string | number)[];
  readonly object: Record<string, unknown>;
}

const nameOf = (object: Record<string, unknown>): string => {
  const name = at(object, "metadata", "name");
  return typeof name === "string" ? name : "(unnamed)";
};

const namespaceOf = (object: Record<string, unknown>): string | undefined => {
  const namespace = at(object, "metadata", "namespace");
  return typeof namespace === "string" ? namespace : undefined;
};

/** The top-level objects of a document, and a `kind: List`'s items. */
function objectsOf(path: string, document: YamlDocument): Located[] {
  const value = document.value;
  if (!isRecord(value)) return [];
  const items = value.kind === "List" ? at(value, "items") : undefined;
  if (Array.isArray(items)) {
    return items.flatMap((item, index) => (isRecord(item) ? [{ path, document, at: ["items", index], object: item }] : []));
  }
  return [{ path, document, at: [], object: value }];
}

interface ScaleTarget {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly by: string;
}

/** What a HorizontalPodAutoscaler or KEDA ScaledObject scales. */
function scaleTargetOf(located: Located): ScaleTarget | undefined {
  const { object } = located;
  const target = at(object, "spec", "scaleTargetRef");
  const name = at(target, "name");
  if (typeof name !== "string") return undefined;
  const namespace = namespaceOf(object);
  if (object.kind === "HorizontalPodAutoscaler") {
    const kind = at(target, "kind");
    return { kind: typeof kind === "string" ? kind : "Deployment", name, ...(namespace ? { namespace } : {}), by: `HorizontalPodAutoscaler "${nameOf(object)}"` };
  }
  if (object.kind === "ScaledObject" && typeof object.apiVersion === "string" && object.apiVersion.startsWith("keda.sh/")) {
    const kind = at(target, "kind");
    return { kind: typeof kind === "string" ? kind : "Deployment", name, ...(namespace ? { namespace } : {}), by: `ScaledObject "${nameOf(object)}"` };
  }
  return undefined;
}

const PROBE_EXAMPLE: Readonly<Record<ProbeName, string>> = {
  readiness: "such as httpGet: { path: /ready, port: http }",
  liveness: "such as httpGet: { path: /healthz, port: http }",
  startup: "such as httpGet: { path: /healthz, port: http } with failureThreshold: 30",
};

function judgeWorkload(w: Located, o: Options, targets: readonly ScaleTarget[], findings: Finding[]): void {
  const kind = String(w.object.kind);
  const label = `${kind} "${nameOf(w.object)}"`;
  const containersPath = [...w.at, "spec", "template", "spec", "containers"];
  const containers = at(w.document.value, ...containersPath);
  if (!Array.isArray(containers) || containers.length === 0) {
    findings.push({ message: `${label} in ${w.path} has no containers under spec.template.spec.containers: it cannot be judged`, path: w.path, line: w.document.lineOf(containersPath) });
  } else {
    containers.forEach((container, index) => {
      const here = [...containersPath, index];
      const name = typeof at(container, "name") === "string" ? String(at(container, "name")) : `#${index + 1}`;
      const line = w.document.lineOf([...here, "name"]);
      const missingProbes = o.probes.filter((p) => !isFilled(at(container, PROBES[p])));
      for (const probe of missingProbes) {
        findings.push({
          message: `${label}, container "${name}" in ${w.path} has no ${PROBES[probe]}: add one under the container (line ${line}), ${PROBE_EXAMPLE[probe]}`,
          path: w.path,
          line,
        });
      }
      const missingResources = o.resources.filter((r) => !isFilled(at(container, "resources", r)));
      if (missingResources.length > 0) {
        const wanted = missingResources.map((r) => `resources.${r}`).join(" and ");
        findings.push({
          message: `${label}, container "${name}" in ${w.path} sets no ${wanted}: add ${wanted} with cpu and memory under the container (line ${line})`,
          path: w.path,
          line,
        });
      }
    });
  }
  if (kind === "DaemonSet" || o["min-replicas"] <= 1) return;
  const namespace = namespaceOf(w.object);
  const scaler = targets.find((t) => t.kind === kind && t.name === nameOf(w.object) && (t.namespace === undefined || namespace === undefined || t.namespace === namespace));
  if (scaler) return;
  const replicas = at(w.object, "spec", "replicas");
  if (typeof replicas === "string") return; // set by a template or kustomize at deploy time
  if (typeof replicas === "number" && replicas >= o["min-replicas"]) return;
  const said = replicas === undefined ? "sets no spec.replicas (Kubernetes runs 1)" : `runs ${String(replicas)} ${replicas === 1 ? "replica" : "replicas"}`;
  findings.push({
    message: `${label} in ${w.path} ${said}: set spec.replicas to ${o["min-replicas"]} or more, or add a HorizontalPodAutoscaler whose scaleTargetRef names ${kind} ${nameOf(w.object)}`,
    path: w.path,
    line: w.document.lineOf([...w.at, "spec", "replicas"]),
  });
}

/** A chart's default values.yaml: the keys `helm create` exposes, judged when the chart has them. */
function judgeHelmValues(path: string, document: YamlDocument, o: Options, findings: Finding[]): boolean {
  const values = document.value;
  if (!isRecord(values)) return false;
  const exposed = ["replicaCount", "resources", "readinessProbe", "livenessProbe", "startupProbe", "autoscaling"].filter((key) => key in values);
  if (exposed.length === 0) return false;
  for (const probe of o.probes) {
    const key = PROBES[probe];
    if (key in values && !isFilled(values[key])) {
      findings.push({ message: `${path} leaves ${key} empty: set it (${PROBE_EXAMPLE[probe]}) so the chart's pods get one`, path, line: document.lineOf([key]) });
    }
  }
  if ("resources" in values) {
    const missing = o.resources.filter((r) => !isFilled(at(values, "resources", r)));
    if (missing.length > 0) {
      const wanted = missing.map((r) => `resources.${r}`).join(" and ");
      findings.push({ message: `${path} sets no ${wanted}: add ${wanted} with cpu and memory`, path, line: document.lineOf(["resources"]) });
    }
  }
  const autoscaled = at(values, "autoscaling", "enabled") === true;
  const replicaCount = values.replicaCount;
  if (o["min-replicas"] > 1 && "replicaCount" in values && !autoscaled && typeof replicaCount === "number" && replicaCount < o["min-replicas"]) {
    findings.push({
      message: `${path} sets replicaCount: ${replicaCount}: raise it to ${o["min-replicas"]} or more, or set autoscaling.enabled: true`,
      path,
      line: document.lineOf(["replicaCount"]),
    });
  }
  return true;
}

const isTemplateText = (text: string): boolean => text.includes("{{");

export default defineRule({
  id: "health-probes",
  area: "reliability",
  defaultLevel: "gold",
  subjects: ["pull", "branch"],
  description:
    "Kubernetes workloads (Deployments, StatefulSets, DaemonSets, and Helm charts' values) declare readiness and liveness probes, resource requests and limits for every container, and more than one replica or an autoscaler.",
  fix: "Add the probes, resources and replicas (or a HorizontalPodAutoscaler) each finding names, in the manifest and line it points at.",
  componentOptions: { paths: "root" },
  options,
  tighten: { paths: "superset", kinds: "superset", probes: "superset", resources: "superset", "min-replicas": "at-least" },
  needs: (): FactRequest[] => [{ kind: "tree", ref: "head" }],
  followUp: (facts: Facts, o: Options) => readRequests(facts, o.paths, o["max-files"]),
  evaluate(facts, o: Options) {
    const listing = listMatching(facts, o.paths, o["max-files"]);
    if (!listing.known) return unknown(listing.reason);
    if (listing.paths.length === 0) return skip(`no file matches ${listed(o.paths)}: no Kubernetes manifests to check`);

    const findings: Finding[] = [];
    const notices: Finding[] = [];
    const workloads: Located[] = [];
    const targets: ScaleTarget[] = [];
    const kinds = new Set(o.kinds);
    const tree = facts.trees.head?.known ? new Set(facts.trees.head.value) : new Set<string>();
    let charts = 0;

    const { files: readable, unreadable } = headTexts(facts, listing.paths);
    for (const { path, text } of readable) {
      const parsed = parseYamlDocuments(text);
      if (!parsed.ok) {
        if (isTemplateText(text)) {
          notices.push({ message: `${path} is a Helm template ({{ … }}) that is not YAML until rendered: not checked; its chart's values.yaml is`, path, severity: "notice" });
        } else {
          findings.push({ message: `${path} is not valid YAML (line ${parsed.line}: ${parsed.message}): fix it so its workloads can be checked`, path, line: parsed.line, severity: "warning" });
        }
        continue;
      }
      const isChartValues = baseName(path) === "values.yaml" && tree.has(joinPath(directoryOf(path), "Chart.yaml"));
      for (const document of parsed.documents) {
        if (isChartValues) {
          if (judgeHelmValues(path, document, o, findings)) charts++;
          continue;
        }
        for (const located of objectsOf(path, document)) {
          const target = scaleTargetOf(located);
          if (target) targets.push(target);
          else if (typeof located.object.kind === "string" && kinds.has(located.object.kind) && isRecord(located.object.spec)) workloads.push(located);
        }
      }
    }

    for (const workload of workloads) judgeWorkload(workload, o, targets, findings);

    const omitted =
      listing.omitted.length > 0
        ? [`${plural(listing.omitted.length, "more matching file")} (from ${listing.omitted[0]}) not read: at most ${o["max-files"]} are; narrow paths or raise max-files`]
        : [];
    const undecided = [...unreadable, ...omitted];
    if (findings.some((f) => (f.severity ?? "failure") === "failure")) {
      return fail([...findings, ...notices, ...undecided.map((message): Finding => ({ message, severity: "notice" }))], `${plural(findings.length, "problem")} in Kubernetes manifests`);
    }
    if (undecided.length > 0) return unknown(`cannot check every manifest: ${undecided.join("; ")}`, [...findings, ...notices]);
    if (workloads.length === 0 && charts === 0) {
      return skip(`no ${o.kinds.join(", ")} and no Helm chart values in the ${plural(listing.paths.length, "file")} matching ${listed(o.paths)}`);
    }
    const parts = [workloads.length > 0 ? `checked ${plural(workloads.length, "workload")}` : "", charts > 0 ? plural(charts, "Helm values file") : ""].filter(Boolean);
    return pass(parts.join(" and "), [...findings, ...notices]);
  },
});
