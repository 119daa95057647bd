#!/usr/bin/env node
/**
 * `npm start`'s build step: compiles only when the sources changed since the last build.
 * The build's inputs (src/, rules/, the tsconfig files, package-lock.json) are hashed; the hash of
 * a successful build is kept in dist/.source-hash, and an unchanged hash skips the compiler, so a
 * restart with nothing changed starts in about a second instead of compiling for half a minute.
 * A changed hash compiles incrementally (dist/.tsbuildinfo), which keeps small changes quick.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
const STAMP = join(DIST, ".source-hash");
const BUILD_INFO = join(DIST, ".tsbuildinfo");
const ENTRY = join(DIST, "src", "server.js");

function filesUnder(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else out.push(path);
  }
  return out;
}

/** Every file the build reads from this repository, by path and content. */
export function sourceHash(root = ROOT) {
  const hash = createHash("sha256");
  const inputs = [...filesUnder(join(root, "src")), ...filesUnder(join(root, "rules")), ...["tsconfig.json", "tsconfig.build.json", "package-lock.json"].map((name) => join(root, name))];
  for (const file of inputs) {
    hash.update(relative(root, file)).update("\0");
    hash.update(existsSync(file) ? readFileSync(file) : "(missing)").update("\0");
  }
  return hash.digest("hex");
}

export function buildIfStale() {
  const current = sourceHash();
  const built = existsSync(STAMP) ? readFileSync(STAMP, "utf8").trim() : undefined;
  if (built === current && existsSync(ENTRY)) {
    console.error("readiness: dist/ is up to date with the sources; not compiling");
    return 0;
  }
  console.error("readiness: the sources changed since the last build; compiling (tsc --incremental)");
  // A stale stamp must not survive a failed build; without the entry point (dist/ emptied by
  // hand), the incremental record would claim outputs that are gone.
  rmSync(STAMP, { force: true });
  if (!existsSync(ENTRY)) rmSync(BUILD_INFO, { force: true });
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--incremental", "--tsBuildInfoFile", BUILD_INFO], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) return result.status ?? 1;
  writeFileSync(STAMP, `${current}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exit(buildIfStale());
