/**
 * The first schema. Times are ISO-8601 UTC text in one normalised form (they sort as instants on
 * both databases); only the evaluation id differs per database.
 */
import type { Kysely, Migration } from "kysely";
import type { SqlDialectName } from "../schema.js";

export function initialMigration(dialect: SqlDialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("evaluations")
        .addColumn("id", dialect === "postgres" ? "bigserial" : "integer", (c) =>
          dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn("installation_id", "bigint", (c) => c.notNull())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("repo", "text", (c) => c.notNull())
        .addColumn("subject_kind", "text", (c) => c.notNull())
        .addColumn("subject_key", "text", (c) => c.notNull())
        .addColumn("head_sha", "text", (c) => c.notNull())
        .addColumn("base_sha", "text")
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("level_reached", "text")
        .addColumn("level_required", "text")
        .addColumn("rules", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("delivery_id", "text")
        .addColumn("duration_ms", "integer", (c) => c.notNull())
        .addColumn("api_requests", "integer", (c) => c.notNull())
        .addColumn("error", "text")
        .addColumn("evaluated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("evaluations_subject_key").on("evaluations").columns(["subject_key", "evaluated_at"]).execute();
      await db.schema.createIndex("evaluations_head_sha").on("evaluations").column("head_sha").execute();
      await db.schema.createIndex("evaluations_repository").on("evaluations").columns(["owner", "repo", "evaluated_at"]).execute();
      await db.schema.createIndex("evaluations_evaluated_at").on("evaluations").column("evaluated_at").execute();

      await db.schema
        .createTable("pending_groups")
        .addColumn("installation_id", "bigint", (c) => c.notNull())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("repo", "text", (c) => c.notNull())
        .addColumn("pull_number", "integer", (c) => c.notNull())
        .addColumn("group_head_sha", "text", (c) => c.notNull())
        .addColumn("group_base_sha", "text", (c) => c.notNull())
        .addColumn("base", "text", (c) => c.notNull())
        .addColumn("pull_head_sha", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("pending_groups_pk", ["installation_id", "owner", "repo", "pull_number"])
        .execute();
      await db.schema.createIndex("pending_groups_expires_at").on("pending_groups").column("expires_at").execute();

      await db.schema
        .createTable("publications")
        .addColumn("subject_key", "text", (c) => c.notNull())
        .addColumn("head_sha", "text", (c) => c.notNull())
        .addColumn("installation_id", "bigint", (c) => c.notNull())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("repo", "text", (c) => c.notNull())
        .addColumn("check_run_id", "bigint")
        .addColumn("check_digest", "text")
        .addColumn("comment_id", "bigint")
        .addColumn("comment_digest", "text")
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("publications_pk", ["subject_key", "head_sha"])
        .execute();

      await db.schema
        .createTable("bookkeeping")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .addColumn("etag", "text")
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["bookkeeping", "publications", "pending_groups", "evaluations"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
