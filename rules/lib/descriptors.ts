import { z } from "zod";
import type { Facts, Finding } from "../../src/engine/types.js";
import { headTexts, listMatching } from "./repository-files.js";
import { at, isFilled, isRecord, parseYamlDocuments } from "./yaml-documents.js";
import type { YamlDocument } from "./yaml-documents.js";

/**
 * Service descriptors: the file that says who owns a service and what it depends on. Backstage
 * (catalog-info.yaml, kind Component), OpsLevel (opslevel.yml), Cortex (cortex.yaml) and Port
 * (port.yml entities), or any YAML file at a configured path. Shared by service-descriptor and
 * on-call.
 */

export const DEFAULT_DESCRIPTOR_PATHS = [
  "catalog-info.{yaml,yml}",
  ".backstage/catalog-info.{yaml,yml}",
  "opslevel.{yml,yaml}",
  ".opslevel.{yml,yaml}",
  "cortex.{yaml,yml}",
  "port.{yml,yaml}",
  ".port/*.{yml,yaml}",
];

export type DescriptorFormat = "backstage" | "opslevel" | "cortex" | "port" | "custom";

/** A path inside a descriptor: segments; written "spec.owner" or 'metadata.annotations["pagerduty.com/service-id"]'. */
export type FieldPath = readonly string[];

/** Splits "a.b[\"c.d/e\"].f" into segments; undefined when it is not a path. */
export function parseFieldPath(text: string): FieldPath | undefined {
  const segments: string[] = [];
  const token = /([^.[\]"]+)|\["([^"]+)"\]|(\.)/g;
  let expectSegment = true;
  let consumed = 0;
  for (let m = token.exec(text); m !== null; m = token.exec(text)) {
    if (m.index !== consumed) return undefined;
    consumed = token.lastIndex;
    if (m[3] !== undefined) {
      if (expectSegment) return undefined;
      expectSegment = true;
      continue;
    }
    if (m[1] !== undefined && !expectSegment) return undefined;
    segments.push(m[1] ?? m[2]!);
    expectSegment = false;
  }
  if (consumed !== text.length || expectSegment || segments.length === 0) return undefined;
  return segments;
}

export const fieldPathOption = z
  .string()
  .min(1)
  .refine((s) => parseFieldPath(s) !== undefined, { message: 'expected a path such as spec.owner or metadata.annotations["pagerduty.com/service-id"]' });

export const writePath = (path: FieldPath): string => path.map((s, i) => (/^[A-Za-z0-9_-]+$/.test(s) ? `${i === 0 ? "" : "."}${s}` : `["${s}"]`)).join("");

/** One service (or component) declared in a descriptor file. */
export interface Descriptor {
  readonly path: string;
  readonly format: DescriptorFormat;
  /** "Backstage Component \"cart\"", for messages. */
  readonly label: string;
  readonly name: string;
  readonly document: YamlDocument;
  /** The descriptor's object inside the document (a Port entity in a list: [index]). */
  readonly root: readonly (string | number)[];
  readonly value: Record<string, unknown>;
}

export type DescriptorRead =
  | { readonly known: true; readonly descriptors: readonly Descriptor[]; readonly files: readonly string[]; readonly problems: readonly Finding[] }
  | { readonly known: false; readonly reason: string };

const BACKSTAGE_SERVICE_KINDS = new Set(["Component"]);

function descriptorsIn(path: string, document: YamlDocument): Descriptor[] {
  const value = document.value;
  const base = { path, document };
  if (Array.isArray(value)) {
    // Port's GitOps file: a list of entities with identifier and blueprint.
    return value.flatMap((entity, index): Descriptor[] =>
      isRecord(entity) && typeof entity.identifier === "string" && typeof entity.blueprint === "string"
        ? [{ ...base, format: "port", label: `Port entity "${entity.identifier}"`, name: entity.identifier, root: [index], value: entity }]
        : [],
    );
  }
  if (!isRecord(value)) return [];
  if (typeof value.apiVersion === "string" && value.apiVersion.startsWith("backstage.io/")) {
    if (typeof value.kind !== "string" || !BACKSTAGE_SERVICE_KINDS.has(value.kind)) return [];
    const name = String(at(value, "metadata", "name") ?? "(unnamed)");
    return [{ ...base, format: "backstage", label: `Backstage ${value.kind} "${name}"`, name, root: [], value }];
  }
  if (isRecord(value.service) && ("version" in value || path.includes("opslevel"))) {
    const name = String(at(value, "service", "name") ?? "(unnamed)");
    return [{ ...base, format: "opslevel", label: `OpsLevel service "${name}"`, name, root: [], value }];
  }
  if (isRecord(value.info) && Object.keys(value.info).some((k) => k.startsWith("x-cortex-"))) {
    const name = String(at(value, "info", "x-cortex-tag") ?? at(value, "info", "title") ?? "(unnamed)");
    return [{ ...base, format: "cortex", label: `Cortex entity "${name}"`, name, root: [], value }];
  }
  if (typeof value.identifier === "string" && typeof value.blueprint === "string") {
    return [{ ...base, format: "port", label: `Port entity "${value.identifier}"`, name: value.identifier, root: [], value }];
  }
  return [{ ...base, format: "custom", label: path, name: path, root: [], value }];
}

/** Every descriptor in the files matching `patterns` at the head; files that do not parse are problems. */
export function readDescriptors(facts: Facts, patterns: readonly string[], max: number): DescriptorRead {
  const listing = listMatching(facts, patterns, max);
  if (!listing.known) return listing;
  const descriptors: Descriptor[] = [];
  const problems: Finding[] = [];
  const { files: readable, unreadable } = headTexts(facts, listing.paths);
  for (const { path, text } of readable) {
    const parsed = parseYamlDocuments(text);
    if (!parsed.ok) {
      problems.push({ message: `${path} is not valid YAML (line ${parsed.line}: ${parsed.message}): fix it so it can be read`, path, line: parsed.line });
      continue;
    }
    for (const document of parsed.documents) descriptors.push(...descriptorsIn(path, document));
  }
  if (unreadable.length > 0) return { known: false, reason: unreadable.join("; ") };
  return { known: true, descriptors, files: listing.paths, problems };
}

export const ON_CALL_ANNOTATION_PREFIXES = ["pagerduty.com/", "opsgenie.com/", "incident.io/"];

/** Where each format keeps a logical field: alternatives, the first filled one counts. */
export const FIELD_LOCATIONS: Readonly<Record<Exclude<DescriptorFormat, "custom">, Readonly<Record<string, readonly FieldPath[]>>>> = {
  backstage: {
    owner: [["spec", "owner"]],
    lifecycle: [["spec", "lifecycle"]],
    system: [["spec", "system"]],
    dependencies: [["spec", "dependsOn"], ["spec", "providesApis"], ["spec", "consumesApis"]],
    tier: [["metadata", "labels", "tier"], ["metadata", "annotations", "tier"]],
    slack: [["metadata", "annotations", "slack.com/channel"], ["metadata", "annotations", "slack.com/channel-name"]],
  },
  opslevel: {
    owner: [["service", "owner"]],
    lifecycle: [["service", "lifecycle"]],
    system: [["service", "system"]],
    dependencies: [["service", "dependencies"]],
    tier: [["service", "tier"]],
    slack: [["service", "slack"]],
    "on-call": [["service", "on_call"], ["service", "oncall"]],
  },
  cortex: {
    owner: [["info", "x-cortex-owners"]],
    lifecycle: [["info", "x-cortex-custom-metadata", "lifecycle"]],
    system: [["info", "x-cortex-groups"]],
    dependencies: [["info", "x-cortex-dependency"]],
    tier: [["info", "x-cortex-custom-metadata", "tier"]],
    slack: [["info", "x-cortex-slack"]],
    "on-call": [["info", "x-cortex-oncall"]],
  },
  port: {
    owner: [["team"], ["relations", "team"], ["properties", "owner"]],
    lifecycle: [["properties", "lifecycle"]],
    system: [["relations", "system"]],
    dependencies: [["relations", "dependencies"], ["relations", "dependsOn"]],
    tier: [["properties", "tier"]],
    slack: [["properties", "slack"], ["properties", "slackChannel"], ["properties", "slack_channel"]],
    "on-call": [["properties", "on_call"], ["properties", "oncall"], ["relations", "pagerdutyService"], ["properties", "pagerduty_service"]],
  },
};

/** The first of `locations` that is filled in `d`, with its value. */
export function findField(d: Descriptor, locations: readonly FieldPath[]): { readonly path: FieldPath; readonly value: unknown } | undefined {
  for (const path of locations) {
    const value = at(d.value, ...path);
    if (isFilled(value)) return { path, value };
  }
  return undefined;
}

/** The on-call annotations of a Backstage descriptor (PagerDuty, Opsgenie, incident.io). */
export function onCallAnnotations(d: Descriptor): string[] {
  if (d.format !== "backstage") return [];
  const annotations = at(d.value, "metadata", "annotations");
  if (!isRecord(annotations)) return [];
  return Object.keys(annotations).filter((key) => ON_CALL_ANNOTATION_PREFIXES.some((p) => key.startsWith(p)) && isFilled(annotations[key]));
}
