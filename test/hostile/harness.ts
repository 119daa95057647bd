/**
 * The hostile suite's harness: the real server (src/server.ts as `npm start` runs it, from source)
 * against a fake GitHub on 127.0.0.1 reached through GHE_HOST, and the checks every case must
 * pass whatever it attacks:
 * - the server stays up and `/ping` answers within a second throughout the case (polled every
 *   100 ms from a separate process, so the test process's own work does not count as a stall);
 * - its memory (RSS) grows by less than the case's bound (default 200 MB) at its peak;
 * - no request body the fake GitHub received, and no log line, holds the planted secret or an
 *   @-mention of the planted login that would ping;
 * - the case's own expected outcome (HTTP status, no API request, a check run, a log line).
 *
 * A case is data (see HostileCase); cases live in test/hostile/cases/, one file per theme.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeGitHub } from "../helpers/app.js";
import type { FakeCheckRun, RecordedRequest } from "../helpers/app.js";
import { rawPost } from "../helpers/raw-http.js";
import type { RawAnswer, RawPost } from "../helpers/raw-http.js";
import { freePort, serveFakeGitHub, serverEnv } from "../helpers/server.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SECRET = "hostile-webhook-secret";
export const WEBHOOK_PATH = "/api/github/webhooks";
/** Cases put these in what they send; neither may come back in anything the bot writes or logs. */
export const PLANTED_LOGIN = "hostile-target";
export const PLANTED_SECRET = "ghp_HOSTILEplantedSECRET0123456789abcdEF";
/** /ping must answer within this during every case. */
export const PING_LIMIT_MS = 1_000;
/** How long the fake GitHub must hear nothing before a case with a check run is judged. */
const QUIET_MS = 1_500;
const PING_EVERY_MS = 100;
export const DEFAULT_RSS_GROWTH_LIMIT_MB = 200;
/**
 * The server's READINESS_EVALUATION_BUDGET_MS in this suite: well above what an ordinary
 * evaluation needs on a loaded machine, far below the 20 s default, so a runaway case ends soon.
 */
export const EVALUATION_BUDGET_MS = 5_000;
const MB = 1024 * 1024;

/** `sentBeforeAnswer`: body bytes sent when the answer came (for bodies the server should not read whole). */
export type HttpAnswer = RawAnswer;

/** What makes one case's pull request, commits and delivery distinct from every other case's. */
export interface CaseIds {
  readonly number: number;
  readonly baseSha: string;
  readonly headSha: string;
  readonly delivery: string;
}

export interface Bot {
  readonly fake: FakeGitHub;
  /** A delivery signed with the webhook secret (or `secret`), as GitHub sends it. */
  deliver(event: string, payload: unknown, options?: { secret?: string; delivery?: string }): Promise<HttpAnswer>;
  /**
   * A raw POST to the webhook route with `bytes` of body ("x"), chunked unless `contentLength`
   * says what to declare. Writing stops as soon as the server answers.
   */
  post(options: { bytes: number; contentLength?: number; headers?: Record<string, string> }): Promise<HttpAnswer>;
}

export interface Expected {
  /** The HTTP status of every answer the case got (one of these when a list). */
  readonly status?: number | readonly number[];
  /** No request reached the fake GitHub (checked after the delivery had time to be handled). */
  readonly noRequests?: boolean;
  /** Exactly one check run by the app on this commit, with this title (and conclusion). */
  readonly checkRun?: { readonly sha: string; readonly title: string | RegExp; readonly conclusion?: string };
  /** One new log line matches, and no new log line carries a stack trace. */
  readonly log?: RegExp;
  /** Every answer came before the client had sent its whole body. */
  readonly answeredBeforeBodySent?: number;
  readonly rssGrowthLimitMb?: number;
  /** A known stall this case still causes, in place of PING_LIMIT_MS: say why where it is set. */
  readonly pingLimitMs?: number;
  /** The case's own check of what it saw once settled: a message when something is wrong. */
  readonly verify?: (seen: CaseSeen) => string | undefined;
}

/** What one case saw, for its `verify`. */
export interface CaseSeen {
  readonly fake: FakeGitHub;
  /** Requests the fake GitHub received during the case. */
  readonly requests: readonly RecordedRequest[];
  /** What the server logged during the case. */
  readonly output: string;
}

export interface HostileCase {
  readonly name: string;
  /** Files, pull requests and reviews the fake GitHub holds before the case runs. */
  readonly setup?: (fake: FakeGitHub, ids: CaseIds) => void;
  readonly send: (bot: Bot, ids: CaseIds) => Promise<HttpAnswer | readonly HttpAnswer[]>;
  readonly expect: (ids: CaseIds) => Expected;
  /** Evaluations the case causes (default 1; 0 when refused at the edge): the summary's requests per evaluation count cases with one. */
  readonly evaluations?: number;
}

export interface CaseReport {
  readonly name: string;
  readonly statuses: readonly number[];
  readonly slowestPingMs: number;
  readonly rssBeforeMb: number;
  readonly rssPeakMb: number;
  readonly requests: number;
  readonly evaluations: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The pinger process (argv: port, interval): one line per /ping, its milliseconds or "x" when it failed. */
const PINGER = `
const [port, every] = process.argv.slice(1).map(Number);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
  for (;;) {
    const started = performance.now();
    let line = "x";
    try {
      const response = await fetch("http://127.0.0.1:" + port + "/ping", { signal: AbortSignal.timeout(10000) });
      await response.text();
      if (response.ok) line = String(Math.round(performance.now() - started));
    } catch {}
    process.stdout.write(line + "\\n");
    await sleep(every);
  }
})();
`;

/** Resident memory of a process, from Linux's /proc. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb[1]) / 1024;
}

/** Strings inside a request body, wherever they sit. */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value !== null && typeof value === "object") for (const item of Object.values(value)) stringsIn(item, out);
  return out;
}

/**
 * Whether markdown text would ping `login`: an @-mention of it outside code spans, after anything
 * but a letter, digit or underscore (GitHub's rule), including right after a closing backtick.
 */
export function pings(text: string, login: string): boolean {
  // A code span ends a word: "`x`@login" pings, so the span leaves a space behind.
  const outsideCode = text.replace(/(`+)[\s\S]*?\1/g, " ");
  const escaped = login.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
  return new RegExp(`(?<![A-Za-z0-9_])@${escaped}(?![A-Za-z0-9-])`, "i").test(outsideCode);
}

export class HostileBot implements Bot {
  readonly fake: FakeGitHub;
  #output = "";
  #app?: ChildProcess;
  #fakeServer?: Server;
  #port = 0;
  #cases = 0;

  private constructor(fake: FakeGitHub) {
    this.fake = fake;
  }

  /** Everything the server has logged so far. */
  get output(): string {
    return this.#output;
  }

  /** `env`: more of the server's environment (e.g. READINESS_EVALUATION_BUDGET_MS). */
  static async start(options: { env?: Record<string, string> } = {}): Promise<HostileBot> {
    const served = await serveFakeGitHub();
    const bot = new HostileBot(served.fake);
    bot.#fakeServer = served.server;
    bot.#port = await freePort();
    const env = { ...serverEnv({ port: bot.#port, fakePort: served.port, secret: SECRET }), ...options.env };
    // The server as `npm start` runs it, from the sources (no build shared with other suites).
    const app = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    bot.#app = app;
    app.stdout!.on("data", (c: Buffer) => (bot.#output += c.toString()));
    app.stderr!.on("data", (c: Buffer) => (bot.#output += c.toString()));
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (app.exitCode !== null) throw new Error(`the server exited with ${app.exitCode}\n${bot.#output}`);
      if (await bot.#ping().then((ms) => ms !== undefined)) break;
      if (Date.now() > deadline) throw new Error(`the server did not answer /ping\n${bot.#output}`);
      await sleep(200);
    }
    return bot;
  }

  async stop(): Promise<void> {
    const app = this.#app;
    if (app && app.exitCode === null) {
      const exited = new Promise((resolve) => app.once("exit", resolve));
      app.kill("SIGTERM");
      const timer = setTimeout(() => app.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => (this.#fakeServer ? this.#fakeServer.close(() => resolve()) : resolve()));
  }

  /**
   * Polls /ping every PING_EVERY_MS from a separate process, so that what the test process itself
   * does (writing 60 MB bodies, building payloads) is not counted as the server stalling.
   */
  #startPinger(): { stop(): Promise<{ slowestPing: number; failedPings: number }> } {
    const child = spawn(process.execPath, ["-e", PINGER, String(this.#port), String(PING_EVERY_MS)], { stdio: ["ignore", "pipe", "inherit"] });
    let slowestPing = 0;
    let failedPings = 0;
    let pending = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        if (line === "x") failedPings += 1;
        else slowestPing = Math.max(slowestPing, Number(line));
      }
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    return {
      stop: async () => {
        child.kill("SIGTERM");
        await exited;
        return { slowestPing, failedPings };
      },
    };
  }

  /** Milliseconds /ping took, or undefined when it did not answer. */
  async #ping(): Promise<number | undefined> {
    const started = performance.now();
    try {
      const response = await fetch(`http://127.0.0.1:${this.#port}/ping`, { signal: AbortSignal.timeout(10_000) });
      await response.text();
      return response.ok ? performance.now() - started : undefined;
    } catch {
      return undefined;
    }
  }

  deliver(event: string, payload: unknown, options: { secret?: string; delivery?: string } = {}): Promise<HttpAnswer> {
    const body = JSON.stringify(payload);
    const signature = `sha256=${createHmac("sha256", options.secret ?? SECRET).update(body).digest("hex")}`;
    return this.#send(
      { "content-type": "application/json", "x-github-event": event, "x-github-delivery": options.delivery ?? `hostile-${Date.now()}-${Math.random()}`, "x-hub-signature-256": signature, "content-length": String(Buffer.byteLength(body)) },
      (out) => {
        out.write(Buffer.from(body));
        out.end();
      },
    );
  }

  post(options: { bytes: number; contentLength?: number; headers?: Record<string, string> }): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": `hostile-raw-${Date.now()}`,
      "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      ...(options.contentLength === undefined ? {} : { "content-length": String(options.contentLength) }),
      ...options.headers,
    };
    const chunk = Buffer.alloc(64 * 1024, "x");
    return this.#send(headers, (out) => {
      let sent = 0;
      // One piece per turn of the event loop: a server that answers and then discards the rest as
      // fast as it arrives keeps the socket from ever asking for a pause, and a loop writing until
      // it does would send every byte before it read the answer.
      const more = (): void => {
        if (sent < options.bytes && !out.answered()) {
          const piece = chunk.subarray(0, Math.min(chunk.length, options.bytes - sent));
          sent += piece.length;
          // Else the socket's drain calls this again.
          if (out.write(piece)) setImmediate(more);
          return;
        }
        if (sent >= options.bytes) out.end();
      };
      return more;
    });
  }

  #send(headers: Record<string, string>, body: RawPost["body"]): Promise<HttpAnswer> {
    return rawPost({ port: this.#port, path: WEBHOOK_PATH, headers, body });
  }

  /** Distinct numbers and commits for the next case. */
  nextIds(): CaseIds {
    this.#cases += 1;
    const n = this.#cases;
    return {
      number: 1000 + n,
      baseSha: `b${n.toString(16).padStart(39, "0")}`,
      headSha: `a${n.toString(16).padStart(39, "0")}`,
      delivery: `hostile-case-${n}`,
    };
  }

  /**
   * Runs one case and checks its outcome and the invariants; throws with the server's new output
   * when something does not hold.
   */
  async run(hostile: HostileCase): Promise<CaseReport> {
    const app = this.#app!;
    const ids = this.nextIds();
    hostile.setup?.(this.fake, ids);
    const expected = hostile.expect(ids);
    const requestsBefore = this.fake.requests.length;
    const outputBefore = this.#output.length;
    const rssBefore = rssMb(app.pid!);
    let rssPeak = rssBefore;
    let watching = true;
    const pinger = this.#startPinger();
    const rssWatcher = (async () => {
      while (watching) {
        if (app.exitCode === null) rssPeak = Math.max(rssPeak, rssMb(app.pid!));
        await sleep(PING_EVERY_MS);
      }
    })();
    const fail = (what: string): never => {
      throw new Error(`${hostile.name}: ${what}\n--- server output during the case ---\n${this.#output.slice(outputBefore).slice(-4_000)}`);
    };

    let answers: readonly HttpAnswer[];
    try {
      const sent = await hostile.send(this, ids);
      answers = Array.isArray(sent) ? (sent as readonly HttpAnswer[]) : [sent as HttpAnswer];
      await this.#settle(expected, ids, requestsBefore, outputBefore, fail);
    } finally {
      watching = false;
      await rssWatcher;
    }
    const { slowestPing, failedPings } = await pinger.stop();

    if (app.exitCode !== null) fail(`the server exited with ${app.exitCode}`);
    if ((await this.#ping()) === undefined) fail("the server no longer answers /ping");
    if (failedPings > 0) fail(`/ping failed ${failedPings} times during the case`);
    const pingLimit = expected.pingLimitMs ?? PING_LIMIT_MS;
    if (slowestPing > pingLimit) fail(`/ping took ${Math.round(slowestPing)} ms (limit ${pingLimit} ms)`);
    const growthLimit = expected.rssGrowthLimitMb ?? DEFAULT_RSS_GROWTH_LIMIT_MB;
    if (rssPeak - rssBefore > growthLimit) fail(`memory grew by ${Math.round(rssPeak - rssBefore)} MB (limit ${growthLimit} MB)`);

    const statuses = answers.map((a) => a.status);
    if (expected.status !== undefined) {
      const allowed: readonly number[] = typeof expected.status === "number" ? [expected.status] : expected.status;
      const wrong = statuses.filter((s) => !allowed.includes(s));
      if (wrong.length > 0) fail(`answered ${statuses.join(", ")}; expected ${allowed.join(" or ")}`);
    }
    if (expected.answeredBeforeBodySent !== undefined) {
      const late = answers.filter((a) => a.sentBeforeAnswer >= expected.answeredBeforeBodySent!);
      if (late.length > 0) fail(`${late.length} answers came only after ${expected.answeredBeforeBodySent} bytes were sent: the body was read whole`);
    }

    const requests = this.fake.requests.slice(requestsBefore);
    this.#checkNothingLeaked(requests, this.#output.slice(outputBefore), fail);
    const wrong = expected.verify?.({ fake: this.fake, requests, output: this.#output.slice(outputBefore) });
    if (wrong !== undefined) fail(wrong);
    return {
      name: hostile.name,
      statuses,
      slowestPingMs: Math.round(slowestPing),
      rssBeforeMb: Math.round(rssBefore),
      rssPeakMb: Math.round(rssPeak),
      requests: requests.length,
      evaluations: hostile.evaluations ?? 1,
    };
  }

  async #settle(expected: Expected, ids: CaseIds, requestsBefore: number, outputBefore: number, fail: (what: string) => never): Promise<void> {
    const deadline = Date.now() + 30_000;
    const newLines = (): string[] => this.#output.slice(outputBefore).split("\n").filter((l) => l.trim() !== "");
    if (expected.checkRun) {
      const { sha, title, conclusion } = expected.checkRun;
      for (;;) {
        const runs = this.fake.ownCheckRuns(sha);
        const done = runs.length > 0 && runs.every((r) => r.status === "completed");
        if (done) {
          if (runs.length !== 1) fail(`${runs.length} check runs on ${sha}; expected one`);
          const run = runs[0]!;
          const titleOk = typeof title === "string" ? run.output.title === title : title.test(run.output.title ?? "");
          if (!titleOk || (conclusion !== undefined && run.conclusion !== conclusion)) {
            fail(`check run "${run.output.title}" (${run.conclusion}); expected ${String(title)}${conclusion ? ` (${conclusion})` : ""}`);
          }
          break;
        }
        if (Date.now() > deadline) fail(`no completed check run on ${sha}`);
        await sleep(100);
      }
      // The comment is written after the check run (it links to it): wait until the fake GitHub
      // has heard nothing for a while, so what the case verifies is everything the job wrote.
      let seen = this.fake.requests.length;
      let quietSince = Date.now();
      while (Date.now() - quietSince < QUIET_MS && Date.now() < deadline) {
        await sleep(100);
        if (this.fake.requests.length !== seen) {
          seen = this.fake.requests.length;
          quietSince = Date.now();
        }
      }
    }
    if (expected.log) {
      while (!newLines().some((line) => expected.log!.test(line))) {
        if (Date.now() > deadline) fail(`no log line matching ${String(expected.log)}`);
        await sleep(100);
      }
      const matching = newLines().filter((line) => expected.log!.test(line));
      if (matching.length !== 1) fail(`${matching.length} log lines match ${String(expected.log)}; expected one`);
      if (newLines().some((line) => line.includes('"stack"'))) fail("a log line carries a stack trace");
    }
    if (expected.noRequests) {
      // Long enough for a dispatched handler to have made its first request.
      await sleep(500);
      const made = this.fake.requests.slice(requestsBefore);
      if (made.length > 0) fail(`${made.length} API requests made, e.g. ${made[0]!.method} ${made[0]!.path}`);
    }
  }

  #checkNothingLeaked(requests: readonly RecordedRequest[], output: string, fail: (what: string) => never): void {
    for (const sent of requests) {
      for (const text of stringsIn(sent.body)) {
        if (text.includes(PLANTED_SECRET)) fail(`the planted secret was sent to GitHub in ${sent.method} ${sent.path}`);
        if (pings(text, PLANTED_LOGIN)) fail(`@${PLANTED_LOGIN} would be pinged by ${sent.method} ${sent.path}`);
      }
    }
    if (output.includes(PLANTED_SECRET)) fail("the planted secret was logged");
  }
}

export const MEGABYTE = MB;

/** Resolves once `holds()` is true (checked every 50 ms); throws after `timeoutMs`. */
export async function until(holds: () => boolean, timeoutMs = 30_000, what = "the condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** The app's check run on `sha` once completed; throws after `timeoutMs`. */
export async function completedCheckRun(fake: FakeGitHub, sha: string, timeoutMs = 30_000): Promise<FakeCheckRun> {
  const completed = (): FakeCheckRun | undefined => fake.ownCheckRuns(sha).find((r) => r.status === "completed");
  await until(() => completed() !== undefined, timeoutMs, `a completed check run on ${sha}`);
  return completed()!;
}
