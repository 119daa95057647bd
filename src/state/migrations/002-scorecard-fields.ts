/**
 * What a repository's scorecard needs beside the verdict: the branch evaluated, the CODEOWNERS
 * root owners (the dashboard's owner filter, alert recipients) and the repository's visibility
 * (only a public repository's badge is public).
 */
import type { Kysely, Migration } from "kysely";

export function scorecardFieldsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("evaluations").addColumn("ref", "text").execute();
      await db.schema.alterTable("evaluations").addColumn("owners", "text").execute();
      await db.schema.alterTable("evaluations").addColumn("visibility", "text").execute();
    },
  };
}
