/**
 * Generated documentation: the rule catalogue (docs/rules.md) and the JSON Schema file
 * (docs/readiness.schema.json) come from the rules' own definitions, and a test fails when the
 * committed files differ, so the docs cannot drift from the code. `npm run docs` rewrites them.
 */
import type { Registry } from "../engine/evaluate.js";
import type { AnyRule } from "../engine/rule.js";
import { PRESETS } from "./presets.js";
import { configJsonSchema, ruleOptionsJsonSchema } from "./schema.js";

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
    "| rule | area | what a passing pull request looks like |",
    "|---|---|---|",
    ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.area} | ${cell(r.description)} |`),
    "",
    ...rules.map(ruleSection),
    "## Presets",
    "",
    "`extends: readiness:<name>` starts from one of these; anything the extending file sets wins.",
    "",
    ...Object.entries(PRESETS).flatMap(([name, text]) => [`### \`readiness:${name}\``, "", "```yaml", text.trimEnd(), "```", ""]),
  ].join("\n");
}

export function schemaFileText(registry: Registry): string {
  return `${JSON.stringify(configJsonSchema(registry), null, 2)}\n`;
}
