import { afterEach, expect, test } from "@jest/globals";
import { BASE_SHA, HEAD_SHA, createTestApp, examplePayload, resetNock, yaml } from "../helpers/app.js";
import { parseMergeGroupRef } from "../../src/github/events.js";

afterEach(() => resetNock());

const GROUP_HEAD = "e".repeat(40);
const GROUP_BASE = "f".repeat(40);

function mergeGroupEvent(pullNumber: number, base = "main") {
  const payload = examplePayload("merge_group", "checks_requested");
  payload.merge_group.head_sha = GROUP_HEAD;
  payload.merge_group.base_sha = GROUP_BASE;
  payload.merge_group.base_ref = `refs/heads/${base}`;
  payload.merge_group.head_ref = `refs/heads/gh-readonly-queue/${base}/pr-${pullNumber}-${HEAD_SHA}`;
  return payload;
}

test("GitHub's merge-group branch names one pull request; bases with slashes survive", () => {
  expect(parseMergeGroupRef(`refs/heads/gh-readonly-queue/main/pr-104-${"9".repeat(40)}`)).toEqual({ base: "main", pullNumber: 104, pullHeadSha: "9".repeat(40) });
  expect(parseMergeGroupRef(`refs/heads/gh-readonly-queue/release/2.x/pr-5-${"a".repeat(40)}`)).toEqual({ base: "release/2.x", pullNumber: 5, pullHeadSha: "a".repeat(40) });
  expect(parseMergeGroupRef("refs/heads/main")).toBeNull();
  expect(parseMergeGroupRef("refs/heads/gh-readonly-queue/main/pr-x-123")).toBeNull();
});

test("checks_requested posts the queued pull request's verdict on the group's head commit only, without a comment", async () => {
  const app = await createTestApp();
  // The configuration of the commit the group merges into applies.
  app.fake.setFile(GROUP_BASE, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  app.fake.addPull({ number: 12 });
  app.fake.addReview(12, "bob", "APPROVED");
  await app.receive("merge_group", mergeGroupEvent(12));

  expect(app.fake.apiCalls()).toEqual([
    "GET /repos/acme/shop/pulls/12",
    `GET /repos/acme/shop/contents/.readiness.yml?ref=${GROUP_BASE}`,
    "GET /repos/acme/shop/pulls/12/reviews?page=1&per_page=100",
    "GET /app",
    `GET /repos/acme/shop/commits/${GROUP_HEAD}/check-runs?check_name=readiness&filter=latest`,
    "POST /repos/acme/shop/check-runs",
  ]);
  expect(app.fake.ownCheckRuns(HEAD_SHA)).toEqual([]);
  const [run] = app.fake.ownCheckRuns(GROUP_HEAD);
  expect(run).toMatchObject({ name: "readiness", conclusion: "success" });
  expect(run!.output.title).toMatch(/^#12: /);
  expect(run!.output.summary).toContain("pull request #12");
  expect(app.fake.comments.size).toBe(0);
});

test("a queued pull request that is not ready fails the group's check, naming the pull request", async () => {
  const app = await createTestApp();
  app.fake.setFile(GROUP_BASE, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 2"]));
  app.fake.addPull({ number: 12 });
  app.fake.addReview(12, "bob", "APPROVED");
  await app.receive("merge_group", mergeGroupEvent(12));

  const [run] = app.fake.ownCheckRuns(GROUP_HEAD);
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(run!.output.title).toMatch(/^#12: /);
});

test("no configuration at the group's base: no check, as for pull requests", async () => {
  const app = await createTestApp();
  app.fake.addPull({ number: 12 });
  await app.receive("merge_group", mergeGroupEvent(12));
  expect(app.fake.ownCheckRuns()).toEqual([]);
  expect(app.fake.writes()).toEqual([]);
});

test("a merge group whose branch names no pull request is left alone with a warning", async () => {
  const app = await createTestApp();
  const payload = mergeGroupEvent(12);
  payload.merge_group.head_ref = "refs/heads/some-other-queue/main";
  await app.receive("merge_group", payload);
  expect(app.fake.requests).toEqual([]);
  expect(app.logs.some((l) => l.level === 40 && /names a pull request|does not name/.test(l.msg))).toBe(true);
});
