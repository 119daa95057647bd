/**
 * The dashboard's page time with 500 repositories and 90 days of daily history (45,000 branch
 * records) in a SQLite file: each page requested over HTTP from the web handler, signed in, the
 * person's repository list cached as in use; server render plus response, measured by the client.
 *
 *   npx tsx bench/dashboard/run.ts            (or: npm run bench:dashboard)
 *   npx tsx bench/dashboard/run.ts --repositories 200 --days 30
 *
 * The seeded file is kept in bench/.cache/ (seeding 45,000 records one by one takes minutes);
 * delete it after changing the seed or the migrations.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openSqliteStateStore } from "../../src/state/sql.js";
import { seedScorecards, SEEDED_INSTALLATION, seededRepositoryName } from "../../test/helpers/scorecards.js";
import { Browser, serveWeb, TEST_API_TOKEN } from "../../test/helpers/web.js";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

const repositories = option("repositories", 500);
const days = option("days", 90);
const rounds = option("rounds", 30);
const now = new Date("2026-03-31T12:00:00Z");

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function main(): Promise<void> {
  const dir = join(process.cwd(), "bench", ".cache");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `dashboard-${repositories}x${days}.sqlite`);
  const seeded = existsSync(file);
  const store = openSqliteStateStore(file);
  await store.migrate();
  let started = performance.now();
  if (!seeded) {
    const records = await seedScorecards(store, { repositories, days, now });
    console.log(`seeded ${records.length} branch records (${repositories} repositories x ${days} days) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } else {
    console.log(`${file}: seeded before (${repositories} repositories x ${days} days)`);
  }

  const web = await serveWeb(store, {}, now);
  const names = Array.from({ length: repositories }, (_, index) => `acme/${seededRepositoryName(index)}`);
  web.github.signInAs = { id: 1, login: "bench", repositories: new Map([[SEEDED_INSTALLATION, names]]) };
  const browser = new Browser(web.url);
  await browser.signIn();

  const pages: [string, string, Record<string, string>][] = [
    ["organisation page", "/dashboard", {}],
    ["organisation page, filtered", "/dashboard?level=below&area=security", {}],
    ["repository page", `/dashboard/repositories/acme/${seededRepositoryName(7)}`, {}],
    ["GET /api/scorecards", "/api/scorecards", { authorization: `Bearer ${TEST_API_TOKEN}` }],
    ["GET /api/scorecards.csv", "/api/scorecards.csv", { authorization: `Bearer ${TEST_API_TOKEN}` }],
  ];
  console.log(`\n${"page".padEnd(30)} ${"median ms".padStart(10)} ${"p95 ms".padStart(8)} ${"bytes".padStart(9)}`);
  for (const [label, path, headers] of pages) {
    const samples: number[] = [];
    let bytes = 0;
    for (let round = 0; round <= rounds; round++) {
      started = performance.now();
      const response = await browser.get(path, headers);
      const body = await response.arrayBuffer();
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      bytes = body.byteLength;
      if (round > 0) samples.push(elapsed); // the first is a warm-up
    }
    console.log(`${label.padEnd(30)} ${percentile(samples, 0.5).toFixed(1).padStart(10)} ${percentile(samples, 0.95).toFixed(1).padStart(8)} ${String(bytes).padStart(9)}`);
  }
  await web.close();
  await store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
