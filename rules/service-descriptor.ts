import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globs } from "../src/engine/globs.js";
import { fail, pass, unknown } from "../src/engine/types.js";
import type { FactRequest, Facts, Finding } from "../src/engine/types.js";
import { DEFAULT_DESCRIPTOR_PATHS, FIELD_LOCATIONS, fieldPathOption, findField, onCallAnnotations, parseFieldPath, readDescriptors, writePath } from "./lib/descriptors.js";
import type { Descriptor, FieldPath } from "./lib/descriptors.js";
import { listed, plural } from "./lib/outcome.js";
import { maxFilesOption, readRequests } from "./lib/repository-files.js";

const KNOWN_FIELDS = ["owner", "lifecycle", "system", "dependencies", "tier", "on-call", "slack"] as const;

/** What to write, for the finding: a value that shows the shape. */
const EXAMPLES: Readonly<Record<string, string>> = {
  owner: "the owning team, such as team-payments",
  lifecycle: "production, experimental or deprecated",
  system: "the system the service belongs to",
  dependencies: "what the service depends on or provides, such as [resource:default/orders-db]",
  tier: "the service's tier, such as 1",
  "on-call": "the on-call rotation or escalation policy",
  slack: "the team's channel, such as #payments",
};

const options = z
  .object({
    paths: globs
      .default(DEFAULT_DESCRIPTOR_PATHS)
      .describe("Where descriptors live: Backstage catalog-info.yaml, OpsLevel opslevel.yml, Cortex cortex.yaml, Port port.yml (or .port/*.yml), or your own YAML file (then say where its fields are in fields)."),
    require: z
      .array(z.string().min(1))
      .default(["owner", "lifecycle", "system", "dependencies"])
      .describe(`Fields every service descriptor must fill. Known to every format: ${KNOWN_FIELDS.join(", ")} (dependencies: Backstage's spec.dependsOn, providesApis or consumesApis). Other names need a location in fields.`),
    fields: z
      .record(z.string().min(1), z.union([fieldPathOption, z.array(fieldPathOption).min(1)]))
      .default({})
      .describe('Where a field is, overriding the built-in locations for every format: a path or a list of alternatives, such as { tier: "metadata.labels.tier", "on-call": \'metadata.annotations["pagerduty.com/service-id"]\' }.'),
    "max-files": maxFilesOption,
  })
  .strict()
  .check((ctx) => {
    const known = new Set<string>([...KNOWN_FIELDS, ...Object.keys(ctx.value.fields)]);
    ctx.value.require.forEach((name, index) => {
      if (!known.has(name)) {
        ctx.issues.push({ code: "custom", input: name, path: ["require", index], message: `"${name}" is not a field every format knows (${KNOWN_FIELDS.join(", ")}): say where it is under fields` });
      }
    });
  });

type Options = z.output<typeof options>;

/** The locations of `name` in a descriptor, configured first; none for a custom file without configuration. */
export function locationsOf(name: string, d: Descriptor, configured: Options["fields"]): readonly FieldPath[] {
  const given = configured[name];
  if (given !== undefined) return (typeof given === "string" ? [given] : given).map((p) => parseFieldPath(p)!);
  return d.format === "custom" ? [] : (FIELD_LOCATIONS[d.format][name] ?? []);
}

function judge(d: Descriptor, o: Options): Finding[] {
  const findings: Finding[] = [];
  for (const name of o.require) {
    const locations = locationsOf(name, d, o.fields);
    if (name === "on-call" && o.fields["on-call"] === undefined && onCallAnnotations(d).length > 0) continue;
    if (locations.length === 0) {
      findings.push({ message: `${d.path} is not a format readiness-bot knows, so it cannot tell where "${name}" is: say where under fields.${name} in this rule's options`, path: d.path });
      continue;
    }
    if (findField(d, locations)) continue;
    const where = locations[0]!;
    const alternatives = locations.length > 1 ? ` (or ${locations.slice(1).map(writePath).join(", ")})` : "";
    const annotation = name === "on-call" && d.format === "backstage" ? ", or an annotation pagerduty.com/service-id, opsgenie.com/team or incident.io/…" : "";
    findings.push({
      message: `${d.label} in ${d.path} has no ${name}: add ${writePath(where)}${alternatives}${annotation}, ${EXAMPLES[name] ?? "with its value"}`,
      path: d.path,
      line: d.document.lineOf([...d.root, ...where]),
    });
  }
  return findings;
}

export function noDescriptorMessage(o: Options): string {
  return `no service descriptor matches ${listed(o.paths)}: add catalog-info.yaml at the repository root (a Backstage kind: Component with spec.owner, spec.lifecycle, spec.system and spec.dependsOn), or an opslevel.yml, cortex.yaml or port.yml`;
}

export default defineRule({
  id: "service-descriptor",
  area: "ownership",
  defaultLevel: "silver",
  subjects: ["pull", "branch"],
  description: "The service has a descriptor (Backstage catalog-info.yaml, OpsLevel, Cortex, Port, or a configured file) that names its owner, lifecycle, system and dependencies, and whatever else the configuration requires.",
  fix: "Add the descriptor, or the fields each finding names at the line it points at.",
  componentOptions: { paths: "descriptor" },
  options,
  needs: (): FactRequest[] => [{ kind: "tree", ref: "head" }],
  followUp: (facts: Facts, o: Options) => readRequests(facts, o.paths, o["max-files"]),
  evaluate(facts, o: Options) {
    const read = readDescriptors(facts, o.paths, o["max-files"]);
    if (!read.known) return unknown(`cannot read the service descriptor: ${read.reason}`);
    if (read.files.length === 0) return fail([{ message: noDescriptorMessage(o) }]);
    const findings: Finding[] = [...read.problems];
    if (read.descriptors.length === 0 && read.problems.length === 0) {
      return fail([{ message: `${listed(read.files)} declares no service (a Backstage kind: Component, an OpsLevel service, a Cortex entity or a Port entity): add one`, path: read.files[0]! }]);
    }
    for (const d of read.descriptors) findings.push(...judge(d, o));
    if (findings.length > 0) return fail(findings);
    return pass(`${plural(read.descriptors.length, "descriptor")} (${listed(read.descriptors.map((d) => d.label))}) with ${o.require.join(", ")}`);
  },
});
