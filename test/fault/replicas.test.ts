/**
 * Issue 8, two replicas: two server processes sharing Redis (the job queue, the request
 * throttle) and Postgres (the state store). A burst split across both gives each pull request
 * one check run and at most one comment; a replica killed in the middle of a burst loses nothing.
 *
 * Needs TEST_REDIS_URL and TEST_DATABASE_URL (.ci/run starts both services). Without them the
 * test is skipped, and says so.
 */
import { afterAll, beforeAll, expect, jest, test } from "@jest/globals";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { Redis } from "ioredis";
import { FaultyGitHub } from "../helpers/fault-github.js";
import { builtServer } from "../helpers/server-process.js";
import type { ServerProcess } from "../helpers/server-process.js";
import { deliver, HANG_MS, inParallel, openedEvent, outcome, pullEvent, seedPulls, settle, SHORT_REQUEST_TIMEOUT, startApp, summaryLine, workDir } from "./driver.js";
import type { PlannedPull } from "./driver.js";

jest.setTimeout(420_000);

const SEED = 2;
const PULLS = 20;
/** The Redis database the suite empties and uses, apart from other tests' default 0. */
const REDIS_DB = 11;

const redisUrl = process.env.TEST_REDIS_URL;
const databaseUrl = process.env.TEST_DATABASE_URL;
const missing = [redisUrl ? undefined : "TEST_REDIS_URL", databaseUrl ? undefined : "TEST_DATABASE_URL"].filter(Boolean);
if (missing.length > 0) console.log(`two replicas: skipped, ${missing.join(" and ")} not set (.ci/run starts Redis and Postgres and sets them)`);
const replicaTest = missing.length === 0 ? test : test.skip;

let github: FaultyGitHub;
let env: Record<string, string>;
let database: string | undefined;
const replicas: ServerProcess[] = [];
const dirs = [workDir("replica-a"), workDir("replica-b")];

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (missing.length > 0) return;
  await builtServer();
  github = await FaultyGitHub.start();
  database = `readiness_fault_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${database}`));
  const dbUrl = new URL(databaseUrl!);
  dbUrl.pathname = `/${database}`;
  const queueUrl = new URL(redisUrl!);
  queueUrl.pathname = `/${REDIS_DB}`;
  const redis = new Redis(queueUrl.toString());
  await redis.flushdb();
  redis.disconnect();
  env = { REDIS_URL: queueUrl.toString(), DATABASE_URL: dbUrl.toString(), ...SHORT_REQUEST_TIMEOUT };
}, 300_000);

afterAll(async () => {
  for (const replica of replicas) await replica.kill("SIGKILL");
  await github?.close();
  if (database) await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  for (const dir of dirs) dir.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each pull request is opened on one replica and labeled on the other, at once. */
async function splitBurst(pulls: readonly PlannedPull[], [a, b]: readonly ServerProcess[]): Promise<void> {
  await inParallel(pulls, pulls.length, (pull, i) =>
    Promise.all([deliver(i % 2 ? a! : b!, "pull_request", openedEvent(pull)), deliver(i % 2 ? b! : a!, "pull_request", pullEvent("labeled", pull))]),
  );
}

replicaTest("a burst split across two replicas: one check run and at most one comment per pull request; one replica killed mid-burst loses nothing", async () => {
  replicas.push(await startApp(github, dirs[0]!.path, env), await startApp(github, dirs[1]!.path, env));
  github.inject({ seed: SEED, rate: 0.1, hangMs: HANG_MS, retryAfterSeconds: 1 });

  const first = seedPulls(github, PULLS, SEED);
  await splitBurst(first, replicas);
  await settle(github, first, { timeoutMs: 180_000, giveUpQuietMs: 20_000 });
  const shared = outcome(github, first);
  console.log(summaryLine("two replicas", shared));

  // Now each pull request's one event goes to one replica only: what the killed one took must not be lost.
  const second = seedPulls(github, PULLS, SEED + 1, 1 + PULLS);
  const burst = inParallel(second, second.length, (pull, i) => deliver(replicas[i % 2]!, "pull_request", openedEvent(pull)));
  const written = github.fake.ownCheckRuns().length;
  const deadline = Date.now() + 60_000;
  while (github.fake.ownCheckRuns().length < written + 3 && Date.now() < deadline) await sleep(50);
  await replicas[0]!.kill("SIGKILL");
  await burst;
  // Long enough for the killed replica's stalled jobs and its hold on the shared write throttle (2 minutes) to expire.
  await settle(github, second, { timeoutMs: 240_000, giveUpQuietMs: 150_000 });
  const afterKill = outcome(github, second);
  console.log(summaryLine("two replicas, one killed mid-burst", afterKill));

  expect(replicas[1]!.alive()).toBe(true);
  expect(shared.problems).toEqual([]);
  expect(afterKill.problems).toEqual([]);
});
