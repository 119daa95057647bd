/**
 * The StateStore contract as one table of cases, run against every implementation. A fixture
 * gives a `writer` and a `reader`: the same store, or two stores on one database, so everything
 * written by one process is seen by another.
 */
import type {
  DecisionRecord,
  EvaluationRecord,
  PendingGroupRecord,
  PublicationRecord,
  RepositoryKey,
  StateStore,
} from "../../src/state/types.js";

export interface StoreFixture {
  readonly writer: StateStore;
  readonly reader: StateStore;
  close(): Promise<void>;
}

export type OpenFixture = () => Promise<StoreFixture>;

/** One store, migrated, writing and reading. */
export async function oneStore(store: StateStore): Promise<StoreFixture> {
  await store.migrate();
  return { writer: store, reader: store, close: () => store.close() };
}

/** Two stores on one database that migrate at the same moment, as two replicas starting together. */
export async function twoStores(open: () => StateStore): Promise<StoreFixture> {
  const writer = open();
  const reader = open();
  await Promise.all([writer.migrate(), reader.migrate()]);
  return {
    writer,
    reader,
    close: async () => {
      await writer.close();
      await reader.close();
    },
  };
}

const repository: RepositoryKey = { installationId: 7, owner: "acme", repo: "shop" };
/** Check run ids are already past 2^31 on github.com. */
const BIG_ID = 31_234_567_890;

function evaluation(overrides: Partial<EvaluationRecord> = {}): EvaluationRecord {
  return {
    ...repository,
    subjectKind: "pull",
    subjectKey: "pull:acme/shop#12",
    headSha: "a".repeat(40),
    baseSha: "b".repeat(40),
    outcome: "failure",
    levelReached: "bronze",
    levelRequired: "silver",
    rules: [
      { id: "docs", level: "bronze", blocking: true, status: "pass" },
      { id: "tests", level: "silver", blocking: true, status: "fail" },
    ],
    reason: "pull_request.synchronize",
    deliveryId: "delivery-1",
    durationMs: 420,
    apiRequests: 9,
    evaluatedAt: "2026-03-01T10:00:00.000Z",
    ...overrides,
  };
}

/** A branch (scorecard) record of `owner/repo` at `evaluatedAt`. */
function branchRecord(owner: string, repo: string, evaluatedAt: string, overrides: Partial<EvaluationRecord> = {}): EvaluationRecord {
  return evaluation({
    owner,
    repo,
    subjectKind: "branch",
    subjectKey: `branch:${owner}/${repo}:main`,
    baseSha: undefined,
    deliveryId: undefined,
    ref: "main",
    reason: "schedule",
    evaluatedAt,
    ...overrides,
  });
}

function group(overrides: Partial<PendingGroupRecord> = {}): PendingGroupRecord {
  return {
    ...repository,
    pullNumber: 12,
    groupHeadSha: "c".repeat(40),
    groupBaseSha: "d".repeat(40),
    base: "main",
    pullHeadSha: "a".repeat(40),
    createdAt: "2026-03-01T10:00:00.000Z",
    expiresAt: "2026-03-01T16:00:00.000Z",
    ...overrides,
  };
}

function publication(overrides: Partial<PublicationRecord> = {}): PublicationRecord {
  return {
    ...repository,
    subjectKey: "pull:acme/shop#12",
    headSha: "a".repeat(40),
    updatedAt: "2026-03-01T10:00:00.000Z",
    ...overrides,
  };
}

function decision(overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    ...repository,
    kind: "waive",
    target: "docs",
    actor: "lead",
    reason: "hotfix for INC-12",
    pullNumber: 12,
    issueNumber: 12,
    sha: "a".repeat(40),
    commentId: BIG_ID,
    commentUrl: "https://github.com/acme/shop/pull/12#issuecomment-31234567890",
    createdAt: "2026-03-01T10:00:00Z",
    ...overrides,
  };
}

export function stateStoreContract(name: string, open: OpenFixture): void {
  describe(`StateStore contract: ${name}`, () => {
    let fixture: StoreFixture;
    let writer: StateStore;
    let reader: StateStore;

    beforeEach(async () => {
      fixture = await open();
      ({ writer, reader } = fixture);
    });
    afterEach(async () => {
      await fixture.close();
    });

    describe("migrations", () => {
      test("migrate can run again on a migrated database", async () => {
        await writer.migrate();
        await reader.migrate();
        await writer.recordEvaluation(evaluation());
        await writer.migrate();
        expect(await reader.listEvaluations({})).toHaveLength(1);
      });
    });

    describe("evaluation records", () => {
      test("a record is returned with an id and read back field for field", async () => {
        const stored = await writer.recordEvaluation(evaluation());
        expect(stored).toEqual({ ...evaluation(), id: expect.any(Number) });
        expect(await reader.latestEvaluation("pull:acme/shop#12")).toEqual(stored);
      });

      test("optional fields left out stay absent, an error outcome keeps its explanation", async () => {
        const record = evaluation({
          baseSha: undefined,
          deliveryId: undefined,
          outcome: "error",
          levelReached: null,
          levelRequired: null,
          rules: [],
          error: "GitHub did not answer within 10 s",
        });
        const stored = await writer.recordEvaluation(record);
        const read = await reader.latestEvaluation(record.subjectKey);
        expect(read).toEqual(stored);
        expect(read?.baseSha).toBeUndefined();
        expect(read?.deliveryId).toBeUndefined();
        expect(read?.error).toBe("GitHub did not answer within 10 s");
        expect(read?.levelReached).toBeNull();
      });

      test("a branch record keeps its ref, root owners, visibility and each rule's area, reason, fix and findings", async () => {
        const record = evaluation({
          subjectKind: "branch",
          subjectKey: "branch:acme/shop:main",
          ref: "main",
          owners: ["@acme/sre", "@lead"],
          visibility: "private",
          rules: [
            {
              id: "runbook",
              level: "silver",
              blocking: true,
              status: "fail",
              area: "incident",
              reason: "no runbook",
              fix: "Add docs/runbook.md.",
              findings: [{ message: "Add docs/runbook.md with an Escalation section.", path: "docs/runbook.md", line: 1, severity: "failure" }],
              findingCount: 3,
            },
          ],
        });
        const stored = await writer.recordEvaluation(record);
        expect(await reader.latestEvaluation("branch:acme/shop:main")).toEqual(stored);
        expect(stored).toEqual({ ...record, id: expect.any(Number) });
      });

      test("a branch record keeps its dated target (level, day, whether reached, what is missing); one without stays without", async () => {
        const record = evaluation({
          subjectKind: "branch",
          subjectKey: "branch:acme/shop:main",
          ref: "main",
          target: { level: "silver", from: "2027-03-01", met: false, missing: ["runbook", "slo"] },
        });
        const stored = await writer.recordEvaluation(record);
        expect(stored).toEqual({ ...record, id: expect.any(Number) });
        expect((await reader.latestBranchEvaluations())[0]?.target).toEqual({ level: "silver", from: "2027-03-01", met: false, missing: ["runbook", "slo"] });
        const plain = await writer.recordEvaluation(evaluation({ subjectKind: "branch", subjectKey: "branch:acme/other:main", repo: "other", ref: "main" }));
        expect("target" in ((await reader.latestEvaluation(plain.subjectKey)) ?? {})).toBe(false);
      });

      test("a fractional duration (performance.now) is recorded in whole milliseconds", async () => {
        const stored = await writer.recordEvaluation(evaluation({ durationMs: 420.6 }));
        expect(stored.durationMs).toBe(421);
        expect((await reader.latestEvaluation(stored.subjectKey))?.durationMs).toBe(421);
      });

      test("ids are distinct and increase in insertion order", async () => {
        const first = await writer.recordEvaluation(evaluation());
        const second = await writer.recordEvaluation(evaluation());
        expect(second.id).toBeGreaterThan(first.id);
      });

      test("latest is the newest by evaluation time, not by insertion", async () => {
        await writer.recordEvaluation(evaluation({ evaluatedAt: "2026-03-01T12:00:00.000Z", outcome: "success" }));
        await writer.recordEvaluation(evaluation({ evaluatedAt: "2026-03-01T11:00:00.000Z", outcome: "failure" }));
        expect((await reader.latestEvaluation("pull:acme/shop#12"))?.outcome).toBe("success");
      });

      test("records at the same time: the later insertion is newer", async () => {
        await writer.recordEvaluation(evaluation({ outcome: "failure" }));
        await writer.recordEvaluation(evaluation({ outcome: "success" }));
        expect((await reader.latestEvaluation("pull:acme/shop#12"))?.outcome).toBe("success");
      });

      test("latest at one head commit ignores other commits; an unknown subject has none", async () => {
        await writer.recordEvaluation(evaluation({ headSha: "1".repeat(40), outcome: "success" }));
        await writer.recordEvaluation(evaluation({ headSha: "2".repeat(40), outcome: "failure", evaluatedAt: "2026-03-02T00:00:00.000Z" }));
        expect((await reader.latestEvaluation("pull:acme/shop#12", "1".repeat(40)))?.outcome).toBe("success");
        expect((await reader.latestEvaluation("pull:acme/shop#12"))?.outcome).toBe("failure");
        expect(await reader.latestEvaluation("pull:acme/shop#99")).toBeUndefined();
        expect(await reader.latestEvaluation("pull:acme/shop#12", "3".repeat(40))).toBeUndefined();
      });

      test("times in other ISO-8601 spellings are stored normalised and ordered as instants", async () => {
        await writer.recordEvaluation(evaluation({ evaluatedAt: "2026-03-01T10:00:00.5Z", outcome: "success" }));
        await writer.recordEvaluation(evaluation({ evaluatedAt: "2026-03-01T12:00:00+02:00", outcome: "failure" }));
        const list = await reader.listEvaluations({});
        expect(list.map((e) => e.evaluatedAt)).toEqual(["2026-03-01T10:00:00.500Z", "2026-03-01T10:00:00.000Z"]);
      });

      test("a time that is not one is refused with a message naming the field", async () => {
        await expect(writer.recordEvaluation(evaluation({ evaluatedAt: "yesterday" }))).rejects.toThrow(/evaluatedAt.*"yesterday"/);
        expect(await reader.listEvaluations({})).toEqual([]);
      });

      test("list filters by repository, kind, subject and head commit, newest first", async () => {
        await writer.recordEvaluation(evaluation({ evaluatedAt: "2026-03-01T01:00:00.000Z" }));
        await writer.recordEvaluation(evaluation({ evaluatedAt: "2026-03-01T03:00:00.000Z", headSha: "e".repeat(40) }));
        await writer.recordEvaluation(
          evaluation({ subjectKind: "merge-group", subjectKey: `merge-group:acme/shop@${"c".repeat(40)}`, evaluatedAt: "2026-03-01T02:00:00.000Z" }),
        );
        await writer.recordEvaluation(evaluation({ repo: "api", subjectKey: "pull:acme/api#3" }));
        await writer.recordEvaluation(evaluation({ owner: "other", subjectKey: "pull:other/shop#12" }));

        const times = (list: { evaluatedAt: string }[]) => list.map((e) => e.evaluatedAt);
        expect(times(await reader.listEvaluations({ owner: "acme", repo: "shop" }))).toEqual([
          "2026-03-01T03:00:00.000Z",
          "2026-03-01T02:00:00.000Z",
          "2026-03-01T01:00:00.000Z",
        ]);
        expect(await reader.listEvaluations({ owner: "acme" })).toHaveLength(4);
        expect(await reader.listEvaluations({ subjectKind: "merge-group" })).toHaveLength(1);
        expect(await reader.listEvaluations({ subjectKey: "pull:acme/api#3" })).toHaveLength(1);
        expect(await reader.listEvaluations({ subjectKey: "pull:acme/shop#12", headSha: "e".repeat(40) })).toHaveLength(1);
        expect(await reader.listEvaluations({ owner: "nobody" })).toEqual([]);
      });

      test("list returns at most `limit` records, 100 by default", async () => {
        for (let i = 0; i < 103; i++) {
          await writer.recordEvaluation(evaluation({ evaluatedAt: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString() }));
        }
        const all = await reader.listEvaluations({});
        expect(all).toHaveLength(100);
        expect(all[0]?.evaluatedAt).toBe("2026-03-01T01:42:00.000Z");
        expect(await reader.listEvaluations({ limit: 2 })).toHaveLength(2);
        await expect(reader.listEvaluations({ limit: 0 })).rejects.toThrow(/limit must be a positive integer/);
      });

      test("concurrent records from both stores all land, with distinct ids", async () => {
        const writes = Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? writer : reader).recordEvaluation(evaluation({ deliveryId: `d-${i}` })),
        );
        const stored = await Promise.all(writes);
        expect(new Set(stored.map((s) => s.id)).size).toBe(40);
        expect(await reader.listEvaluations({})).toHaveLength(40);
      });
    });

    describe("scorecard queries", () => {
      test("latestBranchEvaluations gives each repository's newest branch record, by owner then repo", async () => {
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-01T10:00:00Z", { levelReached: null }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-02T10:00:00Z", { levelReached: "silver", headSha: "e".repeat(40) }));
        await writer.recordEvaluation(branchRecord("acme", "api", "2026-03-01T09:00:00Z", { levelReached: "gold" }));
        await writer.recordEvaluation(branchRecord("beta", "app", "2026-03-01T08:00:00Z"));
        // Neither a pull request's record nor a failed evaluation is a standing.
        await writer.recordEvaluation(evaluation({ owner: "acme", repo: "web", evaluatedAt: "2026-03-03T10:00:00Z" }));
        await writer.recordEvaluation(branchRecord("acme", "api", "2026-03-04T10:00:00Z", { outcome: "error", levelReached: null, error: "GitHub unreachable" }));
        const latest = await reader.latestBranchEvaluations();
        expect(latest.map((e) => [`${e.owner}/${e.repo}`, e.levelReached, e.evaluatedAt])).toEqual([
          ["acme/api", "gold", "2026-03-01T09:00:00.000Z"],
          ["acme/web", "silver", "2026-03-02T10:00:00.000Z"],
          ["beta/app", "bronze", "2026-03-01T08:00:00.000Z"],
        ]);
        expect(latest[1]).toMatchObject({ subjectKind: "branch", ref: "main", headSha: "e".repeat(40), rules: evaluation().rules });
      });

      test("latestBranchEvaluations breaks a tie in time by the later record, and answers as of a time with `before`", async () => {
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-01T10:00:00Z", { levelReached: "bronze" }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-01T10:00:00Z", { levelReached: "gold" }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-05T10:00:00Z", { levelReached: null }));
        expect((await reader.latestBranchEvaluations()).map((e) => e.levelReached)).toEqual([null]);
        expect((await reader.latestBranchEvaluations({ before: "2026-03-05T10:00:00Z" })).map((e) => e.levelReached)).toEqual(["gold"]);
        expect(await reader.latestBranchEvaluations({ before: "2026-03-01T10:00:00Z" })).toEqual([]);
        await expect(reader.latestBranchEvaluations({ before: "yesterday" })).rejects.toThrow(/before must be an ISO-8601 time/);
      });

      test("branchHistory lists one repository's branch records newest first, errors included, within since and limit", async () => {
        for (const day of ["01", "02", "03", "04"]) {
          await writer.recordEvaluation(branchRecord("acme", "web", `2026-03-${day}T10:00:00Z`, { headSha: day.repeat(20) }));
        }
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-05T10:00:00Z", { outcome: "error", levelReached: null }));
        await writer.recordEvaluation(branchRecord("acme", "api", "2026-03-06T10:00:00Z"));
        await writer.recordEvaluation(evaluation({ owner: "acme", repo: "web", evaluatedAt: "2026-03-06T10:00:00Z" }));
        const all = await reader.branchHistory({ owner: "acme", repo: "web" });
        expect(all.map((e) => [e.evaluatedAt.slice(0, 10), e.outcome])).toEqual([
          ["2026-03-05", "error"],
          ["2026-03-04", "failure"],
          ["2026-03-03", "failure"],
          ["2026-03-02", "failure"],
          ["2026-03-01", "failure"],
        ]);
        const recent = await reader.branchHistory({ owner: "acme", repo: "web", since: "2026-03-03T10:00:00Z", limit: 2 });
        expect(recent.map((e) => e.evaluatedAt)).toEqual(["2026-03-05T10:00:00.000Z", "2026-03-04T10:00:00.000Z"]);
        expect(await reader.branchHistory({ owner: "acme", repo: "nothing" })).toEqual([]);
        await expect(reader.branchHistory({ owner: "acme", repo: "web", limit: 0 })).rejects.toThrow(/limit must be a positive integer/);
      });

      test("dailyBranchLevels gives each repository's last level of each UTC day within [from, to)", async () => {
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-02-28T23:59:59Z", { levelReached: "gold" }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-01T00:00:00Z", { levelReached: null }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-01T23:59:59.999Z", { levelReached: "silver", levelRequired: "gold" }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-02T12:00:00Z", { levelReached: "bronze" }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-02T13:00:00Z", { outcome: "error", levelReached: null }));
        await writer.recordEvaluation(branchRecord("acme", "api", "2026-03-01T05:00:00Z", { levelReached: "gold", installationId: 9 }));
        await writer.recordEvaluation(branchRecord("acme", "api", "2026-03-03T00:00:00Z", { levelReached: null }));
        await writer.recordEvaluation(evaluation({ owner: "acme", repo: "api", evaluatedAt: "2026-03-02T10:00:00Z", levelReached: null }));
        expect(await reader.dailyBranchLevels("2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z")).toEqual([
          { installationId: 9, owner: "acme", repo: "api", day: "2026-03-01", levelReached: "gold", levelRequired: "silver" },
          { installationId: 7, owner: "acme", repo: "web", day: "2026-03-01", levelReached: "silver", levelRequired: "gold" },
          { installationId: 7, owner: "acme", repo: "web", day: "2026-03-02", levelReached: "bronze", levelRequired: "silver" },
        ]);
        await expect(reader.dailyBranchLevels("2026-03-01", "later")).rejects.toThrow(/to must be an ISO-8601 time/);
      });

      test("a branch record that lands after a newer one changes neither the standing nor that day's level", async () => {
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-02T12:00:00Z", { levelReached: "gold" }));
        await reader.recordEvaluation(branchRecord("acme", "web", "2026-03-02T09:00:00Z", { levelReached: "bronze" }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-01T09:00:00Z", { levelReached: null }));
        expect((await reader.latestBranchEvaluations()).map((e) => [e.levelReached, e.evaluatedAt])).toEqual([["gold", "2026-03-02T12:00:00.000Z"]]);
        expect((await reader.dailyBranchLevels("2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z")).map((d) => [d.day, d.levelReached])).toEqual([
          ["2026-03-01", null],
          ["2026-03-02", "gold"],
        ]);
      });

      test("`before` within a day and a range cutting days take only the records inside, not the day's last", async () => {
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-01T08:00:00Z", { levelReached: "bronze" }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-01T20:00:00Z", { levelReached: "silver" }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-02T10:00:00Z", { levelReached: "gold" }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-03T08:00:00Z", { levelReached: null }));
        await writer.recordEvaluation(branchRecord("acme", "web", "2026-03-03T20:00:00Z", { levelReached: "gold" }));
        await writer.recordEvaluation(branchRecord("acme", "api", "2026-02-20T10:00:00Z", { levelReached: "silver" }));
        const standing = async (before: string) =>
          (await reader.latestBranchEvaluations({ before })).map((e) => [e.repo, e.levelReached]);
        expect(await standing("2026-03-01T12:00:00Z")).toEqual([["api", "silver"], ["web", "bronze"]]);
        expect(await standing("2026-03-03T12:00:00Z")).toEqual([["api", "silver"], ["web", null]]);
        expect(await standing("2026-03-03T00:00:00Z")).toEqual([["api", "silver"], ["web", "gold"]]);
        const levels = async (from: string, to: string) =>
          (await reader.dailyBranchLevels(from, to)).map((d) => [d.day, d.repo, d.levelReached]);
        expect(await levels("2026-03-01T12:00:00Z", "2026-03-03T12:00:00Z")).toEqual([
          ["2026-03-01", "web", "silver"],
          ["2026-03-02", "web", "gold"],
          ["2026-03-03", "web", null],
        ]);
        expect(await levels("2026-03-01T00:00:00Z", "2026-03-01T12:00:00Z")).toEqual([["2026-03-01", "web", "bronze"]]);
        expect(await levels("2026-03-01T09:00:00Z", "2026-03-01T12:00:00Z")).toEqual([]);
        expect(await levels("2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z")).toEqual([
          ["2026-02-20", "api", "silver"],
          ["2026-03-01", "web", "silver"],
          ["2026-03-02", "web", "gold"],
          ["2026-03-03", "web", "gold"],
        ]);
      });
    });

    describe("pending merge groups", () => {
      test("a saved group is found until it expires", async () => {
        await writer.savePendingGroup(group());
        expect(await reader.pendingGroupFor(repository, 12, "2026-03-01T15:59:59.999Z")).toEqual(group());
        expect(await reader.pendingGroupFor(repository, 12, "2026-03-01T16:00:00.000Z")).toBeUndefined();
      });

      test("groups are kept apart per installation, owner, repository and pull request", async () => {
        await writer.savePendingGroup(group());
        expect(await reader.pendingGroupFor({ ...repository, installationId: 8 }, 12, "2026-03-01T11:00:00Z")).toBeUndefined();
        expect(await reader.pendingGroupFor({ ...repository, owner: "other" }, 12, "2026-03-01T11:00:00Z")).toBeUndefined();
        expect(await reader.pendingGroupFor({ ...repository, repo: "api" }, 12, "2026-03-01T11:00:00Z")).toBeUndefined();
        expect(await reader.pendingGroupFor(repository, 13, "2026-03-01T11:00:00Z")).toBeUndefined();
      });

      test("saving again for the same pull request replaces the group", async () => {
        await writer.savePendingGroup(group());
        await reader.savePendingGroup(group({ groupHeadSha: "f".repeat(40), expiresAt: "2026-03-01T18:00:00.000Z" }));
        const found = await reader.pendingGroupFor(repository, 12, "2026-03-01T17:00:00Z");
        expect(found?.groupHeadSha).toBe("f".repeat(40));
      });

      test("delete names the group's head commit: another group for the pull request stays", async () => {
        await writer.savePendingGroup(group());
        await writer.deletePendingGroup(repository, 12, "9".repeat(40));
        expect(await reader.pendingGroupFor(repository, 12, "2026-03-01T11:00:00Z")).toBeDefined();
        await writer.deletePendingGroup(repository, 12, "c".repeat(40));
        expect(await reader.pendingGroupFor(repository, 12, "2026-03-01T11:00:00Z")).toBeUndefined();
      });

      test("delete without a head commit removes whatever group the pull request has", async () => {
        await writer.savePendingGroup(group());
        await writer.deletePendingGroup(repository, 12);
        expect(await reader.pendingGroupFor(repository, 12, "2026-03-01T11:00:00Z")).toBeUndefined();
        await expect(writer.deletePendingGroup(repository, 12)).resolves.toBeUndefined();
      });

      test("expiry removes only the groups past their time and counts them", async () => {
        await writer.savePendingGroup(group({ pullNumber: 1, expiresAt: "2026-03-01T11:00:00.000Z" }));
        await writer.savePendingGroup(group({ pullNumber: 2, expiresAt: "2026-03-01T12:00:00.000Z" }));
        await writer.savePendingGroup(group({ pullNumber: 3, expiresAt: "2026-03-01T13:00:00.000Z" }));
        expect(await reader.expirePendingGroups("2026-03-01T12:00:00Z")).toBe(2);
        expect(await reader.expirePendingGroups("2026-03-01T12:00:00Z")).toBe(0);
        expect(await writer.pendingGroupFor(repository, 3, "2026-03-01T12:00:00Z")).toEqual(group({ pullNumber: 3, expiresAt: "2026-03-01T13:00:00.000Z" }));
      });
    });

    describe("publications", () => {
      test("nothing is published until saved; a saved record reads back, with ids past 2^31", async () => {
        expect(await reader.publication("pull:acme/shop#12", "a".repeat(40))).toBeUndefined();
        await writer.savePublication(publication({ checkRunId: BIG_ID, checkDigest: "sha256:1" }));
        expect(await reader.publication("pull:acme/shop#12", "a".repeat(40))).toEqual(
          publication({ checkRunId: BIG_ID, checkDigest: "sha256:1" }),
        );
      });

      test("saving merges: fields left out keep their value, given ones replace it", async () => {
        await writer.savePublication(publication({ checkRunId: BIG_ID, checkDigest: "sha256:1" }));
        await reader.savePublication(publication({ commentId: 55, commentDigest: "sha256:c", updatedAt: "2026-03-01T10:01:00Z" }));
        await writer.savePublication(publication({ checkDigest: "sha256:2", updatedAt: "2026-03-01T10:02:00Z" }));
        expect(await reader.publication("pull:acme/shop#12", "a".repeat(40))).toEqual(
          publication({
            checkRunId: BIG_ID,
            checkDigest: "sha256:2",
            commentId: 55,
            commentDigest: "sha256:c",
            updatedAt: "2026-03-01T10:02:00.000Z",
          }),
        );
      });

      test("records are per subject and head commit", async () => {
        await writer.savePublication(publication({ checkRunId: 1 }));
        await writer.savePublication(publication({ headSha: "e".repeat(40), checkRunId: 2 }));
        await writer.savePublication(publication({ subjectKey: "pull:acme/shop#13", checkRunId: 3 }));
        expect((await reader.publication("pull:acme/shop#12", "a".repeat(40)))?.checkRunId).toBe(1);
        expect((await reader.publication("pull:acme/shop#12", "e".repeat(40)))?.checkRunId).toBe(2);
        expect((await reader.publication("pull:acme/shop#13", "a".repeat(40)))?.checkRunId).toBe(3);
      });

      test("concurrent saves of different fields from both stores all survive", async () => {
        await Promise.all([
          writer.savePublication(publication({ checkRunId: 11 })),
          reader.savePublication(publication({ checkDigest: "sha256:x" })),
          writer.savePublication(publication({ commentId: 12 })),
          reader.savePublication(publication({ commentDigest: "sha256:y" })),
        ]);
        expect(await reader.publication("pull:acme/shop#12", "a".repeat(40))).toEqual(
          publication({ checkRunId: 11, checkDigest: "sha256:x", commentId: 12, commentDigest: "sha256:y" }),
        );
      });
    });

    describe("bookkeeping", () => {
      test("an entry is saved, replaced whole (an ETag left out is dropped) and read back", async () => {
        expect(await reader.getBookkeeping("installations")).toBeUndefined();
        await writer.setBookkeeping({ key: "installations", value: "[1,2]", etag: 'W/"abc"', updatedAt: "2026-03-01T10:00:00Z" });
        expect(await reader.getBookkeeping("installations")).toEqual({
          key: "installations",
          value: "[1,2]",
          etag: 'W/"abc"',
          updatedAt: "2026-03-01T10:00:00.000Z",
        });
        await reader.setBookkeeping({ key: "installations", value: "[1]", updatedAt: "2026-03-01T11:00:00Z" });
        const replaced = await writer.getBookkeeping("installations");
        expect(replaced).toEqual({ key: "installations", value: "[1]", updatedAt: "2026-03-01T11:00:00.000Z" });
        expect(replaced && "etag" in replaced).toBe(false);
      });

      test("a claim writes only over the value expected, and of two racing claims exactly one wins", async () => {
        const entry = (value: string) => ({ key: "scorecards:sweep", value, updatedAt: "2026-03-01T10:00:00Z" });
        const first = await Promise.all([writer.claimBookkeeping(undefined, entry("a")), reader.claimBookkeeping(undefined, entry("b"))]);
        expect(first.filter(Boolean)).toHaveLength(1);
        const winner = (await reader.getBookkeeping("scorecards:sweep"))!.value;
        expect(winner).toBe(first[0] ? "a" : "b");
        expect(await writer.claimBookkeeping("stale", entry("c"))).toBe(false);
        const second = await Promise.all([writer.claimBookkeeping(winner, entry("d")), reader.claimBookkeeping(winner, entry("e"))]);
        expect(second.filter(Boolean)).toHaveLength(1);
        expect((await writer.getBookkeeping("scorecards:sweep"))!.value).toBe(second[0] ? "d" : "e");
      });

      test("entries are listed by exact key prefix, least recently updated first, and deleted one by one", async () => {
        const at = (key: string, updatedAt: string) => writer.setBookkeeping({ key, value: key.toUpperCase(), updatedAt });
        await at("deployment-request:b", "2026-03-01T10:02:00Z");
        await at("deployment-request:a", "2026-03-01T10:01:00Z");
        await at("deployment-request:c", "2026-03-01T10:03:00Z");
        // Wildcards of LIKE and case are not prefixes of these keys.
        await at("deployment_request:x", "2026-03-01T09:00:00Z");
        await at("Deployment-request:y", "2026-03-01T09:00:00Z");
        await at("deployment-answer:a", "2026-03-01T09:00:00Z");
        expect((await reader.listBookkeeping("deployment-request:", 10)).map((e) => e.key)).toEqual(["deployment-request:a", "deployment-request:b", "deployment-request:c"]);
        expect((await reader.listBookkeeping("deployment-request:", 2)).map((e) => e.value)).toEqual(["DEPLOYMENT-REQUEST:A", "DEPLOYMENT-REQUEST:B"]);
        expect(await reader.listBookkeeping("deployment-req%", 10)).toEqual([]);
        await writer.deleteBookkeeping("deployment-request:b");
        await writer.deleteBookkeeping("deployment-request:never-written");
        expect((await reader.listBookkeeping("deployment-request:", 10)).map((e) => e.key)).toEqual(["deployment-request:a", "deployment-request:c"]);
        expect(await reader.getBookkeeping("deployment-request:b")).toBeUndefined();
      });
    });

    describe("decisions (audit log)", () => {
      test("entries are appended and read back oldest first, with every field as written and times normalised", async () => {
        const first = await writer.appendDecision(decision({ untilPush: true, expiresAt: "2026-03-04T10:00:00Z" }));
        await writer.appendDecision(decision({ kind: "attest", target: "dr-drill", reason: "https://wiki/drill-2026", pullNumber: undefined, issueNumber: 40, createdAt: "2026-03-01T09:00:00Z" }));
        await writer.appendDecision(decision({ kind: "unwaive", reason: "", createdAt: "2026-03-02T10:00:00.000Z" }));
        const all = await reader.listDecisions({ owner: "acme", repo: "shop" });
        expect(all.map((d) => [d.kind, d.createdAt])).toEqual([
          ["attest", "2026-03-01T09:00:00.000Z"],
          ["waive", "2026-03-01T10:00:00.000Z"],
          ["unwaive", "2026-03-02T10:00:00.000Z"],
        ]);
        expect(all[1]).toEqual({ ...decision({ untilPush: true, expiresAt: "2026-03-04T10:00:00.000Z", createdAt: "2026-03-01T10:00:00.000Z" }), id: first.id });
        expect("pullNumber" in all[0]!).toBe(false);
        expect("untilPush" in all[2]!).toBe(false);
      });

      test("queries narrow by kind, pull request, time and repository", async () => {
        await writer.appendDecision(decision());
        await writer.appendDecision(decision({ pullNumber: 13, issueNumber: 13, createdAt: "2026-03-05T00:00:00Z" }));
        await writer.appendDecision(decision({ kind: "attest", target: "dr-drill", pullNumber: undefined }));
        await writer.appendDecision(decision({ repo: "other" }));
        expect(await reader.listDecisions({ owner: "acme", repo: "shop", pullNumber: 12, kind: "waive" })).toHaveLength(1);
        expect(await reader.listDecisions({ owner: "acme", repo: "shop", kind: "attest" })).toHaveLength(1);
        expect((await reader.listDecisions({ owner: "acme", repo: "shop", since: "2026-03-02T00:00:00Z" })).map((d) => d.pullNumber)).toEqual([13]);
        expect(await reader.listDecisions({ owner: "acme", repo: "other" })).toHaveLength(1);
      });

      test("a time that is not ISO-8601 is refused", async () => {
        await expect(writer.appendDecision(decision({ createdAt: "yesterday" }))).rejects.toThrow(/createdAt must be an ISO-8601 time/);
      });
    });

    describe("copies", () => {
      test("changing an object after saving or reading it does not change what is stored", async () => {
        const record = { ...evaluation(), rules: [{ id: "docs", level: "bronze", blocking: true, status: "pass" }] };
        await writer.recordEvaluation(record);
        record.rules[0]!.status = "fail";
        const read = await reader.latestEvaluation(record.subjectKey);
        (read!.rules[0] as { status: string }).status = "error";
        expect((await reader.latestEvaluation(record.subjectKey))?.rules[0]?.status).toBe("pass");
      });
    });
  });
}
