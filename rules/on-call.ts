import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globs } from "../src/engine/globs.js";
import { fail, pass, unknown } from "../src/engine/types.js";
import type { FactRequest, Facts, Finding } from "../src/engine/types.js";
import { DEFAULT_DESCRIPTOR_PATHS, FIELD_LOCATIONS, fieldPathOption, findField, ON_CALL_ANNOTATION_PREFIXES, onCallAnnotations, parseFieldPath, readDescriptors, writePath } from "./lib/descriptors.js";
import type { Descriptor } from "./lib/descriptors.js";
import { listed } from "./lib/outcome.js";
import { maxFilesOption, readRequests } from "./lib/repository-files.js";

const options = z
  .object({
    paths: globs.default(DEFAULT_DESCRIPTOR_PATHS).describe("Where the service descriptors are (the same files service-descriptor reads)."),
    fields: z
      .array(fieldPathOption)
      .default([])
      .describe('More places in a descriptor that name the rotation, such as \'metadata.annotations["acme.com/escalation-policy"]\'. Built in: PagerDuty, Opsgenie and incident.io annotations in Backstage, x-cortex-oncall in Cortex, on_call in OpsLevel and Port.'),
    rotation: z
      .string()
      .default("")
      .describe("The on-call rotation or escalation policy, named in the configuration itself (a URL or an identifier) when no descriptor carries it. Set, the rule passes without reading descriptors."),
    "max-files": maxFilesOption,
  })
  .strict();

type Options = z.output<typeof options>;

function rotationOf(d: Descriptor, o: Options): string | undefined {
  const annotation = onCallAnnotations(d)[0];
  if (annotation) return annotation;
  const locations = [...o.fields.map((f) => parseFieldPath(f)!), ...(d.format === "custom" ? [] : (FIELD_LOCATIONS[d.format]["on-call"] ?? []))];
  const found = findField(d, locations);
  return found ? writePath(found.path) : undefined;
}

const HOW: Readonly<Record<Descriptor["format"], string>> = {
  backstage: `an annotation under metadata.annotations: pagerduty.com/service-id (or pagerduty.com/integration-key), opsgenie.com/team, or one starting with ${ON_CALL_ANNOTATION_PREFIXES[2]}`,
  opslevel: "service.on_call, naming the rotation",
  cortex: "info.x-cortex-oncall (pagerduty, opsgenie or victorops with its id)",
  port: "properties.on_call, or a relation pagerdutyService",
  custom: "the field that names it, and say where under fields in this rule's options",
};

export default defineRule({
  id: "on-call",
  area: "incident",
  defaultLevel: "silver",
  subjects: ["pull", "branch"],
  description: "The service names its on-call rotation or escalation policy: a PagerDuty, Opsgenie or incident.io annotation or field in its descriptor, or the rule's own configuration.",
  fix: "Add the on-call annotation or field each finding names to the descriptor, so an alert reaches a person.",
  componentOptions: { paths: "descriptor" },
  options,
  needs: (): FactRequest[] => [{ kind: "tree", ref: "head" }],
  followUp: (facts: Facts, o: Options) => (o.rotation.trim() === "" ? readRequests(facts, o.paths, o["max-files"]) : []),
  evaluate(facts, o: Options) {
    if (o.rotation.trim() !== "") return pass(`the configuration names the rotation: ${o.rotation.trim().slice(0, 200)}`);
    const read = readDescriptors(facts, o.paths, o["max-files"]);
    if (!read.known) return unknown(`cannot read the service descriptor: ${read.reason}`);
    if (read.descriptors.length === 0) {
      return fail([
        {
          message: `no service descriptor (${listed(o.paths)}) names an on-call rotation: add catalog-info.yaml with the annotation pagerduty.com/service-id (or opsgenie.com/team), or set rotation in this rule's options`,
          ...(read.problems.length > 0 ? { details: read.problems.map((p) => p.message) } : {}),
        },
      ]);
    }
    const named: string[] = [];
    const findings: Finding[] = [];
    for (const d of read.descriptors) {
      const rotation = rotationOf(d, o);
      if (rotation) named.push(`${d.label}: ${rotation}`);
      else {
        const annotations = d.format === "backstage" ? ["metadata", "annotations"] : [];
        findings.push({ message: `${d.label} in ${d.path} names no on-call rotation: add ${HOW[d.format]}`, path: d.path, line: d.document.lineOf([...d.root, ...annotations]) });
      }
    }
    return findings.length > 0 ? fail(findings) : pass(listed(named));
  },
});
