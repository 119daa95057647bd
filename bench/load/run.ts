/**
 * Load benchmark: `npm run bench:load` (or `npx tsx bench/load/run.ts`).
 *
 * The real server (built as `npm start` builds it) against a fake GitHub on loopback that answers
 * every request after BENCH_LATENCY_MS (default 50 ms), with writes spaced as on github.com
 * (READINESS_GITHUB_WRITE_INTERVAL_MS=1000, comments 3 s). Two bursts, each delivered at once:
 *  (a) the issue's reference: 100 pull requests from 100 installations (one each);
 *  (b) BENCH_DELIVERIES (default 1,000) pull_request deliveries spread over BENCH_INSTALLATIONS
 *      (default 100) installations.
 * For each: throughput (verdicts per second), p50/p99 delivery-to-verdict latency (delivery sent →
 * the fake sees the check run completed), requests per verdict, and the server's peak resident
 * memory (VmHWM). Throughput is set against the per-installation floor: within one installation
 * writes are spaced (GitHub's content-creation guidance), so an installation with k verdicts of w
 * writes each needs at least (k·w − 1) spacings; installations run side by side.
 *
 * Setups: one process with the embedded defaults (in-process queue, SQLite); with BENCH_REDIS_URL
 * and BENCH_DATABASE_URL also two processes sharing Redis (queue, throttle) and Postgres (store),
 * deliveries alternating between them.
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_ID, BASE_SHA, pullRequestEvent, throwawayPrivateKey, yaml } from "../../test/helpers/app.js";
import { FaultyGitHub } from "../../test/helpers/fault-github.js";
import { builtServer, startServer } from "../../test/helpers/server-process.js";
import type { ServerProcess } from "../../test/helpers/server-process.js";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const INSTALLATIONS = Number(process.env.BENCH_INSTALLATIONS ?? 100);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 1000);
const WRITE_INTERVAL_MS = Number(process.env.BENCH_WRITE_INTERVAL_MS ?? 1000);
const CONCURRENCY = process.env.BENCH_CONCURRENCY;
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);
const WEBHOOK_SECRET = "bench-load-webhook-secret";
const CHECK_NAME = "readiness";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha = (seed: string): string => createHmac("sha1", "bench-load").update(seed).digest("hex");

interface Planned {
  readonly number: number;
  readonly installation: number;
  readonly headSha: string;
}

/** Pull requests numbered from `first`, spread round-robin over `installations` installation ids. */
function plan(github: FaultyGitHub, count: number, installations: number, first: number): Planned[] {
  const { fake } = github;
  const pulls: Planned[] = [];
  for (let i = 0; i < count; i++) {
    const number = first + i;
    const headSha = sha(`${first}/${number}`);
    fake.addPull({ number, headSha, headRef: `feature/${number}`, title: `Change ${number}` });
    fake.setPullFiles(number, [{ filename: `src/module-${number}.ts` }, { filename: `docs/module-${number}.md` }]);
    // Half approved (success, no comment), half not (failure, a sticky comment).
    if (i % 2 === 0) fake.addReview(number, "bob", "APPROVED", headSha);
    pulls.push({ number, installation: 5000 + (i % installations), headSha });
  }
  return pulls;
}

async function deliver(server: ServerProcess, pull: Planned, id: string): Promise<number> {
  const payload = pullRequestEvent("opened", { number: pull.number, headSha: pull.headSha, headRef: `feature/${pull.number}`, title: `Change ${pull.number}`, changedFiles: 2 });
  payload.installation = { ...payload.installation, id: pull.installation };
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
  try {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": id, "x-hub-signature-256": signature },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Peak resident memory of a process (Linux), in MB. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

interface BurstResult {
  readonly name: string;
  readonly pulls: number;
  readonly installations: number;
  readonly verdicts: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly reads: number;
  readonly writes: number;
  readonly floorSeconds: number;
}

/** Sends every delivery at once (round-robin over `servers`) and waits for every verdict. */
async function burst(name: string, github: FaultyGitHub, servers: readonly ServerProcess[], pulls: readonly Planned[]): Promise<BurstResult> {
  const servedBefore = github.served.length;
  const sentAt = new Map<string, number>();
  const doneAt = new Map<string, number>();
  const started = Date.now();
  const sends = pulls.map((pull, i) => {
    sentAt.set(pull.headSha, Date.now());
    return deliver(servers[i % servers.length]!, pull, `bench-${process.pid}-${pull.number}`);
  });
  const statuses = await Promise.all(sends);
  const refused = statuses.filter((s) => s !== 200 && s !== 202).length;
  if (refused > 0) console.log(`  ${refused} deliveries were not accepted`);
  const wanted = new Set(pulls.map((p) => p.headSha));
  const deadline = started + TIMEOUT_MS;
  while (doneAt.size < wanted.size && Date.now() < deadline) {
    for (const run of github.fake.checkRuns) {
      if (run.status === "completed" && run.name === CHECK_NAME && wanted.has(run.head_sha) && !doneAt.has(run.head_sha)) doneAt.set(run.head_sha, Date.now());
    }
    await sleep(20);
  }
  const seconds = (Math.max(...doneAt.values(), started) - started) / 1000;
  const latencies = [...doneAt].map(([head, at]) => at - sentAt.get(head)!).sort((a, b) => a - b);
  const served = github.served.slice(servedBefore).filter((r) => !r.path.includes("/access_tokens"));
  const writes = served.filter((r) => r.method !== "GET").length;
  // The floor: each installation's writes, one spacing apart (comments are spaced three times as far).
  const perInstallation = new Map<number, { writes: number; comments: number }>();
  const installationOf = new Map(pulls.map((p) => [p.number, p.installation]));
  for (const pull of pulls) perInstallation.set(pull.installation, { writes: 0, comments: 0 });
  for (const run of github.fake.checkRuns) {
    const pull = pulls.find((p) => p.headSha === run.head_sha);
    if (pull) perInstallation.get(pull.installation)!.writes += 1;
  }
  for (const [number, comments] of github.fake.comments) {
    const installation = installationOf.get(number);
    if (installation !== undefined) perInstallation.get(installation)!.comments += comments.length;
  }
  // Every write of an installation waits one spacing after its previous one; comments also wait
  // three spacings after the previous comment.
  const interval = WRITE_INTERVAL_MS / 1000;
  const floorSeconds = Math.max(
    0,
    ...[...perInstallation.values()].map(({ writes: runs, comments }) => Math.max((runs + comments - 1) * interval, (comments - 1) * 3 * interval)),
  );
  return {
    name,
    pulls: pulls.length,
    installations: new Set(pulls.map((p) => p.installation)).size,
    verdicts: doneAt.size,
    seconds,
    p50: percentile(latencies, 50) / 1000,
    p99: percentile(latencies, 99) / 1000,
    reads: served.length - writes,
    writes,
    floorSeconds,
  };
}

function report(setup: string, result: BurstResult, memoryMb: readonly (number | undefined)[]): void {
  const throughput = result.verdicts / Math.max(result.seconds, 0.001);
  const floorThroughput = result.floorSeconds > 0 ? result.pulls / result.floorSeconds : Number.POSITIVE_INFINITY;
  console.log(
    [
      `${setup} — ${result.name}: ${result.verdicts}/${result.pulls} verdicts from ${result.installations} installations in ${result.seconds.toFixed(1)} s`,
      `  throughput ${throughput.toFixed(1)} verdicts/s; per-installation write floor ${result.floorSeconds.toFixed(1)} s (${Number.isFinite(floorThroughput) ? floorThroughput.toFixed(1) : "∞"} verdicts/s): ${(result.seconds / Math.max(result.floorSeconds, 0.001)).toFixed(2)}× the floor`,
      `  delivery → verdict p50 ${result.p50.toFixed(2)} s, p99 ${result.p99.toFixed(2)} s`,
      `  requests ${result.reads + result.writes} (${((result.reads + result.writes) / result.pulls).toFixed(1)} per verdict: ${(result.reads / result.pulls).toFixed(1)} reads, ${(result.writes / result.pulls).toFixed(1)} writes)`,
      `  peak memory ${memoryMb.map((m) => (m === undefined ? "?" : `${m} MB`)).join(" + ")}`,
    ].join("\n"),
  );
}

async function setupRun(setup: string, env: Record<string, string>, processes: number): Promise<void> {
  const github = await FaultyGitHub.start();
  github.latencyMs = LATENCY_MS;
  github.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1", "  docs:", "    when: [\"src/**\"]", "    require: [\"docs/**\"]", "  secrets: {}"]));
  const dirs = Array.from({ length: processes }, () => mkdtempSync(join(tmpdir(), "readiness-bench-load-")));
  const entry = await builtServer();
  const key = throwawayPrivateKey();
  const servers: ServerProcess[] = [];
  try {
    for (const dir of dirs) {
      servers.push(
        await startServer(
          entry,
          {
            APP_ID: String(APP_ID),
            PRIVATE_KEY: key,
            WEBHOOK_SECRET,
            GHE_HOST: github.host,
            GHE_PROTOCOL: "http",
            LOG_LEVEL: "warn",
            READINESS_RECONCILE_MINUTES: "0",
            READINESS_GITHUB_WRITE_INTERVAL_MS: String(WRITE_INTERVAL_MS),
            ...(CONCURRENCY ? { READINESS_CONCURRENCY: CONCURRENCY } : {}),
            ...env,
          },
          { cwd: dir },
        ),
      );
    }
    const reference = plan(github, 100, 100, 1);
    report(setup, await burst("100 pull requests, 100 installations", github, servers, reference), servers.map((s) => peakRssMb(s.child.pid)));
    const big = plan(github, DELIVERIES, INSTALLATIONS, 10_001);
    report(setup, await burst(`${DELIVERIES} deliveries, ${INSTALLATIONS} installations`, github, servers, big), servers.map((s) => peakRssMb(s.child.pid)));
  } finally {
    for (const server of servers) await server.kill("SIGKILL");
    await github.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

async function sharedServices(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> } | undefined> {
  const redisUrl = process.env.BENCH_REDIS_URL;
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!redisUrl || !databaseUrl) return undefined;
  const [{ default: pg }, { Redis }] = await Promise.all([import("pg"), import("ioredis")]);
  const database = `readiness_bench_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(databaseUrl);
  dbUrl.pathname = `/${database}`;
  const queueUrl = new URL(redisUrl);
  queueUrl.pathname = "/12";
  const redis = new Redis(queueUrl.toString());
  await redis.flushdb();
  redis.disconnect();
  return {
    env: { REDIS_URL: queueUrl.toString(), DATABASE_URL: dbUrl.toString() },
    cleanup: () => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  };
}

console.log(`bench/load: fake GitHub latency ${LATENCY_MS} ms per request, writes spaced ${WRITE_INTERVAL_MS} ms per installation (comments ${3 * WRITE_INTERVAL_MS} ms)`);
await setupRun("one process, embedded defaults", {}, 1);
const shared = await sharedServices();
if (shared) {
  try {
    await setupRun("two processes, Redis + Postgres", shared.env, 2);
  } finally {
    await shared.cleanup();
  }
} else {
  console.log("two processes on Redis and Postgres: skipped (set BENCH_REDIS_URL and BENCH_DATABASE_URL)");
}
