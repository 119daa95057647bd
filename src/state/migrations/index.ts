/**
 * Every migration, in order, imported statically so the built `dist` needs no migration files on
 * disk. Names sort in the order they run; a released migration is never edited, only followed.
 */
import type { Migration, MigrationProvider } from "kysely";
import type { SqlDialectName } from "../schema.js";
import { initialMigration } from "./001-initial.js";
import { scorecardFieldsMigration } from "./002-scorecard-fields.js";
import { decisionsMigration } from "./003-decisions.js";
import { scorecardIndexMigration } from "./004-scorecard-index.js";
import { branchSummariesMigration } from "./005-branch-summaries.js";
import { levelTargetMigration } from "./006-level-target.js";
import { componentsMigration } from "./007-components.js";

export function migrationProvider(dialect: SqlDialectName): MigrationProvider {
  const migrations: Record<string, Migration> = {
    "001-initial": initialMigration(dialect),
    "002-scorecard-fields": scorecardFieldsMigration(),
    "003-decisions": decisionsMigration(dialect),
    "004-scorecard-index": scorecardIndexMigration(),
    "005-branch-summaries": branchSummariesMigration(),
    "006-level-target": levelTargetMigration(),
    "007-components": componentsMigration(),
  };
  return { getMigrations: async () => migrations };
}
