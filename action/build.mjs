#!/usr/bin/env node
/**
 * Bundles the GitHub Action (src/action/index.ts) into one file that the runner's Node 20 runs
 * without an install step: `npm run build:action`, or `node action/build.mjs --outfile FILE`
 * (test/action/bundle.test.ts builds to a temporary file and compares it with the committed one).
 *
 * esbuild, because it bundles TypeScript and ESM dependencies in one step, reproducibly for a
 * given version (the same inputs give the same bytes, which the test relies on). No native module
 * may enter the bundle: the action needs no store, and a `.node` file cannot be bundled.
 */
import { build } from "esbuild";
import { writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const at = args.indexOf("--outfile");
const outfile = at >= 0 && args[at + 1] ? args[at + 1] : join(root, "action", "dist", "index.js");

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/action/index.ts"],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // CommonJS dependencies inside an ES module bundle still call require() for Node's modules.
  banner: { js: 'import { createRequire as __readinessCreateRequire } from "node:module";\nconst require = __readinessCreateRequire(import.meta.url);' },
  minify: true,
  legalComments: "eof",
  logLevel: "warning",
  metafile: true,
});
const native = Object.keys(result.metafile.inputs).filter((input) => /better-sqlite3|\.node$/.test(input));
if (native.length > 0) {
  console.error(`action/build.mjs: native modules reached the bundle: ${native.join(", ")}`);
  process.exit(1);
}
// The bundle is an ES module wherever the action is checked out, whatever package.json is above it.
writeFileSync(join(dirname(outfile), "package.json"), `${JSON.stringify({ type: "module" })}\n`);
console.log(`action/build.mjs: ${relative(root, outfile) || outfile} (${Object.keys(result.metafile.inputs).length} modules)`);
