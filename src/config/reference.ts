/**
 * Generated documentation: the rule catalogue (docs/rules.md) and the JSON Schema file
 * (docs/readiness.schema.json) come from the rules' own definitions, and a test fails when the
 * committed files differ, so the docs cannot drift from the code. `npm run docs` rewrites them.
 */
import type { Registry } from "../engine/evaluate.js";
import type { AnyRule } from "../engine/rule.js";
import type { ResolvedConfig } from "../engine/evaluate.js";
import { resolveConfigText } from "./load.js";
import { PRESETS } from "./presets.js";
import type { ConfigFileReader } from "./types.js";
import { configJsonSchema, DEFAULT_LEVELS, defaultLevelOf, ruleOptionsJsonSchema } from "./schema.js";

type JsonSchema = Record<string, unknown>;

function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) return [...new Set((schema.anyOf as JsonSchema[]).map(typeOf))].join(" or ");
  if (schema.type === "array") return `list of ${typeOf((schema.items as JsonSchema | undefined) ?? {})}`;
  if (schema.type === "integer") return "whole number";
  if (schema.type === "object") return "mapping";
  return typeof schema.type === "string" ? schema.type : "any";
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/\n/g, " ");

function optionRows(schema: JsonSchema, prefix = ""): string[] {
  const rows: string[] = [];
  const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  for (const [name, option] of Object.entries(properties)) {
    const defaultValue = "default" in option ? `\`${JSON.stringify(option.default)}\`` : "";
    rows.push(`| \`${prefix}${name}\` | ${cell(typeOf(option))} | ${cell(defaultValue)} | ${cell(String(option.description ?? ""))} |`);
    if (option.type === "object" && option.properties) rows.push(...optionRows(option, `${prefix}${name}.`));
  }
  return rows;
}

function ruleSection(rule: AnyRule): string {
  const schema = ruleOptionsJsonSchema(rule);
  const rows = optionRows(schema);
  const lines = [
    `## \`${rule.id}\``,
    "",
    `${rule.description}`,
    "",
    `- Area: ${rule.area}`,
    `- Default level: ${defaultLevelOf(rule, DEFAULT_LEVELS)} (when enabled without \`level\`)`,
    `- Applies when: ${rule.defaultWhen ? `a changed file matches ${rule.defaultWhen.map((g) => `\`${g}\``).join(", ")} (override with \`when\`)` : "always (narrow it with `when`)"}`,
  ];
  if (rule.fix) lines.push(`- To fix a failure: ${rule.fix}`);
  lines.push(`- Locked by an organisation baseline: ${lockedText(rule)}`);
  lines.push("");
  if (rows.length > 0) lines.push("| option | type | default | meaning |", "|---|---|---|---|", ...rows, "");
  else lines.push("This rule has no options besides `level` and `when`.", "");
  return lines.join("\n");
}

const TIGHTENING_WORDS: Readonly<Record<string, string>> = {
  "at-least": "may only be raised",
  "at-most": "may only be lowered",
  limit: "may only be lowered, not to 0 (no limit)",
  "true-stays": "may be switched on, not off",
  superset: "may gain entries, not lose any",
  subset: "may lose entries, not gain any",
  equal: "must stay as the baseline sets it",
};

/** What a repository may change of this rule's options when the organisation baseline locks it. */
function lockedText(rule: AnyRule): string {
  const entries = Object.entries(rule.tighten ?? {}).map(([option, kind]) => {
    const words = typeof kind === "function" ? "may only be made stricter (the rule's own comparison)" : typeof kind === "object" ? `may only move right along ${kind.order.map((v) => `\`${v}\``).join(" → ")}` : TIGHTENING_WORDS[kind]!;
    return `\`${option}\` ${words}`;
  });
  const rest = entries.length > 0 ? "; any other option must stay as the baseline sets it" : "every option must stay as the baseline sets it";
  return `${entries.join("; ")}${rest} (see [configuration.md](configuration.md#the-locked-organisation-baseline)).`;
}

export function ruleCatalogueMarkdown(registry: Registry): string {
  const rules = [...registry.values()].sort((a, b) => a.id.localeCompare(b.id));
  return [
    "<!-- Generated from rules/*.ts by `npm run docs`; a test fails when this file is out of date. -->",
    "# Rule catalogue",
    "",
    "Every rule accepts `off`, a level name, or a mapping with `level`, `when` (see",
    "[configuration.md](configuration.md)) and the options below.",
    "",
    "| rule | area | default level | what a passing pull request looks like |",
    "|---|---|---|---|",
    ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.area} | ${defaultLevelOf(r, DEFAULT_LEVELS)} | ${cell(r.description)} |`),
    "",
    ...rules.map(ruleSection),
    "## Presets",
    "",
    "`extends: readiness:<name>` starts from one of these; anything the extending file sets wins.",
    "",
    ...Object.entries(PRESETS).flatMap(([name, text]) => [`### \`readiness:${name}\``, "", "```yaml", text.trimEnd(), "```", ""]),
  ].join("\n");
}

/** Where the generated preset comparison sits in docs/configuration.md (the text between is rewritten). */
export const PRESET_TABLE_START = "<!-- presets: generated by `npm run docs` from src/config/presets.ts -->";
export const PRESET_TABLE_END = "<!-- end of generated presets -->";

/**
 * The presets side by side: the level each gives each rule ("—": not enabled) and the level it
 * requires, resolved by the loader itself so the table is what a repository extending them gets.
 */
export async function presetComparisonMarkdown(registry: Registry): Promise<string> {
  const noOrg: ConfigFileReader = { read: async () => null };
  const names = Object.keys(PRESETS);
  const resolved = new Map<string, ResolvedConfig>();
  for (const name of names) {
    const result = await resolveConfigText(`extends: readiness:${name}\n`, { repository: "readiness-bot", path: `readiness:${name}` }, noOrg, registry);
    if (result.kind !== "ok") throw new Error(`the preset readiness:${name} does not resolve: ${JSON.stringify(result)}`);
    resolved.set(name, result.config);
  }
  const levelOf = (name: string, id: string) => resolved.get(name)!.rules.find((rule) => rule.id === id)?.level ?? "—";
  const rank = (id: string) => DEFAULT_LEVELS.indexOf(defaultLevelOf(registry.get(id)!, DEFAULT_LEVELS) as (typeof DEFAULT_LEVELS)[number]);
  const used = [...registry.keys()].filter((id) => names.some((name) => levelOf(name, id) !== "—")).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const unused = [...registry.keys()].filter((id) => !used.includes(id)).sort();
  const header = `| rule | area | ${names.map((name) => `\`${name}\``).join(" | ")} |`;
  return [
    header,
    `|---|---|${names.map(() => "---|").join("")}`,
    `| **required level** | | ${names.map((name) => `**${resolved.get(name)!.required}**`).join(" | ")} |`,
    ...used.map((id) => `| [\`${id}\`](rules.md#${id}) | ${registry.get(id)!.area} | ${names.map((name) => levelOf(name, id)).join(" | ")} |`),
    "",
    `Not in any preset (enable them in your file): ${unused.map((id) => `\`${id}\``).join(", ")}.`,
  ].join("\n");
}

/** docs/configuration.md with its generated preset comparison brought up to date. */
export async function withPresetComparison(markdown: string, registry: Registry): Promise<string> {
  const start = markdown.indexOf(PRESET_TABLE_START);
  const end = markdown.indexOf(PRESET_TABLE_END);
  if (start < 0 || end < start) throw new Error(`docs/configuration.md lacks the markers ${PRESET_TABLE_START} … ${PRESET_TABLE_END}`);
  return `${markdown.slice(0, start + PRESET_TABLE_START.length)}\n${await presetComparisonMarkdown(registry)}\n${markdown.slice(end)}`;
}

export function schemaFileText(registry: Registry): string {
  return `${JSON.stringify(configJsonSchema(registry), null, 2)}\n`;
}
