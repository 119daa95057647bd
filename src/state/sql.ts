/**
 * The state store on SQL through Kysely: one implementation and one set of migrations for SQLite
 * (the default, one file) and Postgres (`DATABASE_URL`). Every write is a single statement
 * (inserts, upserts with ON CONFLICT, deletes), so concurrent writers from several processes
 * never lose each other's fields; the one exception, a branch record with the summaries it
 * updates, is one transaction, on SQLite run synchronously so it is never held across an await.
 */
import Database from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type CompiledQuery, type Selectable } from "kysely";
import pg from "pg";
import { migrationProvider } from "./migrations/index.js";
import { evaluationLimit, normaliseTime } from "./records.js";
import type { DecisionsTable, EvaluationsTable, PendingGroupsTable, PublicationsTable, SqlDialectName, StateDatabase } from "./schema.js";
import type {
  BookkeepingEntry,
  DecisionKind,
  DecisionQuery,
  DecisionRecord,
  StoredDecision,
  BranchHistoryQuery,
  DailyBranchLevel,
  EvaluationQuery,
  EvaluationRecord,
  PendingGroupRecord,
  PublicationRecord,
  RecordedComponent,
  RecordedOutcome,
  RecordedRule,
  RecordedTarget,
  RepositoryKey,
  StateStore,
  StoredEvaluation,
  SubjectKey,
  SubjectKind,
} from "./types.js";

/** How long a SQLite writer waits for another process's write lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** How long `migrate` waits for another process that is migrating the same SQLite file. */
const SQLITE_MIGRATION_WAIT_MS = 60_000;
const SQLITE_MIGRATION_POLL_MS = 20;

function optional<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

function optionalNumber(value: number | string | null): number | undefined {
  return value === null ? undefined : Number(value);
}

/** Drops keys whose value is undefined, so a read record has exactly the fields that were set. */
function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

function parseRules(text: string, id: number): RecordedRule[] {
  try {
    const rules: unknown = JSON.parse(text);
    if (Array.isArray(rules)) return rules as RecordedRule[];
  } catch {
    // reported below
  }
  throw new Error(`state store: evaluation ${id} has unreadable rule statuses (not a JSON array)`);
}

function parseOwners(text: string | null): string[] | undefined {
  if (text === null) return undefined;
  try {
    const owners: unknown = JSON.parse(text);
    if (Array.isArray(owners)) return owners.filter((owner): owner is string => typeof owner === "string");
  } catch {
    // an unreadable list is treated as not recorded
  }
  return undefined;
}

function parseTarget(text: string | null): RecordedTarget | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<RecordedTarget> | null;
    if (value && typeof value.level === "string" && typeof value.from === "string" && typeof value.met === "boolean" && Array.isArray(value.missing)) {
      return { level: value.level, from: value.from, met: value.met, missing: value.missing.filter((id): id is string => typeof id === "string") };
    }
  } catch {
    // an unreadable target is treated as not recorded
  }
  return undefined;
}

/** Components as recorded; an unreadable list is treated as not recorded. */
function parseComponents(text: string | null | undefined): RecordedComponent[] | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    const components: unknown = JSON.parse(text);
    if (Array.isArray(components)) return components.filter((c): c is RecordedComponent => typeof c === "object" && c !== null && typeof (c as { name?: unknown }).name === "string");
  } catch {
    // not recorded
  }
  return undefined;
}

function toStoredEvaluation(row: Selectable<EvaluationsTable>): StoredEvaluation {
  const id = Number(row.id);
  return defined({
    id,
    installationId: Number(row.installation_id),
    owner: row.owner,
    repo: row.repo,
    subjectKind: row.subject_kind as SubjectKind,
    subjectKey: row.subject_key,
    headSha: row.head_sha,
    baseSha: optional(row.base_sha),
    outcome: row.outcome as RecordedOutcome,
    levelReached: row.level_reached,
    levelRequired: row.level_required,
    rules: parseRules(row.rules, id),
    reason: row.reason,
    deliveryId: optional(row.delivery_id),
    durationMs: row.duration_ms,
    apiRequests: row.api_requests,
    error: optional(row.error),
    evaluatedAt: row.evaluated_at,
    ref: optional(row.ref),
    owners: parseOwners(row.owners),
    visibility: optional(row.visibility) as EvaluationRecord["visibility"],
    target: parseTarget(row.level_target ?? null),
    components: parseComponents(row.components),
  });
}

function toPendingGroup(row: Selectable<PendingGroupsTable>): PendingGroupRecord {
  return {
    installationId: Number(row.installation_id),
    owner: row.owner,
    repo: row.repo,
    pullNumber: row.pull_number,
    groupHeadSha: row.group_head_sha,
    groupBaseSha: row.group_base_sha,
    base: row.base,
    pullHeadSha: row.pull_head_sha,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

function toPublication(row: Selectable<PublicationsTable>): PublicationRecord {
  return defined({
    installationId: Number(row.installation_id),
    owner: row.owner,
    repo: row.repo,
    subjectKey: row.subject_key,
    headSha: row.head_sha,
    checkRunId: optionalNumber(row.check_run_id),
    checkDigest: optional(row.check_digest),
    commentId: optionalNumber(row.comment_id),
    commentDigest: optional(row.comment_digest),
    updatedAt: row.updated_at,
  });
}

function toDecision(row: Selectable<DecisionsTable>): StoredDecision {
  return defined({
    id: Number(row.id),
    installationId: Number(row.installation_id),
    owner: row.owner,
    repo: row.repo,
    kind: row.kind as DecisionKind,
    target: row.target,
    actor: row.actor,
    reason: row.reason,
    pullNumber: optional(row.pull_number),
    issueNumber: row.issue_number,
    sha: optional(row.sha),
    untilPush: row.until_push === 1 ? true : undefined,
    expiresAt: optional(row.expires_at),
    commentId: Number(row.comment_id),
    commentUrl: row.comment_url,
    createdAt: row.created_at,
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byRepository(a: StoredEvaluation, b: StoredEvaluation): number {
  return compareText(a.owner, b.owner) || compareText(a.repo, b.repo);
}

/** Ids per `in (...)` list: below SQLite's and Postgres's bound parameter limits. */
const SQL_IN_LIST_CHUNK = 500;
/** The time of day of a UTC midnight in the stored ISO form. */
const MIDNIGHT = "00:00:00.000Z";

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T${MIDNIGHT}`) + 86_400_000).toISOString().slice(0, 10);
}

function toDailyLevel(row: {
  installation_id: number | string;
  owner: string;
  repo: string;
  day: string;
  level_reached: string | null;
  level_required: string | null;
}): DailyBranchLevel {
  return {
    installationId: Number(row.installation_id),
    owner: row.owner,
    repo: row.repo,
    day: row.day,
    levelReached: row.level_reached,
    levelRequired: row.level_required,
  };
}

/** A write that runs through Kysely (Postgres) or compiled onto better-sqlite3 (SQLite). */
interface Compilable {
  compile(): CompiledQuery;
  execute(): Promise<unknown>;
}

/**
 * Moves a repository's standing and its day's level to a new branch record, unless a record
 * already summarised is newer (later time, or the same time and a later id), as records from
 * several processes can land out of order.
 */
function branchSummaryWrites(db: Kysely<StateDatabase>, record: EvaluationRecord, id: number): Compilable[] {
  const newer = (table: "branch_standings" | "branch_daily_levels") =>
    sql<boolean>`excluded.evaluated_at > ${sql.ref(`${table}.evaluated_at`)} or (excluded.evaluated_at = ${sql.ref(`${table}.evaluated_at`)} and excluded.evaluation_id > ${sql.ref(`${table}.evaluation_id`)})`;
  const standing = db
    .insertInto("branch_standings")
    .values({ owner: record.owner, repo: record.repo, evaluation_id: id, evaluated_at: record.evaluatedAt })
    .onConflict((oc) =>
      oc
        .columns(["owner", "repo"])
        .doUpdateSet((eb) => ({ evaluation_id: eb.ref("excluded.evaluation_id"), evaluated_at: eb.ref("excluded.evaluated_at") }))
        .where(newer("branch_standings")),
    );
  const daily = db
    .insertInto("branch_daily_levels")
    .values({
      owner: record.owner,
      repo: record.repo,
      day: record.evaluatedAt.slice(0, 10),
      installation_id: record.installationId,
      evaluation_id: id,
      evaluated_at: record.evaluatedAt,
      level_reached: record.levelReached,
      level_required: record.levelRequired,
    })
    .onConflict((oc) =>
      oc
        .columns(["owner", "repo", "day"])
        .doUpdateSet((eb) => ({
          installation_id: eb.ref("excluded.installation_id"),
          evaluation_id: eb.ref("excluded.evaluation_id"),
          evaluated_at: eb.ref("excluded.evaluated_at"),
          level_reached: eb.ref("excluded.level_reached"),
          level_required: eb.ref("excluded.level_required"),
        }))
        .where(newer("branch_daily_levels")),
    );
  return [standing, daily];
}

export interface SqlStateStoreOptions {
  readonly dialect: SqlDialectName;
  readonly db: Kysely<StateDatabase>;
  /** Postgres only: the schema holding the tables (tests use one per store). */
  readonly schema?: string;
  /** SQLite only: the open database, for the migration lock. */
  readonly sqlite?: Database.Database;
}

export class SqlStateStore implements StateStore {
  readonly dialect: SqlDialectName;
  private readonly db: Kysely<StateDatabase>;
  private readonly schema: string | undefined;
  private readonly sqlite: Database.Database | undefined;

  constructor(options: SqlStateStoreOptions) {
    this.dialect = options.dialect;
    this.db = options.db;
    this.schema = options.schema;
    this.sqlite = options.sqlite;
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.db,
      provider: migrationProvider(this.dialect),
      ...(this.schema === undefined ? {} : { migrationTableSchema: this.schema }),
    });
    // Postgres: Kysely's migrator holds an advisory lock. SQLite: it takes none, so the whole
    // migration runs in one IMMEDIATE transaction that other processes wait for.
    const run = async () => {
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === "Error")?.migrationName;
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`state store: migration ${failed ?? "(setup)"} failed on ${this.dialect}: ${reason}`, { cause: error });
      }
    };
    if (this.sqlite) await this.withSqliteWriteLock(this.sqlite, run);
    else await run();
  }

  /**
   * Waits for the write lock without blocking the event loop (better-sqlite3 waits synchronously
   * in its busy handler, which would stall another store of this process that holds the lock).
   */
  private async withSqliteWriteLock(sqlite: Database.Database, run: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + SQLITE_MIGRATION_WAIT_MS;
    sqlite.pragma("busy_timeout = 0");
    try {
      for (;;) {
        try {
          sqlite.exec("BEGIN IMMEDIATE");
          break;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, SQLITE_MIGRATION_POLL_MS));
        }
      }
    } finally {
      sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    }
    try {
      await run();
      sqlite.exec("COMMIT");
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw error;
    }
  }

  async recordEvaluation(record: EvaluationRecord): Promise<StoredEvaluation> {
    const evaluatedAt = normaliseTime(record.evaluatedAt, "evaluatedAt");
    const insert = (db: Kysely<StateDatabase>) =>
      db
        .insertInto("evaluations")
        .values({
          installation_id: record.installationId,
          owner: record.owner,
          repo: record.repo,
          subject_kind: record.subjectKind,
          subject_key: record.subjectKey,
          head_sha: record.headSha,
          base_sha: record.baseSha ?? null,
          outcome: record.outcome,
          level_reached: record.levelReached,
          level_required: record.levelRequired,
          rules: JSON.stringify(record.rules),
          reason: record.reason,
          delivery_id: record.deliveryId ?? null,
          duration_ms: Math.round(record.durationMs),
          api_requests: record.apiRequests,
          error: record.error ?? null,
          evaluated_at: evaluatedAt,
          ref: record.ref ?? null,
          owners: record.owners === undefined ? null : JSON.stringify(record.owners),
          visibility: record.visibility ?? null,
          level_target: record.target === undefined ? null : JSON.stringify(record.target),
          components: record.components === undefined ? null : JSON.stringify(record.components),
        })
        .returning("id");
    const summaries = (db: Kysely<StateDatabase>, id: number) =>
      record.subjectKind === "branch" && record.outcome !== "error" ? branchSummaryWrites(db, { ...record, evaluatedAt }, id) : [];
    // The record and the summaries it changes land together or not at all. On SQLite the
    // transaction runs synchronously, so it is never held across an await (a second store of
    // this process waiting for the lock would block the event loop that has to release it).
    let id: number;
    const sqlite = this.sqlite;
    if (sqlite) {
      const inserting = insert(this.db).compile();
      id = sqlite.transaction(() => {
        const row = sqlite.prepare(inserting.sql).get(...inserting.parameters) as { id: number };
        for (const write of summaries(this.db, row.id)) {
          const compiled = write.compile();
          sqlite.prepare(compiled.sql).run(...compiled.parameters);
        }
        return Number(row.id);
      }).immediate();
    } else {
      id = await this.db.transaction().execute(async (trx) => {
        const row = await insert(trx).executeTakeFirstOrThrow();
        for (const write of summaries(trx, Number(row.id))) await write.execute();
        return Number(row.id);
      });
    }
    return defined({
      ...record,
      rules: record.rules.map((rule) => ({ ...rule })),
      durationMs: Math.round(record.durationMs),
      evaluatedAt,
      id: Number(id),
    });
  }

  async latestEvaluation(subjectKey: SubjectKey, headSha?: string): Promise<StoredEvaluation | undefined> {
    const [newest] = await this.listEvaluations({ subjectKey, headSha, limit: 1 });
    return newest;
  }

  async listEvaluations(query: EvaluationQuery): Promise<StoredEvaluation[]> {
    const limit = evaluationLimit(query);
    let select = this.db.selectFrom("evaluations").selectAll();
    if (query.owner !== undefined) select = select.where("owner", "=", query.owner);
    if (query.repo !== undefined) select = select.where("repo", "=", query.repo);
    if (query.subjectKind !== undefined) select = select.where("subject_kind", "=", query.subjectKind);
    if (query.subjectKey !== undefined) select = select.where("subject_key", "=", query.subjectKey);
    if (query.headSha !== undefined) select = select.where("head_sha", "=", query.headSha);
    const rows = await select.orderBy("evaluated_at", "desc").orderBy("id", "desc").limit(limit).execute();
    return rows.map(toStoredEvaluation);
  }

  async latestBranchEvaluations(options: { readonly before?: string } = {}): Promise<StoredEvaluation[]> {
    if (options.before !== undefined) return this.branchStandingsBefore(normaliseTime(options.before, "before"));
    const rows = await this.db
      .selectFrom("branch_standings")
      .innerJoin("evaluations", "evaluations.id", "branch_standings.evaluation_id")
      .selectAll("evaluations")
      .execute();
    // Sorted here, not in SQL: Postgres collations would order names differently from SQLite.
    return rows.map(toStoredEvaluation).sort(byRepository);
  }

  /**
   * The newest record before `before` is either on that instant's own UTC day (few records, read
   * from `evaluations`) or the last record of an earlier day (read from `branch_daily_levels`).
   */
  private async branchStandingsBefore(before: string): Promise<StoredEvaluation[]> {
    const dayStart = `${before.slice(0, 10)}T00:00:00.000Z`;
    const [sameDay, earlierDays] = await Promise.all([
      this.db
        .selectFrom("evaluations")
        .select(["id", "owner", "repo", "evaluated_at"])
        .where("subject_kind", "=", "branch")
        .where("outcome", "<>", "error")
        .where("evaluated_at", ">=", dayStart)
        .where("evaluated_at", "<", before)
        .execute(),
      // One index seek per repository: its last summarised day before that instant's day.
      this.db
        .selectFrom("branch_standings as standing")
        .select((eb) => [
          "standing.owner",
          "standing.repo",
          eb
            .selectFrom("branch_daily_levels as daily")
            .select("daily.evaluation_id")
            .whereRef("daily.owner", "=", "standing.owner")
            .whereRef("daily.repo", "=", "standing.repo")
            .where("daily.day", "<", before.slice(0, 10))
            .orderBy("daily.day", "desc")
            .limit(1)
            .as("id"),
          eb
            .selectFrom("branch_daily_levels as daily")
            .select("daily.evaluated_at")
            .whereRef("daily.owner", "=", "standing.owner")
            .whereRef("daily.repo", "=", "standing.repo")
            .where("daily.day", "<", before.slice(0, 10))
            .orderBy("daily.day", "desc")
            .limit(1)
            .as("evaluated_at"),
        ])
        .execute(),
    ]);
    const newest = new Map<string, { id: number; evaluatedAt: string }>();
    for (const row of [...earlierDays, ...sameDay]) {
      if (row.id === null || row.evaluated_at === null) continue;
      const key = `${row.owner}\u0000${row.repo}`;
      const candidate = { id: Number(row.id), evaluatedAt: row.evaluated_at };
      const held = newest.get(key);
      if (!held || candidate.evaluatedAt > held.evaluatedAt || (candidate.evaluatedAt === held.evaluatedAt && candidate.id > held.id)) {
        newest.set(key, candidate);
      }
    }
    if (newest.size === 0) return [];
    const ids = [...newest.values()].map((entry) => entry.id);
    const rows: Selectable<EvaluationsTable>[] = [];
    for (let at = 0; at < ids.length; at += SQL_IN_LIST_CHUNK) {
      rows.push(...(await this.db.selectFrom("evaluations").selectAll().where("id", "in", ids.slice(at, at + SQL_IN_LIST_CHUNK)).execute()));
    }
    return rows.map(toStoredEvaluation).sort(byRepository);
  }

  async branchHistory(query: BranchHistoryQuery): Promise<StoredEvaluation[]> {
    const limit = evaluationLimit(query);
    const since = query.since === undefined ? undefined : normaliseTime(query.since, "since");
    const rows = await this.db
      .selectFrom("evaluations")
      .selectAll()
      .where("subject_kind", "=", "branch")
      .where("owner", "=", query.owner)
      .where("repo", "=", query.repo)
      .$if(since !== undefined, (q) => q.where("evaluated_at", ">=", since!))
      .orderBy("evaluated_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map(toStoredEvaluation);
  }

  async dailyBranchLevels(from: string, to: string): Promise<DailyBranchLevel[]> {
    const start = normaliseTime(from, "from");
    const end = normaliseTime(to, "to");
    // Whole UTC days inside [from, to) are read from the summary; a day the range only partly
    // covers is ranked from its records, since its last record may fall outside the range.
    const firstWholeDay = start.slice(11) === MIDNIGHT ? start.slice(0, 10) : nextDay(start.slice(0, 10));
    const endDay = end.slice(0, 10);
    let levels: DailyBranchLevel[];
    if (firstWholeDay >= endDay) {
      levels = await this.rankDailyLevels(start, end);
    } else {
      const wholeDays = this.db
        .selectFrom("branch_daily_levels")
        .select(["installation_id", "owner", "repo", "day", "level_reached", "level_required"])
        .where("day", ">=", firstWholeDay)
        .where("day", "<", endDay)
        .execute();
      const wholeStart = `${firstWholeDay}T${MIDNIGHT}`;
      const endDayStart = `${endDay}T${MIDNIGHT}`;
      const [whole, head, tail] = await Promise.all([
        wholeDays,
        start < wholeStart ? this.rankDailyLevels(start, wholeStart) : [],
        endDayStart < end ? this.rankDailyLevels(endDayStart, end) : [],
      ]);
      levels = [...whole.map(toDailyLevel), ...head, ...tail];
    }
    return levels.sort((a, b) => compareText(a.day, b.day) || compareText(a.owner, b.owner) || compareText(a.repo, b.repo));
  }

  /** Each repository's last level of each UTC day within [start, end), ranked from the records. */
  private async rankDailyLevels(start: string, end: string): Promise<DailyBranchLevel[]> {
    // Times are stored in one ISO form, so the first ten characters are the UTC day.
    const day = sql<string>`substr(evaluated_at, 1, 10)`;
    const ranked = this.db
      .selectFrom("evaluations")
      .select([
        "installation_id",
        "owner",
        "repo",
        "level_reached",
        "level_required",
        day.as("day"),
        sql<number>`row_number() over (partition by owner, repo, ${day} order by evaluated_at desc, id desc)`.as("rank"),
      ])
      .where("subject_kind", "=", "branch")
      .where("outcome", "<>", "error")
      .where("evaluated_at", ">=", start)
      .where("evaluated_at", "<", end);
    const rows = await this.db
      .selectFrom(ranked.as("ranked"))
      .select(["installation_id", "owner", "repo", "level_reached", "level_required", "day"])
      .where("rank", "=", 1)
      .execute();
    return rows.map(toDailyLevel);
  }

  async savePendingGroup(group: PendingGroupRecord): Promise<void> {
    const row = {
      installation_id: group.installationId,
      owner: group.owner,
      repo: group.repo,
      pull_number: group.pullNumber,
      group_head_sha: group.groupHeadSha,
      group_base_sha: group.groupBaseSha,
      base: group.base,
      pull_head_sha: group.pullHeadSha,
      created_at: normaliseTime(group.createdAt, "createdAt"),
      expires_at: normaliseTime(group.expiresAt, "expiresAt"),
    };
    await this.db
      .insertInto("pending_groups")
      .values(row)
      .onConflict((oc) =>
        oc.columns(["installation_id", "owner", "repo", "pull_number"]).doUpdateSet((eb) => ({
          group_head_sha: eb.ref("excluded.group_head_sha"),
          group_base_sha: eb.ref("excluded.group_base_sha"),
          base: eb.ref("excluded.base"),
          pull_head_sha: eb.ref("excluded.pull_head_sha"),
          created_at: eb.ref("excluded.created_at"),
          expires_at: eb.ref("excluded.expires_at"),
        })),
      )
      .execute();
  }

  async pendingGroupFor(repository: RepositoryKey, pullNumber: number, now: string): Promise<PendingGroupRecord | undefined> {
    const row = await this.db
      .selectFrom("pending_groups")
      .selectAll()
      .where("installation_id", "=", repository.installationId)
      .where("owner", "=", repository.owner)
      .where("repo", "=", repository.repo)
      .where("pull_number", "=", pullNumber)
      .where("expires_at", ">", normaliseTime(now, "now"))
      .executeTakeFirst();
    return row && toPendingGroup(row);
  }

  async deletePendingGroup(repository: RepositoryKey, pullNumber: number, groupHeadSha?: string): Promise<void> {
    let remove = this.db
      .deleteFrom("pending_groups")
      .where("installation_id", "=", repository.installationId)
      .where("owner", "=", repository.owner)
      .where("repo", "=", repository.repo)
      .where("pull_number", "=", pullNumber);
    if (groupHeadSha !== undefined) remove = remove.where("group_head_sha", "=", groupHeadSha);
    await remove.execute();
  }

  async expirePendingGroups(now: string): Promise<number> {
    const result = await this.db
      .deleteFrom("pending_groups")
      .where("expires_at", "<=", normaliseTime(now, "now"))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async publication(subjectKey: SubjectKey, headSha: string): Promise<PublicationRecord | undefined> {
    const row = await this.db
      .selectFrom("publications")
      .selectAll()
      .where("subject_key", "=", subjectKey)
      .where("head_sha", "=", headSha)
      .executeTakeFirst();
    return row && toPublication(row);
  }

  async savePublication(record: PublicationRecord): Promise<void> {
    await this.db
      .insertInto("publications")
      .values({
        subject_key: record.subjectKey,
        head_sha: record.headSha,
        installation_id: record.installationId,
        owner: record.owner,
        repo: record.repo,
        check_run_id: record.checkRunId ?? null,
        check_digest: record.checkDigest ?? null,
        comment_id: record.commentId ?? null,
        comment_digest: record.commentDigest ?? null,
        updated_at: normaliseTime(record.updatedAt, "updatedAt"),
      })
      .onConflict((oc) =>
        oc.columns(["subject_key", "head_sha"]).doUpdateSet((eb) => ({
          installation_id: eb.ref("excluded.installation_id"),
          owner: eb.ref("excluded.owner"),
          repo: eb.ref("excluded.repo"),
          check_run_id: eb.fn.coalesce("excluded.check_run_id", "publications.check_run_id"),
          check_digest: eb.fn.coalesce("excluded.check_digest", "publications.check_digest"),
          comment_id: eb.fn.coalesce("excluded.comment_id", "publications.comment_id"),
          comment_digest: eb.fn.coalesce("excluded.comment_digest", "publications.comment_digest"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }

  async appendDecision(record: DecisionRecord): Promise<StoredDecision> {
    const createdAt = normaliseTime(record.createdAt, "createdAt");
    const expiresAt = record.expiresAt === undefined ? undefined : normaliseTime(record.expiresAt, "expiresAt");
    const { id } = await this.db
      .insertInto("decisions")
      .values({
        installation_id: record.installationId,
        owner: record.owner,
        repo: record.repo,
        kind: record.kind,
        target: record.target,
        actor: record.actor,
        reason: record.reason,
        pull_number: record.pullNumber ?? null,
        issue_number: record.issueNumber,
        sha: record.sha ?? null,
        until_push: record.untilPush ? 1 : 0,
        expires_at: expiresAt ?? null,
        comment_id: record.commentId,
        comment_url: record.commentUrl,
        created_at: createdAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return defined({ ...record, createdAt, expiresAt, untilPush: record.untilPush ? true : undefined, id: Number(id) });
  }

  async listDecisions(query: DecisionQuery): Promise<StoredDecision[]> {
    let select = this.db.selectFrom("decisions").selectAll().where("owner", "=", query.owner).where("repo", "=", query.repo);
    if (query.kind !== undefined) select = select.where("kind", "=", query.kind);
    if (query.pullNumber !== undefined) select = select.where("pull_number", "=", query.pullNumber);
    if (query.since !== undefined) select = select.where("created_at", ">=", normaliseTime(query.since, "since"));
    const rows = await select.orderBy("created_at", "asc").orderBy("id", "asc").execute();
    return rows.map(toDecision);
  }

  async getBookkeeping(key: string): Promise<BookkeepingEntry | undefined> {
    const row = await this.db.selectFrom("bookkeeping").selectAll().where("key", "=", key).executeTakeFirst();
    return row && defined({ key: row.key, value: row.value, etag: optional(row.etag), updatedAt: row.updated_at });
  }

  async setBookkeeping(entry: BookkeepingEntry): Promise<void> {
    const row = { key: entry.key, value: entry.value, etag: entry.etag ?? null, updated_at: normaliseTime(entry.updatedAt, "updatedAt") };
    await this.db
      .insertInto("bookkeeping")
      .values(row)
      .onConflict((oc) =>
        oc.column("key").doUpdateSet((eb) => ({
          value: eb.ref("excluded.value"),
          etag: eb.ref("excluded.etag"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }

  async claimBookkeeping(expected: string | undefined, next: BookkeepingEntry): Promise<boolean> {
    const row = { key: next.key, value: next.value, etag: next.etag ?? null, updated_at: normaliseTime(next.updatedAt, "updatedAt") };
    if (expected === undefined) {
      const inserted = await this.db.insertInto("bookkeeping").values(row).onConflict((oc) => oc.column("key").doNothing()).executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
    }
    const updated = await this.db
      .updateTable("bookkeeping")
      .set({ value: row.value, etag: row.etag, updated_at: row.updated_at })
      .where("key", "=", next.key)
      .where("value", "=", expected)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  async listBookkeeping(prefix: string, limit: number): Promise<BookkeepingEntry[]> {
    // substr, not LIKE or a range: no wildcard to escape and no collation to trust, in both dialects.
    const rows = await this.db
      .selectFrom("bookkeeping")
      .selectAll()
      .where(sql<string>`substr(key, 1, ${prefix.length})`, "=", prefix)
      .orderBy("updated_at")
      .orderBy("key")
      .limit(limit)
      .execute();
    return rows.map((row) => defined({ key: row.key, value: row.value, etag: optional(row.etag), updatedAt: row.updated_at }));
  }

  async deleteBookkeeping(key: string): Promise<void> {
    await this.db.deleteFrom("bookkeeping").where("key", "=", key).execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/**
 * Opens (creating if needed) a SQLite file, or an in-memory database for `:memory:`. WAL lets
 * readers run beside a writer; the busy timeout makes a writer wait for another process's lock.
 */
export function openSqliteStateStore(path: string): SqlStateStore {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`state store: cannot open the SQLite file ${path} (READINESS_DB_PATH): ${reason}`, { cause: error });
  }
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  const db = new Kysely<StateDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  return new SqlStateStore({ dialect: "sqlite", db, sqlite });
}

export interface PostgresStateStoreOptions {
  /** The schema for the tables (created by `migrate`); default the connection's search path. */
  readonly schema?: string;
  /** Connections in the pool; default 10. */
  readonly maxConnections?: number;
  /** An idle pooled connection failed (server restart, network); the pool replaces it. */
  readonly onConnectionError?: (error: Error) => void;
}

export function openPostgresStateStore(connectionString: string, options: PostgresStateStoreOptions = {}): SqlStateStore {
  const { schema } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`state store: schema name ${JSON.stringify(schema)} must be lower-case letters, digits and underscores`);
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // Without a listener, an idle connection's error would crash the process.
  pool.on("error", (error) => options.onConnectionError?.(error));
  const db = new Kysely<StateDatabase>({ dialect: new PostgresDialect({ pool }) });
  return new SqlStateStore({ dialect: "postgres", db, schema });
}
