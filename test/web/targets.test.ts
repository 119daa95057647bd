/**
 * Dated targets on the dashboard, with the web layer's fixed clock (2026-03-31): the sentence
 * beside a repository's level on every page, the targets page (who reaches the target, which
 * rules block the rest, the daily trend drawn and tabled) and `GET /api/targets`, each limited to
 * the repositories the person may see.
 */
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { MemoryStateStore } from "../../src/state/memory.js";
import type { EvaluationRecord, RecordedTarget, StoredEvaluation } from "../../src/state/types.js";
import { entryOf } from "../../src/web/api.js";
import { dayRange } from "../../src/web/scorecard-view.js";
import { daysUntil, pendingTargets, targetSentence, targetWhen } from "../../src/web/targets-view.js";
import type { FakeUser } from "../helpers/fake-oauth.js";
import { signInAs, Browser, serveWeb, TEST_API_TOKEN, type ServedWeb } from "../helpers/web.js";

const TARGET = { level: "silver", from: "2026-06-30" };

function branch(repo: string, target: RecordedTarget | undefined, overrides: Partial<EvaluationRecord> = {}): EvaluationRecord {
  return {
    installationId: 7,
    owner: "acme",
    repo,
    subjectKind: "branch",
    subjectKey: `branch:acme/${repo}:main`,
    headSha: "f".repeat(40),
    outcome: "success",
    levelReached: "bronze",
    levelRequired: "bronze",
    rules: [
      { id: "codeowners", area: "ownership", level: "bronze", blocking: true, status: "pass" },
      { id: "runbook", area: "incident", level: "silver", blocking: false, status: "fail" },
      { id: "slo", area: "reliability", level: "silver", blocking: false, status: "fail" },
    ],
    reason: "schedule",
    durationMs: 100,
    apiRequests: 5,
    evaluatedAt: "2026-03-31T03:00:00Z",
    ref: "main",
    visibility: "private",
    ...(target ? { target } : {}),
    ...overrides,
  };
}

describe("the words", () => {
  test("days are counted from the clock's day; a day that has come says so", () => {
    expect(daysUntil("2027-03-01", "2026-11-30")).toBe(91);
    expect(targetWhen({ level: "silver", from: "2027-03-01" }, "2026-11-30T10:00:00.000Z")).toBe("silver is required from 1 March 2027 (in 91 days)");
    expect(targetWhen({ level: "silver", from: "2027-03-01" }, "2027-02-28")).toBe("silver is required from 1 March 2027 (in 1 day)");
    expect(targetWhen({ level: "silver", from: "2027-03-01" }, "2027-03-01")).toBe("silver is required from 1 March 2027 (today)");
    expect(targetWhen({ level: "silver", from: "2027-03-01" }, "2027-03-03")).toBe("silver is required from 1 March 2027 (since 2 days)");
  });

  test("with what is missing, or that it is already reached", () => {
    const missing = { ...TARGET, met: false, missing: ["a", "b", "c", "d", "e", "f", "g"] };
    expect(targetSentence(missing, "2026-03-31")).toBe("silver is required from 30 June 2026 (in 91 days): missing a, b, c, d, e, +2 more.");
    expect(targetSentence({ ...TARGET, met: true, missing: [] }, "2026-03-31")).toBe("silver is required from 30 June 2026 (in 91 days): already reached.");
  });

  test("the API entry counts daysLeft from the clock; without a target there is none", () => {
    const record = { ...branch("web", { ...TARGET, met: false, missing: ["runbook"] }), id: 1 } as StoredEvaluation;
    expect(entryOf(record, "2026-03-31").level).toEqual({ reached: "bronze", required: "bronze", target: { level: "silver", from: "2026-06-30", daysLeft: 91, met: false, missing: ["runbook"] } });
    expect(entryOf({ ...branch("plain", undefined), id: 2 } as StoredEvaluation, "2026-03-31").level).toEqual({ reached: "bronze", required: "bronze" });
  });
});

describe("progress", () => {
  const days = dayRange("2026-03-31", 5);
  const standings = [
    { ...branch("web", { ...TARGET, met: true, missing: [] }, { levelReached: "silver" }), id: 3 },
    { ...branch("api", { ...TARGET, met: false, missing: ["runbook"] }), id: 4 },
    { ...branch("ops", { ...TARGET, met: false, missing: ["runbook", "slo"] }), id: 5 },
    { ...branch("old", { level: "gold", from: "2026-03-01", met: false, missing: ["slo"] }), id: 6 },
    { ...branch("none", undefined), id: 7 },
  ] as StoredEvaluation[];

  test("groups the standings by target still ahead: reaching, blocking rules by count, trend per day", () => {
    const daily = [
      { installationId: 7, owner: "acme", repo: "web", day: "2026-03-28", levelReached: "bronze", levelRequired: "bronze" },
      { installationId: 7, owner: "acme", repo: "api", day: "2026-03-28", levelReached: "bronze", levelRequired: "bronze" },
      { installationId: 7, owner: "acme", repo: "web", day: "2026-03-30", levelReached: "silver", levelRequired: "bronze" },
      { installationId: 7, owner: "acme", repo: "none", day: "2026-03-30", levelReached: "gold", levelRequired: "bronze" },
    ];
    const before = [{ owner: "acme", repo: "ops", levelReached: "gold" }];
    const [target, ...others] = pendingTargets(standings, "2026-03-31", days, before, daily, ["bronze", "silver", "gold"]);
    expect(others).toEqual([]);
    expect(target).toMatchObject({ level: "silver", from: "2026-06-30", daysLeft: 91, repositories: ["acme/api", "acme/ops", "acme/web"], reaching: ["acme/web"] });
    expect(target!.blocking).toEqual([
      { id: "runbook", repositories: 2 },
      { id: "slo", repositories: 1 },
    ]);
    // ops stood at gold before the range; web reached silver on the 30th; "none" has no target and is not counted.
    expect(target!.trend).toEqual([
      { day: "2026-03-27", reaching: 1, total: 1 },
      { day: "2026-03-28", reaching: 1, total: 3 },
      { day: "2026-03-29", reaching: 1, total: 3 },
      { day: "2026-03-30", reaching: 2, total: 3 },
      { day: "2026-03-31", reaching: 2, total: 3 },
    ]);
  });
});

const ALICE: FakeUser = { id: 1, login: "alice", repositories: new Map([[7, ["acme/web", "acme/api", "acme/plain"]]]) };
const BOB: FakeUser = { id: 2, login: "bob", repositories: new Map([[7, ["acme/plain"]]]) };

describe("through the server", () => {
  let store: MemoryStateStore;
  let web: ServedWeb;

  beforeEach(async () => {
    store = new MemoryStateStore();
    await store.recordEvaluation(branch("web", { ...TARGET, met: false, missing: ["runbook", "slo"] }, { evaluatedAt: "2026-03-20T03:00:00Z" }));
    await store.recordEvaluation(branch("web", { ...TARGET, met: true, missing: [] }, { levelReached: "silver" }));
    await store.recordEvaluation(branch("api", { ...TARGET, met: false, missing: ["runbook"] }));
    await store.recordEvaluation(branch("plain", undefined));
    web = await serveWeb(store);
  });

  afterEach(async () => {
    await web.close();
  });

  const signedIn = (user: FakeUser): Promise<Browser> => signInAs(web, user);

  test("the organisation and repository pages say when the target is required and what is missing", async () => {
    const alice = await signedIn(ALICE);
    const page = await (await alice.get("/dashboard")).text();
    expect(page).toContain("silver is required from 30 June 2026 (in 91 days)");
    expect(page).toContain('href="/dashboard/targets#target-2026-06-30-silver"');
    expect(page).toContain("1 of 2 repositories reach it.");
    const repository = await (await alice.get("/dashboard/repositories/acme/api")).text();
    expect(repository).toContain("silver is required from 30 June 2026 (in 91 days): missing runbook.");
    const plain = await (await alice.get("/dashboard/repositories/acme/plain")).text();
    expect(plain).not.toContain("is required from");
    // The next day counts one day fewer, without any record changing.
    web.clock.now = new Date("2026-04-01T08:00:00Z");
    const nextDay = await signedIn(ALICE);
    expect(await (await nextDay.get("/dashboard/repositories/acme/api")).text()).toContain("(in 90 days)");
  });

  test("the targets page shows reaching, blocking rules, the chart and its table", async () => {
    const alice = await signedIn(ALICE);
    const response = await alice.get("/dashboard/targets");
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("1 of 2 repositories already reach silver; 1 does not yet.");
    expect(page).toMatch(/<th scope="row">runbook<\/th><td>1<\/td>/);
    expect(page).toContain('<svg id="target-trend-0"');
    expect(page).toMatch(/<th scope="row">2026-03-31<\/th><td>1<\/td><td>2<\/td>/);
    expect(page).toMatch(/<th scope="row">2026-03-20<\/th><td>0<\/td><td>1<\/td>/);
    expect(page).not.toMatch(/<script/i);
  });

  test("GET /api/targets gives the same numbers; a person sees only their repositories' targets", async () => {
    const api = await new Browser(web.url).get("/api/targets", { authorization: `Bearer ${TEST_API_TOKEN}` });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { targets: { level: string; from: string; daysLeft: number; repositories: number; reaching: number; repositoriesBelow: string[]; blocking: unknown[]; trend: { day: string; reaching: number; total: number }[] }[] };
    expect(body.targets).toHaveLength(1);
    expect(body.targets[0]).toMatchObject({ level: "silver", from: "2026-06-30", daysLeft: 91, repositories: 2, reaching: 1, repositoriesBelow: ["acme/api"], blocking: [{ rule: "runbook", repositories: 1 }] });
    expect(body.targets[0]!.trend.at(-1)).toEqual({ day: "2026-03-31", reaching: 1, total: 2 });
    const scorecards = (await (await new Browser(web.url).get("/api/scorecards", { authorization: `Bearer ${TEST_API_TOKEN}` })).json()) as { repositories: { repository: string; level: { target?: { daysLeft: number } } }[] };
    expect(scorecards.repositories.find((entry) => entry.repository === "acme/api")!.level.target).toMatchObject({ daysLeft: 91, met: false, missing: ["runbook"] });
    expect((await new Browser(web.url).get("/api/targets")).status).toBe(401);
    const bob = await signedIn(BOB);
    expect(((await (await bob.get("/api/targets")).json()) as { targets: unknown[] }).targets).toEqual([]);
    const page = await (await bob.get("/dashboard/targets")).text();
    expect(page).toContain("No dated target is ahead");
    expect(page).not.toMatch(/acme\/api|acme\/web/);
  });
});
