/**
 * The tables as Kysely sees them. Whole numbers that can pass 2^31 (GitHub ids) are BIGINT: `pg`
 * returns those as strings, so reads convert them with `Number` (GitHub ids stay below 2^53).
 */
import type { ColumnType, Generated } from "kysely";

type BigId = ColumnType<number | string, number, number>;
type NullableBigId = ColumnType<number | string | null, number | null, number | null>;

export interface EvaluationsTable {
  id: Generated<number | string>;
  installation_id: BigId;
  owner: string;
  repo: string;
  subject_kind: string;
  subject_key: string;
  head_sha: string;
  base_sha: string | null;
  outcome: string;
  level_reached: string | null;
  level_required: string | null;
  /** The rule statuses as JSON text (one shape for both databases). */
  rules: string;
  reason: string;
  delivery_id: string | null;
  duration_ms: number;
  api_requests: number;
  error: string | null;
  evaluated_at: string;
  ref: string | null;
  /** JSON array of owner names, or null. */
  owners: string | null;
  visibility: string | null;
  /** A RecordedTarget as JSON text, or null (migration 006). */
  level_target: string | null;
  /** JSON array of RecordedComponent, or null (no components). */
  components: string | null;
}

export interface PendingGroupsTable {
  installation_id: BigId;
  owner: string;
  repo: string;
  pull_number: number;
  group_head_sha: string;
  group_base_sha: string;
  base: string;
  pull_head_sha: string;
  created_at: string;
  expires_at: string;
}

export interface PublicationsTable {
  subject_key: string;
  head_sha: string;
  installation_id: BigId;
  owner: string;
  repo: string;
  check_run_id: NullableBigId;
  check_digest: string | null;
  comment_id: NullableBigId;
  comment_digest: string | null;
  updated_at: string;
}

export interface BookkeepingTable {
  key: string;
  value: string;
  etag: string | null;
  updated_at: string;
}

/** The append-only audit log of decisions (migration 003). */
export interface DecisionsTable {
  id: Generated<number | string>;
  installation_id: BigId;
  owner: string;
  repo: string;
  kind: string;
  target: string;
  actor: string;
  reason: string;
  pull_number: number | null;
  issue_number: number;
  sha: string | null;
  until_push: number;
  expires_at: string | null;
  comment_id: BigId;
  comment_url: string;
  created_at: string;
}

/** Each repository's newest branch record, outcome "error" passed over (migration 005). */
export interface BranchStandingsTable {
  owner: string;
  repo: string;
  evaluation_id: BigId;
  evaluated_at: string;
}

/** Each repository's last branch record of each UTC day, outcome "error" passed over (migration 005). */
export interface BranchDailyLevelsTable {
  owner: string;
  repo: string;
  /** `2026-03-01`: the first ten characters of `evaluated_at`. */
  day: string;
  installation_id: BigId;
  evaluation_id: BigId;
  evaluated_at: string;
  level_reached: string | null;
  level_required: string | null;
}

export interface StateDatabase {
  evaluations: EvaluationsTable;
  pending_groups: PendingGroupsTable;
  publications: PublicationsTable;
  bookkeeping: BookkeepingTable;
  decisions: DecisionsTable;
  branch_standings: BranchStandingsTable;
  branch_daily_levels: BranchDailyLevelsTable;
}

export type SqlDialectName = "sqlite" | "postgres";
