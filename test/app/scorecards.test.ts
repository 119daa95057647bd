/**
 * The scorecard through the app: a push to the default branch, an installation, a change to the
 * organisation baseline and the daily sweep each end in a `readiness` check run on the default
 * branch's head and a branch record, with the exact requests one repository evaluation costs.
 */
import { afterEach, expect, test } from "@jest/globals";
import { createTestApp, examplePayload, INSTALLATION_ID, ORG_BASELINE_READS, resetNock, yaml } from "../helpers/app.js";

afterEach(() => resetNock());

const OLD = "1".repeat(40);
const NEWEST = "9".repeat(40);
const RUNBOOK = yaml(["# Runbook", "## Alerts", "page", "## Escalation", "call", "## Rollback", "revert"]);

function pushEvent(after: string, repo = "shop", modified: string[] = ["src/cart.ts"]) {
  const payload = examplePayload("push", undefined, (e) => Array.isArray(e.commits) && e.commits.length > 0);
  payload.ref = "refs/heads/main";
  payload.after = after;
  payload.deleted = false;
  payload.repository.default_branch = "main";
  payload.repository.name = repo;
  payload.repository.full_name = `acme/${repo}`;
  payload.commits = [{ ...payload.commits[0], id: after, added: [], modified, removed: [] }];
  return payload;
}

/** A repository whose configuration (the recommended rules) lives at `sha`. */
function seed(app: Awaited<ReturnType<typeof createTestApp>>, sha: string, config: string[]): void {
  app.fake.branches.set("main", sha);
  app.fake.setFile(sha, ".readiness.yml", yaml(config));
  app.fake.setFile(sha, ".github/CODEOWNERS", "* @acme/platform\n/docs/ @docs-team\n");
  app.fake.setFile(sha, "docs/runbook.md", RUNBOOK);
  app.fake.setFile(sha, ".github/workflows/ci.yml", yaml(["jobs:", "  t:", "    steps:", "      - uses: actions/checkout@v4", "      - uses: docker/login-action@v3"]));
  app.fake.setFile(sha, "src/cart.ts", "export {};\n");
}

const RECOMMENDED = ["extends: readiness:recommended"];
const STRICT = ["extends: readiness:strict"];

test("a burst of pushes to the default branch gives one evaluation of the newest commit, a check run and a branch record", async () => {
  const app = await createTestApp();
  seed(app, NEWEST, RECOMMENDED);
  // GitHub is already at the newest commit when the jobs run.
  await Promise.all([app.probot.receive({ id: "d1", name: "push", payload: pushEvent(OLD) } as never), app.probot.receive({ id: "d2", name: "push", payload: pushEvent(NEWEST) } as never)]);
  await app.service.idle();

  const runs = app.fake.ownCheckRuns();
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ head_sha: NEWEST, name: "readiness" });
  expect(runs[0]!.output.title).toMatch(/^main: .* reached · .* required$|^main: no level reached/);
  expect(runs[0]!.output.summary).toContain("### Security");
  expect(runs[0]!.output.summary).toContain("not judged on a branch");
  const records = await app.service.store.listEvaluations({ subjectKind: "branch" });
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({ subjectKey: "branch:acme/shop:main", headSha: NEWEST, ref: "main", owners: ["@acme/platform"], visibility: "private", reason: "push" });
  expect(records[0]!.rules.map((rule) => rule.id)).not.toContain("reviews");
  // The second job found the newest head already evaluated: two reads, no evaluation.
  const repositoryReads = app.fake.apiCalls().filter((call) => call === "GET /repos/acme/shop");
  expect(repositoryReads.length).toBeLessThanOrEqual(2);
  expect(app.fake.unmatched).toEqual([]);
});

test.each([
  ["recommended", RECOMMENDED],
  ["strict", STRICT],
])("requests per repository evaluation, %s preset: the tree once, each needed file once, nothing about a change", async (_name, config) => {
  const app = await createTestApp();
  seed(app, NEWEST, config);
  await app.receive("push", pushEvent(NEWEST));
  const reads = app.fake.apiCalls().filter((call) => call.startsWith("GET "));
  const writes = app.fake.apiCalls().filter((call) => !call.startsWith("GET "));
  expect(reads.filter((call) => call.includes("/git/trees/"))).toEqual([`GET /repos/acme/shop/git/trees/${NEWEST}?recursive=1`]);
  for (const call of reads) expect(call).not.toMatch(/\/pulls|\/reviews|\/status\b/);
  // No file is read twice.
  expect(new Set(reads).size).toBe(reads.length);
  expect(writes.every((call) => call.startsWith("POST /repos/acme/shop/check-runs") || call.startsWith("PATCH /repos/acme/shop/check-runs/"))).toBe(true);
  const record = await app.service.store.latestEvaluation("branch:acme/shop:main");
  const at = `ref=${NEWEST}`;
  expect(app.fake.apiCalls()).toEqual([
    "GET /repos/acme/shop",
    "GET /repos/acme/shop/git/ref/heads%2Fmain",
    `GET /repos/acme/shop/contents/.readiness.yml?${at}`,
    ...ORG_BASELINE_READS,
    `GET /repos/acme/shop/git/trees/${NEWEST}?recursive=1`,
    `GET /repos/acme/shop/contents/.github%2FCODEOWNERS?${at}`,
    `GET /repos/acme/shop/codeowners/errors?${at}`,
    // The recommended preset does not enable the runbook rule; strict does.
    ...(_name === "strict" ? [`GET /repos/acme/shop/contents/docs%2Frunbook.md?${at}`] : []),
    `GET /repos/acme/shop/contents/.github%2Fworkflows%2Fci.yml?${at}`,
    // Once per process without APP_SLUG: the publisher's own-run lookup needs the app's slug.
    "GET /app",
    `GET /repos/acme/shop/commits/${NEWEST}/check-runs?check_name=readiness&filter=latest`,
    "POST /repos/acme/shop/check-runs",
  ]);
  expect(record?.apiRequests).toBe(reads.length + writes.length);
});

test("a retried push does not create a second check run; an unchanged verdict costs no write", async () => {
  const app = await createTestApp();
  seed(app, NEWEST, RECOMMENDED);
  await app.receive("push", pushEvent(NEWEST));
  app.fake.clearRequests();
  await app.receive("push", pushEvent(NEWEST));
  expect(app.fake.ownCheckRuns()).toHaveLength(1);
  expect(app.fake.apiCalls()).toEqual(["GET /repos/acme/shop", "GET /repos/acme/shop/git/ref/heads%2Fmain"]);
});

test("installation created: every repository of the installation gets its first scorecard, paced", async () => {
  const app = await createTestApp({}, undefined, { scorecards: { spacingMs: 5 } });
  seed(app, NEWEST, RECOMMENDED);
  const payload = examplePayload("installation", "created");
  payload.installation = { ...payload.installation, id: INSTALLATION_ID, account: { ...(payload.installation.account ?? {}), login: "acme" } };
  await app.receive("installation", payload);
  expect(app.fake.apiCalls()[0]).toBe("GET /installation/repositories?per_page=100");
  expect(app.fake.ownCheckRuns()).toHaveLength(1);
  const record = await app.service.store.latestEvaluation("branch:acme/shop:main");
  expect(record).toMatchObject({ reason: "installation.created", headSha: NEWEST });
});

test("the organisation baseline changed in acme/.github: every repository is evaluated again, even at an evaluated head", async () => {
  const app = await createTestApp({}, undefined, { scorecards: { spacingMs: 5 } });
  seed(app, NEWEST, RECOMMENDED);
  await app.receive("push", pushEvent(NEWEST));
  const before = await app.service.store.listEvaluations({ subjectKind: "branch" });
  expect(before).toHaveLength(1);
  app.fake.clearRequests();
  await app.receive("push", pushEvent("7".repeat(40), ".github", [".readiness.yml"]));
  const after = await app.service.store.listEvaluations({ subjectKey: "branch:acme/shop:main" });
  expect(after).toHaveLength(2);
  expect(after[0]).toMatchObject({ reason: "baseline-changed", headSha: NEWEST });
});

test("the periodic sweep: claimed once per interval, even by two replicas sharing a store", async () => {
  let now = new Date("2026-11-30T08:00:00Z");
  const clock = () => now;
  const first = await createTestApp({}, undefined, { scorecards: { intervalHours: 0, spacingMs: 5 }, now: clock });
  seed(first, NEWEST, RECOMMENDED);
  const { ScorecardSweep } = await import("../../src/jobs/sweep.js");
  const sweepOf = () =>
    new ScorecardSweep({ appClient: async () => (await first.probot.auth()) as never, queue: first.service.queue, store: first.service.store, intervalHours: 24, log: { info() {}, warn() {} }, now: clock });
  const [a, b] = [sweepOf(), sweepOf()];
  const reports = await Promise.all([a.runIfDue(), b.runIfDue()]);
  expect(reports.filter((r) => r.swept)).toHaveLength(1);
  await first.service.idle();
  expect(await first.service.store.listEvaluations({ subjectKey: "branch:acme/shop:main" })).toHaveLength(1);
  now = new Date("2026-11-30T20:00:00Z");
  expect(await a.runIfDue()).toEqual({ swept: false, installations: 0 });
  now = new Date("2026-12-01T08:00:01Z");
  expect(await b.runIfDue()).toEqual({ swept: true, installations: 1 });
  await first.service.idle();
  // Same head, evaluated again: time alone can change a verdict.
  expect(await first.service.store.listEvaluations({ subjectKey: "branch:acme/shop:main" })).toHaveLength(2);
});
