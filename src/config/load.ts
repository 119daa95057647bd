import type { z } from "zod";
import type { EnabledRule, Registry, ResolvedConfig, When } from "../engine/evaluate.js";
import type { AnyRule } from "../engine/rule.js";
import { makeError, parseYaml } from "./parse.js";
import type { ParsedYaml } from "./parse.js";
import { PRESETS } from "./presets.js";
import { CONFIG_PATHS, COMMON_RULE_KEYS, DEFAULT_LEVELS, normaliseWhen, ruleOptionsJsonSchema, topLevelSchema, whenSchema } from "./schema.js";
import { didYouMean } from "./suggest.js";
import { ConfigFileRefused } from "./types.js";
import type { ConfigError, ConfigFileReader, ConfigLoadResult, ConfigOrigin } from "./types.js";

type Path = readonly (string | number)[];

/** Where a setting was written, so errors found after merging still point at the right line. */
interface Located<T> {
  readonly value: T;
  readonly origin: ConfigOrigin;
  readonly at: { line: number; column: number; endLine: number };
  readonly path: Path;
}

interface RuleLayer {
  /** Where the rule's entry was last written: whole-rule errors found after merging point here. */
  readonly entry: Located<string>;
  readonly off: boolean;
  readonly level?: Located<string>;
  readonly when?: When;
  /** Raw options as written (validated on their own already). */
  readonly options: Record<string, unknown>;
}

/** One file, validated on its own, before extends are merged. */
interface Layer {
  readonly origin: ConfigOrigin;
  readonly extends: readonly Located<string>[];
  readonly levels?: readonly string[];
  readonly level?: Located<string>;
  readonly comment?: ResolvedConfig["comment"];
  readonly rules: ReadonlyMap<string, RuleLayer>;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

function valueAt(data: unknown, path: Path): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Known option names at a path inside a JSON schema, for "did you mean". */
function knownKeysAt(schema: Record<string, unknown>, path: Path): string[] {
  let node: Record<string, unknown> | undefined = schema;
  for (const key of path) {
    const properties = node?.properties as Record<string, Record<string, unknown>> | undefined;
    node = typeof key === "string" ? properties?.[key] : (node?.items as Record<string, unknown> | undefined);
    if (node && !node.properties && Array.isArray(node.anyOf)) {
      node = (node.anyOf as Record<string, unknown>[]).find((s) => s.properties) ?? node;
    }
  }
  return Object.keys((node?.properties as Record<string, unknown> | undefined) ?? {});
}

/** Turns zod issues into messages that say what is wrong and what is expected. */
function issueMessages(issues: readonly z.core.$ZodIssue[], data: unknown, knownKeys: (path: Path) => string[]): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const got = describeValue(valueAt(data, path));
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          out.push({ path: [...path, key], message: `unknown option "${key}".${didYouMean(key, knownKeys(path))}` });
        }
        break;
      case "invalid_type":
        out.push({ path, message: `expected ${issue.expected === "int" ? "a whole number" : issue.expected}, got ${got}` });
        break;
      case "invalid_value":
        out.push({ path, message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${got}` });
        break;
      case "too_small":
        out.push({ path, message: `${issue.origin === "array" ? "list too short" : "too small"}: expected at least ${String(issue.minimum)}, got ${got}` });
        break;
      case "too_big":
        out.push({ path, message: `${issue.origin === "array" ? "list too long" : "too large"}: expected at most ${String(issue.maximum)}, got ${got}` });
        break;
      case "invalid_union": {
        const message = issue.message && !/^Invalid input$/.test(issue.message) ? issue.message : `this value does not fit: got ${got}`;
        out.push({ path, message });
        break;
      }
      default:
        out.push({ path, message: path.length === 0 ? issue.message : `${issue.message} (got ${got})` });
    }
  }
  return out;
}

function validateRuleOptions(rule: AnyRule, raw: Record<string, unknown>): z.ZodSafeParseResult<unknown> {
  return rule.options.safeParse(raw);
}

/** Validates one file on its own. Returns its layer, or the errors that make it unusable. */
function readLayer(content: string, origin: ConfigOrigin, registry: Registry): { layer?: Layer; errors: ConfigError[] } {
  const parsed: ParsedYaml = parseYaml(content, origin);
  if (parsed.errors.length > 0) return { errors: parsed.errors };
  const data = parsed.data ?? {};
  const errors: ConfigError[] = [];
  const report = (path: Path, message: string) => errors.push(makeError(origin, parsed.locate(path), path, message));

  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    report([], `expected a mapping of settings (extends, level, rules …), got ${describeValue(data)}`);
    return { errors };
  }
  const top = topLevelSchema.safeParse(data);
  if (!top.success) {
    const topKeys = Object.keys(topLevelSchema.shape);
    for (const { path, message } of issueMessages(top.error.issues, data, (p) => (p.length === 0 ? topKeys : []))) report(path, message);
    return { errors };
  }

  const rules = new Map<string, RuleLayer>();
  for (const [id, value] of Object.entries(top.data.rules ?? {})) {
    const path = ["rules", id];
    const rule = registry.get(id);
    if (!rule) {
      report(path, `unknown rule "${id}".${didYouMean(id, registry.keys())}`);
      continue;
    }
    const entry: Located<string> = { value: id, origin, at: parsed.locate(path), path };
    if (typeof value === "string") {
      rules.set(id, value === "off" ? { entry, off: true, options: {} } : { entry, off: false, level: { value, origin, at: parsed.locate(path), path }, options: {} });
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      report(path, `expected "off", a level name, or a mapping with level, when and options; got ${describeValue(value)}`);
      continue;
    }
    const { level, when, ...options } = value as Record<string, unknown>;
    let layer: RuleLayer = { entry, off: false, options };
    if (level !== undefined) {
      if (typeof level !== "string") report([...path, "level"], `expected a level name, got ${describeValue(level)}`);
      else if (level === "off") layer = { entry, off: true, options };
      else layer = { ...layer, level: { value: level, origin, at: parsed.locate([...path, "level"]), path: [...path, "level"] } };
    }
    if (when !== undefined) {
      const parsedWhen = whenSchema.safeParse(when);
      if (!parsedWhen.success) {
        report([...path, "when"], `expected a list of path globs, or a mapping with paths, labels, base and authors; got ${describeValue(when)}`);
      } else {
        layer = { ...layer, when: normaliseWhen(parsedWhen.data) };
      }
    }
    const checked = validateRuleOptions(rule, options);
    if (!checked.success) {
      // A rule-wide condition ("nothing to check") may be met by options an extended file sets:
      // it is judged on the merged options instead. Problems with the keys written here are not.
      const own = checked.error.issues.filter((issue) => issue.path.length > 0 || issue.code === "unrecognized_keys");
      const schema = ruleOptionsJsonSchema(rule);
      const keys = (p: Path) => (p.length === 0 ? [...COMMON_RULE_KEYS, ...knownKeysAt(schema, p)] : knownKeysAt(schema, p));
      for (const issue of issueMessages(own, options, keys)) report([...path, ...issue.path], issue.message);
    }
    rules.set(id, layer);
  }

  const extendsList = (top.data.extends ?? []).map((value, index) => {
    const path = Array.isArray((data as Record<string, unknown>).extends) ? ["extends", index] : ["extends"];
    return { value, origin, at: parsed.locate(path), path };
  });
  const level = top.data.level === undefined ? undefined : { value: top.data.level, origin, at: parsed.locate(["level"]), path: ["level"] };
  if (errors.length > 0) return { errors };
  return { layer: { origin, extends: extendsList, levels: top.data.levels, level, comment: top.data.comment, rules }, errors };
}

const locatedError = (l: Located<unknown>, message: string): ConfigError => makeError(l.origin, l.at, l.path, message);

/** Expands `extends` depth first: bases first, the file itself last. */
async function expand(
  layer: Layer,
  reader: ConfigFileReader,
  registry: Registry,
  seen: ReadonlySet<string>,
): Promise<{ layers: Layer[]; errors: ConfigError[] }> {
  const layers: Layer[] = [];
  const errors: ConfigError[] = [];
  const owner = layer.origin.repository.includes("/") ? layer.origin.repository.split("/")[0] : undefined;
  for (const entry of layer.extends) {
    const name = entry.value;
    if (seen.has(name)) {
      errors.push(locatedError(entry, `"${name}" is extended twice or extends itself; remove the cycle`));
      continue;
    }
    let base: { content: string; origin: ConfigOrigin } | null = null;
    if (name.startsWith("readiness:")) {
      const preset = PRESETS[name.slice("readiness:".length)];
      if (preset === undefined) {
        errors.push(locatedError(entry, `unknown preset "${name}".${didYouMean(name, Object.keys(PRESETS).map((p) => `readiness:${p}`))}`));
        continue;
      }
      base = { content: preset, origin: { repository: "readiness-bot", path: name } };
    } else if (/^[A-Za-z0-9_.-]+\/\.github$/.test(name)) {
      const org = name.split("/")[0]!;
      if (owner !== undefined && org.toLowerCase() !== owner.toLowerCase()) {
        errors.push(locatedError(entry, `only this organisation's baseline can be extended: use "${owner}/.github", not "${name}"`));
        continue;
      }
      let refused: ConfigFileRefused | undefined;
      for (const path of CONFIG_PATHS) {
        try {
          base = await reader.read("org", path);
        } catch (error) {
          if (!(error instanceof ConfigFileRefused)) throw error;
          refused = error;
          break;
        }
        if (base) break;
      }
      if (refused) {
        errors.push(locatedError(entry, `the organisation baseline "${name}" cannot be used: ${refused.message}`));
        continue;
      }
      if (!base) {
        errors.push(locatedError(entry, `the organisation baseline "${name}" has no ${CONFIG_PATHS.join(" or ")} (or it could not be read)`));
        continue;
      }
    } else {
      errors.push(locatedError(entry, `cannot extend "${name}": use a preset (readiness:${Object.keys(PRESETS).join(", readiness:")}) or the organisation baseline ("<org>/.github")`));
      continue;
    }
    const read = readLayer(base.content, base.origin, registry);
    if (!read.layer) {
      errors.push(...read.errors);
      continue;
    }
    const nested = await expand(read.layer, reader, registry, new Set([...seen, name]));
    layers.push(...nested.layers);
    errors.push(...nested.errors);
  }
  layers.push(layer);
  return { layers, errors };
}

/** Later layers override earlier ones; a rule given as a bare level keeps the options it had. */
function merge(layers: readonly Layer[], registry: Registry): { config?: ResolvedConfig; errors: ConfigError[] } {
  let levels: readonly string[] = DEFAULT_LEVELS;
  let required: Located<string> | undefined;
  let comment: ResolvedConfig["comment"] = "on-failure";
  const rules = new Map<string, RuleLayer>();
  for (const layer of layers) {
    if (layer.levels) levels = layer.levels;
    if (layer.level) required = layer.level;
    if (layer.comment) comment = layer.comment;
    for (const [id, next] of layer.rules) {
      const previous = rules.get(id);
      if (!previous) {
        rules.set(id, next);
        continue;
      }
      const levelSet = next.level !== undefined || next.off;
      rules.set(id, {
        entry: next.entry,
        off: levelSet ? next.off : previous.off,
        level: next.level ?? (next.off ? undefined : previous.level),
        when: next.when ?? previous.when,
        options: { ...previous.options, ...next.options },
      });
    }
  }

  const errors: ConfigError[] = [];
  const unknownLevel = (l: Located<string>) =>
    locatedError(l, `unknown level "${l.value}".${didYouMean(l.value, levels)} Levels are ${levels.join(", ")} (set them with \`levels:\`).`);
  if (required && !levels.includes(required.value)) errors.push(unknownLevel(required));

  const enabled: EnabledRule[] = [];
  for (const [id, setting] of rules) {
    if (setting.off) continue;
    if (setting.level && !levels.includes(setting.level.value)) {
      errors.push(unknownLevel(setting.level));
      continue;
    }
    const rule = registry.get(id)!;
    const options = rule.options.safeParse(setting.options);
    if (!options.success) {
      // Only rule-wide conditions are left to fail here: report them at the rule's last entry.
      const schema = ruleOptionsJsonSchema(rule);
      for (const issue of issueMessages(options.error.issues, setting.options, (p) => knownKeysAt(schema, p))) {
        errors.push(makeError(setting.entry.origin, setting.entry.at, [...setting.entry.path, ...issue.path], issue.message));
      }
      continue;
    }
    enabled.push({ id, level: setting.level?.value ?? levels[0]!, when: setting.when, options: options.data });
  }
  if (errors.length > 0) return { errors };
  return { config: { levels, required: required?.value ?? levels[levels.length - 1]!, comment, rules: enabled }, errors };
}

/** Validates and resolves one configuration text (with its extends) into what the engine runs. */
export async function resolveConfigText(content: string, origin: ConfigOrigin, reader: ConfigFileReader, registry: Registry): Promise<ConfigLoadResult> {
  const own = readLayer(content, origin, registry);
  if (!own.layer) return { kind: "invalid", origin, errors: own.errors };
  const expanded = await expand(own.layer, reader, registry, new Set());
  if (expanded.errors.length > 0) return { kind: "invalid", origin, errors: expanded.errors };
  const merged = merge(expanded.layers, registry);
  if (!merged.config) return { kind: "invalid", origin, errors: merged.errors };
  return { kind: "ok", config: merged.config, origins: expanded.layers.map((l) => l.origin) };
}

/**
 * Finds and resolves the configuration: the repository's file (read by the reader at the pull
 * request's base), else the organisation baseline. `none` when neither exists.
 */
export async function loadConfig(reader: ConfigFileReader, registry: Registry): Promise<ConfigLoadResult> {
  const looked: string[] = [];
  for (const place of ["repo", "org"] as const) {
    for (const path of CONFIG_PATHS) {
      looked.push(place === "repo" ? path : `<org>/.github:${path}`);
      let file: Awaited<ReturnType<ConfigFileReader["read"]>>;
      try {
        file = await reader.read(place, path);
      } catch (error) {
        if (!(error instanceof ConfigFileRefused)) throw error;
        return { kind: "invalid", origin: error.origin, errors: [makeError(error.origin, { line: 1, column: 1, endLine: 1 }, [], error.message)] };
      }
      if (file) return resolveConfigText(file.content, file.origin, reader, registry);
    }
  }
  return { kind: "none", looked };
}

/** Validates a file on its own (no extends fetched): every error, with positions. */
export function validateConfigText(content: string, origin: ConfigOrigin, registry: Registry): readonly ConfigError[] {
  const read = readLayer(content, origin, registry);
  if (!read.layer) return read.errors;
  const merged = merge([read.layer], registry);
  // Levels may legitimately come from an extended file; only judge them when this file sets the ladder or extends nothing.
  if (read.layer.extends.length > 0 && !read.layer.levels) return [];
  return merged.errors;
}
