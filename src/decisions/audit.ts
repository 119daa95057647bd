/**
 * The audit log of decisions for auditors: CSV and JSON exports and the rows the dashboard's audit
 * view shows. Pure: given the entries the state store returned, oldest first.
 */
import type { StoredDecision } from "../state/types.js";

export const AUDIT_COLUMNS = ["id", "created_at", "repository", "kind", "target", "actor", "reason", "pull_number", "issue_number", "sha", "until_push", "expires_at", "comment_url"] as const;

export interface AuditRow {
  readonly id: number;
  readonly createdAt: string;
  readonly repository: string;
  readonly kind: StoredDecision["kind"];
  readonly target: string;
  readonly actor: string;
  readonly reason: string;
  readonly pullNumber: number | null;
  readonly issueNumber: number;
  readonly sha: string | null;
  readonly untilPush: boolean;
  readonly expiresAt: string | null;
  readonly commentUrl: string;
}

export function auditRows(entries: readonly StoredDecision[]): AuditRow[] {
  return entries.map((entry) => ({
    id: entry.id,
    createdAt: entry.createdAt,
    repository: `${entry.owner}/${entry.repo}`,
    kind: entry.kind,
    target: entry.target,
    actor: entry.actor,
    reason: entry.reason,
    pullNumber: entry.pullNumber ?? null,
    issueNumber: entry.issueNumber,
    sha: entry.sha ?? null,
    untilPush: entry.untilPush === true,
    expiresAt: entry.expiresAt ?? null,
    commentUrl: entry.commentUrl,
  }));
}

/** The export as JSON: `{ "decisions": [...] }`, one object per entry, every field present. */
export function auditJson(entries: readonly StoredDecision[]): string {
  return `${JSON.stringify({ decisions: auditRows(entries) }, null, 2)}\n`;
}

/**
 * RFC 4180 CSV with a header. A cell starting with =, +, - or @ is prefixed with a quote mark so
 * a spreadsheet shows a reason as text instead of running it as a formula.
 */
export function auditCsv(entries: readonly StoredDecision[]): string {
  const cell = (value: string | number | boolean | null): string => {
    let text = value === null ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = auditRows(entries).map((row) =>
    [row.id, row.createdAt, row.repository, row.kind, row.target, row.actor, row.reason, row.pullNumber, row.issueNumber, row.sha, row.untilPush, row.expiresAt, row.commentUrl].map(cell).join(","),
  );
  return `${[AUDIT_COLUMNS.join(","), ...lines].join("\r\n")}\r\n`;
}
