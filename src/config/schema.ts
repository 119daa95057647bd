import { z } from "zod";
import type { Registry, When } from "../engine/evaluate.js";
import { REPOSITORY_PERMISSIONS } from "../engine/evaluate.js";
import { globs } from "../engine/globs.js";
import { DURATION_HELP, DURATION_PATTERN } from "./duration.js";
import type { AnyRule } from "../engine/rule.js";

export const DEFAULT_LEVELS = ["bronze", "silver", "gold"] as const;
/** The level of a rule enabled without one: its declared default when the ladder has that level, else the lowest. */
export function defaultLevelOf(rule: Pick<AnyRule, "defaultLevel">, levels: readonly string[]): string {
  return rule.defaultLevel !== undefined && levels.includes(rule.defaultLevel) ? rule.defaultLevel : levels[0]!;
}

export const CONFIG_PATHS = [".readiness.yml", ".github/readiness.yml"] as const;
/** Where the published schema lives, for `# yaml-language-server: $schema=` lines. */
export const SCHEMA_FILE = "docs/readiness.schema.json";

/** Each entry is read, validated and merged: a long list costs every evaluation of the repository. */
export const MAX_EXTENDS = 10;

const stringList = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => (typeof v === "string" ? [v] : v));

const levelName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, "a level name is lower case letters, digits, - or _, starting with a letter");

/** The mapping form of `when`: conditions that must all hold. */
export const whenMappingSchema = z
  .object({
    paths: globs.optional().describe("Applies when a changed file matches one of these globs."),
    labels: stringList.optional().describe("Applies when the pull request has one of these labels."),
    base: globs.optional().describe("Applies when the base branch matches one of these globs."),
    authors: stringList.optional().describe("Applies when the pull request's author is one of these logins."),
  })
  .strict();

/** `when`: a list of path globs, or an object whose conditions must all hold. */
export const whenSchema = z.union([globs.describe("Path globs: the rule applies when a changed file matches one."), whenMappingSchema]);

export function normaliseWhen(raw: z.output<typeof whenSchema>): When {
  return Array.isArray(raw) ? { paths: raw } : raw;
}

/** A calendar day, "2027-03-01": a dated target takes effect at 00:00 UTC that day. */
const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is written "YYYY-MM-DD" (quoted), e.g. "2027-03-01"')
  .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), "not a calendar date");

/** `level:` as a dated target: a higher level becomes required on a day, advisory until then. */
export const datedLevelSchema = z
  .object({
    required: z.string().describe("The level required from `from` on."),
    from: calendarDay.describe('The day it becomes required ("YYYY-MM-DD", UTC).'),
    "until-then": z.string().optional().describe("The level required before that day. Default: the lowest level."),
  })
  .strict();

/** Where a person is named: "codeowners" (the root owners), "none", or a list of @users and @org/teams. */
const ALERT_KEYS = "issue, labels, mention, assign, announce-rises, chat";

const recipients = z.union([z.enum(["codeowners", "none"]), z.array(z.string().regex(/^@?[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/, "a GitHub login (@user) or team (@org/team)")).min(1)]);

export const alertsSchema = z.union([
  z.literal("off").describe("No alerts: the bot never opens an issue or posts to chat for this repository."),
  z
    .object({
      issue: z.boolean().optional().describe("Open one issue when the default branch drops a level (edited on further changes, closed on recovery). Default true."),
      labels: z.array(z.string().min(1).max(50)).max(10).optional().describe('Labels on the alert issue. Default ["readiness"].'),
      mention: recipients.optional().describe('Who is @-mentioned in the issue: "codeowners" (default), "none", or a list of @users and @org/teams.'),
      assign: recipients.optional().describe('Who is assigned: "codeowners" assigns the users among the root owners, "none" (default), or a list of @users.'),
      "announce-rises": z.boolean().optional().describe("Also announce when the level rises (a comment on the open issue and a chat message). Default false."),
      chat: z
        .object({
          "webhook-env": z
            .string()
            .regex(/^[A-Z][A-Z0-9_]*$/, "an environment variable name in capitals, e.g. READINESS_CHAT_WEBHOOK_SRE")
            .describe("The name of the environment variable that holds the incoming-webhook URL (a secret: never written in this file)."),
        })
        .strict()
        .optional()
        .describe("Also post a short message to a chat channel (Slack-compatible incoming webhook). Default: READINESS_CHAT_WEBHOOK_URL when the operator set it."),
    })
    .strict(),
], { error: `expected "off" or a mapping with ${ALERT_KEYS}` });
const permission = z.enum(REPOSITORY_PERMISSIONS);

/** Who may decide: logins ("lead") and teams ("acme/sre"), without @. */
const people = stringList.transform((list) => list.map((who) => who.replace(/^@/, "")));

export const waiversSchema = z
  .object({
    allowed: people.optional().describe("Users and teams (org/team) who may waive rules, besides those with `permission`."),
    permission: permission.optional().describe("Anyone with at least this repository permission may waive rules. Default: admin."),
    "not-waivable": stringList.optional().describe("Rules no one may waive (e.g. secrets). An organisation baseline's list cannot be shortened by a repository."),
  })
  .strict();

/** An attestation item's name: what `/readiness attest <item>` names. */
export const ATTESTATION_ITEM = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const attestationItemSchema = z
  .object({
    description: z.string().min(1).describe("What a person confirms, in one sentence."),
    by: people.optional().describe("Users and teams (org/team) who may attest it, besides those with `permission`."),
    permission: permission.optional().describe("Anyone with at least this repository permission may attest it. Default: admin."),
    every: z.string().regex(DURATION_PATTERN, `expected a duration: ${DURATION_HELP}`).optional().describe("How long an attestation stays valid (e.g. 180d); after that the item fails until attested again. Default: for good."),
    level: z.string().optional().describe("The level the item belongs to. Default: the lowest level."),
  })
  .strict();

/** A component's name: what the check run, the scorecard and the CLI call it. */
export const COMPONENT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
/** Each component is one more checklist judged per pull request that touches it. */
export const MAX_COMPONENTS = 50;

const descriptorPath = z
  .string()
  .min(1)
  .regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[^*?{}[\]]+[^/]$/, "a file path relative to the repository root (no leading /, no .., no wildcards), e.g. services/payments/catalog-info.yaml");

/** One `components:` entry: the files of a part of a monorepo and how that part is judged. */
export const componentSchema = z
  .object({
    paths: globs.describe('The component\'s files: a pull request that changes one of them is judged by this component\'s checklist (e.g. ["services/payments/**"]).'),
    descriptor: descriptorPath.optional().describe("The component's service descriptor (e.g. services/payments/catalog-info.yaml): service-descriptor and on-call read it instead of the repository's. Its directory is the component's root."),
    level: z.string().optional().describe("The level this component must reach. Default: the repository's `level`."),
    rules: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Overrides of the repository's rules for this component, written like the top-level `rules:` (off, a level, or an object with level, when and options)."),
  })
  .strict();

export const COMPONENT_KEYS = Object.keys(componentSchema.shape);

export const topLevelSchema = z
  .object({
    $schema: z.string().optional().describe("Where editors find this schema."),
    extends: stringList
      .refine((list) => list.length <= MAX_EXTENDS, `too many extends entries: at most ${MAX_EXTENDS} (presets and the organisation baseline); merge the others into this file`)
      .optional()
      .describe('Configurations this one builds on, in order: a preset ("readiness:recommended") or the organisation baseline ("<org>/.github").'),
    levels: z
      .array(levelName)
      .min(1)
      .max(10)
      .superRefine((names, ctx) => {
        const repeated = names.findIndex((name, i) => names.indexOf(name) !== i);
        if (repeated >= 0) ctx.addIssue({ code: "custom", path: [repeated], message: `level "${names[repeated]!}" is listed twice: level names must be unique` });
      })
      .optional()
      .describe("The readiness ladder, lowest first. Default: bronze, silver, gold."),
    level: z
      .union([z.string(), datedLevelSchema])
      .optional()
      .describe('The level a pull request must reach to merge. Default: the highest level (every enabled rule blocks). Or a dated target: { required: silver, from: "2027-03-01", until-then: bronze }.'),
    environments: z
      .record(z.string().min(1), z.string())
      .optional()
      .describe('The deployment gate: environment name or glob → the level a deployed commit must reach ({ production: gold, "staging-*": bronze }). An environment not listed is approved with a note.'),
    alerts: alertsSchema
      .optional()
      .describe("When the default branch drops (or regains) a level. On by default for a repository whose configuration sets `level`; `off` silences."),
    comment: z
      .enum(["on-failure", "always", "never"])
      .optional()
      .describe("When the bot writes its pull-request comment. on-failure (default): once something blocks, then kept up to date."),
    rules: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Rule id → off, a level name, or an object with level, when and the rule's options."),
    waivers: waiversSchema.optional().describe("Who may waive a rule for one pull request with `/readiness waive <rule> <reason>`, and which rules cannot be waived."),
    attestations: z
      .record(z.string().regex(ATTESTATION_ITEM, "an item name is lower-case letters, digits and -"), attestationItemSchema)
      .optional()
      .describe("Checklist items only a person can confirm, with `/readiness attest <item> <evidence>`; each counts towards its level like a rule."),
    components: z
      .record(z.string(), componentSchema)
      .superRefine((map, ctx) => {
        const names = Object.keys(map);
        if (names.length > MAX_COMPONENTS) ctx.addIssue({ code: "custom", message: `too many components (${names.length}): at most ${MAX_COMPONENTS}` });
        for (const name of names.filter((n) => !COMPONENT_NAME.test(n))) {
          ctx.addIssue({ code: "custom", path: [name], message: `"${name}" cannot name a component: use lower-case letters, digits, - and _ (e.g. payments)` });
        }
        // Judged even when a component's settings are wrong, so every error is reported in one run.
      }, { when: (payload) => payload.value !== null && typeof payload.value === "object" && !Array.isArray(payload.value) })
      .optional()
      .describe("Monorepos: parts of the repository with their own paths, descriptor, level and rule overrides. A pull request is judged by each component it touches (and by the repository's checklist for files in no component)."),
  })
  .strict();

export type TopLevel = z.output<typeof topLevelSchema>;

/** Keys every rule object accepts besides the rule's own options. */
export const COMMON_RULE_KEYS = ["level", "when", "locked"] as const;

type JsonSchema = Record<string, unknown>;

/** zod leaves defaults out of the input schema where a transform sits (globs); fill them in from a parse of {}. */
function fillDefaults(schema: JsonSchema, defaults: unknown): void {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties || defaults === null || typeof defaults !== "object") return;
  for (const [name, property] of Object.entries(properties)) {
    const value = (defaults as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (!("default" in property)) property.default = value;
    fillDefaults(property, value);
  }
}

export function ruleOptionsJsonSchema(rule: AnyRule): JsonSchema {
  const schema = z.toJSONSchema(rule.options, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const defaults = rule.options.safeParse({});
  if (defaults.success) fillDefaults(schema, defaults.data);
  return schema;
}

function ruleEntryJsonSchema(rule: AnyRule, levels: readonly string[]): JsonSchema {
  const options = ruleOptionsJsonSchema(rule);
  const { $schema: _ignored, ...optionSchema } = options;
  const properties = (optionSchema.properties as JsonSchema | undefined) ?? {};
  const levelSchema = { type: "string", description: `The level this rule belongs to. Default: ${defaultLevelOf(rule, levels)}.`, examples: [...levels] };
  return {
    description: `${rule.description} (area: ${rule.area})`,
    anyOf: [
      { const: "off", description: "Disable the rule." },
      { ...levelSchema, not: { const: "off" } },
      {
        type: "object",
        additionalProperties: false,
        properties: {
          level: levelSchema,
          when: z.toJSONSchema(whenSchema, { io: "input" }),
          locked: { type: "boolean", description: "Only in the organisation baseline (<org>/.github): every repository is held to this rule; a repository may move it to an earlier level, tighten its options or widen its `when`, never loosen it or waive it." },
          ...properties,
        },
      },
    ],
  };
}

/** The JSON Schema of .readiness.yml, generated from the same zod schemas that validate it. */
export function configJsonSchema(registry: Registry): JsonSchema {
  const top = z.toJSONSchema(topLevelSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const topProperties = { ...(top.properties as JsonSchema) };
  const ruleProperties: JsonSchema = {};
  for (const rule of [...registry.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    ruleProperties[rule.id] = ruleEntryJsonSchema(rule, DEFAULT_LEVELS);
  }
  topProperties.rules = {
    type: "object",
    description: (topProperties.rules as JsonSchema | undefined)?.description,
    additionalProperties: false,
    properties: ruleProperties,
  };
  topProperties.components = componentsJsonSchema(topProperties.components as JsonSchema | undefined);
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: ".readiness.yml",
    description: "readiness-bot configuration: the production-readiness checklist a pull request must pass.",
    type: "object",
    additionalProperties: false,
    properties: topProperties,
  };
}

/** `components:` in the JSON Schema: each component's `rules` is the top-level `rules` (referenced, not repeated). */
function componentsJsonSchema(generated: JsonSchema | undefined): JsonSchema {
  const entry = z.toJSONSchema(componentSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const { $schema: _ignored, ...component } = entry;
  const properties = { ...(component.properties as JsonSchema) };
  properties.rules = { description: (properties.rules as JsonSchema | undefined)?.description, $ref: "#/properties/rules" };
  return {
    type: "object",
    description: generated?.description,
    maxProperties: MAX_COMPONENTS,
    propertyNames: { pattern: COMPONENT_NAME.source },
    additionalProperties: { ...component, properties },
  };
}
