/**
 * A branch record keeps the dated target still ahead when it was evaluated (level, day, whether
 * it is reached, what is missing), so the dashboard can show each target's progress from the
 * records alone. Older records have none (null): they were evaluated without one, or before it
 * was kept.
 */
import type { Kysely, Migration } from "kysely";

export function levelTargetMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("evaluations").addColumn("level_target", "text").execute();
    },
  };
}
