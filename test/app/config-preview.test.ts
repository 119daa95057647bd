/**
 * Configuration previews through probot.receive: a pull request that changes `.readiness.yml` is
 * judged by its base branch's configuration and also shown what the proposed one would change.
 */
import { afterEach, expect, test } from "@jest/globals";
import { ORG_BASELINE_READS, BASE_SHA, FakeGitHub, HEAD_SHA, INSTALLATION_ID, createTestApp, pullRequestEvent, resetNock, yaml } from "../helpers/app.js";
import type { TestApp } from "../helpers/app.js";

afterEach(() => resetNock());

const BASE_CONFIG = yaml([
  "level: silver",
  "rules:",
  "  reviews:",
  "    level: bronze",
  "    approvals: 1",
  "  docs:",
  "    level: silver",
  '    when: ["src/**"]',
]);

/** reviews moves bronze → silver; file-exists is added at bronze (SECURITY.md is missing at the head). */
const PROPOSED_CONFIG = yaml([
  "level: silver",
  "rules:",
  "  reviews:",
  "    level: silver",
  "    approvals: 1",
  "  docs:",
  "    level: silver",
  '    when: ["src/**"]',
  "  file-exists:",
  "    level: bronze",
  "    paths: [SECURITY.md]",
]);

/** Line 6 names a rule that does not exist. */
const INVALID_PROPOSAL = yaml(["level: silver", "rules:", "  reviews:", "    level: bronze", "    approvals: 1", "  revuews: bronze"]);

function approvedPull(app: TestApp, files: readonly string[]): void {
  app.fake.setFile(BASE_SHA, ".readiness.yml", BASE_CONFIG);
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, files.map((filename) => ({ filename })));
  app.fake.addReview(7, "bob", "APPROVED");
}

const headReads = (app: TestApp) => app.fake.apiCalls().filter((call) => call.includes(`ref=${HEAD_SHA}`) || call.includes(`/git/trees/${HEAD_SHA}`));

test("a valid proposal: judged by the base configuration, the check and the comment show the rules added, levels moved and the verdict difference", async () => {
  const app = await createTestApp();
  approvedPull(app, [".readiness.yml"]);
  app.fake.setFile(HEAD_SHA, ".readiness.yml", PROPOSED_CONFIG);
  await app.service.store.recordEvaluation({
    installationId: INSTALLATION_ID,
    owner: "acme",
    repo: "shop",
    subjectKind: "branch",
    subjectKey: "branch:acme/shop:main",
    headSha: "c".repeat(40),
    outcome: "success",
    levelReached: "gold",
    levelRequired: "silver",
    rules: [],
    reason: "push",
    durationMs: 1,
    apiRequests: 1,
    evaluatedAt: "2026-01-01T00:00:00.000Z",
    ref: "main",
  });
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));

  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  // The base configuration judges: reviews approved, docs skipped (no src change) → success.
  expect(run).toMatchObject({ conclusion: "success" });
  const summary = run!.output.summary!;
  expect(summary).toContain("### 🔎 Configuration preview");
  expect(summary).toContain("✅ The proposed configuration is valid. Once merged:");
  expect(summary).toContain("- ➕ `file-exists` added at bronze");
  expect(summary).toContain("- ↕️ `reviews`: bronze → **silver**");
  expect(summary).toMatch(/\| This pull request \| ✅ ready: gold reached, silver required \| ❌ not ready: no level reached, silver required \(blocked by `file-exists`\) \|/);
  expect(summary).toMatch(/\| Scorecard \(`main` at `ccccccc`\) \| gold \| between no level and gold, depending on `file-exists`/);
  expect(summary).toContain("**Verdict differences:** under the proposed configuration this pull request would be not ready (no level reached) instead of ready (gold reached)");
  // The preview leads; the base verdict follows.
  expect(summary.indexOf("Configuration preview")).toBeLessThan(summary.indexOf("Ready to merge"));
  const comments = app.fake.ownComments(7);
  expect(comments).toHaveLength(1);
  expect(comments[0]!.body).toContain("- ➕ `file-exists` added at bronze");
  // Read at the head for the preview only: the proposed file and the tree the added rule needs.
  expect(headReads(app)).toEqual([`GET /repos/acme/shop/contents/.readiness.yml?ref=${HEAD_SHA}`, `GET /repos/acme/shop/git/trees/${HEAD_SHA}?recursive=1`]);
  const record = await app.service.store.latestEvaluation("pull:acme/shop#7");
  expect(record).toMatchObject({ outcome: "success", levelReached: "gold" });
});

test("an invalid proposal fails the check, annotated on the new file at the right line, with the base verdict still shown", async () => {
  const app = await createTestApp();
  approvedPull(app, [".readiness.yml", "src/cart.ts", "docs/cart.md"]);
  app.fake.setFile(HEAD_SHA, ".readiness.yml", INVALID_PROPOSAL);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 3 }));

  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(run!.output.title).toMatch(/^Proposed \.readiness\.yml is invalid · /);
  expect(run!.annotations).toEqual([
    expect.objectContaining({ path: ".readiness.yml", start_line: 6, end_line: 6, annotation_level: "failure", title: "Invalid .readiness.yml: rules.revuews" }),
  ]);
  expect(run!.annotations[0]!.message).toMatch(/unknown rule "revuews"\. Did you mean "reviews"\?/);
  const summary = run!.output.summary!;
  expect(summary).toContain("❌ **The proposed configuration is invalid:** `.readiness.yml` at `aaaaaaa` has 1 error");
  expect(summary).toContain("`.readiness.yml:6:3`");
  // The base verdict is still there: the pull request itself is ready under the configuration in force.
  expect(summary).toContain("✅ **Ready to merge:**");
  const comments = app.fake.ownComments(7);
  expect(comments).toHaveLength(1);
  expect(comments[0]!.body).toContain("The proposed configuration is invalid");
  const record = await app.service.store.latestEvaluation("pull:acme/shop#7");
  expect(record).toMatchObject({ outcome: "success" });
});

test("a pull request that does not touch the configuration reads nothing at its head for a preview", async () => {
  const app = await createTestApp();
  approvedPull(app, ["src/cart.ts", "docs/cart.md"]);
  app.fake.setFile(HEAD_SHA, ".readiness.yml", INVALID_PROPOSAL);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 2 }));

  expect(headReads(app)).toEqual([]);
  // The base configuration, and the organisation baseline for its locked rules: nothing at the head.
  expect(app.fake.apiCalls().filter((call) => call.includes("/contents/"))).toEqual([`GET /repos/acme/shop/contents/.readiness.yml?ref=${BASE_SHA}`, ...ORG_BASELINE_READS]);
  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run).toMatchObject({ conclusion: "success" });
  expect(run!.output.summary).not.toContain("Configuration preview");
});

/** The fake serves acme/shop; this one answers for acme/.github as if it were that repository. */
class OrgRepositoryFake extends FakeGitHub {
  override handle(method: string, rawUrl: string, accept: string, body: Record<string, unknown> | undefined) {
    return super.handle(method, rawUrl.replace("/repos/acme/.github/", "/repos/acme/shop/"), accept, body);
  }
}

test("in the organisation's .github repository, a change to the baseline is previewed as the baseline, read at the head", async () => {
  const app = await createTestApp({}, new OrgRepositoryFake());
  app.fake.setFile(BASE_SHA, ".github/readiness.yml", BASE_CONFIG);
  app.fake.setFile(HEAD_SHA, ".github/readiness.yml", PROPOSED_CONFIG);
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, [{ filename: ".github/readiness.yml" }]);
  app.fake.addReview(7, "bob", "APPROVED");
  const event = pullRequestEvent("opened", { number: 7, changedFiles: 1 });
  event.repository.name = ".github";
  event.repository.full_name = "acme/.github";
  await app.receive("pull_request", event);

  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run).toMatchObject({ conclusion: "success" });
  const summary = run!.output.summary!;
  expect(summary).toContain("This pull request changes `.github/readiness.yml`.");
  expect(summary).toContain("It changes the organisation baseline `acme/.github`: every repository that extends it follows the change once merged");
  expect(summary).toContain("- ➕ `file-exists` added at bronze");
  expect(summary).toContain("❌ not ready: no level reached");
});

test("a proposal that extends the organisation baseline reads the baseline once for both configurations", async () => {
  const app = await createTestApp();
  app.fake.setFile("main", ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]), ".github");
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["extends: acme/.github", "rules:", "  docs:", "    level: silver", '    when: ["src/**"]']));
  app.fake.setFile(HEAD_SHA, ".readiness.yml", yaml(["extends: acme/.github", "rules:", "  docs:", "    level: gold", '    when: ["src/**"]']));
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, [{ filename: ".readiness.yml" }]);
  app.fake.addReview(7, "bob", "APPROVED");
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));

  expect(app.fake.apiCalls().filter((call) => call.includes("/repos/acme/.github/"))).toEqual(["GET /repos/acme/.github/contents/.readiness.yml"]);
  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run!.output.summary).toContain("- ↕️ `docs`: silver → **gold**");
  expect(run!.output.summary).not.toContain("Verdict differences");
});

test("a pull request that deletes the only configuration is told the repository would no longer be checked", async () => {
  const app = await createTestApp();
  approvedPull(app, []);
  app.fake.setPullFiles(7, [{ filename: ".readiness.yml", status: "removed" }]);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));

  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run).toMatchObject({ conclusion: "success" });
  expect(run!.output.summary).toContain("Under the proposed files this repository has no readiness configuration");
});
