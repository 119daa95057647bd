/**
 * The state store port: what the service must not keep only in memory. Evaluation records (the
 * scorecard, dashboard, alerts and metrics read these, never GitHub), merge groups whose verdict
 * waits on CI, what was published for a subject (so a restart or a second replica never posts a
 * second check run or comment), and reconciliation bookkeeping. Implementations: in memory (unit
 * tests), SQLite (default, one file) and Postgres (`DATABASE_URL`), the last two through one query
 * builder and one set of migrations.
 *
 * Contract for every implementation: methods are safe to call concurrently from several
 * processes sharing one database; times are ISO-8601 strings in UTC; nothing here reads the clock
 * (callers pass `now`).
 */

/** What is judged. New kinds (a branch, a deployment) are added here and nowhere else in this port. */
export type SubjectKind = "pull" | "merge-group" | "branch" | "deployment";

export interface RepositoryKey {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
}

/**
 * A stable, lower-case key for one subject: `pull:owner/repo#12`, `merge-group:owner/repo@<sha>`,
 * `branch:owner/repo:main`, `deployment:owner/repo:<id>`. Built by `subjectKey` in src/jobs.
 */
export type SubjectKey = string;

/** How an evaluation ended, as recorded. */
export type RecordedOutcome =
  | "success"
  | "failure"
  | "neutral"
  | "pending"
  | "invalid-config"
  | "no-config"
  /** The evaluation could not be computed (GitHub unreachable, budget exceeded ...): retried. */
  | "error";

/** One finding as recorded: what the dashboard shows (rules never put a secret in a finding). */
export interface RecordedFinding {
  readonly message: string;
  readonly path?: string;
  readonly line?: number;
  readonly severity?: "failure" | "warning" | "notice";
}

/** At most this many findings are kept per rule in a record, each message at most 500 characters. */
export const RECORDED_FINDINGS_LIMIT = 20;

export interface RecordedRule {
  readonly id: string;
  readonly level: string;
  readonly blocking: boolean;
  readonly status: string;
  /** The monorepo component whose checklist judged it; absent: the repository's own. */
  readonly component?: string;
  /** The rule's area (security, reliability ...); absent in records written before it was kept. */
  readonly area?: string;
  /** The verdict's one-sentence reason, when it gave one. */
  readonly reason?: string;
  /** How to fix a failure, one line. */
  readonly fix?: string;
  /** The first RECORDED_FINDINGS_LIMIT findings. */
  readonly findings?: readonly RecordedFinding[];
  /** How many findings there were in all (more than `findings` holds when it was cut). */
  readonly findingCount?: number;
}

/**
 * A dated target still ahead when the evaluation ran (`level: { required, from, until-then }`):
 * the level that becomes required on `from`, whether the evaluated commit reaches it already,
 * and the rules at or below it that are not satisfied. Days left are not stored: whoever shows
 * the target counts them from its own clock.
 */
export interface RecordedTarget {
  readonly level: string;
  /** "YYYY-MM-DD": required from 00:00 UTC that day. */
  readonly from: string;
  readonly met: boolean;
  /** Rule ids, in configuration order. */
  readonly missing: readonly string[];
}

export interface EvaluationRecord extends RepositoryKey {
  readonly subjectKind: SubjectKind;
  readonly subjectKey: SubjectKey;
  readonly headSha: string;
  readonly baseSha?: string;
  readonly outcome: RecordedOutcome;
  readonly levelReached: string | null;
  readonly levelRequired: string | null;
  readonly rules: readonly RecordedRule[];
  /** Why it ran: the event and action, "reconcile", "push-fanout", "rerequest" ... */
  readonly reason: string;
  readonly deliveryId?: string;
  /** Recorded in whole milliseconds (rounded). */
  readonly durationMs: number;
  readonly apiRequests: number;
  /** For outcome "error": what went wrong, in words safe to show (never a secret or payload). */
  readonly error?: string;
  readonly evaluatedAt: string;
  /** The branch (or ref) evaluated, for a branch or deployment subject ("main"). */
  readonly ref?: string;
  /** CODEOWNERS root owners at the evaluated commit ("@acme/sre", "@lead"), when known. */
  readonly owners?: readonly string[];
  /** The repository's visibility when evaluated; only a public repository's badge is public. */
  readonly visibility?: "public" | "private" | "internal";
  /** A dated target still ahead on the day of the evaluation; absent when none was configured or its day had come. */
  readonly target?: RecordedTarget;
  /** With `components:` in the configuration: each component judged, with its own level. */
  readonly components?: readonly RecordedComponent[];
}

/** One monorepo component's result in a record. */
export interface RecordedComponent {
  readonly name: string;
  readonly reached: string | null;
  readonly required: string;
  /** success, failure, neutral or pending. */
  readonly conclusion: string;
}

export interface StoredEvaluation extends EvaluationRecord {
  readonly id: number;
}

export interface EvaluationQuery {
  readonly owner?: string;
  readonly repo?: string;
  readonly subjectKind?: SubjectKind;
  readonly subjectKey?: SubjectKey;
  readonly headSha?: string;
  /** Newest first; default 100. */
  readonly limit?: number;
}

/** One repository's branch records, newest first (the scorecard's level history). */
export interface BranchHistoryQuery {
  /** As recorded (the dashboard takes them from `latestBranchEvaluations`). */
  readonly owner: string;
  readonly repo: string;
  /** Only records evaluated at or after this time. */
  readonly since?: string;
  /** Default 100. */
  readonly limit?: number;
}

/** A repository's standing on one UTC day: the level of its last branch record that day. */
export interface DailyBranchLevel {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  /** `2026-03-01` (UTC). */
  readonly day: string;
  readonly levelReached: string | null;
  readonly levelRequired: string | null;
}

/** A merge group whose posted verdict is pending on CI of the queued pull request. */
export interface PendingGroupRecord extends RepositoryKey {
  readonly pullNumber: number;
  /** The group's head commit (where its check run is). */
  readonly groupHeadSha: string;
  readonly groupBaseSha: string;
  /** The branch the queue merges into. */
  readonly base: string;
  /** The pull request's head commit when it was queued. */
  readonly pullHeadSha: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/**
 * What this app published for one subject at one head commit: the check run and comment ids and a
 * digest of their content, so an unchanged verdict costs no write and nothing is created twice.
 */
export interface PublicationRecord extends RepositoryKey {
  readonly subjectKey: SubjectKey;
  readonly headSha: string;
  readonly checkRunId?: number;
  readonly checkDigest?: string;
  readonly commentId?: number;
  readonly commentDigest?: string;
  readonly updatedAt: string;
}

/** A named value with an optional ETag, for reconciliation's conditional listings and cursors. */
export interface BookkeepingEntry {
  readonly key: string;
  readonly value: string;
  readonly etag?: string;
  readonly updatedAt: string;
}

/** What a person decided with a command: waive or unwaive a rule for a pull request, attest an item. */
export type DecisionKind = "waive" | "unwaive" | "attest";

/**
 * One entry of the append-only audit log of decisions: who, what, when, why, on which commit, from
 * which comment. Entries are never changed or deleted; what is in force is read from them (the
 * newest waive or unwaive of a rule on a pull request, the newest attestation of an item).
 */
export interface DecisionRecord extends RepositoryKey {
  readonly kind: DecisionKind;
  /** The rule (waive, unwaive) or the attestation item (attest). */
  readonly target: string;
  /** Login of the person who commented the command. */
  readonly actor: string;
  /** The reason (waive), the evidence (attest); "" for unwaive. */
  readonly reason: string;
  /** The pull request a waiver applies to; absent for an attestation made on an issue. */
  readonly pullNumber?: number;
  /** The issue or pull request the command was commented on. */
  readonly issueNumber: number;
  /** The commit the decision was taken on: the pull request's head, or the default branch's. */
  readonly sha?: string;
  /** `--until-push`: the waiver holds only while the pull request's head is `sha`. */
  readonly untilPush?: boolean;
  /** `--for`: when the waiver stops applying. */
  readonly expiresAt?: string;
  readonly commentId: number;
  readonly commentUrl: string;
  readonly createdAt: string;
}

export interface StoredDecision extends DecisionRecord {
  readonly id: number;
}

export interface DecisionQuery {
  readonly owner: string;
  readonly repo: string;
  readonly kind?: DecisionKind;
  readonly pullNumber?: number;
  /** Only entries created at or after this time. */
  readonly since?: string;
}

export interface StateStore {
  /** Creates or upgrades the schema; idempotent, safe when several processes start together. */
  migrate(): Promise<void>;

  recordEvaluation(record: EvaluationRecord): Promise<StoredEvaluation>;
  /** The newest record of one subject (optionally at one head commit). */
  latestEvaluation(subjectKey: SubjectKey, headSha?: string): Promise<StoredEvaluation | undefined>;
  listEvaluations(query: EvaluationQuery): Promise<StoredEvaluation[]>;

  /**
   * The scorecard: the newest branch record of every repository (the app evaluates only the
   * default branch, so this is the default branch's standing), ordered by owner then repo.
   * Records with outcome "error" hold no standing and are passed over. With `before`, the
   * standing just before that time (exclusive).
   */
  latestBranchEvaluations(options?: { readonly before?: string }): Promise<StoredEvaluation[]>;
  /** One repository's branch records, newest first, including those with outcome "error". */
  branchHistory(query: BranchHistoryQuery): Promise<StoredEvaluation[]>;
  /**
   * For each repository and each UTC day in [from, to) on which it has branch records (outcome
   * "error" passed over), the levels of the day's last record; ordered by day, owner, repo.
   */
  dailyBranchLevels(from: string, to: string): Promise<DailyBranchLevel[]>;

  savePendingGroup(group: PendingGroupRecord): Promise<void>;
  pendingGroupFor(repository: RepositoryKey, pullNumber: number, now: string): Promise<PendingGroupRecord | undefined>;
  deletePendingGroup(repository: RepositoryKey, pullNumber: number, groupHeadSha?: string): Promise<void>;
  /** Removes groups past `expiresAt`; returns how many. */
  expirePendingGroups(now: string): Promise<number>;

  publication(subjectKey: SubjectKey, headSha: string): Promise<PublicationRecord | undefined>;
  /** Inserts or merges the given fields into the record for (subjectKey, headSha). */
  savePublication(record: PublicationRecord): Promise<void>;

  /** Appends one entry to the audit log of decisions. */
  appendDecision(record: DecisionRecord): Promise<StoredDecision>;
  /** Entries of one repository, oldest first (time, then insertion). */
  listDecisions(query: DecisionQuery): Promise<StoredDecision[]>;

  getBookkeeping(key: string): Promise<BookkeepingEntry | undefined>;
  setBookkeeping(entry: BookkeepingEntry): Promise<void>;
  /**
   * Compare-and-set: writes `next` only while the entry's value is still `expected` (undefined:
   * while there is no entry). True when this call wrote it; of several processes claiming the
   * same value at once, exactly one wins (a periodic sweep run by one replica only).
   */
  claimBookkeeping(expected: string | undefined, next: BookkeepingEntry): Promise<boolean>;
  /** Entries whose key starts with `prefix` (exactly, case-sensitive), least recently updated first, at most `limit`. */
  listBookkeeping(prefix: string, limit: number): Promise<BookkeepingEntry[]>;
  /** Removes the entry, when there is one. */
  deleteBookkeeping(key: string): Promise<void>;

  close(): Promise<void>;
}
