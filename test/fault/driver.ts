/**
 * The fault suite's driver: a fleet of open pull requests on the fake GitHub with known verdicts,
 * the real server started against it, signed webhook deliveries, a bounded wait until everything
 * is quiet, and the count of what every pull request ended with.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP_ID, BASE_SHA, pullRequestEvent, throwawayPrivateKey, yaml } from "../helpers/app.js";
import { FaultyGitHub } from "../helpers/fault-github.js";
import { builtServer, startServer } from "../helpers/server-process.js";
import type { ServerProcess } from "../helpers/server-process.js";
import { prng } from "../helpers/prng.js";

export const WEBHOOK_SECRET = "fault-suite-webhook-secret";
export const CHECK_NAME = "readiness";

export interface PlannedPull {
  readonly number: number;
  readonly headSha: string;
  readonly expected: "success" | "failure";
}

const sha = (seed: string): string => createHmac("sha1", "fault-suite").update(seed).digest("hex");

/**
 * `count` open pull requests on acme/shop, each its own head commit and one changed file; the
 * configuration at the base asks for one approval, and a seeded share of them (`failing`) lacks it:
 * those fail (and get a comment), the others pass.
 */
export function seedPulls(github: FaultyGitHub, count: number, seed: number, firstNumber = 1, failing = 0.5): PlannedPull[] {
  const random = prng(seed);
  const { fake } = github;
  fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  const pulls: PlannedPull[] = [];
  for (let number = firstNumber; number < firstNumber + count; number++) {
    const headSha = sha(`${seed}/${number}`);
    fake.addPull({ number, headSha, headRef: `feature/${number}`, title: `Change ${number}` });
    fake.setPullFiles(number, [{ filename: `src/module-${number}.ts` }]);
    const approved = random() >= failing;
    if (approved) fake.addReview(number, "bob", "APPROVED", headSha);
    pulls.push({ number, headSha, expected: approved ? "success" : "failure" });
  }
  return pulls;
}

/** A pull_request event about a planned pull request, as GitHub would send it now. */
export function pullEvent(action: string, pull: PlannedPull): Record<string, unknown> {
  return pullRequestEvent(action, { number: pull.number, headSha: pull.headSha, headRef: `feature/${pull.number}`, title: `Change ${pull.number}`, changedFiles: 1 });
}

export const openedEvent = (pull: PlannedPull): Record<string, unknown> => pullEvent("opened", pull);

let deliveries = 0;

/** One signed delivery; resolves to the HTTP status, or 0 when the server could not be reached. */
export async function deliver(server: Pick<ServerProcess, "port">, name: string, payload: unknown, deliveryId = `fault-${process.pid}-${++deliveries}`): Promise<number> {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
  try {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": name, "x-github-delivery": deliveryId, "x-hub-signature-256": signature },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * The server's timeout per GitHub request attempt in the suites that inject hangs
 * (READINESS_GITHUB_TIMEOUT_MS, for startApp's `env`): the same abort-and-retry path as the 10 s
 * default at under a third of the wait, as a hung request holds one of the server's few job slots
 * for the whole timeout.
 */
export const REQUEST_TIMEOUT_MS = 3_000;
export const SHORT_REQUEST_TIMEOUT = { READINESS_GITHUB_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } as const;
/** How long the fake holds a hanging request: past the server's timeout, so the server gives up first. */
export const HANG_MS = REQUEST_TIMEOUT_MS + 2_000;

let privateKey: string | undefined;

/** A server process for the fake, with the app's credentials and what else `env` says. */
export async function startApp(github: FaultyGitHub, workDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const entry = await builtServer();
  return startServer(
    entry,
    {
      APP_ID: String(APP_ID),
      PRIVATE_KEY: (privateKey ??= throwawayPrivateKey()),
      WEBHOOK_SECRET,
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "info",
      ...env,
    },
    { cwd: workDir },
  );
}

export function workDir(name: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `readiness-${name}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface Outcome {
  readonly pulls: number;
  readonly faults: number;
  readonly right: number;
  readonly wrong: number;
  readonly duplicates: number;
  readonly stuck: number;
  readonly missing: number;
  /** One line per pull request that did not end right, for the failure message. */
  readonly problems: readonly string[];
}

/** What each pull request ended with on the fake: its own check runs for its head, its comments. */
export function outcome(github: FaultyGitHub, pulls: readonly PlannedPull[]): Outcome {
  let right = 0;
  let wrong = 0;
  let duplicates = 0;
  let stuck = 0;
  let missing = 0;
  const problems: string[] = [];
  for (const pull of pulls) {
    const runs = github.fake.ownCheckRuns(pull.headSha).filter((r) => r.name === CHECK_NAME);
    const comments = github.fake.ownComments(pull.number);
    const completed = runs.filter((r) => r.status === "completed");
    if (runs.length > 1 || comments.length > 1) {
      duplicates++;
      problems.push(`#${pull.number}: ${runs.length} check runs, ${comments.length} comments`);
    }
    if (runs.length === 0) {
      missing++;
      problems.push(`#${pull.number}: no check run`);
    } else if (completed.length === 0) {
      stuck++;
      problems.push(`#${pull.number}: check run left ${runs.map((r) => r.status).join(", ")}`);
    } else if (completed.every((r) => r.conclusion === pull.expected)) {
      if (runs.length === 1 && comments.length <= 1) right++;
    } else {
      wrong++;
      problems.push(`#${pull.number}: expected ${pull.expected}, got ${completed.map((r) => `${r.conclusion} (${r.output.title ?? ""})`).join(", ")}`);
    }
  }
  return { pulls: pulls.length, faults: github.faultsInjected, right, wrong, duplicates, stuck, missing, problems };
}

export function summaryLine(scenario: string, result: Outcome): string {
  return `${scenario}: pull requests ${result.pulls}, faults injected ${result.faults}, right verdicts ${result.right}, wrong verdicts ${result.wrong}, duplicates ${result.duplicates}, stuck ${result.stuck}, missing ${result.missing}`;
}

/** The server's warnings and errors (at most `limit`, the last ones), for a failure message. */
export function troubles(server: ServerProcess | undefined, limit = 20): string {
  if (!server) return "";
  const lines = server.logLines().filter((line) => Number(line.level) >= 40);
  return lines.slice(-limit).map((line) => JSON.stringify(line).slice(0, 600)).join("\n");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the fake has been idle (nothing in flight, nothing new) for `quietMs` with every
 * pull request completed, or for `giveUpQuietMs` whatever their state, or until `timeoutMs`.
 */
export async function settle(github: FaultyGitHub, pulls: readonly PlannedPull[], options: { quietMs?: number; giveUpQuietMs?: number; timeoutMs: number }): Promise<void> {
  const quietMs = options.quietMs ?? 3_000;
  const giveUpQuietMs = options.giveUpQuietMs ?? 15_000;
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  while (Date.now() < deadline) {
    const idle = Math.min(github.idleMs, Date.now() - started);
    if (idle >= giveUpQuietMs) return;
    if (idle >= quietMs) {
      const done = pulls.every((p) => github.fake.ownCheckRuns(p.headSha).some((r) => r.name === CHECK_NAME && r.status === "completed"));
      if (done) return;
    }
    await sleep(200);
  }
}

/** Runs `tasks` with at most `limit` at once. */
export async function inParallel<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
