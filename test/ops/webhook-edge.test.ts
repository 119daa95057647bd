/**
 * The webhook edge in front of a stand-in for Probot's webhook route, on a real HTTP server on
 * 127.0.0.1, with small limits so that every case is quick.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { webhookEdge } from "../../src/ops/webhook-edge.js";
import type { WebhookEdgeOptions } from "../../src/ops/webhook-edge.js";
import { rawPost } from "../helpers/raw-http.js";
import type { RawAnswer } from "../helpers/raw-http.js";

const SECRET = "edge-secret";
const PATH = "/api/github/webhooks";
const sign = (body: string, secret = SECRET): string => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

interface Harness {
  readonly port: number;
  /** Requests the route behind the edge saw, with the body the edge handed it. */
  readonly passed: { url: string; body: string | undefined }[];
  readonly warnings: string[];
  readonly server: Server;
  /** Requests whose headers the server has parsed and handed to the edge. */
  arrived: number;
}

let harness: Harness | undefined;

afterEach(async () => {
  if (harness) {
    harness.server.closeAllConnections();
    await new Promise<void>((resolve) => harness!.server.close(() => resolve()));
  }
  harness = undefined;
});

async function start(limits: Partial<Pick<WebhookEdgeOptions, "maxBodyBytes" | "maxConcurrentReads" | "readTimeoutMs">> = {}): Promise<Harness> {
  const passed: Harness["passed"] = [];
  const warnings: string[] = [];
  const handler = webhookEdge(
    async (req, res) => {
      passed.push({ url: req.url ?? "", body: (req as IncomingMessage & { body?: string }).body });
      res.writeHead(200).end("inner");
      return true;
    },
    {
      path: PATH,
      verify: async (body, signature) => signature === sign(body),
      payloadProblem: (event, payload) => (event === "pull_request" && !(payload as { pull_request?: unknown }).pull_request ? "pull_request: expected the pull request" : undefined),
      log: { warn: (message) => warnings.push(message) },
      maxBodyBytes: 1_000,
      maxConcurrentReads: 2,
      readTimeoutMs: 10_000,
      ...limits,
    },
  );
  const server = createServer((req, res) => {
    started.arrived += 1;
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const started: Harness = { port: (server.address() as AddressInfo).port, passed, warnings, server, arrived: 0 };
  harness = started;
  return started;
}

/**
 * A POST whose body is written by `write` (which may keep writing after the answer came); the
 * answer is whatever the server sends, whether or not the body was finished.
 */
function post(port: number, headers: Record<string, string>, write: (out: (chunk: string) => boolean, end: () => void) => void, path = PATH): Promise<RawAnswer> {
  return rawPost({
    port,
    path,
    headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "d-1", ...headers },
    body: (out) => {
      write((chunk) => out.write(Buffer.from(chunk)), () => out.end());
    },
  });
}

const whole = (body: string, headers: Record<string, string> = {}) => (port: number) =>
  post(port, { "x-hub-signature-256": sign(body), "content-length": String(Buffer.byteLength(body)), ...headers }, (out, end) => {
    out(body);
    end();
  });

describe("bodies over the limit are refused while they stream", () => {
  test("a Content-Length over the limit: 413 at once, before a byte of the body is sent", async () => {
    const { port, passed, warnings } = await start();
    const answer = await post(port, { "x-hub-signature-256": sign("x"), "content-length": "1000000000" }, () => undefined);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error).toMatch(/payload too large: over 1000 bytes/);
    expect(passed).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/^webhook body refused: Content-Length 1000000000 is over 1000 bytes/)]);
  });

  test("a chunked body: 413 once it passes the limit, while the sender is still sending", async () => {
    const { port, passed } = await start();
    let sent = 0;
    const answer = await post(port, { "x-hub-signature-256": sign("x") }, (out) => {
      // Never ends on its own: only the server's answer stops it.
      const timer = setInterval(() => {
        if (!out("x".repeat(256))) return;
        sent += 256;
      }, 1);
      timer.unref();
      setTimeout(() => clearInterval(timer), 20_000).unref();
    });
    expect(answer.status).toBe(413);
    expect(sent).toBeGreaterThan(1_000);
    expect(passed).toEqual([]);
  });
});

test("at most N bodies are read at once; the next is told to retry (503, Retry-After) without being read", async () => {
  const started = await start({ maxConcurrentReads: 2 });
  const { port, passed, warnings } = started;
  const ends: (() => void)[] = [];
  const slow = [1, 2].map(() => {
    const body = JSON.stringify({ pull_request: {} });
    return post(port, { "x-hub-signature-256": sign(body), "content-length": String(body.length) }, (out, end) => {
      out(body.slice(0, 5));
      ends.push(() => {
        out(body.slice(5));
        end();
      });
    });
  });
  // Both slow bodies are being read once the edge has their headers.
  while (started.arrived < 2) await new Promise((resolve) => setTimeout(resolve, 10));
  const third = await whole(JSON.stringify({ pull_request: {} }))(port);
  expect(third.status).toBe(503);
  expect(third.headers["retry-after"]).toBe("1");
  expect(warnings).toEqual([expect.stringMatching(/^webhook body refused: 2 bodies already being read$/)]);
  for (const end of ends) end();
  expect((await Promise.all(slow)).map((a) => a.status)).toEqual([200, 200]);
  // A slot frees once a body has been read.
  expect((await whole(JSON.stringify({ pull_request: {} }))(port)).status).toBe(200);
  expect(passed).toHaveLength(3);
});

test("a body that does not arrive in time is refused with 408 and frees its slot", async () => {
  const { port, passed } = await start({ readTimeoutMs: 100, maxConcurrentReads: 1 });
  const answer = await post(port, { "x-hub-signature-256": sign("x"), "content-length": "100" }, (out) => out("{"));
  expect(answer.status).toBe(408);
  expect((await whole(JSON.stringify({ pull_request: {} }))(port)).status).toBe(200);
  expect(passed).toHaveLength(1);
});

describe("signed payloads are checked for their event's shape", () => {
  test("malformed: 400 with the problem, one warning line, nothing passed on", async () => {
    const { port, passed, warnings } = await start();
    const answer = await whole(JSON.stringify({ action: "opened", pull_request: null }))(port);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toBe("malformed pull_request payload: pull_request: expected the pull request");
    expect(passed).toEqual([]);
    expect(warnings).toEqual(["malformed pull_request delivery d-1 refused: pull_request: expected the pull request"]);
  });

  test("well formed: passed on with the body already read", async () => {
    const { port, passed, warnings } = await start();
    const body = JSON.stringify({ action: "opened", pull_request: { number: 1 } });
    expect((await whole(body)(port)).status).toBe(200);
    expect(passed).toEqual([{ url: PATH, body }]);
    expect(warnings).toEqual([]);
  });

  test.each([
    { label: "a wrong signature", body: JSON.stringify({ pull_request: null }), headers: { "x-hub-signature-256": sign("{}", "not-the-secret") } as Record<string, string> },
    { label: "invalid JSON", body: "{not json", headers: {} as Record<string, string> },
  ])("$label: passed on unchecked, for the webhook route to refuse as it always has", async ({ body, headers }) => {
    const { port, passed, warnings } = await start();
    expect((await whole(body, headers)(port)).status).toBe(200);
    expect(passed).toEqual([{ url: PATH, body }]);
    expect(warnings).toEqual([]);
  });
});

test("other routes and unsigned requests are passed on without reading their body", async () => {
  const { port, passed } = await start();
  const body = "x".repeat(5_000);
  expect((await post(port, { "content-length": String(body.length) }, (out, end) => (out(body), end()), "/elsewhere")).status).toBe(200);
  expect((await post(port, { "content-length": String(body.length) }, (out, end) => (out(body), end()))).status).toBe(200);
  expect(passed).toEqual([
    { url: "/elsewhere", body: undefined },
    { url: PATH, body: undefined },
  ]);
});
