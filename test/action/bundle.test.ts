/**
 * The committed bundle (action/dist/index.js, what action.yml runs) is the build of the current
 * sources: rebuilt to a temporary file with the same esbuild and compared byte for byte, so a
 * change to src/ or rules/ that is not followed by `npm run build:action` fails here.
 */
import { expect, test } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../helpers/server-process.js";

test("action/dist/index.js is up to date with the sources (run `npm run build:action` after changing them)", () => {
  const dir = mkdtempSync(join(tmpdir(), "readiness-action-build-"));
  try {
    const outfile = join(dir, "index.js");
    execFileSync(process.execPath, [join(ROOT, "action", "build.mjs"), "--outfile", outfile], { cwd: ROOT, stdio: "pipe" });
    const fresh = readFileSync(outfile, "utf8");
    const committed = readFileSync(join(ROOT, "action", "dist", "index.js"), "utf8");
    expect(committed.length).toBe(fresh.length);
    expect(committed === fresh).toBe(true);
    expect(JSON.parse(readFileSync(join(ROOT, "action", "dist", "package.json"), "utf8"))).toEqual({ type: "module" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test("action.yml runs the bundle on Node 20", () => {
  const action = readFileSync(join(ROOT, "action.yml"), "utf8");
  expect(action).toMatch(/^runs:\n {2}using: node20\n {2}main: action\/dist\/index\.js$/m);
  expect(action).toMatch(/^ {2}token:\n(?: {4}.*\n)+ {4}default: \$\{\{ github\.token \}\}$/m);
});
