import migrations from "../../rules/migrations.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { ChangedFile, Facts } from "../../src/engine/types.js";
import { ruleTester, runRule } from "../helpers/rule-tester.js";

/** A pull request adding `added` (path → content) to a head tree that also holds `others`. */
function pr(added: Record<string, string>, others: string[] = [], modified: ChangedFile[] = []): Partial<Facts> {
  const all = { ...added };
  for (const m of modified) all[m.path] = (m as ChangedFile & { content?: string }).content ?? "";
  return {
    files: known([...Object.keys(added).map((path): ChangedFile => ({ path, status: "added", additions: 10, deletions: 0 })), ...modified]),
    trees: { head: known([...Object.keys(all), ...others, "README.md"]) },
    contents: new Map(Object.entries(all).map(([path, text]) => [contentKey("head", path), known<string | null>(text)])),
  };
}

const RAILS_CHANGE = `class AddRefundedAtToOrders < ActiveRecord::Migration[7.1]
  def change
    add_column :orders, :refunded_at, :datetime
    add_index :orders, :refunded_at
  end
end
`;
const RAILS_EXECUTE = `class BackfillOrderTotals < ActiveRecord::Migration[7.1]
  def change
    execute "UPDATE orders SET total_cents = subtotal_cents + tax_cents"
  end
end
`;
const RAILS_UP_ONLY = `class DropLegacyCarts < ActiveRecord::Migration[7.1]
  def up
    drop_table :legacy_carts
  end
end
`;
const DJANGO_OK = `from django.db import migrations


def fill_slugs(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    for product in Product.objects.all():
        product.slug = product.name.lower()
        product.save()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_product_slug")]
    operations = [
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.RunSQL("CREATE INDEX product_slug ON catalog_product (slug)", reverse_sql="DROP INDEX product_slug"),
    ]
`;
const ALEMBIC = (downgrade: string) => `"""add refunds table

Revision ID: 3f2a1c9d8e7b
Revises: 1b2c3d4e5f60
"""
from alembic import op
import sqlalchemy as sa

revision = "3f2a1c9d8e7b"
down_revision = "1b2c3d4e5f60"


def upgrade() -> None:
    op.create_table("refunds", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
${downgrade}
`;
const KNEX = `exports.up = function (knex) {
  return knex.schema.createTable("refunds", (table) => {
    table.increments("id");
  });
};

exports.down = function (knex) {
  return knex.schema.dropTable("refunds");
};
`;
const TYPEORM = (down: string) => `import { MigrationInterface, QueryRunner } from "typeorm";

export class AddRefunds1732960000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`CREATE TABLE "refunds" ("id" SERIAL PRIMARY KEY)\`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${down}
  }
}
`;
const LIQUIBASE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="refunds-1" author="ada">
    <createTable tableName="refunds">
      <column name="id" type="int"/>
    </createTable>
  </changeSet>
  <changeSet id="refunds-2" author="ada">
    <sql>UPDATE orders SET refunded = false</sql>
  </changeSet>
</databaseChangeLog>
`;

ruleTester(migrations, {
  valid: [
    { name: "Rails def change with reversible commands", facts: pr({ "db/migrate/20261130080000_add_refunded_at_to_orders.rb": RAILS_CHANGE }) },
    { name: "Rails execute inside reversible", facts: pr({ "db/migrate/20261130080001_backfill.rb": RAILS_EXECUTE.replace('    execute "UPDATE', '    reversible do |dir|\n      dir.up { execute "UPDATE').replace('tax_cents"\n', 'tax_cents" }\n    end\n') }) },
    { name: "Django RunPython with noop and RunSQL with reverse_sql", facts: pr({ "catalog/migrations/0008_fill_slugs.py": DJANGO_OK }) },
    { name: "Alembic with a real downgrade", facts: pr({ "alembic/versions/3f2a1c9d8e7b_add_refunds.py": ALEMBIC('    op.drop_table("refunds")') }) },
    { name: "Flyway with its undo file", facts: pr({ "src/main/resources/db/migration/V7__add_refunds.sql": "CREATE TABLE refunds (id INT);", "src/main/resources/db/migration/U7__add_refunds.sql": "DROP TABLE refunds;" }) },
    { name: "golang-migrate up and down", facts: pr({ "db/migrations/000042_add_refunds.up.sql": "CREATE TABLE refunds (id INT);", "db/migrations/000042_add_refunds.down.sql": "DROP TABLE refunds;" }) },
    { name: "Prisma with a documented rollback", facts: pr({ "prisma/migrations/20261130080000_refunds/migration.sql": "CREATE TABLE refunds (id INT);", "prisma/migrations/20261130080000_refunds/down.sql": "DROP TABLE refunds;" }) },
    { name: "Knex", facts: pr({ "migrations/20261130080000_refunds.js": KNEX }) },
    { name: "TypeORM", facts: pr({ "src/migrations/1732960000000-AddRefunds.ts": TYPEORM('    await queryRunner.query(`DROP TABLE "refunds"`);') }) },
    { name: "Liquibase: an auto-reversible changeSet added to an existing changelog", facts: pr({}, [], [{ path: "db/changelog/refunds.xml", status: "modified", additions: 5, deletions: 0, patch: "@@ -1,2 +1,7 @@\n <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n <databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\">\n+  <changeSet id=\"refunds-1\" author=\"ada\">\n+    <createTable tableName=\"refunds\">\n+      <column name=\"id\" type=\"int\"/>\n+    </createTable>\n+  </changeSet>", content: LIQUIBASE_XML } as ChangedFile]) },
  ],
  invalid: [
    { name: "Rails execute in def change", facts: pr({ "db/migrate/20261130080001_backfill.rb": RAILS_EXECUTE }), findings: [{ message: "db/migrate/20261130080001_backfill.rb: execute in def change cannot be reversed by Rails: wrap it in reversible do |dir|", line: 3 }] },
    { name: "Rails def up without def down", facts: pr({ "db/migrate/20261130080002_drop_legacy_carts.rb": RAILS_UP_ONLY }), findings: [{ message: "has def up but no def down: add def down" }] },
    { name: "Django RunPython without reverse_code", facts: pr({ "catalog/migrations/0008_fill_slugs.py": DJANGO_OK.replace(", migrations.RunPython.noop", "") }), findings: [{ message: "catalog/migrations/0008_fill_slugs.py: migrations.RunPython without reverse_code cannot be unapplied", line: 14 }] },
    { name: "Django RunSQL without reverse_sql", facts: pr({ "catalog/migrations/0008_fill_slugs.py": DJANGO_OK.replace(', reverse_sql="DROP INDEX product_slug"', "") }), findings: [{ message: "migrations.RunSQL without reverse_sql" }] },
    { name: "Alembic downgrade that only passes", facts: pr({ "alembic/versions/3f2a1c9d8e7b_add_refunds.py": ALEMBIC("    pass") }), findings: [{ message: "downgrade() does nothing: write the operations that undo upgrade()", line: 17 }] },
    { name: "Flyway without undo", facts: pr({ "db/migration/V7__add_refunds.sql": "CREATE TABLE refunds (id INT);" }), findings: [{ message: "db/migration/V7__add_refunds.sql has no undo migration: add db/migration/U7__add_refunds.sql" }] },
    { name: "golang-migrate without down", facts: pr({ "migrations/000042_add_refunds.up.sql": "CREATE TABLE refunds (id INT);" }), findings: [{ message: "has no down migration: add migrations/000042_add_refunds.down.sql" }] },
    { name: "Prisma without a documented rollback", facts: pr({ "prisma/migrations/20261130080000_refunds/migration.sql": "CREATE TABLE refunds (id INT);" }), findings: [{ message: "prisma/migrations/20261130080000_refunds has no documented rollback: Prisma writes no down migrations" }] },
    { name: "Knex without down", facts: pr({ "migrations/20261130080000_refunds.js": KNEX.slice(0, KNEX.indexOf("exports.down")) }), findings: [{ message: "exports up but no down" }] },
    { name: "TypeORM with an empty down", facts: pr({ "src/migrations/1732960000000-AddRefunds.ts": TYPEORM("    // nothing") }), findings: [{ message: "down() is empty" }] },
    { name: "Liquibase: a sql changeSet without rollback", facts: pr({ "db/changelog/refunds.xml": LIQUIBASE_XML }), findings: [{ message: "db/changelog/refunds.xml: changeSet refunds-2 has no rollback", line: 8 }] },
  ],
  skipped: [
    { name: "no migration added", facts: pr({ "src/refunds.ts": "export {};" }), reason: "the pull request adds no database migration" },
    { name: "a framework switched off", options: { frameworks: ["rails"] }, facts: pr({ "migrations/000042_add_refunds.up.sql": "x" }), reason: "adds no database migration" },
    { name: "a Python file in migrations/ that is not a migration", facts: pr({ "tools/migrations/0001_helpers.py": "def helper():\n    return 1\n" }), reason: "no added file under the migration paths is a migration" },
  ],
  unknown: [
    { name: "the changed files are unknown", facts: { files: unknownFact("the pull request changes 3001 files") }, reason: "cannot tell which migrations were added: the pull request changes 3001 files" },
  ],
});

test("migrations: custom paths replace a framework's defaults", () => {
  const facts = pr({ "sql/V3__refunds.sql": "CREATE TABLE refunds (id INT);" });
  expect(runRule(migrations, {}, facts).status).toBe("skip");
  expect(runRule(migrations, { paths: { flyway: ["sql/V*__*.sql"] } }, facts).findings).toEqual([
    { message: "sql/V3__refunds.sql has no undo migration: add sql/U3__refunds.sql that reverts it", path: "sql/V3__refunds.sql" },
  ]);
});
