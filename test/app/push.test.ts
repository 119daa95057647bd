import { afterEach, expect, test } from "@jest/globals";
import { BASE_SHA, createTestApp, examplePayload, ORG_BASELINE_READS, resetNock, yaml } from "../helpers/app.js";
import { readinessInputsChanged } from "../../src/jobs/triggers.js";

afterEach(() => resetNock());

/** These tests are about the open pull requests a push re-evaluates; the branch's own scorecard is test/app/scorecards.test.ts's. */
const PULLS_ONLY = { scorecards: false } as const;

const NEW_BASE = "9".repeat(40);

function pushEvent(changed: { added?: string[]; modified?: string[]; removed?: string[] }, ref = "refs/heads/main") {
  const payload = examplePayload("push", undefined, (e) => Array.isArray(e.commits) && e.commits.length > 0);
  payload.ref = ref;
  payload.before = BASE_SHA;
  payload.after = NEW_BASE;
  payload.deleted = false;
  payload.repository.default_branch = "main";
  payload.commits = [{ ...payload.commits[0], id: NEW_BASE, added: changed.added ?? [], modified: changed.modified ?? [], removed: changed.removed ?? [] }];
  return payload;
}

test("which files are readiness inputs", () => {
  expect(readinessInputsChanged([{ added: ["src/a.ts"], modified: ["README.md"], removed: [] }])).toEqual([]);
  expect(readinessInputsChanged([{ modified: [".readiness.yml"] }, { removed: ["docs/CODEOWNERS"] }])).toEqual([".readiness.yml", "docs/CODEOWNERS"]);
  expect(readinessInputsChanged([{ added: [".github/readiness.yml", ".github/CODEOWNERS", "CODEOWNERS"] }])).toEqual([".github/CODEOWNERS", ".github/readiness.yml", "CODEOWNERS"]);
  // Not the configuration: a file of the same name elsewhere.
  expect(readinessInputsChanged([{ added: ["src/.readiness.yml", "sub/CODEOWNERS"] }])).toEqual([]);
});

test("a configuration change on the default branch re-evaluates every open pull request into it, against the new commit", async () => {
  const app = await createTestApp({}, undefined, PULLS_ONLY);
  // Before: one approval; after the push: two.
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  app.fake.setFile(NEW_BASE, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 2"]));
  app.fake.addPull({ number: 7, headSha: "1".repeat(40) });
  app.fake.addPull({ number: 8, headSha: "2".repeat(40) });
  app.fake.addPull({ number: 9, headSha: "3".repeat(40), baseRef: "release" });
  for (const n of [7, 8]) app.fake.addReview(n, "bob", "APPROVED", "x");
  await app.receive("push", pushEvent({ modified: [".readiness.yml"] }));

  const calls = app.fake.apiCalls();
  expect(calls[0]).toBe("GET /repos/acme/shop/pulls?base=main&per_page=100&state=open");
  expect(calls).toContain(`GET /repos/acme/shop/contents/.readiness.yml?ref=${NEW_BASE}`);
  expect(calls).not.toContain(`GET /repos/acme/shop/contents/.readiness.yml?ref=${BASE_SHA}`);
  // The configuration at the new commit is read once for both pull requests (and the organisation baseline once).
  expect(calls.filter((c) => c.includes("/repos/acme/shop/contents/"))).toHaveLength(1);
  expect(calls.filter((c) => c.includes("/repos/acme/.github/contents/"))).toEqual(ORG_BASELINE_READS);
  expect(app.fake.ownCheckRuns("1".repeat(40))).toEqual([expect.objectContaining({ conclusion: "failure" })]);
  expect(app.fake.ownCheckRuns("2".repeat(40))).toEqual([expect.objectContaining({ conclusion: "failure" })]);
  // Not into the default branch: untouched.
  expect(app.fake.ownCheckRuns("3".repeat(40))).toEqual([]);
  expect(app.fake.unmatched).toEqual([]);
});

test("a CODEOWNERS change re-evaluates too; other files, other branches and branch deletions do not", async () => {
  const app = await createTestApp({}, undefined, PULLS_ONLY);
  app.fake.setFile(NEW_BASE, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  app.fake.addPull({ number: 7 });

  await app.receive("push", pushEvent({ modified: ["src/cart.ts", "README.md"] }));
  await app.receive("push", pushEvent({ modified: [".readiness.yml"] }, "refs/heads/feature"));
  const deletion = pushEvent({ removed: [".readiness.yml"] });
  deletion.deleted = true;
  await app.receive("push", deletion);
  expect(app.fake.requests).toEqual([]);

  await app.receive("push", pushEvent({ modified: [".github/CODEOWNERS"] }));
  expect(app.fake.apiCalls()[0]).toBe("GET /repos/acme/shop/pulls?base=main&per_page=100&state=open");
  expect(app.fake.ownCheckRuns()).toHaveLength(1);
});

test("one pull request failing to re-evaluate does not stop the others: its job is retried, then recorded as an error", async () => {
  const app = await createTestApp({}, undefined, PULLS_ONLY);
  app.fake.setFile(NEW_BASE, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  app.fake.addPull({ number: 7, headSha: "1".repeat(40) });
  app.fake.addPull({ number: 8, headSha: "2".repeat(40) });
  app.fake.failures.set(`/repos/acme/shop/commits/${"2".repeat(40)}/check-runs`, 502);
  await app.receive("push", pushEvent({ modified: [".readiness.yml"] }));
  expect(app.fake.ownCheckRuns("1".repeat(40))).toHaveLength(1);
  // Two attempts (the test app's retry policy), then the failure is on record for reconciliation.
  const lookups = app.fake.apiCalls().filter((c) => c === `GET /repos/acme/shop/commits/${"2".repeat(40)}/check-runs?check_name=readiness&filter=latest`);
  expect(lookups).toHaveLength(3);
  const record = await app.service.store.latestEvaluation("pull:acme/shop#8");
  expect(record).toMatchObject({ outcome: "error", headSha: "2".repeat(40), reason: "push-fanout", error: "GitHub kept failing (HTTP 502, 2 attempts)" });
  expect(app.logs.some((line) => /gave up after 2 attempts/.test(line.msg) && line.subject === "pull:acme/shop#8")).toBe(true);
});
