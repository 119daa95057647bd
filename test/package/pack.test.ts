/**
 * `npm pack` makes a package that works where nothing else is: the tarball (built by its prepack
 * script) is installed in an empty directory, and its `readiness` command answers --help, scans
 * and checks a repository.
 *
 * The install is offline, as the test must not depend on the network. A clean machine after
 * `npm ci` has every dependency's tarball in the npm cache but not the registry's package lists,
 * so resolving the tarball's version ranges offline fails (ENOTCACHED); the empty directory gets a
 * lockfile instead: the tarball plus this project's own pinned production dependencies, which
 * `npm ci --offline` installs from the cache. --ignore-scripts: better-sqlite3's install script
 * fetches or compiles a native binary, which only the server's state store loads, never the CLI.
 */
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../helpers/server-process.js";
import { checksummed } from "../secrets/samples.js";

const dir = mkdtempSync(join(tmpdir(), "readiness-pack-"));
const project = join(dir, "empty");
let packed: { filename: string; files: { path: string }[] };

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

type Lock = { packages: Record<string, { dev?: boolean }> };
type Manifest = { version: string; license: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> };

/**
 * npm pack runs in a copy of the project (its node_modules linked), so the prepack build writes
 * the copy's dist/, never this checkout's, which `npm start` in other test files builds and runs.
 */
function projectCopy(): string {
  const copy = join(dir, "source");
  for (const entry of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "app.yml", "README.md", "src", "rules"]) {
    cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
  return copy;
}

beforeAll(async () => {
  const pack = await run("npm", ["pack", "--json", "--pack-destination", dir], projectCopy());
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stdout}\n${pack.stderr}`);
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as (typeof packed)[])[0]!;

  mkdirSync(project);
  const tarball = join(dir, packed.filename);
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Manifest;
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as Lock;
  const packages: Record<string, unknown> = {
    "": { name: "readiness-pack-check", dependencies: { "readiness-bot": `file:${tarball}` } },
    "node_modules/readiness-bot": {
      version: manifest.version,
      resolved: `file:${tarball}`,
      integrity: `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path.startsWith("node_modules/") && !entry.dev) packages[path] = entry;
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "readiness-pack-check", private: true, dependencies: { "readiness-bot": `file:${tarball}` } }));
  writeFileSync(join(project, "package-lock.json"), JSON.stringify({ name: "readiness-pack-check", lockfileVersion: 3, requires: true, packages }));
  const install = await run("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], project);
  if (install.code !== 0) throw new Error(`installing the tarball failed:\n${install.stdout}\n${install.stderr}`);
}, 900_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readiness = (args: readonly string[], cwd: string, env: Record<string, string> = {}) => run(join(project, "node_modules", ".bin", "readiness"), args, cwd, env);

test("the tarball holds the built CLI and rules, not the sources or tests", () => {
  const files = packed.files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining(["package.json", "dist/src/cli.js", "dist/rules/index.js", "dist/src/server.js"]));
  expect(files.filter((f) => /^(src|test|bench|action)\/|\.ts$/.test(f) && !f.endsWith(".d.ts"))).toEqual([]);
});

test("readiness --help and --version", async () => {
  const help = await readiness(["--help"], project);
  expect(help).toMatchObject({ code: 0, stderr: "" });
  expect(help.stdout).toMatch(/^Usage: readiness <command>/);
  const version = await readiness(["--version"], project);
  expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Manifest).version);
});

test("readiness scan: a staged secret blocks (exit 1), a clean file passes (exit 0)", async () => {
  writeFileSync(join(dir, "leak.ts"), `export const token = "${checksummed("ghp_")}";\n`);
  writeFileSync(join(dir, "clean.ts"), "export const answer = 42;\n");
  const leak = await readiness(["scan", "leak.ts"], dir);
  expect(leak.code).toBe(1);
  expect(leak.stdout).toContain("leak.ts:1");
  expect(await readiness(["scan", "clean.ts"], dir)).toMatchObject({ code: 0 });
});

test("readiness check judges a branch against its base's configuration", async () => {
  const repo = join(dir, "repo");
  mkdirSync(repo);
  const git = (...args: string[]) => run("git", args, repo, { GIT_AUTHOR_NAME: "a", GIT_AUTHOR_EMAIL: "a@example.com", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@example.com" });
  await git("init", "-q", "-b", "main");
  writeFileSync(join(repo, ".readiness.yml"), "rules:\n  secrets: bronze\n");
  await git("add", ".");
  await git("commit", "-q", "-m", "base");
  await git("checkout", "-q", "-b", "feature");
  writeFileSync(join(repo, "app.ts"), `export const token = "${checksummed("ghp_")}";\n`);
  await git("add", ".");
  await git("commit", "-q", "-m", "add a token");

  const blocked = await readiness(["check", "--base", "main", "--format", "json"], repo);
  expect(blocked.code).toBe(1);
  expect(JSON.parse(blocked.stdout)).toMatchObject({ conclusion: "failure", local: { blockedBy: ["secrets"] } });

  writeFileSync(join(repo, "app.ts"), "export const token = process.env.TOKEN;\n");
  await git("commit", "-q", "-am", "read it from the environment");
  const ready = await readiness(["check", "--base", "main"], repo);
  expect(ready.code).toBe(0);
  expect(ready.stdout).toContain("Result: ");
});
