/**
 * What a repository may do to a rule its organisation baseline locks (`locked: true`): make it
 * stricter, never looser. Pure comparisons of values already validated by the rule's schema;
 * the loader turns a "why it loosens" into a configuration error at the right line.
 */
import type { When } from "../engine/evaluate.js";
import type { Tightening } from "../engine/rule.js";

/** The same value, whatever the key order of mappings. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return keysA.length === keysB.length && keysA.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const shown = (value: unknown): string => (typeof value === "string" ? `"${value}"` : JSON.stringify(value) ?? String(value));

const listOf = (value: unknown): readonly unknown[] | undefined => (Array.isArray(value) ? value : undefined);

function missingFrom(kept: readonly unknown[], from: readonly unknown[]): unknown[] {
  return from.filter((item) => !kept.some((k) => sameValue(k, item)));
}

/**
 * Why `proposed` is looser than the baseline's value under `kind`, or undefined when it is equal
 * or stricter. Values that do not fit the kind (a list where a number was expected) must be equal.
 */
export function loosening(kind: Tightening, baseline: unknown, proposed: unknown): string | undefined {
  if (sameValue(baseline, proposed)) return undefined;
  if (typeof kind === "function") return kind(baseline, proposed);
  if (typeof kind === "object") {
    const from = kind.order.indexOf(String(baseline));
    const to = kind.order.indexOf(String(proposed));
    if (from >= 0 && to >= from) return undefined;
    return `it may only move towards ${kind.order.slice(Math.max(from, 0) + 1).map(shown).join(", ") || "nothing (it is already the strictest)"} (order, loosest first: ${kind.order.join(" < ")})`;
  }
  switch (kind) {
    case "at-least":
      return typeof baseline === "number" && typeof proposed === "number" && proposed >= baseline ? undefined : `it may only be raised (at least ${shown(baseline)})`;
    case "at-most":
      return typeof baseline === "number" && typeof proposed === "number" && proposed <= baseline ? undefined : `it may only be lowered (at most ${shown(baseline)})`;
    case "limit": {
      if (typeof baseline !== "number" || typeof proposed !== "number") return `it must stay ${shown(baseline)}`;
      if (baseline === 0) return proposed >= 0 ? undefined : `it must stay at least 0`;
      return proposed > 0 && proposed <= baseline ? undefined : `it may only be lowered (between 1 and ${shown(baseline)}; 0 would mean no limit)`;
    }
    case "true-stays":
      return baseline === true ? "it is on in the baseline and must stay on" : proposed === true ? undefined : `it must stay ${shown(baseline)} or be switched on`;
    case "superset": {
      const [from, to] = [listOf(baseline), listOf(proposed)];
      if (!from || !to) return `it must stay ${shown(baseline)}`;
      const dropped = missingFrom(to, from);
      return dropped.length === 0 ? undefined : `entries may only be added; it drops ${dropped.map(shown).join(", ")}`;
    }
    case "subset": {
      const [from, to] = [listOf(baseline), listOf(proposed)];
      if (!from || !to) return `it must stay ${shown(baseline)}`;
      const added = missingFrom(from, to);
      return added.length === 0 ? undefined : `entries may only be removed; it adds ${added.map(shown).join(", ")}`;
    }
    case "equal":
      return `it cannot be changed (it must stay ${shown(baseline)})`;
  }
}

const WHEN_KEYS = ["paths", "labels", "base", "authors"] as const;

/**
 * Why `proposed` makes the rule apply to fewer pull requests than `baseline`, or undefined. A
 * condition may be dropped (the rule applies more widely) or given more alternatives; a
 * condition the baseline lacks, or an alternative it lists, may not be added or removed.
 * Alternatives are compared as written: a broader glob replacing one counts as a removal.
 */
export function whenNarrowing(baseline: When, proposed: When): string | undefined {
  for (const key of WHEN_KEYS) {
    const to = proposed[key];
    if (to === undefined) continue;
    const from = baseline[key];
    if (from === undefined) return `it adds the condition "${key}", so the rule would apply to fewer pull requests`;
    const dropped = from.filter((item) => !to.includes(item));
    if (dropped.length > 0) return `it drops ${dropped.map(shown).join(", ")} from "${key}", so the rule would apply to fewer pull requests`;
  }
  return undefined;
}
