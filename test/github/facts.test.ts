import nock from "nock";
import { makeFacts } from "../../src/engine/facts.js";
import { known } from "../../src/engine/types.js";
import type { ChangedFile, FactRequest, PullRequestInfo } from "../../src/engine/types.js";
import { TtlCache } from "../../src/github/cache.js";
import { GitHubFactsProvider, MAX_TEAM_LOOKUPS_PER_EVALUATION } from "../../src/github/facts.js";
import type { FactsProviderOptions } from "../../src/github/facts.js";
import { API, BASE_SHA, contentFile, guardRequests, HEAD_SHA, octokit, pageLink, pullRequest, REPO } from "./mock-github.js";

const PULL = pullRequest();

guardRequests();

const provider = (opts: FactsProviderOptions = {}, pull: PullRequestInfo = PULL) => new GitHubFactsProvider(octokit(), REPO, pull, opts);
const gather = (p: GitHubFactsProvider, ...requests: FactRequest[]) => p.gather(requests, makeFacts());
const fileEntry = (i: number, extra: object = {}) => ({ sha: "x", filename: `src/f${i}.ts`, status: "modified", additions: 1, deletions: 0, changes: 1, patch: "@@ -1 +1 @@\n-a\n+b", ...extra });
const unknownReason = (fact: { known: boolean; reason?: string } | undefined) => (fact && !fact.known ? fact.reason : `known: ${JSON.stringify(fact)}`);

describe("pull", () => {
  it("comes from the payload, with no request", async () => {
    const p = provider();
    expect((await gather(p, { kind: "pull" })).pull).toEqual(known(PULL));
    expect(p.requestCount).toBe(0);
  });
});

describe("files", () => {
  it("reads every page (the rest in parallel once the first names the last) and maps each file", async () => {
    const path = "/pulls/12/files";
    const scope = nock(API)
      .get("/repos/acme/shop/pulls/12/files")
      .query({ per_page: 100, page: 1 })
      .reply(
        200,
        [
          fileEntry(0, { status: "renamed", filename: "src/new.ts", previous_filename: "src/old.ts" }),
          fileEntry(1, { status: "added", patch: undefined }),
          ...Array.from({ length: 98 }, (_, i) => fileEntry(i + 2)),
        ],
        { link: pageLink(path, 2, 3) },
      )
      .get("/repos/acme/shop/pulls/12/files")
      .query({ per_page: 100, page: 2 })
      .reply(200, Array.from({ length: 100 }, (_, i) => fileEntry(100 + i)))
      .get("/repos/acme/shop/pulls/12/files")
      .query({ per_page: 100, page: 3 })
      .reply(200, Array.from({ length: 50 }, (_, i) => fileEntry(200 + i)));
    const p = provider();
    const { files } = await gather(p, { kind: "files" });
    scope.done();
    expect(p.requestCount).toBe(3);
    if (!files?.known) throw new Error(unknownReason(files));
    expect(files.value).toHaveLength(250);
    expect(files.value[0]).toEqual<ChangedFile>({ path: "src/new.ts", status: "renamed", previousPath: "src/old.ts", additions: 1, deletions: 0, patch: "@@ -1 +1 @@\n-a\n+b" });
    expect(files.value[1]).toEqual<ChangedFile>({ path: "src/f1.ts", status: "added", additions: 1, deletions: 0 });
    expect(files.value[249]?.path).toBe("src/f249.ts");
  });

  it("knows from the payload's count that a pull request is over GitHub's 3,000-file cap: no request", async () => {
    const p = provider({}, { ...PULL, changedFiles: 3001 });
    const { files } = await gather(p, { kind: "files" });
    expect(unknownReason(files)).toBe("the pull request changes 3001 files; GitHub lists only the first 3000");
    expect(p.requestCount).toBe(0);
  });

  it("an empty pull request needs no request", async () => {
    const p = provider({}, { ...PULL, changedFiles: 0 });
    expect((await gather(p, { kind: "files" })).files).toEqual(known([]));
    expect(p.requestCount).toBe(0);
  });

  it("without a count, exactly 3,000 listed files means the list may be cut: unknown", async () => {
    let scope = nock(API)
      .get("/repos/acme/shop/pulls/12/files")
      .query({ per_page: 100, page: 1 })
      .reply(200, Array.from({ length: 100 }, (_, i) => fileEntry(i)), { link: pageLink("/pulls/12/files", 2, 30) });
    for (let page = 2; page <= 30; page++) {
      scope = scope
        .get("/repos/acme/shop/pulls/12/files")
        .query({ per_page: 100, page })
        .reply(200, Array.from({ length: 100 }, (_, i) => fileEntry(page * 100 + i)));
    }
    const p = provider();
    const { files } = await gather(p, { kind: "files" });
    scope.done();
    expect(unknownReason(files)).toMatch(/^the pull request changes more than 2999 files; GitHub lists only the first 3000/);
    expect(p.requestCount).toBe(30);
  });

  it("a list that does not match the payload's count is unknown (the pull request changed meanwhile)", async () => {
    const scope = nock(API).get("/repos/acme/shop/pulls/12/files").query({ per_page: 100, page: 1 }).reply(200, [fileEntry(1)]);
    const { files } = await gather(provider({}, { ...PULL, changedFiles: 2 }), { kind: "files" });
    scope.done();
    expect(unknownReason(files)).toMatch(/GitHub listed 1 of the 2 changed files/);
  });

  it("uses a known files fact from an earlier round instead of reading again", async () => {
    const p = provider();
    const soFar = makeFacts({ files: known([{ path: "a", status: "added", additions: 1, deletions: 0 }]) });
    expect((await p.gather([{ kind: "files" }], soFar)).files).toBe(soFar.files);
    expect(p.requestCount).toBe(0);
  });
});

describe("reviews", () => {
  it("walks next links, keeps GitHub's order, upper-cases states and skips deleted accounts", async () => {
    const review = (id: number, login: string | null, state: string, at: string) => ({
      id,
      user: login === null ? null : { login, type: "User" },
      state,
      commit_id: HEAD_SHA,
      submitted_at: at,
    });
    const scope = nock(API)
      .get("/repos/acme/shop/pulls/12/reviews")
      .query({ per_page: 100, page: 1 })
      .reply(200, [review(1, "bob", "CHANGES_REQUESTED", "2024-01-01T00:00:00Z"), review(2, null, "APPROVED", "2024-01-02T00:00:00Z")], {
        link: pageLink("/pulls/12/reviews", 2),
      })
      .get("/repos/acme/shop/pulls/12/reviews")
      .query({ per_page: 100, page: 2 })
      .reply(200, [review(3, "bob", "approved", "2024-01-03T00:00:00Z")]);
    const p = provider();
    const { reviews } = await gather(p, { kind: "reviews" });
    scope.done();
    expect(p.requestCount).toBe(2);
    expect(reviews).toEqual(
      known([
        { id: 1, user: "bob", state: "CHANGES_REQUESTED", commitId: HEAD_SHA, submittedAt: "2024-01-01T00:00:00Z" },
        { id: 3, user: "bob", state: "APPROVED", commitId: HEAD_SHA, submittedAt: "2024-01-03T00:00:00Z" },
      ]),
    );
  });
});

describe("checks", () => {
  const run = (name: string, status: string, conclusion: string | null, slug = "github-actions") => ({
    id: name.length,
    name,
    status,
    conclusion,
    html_url: `https://github.com/acme/shop/runs/${name}`,
    app: { slug },
  });

  it("reads check runs (latest) and commit statuses together, normalised, without our own check", async () => {
    const scope = nock(API)
      .get(`/repos/acme/shop/commits/${HEAD_SHA}/check-runs`)
      .query({ filter: "latest", per_page: 100, page: 1 })
      .reply(200, {
        total_count: 7,
        check_runs: [
          run("build", "completed", "success"),
          run("lint", "in_progress", null),
          run("e2e", "completed", "timed_out"),
          run("docs", "completed", "skipped"),
          run("perf", "completed", "action_required"),
          run("readiness", "completed", "failure", "readiness-bot"),
          run("readiness", "completed", "success", "other-app"),
        ],
      })
      .get(`/repos/acme/shop/commits/${HEAD_SHA}/status`)
      .query({ per_page: 100, page: 1 })
      .reply(200, {
        state: "failure",
        statuses: [
          { context: "ci/jenkins", state: "success", target_url: "https://ci.example/1" },
          { context: "coverage", state: "error", target_url: null },
          { context: "deploy/preview", state: "pending" },
        ],
      });
    const p = provider({ appSlug: "readiness-bot" });
    const { checks } = await gather(p, { kind: "checks" });
    scope.done();
    expect(p.requestCount).toBe(2);
    if (!checks?.known) throw new Error(unknownReason(checks));
    expect(checks.value.map((c) => [c.source, c.name, c.state, c.detail])).toEqual([
      ["check_run", "build", "success", "success"],
      ["check_run", "lint", "pending", "in_progress"],
      ["check_run", "e2e", "failure", "timed_out"],
      ["check_run", "docs", "skipped", "skipped"],
      ["check_run", "perf", "failure", "action_required"],
      ["check_run", "readiness", "success", "success"], // another app's check of the same name is not ours
      ["status", "ci/jenkins", "success", "success"],
      ["status", "coverage", "failure", "error"],
      ["status", "deploy/preview", "pending", "pending"],
    ]);
    expect(checks.value[0]?.url).toBe("https://github.com/acme/shop/runs/build");
    expect(checks.value[6]?.url).toBe("https://ci.example/1");
  });

  it("without the app's slug, leaves out every run named like our check (custom name)", async () => {
    const scope = nock(API)
      .get(`/repos/acme/shop/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 2, check_runs: [run("gate", "completed", "failure"), run("build", "queued", null)] })
      .get(`/repos/acme/shop/commits/${HEAD_SHA}/status`)
      .query(true)
      .reply(200, { state: "pending", statuses: [] });
    const { checks } = await gather(provider({ checkName: "gate" }), { kind: "checks" });
    scope.done();
    expect(checks).toEqual(known([{ name: "build", source: "check_run", state: "pending", detail: "queued", url: "https://github.com/acme/shop/runs/build" }]));
  });

  it("is unknown, naming the permission, when either half cannot be read", async () => {
    const scope = nock(API)
      .get(`/repos/acme/shop/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .get(`/repos/acme/shop/commits/${HEAD_SHA}/status`)
      .query(true)
      .reply(403, { message: "Resource not accessible by integration" });
    const { checks } = await gather(provider(), { kind: "checks" });
    scope.done();
    expect(unknownReason(checks)).toBe(`the app lacks permission checks: read (and statuses: read) (GitHub answered 403 for the checks on hhhhhhh)`);
  });
});

describe("codeowners", () => {
  it("reads the BASE commit, in GitHub's order, and stops at the first file that exists", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/contents/.github%2FCODEOWNERS")
      .query({ ref: BASE_SHA })
      .reply(404, { message: "Not Found" })
      .get("/repos/acme/shop/contents/CODEOWNERS")
      .query({ ref: BASE_SHA })
      .reply(200, contentFile("CODEOWNERS", "* @acme/core\n"));
    const p = provider();
    const { codeowners } = await gather(p, { kind: "codeowners" });
    scope.done();
    expect(codeowners).toEqual(known({ path: "CODEOWNERS", content: "* @acme/core\n" }));
    expect(p.requestCount).toBe(2);
  });

  it("costs one request when the file is in .github/, and reads the HEAD commit when asked", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/contents/.github%2FCODEOWNERS")
      .query({ ref: BASE_SHA })
      .reply(200, contentFile(".github/CODEOWNERS", "* @old\n"))
      .get("/repos/acme/shop/contents/.github%2FCODEOWNERS")
      .query({ ref: HEAD_SHA })
      .reply(200, contentFile(".github/CODEOWNERS", "* @new\n"));
    const p = provider();
    const facts = await gather(p, { kind: "codeowners", ref: "base" }, { kind: "codeowners", ref: "head" });
    scope.done();
    expect(facts.codeowners).toEqual(known({ path: ".github/CODEOWNERS", content: "* @old\n" }));
    expect(facts.headCodeowners).toEqual(known({ path: ".github/CODEOWNERS", content: "* @new\n" }));
    expect(p.requestCount).toBe(2);
  });

  it("is known and null when none of the three exists", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/contents/.github%2FCODEOWNERS")
      .query({ ref: BASE_SHA })
      .reply(404, {})
      .get("/repos/acme/shop/contents/CODEOWNERS")
      .query({ ref: BASE_SHA })
      .reply(404, {})
      .get("/repos/acme/shop/contents/docs%2FCODEOWNERS")
      .query({ ref: BASE_SHA })
      .reply(404, {});
    const p = provider();
    expect((await gather(p, { kind: "codeowners" })).codeowners).toEqual(known(null));
    scope.done();
    expect(p.requestCount).toBe(3);
  });

  it("a file of 3 MB or more is known and empty (GitHub ignores it: nothing has an owner), and is not downloaded", async () => {
    const warnings: object[] = [];
    const scope = nock(API)
      .get("/repos/acme/shop/contents/.github%2FCODEOWNERS")
      .query({ ref: BASE_SHA })
      .reply(200, { type: "file", path: ".github/CODEOWNERS", size: 3 * 1024 * 1024, encoding: "none", content: "" });
    const p = provider({ log: { info: () => undefined, warn: (o) => warnings.push(o) } });
    expect((await gather(p, { kind: "codeowners" })).codeowners).toEqual(known({ path: ".github/CODEOWNERS", content: "", size: 3 * 1024 * 1024 }));
    scope.done();
    expect(p.requestCount).toBe(1);
    expect(warnings).toHaveLength(1);
  });

  it("a file between 1 and 3 MB is read raw with a second request", async () => {
    const big = `${"# padding\n".repeat(110_000)}* @acme/core\n`;
    const scope = nock(API)
      .get("/repos/acme/shop/contents/.github%2FCODEOWNERS")
      .query({ ref: BASE_SHA })
      .reply(200, { type: "file", path: ".github/CODEOWNERS", size: Buffer.byteLength(big), encoding: "none", content: "" })
      .get("/repos/acme/shop/contents/.github%2FCODEOWNERS")
      .query({ ref: BASE_SHA })
      .matchHeader("accept", "application/vnd.github.v3.raw")
      .reply(200, big, { "content-type": "application/vnd.github.raw; charset=utf-8" });
    const p = provider();
    const { codeowners } = await gather(p, { kind: "codeowners" });
    scope.done();
    expect(codeowners?.known && codeowners.value?.content).toBe(big);
    expect(p.requestCount).toBe(2);
  });
});

describe("codeownersErrors", () => {
  it("maps GitHub's report at the requested commit", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/codeowners/errors")
      .query({ ref: HEAD_SHA })
      .reply(200, {
        errors: [{ line: 3, column: 12, kind: "Unknown owner", source: "* @ghost", suggestion: null, message: "Unknown owner on line 3", path: ".github/CODEOWNERS" }],
      });
    const { codeownersErrors } = await gather(provider(), { kind: "codeownersErrors", ref: "head" });
    scope.done();
    expect(codeownersErrors?.head).toEqual(known([{ line: 3, column: 12, kind: "Unknown owner", message: "Unknown owner on line 3", path: ".github/CODEOWNERS" }]));
  });

  it("no CODEOWNERS file (404) means no errors", async () => {
    const scope = nock(API).get("/repos/acme/shop/codeowners/errors").query({ ref: BASE_SHA }).reply(404, { message: "Not Found" });
    expect((await gather(provider(), { kind: "codeownersErrors", ref: "base" })).codeownersErrors?.base).toEqual(known([]));
    scope.done();
  });
});

describe("teams", () => {
  const members = (...logins: string[]) => logins.map((login) => ({ login, type: "User" }));

  it("lists members over pages, lower case, keyed by lower-case org/slug", async () => {
    const scope = nock(API)
      .get("/orgs/acme/teams/core/members")
      .query({ per_page: 100, page: 1 })
      .reply(200, members("Alice", "BOB"), { link: pageLink("/teams/9/members", 2, 2) })
      .get("/orgs/acme/teams/core/members")
      .query({ per_page: 100, page: 2 })
      .reply(200, members("carol"));
    const { teams } = await gather(provider(), { kind: "team", team: "acme/Core" }, { kind: "team", team: "@acme/core" });
    scope.done();
    expect([...(teams ?? [])]).toEqual([["acme/core", known(["alice", "bob", "carol"])]]);
  });

  it("is reused from the installation's cache by the next evaluation (no request)", async () => {
    const teamCache = new TtlCache();
    const scope = nock(API).get("/orgs/acme/teams/core/members").query(true).reply(200, members("alice"));
    const first = provider({ teamCache });
    const second = provider({ teamCache });
    expect((await gather(first, { kind: "team", team: "acme/core" })).teams?.get("acme/core")).toEqual(known(["alice"]));
    expect((await gather(second, { kind: "team", team: "acme/core" })).teams?.get("acme/core")).toEqual(known(["alice"]));
    scope.done();
    expect([first.requestCount, second.requestCount]).toEqual([1, 0]);
  });

  it("a team the app cannot see is unknown with what to do, and is not cached", async () => {
    const teamCache = new TtlCache();
    const scope = nock(API)
      .get("/orgs/acme/teams/secret/members")
      .query(true)
      .reply(404, { message: "Not Found" })
      .get("/orgs/acme/teams/secret/members")
      .query(true)
      .reply(403, { message: "Resource not accessible by integration" });
    const reason =
      "the app cannot see team @acme/secret (it needs the organisation permission members: read, and the team must exist and be visible)";
    for (let i = 0; i < 2; i++) {
      const { teams } = await gather(provider({ teamCache }), { kind: "team", team: "acme/secret" });
      expect(unknownReason(teams?.get("acme/secret"))).toBe(reason);
    }
    scope.done();
  });

  it("one evaluation lists at most MAX_TEAM_LOOKUPS_PER_EVALUATION teams: 300 named teams cost that many requests, the rest are unknown", async () => {
    const scope = nock(API).get(/^\/orgs\/acme\/teams\/t\d+\/members/).query(true).times(MAX_TEAM_LOOKUPS_PER_EVALUATION).reply(200, members("alice"));
    const p = provider();
    const requests = Array.from({ length: 300 }, (_, i) => ({ kind: "team" as const, team: `acme/t${i}` }));
    const { teams } = await gather(p, ...requests);
    scope.done();
    expect(p.requestCount).toBe(MAX_TEAM_LOOKUPS_PER_EVALUATION);
    const values = [...(teams ?? new Map()).values()];
    expect(values.filter((fact) => fact.known)).toHaveLength(MAX_TEAM_LOOKUPS_PER_EVALUATION);
    expect(unknownReason(teams?.get("acme/t299"))).toBe(`team @acme/t299 was not looked up: one evaluation lists the members of at most ${MAX_TEAM_LOOKUPS_PER_EVALUATION} teams`);
  });

  it("a team with more than 1,000 members is unknown after at most 11 pages, not listed whole", async () => {
    const page = Array.from({ length: 100 }, (_, i) => ({ login: `m${i}`, type: "User" }));
    const scope = nock(API)
      .get("/orgs/acme/teams/everyone/members")
      .query(true)
      .times(11)
      .reply(200, page, { link: pageLink("/teams/9/members", 2, 50) });
    const p = provider();
    const { teams } = await gather(p, { kind: "team", team: "acme/everyone" });
    scope.done();
    expect(p.requestCount).toBe(11);
    expect(unknownReason(teams?.get("acme/everyone"))).toMatch(/more than 1000 members/);
  });

  it("a malformed team name is unknown without a request", async () => {
    const p = provider();
    const { teams } = await gather(p, { kind: "team", team: "core" });
    expect(unknownReason(teams?.get("core"))).toBe('"core" is not a team name: write it as org/team-slug');
    expect(p.requestCount).toBe(0);
  });
});

describe("content and tree", () => {
  it("reads a file at base or head; a missing file is known null", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/contents/package.json")
      .query({ ref: HEAD_SHA })
      .reply(200, contentFile("package.json", '{"name":"shop"}'))
      .get("/repos/acme/shop/contents/CHANGELOG.md")
      .query({ ref: BASE_SHA })
      .reply(404, { message: "Not Found" });
    const { contents } = await gather(provider(), { kind: "content", ref: "head", path: "package.json" }, { kind: "content", ref: "base", path: "CHANGELOG.md" });
    scope.done();
    expect(contents?.get("head:package.json")).toEqual(known('{"name":"shop"}'));
    expect(contents?.get("base:CHANGELOG.md")).toEqual(known(null));
  });

  it("a directory, or a file over the limit, is unknown with the reason", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/contents/docs")
      .query({ ref: HEAD_SHA })
      .reply(200, [{ type: "file", path: "docs/a.md" }])
      .get("/repos/acme/shop/contents/big.json")
      .query({ ref: HEAD_SHA })
      .reply(200, { type: "file", path: "big.json", size: 5_000_000, encoding: "none", content: "" });
    const { contents } = await gather(provider(), { kind: "content", ref: "head", path: "docs" }, { kind: "content", ref: "head", path: "big.json" });
    scope.done();
    expect(unknownReason(contents?.get("head:docs"))).toBe("docs at the head commit is a directory, not a file");
    expect(unknownReason(contents?.get("head:big.json"))).toBe("big.json at the head commit is 5000000 bytes, over the 1048576-byte limit for reading a file");
  });

  it("lists the tree's files in one request; a truncated tree is unknown", async () => {
    const scope = nock(API)
      .get(`/repos/acme/shop/git/trees/${BASE_SHA}`)
      .query({ recursive: "1" })
      .reply(200, {
        sha: BASE_SHA,
        truncated: false,
        tree: [
          { path: "src", type: "tree" },
          { path: "src/a.ts", type: "blob" },
          { path: "README.md", type: "blob" },
        ],
      })
      .get(`/repos/acme/shop/git/trees/${HEAD_SHA}`)
      .query({ recursive: "1" })
      .reply(200, { sha: HEAD_SHA, truncated: true, tree: [] });
    const p = provider();
    const { trees } = await gather(p, { kind: "tree", ref: "base" }, { kind: "tree", ref: "head" });
    scope.done();
    expect(trees?.base).toEqual(known(["src/a.ts", "README.md"]));
    expect(unknownReason(trees?.head)).toMatch(/too large .* truncated/);
    expect(p.requestCount).toBe(2);
  });
});

describe("headContentsOfUnpatched", () => {
  const files = [
    fileEntry(1),
    { ...fileEntry(2), filename: "data/big.sql", patch: undefined },
    { ...fileEntry(3), filename: "config/app.env", patch: undefined },
    { ...fileEntry(4), filename: "web/package-lock.json", patch: undefined },
    { ...fileEntry(5), filename: "img/logo.PNG", patch: undefined, status: "added" },
    { ...fileEntry(6), filename: "old/secret.txt", patch: undefined, status: "removed" },
  ];

  it("reads the files list once, skips lockfiles and binaries by name, and downloads only files under the cap", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/pulls/12/files")
      .query({ per_page: 100, page: 1 })
      .reply(200, files)
      .get("/repos/acme/shop/contents/data%2Fbig.sql")
      .query({ ref: HEAD_SHA })
      .reply(200, { type: "file", path: "data/big.sql", size: 2_000_000, encoding: "none", content: "" })
      .get("/repos/acme/shop/contents/config%2Fapp.env")
      .query({ ref: HEAD_SHA })
      .reply(200, contentFile("config/app.env", "TOKEN=x\n"));
    const p = provider();
    const facts = await gather(p, { kind: "headContentsOfUnpatched" }, { kind: "files" });
    scope.done();
    expect(p.requestCount).toBe(3);
    expect(facts.files?.known).toBe(true);
    const map = facts.headContentsOfUnpatched?.known ? facts.headContentsOfUnpatched.value : undefined;
    expect([...(map ?? new Map())]).toEqual([
      ["data/big.sql", { known: false, reason: "2000000 bytes, over the 1048576-byte limit: not downloaded" }],
      ["config/app.env", known("TOKEN=x\n")],
      ["web/package-lock.json", { known: false, reason: "a generated lockfile: not downloaded" }],
      ["img/logo.PNG", { known: false, reason: "a binary file (by its extension): not downloaded" }],
    ]);
  });

  it("uses the files of an earlier round, a larger cap, and a bound on how many files are read", async () => {
    const soFar = makeFacts({
      files: known<ChangedFile[]>([
        { path: "a.bin.txt", status: "modified", additions: 1, deletions: 1 },
        { path: "b.txt", status: "modified", additions: 1, deletions: 1 },
        { path: "c.txt", status: "added", additions: 1, deletions: 0 },
      ]),
    });
    const scope = nock(API)
      .get("/repos/acme/shop/contents/a.bin.txt")
      .query({ ref: HEAD_SHA })
      .reply(200, { type: "file", path: "a.bin.txt", size: 4, encoding: "base64", content: Buffer.from([0x41, 0x00, 0x42, 0x43]).toString("base64") })
      .get("/repos/acme/shop/contents/b.txt")
      .query({ ref: HEAD_SHA })
      .reply(200, contentFile("b.txt", "hello"));
    const p = provider({ maxUnpatchedFiles: 2, maxUnpatchedBytes: 10 });
    const { headContentsOfUnpatched } = await p.gather([{ kind: "headContentsOfUnpatched" }], soFar);
    scope.done();
    expect(p.requestCount).toBe(2);
    const map = headContentsOfUnpatched?.known ? headContentsOfUnpatched.value : new Map();
    expect(map.get("a.bin.txt")).toEqual({ known: false, reason: "a binary file" });
    expect(map.get("b.txt")).toEqual(known("hello"));
    expect(map.get("c.txt")).toEqual({ known: false, reason: "not downloaded: more than 2 changed files have no diff" });
  });

  it("is unknown when the files cannot be listed", async () => {
    const p = provider({}, { ...PULL, changedFiles: 5000 });
    const { headContentsOfUnpatched } = await gather(p, { kind: "headContentsOfUnpatched" });
    expect(unknownReason(headContentsOfUnpatched)).toBe("cannot list the changed files: the pull request changes 5000 files; GitHub lists only the first 3000");
    expect(p.requestCount).toBe(0);
  });
});

describe("gathering", () => {
  it("reads each fact once across requests and rounds", async () => {
    const scope = nock(API).get("/repos/acme/shop/pulls/12/reviews").query(true).reply(200, []);
    const p = provider();
    await gather(p, { kind: "reviews" }, { kind: "reviews" });
    await gather(p, { kind: "reviews" });
    scope.done();
    expect(p.requestCount).toBe(1);
  });

  it("reads different facts in parallel", async () => {
    // The files answer is held until the reviews request has arrived: sequential reads would stall.
    let reviewsAsked!: () => void;
    const reviewsArrived = new Promise<void>((resolve) => (reviewsAsked = resolve));
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("reads are sequential")), 2000).unref());
    const scope = nock(API)
      .get("/repos/acme/shop/pulls/12/files")
      .query(true)
      .reply(async () => {
        await Promise.race([reviewsArrived, timeout]);
        return [200, [fileEntry(1)]];
      })
      .get("/repos/acme/shop/pulls/12/reviews")
      .query(true)
      .reply(() => {
        reviewsAsked();
        return [200, []];
      });
    const facts = await gather(provider(), { kind: "files" }, { kind: "reviews" });
    scope.done();
    expect(facts.files?.known && facts.reviews?.known).toBe(true);
  });

  it("turns failures into unknown facts with a reason, never leaking the request's headers", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/pulls/12/reviews")
      .query(true)
      .reply(403, { message: "Resource not accessible by integration" })
      .get("/repos/acme/shop/pulls/12/files")
      .query(true)
      .reply(502, { message: "Bad Gateway" })
      .get("/orgs/acme/teams/core/members")
      .query(true)
      .reply(403, { message: "API rate limit exceeded for installation" }, { "x-ratelimit-remaining": "0" })
      .get(`/repos/acme/shop/git/trees/${BASE_SHA}`)
      .query(true)
      .replyWithError({ code: "ECONNRESET", message: "socket hang up (authorization: token test)" })
      .get(`/repos/acme/shop/git/trees/${HEAD_SHA}`)
      .query(true)
      .reply(200, { unexpected: true });
    const facts = await gather(
      provider(),
      { kind: "reviews" },
      { kind: "files" },
      { kind: "team", team: "acme/core" },
      { kind: "tree", ref: "base" },
      { kind: "tree", ref: "head" },
    );
    scope.done();
    const reasons = [facts.reviews, facts.files, facts.teams?.get("acme/core"), facts.trees?.base, facts.trees?.head].map(unknownReason);
    expect(reasons).toEqual([
      "the app lacks permission pull_requests: read (GitHub answered 403 for the reviews of pull request #12)",
      "GitHub answered 502 while reading the files of pull request #12; the next evaluation will try again",
      "GitHub's API rate limit was reached while reading team @acme/core; the next evaluation will try again",
      "could not reach GitHub while reading the file tree at the base commit (network error); the next evaluation will try again",
      "GitHub answered with an unexpected shape for the file tree at the head commit",
    ]);
    expect(reasons.join("\n")).not.toMatch(/token|authorization/i);
  });

  it("gives the fingerprint key only when the deployment has one", async () => {
    expect((await gather(provider({ fingerprintKey: "k3y" }), { kind: "fingerprintKey" })).fingerprintKey).toEqual(known("k3y"));
    expect(unknownReason((await gather(provider(), { kind: "fingerprintKey" })).fingerprintKey)).toBe("this deployment has no fingerprint key configured");
  });

  it("returns only what was asked for", async () => {
    const facts = await gather(provider({ fingerprintKey: "k" }), { kind: "pull" });
    expect(Object.keys(facts)).toEqual(["pull"]);
  });
});

describe("lastCommit and now", () => {
  it("reads the newest commit touching the path up to the ref, one request, committer date as ISO", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/commits")
      .query({ sha: HEAD_SHA, path: "docs/runbook.md", per_page: 1 })
      .reply(200, [{ sha: "c".repeat(40), commit: { author: { date: "2026-01-01T00:00:00Z" }, committer: { date: "2026-02-03T04:05:06+01:00" } } }]);
    const p = provider();
    const { lastCommits } = await gather(p, { kind: "lastCommit", ref: "head", path: "docs/runbook.md" });
    scope.done();
    expect(p.requestCount).toBe(1);
    expect(lastCommits?.get("head:docs/runbook.md")).toEqual(known("2026-02-03T03:05:06.000Z"));
  });

  it("a path no commit touched is known null; at the base it reads the base commit", async () => {
    const scope = nock(API).get("/repos/acme/shop/commits").query({ sha: BASE_SHA, path: "docs/runbook.md", per_page: 1 }).reply(200, []);
    const { lastCommits } = await gather(provider(), { kind: "lastCommit", ref: "base", path: "docs/runbook.md" });
    scope.done();
    expect(lastCommits?.get("base:docs/runbook.md")).toEqual(known(null));
  });

  it("a 403 is unknown, naming the permission", async () => {
    const scope = nock(API).get("/repos/acme/shop/commits").query(true).reply(403, { message: "Resource not accessible by integration" });
    const { lastCommits } = await gather(provider(), { kind: "lastCommit", ref: "head", path: "docs/runbook.md" });
    scope.done();
    expect(unknownReason(lastCommits?.get("head:docs/runbook.md"))).toMatch(/the app lacks permission contents: read/);
  });

  it("now comes from the provider's clock, with no request", async () => {
    const p = provider({ now: () => new Date(Date.UTC(2026, 10, 30, 8, 0)) });
    expect((await gather(p, { kind: "now" })).now).toEqual(known("2026-11-30T08:00:00.000Z"));
    expect(p.requestCount).toBe(0);
  });
});

describe("check text", () => {
  it("keeps a status's description and a check run's output title and summary, for rules that read numbers from them", async () => {
    const scope = nock(API)
      .get(`/repos/acme/shop/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 2,
        check_runs: [
          { id: 1, name: "coverage", status: "completed", conclusion: "success", output: { title: "Coverage 87.4%", summary: "Lines: 874 of 1000" } },
          { id: 2, name: "build", status: "completed", conclusion: "success", output: { title: null, summary: null } },
        ],
      })
      .get(`/repos/acme/shop/commits/${HEAD_SHA}/status`)
      .query(true)
      .reply(200, { state: "success", statuses: [{ context: "codecov/project", state: "success", description: "91.20% (+0.40%) compared to 1a2b3c4" }] });
    const { checks } = await gather(provider(), { kind: "checks" });
    scope.done();
    if (!checks?.known) throw new Error(unknownReason(checks));
    expect(checks.value.map((c) => [c.name, c.text])).toEqual([
      ["coverage", "Coverage 87.4%\nLines: 874 of 1000"],
      ["build", undefined],
      ["codecov/project", "91.20% (+0.40%) compared to 1a2b3c4"],
    ]);
    expect("text" in checks.value[1]!).toBe(false);
  });
});

describe("the commit cache (facts fixed by the commits they were read at)", () => {
  const filesAt = (count = 1) =>
    nock(API)
      .get("/repos/acme/shop/pulls/12/files")
      .query({ per_page: 100, page: 1 })
      .reply(200, Array.from({ length: count }, (_, i) => fileEntry(i)));
  const codeownersAtBase = () =>
    nock(API)
      .get("/repos/acme/shop/contents/.github%2FCODEOWNERS")
      .query({ ref: BASE_SHA })
      .reply(200, contentFile(".github/CODEOWNERS", "* @bob\n"))
      .get("/repos/acme/shop/codeowners/errors")
      .query({ ref: BASE_SHA })
      .reply(200, { errors: [] });
  const requests: FactRequest[] = [{ kind: "files" }, { kind: "codeowners" }, { kind: "codeownersErrors", ref: "base" }];

  it("answers a later evaluation of the same head and base without a request", async () => {
    const commitCache = new TtlCache();
    const scope = filesAt();
    codeownersAtBase();
    const first = provider({ commitCache, installationId: 1 });
    const read = await gather(first, ...requests);
    scope.done();
    expect(first.requestCount).toBe(3);

    const again = provider({ commitCache, installationId: 1 });
    expect(await gather(again, ...requests)).toEqual(read);
    expect(again.requestCount).toBe(0);
  });

  it("reads the files again for a new head, and CODEOWNERS again for a new base", async () => {
    const commitCache = new TtlCache();
    filesAt();
    codeownersAtBase();
    await gather(provider({ commitCache, installationId: 1 }), ...requests);

    const newHead = "c".repeat(40);
    const scope = filesAt(2);
    const moved = provider({ commitCache, installationId: 1 }, { ...PULL, headSha: newHead });
    const facts = await gather(moved, ...requests);
    scope.done();
    expect(moved.requestCount).toBe(1);
    expect(facts.files?.known && facts.files.value).toHaveLength(2);

    const newBase = "d".repeat(40);
    const atNewBase = nock(API)
      .get("/repos/acme/shop/contents/.github%2FCODEOWNERS")
      .query({ ref: newBase })
      .reply(200, contentFile(".github/CODEOWNERS", "* @carol\n"));
    filesAt(3);
    const rebased = provider({ commitCache, installationId: 1 }, { ...PULL, headSha: newHead, baseSha: newBase });
    const { codeowners, files } = await gather(rebased, { kind: "files" }, { kind: "codeowners" });
    atNewBase.done();
    expect(codeowners).toEqual(known({ path: ".github/CODEOWNERS", content: "* @carol\n" }));
    expect(files?.known && files.value).toHaveLength(3);
  });

  it("never answers one installation with what another read", async () => {
    const commitCache = new TtlCache();
    filesAt();
    await gather(provider({ commitCache, installationId: 1 }), { kind: "files" });
    const scope = filesAt();
    const other = provider({ commitCache, installationId: 2 });
    await gather(other, { kind: "files" });
    scope.done();
    expect(other.requestCount).toBe(1);
  });

  it("keeps no unknown fact: a failed read is tried again by the next evaluation", async () => {
    const commitCache = new TtlCache();
    nock(API).get("/repos/acme/shop/pulls/12/files").query({ per_page: 100, page: 1 }).reply(502, { message: "bad gateway" });
    const failed = await gather(provider({ commitCache, installationId: 1 }), { kind: "files" });
    expect(failed.files?.known).toBe(false);
    expect(commitCache.size).toBe(0);
    const scope = filesAt();
    const retried = await gather(provider({ commitCache, installationId: 1 }), { kind: "files" });
    scope.done();
    expect(retried.files?.known).toBe(true);
  });
});
