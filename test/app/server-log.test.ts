/**
 * The server's log: Probot's own format, but a badly signed delivery, or a delivery whose
 * handling fails, never writes the payload (or its signature) to the log.
 */
import { afterEach, expect, test } from "@jest/globals";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import nock from "nock";
import { Probot, ProbotOctokit, createNodeMiddleware } from "probot";
import { createLog } from "../../src/server.js";
import { readinessApp } from "../../src/index.js";
import type { ReadinessService } from "../../src/index.js";
import { APP_ID, BASE_SHA, FakeGitHub, HEAD_SHA, nockGitHub, pullRequestEvent, resetNock, throwawayPrivateKey, yaml } from "../helpers/app.js";

afterEach(() => resetNock());

const SECRET = "log-test-secret";
const MARKER = "PAYLOAD-MARKER-0b7c";

async function serve(fake: FakeGitHub) {
  nockGitHub(fake);
  nock.enableNetConnect("127.0.0.1");
  let output = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const log = await createLog({ LOG_FORMAT: "json", LOG_LEVEL: "info" }, sink);
  const probot = new Probot({
    appId: APP_ID,
    privateKey: throwawayPrivateKey(),
    secret: SECRET,
    log,
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { ...(options.throttle as object), enabled: false } })),
  });
  let service: ReadinessService | undefined;
  const middleware = await createNodeMiddleware(
    readinessApp({ checkName: "readiness", fingerprintKey: "k", appId: APP_ID }, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, onService: (s) => (service = s) }),
    { probot },
  );
  const server = createServer((req, res) => {
    void middleware(req, res, () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const deliver = (payload: unknown, secret: string) => {
    const body = JSON.stringify(payload);
    return fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "delivery-1",
        "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      },
      body,
    });
  };
  return { deliver, output: () => output, idle: () => service!.idle(), close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test("a badly signed delivery: 400, no API call, the error logged without the payload or signature", async () => {
  const fake = new FakeGitHub();
  const app = await serve(fake);
  try {
    const response = await app.deliver(pullRequestEvent("opened", { title: MARKER, body: MARKER }), "wrong-secret");
    expect(response.status).toBe(400);
    expect(fake.requests).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    const output = app.output();
    expect(output).toMatch(/signature does not match/);
    expect(output).toContain("[redacted]");
    expect(output).not.toContain(MARKER);
    expect(output).not.toMatch(/sha256=[0-9a-f]{64}/);
  } finally {
    await app.close();
  }
});

test("a delivery whose job fails: accepted, the job's give-up logged with the delivery id but without the payload", async () => {
  const fake = new FakeGitHub();
  fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  fake.addPull({ number: 7 });
  fake.failures.set("/repos/acme/shop/check-runs", 500);
  fake.failures.set(`/repos/acme/shop/commits/${HEAD_SHA}/check-runs`, 500);
  const app = await serve(fake);
  try {
    const response = await app.deliver(pullRequestEvent("opened", { number: 7, title: MARKER, body: MARKER }), SECRET);
    // Handlers only queue: the delivery is accepted whatever the job meets later.
    expect(response.status).toBe(200);
    await app.idle();
    await new Promise((resolve) => setImmediate(resolve));
    const output = app.output();
    if (process.env.SHOW_LOG) console.log(output);
    expect(output).toMatch(/could not look up the check run/);
    expect(output).toMatch(/job gave up after 2 attempts/);
    expect(output).toContain("delivery-1");
    expect(output).not.toContain(MARKER);
    expect(output).not.toContain("ghs_faketoken");
  } finally {
    await app.close();
  }
});
