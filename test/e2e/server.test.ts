/**
 * The real `npm start` (which builds first) against a fake GitHub on 127.0.0.1, reached through
 * Probot's GitHub Enterprise settings, with signed webhook deliveries.
 */
import { afterAll, beforeAll, expect, jest, test } from "@jest/globals";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { BASE_SHA, FakeGitHub, HEAD_SHA, pullRequestEvent, reviewEvent, throwawayPrivateKey, yaml } from "../helpers/app.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SECRET = "e2e-webhook-secret";
const MARKER = "E2E-PAYLOAD-MARKER-7f3a";

jest.setTimeout(180_000);

let fake: FakeGitHub;
let fakeServer: Server;
let app: ChildProcess;
let appPort: number;
let output = "";

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- server output ---\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function deliver(name: string, payload: unknown, signWith: string = SECRET): Promise<Response> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", signWith).update(body).digest("hex")}`;
  return fetch(`http://127.0.0.1:${appPort}/api/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": name, "x-github-delivery": `e2e-${Date.now()}-${Math.random()}`, "x-hub-signature-256": signature },
    body,
  });
}

beforeAll(async () => {
  const fakePort = await freePort();
  fake = new FakeGitHub(`http://127.0.0.1:${fakePort}/api/v3`);
  fakeServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      const reply = fake.handle(req.method ?? "GET", req.url ?? "/", String(req.headers.accept ?? ""), text ? JSON.parse(text) : undefined);
      res.writeHead(reply.status, reply.headers);
      res.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => fakeServer.listen(fakePort, "127.0.0.1", resolve));

  appPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    APP_ID: "4242",
    PRIVATE_KEY: throwawayPrivateKey(),
    WEBHOOK_SECRET: SECRET,
    PORT: String(appPort),
    HOST: "127.0.0.1",
    GHE_HOST: `127.0.0.1:${fakePort}`,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    // These tests count requests per delivery; reconciliation is exercised by its own tests.
    READINESS_RECONCILE_MINUTES: "0",
    READINESS_DB_PATH: ":memory:",
  };
  app = spawn("npm", ["start", "--silent"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  app.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  app.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  await waitFor(
    "the server to answer /ping",
    async () => {
      if (app.exitCode !== null) throw new Error(`npm start exited with ${app.exitCode}\n${output}`);
      return fetch(`http://127.0.0.1:${appPort}/ping`).then((r) => r.ok, () => false);
    },
    150_000,
  );
});

afterAll(async () => {
  if (app?.pid && app.exitCode === null) {
    const exited = new Promise((resolve) => app.once("exit", resolve));
    process.kill(-app.pid, "SIGTERM");
    const timer = setTimeout(() => {
      try {
        process.kill(-app.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  }
  await new Promise<void>((resolve) => (fakeServer ? fakeServer.close(() => resolve()) : resolve()));
});

test("a pull request goes from failing to passing as an approving review arrives: one check run, one comment", async () => {
  fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  fake.addPull({ number: 7 });
  fake.setPullFiles(7, [{ filename: "src/cart.ts" }]);

  const opened = await deliver("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));
  expect([200, 202]).toContain(opened.status);
  const failing = await waitFor("a failing check run and a comment", () => {
    const runs = fake.ownCheckRuns(HEAD_SHA);
    return runs.length === 1 && runs[0]!.conclusion === "failure" && fake.ownComments(7).length === 1 && runs[0];
  });
  expect(failing.name).toBe("readiness");
  const firstComment = fake.ownComments(7)[0]!.body;

  fake.addReview(7, "bob", "APPROVED");
  const approved = await deliver("pull_request_review", reviewEvent("submitted", { user: "bob", state: "approved" }, { number: 7 }));
  expect([200, 202]).toContain(approved.status);
  await waitFor("the same check run to pass and the comment to change", () => {
    const runs = fake.ownCheckRuns(HEAD_SHA);
    const comments = fake.ownComments(7);
    return runs.length === 1 && runs[0]!.conclusion === "success" && comments.length === 1 && comments[0]!.body !== firstComment;
  });
  expect(fake.ownCheckRuns(HEAD_SHA)[0]!.id).toBe(failing.id);
  expect(fake.ownComments(7)[0]!.body).toMatch(/ready/i);
  expect(fake.unmatched).toEqual([]);
  // The config was read at the base commit, never at the head.
  const contentReads = fake.requests.filter((r) => r.path.startsWith("/repos/acme/shop/contents/"));
  expect(contentReads.length).toBeGreaterThan(0);
  for (const read of contentReads) expect(read.query.ref).toBe(BASE_SHA);
});

test("a badly signed delivery is rejected with 400, makes no API call and does not log the payload", async () => {
  const before = fake.requests.length;
  const logged = output.length;
  const payload = pullRequestEvent("opened", { number: 8, title: MARKER, body: MARKER });
  const response = await deliver("pull_request", payload, "not-the-secret");
  expect(response.status).toBe(400);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(fake.requests.length).toBe(before);
  const newOutput = output.slice(logged);
  expect(newOutput).toMatch(/signature does not match/);
  expect(newOutput).not.toContain(MARKER);
});

test("with credentials but no WEBHOOK_SECRET it refuses to start, rather than accept deliveries signed with Probot's public default", async () => {
  // dist/ was built by `npm start` above.
  const refused = spawn("node", ["dist/src/server.js"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", APP_ID: "4242", PRIVATE_KEY: throwawayPrivateKey(), PORT: String(await freePort()), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let refusedOutput = "";
  refused.stdout!.on("data", (c: Buffer) => (refusedOutput += c.toString()));
  refused.stderr!.on("data", (c: Buffer) => (refusedOutput += c.toString()));
  const code = await new Promise<number | null>((resolve) => refused.once("exit", resolve));
  expect(code).toBe(1);
  expect(refusedOutput).toMatch(/WEBHOOK_SECRET is not set/);
});

test("without credentials it serves Probot's registration page, built from app.yml", async () => {
  // dist/ was built by `npm start` above; setup mode needs no GitHub and (with NO_SMEE_SETUP) no proxy.
  const port = await freePort();
  const setup = spawn("node", ["dist/src/server.js"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: "127.0.0.1", NO_SMEE_SETUP: "true", LOG_LEVEL: "warn", LOG_FORMAT: "json" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let setupOutput = "";
  setup.stdout!.on("data", (c: Buffer) => (setupOutput += c.toString()));
  setup.stderr!.on("data", (c: Buffer) => (setupOutput += c.toString()));
  try {
    const page = await waitFor<string>("the setup page", async () => {
      if (setup.exitCode !== null) throw new Error(`setup server exited with ${setup.exitCode}\n${setupOutput}`);
      return fetch(`http://127.0.0.1:${port}/probot`).then(async (r) => (r.ok ? r.text() : undefined), () => undefined);
    });
    const manifest = JSON.parse(/value='([^']+)'/.exec(page)![1]!) as { name: string; public: boolean; default_events: string[]; default_permissions: Record<string, string> };
    expect(manifest.name).toBe("readiness");
    expect(manifest.public).toBe(false);
    expect(manifest.default_events).toContain("merge_group");
    expect(manifest.default_permissions).toMatchObject({ checks: "write", contents: "read", merge_queues: "read" });
  } finally {
    const exited = new Promise((resolve) => setup.once("exit", resolve));
    if (setup.exitCode === null) process.kill(-setup.pid!, "SIGTERM");
    await exited;
  }
});
