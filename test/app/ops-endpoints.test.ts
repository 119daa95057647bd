/**
 * /healthz, /readyz and /metrics as the app serves them beside Probot's routes, over HTTP, with
 * signed deliveries counted by how they were answered.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import pino from "pino";
import { Probot, ProbotOctokit, createNodeMiddleware } from "probot";
import { readinessApp } from "../../src/index.js";
import type { ReadinessService, ServiceOptions } from "../../src/index.js";
import { checkReadiness } from "../../src/ops/routes.js";
import { MemoryStateStore } from "../../src/state/memory.js";
import { APP_ID, BASE_SHA, FakeGitHub, nockGitHub, pullRequestEvent, resetNock, throwawayPrivateKey, yaml } from "../helpers/app.js";

afterEach(() => resetNock());

const SECRET = "ops-test-secret";
let key: string | undefined;

/** A store whose queries can be made to fail, as a database that went away. */
class FlakyStore extends MemoryStateStore {
  down = false;
  override async latestEvaluation(...args: Parameters<MemoryStateStore["latestEvaluation"]>) {
    if (this.down) throw new Error("connection refused");
    return super.latestEvaluation(...args);
  }
}

async function serve(options: ServiceOptions = {}) {
  const fake = new FakeGitHub();
  fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  fake.addPull({ number: 7 });
  nockGitHub(fake);
  nock.enableNetConnect("127.0.0.1");
  const probot = new Probot({
    appId: APP_ID,
    privateKey: (key ??= throwawayPrivateKey()),
    secret: SECRET,
    log: pino({ level: "silent" }),
    Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } })),
  });
  let service: ReadinessService | undefined;
  const middleware = await createNodeMiddleware(readinessApp({ checkName: "readiness", fingerprintKey: "k", appId: APP_ID }, { ...options, onService: (s) => (service = s) }), { probot });
  const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deliver = (event: string, payload: unknown, secret = SECRET) => {
    const body = JSON.stringify(payload);
    return fetch(`${base}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": event, "x-github-delivery": `d-${Math.random()}`, "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` },
      body,
    });
  };
  return {
    base,
    deliver,
    service: () => service!,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service?.stop(1000).catch(() => undefined);
    },
  };
}

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test("/healthz answers alive; /readyz ready; /metrics counts deliveries, jobs, phases, requests and verdicts", async () => {
  const app = await serve();
  try {
    const health = await fetch(`${app.base}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: "alive" }]);
    const ready = await fetch(`${app.base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ready", ready: true, checks: { store: "ok", queue: "ok" } }]);

    expect((await app.deliver("pull_request", pullRequestEvent("opened", { number: 7 }))).status).toBe(200);
    expect((await app.deliver("pull_request", pullRequestEvent("opened", { number: 7 }), "forged")).status).toBe(400);
    await app.service().idle();

    const scrape = await fetch(`${app.base}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await scrape.text();
    expect(sample(text, 'readiness_webhook_deliveries_total{event="pull_request",outcome="accepted"}')).toBe(1);
    expect(sample(text, 'readiness_webhook_deliveries_total{event="pull_request",outcome="refused"}')).toBe(1);
    expect(sample(text, 'readiness_jobs_total{kind="pull",outcome="succeeded"}')).toBe(1);
    expect(sample(text, 'readiness_verdicts_total{conclusion="failure",level="none"}')).toBe(1);
    for (const phase of ["config", "facts", "evaluate", "publish"]) expect(sample(text, `readiness_evaluation_phase_seconds_count{phase="${phase}"}`)).toBe(1);
    expect(sample(text, 'readiness_github_requests_total{route="POST check-runs",status="201"}')).toBe(1);
    expect(sample(text, 'readiness_queue_jobs{state="waiting"}')).toBe(0);
  } finally {
    await app.close();
  }
});

describe("with READINESS_METRICS_TOKEN", () => {
  test("/metrics answers 401 without the token or with another, 200 with it; the probes stay open", async () => {
    const app = await serve({ metricsToken: "s3cret-token" });
    try {
      const without = await fetch(`${app.base}/metrics`);
      expect(without.status).toBe(401);
      expect(without.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(await without.text()).not.toContain("readiness_");
      expect((await fetch(`${app.base}/metrics`, { headers: { authorization: "Bearer s3cret-tokem" } })).status).toBe(401);
      expect((await fetch(`${app.base}/metrics`, { headers: { authorization: "Basic s3cret-token" } })).status).toBe(401);
      const withToken = await fetch(`${app.base}/metrics`, { headers: { authorization: "Bearer s3cret-token" } });
      expect(withToken.status).toBe(200);
      expect(await withToken.text()).toContain("readiness_jobs_total");
      expect((await fetch(`${app.base}/healthz`)).status).toBe(200);
      expect((await fetch(`${app.base}/readyz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe("/readyz", () => {
  test("503 with the store's problem while the store is unreachable, ready again once it answers", async () => {
    const store = new FlakyStore();
    const app = await serve({ store });
    try {
      store.down = true;
      const down = await fetch(`${app.base}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: "not ready", ready: false, reason: "the state store failed: connection refused", checks: { store: "the state store failed: connection refused", queue: "ok" } });
      expect((await fetch(`${app.base}/healthz`)).status).toBe(200);
      store.down = false;
      expect((await fetch(`${app.base}/readyz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  test("503 'shutting down' once shutdown began, while the server still answers", async () => {
    const app = await serve();
    try {
      await app.service().stop(100);
      const stopping = await fetch(`${app.base}/readyz`);
      expect(stopping.status).toBe(503);
      expect(((await stopping.json()) as { reason: string }).reason).toBe("shutting down");
      expect((await fetch(`${app.base}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe("checkReadiness", () => {
  const ok = { shuttingDown: () => false, store: async () => undefined, queue: async () => ({ ok: true }) as const };
  test("a check that hangs counts as failed after the timeout", async () => {
    const report = await checkReadiness({ ...ok, store: () => new Promise<void>(() => undefined) }, 20);
    expect(report).toEqual({ ready: false, reason: "the state store did not answer within 20 ms", checks: { store: "the state store did not answer within 20 ms", queue: "ok" } });
  });
  test("the queue's own reason (Redis unreachable, not consuming)", async () => {
    const report = await checkReadiness({ ...ok, queue: async () => ({ ok: false, reason: "Redis is unreachable (connect ECONNREFUSED)" }) });
    expect(report.ready).toBe(false);
    expect(report.reason).toBe("Redis is unreachable (connect ECONNREFUSED)");
  });
  test("ready when every check passes", async () => {
    expect(await checkReadiness(ok)).toEqual({ ready: true, checks: { store: "ok", queue: "ok" } });
  });
});
