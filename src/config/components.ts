/**
 * `components:` of a monorepo, the parts that need no position: where a component's root is, how
 * its rules' path options are re-rooted there, and whether two components claim the same files.
 */
import type { EnabledRule, Registry } from "../engine/evaluate.js";
import { globMatcher } from "../engine/globs.js";
import type { ComponentOption } from "../engine/rule.js";

const WILDCARD = /[*?[\]{}]/;

/**
 * The directory a component's path options are re-rooted under: the descriptor's directory when
 * it names one, else the directories every one of its paths starts with before any wildcard
 * (services/payments for "services/payments/**"); "" is the repository's root.
 */
export function componentRoot(paths: readonly string[], descriptor?: string): string {
  if (descriptor !== undefined) return descriptor.includes("/") ? descriptor.slice(0, descriptor.lastIndexOf("/")) : "";
  const prefixes = paths
    .filter((p) => !p.startsWith("!"))
    .map((p) => {
      const segments = p.split("/");
      const firstWild = segments.findIndex((s) => WILDCARD.test(s));
      // A plain file path: its directory.
      return firstWild < 0 ? segments.slice(0, -1) : segments.slice(0, firstWild);
    });
  if (prefixes.length === 0) return "";
  const common: string[] = [];
  for (const [index, segment] of prefixes[0]!.entries()) {
    if (!prefixes.every((p) => p[index] === segment)) break;
    common.push(segment);
  }
  return common.join("/");
}

function under(root: string, path: string): string {
  if (root === "") return path;
  return path.startsWith("!") ? `!${root}/${path.slice(1).replace(/^\/+/, "")}` : `${root}/${path.replace(/^\/+/, "")}`;
}

export interface ComponentPlace {
  readonly paths: readonly string[];
  readonly descriptor?: string;
  readonly root: string;
}

function reroot(value: unknown, how: ComponentOption, place: ComponentPlace): unknown {
  if (how === "scope") return Array.isArray(value) ? [...place.paths] : value;
  if (how === "descriptor" && place.descriptor !== undefined) return Array.isArray(value) ? [place.descriptor] : place.descriptor;
  if (typeof value === "string") return value === "" ? value : under(place.root, value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? under(place.root, v) : v));
  return value;
}

/**
 * The component's rules with their path options (ComponentOption) re-rooted, except the options
 * the component's own `rules:` entry writes (`written(rule)`), which are taken as written.
 */
export function rerootRules(rules: readonly EnabledRule[], registry: Registry, place: ComponentPlace, written: (rule: string) => ReadonlySet<string>): EnabledRule[] {
  return rules.map((enabled) => {
    const spec = registry.get(enabled.id)?.componentOptions;
    if (!spec || enabled.options === null || typeof enabled.options !== "object") return enabled;
    const own = written(enabled.id);
    const options = { ...(enabled.options as Record<string, unknown>) };
    for (const [key, how] of Object.entries(spec)) {
      if (own.has(key) || !(key in options)) continue;
      options[key] = reroot(options[key], how, place);
    }
    return { ...enabled, options };
  });
}

/** A path the glob matches: each wildcard replaced by a plain name, the first of each {a,b}. */
export function samplePath(glob: string): string {
  return glob
    .replace(/\{([^{},]*)[^{}]*\}/g, "$1")
    .replace(/\[!?\]?[^\]]*\]/g, "x")
    .split("/")
    .map((segment) => (segment === "**" ? "x" : segment.replace(/\*+/g, "x").replace(/\?/g, "x")))
    .join("/");
}

/**
 * A path both components' globs match, found by trying a sample of each one's patterns against
 * the other's; undefined when none is found (globs that overlap only in unusual corners pass).
 */
export function overlapOf(a: readonly string[], b: readonly string[]): string | undefined {
  const inA = globMatcher(a);
  const inB = globMatcher(b);
  for (const pattern of [...a, ...b]) {
    if (pattern.startsWith("!")) continue;
    const sample = samplePath(pattern);
    if (inA(sample) && inB(sample)) return sample;
  }
  return undefined;
}
