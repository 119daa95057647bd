/**
 * A configuration preview's data: what a proposed configuration (a pull request's head) changes
 * against the one in force (its base), and the pure computations behind it. Gathering what is
 * compared is src/github's; showing it is src/render's.
 */
import type { Conclusion, DatedTarget, EnabledRule, ResolvedConfig, When } from "../engine/evaluate.js";
import type { ConfigError, ConfigOrigin } from "./types.js";

/** One rule's entry in a configuration, as a diff names it. */
export interface RuleAt {
  readonly id: string;
  readonly level: string;
}

export interface LevelMove {
  readonly id: string;
  readonly from: string;
  readonly to: string;
}

export interface OptionsChange {
  readonly id: string;
  /** The option names whose values differ (`when` included), sorted. */
  readonly keys: readonly string[];
}

export interface Change<T> {
  readonly from: T;
  readonly to: T;
}

/** What the proposed configuration changes; every list sorted by rule id. */
export interface ConfigDiff {
  readonly added: readonly RuleAt[];
  readonly removed: readonly RuleAt[];
  readonly levelsMoved: readonly LevelMove[];
  readonly optionsChanged: readonly OptionsChange[];
  /** The level required to merge (with its dated target, if any). */
  readonly required?: Change<string>;
  readonly target?: Change<DatedTarget | undefined>;
  readonly ladder?: Change<readonly string[]>;
  readonly comment?: Change<ResolvedConfig["comment"]>;
  readonly attestationsAdded: readonly RuleAt[];
  readonly attestationsRemoved: readonly RuleAt[];
}

/** A verdict as the preview compares it. */
export interface VerdictSummary {
  readonly conclusion: Conclusion;
  readonly reached: string | null;
  readonly required: string;
  /** The blocking rules that fail (or cannot be decided), in evaluation order. */
  readonly blockedBy?: readonly string[];
}

/** The default branch's standing (latest stored record) and what it would be under the proposal. */
export interface ScorecardChange {
  readonly ref: string;
  readonly sha: string;
  readonly before: string | null;
  /**
   * Estimated from the record's rule statuses, without reading GitHub: `low` counts the rules the
   * record cannot speak for (added, or with changed options) as failing, `high` as passing.
   */
  readonly after: { readonly low: string | null; readonly high: string | null };
  /** The rules the record has no status for under the proposed configuration, sorted. */
  readonly unjudged: readonly string[];
}

/** Marks the changed file and says whether it is the organisation baseline. */
export interface PreviewSource {
  /** The changed configuration path(s) of this pull request. */
  readonly paths: readonly string[];
  readonly headSha: string;
  /** The pull request is in the organisation's `.github` repository: it changes the baseline. */
  readonly orgBaseline?: string;
}

export type ConfigPreview =
  | (PreviewSource & { readonly kind: "invalid"; readonly origin: ConfigOrigin; readonly errors: readonly ConfigError[] })
  /** The proposal leaves the repository without any configuration (file deleted, no baseline). */
  | (PreviewSource & { readonly kind: "none" })
  | (PreviewSource & {
      readonly kind: "valid";
      readonly origins: readonly ConfigOrigin[];
      readonly diff: ConfigDiff;
      /** This pull request under the base configuration and under the proposed one. */
      readonly pull?: Change<VerdictSummary>;
      /** Absent: the repository has no scorecard record yet. */
      readonly scorecard?: ScorecardChange;
    });

/** Stable JSON: object keys sorted, so equal options compare equal whatever their order. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function whenOf(rule: EnabledRule): When | undefined {
  return rule.when;
}

/** Option names (and `when`) whose values differ between two entries of the same rule. */
export function changedOptionKeys(base: EnabledRule, proposed: EnabledRule): string[] {
  const keys: string[] = [];
  const a = (base.options ?? {}) as Record<string, unknown>;
  const b = (proposed.options ?? {}) as Record<string, unknown>;
  const aRecord = typeof a === "object" && a !== null ? a : {};
  const bRecord = typeof b === "object" && b !== null ? b : {};
  for (const key of new Set([...Object.keys(aRecord), ...Object.keys(bRecord)])) {
    if (stable(aRecord[key]) !== stable(bRecord[key])) keys.push(key);
  }
  if (stable(whenOf(base) ?? null) !== stable(whenOf(proposed) ?? null)) keys.push("when");
  return keys.sort();
}

const byId = <T extends { readonly id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What `proposed` changes against `base`. Pure; both as resolved (extends merged). */
export function diffConfigs(base: ResolvedConfig, proposed: ResolvedConfig): ConfigDiff {
  const before = new Map(base.rules.map((rule) => [rule.id, rule]));
  const after = new Map(proposed.rules.map((rule) => [rule.id, rule]));
  const added: RuleAt[] = [];
  const removed: RuleAt[] = [];
  const levelsMoved: LevelMove[] = [];
  const optionsChanged: OptionsChange[] = [];
  for (const [id, rule] of after) {
    const was = before.get(id);
    if (!was) {
      added.push({ id, level: rule.level });
      continue;
    }
    if (was.level !== rule.level) levelsMoved.push({ id, from: was.level, to: rule.level });
    const keys = changedOptionKeys(was, rule);
    if (keys.length > 0) optionsChanged.push({ id, keys });
  }
  for (const [id, rule] of before) if (!after.has(id)) removed.push({ id, level: rule.level });
  const items = (config: ResolvedConfig) => new Map((config.attestations ?? []).map((item) => [item.id, item.level]));
  const itemsBefore = items(base);
  const itemsAfter = items(proposed);
  const attestationsAdded = [...itemsAfter].filter(([id]) => !itemsBefore.has(id)).map(([id, level]) => ({ id, level }));
  const attestationsRemoved = [...itemsBefore].filter(([id]) => !itemsAfter.has(id)).map(([id, level]) => ({ id, level }));
  const sameTarget = stable(base.target ?? null) === stable(proposed.target ?? null);
  const sameLadder = stable(base.levels) === stable(proposed.levels);
  return {
    added: added.sort(byId),
    removed: removed.sort(byId),
    levelsMoved: levelsMoved.sort(byId),
    optionsChanged: optionsChanged.sort(byId),
    ...(base.required !== proposed.required ? { required: { from: base.required, to: proposed.required } } : {}),
    ...(sameTarget ? {} : { target: { from: base.target, to: proposed.target } }),
    ...(sameLadder ? {} : { ladder: { from: base.levels, to: proposed.levels } }),
    ...(base.comment !== proposed.comment ? { comment: { from: base.comment, to: proposed.comment } } : {}),
    attestationsAdded: attestationsAdded.sort(byId),
    attestationsRemoved: attestationsRemoved.sort(byId),
  };
}

/** Nothing a reader would call a change of the gate. */
export function isEmptyDiff(diff: ConfigDiff): boolean {
  return (
    diff.added.length + diff.removed.length + diff.levelsMoved.length + diff.optionsChanged.length + diff.attestationsAdded.length + diff.attestationsRemoved.length === 0 &&
    !diff.required &&
    !diff.target &&
    !diff.ladder &&
    !diff.comment
  );
}

/** A rule's status in a stored branch record (only what the estimate reads). */
export interface RecordedStatus {
  readonly id: string;
  readonly status: string;
}

const SATISFIED = new Set(["pass", "skip", "waived"]);

/** The highest level whose rules (and all below) are satisfied; null when the lowest is not. */
function reachedWith(ladder: readonly string[], rules: readonly { level: string; satisfied: boolean }[]): string | null {
  let reached: string | null = null;
  for (const [index, name] of ladder.entries()) {
    if (!rules.filter((r) => ladder.indexOf(r.level) <= index).every((r) => r.satisfied)) break;
    reached = name;
  }
  return reached;
}

/**
 * The level a branch would reach under `proposed`, estimated from its stored record without
 * reading GitHub: a rule whose entry is unchanged (or only moved level) keeps its recorded status;
 * a rule the record does not hold, or whose options changed, is unjudged. `judgesBranch` says
 * whether a rule judges branches at all (a rule about changes is left out, as in the record).
 */
export function estimateBranchLevel(
  proposed: ResolvedConfig,
  diff: ConfigDiff,
  recorded: readonly RecordedStatus[],
  judgesBranch: (ruleId: string) => boolean,
): { low: string | null; high: string | null; unjudged: string[] } {
  const statuses = new Map(recorded.map((rule) => [rule.id, rule.status]));
  const changed = new Set(diff.optionsChanged.map((change) => change.id));
  const unjudged: string[] = [];
  const entries: { id: string; level: string; status: string | undefined }[] = [
    ...proposed.rules.filter((rule) => judgesBranch(rule.id)).map((rule) => ({ id: rule.id, level: rule.level, status: changed.has(rule.id) ? undefined : statuses.get(rule.id) })),
    ...(proposed.attestations ?? []).map((item) => ({ id: item.id, level: item.level, status: statuses.get(item.id) })),
  ];
  for (const entry of entries) if (entry.status === undefined) unjudged.push(entry.id);
  const known = (entry: (typeof entries)[number]) => entry.status !== undefined && SATISFIED.has(entry.status);
  return {
    low: reachedWith(proposed.levels, entries.map((e) => ({ level: e.level, satisfied: known(e) }))),
    high: reachedWith(proposed.levels, entries.map((e) => ({ level: e.level, satisfied: e.status === undefined || known(e) }))),
    unjudged: unjudged.sort(),
  };
}
