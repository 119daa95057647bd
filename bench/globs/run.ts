/**
 * Path globs: our linear matcher (src/engine/globs.ts) against picomatch, which the project used
 * before, same process, same input.
 *
 *   npx tsx bench/globs/run.ts          (or: npm run bench:globs; add --full for the 50-character names)
 *
 * 1. The hostile case of issue 15: `*a*a*a*a*a*a*a*a*b` against file names of a's (names a pull
 *    request's author chooses). picomatch backtracks through every way of placing the eight
 *    stars, so its time grows like length^8: it is measured once per length, up to 35
 *    characters (50 with --full, which takes minutes), ours at every length, repeated.
 * 2. Typical configuration globs against a large pull request's paths, to show the linear
 *    matcher costs about the same as picomatch's compiled regular expressions on ordinary input.
 */
import { performance } from "node:perf_hooks";
import picomatch from "picomatch";
import { globMatcher } from "../../src/engine/globs.js";
import { prng } from "../../test/helpers/prng.js";

const HOSTILE = "*a*a*a*a*a*a*a*a*b";
const full = process.argv.includes("--full");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median milliseconds of `run` over `repetitions`, after one warm-up. */
function time(run: () => void, repetitions: number): number {
  run();
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const format = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);

console.log(`1. hostile glob ${HOSTILE} against six names of n a's (the issue used n = 50)`);
console.log("   n   ours (median of 101)   picomatch (one run)   ratio");
const lengths = full ? [20, 30, 35, 40, 45, 50] : [20, 25, 30, 35];
for (const n of lengths) {
  const names = Array.from({ length: 6 }, (_, i) => `${"a".repeat(n - 1)}${i}`);
  const ours = globMatcher([HOSTILE]);
  const oursMs = time(() => names.forEach((name) => ours(name)), 101);
  const theirs = picomatch(HOSTILE, { dot: true });
  const start = performance.now();
  names.forEach((name) => theirs(name));
  const theirsMs = performance.now() - start;
  console.log(`   ${String(n).padStart(2)}  ${format(oursMs).padStart(20)}   ${format(theirsMs).padStart(19)}   ${Math.round(theirsMs / oursMs).toLocaleString("en")}x`);
}
for (const n of [1_000, 100_000]) {
  const names = Array.from({ length: 6 }, (_, i) => `${"a".repeat(n - 1)}${i}`);
  const ours = globMatcher([HOSTILE]);
  console.log(`   ours alone, six names of ${n.toLocaleString("en")} characters: ${format(time(() => names.forEach((name) => ours(name)), 11))}`);
}

const rand = prng(0x9106);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const DIRS = ["src", "lib", "app", "docs", "test", "packages", "services", ".github", "internal", "api"];
const FILES = ["index.ts", "main.go", "README.md", "server.tsx", "a.test.ts", "schema.sql", "ci.yml", ".env", "Dockerfile", "util.py"];
const paths = Array.from({ length: 3000 }, () => [...Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pick(DIRS)), pick(FILES)].join("/"));
const TYPICAL = ["src/**", "**/*.{ts,tsx}", "!**/*.test.ts", "docs/**/*.md", ".github/workflows/*.{yml,yaml}", "{src,lib,app}/**/index.ts", "**/[Dd]ockerfile"];
const positive = TYPICAL.filter((p) => !p.startsWith("!"));
const negative = TYPICAL.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
const include = picomatch(positive, { dot: true });
const exclude = picomatch(negative, { dot: true });
const ours = globMatcher(TYPICAL);
let agree = 0;
for (const path of paths) if (ours(path) === (include(path) && !exclude(path))) agree++;
const oursTypical = time(() => paths.forEach((path) => ours(path)), 21);
const theirsTypical = time(() => paths.forEach((path) => include(path) && !exclude(path)), 21);
console.log(`\n2. ${TYPICAL.length} typical globs against ${paths.length.toLocaleString("en")} paths (median of 21)`);
console.log(`   ours ${format(oursTypical)}, picomatch ${format(theirsTypical)}; same answer for ${agree} of ${paths.length} paths`);
