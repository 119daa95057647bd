import type { z } from "zod";
import type { AttestationItem, Component, EnabledRule, Registry, ResolvedConfig, WaiverPolicy, When } from "../engine/evaluate.js";
import { componentRoot, overlapOf, rerootRules } from "./components.js";
import { DEFAULT_WAIVER_POLICY } from "../engine/evaluate.js";
import { globs } from "../engine/globs.js";
import { parseDuration } from "./duration.js";
import type { AnyRule } from "../engine/rule.js";
import { loosening, whenNarrowing } from "./locked.js";
import { makeError, parseYaml } from "./parse.js";
import type { ParsedYaml } from "./parse.js";
import { PRESETS } from "./presets.js";
import { CONFIG_PATHS, COMMON_RULE_KEYS, COMPONENT_KEYS, DEFAULT_LEVELS, normaliseWhen, ruleOptionsJsonSchema, topLevelSchema, whenMappingSchema, whenSchema } from "./schema.js";
import type { alertsSchema } from "./schema.js";
import type { TopLevel } from "./schema.js";
import { defaultLevelOf } from "./schema.js";
import type { AlertSettings, EnvironmentLevel, RepositorySettings } from "./types.js";
import { didYouMean } from "./suggest.js";
import type { ConfigError, ConfigFile, ConfigFileReader, ConfigLoadResult, ConfigOrigin, RefusedConfigFile } from "./types.js";

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
  /** Its options had errors (already reported): they are not judged again after merging. */
  readonly optionsBroken?: boolean;
  /** Where `when` was written. */
  readonly whenAt?: Located<string>;
  /** `locked: true`, where it was written (honoured only in the organisation baseline). */
  readonly locked?: Located<boolean>;
  /** Where each option written here was written, for errors about a locked rule's options. */
  readonly optionsAt?: ReadonlyMap<string, Located<string>>;
}

/** One file, validated on its own, before extends are merged. */
interface Layer {
  readonly origin: ConfigOrigin;
  readonly extends: readonly Located<string>[];
  readonly levels?: readonly string[];
  /** `levels:` was written but is invalid (reported): level names cannot be judged against it. */
  readonly levelsBroken: boolean;
  readonly level?: Located<string>;
  /** `level:` as a dated target (replaces a plain level of an earlier layer, and is replaced by one). */
  readonly dated?: DatedLevel;
  readonly comment?: ResolvedConfig["comment"];
  readonly rules: ReadonlyMap<string, RuleLayer>;
  readonly waivers?: TopLevel["waivers"];
  readonly attestations?: ReadonlyMap<string, { readonly item: NonNullable<TopLevel["attestations"]>[string]; readonly level?: Located<string> }>;
  readonly environments?: readonly LocatedEnvironment[];
  readonly alerts?: Located<z.output<typeof alertsSchema>>;
  readonly components?: ReadonlyMap<string, LayerComponent>;
}

/** One `components:` entry of a file, validated on its own. */
interface LayerComponent {
  readonly entry: Located<string>;
  readonly paths: Located<readonly string[]>;
  readonly descriptor?: string;
  readonly level?: Located<string>;
  readonly rules: ReadonlyMap<string, RuleLayer>;
}

interface DatedLevel {
  readonly required: Located<string>;
  readonly from: string;
  readonly untilThen?: Located<string>;
}

interface LocatedEnvironment {
  readonly pattern: string;
  readonly level: Located<string>;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "number") return `the number ${String(value)}`;
  if (typeof value === "boolean") return `${String(value)} (a yes/no value)`;
  return String(value);
}

/** A zod type name in the words of YAML. */
function yamlType(expected: string): string {
  const words: Record<string, string> = {
    object: "a mapping (key: value lines)",
    record: "a mapping (key: value lines)",
    array: "a list (- item lines, or [a, b])",
    string: "text",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
  };
  return words[expected] ?? expected;
}

function joinOr(words: readonly string[], conjunction: "or" | "and"): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} ${conjunction} ${words[words.length - 1]!}`;
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
function issueMessages(issues: readonly z.core.$ZodIssue[], data: unknown, knownKeys: (path: Path) => string[], unknownKeyNoun = "option"): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const got = describeValue(valueAt(data, path));
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          out.push({ path: [...path, key], message: `unknown ${unknownKeyNoun} "${key}".${didYouMean(key, knownKeys(path))}` });
        }
        break;
      case "invalid_type":
        out.push({ path, message: `expected ${yamlType(issue.expected)}, got ${got}` });
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
        const globIssues = globIssuesOf([issue]);
        if (globIssues.length > 0) {
          out.push(...globIssues);
          break;
        }
        // Each alternative's first complaint about the value itself says what would have fitted.
        const expected = issue.errors.map((branch) => {
          const first = branch.find((i) => i.path.length === 0 && i.code === "invalid_type");
          return first?.code === "invalid_type" ? first.expected : undefined;
        });
        // An alternative whose complaints are all about what is inside the value had the right shape: its complaints are the useful ones.
        const fitting = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
        if (fitting) {
          const inner = issueMessages(fitting, valueAt(data, path), (p) => knownKeys([...path, ...p]), unknownKeyNoun);
          for (const message of inner) out.push({ path: [...path, ...message.path], message: message.message });
          break;
        }
        const message = expected.length > 0 && expected.every((e) => e !== undefined)
          ? `expected ${joinOr([...new Set(expected.map((e) => yamlType(e!)))], "or")}, got ${got}`
          : issue.message && !/^Invalid input$/.test(issue.message) ? issue.message : `this value does not fit: got ${got}`;
        out.push({ path, message });
        break;
      }
      default:
        out.push({ path, message: path.length === 0 || issue.code === "custom" ? issue.message : `${issue.message} (got ${got})` });
    }
  }
  return out;
}

/** Custom issues (a glob that cannot be used), also from inside a union's branches, with their paths. */
function globIssuesOf(issues: readonly z.core.$ZodIssue[], prefix: Path = []): { path: Path; message: string }[] {
  const out: { path: Path; message: string }[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== "symbol")];
    if (issue.code === "custom") out.push({ path, message: issue.message });
    else if (issue.code === "invalid_union") for (const branch of issue.errors) out.push(...globIssuesOf(branch, path));
  }
  return out;
}

function validateRuleOptions(rule: AnyRule, raw: Record<string, unknown>): z.ZodSafeParseResult<unknown> {
  return rule.options.safeParse(raw);
}

/** Validates one file on its own. Returns its layer, or the errors that make it unusable. */
function readLayer(content: string, origin: ConfigOrigin, registry: Registry): { layer?: Layer; errors: ConfigError[] } {
  const parsed: ParsedYaml = parseYaml(content, origin);
  const errors: ConfigError[] = [...parsed.errors];
  if (parsed.data === undefined && parsed.errors.length > 0) return { errors };
  const data = parsed.data ?? {};
  // Errors inside a part of the file the YAML parser had to recover are already reported as YAML errors.
  const report = (path: Path, message: string) => {
    if (!parsed.damaged(path)) errors.push(makeError(origin, parsed.locate(path), path, message));
  };

  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    report([], `expected a mapping of settings (extends, level, rules …), got ${describeValue(data)}`);
    return { errors };
  }
  // Each top-level key is judged on its own, so one bad key does not hide the errors of the others.
  const record = data as Record<string, unknown>;
  const topKeys = Object.keys(topLevelSchema.shape);
  const top: Partial<TopLevel> = {};
  const topCheck = topLevelSchema.safeParse(data);
  const brokenKeys = new Set<string>();
  if (!topCheck.success) {
    for (const { path, message } of issueMessages(topCheck.error.issues, data, (p) => (p.length === 0 ? topKeys : p.length === 2 && p[0] === "components" ? COMPONENT_KEYS : []), "key")) {
      if (path.length > 0) brokenKeys.add(String(path[0]));
      report(path, message);
    }
  }
  for (const key of topKeys) {
    if (record[key] !== undefined && parsed.damaged([key])) brokenKeys.add(key);
    if (brokenKeys.has(key) || record[key] === undefined) continue;
    const value = topLevelSchema.shape[key as keyof typeof topLevelSchema.shape].safeParse(record[key]);
    if (value.success) (top as Record<string, unknown>)[key] = value.data;
  }

  const rules = new Map<string, RuleLayer>();
  const componentRules = new Map<string, Map<string, RuleLayer>>();
  for (const [id, value, path, into] of ruleEntries(top, rules, componentRules)) {
    const rule = registry.get(id);
    if (!rule) {
      report(path, `unknown rule "${id}".${didYouMean(id, registry.keys())}`);
      continue;
    }
    const entry: Located<string> = { value: id, origin, at: parsed.locate(path), path };
    if (typeof value === "string") {
      into.set(id, value === "off" ? { entry, off: true, options: {} } : { entry, off: false, level: { value, origin, at: parsed.locate(path), path }, options: {} });
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      report(path, `expected "off", a level name, or a mapping with level, when and options; got ${describeValue(value)}`);
      continue;
    }
    const { level, when, locked, ...options } = value as Record<string, unknown>;
    const optionsAt = new Map(Object.keys(options).map((key) => [key, { value: key, origin, at: parsed.locate([...path, key]), path: [...path, key] }] as const));
    let layer: RuleLayer = { entry, off: false, options, optionsAt };
    if (locked !== undefined) {
      const lockProblem = lockedKeyProblem(locked, origin);
      if (lockProblem) report([...path, "locked"], lockProblem);
      else if (locked === true) layer = { ...layer, locked: { value: true, origin, at: parsed.locate([...path, "locked"]), path: [...path, "locked"] } };
    }
    if (level !== undefined) {
      if (typeof level !== "string") report([...path, "level"], `expected a level name, got ${describeValue(level)}`);
      else if (level === "off") layer = { ...layer, off: true };
      else layer = { ...layer, level: { value: level, origin, at: parsed.locate([...path, "level"]), path: [...path, "level"] } };
    }
    if (when !== undefined) {
      const parsedWhen = whenSchema.safeParse(when);
      if (!parsedWhen.success) {
        const globIssues = globIssuesOf(parsedWhen.error.issues);
        if (globIssues.length > 0) {
          for (const issue of globIssues) report([...path, "when", ...issue.path], issue.message);
        } else {
          const asMapping = when !== null && typeof when === "object" && !Array.isArray(when) ? whenMappingSchema.safeParse(when) : undefined;
          if (asMapping && !asMapping.success) {
            const whenKeys = Object.keys(whenMappingSchema.shape);
            for (const issue of issueMessages(asMapping.error.issues, when, (p) => (p.length === 0 ? whenKeys : []), "condition")) report([...path, "when", ...issue.path], issue.message);
          } else {
            report([...path, "when"], `expected a list of path globs, or a mapping with ${joinOr(Object.keys(whenMappingSchema.shape), "and")}; got ${describeValue(when)}`);
          }
        }
      } else {
        layer = { ...layer, when: normaliseWhen(parsedWhen.data), whenAt: { value: "when", origin, at: parsed.locate([...path, "when"]), path: [...path, "when"] } };
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
      if (own.length > 0) layer = { ...layer, optionsBroken: true };
    }
    into.set(id, layer);
  }

  const extendsList = (top.extends ?? []).map((value, index) => {
    const path = Array.isArray((data as Record<string, unknown>).extends) ? ["extends", index] : ["extends"];
    return { value, origin, at: parsed.locate(path), path };
  });
  const locatedAt = <T>(value: T, path: Path): Located<T> => ({ value, origin, at: parsed.locate(path), path });
  let level: Located<string> | undefined;
  let dated: DatedLevel | undefined;
  if (typeof top.level === "string") level = locatedAt(top.level, ["level"]);
  else if (top.level !== undefined) {
    const untilThen = top.level["until-then"];
    dated = {
      required: locatedAt(top.level.required, ["level", "required"]),
      from: top.level.from,
      ...(untilThen === undefined ? {} : { untilThen: locatedAt(untilThen, ["level", "until-then"]) }),
    };
  }
  const environments = top.environments === undefined ? undefined : Object.entries(top.environments).map(([pattern, name]) => ({ pattern, level: locatedAt(name, ["environments", pattern]) }));
  const alerts = top.alerts === undefined ? undefined : locatedAt(top.alerts, ["alerts"]);
  for (const rule of top.waivers?.["not-waivable"] ?? []) {
    const index = top.waivers!["not-waivable"]!.indexOf(rule);
    if (!registry.has(rule)) report(["waivers", "not-waivable", index], `unknown rule "${rule}".${didYouMean(rule, registry.keys())}`);
  }
  const attestations = new Map(
    Object.entries(top.attestations ?? {}).map(([id, item]) => {
      const path = ["attestations", id, "level"];
      return [id, { item, ...(item.level !== undefined ? { level: { value: item.level, origin, at: parsed.locate(path), path } } : {}) }] as const;
    }),
  );
  return {
    layer: {
      origin,
      extends: extendsList,
      levels: top.levels,
      levelsBroken: brokenKeys.has("levels"),
      level,
      dated,
      comment: top.comment,
      rules,
      environments,
      alerts,
      ...(top.waivers ? { waivers: top.waivers } : {}),
      ...(attestations.size > 0 ? { attestations } : {}),
      ...(top.components ? { components: readComponents(top.components, componentRules, locatedAt) } : {}),
    },
    errors,
  };
}

/** Every rule entry a file writes, with where it goes: the top-level `rules:`, then each component's. */
function* ruleEntries(top: Partial<TopLevel>, rules: Map<string, RuleLayer>, components: Map<string, Map<string, RuleLayer>>): Generator<[string, unknown, Path, Map<string, RuleLayer>]> {
  for (const [id, value] of Object.entries(top.rules ?? {})) yield [id, value, ["rules", id], rules];
  for (const [name, component] of Object.entries(top.components ?? {})) {
    const into = new Map<string, RuleLayer>();
    components.set(name, into);
    for (const [id, value] of Object.entries(component.rules ?? {})) yield [id, value, ["components", name, "rules", id], into];
  }
}

function readComponents(written: NonNullable<TopLevel["components"]>, rules: ReadonlyMap<string, ReadonlyMap<string, RuleLayer>>, locatedAt: <T>(value: T, path: Path) => Located<T>): ReadonlyMap<string, LayerComponent> {
  return new Map(
    Object.entries(written).map(([name, component]) => [
      name,
      {
        entry: locatedAt(name, ["components", name]),
        paths: locatedAt(component.paths, ["components", name, "paths"]),
        ...(component.descriptor !== undefined ? { descriptor: component.descriptor } : {}),
        ...(component.level !== undefined ? { level: locatedAt(component.level, ["components", name, "level"]) } : {}),
        rules: rules.get(name) ?? new Map<string, RuleLayer>(),
      },
    ]),
  );
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
    let base: ConfigFile | RefusedConfigFile | null = null;
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
      for (const path of CONFIG_PATHS) {
        base = await reader.read("org", path);
        if (base) break;
      }
      if (!base) {
        errors.push(locatedError(entry, `the organisation baseline "${name}" has no ${CONFIG_PATHS.join(" or ")} (or it could not be read)`));
        continue;
      }
    } else {
      errors.push(locatedError(entry, `cannot extend "${name}": use a preset (readiness:${Object.keys(PRESETS).join(", readiness:")}) or the organisation baseline ("<org>/.github")`));
      continue;
    }
    if ("refused" in base) {
      errors.push(locatedError(entry, `the organisation baseline "${name}" cannot be used: ${base.origin.path} ${base.refused}`));
      continue;
    }
    const read = readLayer(base.content, base.origin, registry);
    errors.push(...read.errors);
    if (!read.layer) continue;
    const nested = await expand(read.layer, reader, registry, new Set([...seen, name]));
    layers.push(...nested.layers);
    errors.push(...nested.errors);
  }
  layers.push(layer);
  return { layers, errors };
}

/** One rule's entry of a later layer over an earlier one's: what it sets wins, the rest is kept. */
function overlayRule(previous: RuleLayer, next: RuleLayer): RuleLayer {
  const levelSet = next.level !== undefined || next.off;
  return {
    entry: next.entry,
    off: levelSet ? next.off : previous.off,
    level: next.level ?? (next.off ? undefined : previous.level),
    when: next.when ?? previous.when,
    whenAt: next.when ? next.whenAt : previous.whenAt,
    options: { ...previous.options, ...next.options },
    optionsBroken: previous.optionsBroken === true || next.optionsBroken === true,
    optionsAt: new Map([...(previous.optionsAt ?? []), ...(next.optionsAt ?? [])]),
  };
}

/** Later layers override earlier ones; a rule given as a bare level keeps the options it had. */
function merge(layers: readonly Layer[], registry: Registry): { config?: ResolvedConfig; settings?: RepositorySettings; errors: ConfigError[] } {
  let levels: readonly string[] = DEFAULT_LEVELS;
  let required: Located<string> | undefined;
  let dated: DatedLevel | undefined;
  let levelSet = false;
  let comment: ResolvedConfig["comment"] = "on-failure";
  const rules = new Map<string, RuleLayer>();
  const environments = new Map<string, LocatedEnvironment>();
  let alerts: Located<z.output<typeof alertsSchema>> | undefined;
  const levelsBroken = layers.some((layer) => layer.levelsBroken);
  for (const layer of layers) {
    if (layer.levels) levels = layer.levels;
    if (layer.level) {
      required = layer.level;
      dated = undefined;
      levelSet = true;
    }
    if (layer.dated) {
      dated = layer.dated;
      required = layer.dated.untilThen;
      levelSet = true;
    }
    if (layer.comment) comment = layer.comment;
    for (const environment of layer.environments ?? []) environments.set(environment.pattern, environment);
    if (layer.alerts) alerts = mergeAlerts(alerts, layer.alerts);
    for (const [id, next] of layer.rules) {
      const previous = rules.get(id);
      if (!previous) {
        rules.set(id, next);
        continue;
      }
      rules.set(id, overlayRule(previous, next));
    }
  }

  const errors: ConfigError[] = [];
  // A rule's level may also be "off"; the required level may not.
  const unknownLevel = (l: Located<string>, alternatives: readonly string[] = levels) =>
    locatedError(l, `unknown level "${l.value}".${didYouMean(l.value, alternatives)} Levels are ${levels.join(", ")} (set them with \`levels:\`).`);
  if (required && !levelsBroken && !levels.includes(required.value)) errors.push(unknownLevel(required));
  if (dated && !levelsBroken) {
    if (!levels.includes(dated.required.value)) errors.push(unknownLevel(dated.required));
    else if (levels.indexOf(dated.required.value) <= levels.indexOf(required?.value ?? levels[0]!) && (required === undefined || levels.includes(required.value))) {
      const before = required?.value ?? levels[0]!;
      errors.push(locatedError(dated.required, `the dated target "${dated.required.value}" is not above the level required until then ("${before}"): a target raises the bar, so name a higher level (ladder: ${levels.join(", ")})`));
    }
  }
  for (const environment of environments.values()) {
    if (!levelsBroken && !levels.includes(environment.level.value)) errors.push(unknownLevel(environment.level));
    else if (globMatcherProblem(environment.pattern)) errors.push(locatedError(environment.level, `environment pattern "${environment.pattern}": ${globMatcherProblem(environment.pattern)!}`));
  }

  const enabled: EnabledRule[] = [];
  for (const [id, setting] of rules) {
    if (setting.off) continue;
    if (setting.level && !levels.includes(setting.level.value)) {
      if (!levelsBroken) errors.push(unknownLevel(setting.level, [...levels, "off"]));
      continue;
    }
    if (setting.optionsBroken) continue;
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
    enabled.push({ id, level: setting.level?.value ?? defaultLevelOf(rule, levels), when: setting.when, options: options.data });
  }
  const waivers = mergeWaivers(layers);
  const attestations: AttestationItem[] = [];
  const items = new Map<string, { item: NonNullable<TopLevel["attestations"]>[string]; level?: Located<string> }>();
  for (const layer of layers) for (const [id, entry] of layer.attestations ?? []) items.set(id, entry);
  for (const [id, { item, level }] of items) {
    if (level && !levels.includes(level.value)) {
      if (!levelsBroken) errors.push(unknownLevel(level));
      continue;
    }
    const everyMs = item.every !== undefined ? parseDuration(item.every) : undefined;
    attestations.push({
      id,
      description: item.description,
      by: item.by ?? [],
      permission: item.permission ?? "admin",
      ...(item.every !== undefined && everyMs !== undefined ? { every: item.every, everyMs } : {}),
      level: level?.value ?? levels[0]!,
    });
  }
  if (errors.length > 0) return { errors };
  const requiredName = dated ? (required?.value ?? levels[0]!) : (required?.value ?? levels[levels.length - 1]!);
  const config: ResolvedConfig = {
    levels,
    required: requiredName,
    comment,
    rules: enabled,
    ...(dated ? { target: { level: dated.required.value, from: dated.from } } : {}),
    ...(waivers ? { waivers } : {}),
    ...(attestations.length > 0 ? { attestations } : {}),
  };
  const settings: RepositorySettings = {
    alerts: alertSettings(alerts?.value, levelSet),
    environments: [...environments.values()].map((e): EnvironmentLevel => ({ pattern: e.pattern, level: e.level.value })),
  };
  return { config, settings, errors };
}

/** A later `alerts:` overrides the fields it sets; `off` (or an object after it) replaces the whole. */
function mergeAlerts(previous: Located<z.output<typeof alertsSchema>> | undefined, next: Located<z.output<typeof alertsSchema>>): Located<z.output<typeof alertsSchema>> {
  if (!previous || previous.value === "off" || next.value === "off") return next;
  return { ...next, value: { ...previous.value, ...next.value } };
}

function alertSettings(raw: z.output<typeof alertsSchema> | undefined, levelSet: boolean): AlertSettings {
  const defaults: AlertSettings = { enabled: levelSet, issue: true, labels: ["readiness"], mention: "codeowners", assign: "none", announceRises: false };
  if (raw === undefined) return defaults;
  if (raw === "off") return { ...defaults, enabled: false };
  return {
    enabled: true,
    issue: raw.issue ?? defaults.issue,
    labels: raw.labels ?? defaults.labels,
    mention: raw.mention ?? defaults.mention,
    assign: raw.assign ?? defaults.assign,
    announceRises: raw["announce-rises"] ?? defaults.announceRises,
    ...(raw.chat ? { chatWebhookEnv: raw.chat["webhook-env"] } : {}),
  };
}

/** Why an environment pattern cannot be used, or undefined. */
function globMatcherProblem(pattern: string): string | undefined {
  const checked = globs.safeParse([pattern]);
  return checked.success ? undefined : (checked.error.issues[0]?.message ?? "not a usable glob");
}

/**
 * Later files set who may waive; the rules that cannot be waived add up, so a repository cannot
 * drop what its organisation baseline forbids. (A rule an organisation baseline will mark
 * `locked:` joins this list the same way, named by the baseline.)
 */
function mergeWaivers(layers: readonly Layer[]): WaiverPolicy | undefined {
  if (!layers.some((layer) => layer.waivers)) return undefined;
  let allowed = DEFAULT_WAIVER_POLICY.allowed;
  let permission = DEFAULT_WAIVER_POLICY.permission;
  const notWaivable: { rule: string; by: string }[] = [];
  for (const layer of layers) {
    const waivers = layer.waivers;
    if (!waivers) continue;
    if (waivers.allowed) allowed = waivers.allowed;
    if (waivers.permission) permission = waivers.permission;
    const by = layer.origin.repository === "readiness-bot" ? layer.origin.path : `${layer.origin.repository}:${layer.origin.path}`;
    for (const rule of waivers["not-waivable"] ?? []) if (!notWaivable.some((n) => n.rule === rule)) notWaivable.push({ rule, by });
  }
  return { allowed, permission, notWaivable };
}

/** Validates and resolves one configuration text (with its extends) into what the engine runs. */
export async function resolveConfigText(content: string, origin: ConfigOrigin, reader: ConfigFileReader, registry: Registry): Promise<ConfigLoadResult> {
  // Every stage runs even when an earlier one found errors, so one run reports them all.
  const own = readLayer(content, origin, registry);
  if (!own.layer) return { kind: "invalid", origin, errors: own.errors };
  const expanded = await expand(own.layer, reader, registry, new Set());
  const merged = merge(expanded.layers, registry);
  const parts = merged.config ? resolveComponents(expanded.layers, registry) : undefined;
  const errors = [...own.errors, ...expanded.errors, ...merged.errors, ...(parts?.errors ?? [])];
  if (errors.length > 0 || !merged.config || !merged.settings) return { kind: "invalid", origin, errors };
  return { kind: "ok", config: withComponents(merged.config, parts?.components), origins: expanded.layers.map((l) => l.origin), settings: merged.settings };
}

/** A file that cannot be read as configuration is wrong as a whole: the error sits on its first line. */
function refusalError(file: RefusedConfigFile): ConfigError {
  return makeError(file.origin, { line: 1, column: 1, endLine: 1 }, [], file.refused);
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
      const file = await reader.read(place, path);
      if (file && "refused" in file) return { kind: "invalid", origin: file.origin, errors: [refusalError(file)] };
      if (file) return place === "repo" ? resolveUnderLockedBaseline(file, reader, registry) : resolveConfigText(file.content, file.origin, reader, registry);
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
  if (read.layer.extends.length > 0 && !read.layer.levels) return read.errors;
  const parts = merged.config ? resolveComponents([read.layer], registry) : undefined;
  return [...read.errors, ...merged.errors, ...(parts?.errors ?? [])];
}

function withComponents(config: ResolvedConfig, components: readonly Component[] | undefined): ResolvedConfig {
  return components && components.length > 0 ? { ...config, components } : config;
}

/**
 * Each component's checklist: every file merged as for the repository, then the component's level
 * and rule overrides as one more layer, so what is wrong with them (an unknown level, options that
 * do not fit) points at the component's lines. Path options are then re-rooted in the component.
 * A later file's component of the same name replaces an earlier one's.
 */
function resolveComponents(
  layers: readonly Layer[],
  registry: Registry,
  /** More checks of each component's checklist, given its layers and its merged configuration (before re-rooting). */
  check?: (layers: readonly Layer[], config: ResolvedConfig) => readonly ConfigError[],
): { components: Component[]; errors: ConfigError[] } {
  const declared = new Map<string, LayerComponent>();
  for (const layer of layers) for (const [name, component] of layer.components ?? []) declared.set(name, component);
  const components: Component[] = [];
  const errors: ConfigError[] = [];
  for (const [name, declaration] of declared) {
    const own: Layer = { origin: declaration.entry.origin, extends: [], levelsBroken: false, rules: declaration.rules, ...(declaration.level ? { level: declaration.level } : {}) };
    const merged = merge([...layers, own], registry);
    errors.push(...merged.errors);
    if (!merged.config) continue;
    if (check) errors.push(...check([...layers, own], merged.config));
    const paths = declaration.paths.value;
    const place = { paths, root: componentRoot(paths, declaration.descriptor), ...(declaration.descriptor !== undefined ? { descriptor: declaration.descriptor } : {}) };
    const rules = rerootRules(merged.config.rules, registry, place, (id) => new Set(Object.keys(declaration.rules.get(id)?.options ?? {})));
    components.push({ name, ...place, config: { ...merged.config, rules } });
  }
  const list = [...declared];
  for (const [index, [name, declaration]] of list.entries()) {
    for (const [other, earlier] of list.slice(0, index)) {
      const shared = overlapOf(earlier.paths.value, declaration.paths.value);
      if (shared !== undefined) {
        errors.push(locatedError(declaration.paths, `components "${other}" and "${name}" overlap: "${shared}" matches both. Each file belongs to one component: narrow the paths, or exclude the other's with "!…"`));
      }
    }
  }
  return { components, errors };
}

// ---------------------------------------------------------------------------------------------
// The locked organisation baseline

/** A preset or a repository's own file cannot lock rules; the baseline (and a local file, which may be it) can. */
function lockedKeyProblem(locked: unknown, origin: ConfigOrigin): string | undefined {
  if (typeof locked !== "boolean") return `expected true or false, got ${describeValue(locked)}`;
  if (!locked) return undefined;
  const repository = origin.repository;
  if (repository === "readiness-bot" || (repository.includes("/") && !isBaselineRepository(origin))) {
    return `\`locked\` only has effect in the organisation baseline (the ${CONFIG_PATHS.join(" or ")} of <org>/.github), where it holds the rule for every repository; a repository cannot lock its own rules: remove it`;
  }
  return undefined;
}

/** The organisation's `.github` repository: its own file is the baseline, not held by it. */
function isBaselineRepository(origin: ConfigOrigin): boolean {
  return /\/\.github$/i.test(origin.repository);
}

/** "acme/.github:.readiness.yml"; a local file (the CLI's --org-config) by its path alone. */
const fileName = (origin: ConfigOrigin): string => (origin.repository.includes("/") ? `${origin.repository}:${origin.path}` : origin.path);

/** Organisation reads once per load, however many times the loader asks (extends and locks both read it). */
function memoOrgReads(reader: ConfigFileReader): ConfigFileReader {
  const reads = new Map<string, ReturnType<ConfigFileReader["read"]>>();
  return {
    read(place, path) {
      if (place !== "org") return reader.read(place, path);
      let read = reads.get(path);
      if (!read) {
        read = reader.read(place, path);
        reads.set(path, read);
      }
      return read;
    },
  };
}

interface LockedRule {
  readonly id: string;
  /** The rule as the baseline resolves it (its own extends merged). */
  readonly setting: RuleLayer;
  /** Where `locked: true` was written. */
  readonly at: Located<boolean>;
}

interface Baseline {
  readonly origin: ConfigOrigin;
  readonly locks: readonly LockedRule[];
  readonly errors: readonly ConfigError[];
}

/** The organisation baseline's locked rules, or undefined when there is no baseline. */
async function readLockedBaseline(reader: ConfigFileReader, registry: Registry): Promise<Baseline | undefined> {
  let file: ConfigFile | RefusedConfigFile | null = null;
  for (const path of CONFIG_PATHS) {
    file = await reader.read("org", path);
    if (file) break;
  }
  if (!file) return undefined;
  if ("refused" in file) {
    const error = refusalError(file);
    return { origin: file.origin, locks: [], errors: [{ ...error, message: `${error.message}; the organisation baseline's locked rules cannot be applied` }] };
  }
  const read = readLayer(file.content, file.origin, registry);
  // A baseline that cannot be read at all holds the repository only if it may have locked rules.
  if (!read.layer) return { origin: file.origin, locks: [], errors: /\blocked\s*:/.test(file.content) ? read.errors : [] };
  const expanded = await expand(read.layer, reader, registry, new Set());
  const locks: LockedRule[] = [];
  const lockedIds = [...read.layer.rules].filter(([, rule]) => rule.locked).map(([id]) => id);
  // Only errors that touch the locked rules concern a repository that does not extend the baseline.
  const concerns = (error: ConfigError) =>
    lockedIds.length > 0 &&
    (fileName(error.origin) !== fileName(file.origin) || error.keyPath === "" || error.keyPath.startsWith("extends") || lockedIds.some((id) => error.keyPath === `rules.${id}` || error.keyPath.startsWith(`rules.${id}.`)));
  const errors = [...read.errors, ...expanded.errors].filter(concerns);
  for (const [id, own] of read.layer.rules) {
    if (!own.locked) continue;
    let setting: RuleLayer | undefined;
    for (const layer of expanded.layers) {
      const next = layer.rules.get(id);
      if (next) setting = setting ? overlayRule(setting, next) : next;
    }
    if (setting!.off) {
      errors.push(locatedError(own.locked, `"${id}" is locked but switched off: a locked rule holds every repository to it, so give it a level (or drop \`locked\`)`));
      continue;
    }
    locks.push({ id, setting: setting!, at: own.locked });
  }
  return { origin: file.origin, locks, errors };
}

/**
 * A repository's own file, resolved with the organisation baseline's locked rules in force: when
 * the file does not extend the baseline, the locked rules are merged in underneath it, as if
 * it extended only those. Either way the result may hold each locked rule at an earlier level,
 * with more demanding options or a wider `when`, and nothing else: any other change is an error
 * at the line that makes it, naming the baseline's line.
 */
async function resolveUnderLockedBaseline(file: ConfigFile, reader: ConfigFileReader, registry: Registry): Promise<ConfigLoadResult> {
  const orgReader = memoOrgReads(reader);
  if (isBaselineRepository(file.origin)) return resolveConfigText(file.content, file.origin, orgReader, registry);
  const own = readLayer(file.content, file.origin, registry);
  if (!own.layer) return { kind: "invalid", origin: file.origin, errors: own.errors };
  const expanded = await expand(own.layer, orgReader, registry, new Set());
  // A file with errors of its own fails as it is: no request is spent on the baseline's locks.
  const baseline = own.errors.length > 0 ? undefined : await readLockedBaseline(orgReader, registry);
  const extended = baseline !== undefined && expanded.layers.some((layer) => fileName(layer.origin) === fileName(baseline.origin));
  // Named in extends but unusable: its errors are reported at the extends entry already.
  const namesBaseline = own.layer.extends.some((entry) => /\/\.github$/i.test(entry.value));
  const layers = [...expanded.layers];
  if (baseline && !extended && baseline.locks.length > 0) {
    layers.unshift({ origin: baseline.origin, extends: [], levelsBroken: false, rules: new Map(baseline.locks.map((lock) => [lock.id, lock.setting])) });
  }
  const merged = merge(layers, registry);
  // The baseline's own errors are already reported when the file extends it.
  const baselineErrors = baseline && !extended && !namesBaseline ? baseline.errors : [];
  const lockErrors = baseline ? lockViolations(baseline, layers, merged.config, registry) : [];
  // A component's overrides are held to the locked rules like the file's own.
  const parts = merged.config ? resolveComponents(layers, registry, baseline ? (componentLayers, config) => lockViolations(baseline, componentLayers, config, registry) : undefined) : undefined;
  // A loosening the file makes is found again in each component's checklist: reported once.
  const errors = uniqueErrors([...own.errors, ...expanded.errors, ...baselineErrors, ...merged.errors, ...lockErrors, ...(parts?.errors ?? [])]);
  if (errors.length > 0 || !merged.config || !merged.settings) return { kind: "invalid", origin: file.origin, errors };
  const lockedConfig = baseline ? withLockedWaivers(merged.config, baseline) : merged.config;
  const config = withComponents(lockedConfig, parts?.components.map((component) => ({ ...component, config: baseline ? withLockedWaivers(component.config, baseline) : component.config })));
  return { kind: "ok", config, origins: layers.map((l) => l.origin), settings: merged.settings };
}

function uniqueErrors(errors: readonly ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.origin.repository}:${error.origin.path}:${error.line}:${error.column}:${error.keyPath}:${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Locked rules cannot be waived: they join `not-waivable`, named by the baseline. */
function withLockedWaivers(config: ResolvedConfig, baseline: Baseline): ResolvedConfig {
  if (baseline.locks.length === 0) return config;
  const policy = config.waivers ?? DEFAULT_WAIVER_POLICY;
  const notWaivable = [...policy.notWaivable];
  for (const lock of baseline.locks) {
    if (!notWaivable.some((entry) => entry.rule === lock.id)) notWaivable.push({ rule: lock.id, by: `${fileName(baseline.origin)} (line ${lock.at.at.line})`, locked: true });
  }
  return { ...config, waivers: { ...policy, notWaivable } };
}

/** Every way the resolved configuration loosens a locked rule, each at the line that does it. */
function lockViolations(baseline: Baseline, layers: readonly Layer[], config: ResolvedConfig | undefined, registry: Registry): ConfigError[] {
  const errors: ConfigError[] = [];
  const levels = config?.levels ?? [...layers].reverse().find((layer) => layer.levels)?.levels ?? DEFAULT_LEVELS;
  for (const lock of baseline.locks) {
    const rule = registry.get(lock.id);
    if (!rule) continue;
    let final: RuleLayer | undefined;
    for (const layer of layers) {
      const next = layer.rules.get(lock.id);
      if (next) final = final ? overlayRule(final, next) : next;
    }
    if (!final) continue;
    const locks = `the organisation baseline ${fileName(baseline.origin)} locks "${lock.id}" (line ${lock.at.at.line})`;
    const here = (at: Located<unknown>, what: string) => locatedError(at, `${locks}: ${what}. A repository may move a locked rule to an earlier level, tighten its options or widen its when, never loosen it; ask the organisation's baseline owners to change it.`);
    if (final.off) {
      errors.push(here(final.level ?? final.entry, "it cannot be switched off here"));
      continue;
    }
    const from = lock.setting.level?.value ?? levels[0]!;
    const to = final.level?.value ?? levels[0]!;
    if (levels.includes(from) && levels.includes(to) && levels.indexOf(to) > levels.indexOf(from)) {
      errors.push(here(final.level ?? final.entry, `its level "${from}" may only move to an earlier level of the ladder (${levels.slice(0, levels.indexOf(from)).join(", ") || "none: it is the first"}), where it blocks more pull requests; "${to}" would require it later`));
    }
    const defaultWhen: When = rule.defaultWhen ? { paths: rule.defaultWhen } : {};
    const narrowed = whenNarrowing(lock.setting.when ?? defaultWhen, final.when ?? defaultWhen);
    if (narrowed) errors.push(here(final.whenAt ?? final.entry, `when cannot be narrowed: ${narrowed}`));
    const enabled = config?.rules.find((r) => r.id === lock.id);
    const base = rule.options.safeParse(lock.setting.options);
    if (!enabled || !base.success) continue;
    const before = base.data as Record<string, unknown>;
    const after = enabled.options as Record<string, unknown>;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const why = loosening(rule.tighten?.[key] ?? "equal", before[key], after[key]);
      if (why) errors.push(here(final.optionsAt?.get(key) ?? final.entry, `option "${key}" would loosen it: ${why}`));
    }
  }
  return errors;
}
