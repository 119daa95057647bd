/**
 * Load benchmark: `npm run bench:load` (or `npx tsx bench/load/run.ts`), options after `--`.
 *
 * The real server (built as `npm start` builds it) against a fake GitHub on loopback that answers
 * every request after a fixed latency, with writes spaced as on github.com
 * (READINESS_GITHUB_WRITE_INTERVAL_MS=1000 per installation, comments 3 s). Bursts, each
 * delivered at once:
 *  (a) the issue's reference: 100 pull requests from 100 installations (one each);
 *  (b) `deliveries` pull_request deliveries spread round-robin over `installations` installations.
 * For each: throughput (verdicts per second), p50/p99 delivery-to-verdict latency (first attempt
 * to deliver → the fake sees the check run completed), requests per verdict, peak resident memory
 * of each server process (VmHWM, reset before each burst), deliveries the server's edge answered
 * 503 (redelivered after its Retry-After, as a patient sender would), and a check that every
 * delivery got exactly one verdict: one check run, completed once, with the expected conclusion,
 * and at most one comment.
 *
 * The physical floor: GitHub asks for content-creating requests of one token to be spaced (about
 * one a second), and each installation has its own token. An installation with k pull requests
 * needs at least k check-run writes and one comment per failing pull request, one spacing apart
 * (comments three spacings apart), so the burst cannot finish before the busiest installation's
 * writes are spaced out, however fast everything else is. Printed: that floor in seconds, the
 * throughput it allows, and measured time ÷ floor.
 *
 * Setups: one process with the embedded defaults (in-process queue, SQLite); two processes
 * sharing Redis (BullMQ queue, throttle, write spacing) and Postgres (state store), deliveries
 * alternating between them. For the second, BENCH_REDIS_URL and BENCH_DATABASE_URL name services
 * to use (a throwaway database is created in that Postgres and dropped after; Redis database 12 is
 * emptied); without them the script starts a throwaway redis-server and Postgres (initdb from
 * /usr/lib/postgresql/<newest>/bin, as the `postgres` user when run as root) in a temporary
 * directory, as .ci/run does, and stops them at the end.
 *
 * Options (a flag wins over its environment variable):
 *   --deliveries N         BENCH_DELIVERIES          deliveries in the big burst (default 1000)
 *   --installations N      BENCH_INSTALLATIONS       installations they are spread over (default 100)
 *   --latency-ms N         BENCH_LATENCY_MS          fake GitHub latency per request (default 50)
 *   --mode one|two|both    BENCH_MODE                which setups run (default both)
 *   --reference 0|1        BENCH_REFERENCE           run the 100-installation reference burst first (default 1)
 *   --write-interval-ms N  BENCH_WRITE_INTERVAL_MS   per-installation write spacing (default 1000, github.com's)
 *   --concurrency N        BENCH_CONCURRENCY         READINESS_CONCURRENCY of each server (default: the server's)
 *   --timeout-ms N         BENCH_TIMEOUT_MS          give up waiting for a burst's verdicts after this (default 600000)
 *   --give-up-ms N         BENCH_GIVE_UP_MS          ... or once every delivery was answered and no verdict came for this long (default 120000)
 *                          BENCH_REDIS_URL, BENCH_DATABASE_URL   shared services for the two-process setup
 * e.g. `npm run bench:load -- --deliveries 300 --installations 30 --mode two`.
 *
 * Exit status 1 when a delivery got no verdict, or more than one.
 */
import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { APP_ID, BASE_SHA, pullRequestEvent, throwawayPrivateKey, yaml } from "../../test/helpers/app.js";
import { FaultyGitHub } from "../../test/helpers/fault-github.js";
import { builtServer, freePort, startServer } from "../../test/helpers/server-process.js";
import type { ServerProcess } from "../../test/helpers/server-process.js";

/** `--name value` or `--name=value` from the command line, else BENCH_NAME from the environment. */
function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === `--${name}`) return args[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, "_")}`];
}

function numberOption(name: string, fallback: number): number {
  const raw = option(name);
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`bench/load: --${name} (BENCH_${name.toUpperCase().replace(/-/g, "_")}) must be a number ≥ 0, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

const KNOWN_FLAGS = ["deliveries", "installations", "latency-ms", "mode", "reference", "write-interval-ms", "concurrency", "timeout-ms", "give-up-ms"];
for (const arg of process.argv.slice(2)) {
  const name = /^--([\w-]+)/.exec(arg)?.[1];
  if (name !== undefined && !KNOWN_FLAGS.includes(name)) {
    console.error(`bench/load: unknown option ${arg}; options are ${KNOWN_FLAGS.map((f) => `--${f}`).join(", ")} (see the top of bench/load/run.ts)`);
    process.exit(2);
  }
}

const LATENCY_MS = numberOption("latency-ms", 50);
const INSTALLATIONS = Math.max(1, Math.floor(numberOption("installations", 100)));
const DELIVERIES = Math.max(1, Math.floor(numberOption("deliveries", 1000)));
const WRITE_INTERVAL_MS = numberOption("write-interval-ms", 1000);
const CONCURRENCY = option("concurrency");
const TIMEOUT_MS = numberOption("timeout-ms", 600_000);
const GIVE_UP_MS = numberOption("give-up-ms", 120_000);
const REFERENCE = option("reference") !== "0";
const MODE = option("mode") ?? "both";
if (!["one", "two", "both"].includes(MODE)) {
  console.error(`bench/load: --mode (BENCH_MODE) is one, two or both, got ${JSON.stringify(MODE)}`);
  process.exit(2);
}
const WEBHOOK_SECRET = "bench-load-webhook-secret";
const CHECK_NAME = "readiness";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What must be undone if the run is interrupted (Ctrl-C): server processes, throwaway services. */
const cleanups = new Set<() => Promise<void> | void>();
async function runCleanups(): Promise<void> {
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await cleanup();
    } catch {
      // best effort: the others still run
    }
  }
  cleanups.clear();
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void runCleanups().finally(() => process.exit(130)));
const sha = (seed: string): string => createHmac("sha1", "bench-load").update(seed).digest("hex");

interface Planned {
  readonly number: number;
  readonly installation: number;
  readonly headSha: string;
  readonly expected: "success" | "failure";
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
    const approved = i % 2 === 0;
    if (approved) fake.addReview(number, "bob", "APPROVED", headSha);
    pulls.push({ number, installation: 5000 + (i % installations), headSha, expected: approved ? "success" : "failure" });
  }
  return pulls;
}

interface Delivered {
  /** The last answer's status (0: no answer). */
  readonly status: number;
  /** Answers of 503 (the edge's "too many at once"), each followed by a redelivery. */
  readonly refused: number;
}

/** One delivery; a 503 is redelivered after its Retry-After, at most 30 times. */
async function deliver(server: ServerProcess, pull: Planned, id: string): Promise<Delivered> {
  const payload = pullRequestEvent("opened", { number: pull.number, headSha: pull.headSha, headRef: `feature/${pull.number}`, title: `Change ${pull.number}`, changedFiles: 2 });
  payload.installation = { ...payload.installation, id: pull.installation };
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
  let refused = 0;
  for (;;) {
    let status = 0;
    let retryAfter = 1;
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/github/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": id, "x-hub-signature-256": signature },
        body,
        signal: AbortSignal.timeout(60_000),
      });
      await response.arrayBuffer();
      status = response.status;
      retryAfter = Number(response.headers.get("retry-after") ?? 1) || 1;
    } catch {
      status = 0;
    }
    if (status !== 503 || refused >= 30) return { status, refused };
    refused += 1;
    await sleep(retryAfter * 1000);
  }
}

/** Peak resident memory of a process since start or its last reset (Linux), in MB. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used (Linux), in seconds; clock ticks are 100 a second on Linux. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Resets a process's peak resident memory to its current one (Linux: `5` to clear_refs), so a burst's peak is its own. */
function resetPeakRss(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // Not Linux, or not allowed: the peak then spans the process's life, which the report says.
  }
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

interface Verification {
  /** Deliveries with one check run, completed with the expected conclusion, written complete once, at most one comment. */
  readonly exact: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly wrong: number;
  readonly problems: readonly string[];
}

/**
 * Exactly one verdict per delivery: one check run of ours for its head commit, completed with the
 * expected conclusion, by exactly one write carrying a conclusion (a second evaluation that
 * published again would show as a second such write), and at most one comment.
 */
function verify(github: FaultyGitHub, pulls: readonly Planned[]): Verification {
  const { fake } = github;
  const headOfRun = new Map(fake.ownCheckRuns().map((run) => [run.id, run.head_sha]));
  const verdictWrites = new Map<string, number>();
  for (const request of fake.requests) {
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body.conclusion !== "string") continue;
    let head: string | undefined;
    if (request.method === "POST" && /\/check-runs$/.test(request.path)) head = typeof body.head_sha === "string" ? body.head_sha : undefined;
    const patched = request.method === "PATCH" ? /\/check-runs\/(\d+)$/.exec(request.path) : null;
    if (patched) head = headOfRun.get(Number(patched[1]));
    if (head !== undefined) verdictWrites.set(head, (verdictWrites.get(head) ?? 0) + 1);
  }
  let exact = 0;
  let missing = 0;
  let duplicated = 0;
  let wrong = 0;
  const problems: string[] = [];
  for (const pull of pulls) {
    const runs = fake.ownCheckRuns(pull.headSha).filter((run) => run.name === CHECK_NAME);
    const completed = runs.filter((run) => run.status === "completed");
    const writes = verdictWrites.get(pull.headSha) ?? 0;
    const comments = fake.ownComments(pull.number).length;
    if (completed.length === 0) {
      missing += 1;
      problems.push(`#${pull.number}: no verdict (${runs.length} check runs: ${runs.map((r) => r.status).join(", ") || "none"})`);
    } else if (runs.length > 1 || writes > 1 || comments > 1) {
      duplicated += 1;
      problems.push(`#${pull.number}: ${runs.length} check runs, ${writes} writes with a conclusion, ${comments} comments`);
    } else if (completed[0]!.conclusion !== pull.expected) {
      wrong += 1;
      problems.push(`#${pull.number}: expected ${pull.expected}, got ${completed[0]!.conclusion} (${completed[0]!.output.title ?? ""})`);
    } else {
      exact += 1;
    }
  }
  return { exact, missing, duplicated, wrong, problems };
}

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
  readonly refused: number;
  readonly unanswered: number;
  /** Seconds from the first delivery until the server had answered every one. */
  readonly acceptedSeconds: number;
  readonly memoryMb: readonly (number | undefined)[];
  /** CPU seconds each server process used during the burst. */
  readonly cpuSeconds: readonly (number | undefined)[];
  readonly verification: Verification;
  /** The machine's 1-minute load average when the burst ended: other work on it slows everything. */
  readonly load: number;
}

/**
 * The floor set by GitHub's spacing of content-creating requests, per installation token: each
 * pull request needs one check-run write and, when it fails, one comment; an installation's writes
 * are one spacing apart and its comments three spacings apart. Installations run side by side.
 */
function floorSeconds(pulls: readonly Planned[]): number {
  const perInstallation = new Map<number, { writes: number; comments: number }>();
  for (const pull of pulls) {
    const counts = perInstallation.get(pull.installation) ?? { writes: 0, comments: 0 };
    counts.writes += pull.expected === "failure" ? 2 : 1;
    counts.comments += pull.expected === "failure" ? 1 : 0;
    perInstallation.set(pull.installation, counts);
  }
  const interval = WRITE_INTERVAL_MS / 1000;
  return Math.max(0, ...[...perInstallation.values()].map(({ writes, comments }) => Math.max((writes - 1) * interval, (comments - 1) * 3 * interval)));
}

/** Waits until the fake has seen no request for `quietMs` (at most `limitMs`): whatever a duplicate evaluation would write has been written. */
async function quiet(github: FaultyGitHub, quietMs: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (github.idleMs < quietMs && Date.now() < deadline) await sleep(200);
}

/** Sends every delivery at once (round-robin over `servers`) and waits for every verdict. */
async function burst(name: string, github: FaultyGitHub, servers: readonly ServerProcess[], pulls: readonly Planned[]): Promise<BurstResult> {
  for (const server of servers) resetPeakRss(server.child.pid);
  const cpuBefore = servers.map((s) => cpuSeconds(s.child.pid));
  const servedBefore = github.served.length;
  const sentAt = new Map<string, number>();
  const doneAt = new Map<string, number>();
  const wanted = new Set(pulls.map((p) => p.headSha));
  const started = Date.now();
  const sends = pulls.map((pull, i) => {
    sentAt.set(pull.headSha, Date.now());
    return deliver(servers[i % servers.length]!, pull, `bench-${process.pid}-${pull.number}`);
  });
  let delivered: Delivered[] | undefined;
  let deliveredAt = Number.POSITIVE_INFINITY;
  void Promise.all(sends).then((all) => {
    delivered = all;
    deliveredAt = Date.now();
  });
  const deadline = started + TIMEOUT_MS;
  let progressAt = started;
  let lastVerdictAt = started;
  let gaveUp = false;
  while ((doneAt.size < wanted.size || delivered === undefined) && Date.now() < deadline) {
    if (Date.now() - progressAt >= 30_000) {
      progressAt = Date.now();
      console.log(`  … ${Math.round((progressAt - started) / 1000)} s: ${doneAt.size}/${wanted.size} verdicts`);
    }
    for (const run of github.fake.checkRuns) {
      if (run.status === "completed" && run.name === CHECK_NAME && wanted.has(run.head_sha) && !doneAt.has(run.head_sha)) {
        doneAt.set(run.head_sha, Date.now());
        lastVerdictAt = Date.now();
      }
    }
    if (delivered !== undefined && Date.now() - Math.max(lastVerdictAt, deliveredAt) > GIVE_UP_MS) {
      gaveUp = true;
      console.log(`  no verdict for ${GIVE_UP_MS / 1000} s with ${wanted.size - doneAt.size} missing: stopped waiting`);
      break;
    }
    await sleep(20);
  }
  const memoryMb = servers.map((s) => peakRssMb(s.child.pid));
  const cpu = servers.map((s, i) => {
    const now = cpuSeconds(s.child.pid);
    const before = cpuBefore[i];
    return now === undefined || before === undefined ? undefined : now - before;
  });
  const seconds = (Math.max(...doneAt.values(), started) - started) / 1000;
  const latencies = [...doneAt].map(([head, at]) => at - sentAt.get(head)!).sort((a, b) => a - b);
  if (!gaveUp) await quiet(github, 3_000, 60_000);
  const served = github.served.slice(servedBefore).filter((r) => !r.path.includes("/access_tokens"));
  const writes = served.filter((r) => r.method !== "GET").length;
  const answers = delivered ?? [];
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
    floorSeconds: floorSeconds(pulls),
    refused: answers.reduce((sum, d) => sum + d.refused, 0),
    unanswered: delivered === undefined ? pulls.length : answers.filter((d) => d.status !== 200 && d.status !== 202).length,
    acceptedSeconds: (deliveredAt - started) / 1000,
    memoryMb,
    cpuSeconds: cpu,
    verification: verify(github, pulls),
    load: loadavg()[0]!,
  };
}

function report(setup: string, result: BurstResult): void {
  const throughput = result.verdicts / Math.max(result.seconds, 0.001);
  const floorThroughput = result.floorSeconds > 0 ? result.pulls / result.floorSeconds : Number.POSITIVE_INFINITY;
  const v = result.verification;
  const memory = result.memoryMb.map((m) => (m === undefined ? "?" : `${m} MB`));
  console.log(
    [
      `${setup} — ${result.name}: ${result.verdicts}/${result.pulls} verdicts from ${result.installations} installations in ${result.seconds.toFixed(1)} s`,
      `  throughput ${throughput.toFixed(1)} verdicts/s`,
      `  physical floor (one installation's writes ${WRITE_INTERVAL_MS} ms apart, comments ${3 * WRITE_INTERVAL_MS} ms): ${result.floorSeconds.toFixed(1)} s, at most ${Number.isFinite(floorThroughput) ? floorThroughput.toFixed(1) : "∞"} verdicts/s; measured ${(result.seconds / Math.max(result.floorSeconds, 0.001)).toFixed(2)}× the floor (throughput ${((throughput / floorThroughput) * 100).toFixed(0)}% of the floor's)`,
      `  delivery → verdict p50 ${result.p50.toFixed(2)} s, p99 ${result.p99.toFixed(2)} s`,
      `  requests to GitHub ${result.reads + result.writes} (${((result.reads + result.writes) / result.pulls).toFixed(1)} per verdict: ${(result.reads / result.pulls).toFixed(1)} reads, ${(result.writes / result.pulls).toFixed(1)} writes)`,
      `  peak memory (RSS) ${memory.join(" + ")}${result.memoryMb.length > 1 && result.memoryMb.every((m) => m !== undefined) ? ` = ${result.memoryMb.reduce((a, b) => a! + b!, 0)} MB` : ""}`,
      `  server CPU ${result.cpuSeconds.map((c) => (c === undefined ? "?" : `${c.toFixed(1)} s`)).join(" + ")}${result.cpuSeconds.every((c) => c !== undefined) ? ` (${(result.cpuSeconds.reduce((a, b) => a! + b!, 0)! / Math.max(result.verdicts, 1)).toFixed(3)} s per verdict)` : ""}`,
      `  deliveries: all answered after ${Number.isFinite(result.acceptedSeconds) ? `${result.acceptedSeconds.toFixed(1)} s` : "(never)"}; ${result.refused} answers of 503 (redelivered after Retry-After), ${result.unanswered} never accepted`,
      `  exactly one verdict: ${v.exact}/${result.pulls}; missing ${v.missing}, duplicated ${v.duplicated}, wrong conclusion ${v.wrong}`,
      `  machine: load average ${result.load.toFixed(1)} on ${availableParallelism()} cores at the end of the burst`,
      ...v.problems.slice(0, 10).map((p) => `    ${p}`),
      ...(v.problems.length > 10 ? [`    … and ${v.problems.length - 10} more`] : []),
    ].join("\n"),
  );
}

/** The servers' warnings and errors (they log at warn): how many, and the most frequent messages. */
function logSummary(servers: readonly ServerProcess[]): string {
  const counts = new Map<string, number>();
  let warnings = 0;
  let errors = 0;
  for (const line of servers.flatMap((s) => s.logLines())) {
    const level = typeof line.level === "number" ? line.level : 0;
    if (level >= 50) errors += 1;
    else if (level >= 40) warnings += 1;
    else continue;
    const message = `${level >= 50 ? "error" : "warn"}: ${String(line.msg ?? "").slice(0, 160)}${typeof line.err === "object" && line.err !== null ? ` (${String((line.err as { message?: unknown }).message ?? "").slice(0, 80)})` : ""}`;
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
  return [`  server logs: ${warnings} warnings, ${errors} errors`, ...top.map(([message, n]) => `    ${n}× ${message}`)].join("\n");
}

async function setupRun(setup: string, env: Record<string, string>, processes: number): Promise<BurstResult[]> {
  const github = await FaultyGitHub.start();
  github.latencyMs = LATENCY_MS;
  github.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1", "  docs:", "    when: [\"src/**\"]", "    require: [\"docs/**\"]", "  secrets: {}"]));
  const dirs = Array.from({ length: processes }, () => mkdtempSync(join(tmpdir(), "readiness-bench-load-")));
  const entry = await builtServer();
  const key = throwawayPrivateKey();
  const servers: ServerProcess[] = [];
  const results: BurstResult[] = [];
  const cleanup = async () => {
    for (const server of servers) await server.kill("SIGKILL");
    await github.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  cleanups.add(cleanup);
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
            // Only the deliveries' work: no reconciliation pass, no scorecard sweep.
            READINESS_RECONCILE_MINUTES: "0",
            READINESS_SCORECARD_INTERVAL_HOURS: "0",
            READINESS_GITHUB_WRITE_INTERVAL_MS: String(WRITE_INTERVAL_MS),
            ...(CONCURRENCY ? { READINESS_CONCURRENCY: CONCURRENCY } : {}),
            ...env,
          },
          { cwd: dir, readyTimeoutMs: 120_000 },
        ),
      );
    }
    if (REFERENCE) {
      const reference = plan(github, 100, 100, 1);
      const result = await burst("100 pull requests, 100 installations", github, servers, reference);
      report(setup, result);
      results.push(result);
    }
    const big = plan(github, DELIVERIES, INSTALLATIONS, 10_001);
    const result = await burst(`${DELIVERIES} deliveries, ${Math.min(INSTALLATIONS, DELIVERIES)} installations`, github, servers, big);
    report(setup, result);
    results.push(result);
    const crashed = servers.filter((s) => !s.alive());
    if (crashed.length > 0) console.log(`  ${crashed.length} server process(es) exited during the run:\n${crashed.map((s) => s.output().slice(-2000)).join("\n")}`);
    console.log(logSummary(servers));
    return results;
  } finally {
    cleanups.delete(cleanup);
    await cleanup();
  }
}

interface Services {
  readonly redisUrl: string;
  readonly databaseUrl: string;
  readonly origin: string;
  stop(): Promise<void>;
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** The newest installed PostgreSQL's bin directory (Debian's layout), if any. */
function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length > 0 ? join(root, versions.at(-1)!, "bin") : undefined;
}

/** Runs a PostgreSQL tool as `postgres` when we are root (the server refuses to run as root). */
function asPostgresUser(command: string, args: readonly string[]): { status: number | null; output: string } {
  const root = process.getuid?.() === 0;
  const result = root ? spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" }) : spawnSync(command, args, { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}` };
}

/** True when a Redis server on the port answers PING. */
function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"));
    });
  });
}

/** A throwaway redis-server and PostgreSQL in a temporary directory, or why there cannot be. */
async function throwawayServices(): Promise<Services | string> {
  const redisServer = onPath("redis-server");
  const bin = postgresBin();
  if (!redisServer || !bin) return `no ${[redisServer ? undefined : "redis-server on PATH", bin ? undefined : "PostgreSQL under /usr/lib/postgresql"].filter(Boolean).join(" and ")}`;
  const dir = mkdtempSync(join(tmpdir(), "readiness-bench-services-"));
  // mkdtemp makes it private to us; the postgres user must reach its own directory inside.
  chmodSync(dir, 0o755);
  const stops: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const action of stops.reverse()) {
      try {
        await action();
      } catch {
        // best effort: the rest still stop
      }
    }
  };
  try {
    const redisPort = await freePort();
    const redis: ChildProcess = spawn(redisServer, ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          if (redis.exitCode !== null || redis.signalCode !== null) return resolve();
          redis.once("exit", () => resolve());
          redis.kill("SIGKILL");
        }),
    );
    let redisUp = false;
    for (let tries = 0; tries < 100 && !redisUp; tries++) {
      redisUp = await redisAnswers(redisPort);
      if (!redisUp) await sleep(100);
    }
    if (!redisUp) throw new Error(`redis-server did not answer on port ${redisPort}`);

    const pgDir = join(dir, "postgres");
    mkdirSync(pgDir);
    if (process.getuid?.() === 0) chownSync(pgDir, Number(spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }).stdout.trim()), Number(spawnSync("id", ["-g", "postgres"], { encoding: "utf8" }).stdout.trim()));
    const pgPort = await freePort();
    const data = join(pgDir, "data");
    const initdb = asPostgresUser(join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync"]);
    if (initdb.status !== 0) throw new Error(`initdb failed:\n${initdb.output}`);
    const started = asPostgresUser(join(bin, "pg_ctl"), ["-D", data, "-l", join(pgDir, "server.log"), "-w", "-t", "60", "-o", `-p ${pgPort} -k ${pgDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, "start"]);
    if (started.status !== 0) throw new Error(`PostgreSQL did not start:\n${started.output}\n${existsSync(join(pgDir, "server.log")) ? readFileSync(join(pgDir, "server.log"), "utf8") : ""}`);
    stops.push(() => void asPostgresUser(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]));
    return { redisUrl: `redis://127.0.0.1:${redisPort}`, databaseUrl: `postgres://postgres@127.0.0.1:${pgPort}/postgres`, origin: `throwaway redis-server and PostgreSQL (${bin}) in ${dir}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The two processes' environment: a fresh database in the Postgres and an emptied Redis database. */
async function sharedEnvironment(services: Services): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const [{ default: pg }, { Redis }] = await Promise.all([import("pg"), import("ioredis")]);
  const database = `readiness_bench_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: services.databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(services.databaseUrl);
  dbUrl.pathname = `/${database}`;
  const queueUrl = new URL(services.redisUrl);
  queueUrl.pathname = "/12";
  const redis = new Redis(queueUrl.toString());
  await redis.flushdb();
  redis.disconnect();
  return {
    env: { REDIS_URL: queueUrl.toString(), DATABASE_URL: dbUrl.toString() },
    cleanup: () => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  };
}

async function twoProcesses(): Promise<BurstResult[]> {
  const given = process.env.BENCH_REDIS_URL && process.env.BENCH_DATABASE_URL;
  const services: Services | string = given
    ? { redisUrl: process.env.BENCH_REDIS_URL!, databaseUrl: process.env.BENCH_DATABASE_URL!, origin: "BENCH_REDIS_URL and BENCH_DATABASE_URL", stop: async () => {} }
    : await throwawayServices();
  if (typeof services === "string") {
    console.log(`two processes on Redis and Postgres: skipped (${services}; set BENCH_REDIS_URL and BENCH_DATABASE_URL)`);
    return [];
  }
  const stop = () => services.stop();
  cleanups.add(stop);
  try {
    console.log(`two processes: Redis and Postgres from ${services.origin}`);
    const shared = await sharedEnvironment(services);
    cleanups.add(shared.cleanup);
    try {
      return await setupRun("two processes, Redis + Postgres", shared.env, 2);
    } finally {
      cleanups.delete(shared.cleanup);
      await shared.cleanup();
    }
  } finally {
    cleanups.delete(stop);
    await stop();
  }
}

console.log(
  `bench/load: ${DELIVERIES} deliveries over ${INSTALLATIONS} installations${REFERENCE ? " (after the 100-installation reference burst)" : ""}; fake GitHub latency ${LATENCY_MS} ms per request; writes spaced ${WRITE_INTERVAL_MS} ms per installation (comments ${3 * WRITE_INTERVAL_MS} ms); setups: ${MODE}`,
);
const results: BurstResult[] = [];
if (MODE !== "two") results.push(...(await setupRun("one process, embedded defaults", {}, 1)));
if (MODE !== "one") results.push(...(await twoProcesses()));
const bad = results.filter((r) => r.verification.exact !== r.pulls);
if (bad.length > 0) {
  console.log(`not every delivery got exactly one verdict in: ${bad.map((r) => r.name).join("; ")}`);
  process.exitCode = 1;
}
