/**
 * Dated targets on the dashboard (`level: { required: silver, from: "2027-03-01", until-then:
 * bronze }`): the sentence every page shows beside a repository's level while a target is ahead,
 * and each target's progress over the repositories a person may see: how many reach it, which
 * rules block the rest, and the daily count reaching it. Pure: the records, the daily levels and
 * the day (from the web layer's clock) come in.
 */
import { dayInWords, plural } from "../render/verdict.js";
import type { DailyBranchLevel, RecordedTarget, StoredEvaluation } from "../state/types.js";
import { levelDistribution, NO_LEVEL, repositoryName } from "./scorecard-view.js";

const DAY_MS = 86_400_000;

/** Whole days from `today` ("YYYY-MM-DD" or an ISO time) to the target's day; 0 or less once it has come. */
export function daysUntil(from: string, today: string): number {
  return Math.round((Date.parse(`${from}T00:00:00Z`) - Date.parse(`${today.slice(0, 10)}T00:00:00Z`)) / DAY_MS);
}

/**
 * "silver is required from 1 March 2027 (in 91 days)". A record evaluated before the day that has
 * since come says so ("(today)", "(since 2 days)"): the next evaluation applies the target.
 */
export function targetWhen(target: Pick<RecordedTarget, "level" | "from">, today: string): string {
  const days = daysUntil(target.from, today);
  const when = days > 0 ? `in ${plural(days, "day")}` : days === 0 ? "today" : `since ${plural(-days, "day")}`;
  return `${target.level} is required from ${dayInWords(target.from)} (${when})`;
}

/** The sentence with what is missing: "…(in 91 days): missing runbook, slo." or "…: already reached." */
export function targetSentence(target: RecordedTarget, today: string, max = 5): string {
  const when = targetWhen(target, today);
  if (target.met) return `${when}: already reached.`;
  if (target.missing.length === 0) return `${when}: not reached yet.`;
  const shown = target.missing.slice(0, max);
  const more = target.missing.length - shown.length;
  return `${when}: missing ${shown.join(", ")}${more > 0 ? `, +${more} more` : ""}.`;
}

/** One day of a target's trend: repositories reaching its level at the end of the day (UTC). */
export interface TargetDay {
  readonly day: string;
  readonly reaching: number;
  /** The target's repositories that had a standing that day. */
  readonly total: number;
}

export interface TargetBlockingRule {
  readonly id: string;
  /** How many of the target's repositories that do not reach it miss this rule. */
  readonly repositories: number;
}

export interface TargetProgressView {
  readonly level: string;
  readonly from: string;
  readonly daysLeft: number;
  /** The repositories whose standing carries this target, by name. */
  readonly repositories: readonly string[];
  /** Those of them whose standing already reaches it. */
  readonly reaching: readonly string[];
  readonly blocking: readonly TargetBlockingRule[];
  readonly trend: readonly TargetDay[];
}

/** A target's key: its level and day. Repositories with different configurations but the same target share it. */
function targetKey(target: Pick<RecordedTarget, "level" | "from">): string {
  return `${target.from}\u0000${target.level}`;
}

/** The ladder with the target's level in it (a target may name a level no record reached yet). */
function ladderWith(ladder: readonly string[], level: string): readonly string[] {
  return ladder.includes(level) ? ladder : [...ladder, level];
}

/**
 * Every target still ahead of `today` among the standings, soonest first, with its progress.
 * `days`, `standingBefore` and `daily` are what the organisation chart reads (the range of days,
 * each repository's standing before it, and each day's last level); only the target's
 * repositories count toward its trend.
 */
export function pendingTargets(
  standings: readonly StoredEvaluation[],
  today: string,
  days: readonly string[],
  standingBefore: readonly { readonly owner: string; readonly repo: string; readonly levelReached: string | null }[],
  daily: readonly DailyBranchLevel[],
  ladder: readonly string[],
): TargetProgressView[] {
  const groups = new Map<string, { target: RecordedTarget; records: StoredEvaluation[] }>();
  for (const record of standings) {
    const target = record.target;
    if (!target || daysUntil(target.from, today) <= 0) continue;
    const group = groups.get(targetKey(target)) ?? { target, records: [] };
    group.records.push(record);
    groups.set(targetKey(target), group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { target, records }]) => {
      const names = new Set(records.map((record) => repositoryName(record)));
      const reaching = records.filter((record) => record.target!.met).map((record) => repositoryName(record));
      const counts = new Map<string, number>();
      for (const record of records) {
        if (record.target!.met) continue;
        for (const id of new Set(record.target!.missing)) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const blocking = [...counts.entries()].map(([id, repositories]) => ({ id, repositories })).sort((a, b) => b.repositories - a.repositories || a.id.localeCompare(b.id));
      return {
        level: target.level,
        from: target.from,
        daysLeft: daysUntil(target.from, today),
        repositories: [...names].sort((a, b) => a.localeCompare(b)),
        reaching: reaching.sort((a, b) => a.localeCompare(b)),
        blocking,
        trend: targetTrend(target.level, names, days, standingBefore, daily, ladder),
      };
    });
}

/** Per day, how many of `names` stood at or above `level` at the end of the day. */
export function targetTrend(
  level: string,
  names: ReadonlySet<string>,
  days: readonly string[],
  standingBefore: readonly { readonly owner: string; readonly repo: string; readonly levelReached: string | null }[],
  daily: readonly DailyBranchLevel[],
  ladder: readonly string[],
): TargetDay[] {
  const full = ladderWith(ladder, level);
  const at = full.indexOf(level);
  const reachingLevels = full.filter((_, index) => index >= at);
  const distribution = levelDistribution(
    days,
    standingBefore.filter((record) => names.has(repositoryName(record))),
    daily.filter((row) => names.has(repositoryName(row))),
    full,
  );
  return distribution.map((day) => ({
    day: day.day,
    reaching: reachingLevels.reduce((sum, name) => sum + (name === NO_LEVEL ? 0 : day.counts[name] ?? 0), 0),
    total: day.total,
  }));
}
