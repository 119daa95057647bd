/**
 * What one evaluation costs in GitHub requests, measured through the real pipeline, rules and
 * renderers: a 20-file pull request with the reviews (one approval and a team), tests (a required
 * CI check) and docs (CHANGELOG and a description section) rules. The numbers asserted here are
 * the ones the issue reports; a change that adds a request fails this test.
 */
import nock from "nock";
import type { PullRequestInfo } from "../../src/engine/types.js";
import { TtlCache } from "../../src/github/cache.js";
import { createConfigReader } from "../../src/github/config-reader.js";
import { GitHubFactsProvider } from "../../src/github/facts.js";
import { createPublisher } from "../../src/github/publisher.js";
import { runPipeline } from "../../src/pipeline.js";
import { API, BASE_SHA, contentFile, guardRequests, HEAD_SHA, octokit, pullRequest, REPO } from "./mock-github.js";

guardRequests();

const PULL = pullRequest({
  title: "Cart: bulk discounts",
  body: "Adds bulk discounts.\n\n## Rollback plan\nRevert the merge; no data migration.\n",
  headRef: "bulk-discounts",
  changedFiles: 20,
});
const CONFIG = `level: bronze
comment: on-failure
rules:
  reviews:
    approvals: 1
    teams: [acme/platform]
  tests:
    source: ["src/**"]
    tests: ["test/**"]
    checks: ["ci / test"]
  docs:
    when: ["src/**"]
    require: ["CHANGELOG.md", "docs/**"]
    pr-body:
      sections: ["## Rollback plan"]
`;
const FILES = [
  ...Array.from({ length: 15 }, (_, i) => `src/cart/f${i}.ts`),
  "test/cart/discount.test.ts",
  "test/cart/bulk.test.ts",
  "CHANGELOG.md",
  "docs/discounts.md",
  "package.json",
].map((filename) => ({ filename, status: "modified", additions: 3, deletions: 1, changes: 4, patch: "@@ -1 +1,3 @@\n-a\n+b\n+c\n+d" }));
const RUN_URL = "https://github.com/acme/shop/runs/77";

interface Caches {
  readonly configFiles: TtlCache;
  readonly teams: TtlCache;
  readonly published?: TtlCache;
}

async function evaluateOnce(pull: PullRequestInfo, caches: Caches) {
  let configReads = 0;
  const client = octokit();
  const facts = new GitHubFactsProvider(client, REPO, pull, { teamCache: caches.teams, appSlug: "readiness-bot", fingerprintKey: "k" });
  const publisher = createPublisher(client, { ...REPO, headSha: pull.headSha, pullNumber: pull.number }, {
    appSlug: "readiness-bot",
    ...(caches.published ? { cache: caches.published } : {}),
  });
  const outcome = await runPipeline({
    configReader: createConfigReader(client, REPO, pull.baseSha, { cache: caches.configFiles, onRequest: () => (configReads += 1) }),
    facts,
    publisher,
  });
  return { outcome, reads: configReads + facts.requestCount + publisher.readCount, writes: publisher.writeCount };
}

/** Requests the scopes expect; each answers once and the guard fails any other, so after done() this is what was sent. */
const expected = (...scopes: nock.Scope[]) => scopes.reduce((n, s) => n + s.activeMocks().length, 0);

const factReads = (ci: { status: string; conclusion: string | null }, reviews: object[]) =>
  nock(API)
    .get("/repos/acme/shop/pulls/12/files")
    .query({ per_page: 100, page: 1 })
    .reply(200, FILES)
    .get("/repos/acme/shop/pulls/12/reviews")
    .query({ per_page: 100, page: 1 })
    .reply(200, reviews)
    .get(`/repos/acme/shop/commits/${HEAD_SHA}/check-runs`)
    .query({ filter: "latest", per_page: 100, page: 1 })
    .reply(200, { total_count: 1, check_runs: [{ id: 1, name: "ci / test", ...ci, html_url: "https://ci", app: { slug: "github-actions" } }] })
    .get(`/repos/acme/shop/commits/${HEAD_SHA}/status`)
    .query({ per_page: 100, page: 1 })
    .reply(200, { state: "pending", statuses: [] });

describe("requests per evaluation (20 changed files; reviews, tests, docs)", () => {
  it("first evaluation: 10 reads and 2 writes; the next, with the process caches: 4 reads and 2 writes", async () => {
    const caches: Caches = { configFiles: new TtlCache(), teams: new TtlCache(), published: new TtlCache() };

    // Opened: no review yet, CI still running → blocked.
    const first = nock(API)
      .get("/repos/acme/shop/contents/.readiness.yml")
      .query({ ref: BASE_SHA })
      .reply(200, contentFile(".readiness.yml", CONFIG))
      // The organisation baseline, for its locked rules: acme has none (cached per organisation for a minute).
      .get("/repos/acme/.github/contents/.readiness.yml")
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/.github/contents/.github%2Freadiness.yml")
      .reply(404, { message: "Not Found" })
      .get("/orgs/acme/teams/platform/members")
      .query({ per_page: 100, page: 1 })
      .reply(200, [{ login: "Bob" }, { login: "carol" }])
      .get(`/repos/acme/shop/commits/${HEAD_SHA}/check-runs`)
      .query({ check_name: "readiness", filter: "latest" })
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs")
      .reply(201, { id: 77, html_url: RUN_URL, status: "completed", conclusion: "failure", output: {} })
      .get("/repos/acme/shop/issues/12/comments")
      .query({ per_page: 100, page: 1 })
      .reply(200, [])
      .post("/repos/acme/shop/issues/12/comments")
      .reply(201, { id: 500 });
    const facts1 = factReads({ status: "in_progress", conclusion: null }, []);
    const sent1 = expected(first, facts1);
    const one = await evaluateOnce(PULL, caches);
    first.done();
    facts1.done();
    expect(one.outcome.kind === "evaluated" && one.outcome.evaluation.conclusion).toBe("failure");
    expect({ reads: one.reads, writes: one.writes }).toEqual({ reads: 10, writes: 2 });
    expect(one.reads + one.writes).toBe(sent1);

    // Bob (platform) approves and CI passes → ready. Config at the base commit, the team, the
    // check run and the comment are all known: only the pull request's own facts are read.
    const review = { id: 9, user: { login: "bob" }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2024-05-01T10:00:00Z" };
    const facts2 = factReads({ status: "completed", conclusion: "success" }, [review]);
    const writes2 = nock(API)
      .patch("/repos/acme/shop/check-runs/77", (body: { conclusion?: string }) => body.conclusion === "success")
      .reply(200, {})
      .patch("/repos/acme/shop/issues/comments/500")
      .reply(200, {});
    const sent2 = expected(facts2, writes2);
    const two = await evaluateOnce(PULL, caches);
    facts2.done();
    writes2.done();
    expect(two.outcome.kind === "evaluated" && two.outcome.evaluation.conclusion).toBe("success");
    expect({ reads: two.reads, writes: two.writes }).toEqual({ reads: 4, writes: 2 });
    expect(two.reads + two.writes).toBe(sent2);
  });

  it("without the publisher cache a re-evaluation looks up the check run and the comment: 6 reads", async () => {
    const caches: Caches = { configFiles: new TtlCache(), teams: new TtlCache() };
    caches.configFiles.set(`config:acme/shop@${BASE_SHA}:.readiness.yml`, Promise.resolve({ content: CONFIG, origin: { repository: "acme/shop", path: ".readiness.yml", ref: BASE_SHA } }));
    caches.teams.set("team:acme:acme/platform", Promise.resolve({ known: true, value: ["bob"] }));
    for (const path of [".readiness.yml", ".github/readiness.yml"]) caches.configFiles.set(`org-config:acme:${path}`, Promise.resolve(null));
    const review = { id: 9, user: { login: "bob" }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2024-05-01T10:00:00Z" };
    const facts = factReads({ status: "completed", conclusion: "success" }, [review]);
    const publish = nock(API)
      .get(`/repos/acme/shop/commits/${HEAD_SHA}/check-runs`)
      .query({ check_name: "readiness", filter: "latest" })
      .reply(200, { total_count: 1, check_runs: [{ id: 77, name: "readiness", status: "completed", conclusion: "failure", html_url: RUN_URL, app: { slug: "readiness-bot" }, output: { title: "old", summary: "old", annotations_count: 0 } }] })
      .patch("/repos/acme/shop/check-runs/77")
      .reply(200, {})
      .get("/repos/acme/shop/issues/12/comments")
      .query({ per_page: 100, page: 1 })
      .reply(200, [{ id: 500, body: "<!-- readiness-bot:sticky -->\nblocked", user: { login: "readiness-bot[bot]", type: "Bot" } }])
      .patch("/repos/acme/shop/issues/comments/500")
      .reply(200, {});
    const result = await evaluateOnce(PULL, caches);
    facts.done();
    publish.done();
    expect({ reads: result.reads, writes: result.writes }).toEqual({ reads: 6, writes: 2 });
  });
});
