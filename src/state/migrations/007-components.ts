/**
 * Monorepo components in a record: each judged component's name, level reached and required and
 * conclusion, as JSON text (one shape for both databases), so the scorecard lists every component
 * with its level from the store alone. Null: the configuration has no components (or the record
 * predates them).
 */
import type { Kysely, Migration } from "kysely";

export function componentsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("evaluations").addColumn("components", "text").execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("evaluations").dropColumn("components").execute();
    },
  };
}
