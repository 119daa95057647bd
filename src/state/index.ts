/**
 * Chooses the state store from the environment:
 * - `DATABASE_URL` set: Postgres (shared by every replica);
 * - otherwise SQLite at `READINESS_DB_PATH`, default `./readiness.sqlite` in the working
 *   directory; `READINESS_DB_PATH=:memory:` keeps it in memory (lost at exit).
 * The caller runs `await store.migrate()` once at start, before any other call.
 */
import { resolve } from "node:path";
import { openPostgresStateStore, openSqliteStateStore } from "./sql.js";
import type { StateStore } from "./types.js";

export * from "./types.js";
export { MemoryStateStore } from "./memory.js";
export { openPostgresStateStore, openSqliteStateStore, SqlStateStore } from "./sql.js";

export const DEFAULT_SQLITE_PATH = "./readiness.sqlite";

export interface StateLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Where a connection string points, without the user name or password. */
function describePostgres(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("DATABASE_URL is not a URL; expected postgres://user:password@host:5432/database");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, not ${parsed.protocol}//`);
  }
  return `${parsed.host}${parsed.pathname}`;
}

export function createStateStore(env: Env, log: StateLog): StateStore {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    const where = describePostgres(databaseUrl);
    log.info({ stateStore: "postgres", database: where }, `state store: Postgres at ${where}`);
    return openPostgresStateStore(databaseUrl, {
      onConnectionError: (error) => log.warn({ stateStore: "postgres", err: error.message }, "state store: a pooled Postgres connection failed"),
    });
  }
  const configured = env.READINESS_DB_PATH?.trim() || DEFAULT_SQLITE_PATH;
  const path = configured === ":memory:" ? configured : resolve(configured);
  log.info({ stateStore: "sqlite", path }, path === ":memory:" ? "state store: SQLite in memory (lost at exit)" : `state store: SQLite file ${path}`);
  return openSqliteStateStore(path);
}
