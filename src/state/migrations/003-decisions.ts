/**
 * The audit log of decisions (waivers, unwaivers, attestations): append-only, one row per command
 * accepted. What is in force is read from it, so nothing is ever updated or deleted here.
 */
import type { Kysely, Migration } from "kysely";
import type { SqlDialectName } from "../schema.js";

export function decisionsMigration(dialect: SqlDialectName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("decisions")
        .addColumn("id", dialect === "postgres" ? "bigserial" : "integer", (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn("installation_id", "bigint", (c) => c.notNull())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("repo", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("pull_number", "integer")
        .addColumn("issue_number", "integer", (c) => c.notNull())
        .addColumn("sha", "text")
        .addColumn("until_push", "integer", (c) => c.notNull())
        .addColumn("expires_at", "text")
        .addColumn("comment_id", "bigint", (c) => c.notNull())
        .addColumn("comment_url", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("decisions_repository").on("decisions").columns(["owner", "repo", "created_at"]).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable("decisions").ifExists().execute();
    },
  };
}
