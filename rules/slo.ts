import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globs } from "../src/engine/globs.js";
import { fail, pass, unknown } from "../src/engine/types.js";
import type { FactRequest, Facts, Finding } from "../src/engine/types.js";
import { listed, plural } from "./lib/outcome.js";
import { headTexts, listMatching, maxFilesOption, readRequests } from "./lib/repository-files.js";
import { at, isRecord, parseYamlDocuments } from "./lib/yaml-documents.js";
import type { YamlDocument } from "./lib/yaml-documents.js";

const DEFAULT_PATHS = ["**/{slo,slos,openslo,sloth,nobl9}/**/*.{yaml,yml,json}", "**/*.slo.{yaml,yml,json}", "**/*-slo.{yaml,yml}", "**/slo.{yaml,yml}", "**/slos.{yaml,yml}"];

const options = z
  .object({
    paths: globs.default(DEFAULT_PATHS).describe("Where SLO definitions live: OpenSLO, Sloth (prometheus/v1 or the PrometheusServiceLevel resource), Nobl9, or Google Cloud service level objectives as YAML or JSON."),
    service: z
      .string()
      .default("")
      .describe("The service the SLOs must be for (OpenSLO, Nobl9 and Sloth spec.service, or a Google Cloud name .../services/<service>/...). Empty: any service."),
    "error-budget-policy": z
      .string()
      .default("")
      .describe("A document that must exist too: the error-budget policy (what happens when the budget is spent), such as docs/error-budget-policy.md. Empty: not required."),
    "max-files": maxFilesOption,
  })
  .strict();

type Options = z.output<typeof options>;

interface Slo {
  readonly label: string;
  readonly service: string | undefined;
  /** Objectives with a usable target. */
  readonly objectives: number;
  /** What is wrong with its objectives, with the path to point at. */
  readonly problem?: { readonly message: string; readonly at: readonly (string | number)[] };
}

const isTarget = (value: unknown): boolean => typeof value === "number" && value > 0 && value <= 100;

/** The objectives list of OpenSLO and Nobl9 (spec.objectives, each with target or targetPercent). */
function specObjectives(value: Record<string, unknown>, format: string): Slo {
  const name = String(at(value, "metadata", "name") ?? at(value, "metadata", "displayName") ?? "(unnamed)");
  const service = at(value, "spec", "service");
  const label = `${format} SLO "${name}"`;
  const objectives = at(value, "spec", "objectives");
  const base = { label, service: typeof service === "string" ? service : undefined };
  if (!Array.isArray(objectives) || objectives.length === 0) {
    return { ...base, objectives: 0, problem: { message: "has no objectives: add spec.objectives with at least one target, such as - target: 0.999", at: ["spec"] } };
  }
  const bad = objectives.findIndex((o) => !isTarget(at(o, "target")) && !isTarget(at(o, "targetPercent")));
  if (bad >= 0) return { ...base, objectives: 0, problem: { message: `objective ${bad + 1} has no target: set target (such as 0.999) or targetPercent (such as 99.9)`, at: ["spec", "objectives", bad] } };
  return { ...base, objectives: objectives.length };
}

/** Sloth: `version: prometheus/v1` files and the PrometheusServiceLevel resource, slos[].objective. */
function slothSlos(spec: Record<string, unknown>, prefix: readonly string[], name: string): Slo {
  const service = spec.service;
  const slos = spec.slos;
  const base = { label: `Sloth service "${name}"`, service: typeof service === "string" ? service : undefined };
  if (!Array.isArray(slos) || slos.length === 0) return { ...base, objectives: 0, problem: { message: "has no SLOs: add slos with a name, an objective (such as 99.9) and an sli", at: prefix } };
  const bad = slos.findIndex((s) => !isTarget(at(s, "objective")));
  if (bad >= 0) return { ...base, objectives: 0, problem: { message: `SLO ${bad + 1} has no objective: set objective, a percentage such as 99.9`, at: [...prefix, "slos", bad] } };
  return { ...base, objectives: slos.length };
}

function sloOf(value: unknown): Slo | undefined {
  if (!isRecord(value)) return undefined;
  const apiVersion = typeof value.apiVersion === "string" ? value.apiVersion : "";
  if (value.kind === "SLO" && apiVersion.startsWith("openslo/")) return specObjectives(value, "OpenSLO");
  if (value.kind === "SLO" && apiVersion.startsWith("n9/")) return specObjectives(value, "Nobl9");
  if (value.kind === "PrometheusServiceLevel" && apiVersion.startsWith("sloth.slok.dev/") && isRecord(value.spec)) {
    return slothSlos(value.spec, ["spec"], String(at(value, "metadata", "name") ?? at(value, "spec", "service") ?? "(unnamed)"));
  }
  if (value.version === "prometheus/v1" && "slos" in value) return slothSlos(value, [], String(value.service ?? "(unnamed)"));
  if ("serviceLevelIndicator" in value && ("goal" in value || "displayName" in value)) {
    const name = typeof value.name === "string" ? value.name : String(value.displayName ?? "(unnamed)");
    const service = /\/services\/([^/]+)\//.exec(name)?.[1];
    const label = `Google Cloud SLO "${String(value.displayName ?? name)}"`;
    if (!isTarget(value.goal) || (value.goal as number) >= 1) {
      return { label, service, objectives: 0, problem: { message: "has no goal: set goal to a fraction below 1, such as 0.999", at: ["goal"] } };
    }
    return { label, service, objectives: 1 };
  }
  return undefined;
}

export default defineRule({
  id: "slo",
  area: "observability",
  defaultLevel: "gold",
  subjects: ["pull", "branch"],
  description: "The service has a service level objective that parses (OpenSLO, Sloth, Nobl9 or Google Cloud), with objectives for the service; optionally an error-budget policy document.",
  fix: "Add an SLO definition with a target for the service (and the error-budget policy, when required), or fix the one each finding points at.",
  componentOptions: { paths: "root" },
  options,
  needs: (): FactRequest[] => [{ kind: "tree", ref: "head" }],
  followUp: (facts: Facts, o: Options) => readRequests(facts, o.paths, o["max-files"]),
  evaluate(facts, o: Options) {
    const listing = listMatching(facts, o.paths, o["max-files"]);
    if (!listing.known) return unknown(listing.reason);
    const findings: Finding[] = [];
    const found: { slo: Slo; path: string; document: YamlDocument }[] = [];
    const { files: readable, unreadable } = headTexts(facts, listing.paths);
    for (const { path, text } of readable) {
      const parsed = parseYamlDocuments(text);
      if (!parsed.ok) {
        findings.push({ message: `${path} does not parse (line ${parsed.line}: ${parsed.message}): fix it so its SLOs count`, path, line: parsed.line });
        continue;
      }
      for (const document of parsed.documents) {
        const slo = sloOf(document.value);
        if (slo) found.push({ slo, path, document });
      }
    }
    for (const { slo, path, document } of found) {
      if (slo.problem) findings.push({ message: `${slo.label} in ${path} ${slo.problem.message}`, path, line: document.lineOf(slo.problem.at) });
    }
    const wanted = o.service.trim();
    const forService = found.filter(({ slo }) => !slo.problem && (wanted === "" || slo.service === wanted));
    if (forService.length === 0 && unreadable.length === 0) {
      const others = found.filter(({ slo }) => !slo.problem).map(({ slo }) => slo.service ?? "no service");
      findings.push({
        message:
          wanted !== "" && others.length > 0
            ? `no SLO is for the service "${wanted}" (found SLOs for ${listed([...new Set(others)])}): add one whose spec.service is ${wanted}`
            : `no SLO definition with objectives matches ${listed(o.paths)}: add one, such as slo/availability.yaml with apiVersion: openslo/v1, kind: SLO, spec.service${wanted ? `: ${wanted}` : ""} and spec.objectives with a target`,
      });
    }
    const policy = o["error-budget-policy"].trim();
    const tree = facts.trees.head;
    if (policy !== "" && tree?.known && !tree.value.includes(policy)) {
      findings.push({ message: `the error-budget policy ${policy} does not exist: write what happens when the error budget is spent (who decides, what stops) and add it there` });
    }
    if (findings.length > 0) return fail([...findings, ...unreadable.map((message): Finding => ({ message, severity: "notice" }))]);
    if (unreadable.length > 0 || listing.omitted.length > 0) {
      return unknown(`cannot read every SLO file: ${[...unreadable, ...(listing.omitted.length > 0 ? [`${plural(listing.omitted.length, "more matching file")} not read (max-files)`] : [])].join("; ")}`);
    }
    const objectives = forService.reduce((n, { slo }) => n + slo.objectives, 0);
    return pass(`${plural(forService.length, "SLO")} with ${plural(objectives, "objective")} (${listed(forService.map(({ slo }) => slo.label))})${policy ? `; ${policy}` : ""}`);
  },
});
