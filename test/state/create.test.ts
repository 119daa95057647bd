import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStateStore, SqlStateStore } from "../../src/state/index.js";

function recordingLog() {
  const lines: { obj: object; msg?: string }[] = [];
  return { lines, log: { info: (obj: object, msg?: string) => lines.push({ obj, msg }), warn: (obj: object, msg?: string) => lines.push({ obj, msg }) } };
}

describe("createStateStore", () => {
  let dir: string;
  let cwd: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "readiness-create-"));
    cwd = process.cwd();
    process.chdir(dir);
  });
  afterEach(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  test("without settings: SQLite at ./readiness.sqlite in the working directory", async () => {
    const { log, lines } = recordingLog();
    const store = createStateStore({}, log);
    await store.migrate();
    await store.close();
    expect(store).toBeInstanceOf(SqlStateStore);
    expect((store as SqlStateStore).dialect).toBe("sqlite");
    expect(existsSync(join(dir, "readiness.sqlite"))).toBe(true);
    expect(lines[0]?.msg).toMatch(/SQLite file .*readiness\.sqlite/);
  });

  test("READINESS_DB_PATH names the file; :memory: keeps it in memory", async () => {
    const { log, lines } = recordingLog();
    const file = createStateStore({ READINESS_DB_PATH: "custom.db" }, log);
    await file.migrate();
    await file.close();
    expect(existsSync(join(dir, "custom.db"))).toBe(true);

    const memory = createStateStore({ READINESS_DB_PATH: ":memory:" }, log);
    await memory.migrate();
    await memory.setBookkeeping({ key: "k", value: "v", updatedAt: "2026-03-01T00:00:00Z" });
    expect((await memory.getBookkeeping("k"))?.value).toBe("v");
    await memory.close();
    expect(lines[1]?.msg).toMatch(/in memory/);
  });

  test("DATABASE_URL chooses Postgres and is logged without its password", async () => {
    const { log, lines } = recordingLog();
    const store = createStateStore({ DATABASE_URL: "postgres://bot:s3cret-pw@127.0.0.1:1/readiness", READINESS_DB_PATH: "ignored.db" }, log);
    expect((store as SqlStateStore).dialect).toBe("postgres");
    await store.close();
    expect(JSON.stringify(lines)).not.toContain("s3cret-pw");
    expect(JSON.stringify(lines)).toContain("127.0.0.1:1/readiness");
    expect(existsSync(join(dir, "ignored.db"))).toBe(false);
  });

  test("a DATABASE_URL that is not a Postgres URL is refused without echoing it", () => {
    const { log } = recordingLog();
    expect(() => createStateStore({ DATABASE_URL: "s3cret not a url" }, log)).toThrow(/DATABASE_URL is not a URL/);
    expect(() => createStateStore({ DATABASE_URL: "mysql://u:s3cret@h/db" }, log)).toThrow(/must start with postgres:\/\//);
    try {
      createStateStore({ DATABASE_URL: "s3cret not a url" }, log);
    } catch (error) {
      expect(String(error)).not.toContain("s3cret");
    }
  });
});
