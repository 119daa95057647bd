/**
 * The contract on Postgres, each case in a schema of its own. Runs when TEST_DATABASE_URL names
 * a database this user may create schemas in (`.ci/run` starts a throwaway cluster and sets it);
 * without it the cases are reported as skipped, never passed, and under CI (CI=true) that fails.
 */
import pg from "pg";
import { openPostgresStateStore } from "../../src/state/sql.js";
import { oneStore, stateStoreContract, twoStores } from "./contract.js";

const url = process.env.TEST_DATABASE_URL;
const schemas: string[] = [];
let counter = 0;

function freshSchema(): string {
  const schema = `readiness_test_${process.pid}_${++counter}`;
  schemas.push(schema);
  return schema;
}

if ((url === undefined || url === "") && process.env.CI === "true") {
  test("CI provides TEST_DATABASE_URL, so the Postgres store is tested (.ci/run starts a cluster)", () => {
    throw new Error("TEST_DATABASE_URL is not set under CI: the state store contract did not run on Postgres");
  });
} else if (url === undefined || url === "") {
  // Skipped only outside CI, where no Postgres server may exist; CI (.ci/run) starts one and the
  // branch above fails the run if it is missing.
  describe.skip("StateStore contract: Postgres (skipped: set TEST_DATABASE_URL to run it)", () => {
    test("the contract on Postgres", () => {});
  });
} else {
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  stateStoreContract("Postgres", () => oneStore(openPostgresStateStore(url, { schema: freshSchema() })));

  stateStoreContract("Postgres, two stores on one database migrating together", () => {
    const schema = freshSchema();
    return twoStores(() => openPostgresStateStore(url, { schema }));
  });

  describe("Postgres", () => {
    test("a schema name that could inject SQL is refused", () => {
      expect(() => openPostgresStateStore(url, { schema: "x; drop table y" })).toThrow(/schema name .* must be lower-case/);
    });
  });
}
