/**
 * The fault suite's fake GitHub keeps its promises: faults on a seeded share of requests, never
 * more than maxInARow in a row for one request, what each fault looks like on the wire, ETags
 * with 304, rate-limit headers, pagination, and the app and installation endpoints.
 */
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { FaultyGitHub } from "../helpers/fault-github.js";
import type { FaultKind } from "../helpers/fault-github.js";
import { INSTALLATION_ID } from "../helpers/app.js";

let github: FaultyGitHub;
const api = (path: string) => `http://${github.host}/api/v3${path}`;

beforeEach(async () => {
  github = await FaultyGitHub.start();
  for (let number = 1; number <= 3; number++) github.fake.addPull({ number, headSha: String(number).repeat(40) });
});

afterEach(async () => {
  await github.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(api(path), { headers, signal: AbortSignal.timeout(5_000) });

describe("faults", () => {
  test("a share near the rate is failed, and no request more than maxInARow times in a row", async () => {
    github.inject({ seed: 1, rate: 0.2, kinds: ["500", "502", "503", "429"] });
    let failed = 0;
    let inARow = 0;
    let longest = 0;
    for (let i = 0; i < 400; i++) {
      const response = await get("/repos/acme/shop/pulls/1");
      await response.arrayBuffer();
      inARow = response.ok ? 0 : inARow + 1;
      longest = Math.max(longest, inARow);
      if (!response.ok) failed++;
    }
    expect(failed).toBe(github.faultsInjected);
    expect(failed).toBeGreaterThan(40);
    expect(failed).toBeLessThan(120);
    expect(longest).toBe(2);
  });

  test("the same seed fails the same requests", async () => {
    const run = async () => {
      const fresh = await FaultyGitHub.start();
      fresh.fake.addPull({ number: 1 });
      fresh.inject({ seed: 7, rate: 0.5, kinds: ["503"] });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await fetch(`http://${fresh.host}/api/v3/repos/acme/shop/pulls/1`)).status);
      await fresh.close();
      return statuses;
    };
    expect(await run()).toEqual(await run());
  });

  const always = (kind: FaultKind) => github.inject({ seed: 1, rate: 0.999, kinds: [kind], maxInARow: 1, hangMs: 300, retryAfterSeconds: 2 });

  test("rate limits look like GitHub's: 429 and the secondary limit with retry-after, the primary with remaining 0 and a reset time", async () => {
    always("429");
    const tooMany = await get("/repos/acme/shop/pulls/1");
    expect(tooMany.status).toBe(429);
    expect(tooMany.headers.get("retry-after")).toBe("2");

    always("secondary-rate-limit");
    const secondary = await get("/repos/acme/shop/pulls/1");
    expect(secondary.status).toBe(403);
    expect(secondary.headers.get("retry-after")).toBe("2");
    expect(((await secondary.json()) as { message: string }).message).toMatch(/secondary rate limit/);

    always("primary-rate-limit");
    const primary = await get("/repos/acme/shop/pulls/1");
    expect(primary.status).toBe(403);
    expect(primary.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(primary.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    // maxInARow 1: the next try of the same request gets through.
    expect((await get("/repos/acme/shop/pulls/1")).status).toBe(200);
  });

  test("a reset closes the connection without an answer; a hang holds it until the client gives up or the fake drops it", async () => {
    always("reset");
    await expect(get("/repos/acme/shop/pulls/1")).rejects.toThrow();
    always("hang");
    const started = Date.now();
    await expect(fetch(api("/repos/acme/shop/pulls/2"))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(github.faults.reset + github.faults.hang).toBe(2);
    for (let i = 0; i < 50 && github.inFlight > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(github.inFlight).toBe(0);
  });

  test("a failed write changes nothing", async () => {
    always("502");
    const response = await fetch(api("/repos/acme/shop/check-runs"), { method: "POST", body: JSON.stringify({ name: "readiness", head_sha: "1".repeat(40) }) });
    expect(response.status).toBe(502);
    expect(github.fake.checkRuns).toEqual([]);
  });
});

describe("what GitHub adds around the state", () => {
  test("reads carry an ETag and rate-limit headers; If-None-Match with it answers 304 without a body", async () => {
    const first = await get("/repos/acme/shop/pulls/1");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    expect(Number(first.headers.get("x-ratelimit-remaining"))).toBeGreaterThan(0);
    const again = await get("/repos/acme/shop/pulls/1", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    github.fake.pulls.get(1)!.title = "changed";
    expect((await get("/repos/acme/shop/pulls/1", { "if-none-match": etag })).status).toBe(200);
  });

  test("open pull requests are listed in pages with Link headers", async () => {
    const page = await get("/repos/acme/shop/pulls?state=open&per_page=2");
    expect(((await page.json()) as unknown[]).length).toBe(2);
    expect(page.headers.get("link")).toMatch(/page=2>; rel="next"/);
  });

  test("the app, its installations and their repositories", async () => {
    expect(((await (await get("/app/installations")).json()) as { id: number }[]).map((i) => i.id)).toEqual([INSTALLATION_ID]);
    const repos = (await (await get("/installation/repositories")).json()) as { repositories: { full_name: string }[] };
    expect(repos.repositories.map((r) => r.full_name)).toEqual(["acme/shop"]);
    const token = await fetch(api(`/app/installations/${INSTALLATION_ID}/access_tokens`), { method: "POST" });
    expect(token.status).toBe(201);
  });

  test("every request is recorded, faulted or not", async () => {
    github.inject({ seed: 3, rate: 0.5, kinds: ["500"] });
    for (let i = 0; i < 10; i++) await (await get("/repos/acme/shop/pulls/3")).arrayBuffer();
    expect(github.served.length).toBe(10);
    expect(github.served.filter((r) => r.fault).length).toBe(github.faultsInjected);
  });
});
