/**
 * The real server as an operator runs it (`node dist/src/server.js`, what `npm start` runs after
 * its build), for tests that start, kill and restart it. The build goes to a directory named by
 * a hash of the sources, under node_modules/.cache: a copy of dist/ as `npm start`'s build step
 * leaves it, made once and shared by every test file (and every later run while the sources stay
 * the same), so test files running side by side never read a half-written dist/.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./server.js";

export { freePort };

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const CACHE = join(ROOT, "node_modules", ".cache", "readiness-server");

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith(".ts") || name.endsWith(".json") || name.endsWith(".yml")) out.push(path);
  }
  return out;
}

function sourceHash(): string {
  const hash = createHash("sha256");
  for (const file of [...sourceFiles(join(ROOT, "src")), ...sourceFiles(join(ROOT, "rules")), join(ROOT, "tsconfig.json"), join(ROOT, "tsconfig.build.json"), join(ROOT, "package-lock.json")]) {
    hash.update(file.slice(ROOT.length)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The built server's entry point, building it first unless a build of these sources exists. */
export async function builtServer(timeoutMs = 240_000): Promise<string> {
  const out = join(CACHE, sourceHash());
  const entry = join(out, "src", "server.js");
  const lock = `${out}.lock`;
  const deadline = Date.now() + timeoutMs;
  mkdirSync(CACHE, { recursive: true });
  for (;;) {
    if (existsSync(join(out, ".complete"))) return entry;
    let mine = false;
    try {
      mkdirSync(lock);
      mine = true;
    } catch {
      // another test file is building; a lock older than the timeout is a crashed build's
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > timeoutMs) rmSync(lock, { recursive: true, force: true });
    }
    if (mine) {
      try {
        const temp = `${out}.${process.pid}`;
        rmSync(temp, { recursive: true, force: true });
        // `npm start`'s own build step brings dist/ up to date (compiling only when stale) and the
        // cache takes a copy: one compilation serves every test file and test/e2e's `npm start`,
        // which calls this first so that its build step finds nothing to do and never rewrites
        // dist/ while another test file copies it.
        const built = spawnSync(process.execPath, [join(ROOT, "scripts", "build-if-stale.mjs")], { cwd: ROOT, encoding: "utf8" });
        if (built.status !== 0) throw new Error(`the build failed:\n${built.stdout}${built.stderr}`);
        cpSync(join(ROOT, "dist"), temp, { recursive: true, filter: (source) => !/[\\/]\.(tsbuildinfo|source-hash)$/.test(source) });
        // Under node_modules the package scope stops: say again that these files are ES modules.
        writeFileSync(join(temp, "package.json"), JSON.stringify({ type: "module" }));
        writeFileSync(join(temp, ".complete"), "");
        rmSync(out, { recursive: true, force: true });
        renameSync(temp, out);
        // Builds of earlier sources are never used again.
        for (const name of readdirSync(CACHE)) {
          if (/^[0-9a-f]{16}$/.test(name) && join(CACHE, name) !== out) rmSync(join(CACHE, name), { recursive: true, force: true });
        }
        return entry;
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) throw new Error("timed out waiting for another test file's build of the server");
    await sleep(500);
  }
}

export interface ServerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Its JSON log lines so far. */
  logLines(): Record<string, unknown>[];
  readonly exited: Promise<number | null>;
  alive(): boolean;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Starts the built server with the given environment (PATH and HOME added) and waits for /ping. */
export async function startServer(entry: string, env: Record<string, string>, options: { cwd: string; readyTimeoutMs?: number }): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [entry], {
    cwd: options.cwd,
    // The fake GitHub has no write limits: writes are spaced 20 ms apart, not GitHub's one second,
    // so a burst of a hundred pull requests runs in seconds (the spacing itself still applies).
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", LOG_FORMAT: "json", HOST: "127.0.0.1", READINESS_GITHUB_WRITE_INTERVAL_MS: "20", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  const server: ServerProcess = {
    port,
    child,
    output: () => output,
    logLines: () =>
      output
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    exited,
    alive: () => !done,
    kill: async (signal) => {
      if (!done) child.kill(signal);
      return exited;
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (done) throw new Error(`the server exited before answering /ping:\n${output}`);
    if (await fetch(`http://127.0.0.1:${port}/ping`).then((r) => r.ok, () => false)) return server;
    if (Date.now() > deadline) {
      await server.kill("SIGKILL");
      throw new Error(`the server did not answer /ping in time:\n${output}`);
    }
    await sleep(100);
  }
}
