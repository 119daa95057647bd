/** The metrics sink: one registry per instance, bounded labels, phases timed outside the pipeline. */
import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { routeClass } from "../../src/github/request-metrics.js";
import { measureRequests } from "../../src/github/request-metrics.js";
import { NO_METRICS, PrometheusMetrics, WEBHOOK_EVENTS, eventLabel, phaseTimer } from "../../src/ops/metrics.js";
import type { MetricsSink } from "../../src/ops/metrics.js";

/** The value of one sample line, e.g. `readiness_jobs_total{kind="pull",outcome="succeeded"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("PrometheusMetrics", () => {
  test("two instances in one process count apart", async () => {
    const a = new PrometheusMetrics();
    const b = new PrometheusMetrics();
    a.job("pull", "succeeded");
    a.job("pull", "succeeded");
    b.job("merge-group", "gave_up");
    const [textA, textB] = [await a.text(), await b.text()];
    expect(sample(textA, 'readiness_jobs_total{kind="pull",outcome="succeeded"}')).toBe(2);
    expect(sample(textA, 'readiness_jobs_total{kind="merge-group",outcome="gave_up"}')).toBeUndefined();
    expect(sample(textB, 'readiness_jobs_total{kind="merge-group",outcome="gave_up"}')).toBe(1);
    expect(sample(textB, 'readiness_jobs_total{kind="pull",outcome="succeeded"}')).toBeUndefined();
  });

  test("every series the docs promise, in Prometheus text format", async () => {
    const metrics = new PrometheusMetrics({ queueDepth: async () => ({ waiting: 3, running: 2, retrying: 1 }) });
    metrics.webhookDelivery("pull_request", "accepted");
    metrics.webhookDelivery("made_up_event", "refused");
    metrics.jobRetry("pull");
    metrics.phase("facts", 0.3);
    metrics.githubRequest("GET pulls", "200");
    metrics.rateLimitRemaining("31337", 4990);
    metrics.reconciliation("completed", 4);
    metrics.reconciliation("stopped", 0);
    metrics.verdict("success", "silver");
    const text = await metrics.text();
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(text, 'readiness_webhook_deliveries_total{event="pull_request",outcome="accepted"}')).toBe(1);
    expect(sample(text, 'readiness_webhook_deliveries_total{event="other",outcome="refused"}')).toBe(1);
    expect(sample(text, 'readiness_job_retries_total{kind="pull"}')).toBe(1);
    expect(sample(text, 'readiness_evaluation_phase_seconds_bucket{le="0.5",phase="facts"}')).toBe(1);
    expect(sample(text, 'readiness_evaluation_phase_seconds_bucket{le="0.25",phase="facts"}')).toBe(0);
    expect(sample(text, 'readiness_evaluation_phase_seconds_count{phase="publish"}')).toBe(0);
    expect(sample(text, 'readiness_github_requests_total{route="GET pulls",status="200"}')).toBe(1);
    expect(sample(text, 'readiness_github_rate_limit_remaining{installation="31337"}')).toBe(4990);
    expect(sample(text, 'readiness_reconciliation_runs_total{outcome="completed"}')).toBe(1);
    expect(sample(text, 'readiness_reconciliation_runs_total{outcome="stopped"}')).toBe(1);
    expect(sample(text, "readiness_reconciliation_subjects_healed_total")).toBe(4);
    expect(sample(text, 'readiness_verdicts_total{conclusion="success",level="silver"}')).toBe(1);
    expect(sample(text, 'readiness_queue_jobs{state="waiting"}')).toBe(3);
    expect(sample(text, 'readiness_queue_jobs{state="running"}')).toBe(2);
    expect(sample(text, 'readiness_queue_jobs{state="retrying"}')).toBe(1);
  });

  test("a queue that cannot be read leaves the gauge empty rather than failing the scrape", async () => {
    const metrics = new PrometheusMetrics({ queueDepth: async () => Promise.reject(new Error("Redis is down")) });
    const text = await metrics.text();
    expect(text).toContain("# TYPE readiness_queue_jobs gauge");
    expect(sample(text, 'readiness_queue_jobs{state="waiting"}')).toBeUndefined();
  });

  test("process metrics only when asked for", async () => {
    expect(await new PrometheusMetrics().text()).not.toContain("process_cpu_seconds_total");
    expect(await new PrometheusMetrics({ processMetrics: true }).text()).toContain("process_cpu_seconds_total");
  });
});

test("the webhook event label is one of the events app.yml subscribes to, or other", () => {
  const manifest = parse(readFileSync(fileURLToPath(new URL("../../app.yml", import.meta.url)), "utf8")) as { default_events: string[] };
  for (const event of manifest.default_events) expect(WEBHOOK_EVENTS.has(event)).toBe(true);
  expect(eventLabel("pull_request")).toBe("pull_request");
  expect(eventLabel("x".repeat(500))).toBe("other");
  expect(eventLabel(undefined)).toBe("other");
});

test("phaseTimer reports each phase's duration in seconds, also when the phase throws", async () => {
  const seen: [string, number][] = [];
  const sink: MetricsSink = { ...NO_METRICS, phase: (phase, seconds) => seen.push([phase, seconds]) };
  let now = 1000;
  const time = phaseTimer(sink, () => now);
  await expect(time("facts", async () => ((now += 250), "facts"))).resolves.toBe("facts");
  await expect(time("publish", async () => ((now += 1500), Promise.reject(new Error("GitHub said no"))))).rejects.toThrow("GitHub said no");
  expect(seen).toEqual([
    ["facts", 0.25],
    ["publish", 1.5],
  ]);
});

describe("routeClass", () => {
  test.each([
    ["GET", "/repos/{owner}/{repo}/pulls/{pull_number}", "GET pulls"],
    ["POST", "/repos/{owner}/{repo}/check-runs", "POST check-runs"],
    ["PATCH", "/repos/acme/shop/check-runs/12", "PATCH check-runs"],
    ["GET", "https://api.github.com/repos/acme/shop/pulls/7/files?page=2", "GET pulls"],
    ["GET", "https://ghe.example.com/api/v3/repos/acme/shop/contents/.readiness.yml", "GET contents"],
    ["GET", "/repos/{owner}/{repo}", "GET repository"],
    ["GET", "/app/installations", "GET app"],
    ["POST", "/app/installations/{installation_id}/access_tokens", "POST app"],
    ["GET", "/installation/repositories", "GET installation"],
    ["GET", "/", "GET other"],
    ["BREW", "/repos/a/b/%7B%7D", "OTHER other"],
    [undefined, undefined, "GET other"],
  ])("%s %s → %s", (method, url, expected) => {
    expect(routeClass(method, url)).toBe(expected);
  });
});

describe("measureRequests", () => {
  type Wrapper = (request: (o: object) => Promise<unknown>, options: { method: string; url: string }) => Promise<unknown>;
  function fakeOctokit() {
    const wrappers: Wrapper[] = [];
    return { wrappers, hook: { wrap: (_name: string, wrapper: Wrapper) => wrappers.push(wrapper) } };
  }
  function recording() {
    const requests: [string, string][] = [];
    const limits: [string, number][] = [];
    const sink: MetricsSink = { ...NO_METRICS, githubRequest: (route, status) => requests.push([route, status]), rateLimitRemaining: (who, n) => limits.push([who, n]) };
    return { sink, requests, limits };
  }

  test("counts answers and failures by route class and status, and notes the rate limit left", async () => {
    const octokit = fakeOctokit();
    const { sink, requests, limits } = recording();
    measureRequests(octokit, sink, "31337");
    const wrapper = octokit.wrappers[0]!;
    await wrapper(async () => ({ status: 200, headers: { "x-ratelimit-remaining": "4999" } }), { method: "GET", url: "/repos/{owner}/{repo}/pulls" });
    await expect(wrapper(async () => Promise.reject(Object.assign(new Error("nope"), { status: 502, response: { headers: { "x-ratelimit-remaining": "4998" } } })), { method: "POST", url: "/repos/{owner}/{repo}/check-runs" })).rejects.toThrow("nope");
    await expect(wrapper(async () => Promise.reject(Object.assign(new Error("ECONNRESET"), { code: "ECONNRESET" })), { method: "GET", url: "/repos/{owner}/{repo}/contents/{path}" })).rejects.toThrow();
    expect(requests).toEqual([
      ["GET pulls", "200"],
      ["POST check-runs", "502"],
      ["GET contents", "error"],
    ]);
    expect(limits).toEqual([
      ["31337", 4999],
      ["31337", 4998],
    ]);
  });

  test("the app's shared client is wrapped once per sink, so nothing is counted twice", () => {
    const octokit = fakeOctokit();
    const first = recording();
    measureRequests(octokit, first.sink, "app");
    measureRequests(octokit, first.sink, "app");
    expect(octokit.wrappers).toHaveLength(1);
    measureRequests(octokit, recording().sink, "app");
    expect(octokit.wrappers).toHaveLength(2);
  });

  test("a client without hooks is returned unchanged", () => {
    const plain = { rest: {} };
    expect(measureRequests(plain, NO_METRICS, "1")).toBe(plain);
  });
});
