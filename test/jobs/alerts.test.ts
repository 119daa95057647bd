import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import type { AlertSettings } from "../../src/config/types.js";
import { alertKey, alertOnStanding } from "../../src/jobs/alerts.js";
import type { AlertRun } from "../../src/jobs/alerts.js";
import { ALERT_MARKER, decideAlert } from "../../src/render/alert.js";
import type { Standing } from "../../src/render/alert.js";
import { MemoryStateStore } from "../../src/state/memory.js";
import { API, guardRequests, octokit } from "../github/mock-github.js";

guardRequests();

const LADDER = ["bronze", "silver", "gold"];
const REPOSITORY = { installationId: 7, owner: "acme", repo: "shop" };
const ISSUES = "/repos/acme/shop/issues";

function standing(reached: string | null, sha: string, failing: string[] = [], required: string | null = "silver"): Standing {
  return {
    repository: "acme/shop",
    ref: "main",
    sha: sha.repeat(40).slice(0, 40),
    reached,
    required,
    ladder: LADDER,
    rules: [
      { id: "file-exists", level: "bronze", status: "pass" },
      ...failing.map((id) => ({ id, level: "silver", status: "fail", fix: `Add what ${id} asks for.`, findings: [{ message: `${id}: missing`, path: "docs/runbook.md" }], findingCount: 2 })),
    ],
  };
}

const SETTINGS: AlertSettings = { enabled: true, issue: true, labels: ["readiness"], mention: "codeowners", assign: "codeowners", announceRises: false };

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

function harness(settings: AlertSettings = SETTINGS, env: Record<string, string> = {}) {
  const store = new MemoryStateStore();
  const chats: string[] = [];
  const fakeFetch = (async (_url: URL, init?: RequestInit) => {
    chats.push(JSON.parse(String(init?.body)).text);
    return new Response("ok", { status: 200 });
  }) as typeof fetch;
  const run = (previous: Standing | undefined, current: Standing) =>
    alertOnStanding({
      store,
      octokit: octokit(),
      repository: REPOSITORY,
      settings,
      previous,
      current,
      owners: ["@acme/sre", "@lead"],
      env,
      log: silent,
      now: "2026-11-30T08:00:00.000Z",
      fetch: fakeFetch,
    } satisfies AlertRun);
  return { store, chats, run };
}

describe("deciding", () => {
  test.each([
    ["first scorecard, below required", undefined, standing("bronze", "a"), undefined, "none"],
    ["silver → bronze", standing("silver", "a"), standing("bronze", "b"), undefined, "open"],
    ["gold → silver, still at the required level", standing("gold", "a"), standing("silver", "b"), undefined, "open"],
    ["stops reaching required without a drop (required raised)", standing("bronze", "a", [], "bronze"), standing("bronze", "b"), undefined, "open"],
    ["unchanged", standing("silver", "a"), standing("silver", "b"), undefined, "none"],
    ["rise, rises not announced", standing("bronze", "a"), standing("silver", "b"), undefined, "none"],
  ])("%s → %s", (_name, previous, current, open, kind) => {
    expect(decideAlert(previous, current, open, { announceRises: false }).kind).toBe(kind);
  });

  test("an open alert closes only when the level before the drop and the required level are back", () => {
    const open = { issueNumber: 3, before: "gold", digest: "x" };
    expect(decideAlert(standing("bronze", "a"), standing("silver", "b"), open, { announceRises: false })).toEqual({ kind: "update", rose: true });
    expect(decideAlert(standing("silver", "a"), standing("gold", "b"), open, { announceRises: false })).toEqual({ kind: "close" });
  });
});

describe("the alert issue", () => {
  test("a drop opens one issue with the failing rules, what to do, the commit and the owners; the chat gets one message", async () => {
    const { store, chats, run } = harness(SETTINGS, { READINESS_CHAT_WEBHOOK_URL: "https://chat.example/hook/secret-path" });
    let body: { title: string; body: string; labels: string[]; assignees: string[] } | undefined;
    nock(API)
      .post(ISSUES, (b) => ((body = b), true))
      .reply(201, { number: 41, html_url: "https://github.com/acme/shop/issues/41" });
    expect(await run(standing("silver", "a"), standing("bronze", "b", ["runbook"]))).toEqual({ kind: "open", before: "silver" });
    expect(body?.title).toBe("Readiness dropped: silver → bronze");
    expect(body?.body).toContain(ALERT_MARKER);
    expect(body?.body).toContain("| runbook | silver | `docs/runbook.md` runbook: missing (+1 more)<br>**Fix:** Add what runbook asks for. |");
    expect(body?.body).toContain("[`bbbbbbb`](https://github.com/acme/shop/commit/" + "b".repeat(40) + ")");
    expect(body?.body).toContain("Owners: @acme/sre @lead");
    expect(body?.labels).toEqual(["readiness"]);
    expect(body?.assignees).toEqual(["lead"]);
    expect(chats).toEqual(["Readiness of acme/shop dropped: silver → bronze (failing: runbook) at bbbbbbb — https://github.com/acme/shop/issues/41"]);
    expect(JSON.parse((await store.getBookkeeping(alertKey(REPOSITORY)))!.value)).toMatchObject({ issueNumber: 41, before: "silver" });
  });

  test("a further drop edits the same issue; the same standing again writes nothing; recovery closes it with a comment", async () => {
    const { chats, run } = harness(SETTINGS, { READINESS_CHAT_WEBHOOK_URL: "https://chat.example/hook" });
    nock(API).post(ISSUES).reply(201, { number: 41 });
    await run(standing("gold", "a"), standing("silver", "b", ["slo"]));

    let edited: { title: string; body: string } | undefined;
    nock(API).get(`${ISSUES}/41`).reply(200, { state: "open" });
    nock(API)
      .patch(`${ISSUES}/41`, (b) => ((edited = b), true))
      .reply(200, {});
    expect(await run(standing("silver", "b", ["slo"]), standing("bronze", "c", ["slo", "runbook"]))).toEqual({ kind: "update", rose: false });
    expect(edited?.title).toBe("Readiness dropped: gold → bronze");
    expect(edited?.body).toContain("| runbook |");

    expect(await run(standing("bronze", "c", ["slo", "runbook"]), standing("bronze", "d", ["slo", "runbook"]))).toEqual({ kind: "none" });

    let comment = "";
    let closed: { state: string } | undefined;
    nock(API).get(`${ISSUES}/41`).reply(200, { state: "open" });
    nock(API)
      .post(`${ISSUES}/41/comments`, (b) => ((comment = b.body), true))
      .reply(201, {});
    nock(API)
      .patch(`${ISSUES}/41`, (b) => ((closed = b), true))
      .reply(200, {});
    expect(await run(standing("bronze", "d"), standing("gold", "e"))).toEqual({ kind: "close" });
    expect(comment).toContain("Readiness is back: **gold** reached");
    expect(closed).toEqual({ state: "closed", state_reason: "completed" });
    expect(chats).toHaveLength(2);
    expect(chats[1]).toBe("Readiness of acme/shop is back: gold reached at eeeeeee");
  });

  test("an issue a person closed by hand is not edited: the next change opens a new one", async () => {
    const { run } = harness();
    nock(API).post(ISSUES).reply(201, { number: 41 });
    await run(standing("gold", "a"), standing("silver", "b", ["slo"]));
    nock(API).get(`${ISSUES}/41`).reply(200, { state: "closed" });
    nock(API).post(ISSUES).reply(201, { number: 42 });
    expect((await run(standing("silver", "b", ["slo"]), standing("bronze", "c", ["slo", "runbook"]))).kind).toBe("open");
  });

  test("alerts off: no request, no chat, nothing stored", async () => {
    const { store, chats, run } = harness({ ...SETTINGS, enabled: false }, { READINESS_CHAT_WEBHOOK_URL: "https://chat.example/hook" });
    expect(await run(standing("gold", "a"), standing(null, "b", ["slo"]))).toEqual({ kind: "none" });
    expect(chats).toEqual([]);
    expect(await store.getBookkeeping(alertKey(REPOSITORY))).toBeUndefined();
  });

  test("issue: false sends only the chat message, from the variable the configuration names; rises are announced when asked", async () => {
    const { chats, run } = harness({ ...SETTINGS, issue: false, announceRises: true, chatWebhookEnv: "READINESS_CHAT_SRE" }, { READINESS_CHAT_SRE: "https://chat.example/sre" });
    await run(standing("gold", "a"), standing("silver", "b", ["slo"]));
    await run(standing("silver", "b", ["slo"]), standing("gold", "c"));
    await run(standing("gold", "c"), standing("gold", "d"));
    expect(chats).toEqual(["Readiness of acme/shop dropped: gold → silver (failing: slo) at bbbbbbb", "Readiness of acme/shop is back: gold reached at ccccccc"]);
  });

  test("a webhook that is not https is refused without sending or logging the URL", async () => {
    const warnings: string[] = [];
    const store = new MemoryStateStore();
    nock(API).post(ISSUES).reply(201, { number: 41 });
    await alertOnStanding({
      store,
      octokit: octokit(),
      repository: REPOSITORY,
      settings: SETTINGS,
      previous: standing("gold", "a"),
      current: standing("silver", "b", ["slo"]),
      owners: [],
      env: { READINESS_CHAT_WEBHOOK_URL: "http://chat.example/hook/token-123" },
      log: { ...silent, warn: (fields: unknown, message?: string) => void warnings.push(JSON.stringify(fields) + String(message)) },
      now: "2026-11-30T08:00:00.000Z",
      fetch: (async () => {
        throw new Error("must not be called");
      }) as typeof fetch,
    });
    expect(warnings.join("\n")).toContain("not an https URL");
    expect(warnings.join("\n")).not.toContain("token-123");
  });
});
