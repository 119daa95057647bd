/**
 * The cost of evaluating a typical pull request: 20 changed files, with the reviews, tests and
 * docs rules enabled. The numbers are asserted (a change in cost must be deliberate) and printed
 * for the issue note.
 */
import { afterEach, expect, test } from "@jest/globals";
import { BASE_SHA, HEAD_SHA, ORG_BASELINE_READS, createTestApp, pullRequestEvent, resetNock, reviewEvent, yaml } from "../helpers/app.js";
import type { FakeGitHub } from "../helpers/app.js";

afterEach(() => resetNock());

const CONFIG = yaml([
  "level: bronze",
  "rules:",
  "  reviews:",
  "    approvals: 2",
  "  tests:",
  '    checks: ["ci / test"]',
  "  docs:",
  '    require: ["CHANGELOG.md", "docs/**"]',
  "    pr-body:",
  '      sections: ["## Rollback plan"]',
]);

const BODY = "Adds the cart.\n\n## Rollback plan\n\nRevert the deploy; no migration.\n";

const FILES = [
  ...Array.from({ length: 15 }, (_, i) => ({ filename: `src/cart/part${i}.ts` })),
  ...Array.from({ length: 3 }, (_, i) => ({ filename: `test/cart/part${i}.test.ts` })),
  { filename: "docs/cart.md" },
  { filename: "CHANGELOG.md" },
];

interface Cost {
  readonly reads: number;
  readonly writes: number;
  readonly calls: string[];
}

/** API requests, the installation-token exchange (once an hour per installation) left out. */
function cost(fake: FakeGitHub): Cost {
  return { reads: fake.reads().length, writes: fake.writes().length, calls: fake.apiCalls() };
}

test("a 20-file pull request with reviews, tests and docs: requests per evaluation", async () => {
  const app = await createTestApp();
  const { fake } = app;
  fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  fake.addPull({ number: 7, body: BODY });
  fake.setPullFiles(7, FILES);
  fake.addReview(7, "bob", "APPROVED");
  fake.addCheckRun(HEAD_SHA, "ci / test", "success");

  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, body: BODY, changedFiles: FILES.length }));
  const opened = cost(fake);
  expect(fake.ownCheckRuns(HEAD_SHA)).toEqual([expect.objectContaining({ conclusion: "failure" })]);
  expect(fake.ownComments(7)).toHaveLength(1);
  expect(fake.requests.filter((r) => r.path.startsWith("/app/installations/"))).toHaveLength(1);

  fake.clearRequests();
  fake.addReview(7, "carol", "APPROVED");
  await app.receive("pull_request_review", reviewEvent("submitted", { user: "carol", state: "approved" }, { number: 7, body: BODY }));
  const approved = cost(fake);
  expect(fake.ownCheckRuns(HEAD_SHA)).toEqual([expect.objectContaining({ conclusion: "success" })]);

  fake.clearRequests();
  await app.receive("pull_request", pullRequestEvent("labeled", { number: 7, body: BODY, changedFiles: FILES.length, labels: ["cart"] }));
  const unchanged = cost(fake);

  console.log(
    [
      "requests for a 20-file pull request (reviews, tests with one CI check, docs with a description section):",
      `  first evaluation (opened, cold process): ${opened.reads} reads, ${opened.writes} writes (+1 installation token per hour; 1 of the reads is GET /app, once per process unless APP_SLUG is set; 2 read the organisation baseline, once a minute per organisation)`,
      `  verdict changes (approval arrives):      ${approved.reads} reads, ${approved.writes} writes`,
      `  verdict unchanged (label added):         ${unchanged.reads} reads, ${unchanged.writes} writes`,
    ].join("\n"),
  );

  // Facts are gathered in parallel: their order among themselves is not part of the contract.
  const inOrder = (calls: readonly string[]) => [...calls].sort();
  expect(inOrder(opened.calls)).toEqual(inOrder([
    "GET /repos/acme/shop/pulls/7",
    `GET /repos/acme/shop/contents/.readiness.yml?ref=${BASE_SHA}`,
    ...ORG_BASELINE_READS,
    "GET /repos/acme/shop/pulls/7/reviews?page=1&per_page=100",
    "GET /repos/acme/shop/pulls/7/files?page=1&per_page=100",
    `GET /repos/acme/shop/commits/${HEAD_SHA}/check-runs?filter=latest&page=1&per_page=100`,
    `GET /repos/acme/shop/commits/${HEAD_SHA}/status?page=1&per_page=100`,
    "GET /app",
    `GET /repos/acme/shop/commits/${HEAD_SHA}/check-runs?check_name=readiness&filter=latest`,
    "POST /repos/acme/shop/check-runs",
    "GET /repos/acme/shop/issues/7/comments?page=1&per_page=100",
    "POST /repos/acme/shop/issues/7/comments",
  ]));
  // The pull request as it is now, the configuration, the facts, then publishing in this order.
  expect(opened.calls.slice(0, 2)).toEqual(["GET /repos/acme/shop/pulls/7", `GET /repos/acme/shop/contents/.readiness.yml?ref=${BASE_SHA}`]);
  expect(opened.calls.slice(-5)).toEqual([
    "GET /app",
    `GET /repos/acme/shop/commits/${HEAD_SHA}/check-runs?check_name=readiness&filter=latest`,
    "POST /repos/acme/shop/check-runs",
    "GET /repos/acme/shop/issues/7/comments?page=1&per_page=100",
    "POST /repos/acme/shop/issues/7/comments",
  ]);
  // Later evaluations of the same commits read only what can change without a commit: the pull
  // request (still open, at this head?), its reviews and CI. The files are known for these shas.
  const volatile = [
    "GET /repos/acme/shop/pulls/7",
    "GET /repos/acme/shop/pulls/7/reviews?page=1&per_page=100",
    `GET /repos/acme/shop/commits/${HEAD_SHA}/check-runs?filter=latest&page=1&per_page=100`,
    `GET /repos/acme/shop/commits/${HEAD_SHA}/status?page=1&per_page=100`,
  ];
  const written = [`PATCH /repos/acme/shop/check-runs/${fake.ownCheckRuns(HEAD_SHA)[0]!.id}`, `PATCH /repos/acme/shop/issues/comments/${fake.ownComments(7)[0]!.id}`];
  expect(inOrder(approved.calls)).toEqual(inOrder([...volatile, ...written]));
  expect(inOrder(unchanged.calls)).toEqual(inOrder(volatile));
  // Each evaluation reads the pull request fresh (1 read): a queued job may run after its head moved.
  // A cold process also reads the organisation baseline for its locked rules (2 reads when it has
  // none); it is cached per organisation for ORG_CONFIG_TTL_MS, so later evaluations do not.
  expect(opened).toMatchObject({ reads: 11, writes: 2 });
  expect(approved).toMatchObject({ reads: 4, writes: 2 });
  expect(unchanged).toMatchObject({ reads: 4, writes: 0 });
});

const OWNERS_CONFIG = yaml(["level: bronze", "rules:", "  codeowners: {}"]);
const NEW_HEAD = "c".repeat(40);

/** A pull request whose rule reads CODEOWNERS (and GitHub's errors for it) at the base, and whose verdict asks for no comment. */
async function ownersApp() {
  const app = await createTestApp();
  const { fake } = app;
  fake.setFile(BASE_SHA, ".readiness.yml", OWNERS_CONFIG);
  fake.setFile(BASE_SHA, ".github/CODEOWNERS", "* @bob\n");
  fake.addPull({ number: 7, body: BODY });
  fake.setPullFiles(7, FILES);
  return app;
}

const COMMIT_READS = [
  "GET /repos/acme/shop/pulls/7/files?page=1&per_page=100",
  `GET /repos/acme/shop/contents/.github%2FCODEOWNERS?ref=${BASE_SHA}`,
  `GET /repos/acme/shop/codeowners/errors?ref=${BASE_SHA}`,
  "GET /repos/acme/shop/issues/7/comments?page=1&per_page=100",
];

test("a re-evaluation of the same commits reads neither the files, CODEOWNERS, its errors nor the comments again", async () => {
  const app = await ownersApp();
  const { fake } = app;
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, body: BODY, changedFiles: FILES.length }));
  for (const call of COMMIT_READS) expect(fake.apiCalls()).toContain(call);
  expect(fake.ownComments(7)).toEqual([]);

  for (const [event, payload] of [
    ["pull_request_review", reviewEvent("submitted", { user: "bob", state: "approved" }, { number: 7, body: BODY })],
    ["pull_request", pullRequestEvent("labeled", { number: 7, body: BODY, changedFiles: FILES.length, labels: ["cart"] })],
  ] as const) {
    fake.clearRequests();
    await app.receive(event, payload);
    // Only the pull request as it is now: the rest is what these commits fixed, or what was published.
    expect(fake.apiCalls()).toEqual(["GET /repos/acme/shop/pulls/7"]);
  }
  expect(fake.unmatched).toEqual([]);
});

test("a new head commit reads its files again; the base's CODEOWNERS, its errors and the comments are not read again", async () => {
  const app = await ownersApp();
  const { fake } = app;
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, body: BODY, changedFiles: FILES.length }));

  fake.clearRequests();
  fake.addPull({ number: 7, body: BODY, headSha: NEW_HEAD });
  fake.setPullFiles(7, [...FILES, { filename: "src/cart/extra.ts" }]);
  await app.receive("pull_request", pullRequestEvent("synchronize", { number: 7, body: BODY, headSha: NEW_HEAD, changedFiles: FILES.length + 1 }));
  const calls = fake.apiCalls();
  expect(calls).toContain("GET /repos/acme/shop/pulls/7/files?page=1&per_page=100");
  for (const call of COMMIT_READS.slice(1)) expect(calls).not.toContain(call);
  expect(fake.ownCheckRuns(NEW_HEAD)).toHaveLength(1);

  // A new base commit: CODEOWNERS and its errors are read at it.
  const NEW_BASE = "d".repeat(40);
  fake.setFile(NEW_BASE, ".readiness.yml", OWNERS_CONFIG);
  fake.setFile(NEW_BASE, ".github/CODEOWNERS", "* @bob\n");
  fake.addPull({ number: 7, body: BODY, headSha: NEW_HEAD, baseSha: NEW_BASE });
  fake.clearRequests();
  await app.receive("pull_request_review", reviewEvent("submitted", { user: "bob", state: "commented" }, { number: 7, body: BODY, headSha: NEW_HEAD, baseSha: NEW_BASE }));
  expect(fake.apiCalls()).toEqual(expect.arrayContaining([
    "GET /repos/acme/shop/pulls/7/files?page=1&per_page=100",
    `GET /repos/acme/shop/contents/.github%2FCODEOWNERS?ref=${NEW_BASE}`,
    `GET /repos/acme/shop/codeowners/errors?ref=${NEW_BASE}`,
  ]));
  expect(fake.apiCalls()).not.toContain("GET /repos/acme/shop/issues/7/comments?page=1&per_page=100");
  expect(fake.unmatched).toEqual([]);
});
