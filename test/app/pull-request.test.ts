import { afterEach, expect, test } from "@jest/globals";
import { APP_SLUG, BASE_SHA, HEAD_SHA, ORG_BASELINE_READS, PINO_INFO, createTestApp, pullRequestEvent, resetNock, reviewEvent, yaml } from "../helpers/app.js";
import type { TestApp } from "../helpers/app.js";

afterEach(() => resetNock());

const REVIEWS_CONFIG = yaml(["rules:", "  reviews:", "    approvals: 1"]);

function withReviewsConfig(app: TestApp): void {
  app.fake.setFile(BASE_SHA, ".readiness.yml", REVIEWS_CONFIG);
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, [{ filename: "src/cart.ts" }]);
}

function expectNoRequestTwice(app: TestApp): void {
  const calls = app.fake.apiCalls();
  expect(calls.filter((call, i) => calls.indexOf(call) !== i)).toEqual([]);
}

test("opened: reads the configuration at the BASE commit, fails the check and comments once, with exactly these requests", async () => {
  const app = await createTestApp();
  withReviewsConfig(app);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));

  // The job reads the pull request as it is when it runs (its head may have moved since the event).
  expect(app.fake.apiCalls()).toEqual([
    "GET /repos/acme/shop/pulls/7",
    `GET /repos/acme/shop/contents/.readiness.yml?ref=${BASE_SHA}`,
    ...ORG_BASELINE_READS,
    "GET /repos/acme/shop/pulls/7/reviews?page=1&per_page=100",
    "GET /app",
    `GET /repos/acme/shop/commits/${HEAD_SHA}/check-runs?check_name=readiness&filter=latest`,
    "POST /repos/acme/shop/check-runs",
    "GET /repos/acme/shop/issues/7/comments?page=1&per_page=100",
    "POST /repos/acme/shop/issues/7/comments",
  ]);
  expect(app.fake.unmatched).toEqual([]);
  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run).toMatchObject({ name: "readiness", head_sha: HEAD_SHA, status: "completed", conclusion: "failure" });
  expect(run!.output.title).toBeTruthy();
  const comments = app.fake.ownComments(7);
  expect(comments).toHaveLength(1);
  expect(comments[0]!.user.login).toBe(`${APP_SLUG}[bot]`);
  expect(comments[0]!.body).toContain("<!-- readiness-bot:sticky -->");
});

test("an approving review flips the same check run from failure to success and the comment to ready", async () => {
  const app = await createTestApp();
  withReviewsConfig(app);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));
  const [failing] = app.fake.ownCheckRuns(HEAD_SHA);
  const blockedComment = app.fake.ownComments(7)[0]!.body;
  app.fake.clearRequests();

  app.fake.addReview(7, "bob", "APPROVED");
  await app.receive("pull_request_review", reviewEvent("submitted", { user: "bob", state: "approved" }, { number: 7 }));

  // The config is cached for the base commit, the check run and comment for this process.
  expect(app.fake.apiCalls()).toEqual([
    "GET /repos/acme/shop/pulls/7",
    "GET /repos/acme/shop/pulls/7/reviews?page=1&per_page=100",
    `PATCH /repos/acme/shop/check-runs/${failing!.id}`,
    "PATCH /repos/acme/shop/issues/comments/" + app.fake.ownComments(7)[0]!.id,
  ]);
  const runs = app.fake.ownCheckRuns(HEAD_SHA);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ id: failing!.id, conclusion: "success" });
  const comments = app.fake.ownComments(7);
  expect(comments).toHaveLength(1);
  expect(comments[0]!.body).not.toBe(blockedComment);
  expect(comments[0]!.body).toMatch(/ready/i);
});

test("an unchanged verdict writes nothing: the comment is not rewritten, the check run not updated", async () => {
  const app = await createTestApp();
  withReviewsConfig(app);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));
  app.fake.clearRequests();

  await app.receive("pull_request", pullRequestEvent("labeled", { number: 7, changedFiles: 1, labels: ["backend"] }));

  expect(app.fake.writes()).toEqual([]);
  expect(app.fake.apiCalls()).toEqual(["GET /repos/acme/shop/pulls/7", "GET /repos/acme/shop/pulls/7/reviews?page=1&per_page=100"]);
});

test("no configuration anywhere: no check run, no comment, exactly one info log line", async () => {
  const app = await createTestApp();
  app.fake.addPull({ number: 7 });
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7 }));

  expect(app.fake.apiCalls()).toEqual([
    "GET /repos/acme/shop/pulls/7",
    `GET /repos/acme/shop/contents/.readiness.yml?ref=${BASE_SHA}`,
    `GET /repos/acme/shop/contents/.github%2Freadiness.yml?ref=${BASE_SHA}`,
    "GET /repos/acme/.github/contents/.readiness.yml",
    "GET /repos/acme/.github/contents/.github%2Freadiness.yml",
  ]);
  expect(app.fake.ownCheckRuns()).toEqual([]);
  const info = app.logs.filter((line) => line.level >= PINO_INFO);
  expect(info).toHaveLength(1);
  expect(info[0]!.msg).toMatch(/no readiness configuration/);
});

test("the organisation baseline applies when the repository has no file", async () => {
  const app = await createTestApp();
  app.fake.setFile("main", ".readiness.yml", REVIEWS_CONFIG, ".github");
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, [{ filename: "src/cart.ts" }]);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));

  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([expect.objectContaining({ conclusion: "failure" })]);
});

test("an invalid configuration fails the check with 'Invalid .readiness.yml' and annotations on the config file", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: two", "  revuews: bronze"]));
  app.fake.addPull({ number: 7 });
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7 }));

  const runs = app.fake.ownCheckRuns(HEAD_SHA);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ conclusion: "failure", output: expect.objectContaining({ title: "Invalid .readiness.yml" }) });
  expect(runs[0]!.annotations.length).toBeGreaterThanOrEqual(2);
  for (const annotation of runs[0]!.annotations) {
    expect(annotation).toMatchObject({ path: ".readiness.yml", annotation_level: "failure" });
  }
  expect(runs[0]!.annotations.map((a) => a.start_line).sort()).toEqual([3, 4]);
  expect(app.fake.ownComments(7)).toHaveLength(1);
  // Only the pull request itself (its current head) is read when the configuration is unusable.
  expect(app.fake.apiCalls().filter((c) => c.includes("/pulls/"))).toEqual(["GET /repos/acme/shop/pulls/7"]);
});

test.each([
  { file: "over 1 MB", content: `# ${"x".repeat(1_100_000)}\nrules: {}\n`, reason: /the file is too large \(1100013 bytes, limit 1048576 bytes\)/ },
  { file: "with a NUL byte", content: "rules:\n  reviews:\0 bronze\n", reason: /the file is not a text file \(it contains NUL bytes\)/ },
])("a configuration file $file fails the check with the reason (no HTTP 500, no crash)", async ({ content, reason }) => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", content);
  app.fake.addPull({ number: 7 });
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7 }));

  const runs = app.fake.ownCheckRuns(HEAD_SHA);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ conclusion: "failure", output: expect.objectContaining({ title: "Invalid .readiness.yml" }) });
  expect(runs[0]!.output.summary ?? "").toMatch(reason);
  expect(runs[0]!.annotations).toEqual([expect.objectContaining({ path: ".readiness.yml", start_line: 1, annotation_level: "failure", message: expect.stringMatching(reason) })]);
});

test("an organisation baseline that cannot be read as configuration fails the check at the extends entry", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["extends: [acme/.github]", "rules:", "  reviews: bronze"]));
  app.fake.setFile("main", ".readiness.yml", "level: \0\n", ".github");
  app.fake.addPull({ number: 7 });
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7 }));

  const runs = app.fake.ownCheckRuns(HEAD_SHA);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ conclusion: "failure", output: expect.objectContaining({ title: "Invalid .readiness.yml" }) });
  expect(runs[0]!.output.summary ?? "").toMatch(/the organisation baseline "acme\/\.github" cannot be used: \.readiness\.yml the file is not a text file/);
});

test("CODEOWNERS is read at the base commit, never the head", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  codeowners:", "    coverage: true"]));
  app.fake.setFile(BASE_SHA, ".github/CODEOWNERS", "/src/ @acme/platform\n");
  app.fake.setFile(HEAD_SHA, ".github/CODEOWNERS", "* @alice\n");
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, [{ filename: "src/cart.ts" }, { filename: "README.md" }]);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 2 }));

  // The organisation baseline is read at its default branch; everything of the repository at the base.
  const contentReads = app.fake.requests.filter((r) => r.path.startsWith("/repos/acme/shop/contents/"));
  expect(contentReads.length).toBeGreaterThan(0);
  for (const read of contentReads) expect(read.query.ref).toBe(BASE_SHA);
  expect(app.fake.unmatched).toEqual([]);
  expectNoRequestTwice(app);
  // README.md has no owner at the base (the head's catch-all does not count).
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([expect.objectContaining({ conclusion: "failure" })]);
});

test("draft pull requests are evaluated like any other", async () => {
  const app = await createTestApp();
  withReviewsConfig(app);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, draft: true, changedFiles: 1 }));
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toHaveLength(1);
});

test("actions outside the list (closed, assigned) make no request", async () => {
  const app = await createTestApp();
  withReviewsConfig(app);
  await app.receive("pull_request", pullRequestEvent("closed", { number: 7 }));
  await app.receive("pull_request", pullRequestEvent("assigned", { number: 7 }));
  expect(app.fake.requests).toEqual([]);
});

test("events for one pull request arriving together (opened and labeled) make one check run and one comment", async () => {
  const app = await createTestApp();
  withReviewsConfig(app);
  await Promise.all([
    app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1, labels: ["backend"] })),
    app.receive("pull_request", pullRequestEvent("labeled", { number: 7, changedFiles: 1, labels: ["backend"] })),
  ]);
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toHaveLength(1);
  expect(app.fake.ownComments(7)).toHaveLength(1);
  expect(app.fake.writes()).toHaveLength(2);
});

test("the check run carries the deployment's check name", async () => {
  const app = await createTestApp({ checkName: "prod-readiness" });
  withReviewsConfig(app);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));
  expect(app.fake.ownCheckRuns(HEAD_SHA).map((r) => r.name)).toEqual(["prod-readiness"]);
  expect(app.fake.apiCalls()).toContain(`GET /repos/acme/shop/commits/${HEAD_SHA}/check-runs?check_name=prod-readiness&filter=latest`);
});

test("pr-size judges a pull request too large for GitHub to list by GitHub's totals, reading no file list", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  pr-size: bronze"]));
  const pull = app.fake.addPull({ number: 7, changedFiles: 4200 });
  pull.additions = 90_000;
  pull.deletions = 1234;
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 4200 }));

  expect(app.fake.apiCalls().filter((c) => c.includes("/files"))).toEqual([]);
  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run).toMatchObject({ conclusion: "failure" });
  const shown = `${run!.output.summary}\n${run!.output.text ?? ""}`;
  expect(shown).toContain("4,200 files, more than the limit of 100");
  expect(shown).toContain("91,234 lines, more than the limit of 800");
  expect(shown).toContain("files matching exclude cannot be subtracted");
});
