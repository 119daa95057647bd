/**
 * Every GitHub request has a timeout, transient failures are retried as GitHub asks, rate-limit
 * waits are bounded, and each failed attempt is logged with the job's bindings. Driven through
 * Probot's own Octokit against a local server that misbehaves on cue.
 */
import { afterEach, expect, test } from "@jest/globals";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import Bottleneck from "bottleneck";
import { DEFAULT_REQUEST_POLICY, requestOptions, requestPolicyFromEnv, resetWriteGroups, withRequestLog } from "../../src/github/requests.js";

type Step = (req: IncomingMessage, res: ServerResponse) => void;

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const ok: Step = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ number: 7 }));

/** Answers the i-th request with steps[i] (the last step repeats); records how many came. */
async function github(steps: readonly Step[]): Promise<{ baseUrl: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => steps[Math.min(hits++, steps.length - 1)]!(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

interface Line {
  readonly level: "info" | "warn";
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

function logger(lines: Line[], bindings: Record<string, unknown> = {}) {
  return {
    info: (obj: object, msg = "") => lines.push({ level: "info", obj: { ...bindings, ...obj }, msg }),
    warn: (obj: object, msg = "") => lines.push({ level: "warn", obj: { ...bindings, ...obj }, msg }),
    debug: () => undefined,
    error: () => undefined,
    child: () => logger(lines, bindings),
  };
}

function client(baseUrl: string, lines: Line[]) {
  const policy = { ...DEFAULT_REQUEST_POLICY, timeoutMs: 200, retryAfterBaseValue: 1 };
  const Octokit = ProbotOctokit.defaults(requestOptions(policy) as never) as typeof ProbotOctokit;
  return new Octokit({ auth: { token: "test-token" }, baseUrl, log: logger(lines) as never });
}

const getPull = (octokit: InstanceType<typeof ProbotOctokit>) => octokit.rest.pulls.get({ owner: "acme", repo: "shop", pull_number: 7 });

test("READINESS_GITHUB_TIMEOUT_MS sets the timeout; a bad value is a clear error", () => {
  expect(requestPolicyFromEnv({}).timeoutMs).toBe(10_000);
  expect(requestPolicyFromEnv({ READINESS_GITHUB_TIMEOUT_MS: "2500" }).timeoutMs).toBe(2500);
  expect(() => requestPolicyFromEnv({ READINESS_GITHUB_TIMEOUT_MS: "soon" })).toThrow(/READINESS_GITHUB_TIMEOUT_MS must be a whole number of milliseconds, at least 100, got "soon"/);
});

test("an attempt that hangs past the timeout is aborted and retried, logged with the job's bindings", async () => {
  const hang: Step = () => undefined;
  const gh = await github([hang, ok]);
  const lines: Line[] = [];
  const octokit = client(gh.baseUrl, lines);
  const jobLines: Line[] = [];
  const response = await withRequestLog(logger(jobLines, { deliveryId: "d-1", subject: "pull:acme/shop#7", headSha: "abc" }), () => getPull(octokit));
  expect(response.status).toBe(200);
  expect(gh.hits()).toBe(2);
  expect(jobLines).toEqual([
    { level: "info", obj: { deliveryId: "d-1", subject: "pull:acme/shop#7", headSha: "abc", method: "GET", path: "/repos/acme/shop/pulls/7", timeoutMs: 200 }, msg: "GitHub did not answer GET /repos/acme/shop/pulls/7 within 200 ms" },
  ]);
});

test("5xx answers and reset connections are retried until GitHub answers", async () => {
  const bad: Step = (_req, res) => res.writeHead(502).end("bad gateway");
  const reset: Step = (req) => req.socket.destroy();
  const gh = await github([bad, reset, ok]);
  const lines: Line[] = [];
  const response = await withRequestLog(logger(lines), () => getPull(client(gh.baseUrl, lines)));
  expect(response.status).toBe(200);
  expect(gh.hits()).toBe(3);
  expect(lines.map((l) => l.msg)).toEqual(["GitHub answered 502 to GET /repos/acme/shop/pulls/7", expect.stringMatching(/^GitHub request GET \/repos\/acme\/shop\/pulls\/7 failed/)]);
});

test("a secondary rate limit is waited out as its retry-after says, then retried", async () => {
  const secondary: Step = (_req, res) =>
    res.writeHead(403, { "content-type": "application/json", "retry-after": "3" }).end(JSON.stringify({ message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }));
  const gh = await github([secondary, ok]);
  const lines: Line[] = [];
  const response = await withRequestLog(logger(lines), () => getPull(client(gh.baseUrl, lines)));
  expect(response.status).toBe(200);
  expect(lines.find((l) => l.level === "warn")).toMatchObject({ obj: { retryAfterSeconds: 3 }, msg: "GitHub secondary rate limit: waiting 3 s as GitHub asks, then retrying" });
});

test("a primary rate limit resetting later than the bound fails the request at once (the queue retries the job later)", async () => {
  const reset = Math.floor(Date.now() / 1000) + 3600;
  const primary: Step = (_req, res) =>
    res
      .writeHead(403, { "content-type": "application/json", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) })
      .end(JSON.stringify({ message: "API rate limit exceeded for installation." }));
  const gh = await github([primary]);
  const lines: Line[] = [];
  await expect(withRequestLog(logger(lines), () => getPull(client(gh.baseUrl, lines)))).rejects.toMatchObject({ status: 403 });
  expect(gh.hits()).toBe(1);
  expect(lines.find((l) => l.level === "warn")?.msg).toBe("GitHub primary rate limit: giving up on this request (the job is retried later)");
});

test("write spacing: GitHub's one second leaves plugin-throttling's own limiters; another spacing gets limiters shared by every client", () => {
  expect(requestPolicyFromEnv({}).writeIntervalMs).toBe(1000);
  expect(requestPolicyFromEnv({ READINESS_GITHUB_WRITE_INTERVAL_MS: "50" }).writeIntervalMs).toBe(50);
  expect(() => requestPolicyFromEnv({ READINESS_GITHUB_WRITE_INTERVAL_MS: "-1" })).toThrow(/READINESS_GITHUB_WRITE_INTERVAL_MS must be a whole number of milliseconds, at least 0, got "-1"/);

  resetWriteGroups();
  const byDefault = requestOptions(DEFAULT_REQUEST_POLICY)({ throttle: {} });
  expect(byDefault.throttle?.write).toBeUndefined();
  const spaced = { ...DEFAULT_REQUEST_POLICY, writeIntervalMs: 50 };
  const first = requestOptions(spaced)({ throttle: {} });
  const second = requestOptions(spaced)({ throttle: {} });
  expect(first.throttle?.write).toBeInstanceOf(Bottleneck.Group);
  expect(first.throttle?.notifications).toBeInstanceOf(Bottleneck.Group);
  expect(second.throttle?.write).toBe(first.throttle?.write);
  expect(second.throttle?.notifications).toBe(first.throttle?.notifications);
  resetWriteGroups();
});

/**
 * GitHub asks for spacing per token, and every installation has its own: an installation's
 * writes wait for its own previous write only. Driven through Probot's installation clients (whose
 * throttle id is the installation), with GitHub's default spacing and with another one.
 */
let key: string | undefined;
const appKey = (): string =>
  (key ??= generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs1", format: "pem" } }).privateKey);

async function writesOfTwoInstallations(intervalMs: number, writesEach: number): Promise<{ at: number; installation: string }[]> {
  resetWriteGroups();
  const started = Date.now();
  const arrivals: { at: number; installation: string }[] = [];
  const gh = await github([
    (req, res) => {
      const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.url ?? "");
      if (token) {
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ token: `ghs_${token[1]}`, expires_at: new Date(Date.now() + 3_600_000).toISOString() }));
        return;
      }
      const installation = String(req.headers.authorization ?? "").replace(/^token ghs_/, "");
      if (req.method === "POST") arrivals.push({ at: Date.now() - started, installation });
      res.writeHead(req.method === "POST" ? 201 : 200, { "content-type": "application/json" }).end("{}");
    },
  ]);
  const policy = { ...DEFAULT_REQUEST_POLICY, writeIntervalMs: intervalMs };
  const Octokit = ProbotOctokit.defaults(requestOptions(policy) as never) as typeof ProbotOctokit;
  const probot = new Probot({ appId: 1, privateKey: appKey(), Octokit, baseUrl: gh.baseUrl, log: logger([]) as never });
  const clients = await Promise.all([101, 202].map((id) => probot.auth(id)));
  // The token exchange first, so each write is sent the moment its limiter lets it.
  await Promise.all(clients.map((octokit) => getPull(octokit as never)));
  await Promise.all(
    clients.flatMap((octokit, i) => Array.from({ length: writesEach }, (_, n) => octokit.request("POST /repos/{owner}/{repo}/statuses/{sha}", { owner: "acme", repo: "shop", sha: `${i}${n}`, state: "success" }))),
  );
  resetWriteGroups();
  return arrivals;
}

function gapsOf(arrivals: readonly { at: number; installation: string }[], installation: string): number[] {
  const times = arrivals.filter((a) => a.installation === installation).map((a) => a.at);
  return times.slice(1).map((t, i) => t - times[i]!);
}

test.each([
  ["a configured spacing (600 ms)", 600, 3],
  ["GitHub's default spacing (1 s, plugin-throttling's own limiters)", 1000, 2],
])("write spacing is per installation, %s: one installation's writes stay spaced, two installations' writes interleave", async (_name, intervalMs, writesEach) => {
  const arrivals = await writesOfTwoInstallations(intervalMs, writesEach);
  expect(arrivals).toHaveLength(2 * writesEach);
  for (const installation of ["101", "202"]) {
    const gaps = gapsOf(arrivals, installation);
    expect(gaps).toHaveLength(writesEach - 1);
    // The limiter spaces the moments requests leave; on a busy machine their arrivals jitter by
    // tens of milliseconds, never by half an interval.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(intervalMs / 2);
  }
  // Each installation's first write goes out at once, not one interval after the other's.
  const firsts = ["101", "202"].map((id) => arrivals.find((a) => a.installation === id)!.at);
  expect(Math.abs(firsts[0]! - firsts[1]!)).toBeLessThan(intervalMs / 2);
  // And the second installation's writes do not queue behind all of the first's.
  const lastOfFirst = Math.max(...arrivals.filter((a) => a.installation === arrivals[0]!.installation).map((a) => a.at));
  expect(arrivals.filter((a) => a.installation !== arrivals[0]!.installation).some((a) => a.at < lastOfFirst)).toBe(true);
});

test("a client with an installation's credentials but no throttle id is keyed by its installation, not the process-wide default", () => {
  expect(requestOptions(DEFAULT_REQUEST_POLICY)({ auth: { installationId: 77 }, throttle: {} }).throttle?.id).toBe("77");
  expect(requestOptions(DEFAULT_REQUEST_POLICY)({ auth: { installationId: 77 }, throttle: { id: "78" } }).throttle?.id).toBe("78");
  expect(requestOptions(DEFAULT_REQUEST_POLICY)({ throttle: {} }).throttle?.id).toBeUndefined();
});
