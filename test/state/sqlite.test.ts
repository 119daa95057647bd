import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteStateStore } from "../../src/state/sql.js";
import { oneStore, stateStoreContract, twoStores } from "./contract.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "readiness-state-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
function freshFile(): string {
  return join(dir, `state-${++files}.sqlite`);
}

stateStoreContract("SQLite file", () => oneStore(openSqliteStateStore(freshFile())));

stateStoreContract("SQLite in memory (:memory:)", () => oneStore(openSqliteStateStore(":memory:")));

stateStoreContract("SQLite, two stores on one file migrating together", () => {
  const file = freshFile();
  return twoStores(() => openSqliteStateStore(file));
});

describe("SQLite file", () => {
  test("uses write-ahead logging and outlives the store that wrote it", async () => {
    const file = freshFile();
    const first = openSqliteStateStore(file);
    await first.migrate();
    await first.setBookkeeping({ key: "cursor", value: "42", updatedAt: "2026-03-01T00:00:00Z" });
    await first.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
    const second = openSqliteStateStore(file);
    await second.migrate();
    expect((await second.getBookkeeping("cursor"))?.value).toBe("42");
    await second.close();
  });

  test("a path in a directory that does not exist fails with the path in the message", () => {
    expect(() => openSqliteStateStore(join(dir, "missing", "state.sqlite"))).toThrow(/cannot open the SQLite file .*missing.*state\.sqlite \(READINESS_DB_PATH\)/);
  });
});

describe("SQLite file shared by two processes", () => {
  function burst(file: string, tag: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolveRun) => {
      const child = spawn(process.execPath, ["--import", "tsx", "test/state/fixtures/write-burst.ts", file, tag], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("close", (code) => resolveRun({ code, stderr }));
    });
  }

  test("both start on a new file together, migrate, and every write of both lands", async () => {
    const file = freshFile();
    const runs = await Promise.all([burst(file, "check"), burst(file, "comment")]);
    for (const run of runs) expect(run).toEqual({ code: 0, stderr: "" });

    const store = openSqliteStateStore(file);
    await store.migrate();
    expect(await store.listEvaluations({ limit: 1000 })).toHaveLength(100);
    for (let i = 0; i < 50; i++) {
      const published = await store.publication(`pull:acme/shop#${i}`, "a".repeat(40));
      expect([published?.checkRunId, published?.commentId]).toEqual([1000 + i, 2000 + i]);
    }
    await store.close();
  }, 60_000);
});
