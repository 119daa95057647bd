/**
 * The locked organisation baseline through the app: rules `acme/.github` locks hold a repository
 * with its own file, which cannot loosen them (a failing check naming the baseline) nor waive them.
 */
import { afterEach, expect, test } from "@jest/globals";
import { BASE_SHA, HEAD_SHA, createTestApp, examplePayload, pullRequestEvent, resetNock, yaml } from "../helpers/app.js";
import type { TestApp } from "../helpers/app.js";

afterEach(() => resetNock());

const BASELINE = yaml([
  "rules:",
  "  reviews:",
  "    level: bronze",
  "    approvals: 2",
  "    locked: true",
  "  secrets: bronze",
]);

let commentIds = 9000;

function waiveComment(body: string, author = "lead") {
  const payload = examplePayload("issue_comment", "created");
  payload.repository.default_branch = "main";
  payload.issue.number = 7;
  payload.issue.pull_request = { url: "", html_url: "" };
  payload.comment.id = ++commentIds;
  payload.comment.body = body;
  payload.comment.html_url = `https://github.com/acme/shop/pull/7#issuecomment-${commentIds}`;
  payload.comment.user = { ...payload.comment.user, login: author, type: "User" };
  return payload;
}

async function appWith(repositoryConfig: string): Promise<TestApp> {
  const app = await createTestApp();
  app.fake.setFile("main", ".readiness.yml", BASELINE, ".github");
  app.fake.setFile(BASE_SHA, ".readiness.yml", repositoryConfig);
  app.fake.addPull({ number: 7 });
  app.fake.branches.set("main", BASE_SHA);
  app.fake.addReview(7, "bob", "APPROVED");
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7 }));
  return app;
}

test("a repository file that loosens a locked rule gets a failing check whose error names the baseline's file and line", async () => {
  const app = await appWith(yaml(["level: bronze", "rules:", "  reviews:", "    approvals: 1"]));

  const runs = app.fake.ownCheckRuns(HEAD_SHA);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ conclusion: "failure", output: expect.objectContaining({ title: "Invalid .readiness.yml" }) });
  expect(runs[0]!.output.summary ?? "").toMatch(/the organisation baseline acme\/\.github:\.readiness\.yml locks "reviews" \(line 5\): option "approvals" would loosen it: it may only be raised \(at least 2\)/);
  // The annotation sits on the repository's own line that loosens it.
  expect(runs[0]!.annotations).toEqual([expect.objectContaining({ path: ".readiness.yml", start_line: 4, annotation_level: "failure" })]);
});

test("a repository file that does not mention a locked rule is held to it anyway", async () => {
  // One approval (bob's); the baseline locks two.
  const app = await appWith(yaml(["level: bronze", "rules:", "  secrets: bronze"]));
  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(run!.output.summary ?? "").toMatch(/reviews/);
});

test("a repository file that tightens a locked rule is accepted", async () => {
  const app = await appWith(yaml(["level: bronze", "rules:", "  reviews:", "    approvals: 3"]));
  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run).toMatchObject({ conclusion: "failure", output: expect.objectContaining({ title: expect.not.stringMatching(/Invalid/) }) });
  expect(run!.output.summary ?? "").toMatch(/3/);
});

test("locked: `/readiness waive` of a locked rule is refused, naming the baseline; nothing is recorded", async () => {
  const app = await appWith(yaml(["level: bronze", "waivers:", "  allowed: [lead]", "rules:", "  secrets: bronze"]));
  app.fake.clearRequests();
  await app.receive("issue_comment", waiveComment("/readiness waive reviews hotfix for INC-12"));

  const replies = (app.fake.comments.get(7) ?? []).filter((c) => !c.body.includes("readiness-bot:sticky")).map((c) => c.body);
  expect(replies).toEqual([expect.stringContaining("@lead the rule reviews cannot be waived: the organisation baseline acme/.github:.readiness.yml (line 5) locks it (`locked: true`)")]);
  expect(app.fake.reactions).toEqual([]);
  expect(await app.service.store.listDecisions({ owner: "acme", repo: "shop" })).toEqual([]);

  // A rule the baseline does not lock stays waivable by those the repository names.
  await app.receive("issue_comment", waiveComment("/readiness waive secrets a test fixture"));
  expect(app.fake.reactions).toEqual([expect.objectContaining({ content: "+1" })]);
});
