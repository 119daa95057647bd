/**
 * The scorecard reads branch records per repository in time order (the newest per repository,
 * one repository's history, the last of each day): one index serves the three. It also holds
 * the few columns those rankings read (outcome, levels, installation), so ranking 45,000 records
 * reads the index only, never the rows with their rule lists.
 */
import type { Kysely, Migration } from "kysely";

export function scorecardIndexMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex("evaluations_subject_kind_repository")
        .on("evaluations")
        .columns(["subject_kind", "owner", "repo", "evaluated_at", "id", "outcome", "level_reached", "level_required", "installation_id"])
        .execute();
    },
  };
}
