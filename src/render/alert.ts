/**
 * What the bot says when a repository's standing level changes on its default branch: whether
 * that calls for an alert, and the issue, comment and chat texts. Pure: the job decides with
 * these, src/github writes the issue and src/ops posts the chat message.
 */
import { clip, md, plain } from "./escape.js";

/** Identifies the bot's alert issue in a repository; GitHub does not render HTML comments. */
export const ALERT_MARKER = "<!-- readiness-bot:alert -->";

export interface StandingRule {
  readonly id: string;
  readonly level: string;
  readonly status: string;
  readonly fix?: string;
  readonly reason?: string;
  readonly findings?: readonly { readonly message: string; readonly path?: string; readonly line?: number }[];
  readonly findingCount?: number;
}

/** One evaluation of a default branch, as the alert needs it. */
export interface Standing {
  readonly repository: string;
  readonly ref: string;
  readonly sha: string;
  readonly reached: string | null;
  readonly required: string | null;
  readonly ladder: readonly string[];
  readonly rules: readonly StandingRule[];
}

/** The alert open for a repository, as remembered between evaluations. */
export interface OpenAlert {
  readonly issueNumber: number;
  /** The level reached before the drop that opened it: reaching it again (and the required level) closes the alert. */
  readonly before: string | null;
  /** What the issue last said, so an unchanged standing costs no write. */
  readonly digest: string;
}

export type AlertDecision =
  | { readonly kind: "none" }
  /** Open the issue: the level dropped, or the branch stopped reaching its required level. */
  | { readonly kind: "open"; readonly before: string | null }
  /** The issue is open and the standing changed but is not back yet. */
  | { readonly kind: "update"; readonly rose: boolean }
  /** Back at the level before the drop and at the required level. */
  | { readonly kind: "close" }
  /** No issue, the level rose, and rises are announced. */
  | { readonly kind: "announce-rise" };

const rank = (ladder: readonly string[], level: string | null): number => (level === null ? -1 : ladder.indexOf(level));

function belowRequired(standing: Standing): boolean {
  return standing.required !== null && rank(standing.ladder, standing.reached) < rank(standing.ladder, standing.required);
}

/**
 * previous: the branch's last recorded standing (none: its first scorecard, which never alerts:
 * nothing dropped). open: the alert issue currently open, if any.
 */
export function decideAlert(previous: Standing | undefined, current: Standing, open: OpenAlert | undefined, options: { readonly announceRises: boolean }): AlertDecision {
  const now = rank(current.ladder, current.reached);
  if (open) {
    const back = now >= rank(current.ladder, open.before) && !belowRequired(current);
    if (back) return { kind: "close" };
    if (alertDigest(current) === open.digest) return { kind: "none" };
    return { kind: "update", rose: previous !== undefined && now > rank(current.ladder, previous.reached) };
  }
  if (!previous) return { kind: "none" };
  const before = rank(current.ladder, previous.reached);
  if (now < before || (belowRequired(current) && !belowRequired(previous))) return { kind: "open", before: previous.reached };
  if (now > before && options.announceRises) return { kind: "announce-rise" };
  return { kind: "none" };
}

const levelName = (level: string | null): string => level ?? "none";
const shortSha = (sha: string): string => sha.slice(0, 7);

/** The rules that keep the branch from its levels, lowest level first. */
function failing(standing: Standing): StandingRule[] {
  const open = standing.rules.filter((rule) => !["pass", "skip", "waived"].includes(rule.status));
  return open.sort((a, b) => rank(standing.ladder, a.level) - rank(standing.ladder, b.level) || a.id.localeCompare(b.id));
}

/** Changes when what the issue would say changes: the levels and the failing rules. */
export function alertDigest(standing: Standing): string {
  return [levelName(standing.reached), levelName(standing.required), ...failing(standing).map((r) => `${r.id}:${r.status}`)].join("|");
}

export function alertTitle(before: string | null, current: Standing): string {
  if (rank(current.ladder, current.reached) < rank(current.ladder, before)) return plain(`Readiness dropped: ${levelName(before)} → ${levelName(current.reached)}`);
  return plain(`Readiness below the required level: ${levelName(current.reached)} reached, ${levelName(current.required)} required`);
}

export interface AlertIssueText {
  readonly title: string;
  readonly body: string;
}

/**
 * The issue: what dropped, the commit, the failing rules with what to do for each, and who owns
 * the repository (`mention`: names to @-mention, already resolved from the configuration).
 */
export function renderAlertIssue(before: string | null, current: Standing, context: { readonly mention: readonly string[]; readonly commitUrl?: string; readonly checkRunUrl?: string }): AlertIssueText {
  const commit = context.commitUrl ? `[\`${shortSha(current.sha)}\`](${context.commitUrl})` : `\`${shortSha(current.sha)}\``;
  const lines = [
    ALERT_MARKER,
    `**${md(current.repository)}** on \`${md(current.ref)}\` now reaches **${md(levelName(current.reached))}** (was ${md(levelName(before))}; ${md(levelName(current.required))} required), as of commit ${commit}.`,
    "",
  ];
  const rules = failing(current);
  if (rules.length > 0) {
    lines.push("### What to fix", "", "| Rule | Level | What to do |", "| --- | --- | --- |");
    for (const rule of rules) {
      const first = rule.findings?.[0];
      const where = first?.path ? `\`${md(first.path)}${first.line ? `:${first.line}` : ""}\` ` : "";
      const finding = first ? `${where}${md(clip(first.message, 300))}${(rule.findingCount ?? rule.findings?.length ?? 0) > 1 ? ` (+${(rule.findingCount ?? rule.findings!.length) - 1} more)` : ""}` : md(clip(rule.reason ?? rule.status, 300));
      const fix = rule.fix ? `<br>**Fix:** ${md(clip(rule.fix, 300))}` : "";
      lines.push(`| ${md(rule.id)} | ${md(rule.level)} | ${finding}${fix} |`);
    }
    lines.push("");
  }
  if (context.checkRunUrl) lines.push(`The [readiness check run](${context.checkRunUrl}) has every finding.`, "");
  if (context.mention.length > 0) lines.push(`Owners: ${context.mention.map((name) => (name.startsWith("@") ? name : `@${name}`)).join(" ")}`, "");
  lines.push("This issue is kept up to date by readiness-bot and closed when the level is back. Run `readiness check --branch` locally to see the same verdict.");
  return { title: alertTitle(before, current), body: lines.join("\n") };
}

export function renderRecoveryComment(current: Standing): string {
  return `✅ Readiness is back: **${md(levelName(current.reached))}** reached (${md(levelName(current.required))} required) as of commit \`${shortSha(current.sha)}\`. Closing.`;
}

export function renderRiseComment(previous: Standing, current: Standing): string {
  return `⬆️ Readiness rose from ${md(levelName(previous.reached))} to **${md(levelName(current.reached))}** as of commit \`${shortSha(current.sha)}\`; ${md(levelName(current.required))} is required.`;
}

/** A Slack-compatible incoming-webhook message: the same content, in one short text. */
export function renderChatMessage(kind: "dropped" | "below-required" | "rose" | "recovered", previous: Standing | undefined, current: Standing, issueUrl?: string): { readonly text: string } {
  const from = levelName(previous?.reached ?? null);
  const to = levelName(current.reached);
  const blocking = failing(current).map((rule) => rule.id);
  const head = {
    dropped: `Readiness of ${current.repository} dropped: ${from} → ${to}`,
    "below-required": `Readiness of ${current.repository} is below the required level: ${to} reached, ${levelName(current.required)} required`,
    rose: `Readiness of ${current.repository} rose: ${from} → ${to}`,
    recovered: `Readiness of ${current.repository} is back: ${to} reached`,
  }[kind];
  const why = kind === "dropped" || kind === "below-required" ? (blocking.length > 0 ? ` (failing: ${blocking.slice(0, 5).join(", ")}${blocking.length > 5 ? ", …" : ""})` : "") : "";
  const text = `${head}${why} at ${shortSha(current.sha)}${issueUrl ? ` — ${issueUrl}` : ""}`;
  return { text: plain(text) };
}
