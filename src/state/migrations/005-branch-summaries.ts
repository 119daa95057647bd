/**
 * Summaries of the branch records the scorecard reads on every page, kept on the write path:
 * `branch_standings` holds each repository's newest branch record (outcome "error" passed over)
 * and `branch_daily_levels` the levels of its last such record of each UTC day. Ranking every
 * record at read time took seconds at 500 repositories × 90 days; these are read by key.
 * Existing records are summarised here once; `recordEvaluation` keeps both current.
 */
import { sql, type Kysely, type Migration } from "kysely";

export function branchSummariesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("branch_standings")
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("repo", "text", (c) => c.notNull())
        .addColumn("evaluation_id", "bigint", (c) => c.notNull())
        .addColumn("evaluated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("branch_standings_pk", ["owner", "repo"])
        .execute();
      await db.schema
        .createTable("branch_daily_levels")
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("repo", "text", (c) => c.notNull())
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("installation_id", "bigint", (c) => c.notNull())
        .addColumn("evaluation_id", "bigint", (c) => c.notNull())
        .addColumn("evaluated_at", "text", (c) => c.notNull())
        .addColumn("level_reached", "text")
        .addColumn("level_required", "text")
        .addPrimaryKeyConstraint("branch_daily_levels_pk", ["owner", "repo", "day"])
        .execute();
      // The chart reads every repository's levels over a range of days: from this index alone.
      await db.schema
        .createIndex("branch_daily_levels_day")
        .on("branch_daily_levels")
        .columns(["day", "owner", "repo", "installation_id", "level_reached", "level_required"])
        .execute();

      await sql`
        insert into branch_standings (owner, repo, evaluation_id, evaluated_at)
        select owner, repo, id, evaluated_at from (
          select owner, repo, id, evaluated_at,
            row_number() over (partition by owner, repo order by evaluated_at desc, id desc) as rank
          from evaluations where subject_kind = 'branch' and outcome <> 'error'
        ) ranked where rank = 1`.execute(db);
      await sql`
        insert into branch_daily_levels (owner, repo, day, installation_id, evaluation_id, evaluated_at, level_reached, level_required)
        select owner, repo, day, installation_id, id, evaluated_at, level_reached, level_required from (
          select owner, repo, substr(evaluated_at, 1, 10) as day, installation_id, id, evaluated_at, level_reached, level_required,
            row_number() over (partition by owner, repo, substr(evaluated_at, 1, 10) order by evaluated_at desc, id desc) as rank
          from evaluations where subject_kind = 'branch' and outcome <> 'error'
        ) ranked where rank = 1`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("branch_daily_levels").ifExists().execute();
      await db.schema.dropTable("branch_standings").ifExists().execute();
    },
  };
}
