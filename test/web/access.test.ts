/**
 * Who may see what, through the real handler over HTTP with sign-in against a fake GitHub on
 * loopback: a person sees only the repositories GitHub lists for them through the installation
 * (pages, API, CSV, badges), automation reads with the API token, and nothing is answered to
 * anyone else. The OAuth state and the sign-out form are checked.
 */
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { MemoryStateStore } from "../../src/state/memory.js";
import type { EvaluationRecord } from "../../src/state/types.js";
import { BadgeSigner } from "../../src/web/seal.js";
import type { FakeUser } from "../helpers/fake-oauth.js";
import { signInAs, Browser, serveWeb, TEST_API_TOKEN, TEST_SESSION_SECRET, type ServedWeb } from "../helpers/web.js";

function branch(repo: string, visibility: EvaluationRecord["visibility"], overrides: Partial<EvaluationRecord> = {}): EvaluationRecord {
  return {
    installationId: 7,
    owner: "acme",
    repo,
    subjectKind: "branch",
    subjectKey: `branch:acme/${repo}:main`,
    headSha: "f".repeat(40),
    outcome: "failure",
    levelReached: "bronze",
    levelRequired: "silver",
    rules: [
      { id: "codeowners", area: "ownership", level: "bronze", blocking: true, status: "pass" },
      {
        id: "runbook",
        area: "incident",
        level: "silver",
        blocking: true,
        status: "fail",
        reason: "The runbook is stale.",
        fix: "Update docs/runbook.md.",
        findings: [{ message: "Last changed 200 days ago.", path: "docs/runbook.md" }],
        findingCount: 1,
      },
    ],
    reason: "schedule",
    durationMs: 100,
    apiRequests: 5,
    evaluatedAt: "2026-03-31T03:00:00Z",
    ref: "main",
    owners: ["@acme/sre"],
    visibility,
    ...overrides,
  };
}

const ALICE: FakeUser = { id: 1, login: "alice", repositories: new Map([[7, ["acme/web", "acme/Secret-Vault", "acme/internal-tool"]]]) };
const BOB: FakeUser = { id: 2, login: "bob", repositories: new Map([[7, ["acme/web"]]]) };

let store: MemoryStateStore;
let web: ServedWeb;

beforeEach(async () => {
  store = new MemoryStateStore();
  await store.recordEvaluation(branch("web", "public", { levelReached: "silver", outcome: "success" }));
  await store.recordEvaluation(branch("secret-vault", "private"));
  await store.recordEvaluation(branch("internal-tool", "internal"));
  // Another installation the people here cannot reach.
  await store.recordEvaluation(branch("elsewhere", "private", { installationId: 99, owner: "other", subjectKey: "branch:other/elsewhere:main" }));
  web = await serveWeb(store);
});

afterEach(async () => {
  await web.close();
});

const signedIn = (user: FakeUser): Promise<Browser> => signInAs(web, user);

describe("without sign-in", () => {
  test("the dashboard asks to sign in, with 401 and no repository named", async () => {
    for (const path of ["/dashboard", "/dashboard/repositories/acme/web", "/dashboard/repositories/acme/secret-vault"]) {
      const response = await new Browser(web.url).get(path);
      const body = await response.text();
      expect(response.status).toBe(401);
      expect(body).toContain("Sign in with GitHub");
      // Only the address asked for comes back (to return to after sign-in), never a record's data.
      expect(body).not.toMatch(/internal-tool|runbook|bronze|silver|acme\/web</);
    }
  });

  test("the API answers 401 and no data without a token, with a wrong one, or with another scheme", async () => {
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer wrong-token" }, { authorization: `Basic ${TEST_API_TOKEN}` }, { authorization: `Bearer ${TEST_API_TOKEN}x` }]) {
      for (const path of ["/api/scorecards", "/api/scorecards.csv", "/api/scorecards/acme/web"]) {
        const response = await new Browser(web.url).get(path, headers);
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toBe('Bearer realm="readiness"');
        expect(await response.text()).not.toContain("acme");
      }
    }
  });

  test("only a public repository's badge is served; private, internal and unknown ones are 404 alike", async () => {
    const publicBadge = await new Browser(web.url).get("/badges/acme/web.svg");
    expect(publicBadge.status).toBe(200);
    expect(publicBadge.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(await publicBadge.text()).toContain("readiness: silver");
    const answers = await Promise.all(
      ["/badges/acme/secret-vault.svg", "/badges/acme/internal-tool.svg", "/badges/acme/nothing.svg", "/badges/acme/secret-vault.svg?token=guess"].map(async (path) => {
        const response = await new Browser(web.url).get(path);
        return [response.status, await response.text()];
      }),
    );
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify([404, "Not found\n"])]));
  });

  test("a private repository's badge is served with its own token, not with another repository's", async () => {
    const signer = new BadgeSigner(TEST_SESSION_SECRET);
    const own = await new Browser(web.url).get(`/badges/acme/secret-vault.svg?token=${signer.token("acme/secret-vault")}`);
    expect(own.status).toBe(200);
    expect(own.headers.get("cache-control")).toBe("private, max-age=300");
    expect(await own.text()).toContain("bronze (needs silver)");
    const borrowed = await new Browser(web.url).get(`/badges/acme/secret-vault.svg?token=${signer.token("acme/internal-tool")}`);
    expect(borrowed.status).toBe(404);
    // A token signed with another server's secret is worthless here.
    const foreign = new BadgeSigner("another-server-secret-of-32-characters-or-more");
    expect((await new Browser(web.url).get(`/badges/acme/secret-vault.svg?token=${foreign.token("acme/secret-vault")}`)).status).toBe(404);
  });
});

describe("a signed-in person sees only what GitHub lets them see", () => {
  test("bob, without access to the private and internal repositories, never sees them: page, repository page, API, CSV", async () => {
    const bob = await signedIn(BOB);
    const page = await (await bob.get("/dashboard")).text();
    expect(page).toContain("acme/web");
    expect(page).not.toMatch(/secret-vault|internal-tool|elsewhere/i);
    expect(page).toContain("1 repository you can see");
    for (const path of ["/dashboard/repositories/acme/secret-vault", "/dashboard/repositories/ACME/SECRET-VAULT", "/dashboard/repositories/other/elsewhere"]) {
      const response = await bob.get(path);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("runbook");
    }
    const api = await bob.get("/api/scorecards");
    expect(((await api.json()) as { repositories: { repository: string }[] }).repositories.map((entry) => entry.repository)).toEqual(["acme/web"]);
    expect((await bob.get("/api/scorecards/acme/secret-vault")).status).toBe(404);
    const csv = await (await bob.get("/api/scorecards.csv")).text();
    expect(csv).toContain('"acme/web"');
    expect(csv).not.toMatch(/secret-vault|internal-tool/);
    // The dashboard page of a public repository shows its public badge link, without a token.
    const repositoryPage = await (await bob.get("/dashboard/repositories/acme/web")).text();
    expect(repositoryPage).toContain('src="/badges/acme/web.svg"');
  });

  test("alice, with access, sees the private repository, its findings and fix, and its badge token", async () => {
    const alice = await signedIn(ALICE);
    const page = await (await alice.get("/dashboard")).text();
    expect(page).toContain("3 repositories you can see");
    expect(page).not.toContain("other/elsewhere");
    const repository = await alice.get("/dashboard/repositories/acme/secret-vault");
    const body = await repository.text();
    expect(repository.status).toBe(200);
    expect(body).toContain("Last changed 200 days ago.");
    expect(body).toContain("Update docs/runbook.md.");
    const token = new BadgeSigner(TEST_SESSION_SECRET).token("acme/secret-vault");
    expect(body).toContain(`/badges/acme/secret-vault.svg?token=${token}`);
    const api = (await (await alice.get("/api/scorecards/acme/secret-vault")).json()) as { repository: string; history: unknown[] };
    expect(api.repository).toBe("acme/secret-vault");
    expect(api.history).toHaveLength(1);
  });

  test("the list of repositories is read from GitHub once per session within the cache time, then again", async () => {
    const bob = await signedIn(BOB);
    const listings = () =>
      web.github.requests.filter((request) => request.path.startsWith("/api/v3/user/installations/")).map((request) => request.path.split("?")[0]);
    await bob.get("/dashboard");
    await bob.get("/api/scorecards");
    await bob.get("/dashboard/repositories/acme/web");
    // Each installation the records name, once (bob cannot reach 99: GitHub answers 404).
    const once = ["/api/v3/user/installations/7/repositories", "/api/v3/user/installations/99/repositories"];
    expect(listings()).toEqual(once);
    web.clock.now = new Date(web.clock.now.getTime() + 61_000);
    await bob.get("/dashboard");
    expect(listings()).toEqual([...once, ...once]);
    expect(web.github.requests.filter((request) => request.path.startsWith("/api/v3/user/")).every((request) => request.authorization?.startsWith("Bearer ghu_"))).toBe(true);
  });

  test("when GitHub no longer accepts the user's token, the person is asked to sign in again", async () => {
    const bob = await signedIn(BOB);
    web.github.revokeAll();
    web.clock.now = new Date(web.clock.now.getTime() + 61_000);
    const page = await bob.get("/dashboard");
    expect(page.status).toBe(401);
    expect(await page.text()).toContain("Sign in with GitHub");
    expect((await bob.get("/api/scorecards")).status).toBe(401);
  });

  test("a session cookie altered or sealed with another secret is no session", async () => {
    const bob = await signedIn(BOB);
    const sealed = bob.cookies.get("readiness_session")!;
    const altered = `${sealed.slice(0, -4)}${sealed.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    bob.cookies.set("readiness_session", altered);
    expect((await bob.get("/dashboard")).status).toBe(401);
    const other = await serveWeb(store, { sessionSecret: "a-different-session-secret-of-32-chars-plus" });
    try {
      const browser = new Browser(other.url);
      browser.cookies.set("readiness_session", sealed);
      expect((await browser.get("/dashboard")).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  test("the session ends when it expires (eight hours at most)", async () => {
    const bob = await signedIn(BOB);
    web.clock.now = new Date(web.clock.now.getTime() + 8 * 3_600_000 + 1_000);
    expect((await bob.get("/dashboard")).status).toBe(401);
  });
});

describe("the API token", () => {
  test("reads every repository of every installation, with history", async () => {
    const response = await new Browser(web.url).get("/api/scorecards", { authorization: `Bearer ${TEST_API_TOKEN}` });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { repositories: { repository: string }[] };
    expect(body.repositories.map((entry) => entry.repository)).toEqual(["acme/internal-tool", "acme/secret-vault", "acme/web", "other/elsewhere"]);
    const one = await new Browser(web.url).get("/api/scorecards/acme/web", { authorization: `bearer ${TEST_API_TOKEN}` });
    expect(one.status).toBe(200);
  });

  test("is refused when the server has none configured", async () => {
    const other = await serveWeb(store, { apiToken: undefined });
    try {
      for (const authorization of ["Bearer ", "Bearer undefined", `Bearer ${TEST_API_TOKEN}`]) {
        expect((await new Browser(other.url).get("/api/scorecards", { authorization })).status).toBe(401);
      }
    } finally {
      await other.close();
    }
  });

  test("does not open the dashboard pages (they are for people)", async () => {
    const response = await new Browser(web.url).get("/dashboard", { authorization: `Bearer ${TEST_API_TOKEN}` });
    expect(response.status).toBe(401);
  });
});

describe("sign-in and sign-out", () => {
  test("sign-in sets the state in an HTTP-only SameSite=Lax cookie and the session the same way", async () => {
    web.github.signInAs = BOB;
    const browser = new Browser(web.url);
    const start = await browser.get("/dashboard/sign-in?return=/dashboard/repositories/acme/web");
    const authorize = new URL(start.headers.get("location")!);
    expect(authorize.origin).toBe(`http://${web.github.host}`);
    expect(authorize.pathname).toBe("/login/oauth/authorize");
    expect(authorize.searchParams.get("client_id")).toBe("Iv1.testclient");
    expect(authorize.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const stateCookie = start.headers.getSetCookie()[0]!;
    expect(stateCookie).toMatch(/^readiness_oauth_state=[^;]+; Path=\/dashboard; Max-Age=600; HttpOnly; SameSite=Lax$/);
    expect(stateCookie).not.toContain(authorize.searchParams.get("state")!);
    const back = await fetch(authorize, { redirect: "manual" });
    const callback = await browser.get(back.headers.get("location")!);
    expect(callback.status).toBe(303);
    expect(callback.headers.get("location")).toBe("/dashboard/repositories/acme/web");
    const session = callback.headers.getSetCookie().find((line) => line.startsWith("readiness_session="))!;
    expect(session).toMatch(/; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/);
    // The cookie does not carry the GitHub token readably.
    expect(Buffer.from(session.split(";")[0]!.split("=")[1]!, "base64url").toString("latin1")).not.toContain("ghu_");
  });

  test("a callback whose state does not match the browser's is refused and signs nobody in", async () => {
    web.github.signInAs = BOB;
    const victim = new Browser(web.url);
    const attacker = new Browser(web.url);
    // The attacker starts a sign-in and hands their callback link (their code and state) to the victim.
    const start = await attacker.get("/dashboard/sign-in");
    const back = await fetch(start.headers.get("location")!, { redirect: "manual" });
    const link = back.headers.get("location")!;
    await victim.get("/dashboard/sign-in");
    const refused = await victim.get(link);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("not the one this browser started");
    expect(victim.cookies.has("readiness_session")).toBe(false);
    // No state cookie at all, or a forged state, is refused the same way.
    expect((await new Browser(web.url).get(link)).status).toBe(400);
    const forged = new URL(link);
    forged.searchParams.set("state", "forged");
    expect((await attacker.get(forged.toString())).status).toBe(400);
    expect(web.github.requests.some((request) => request.path === "/login/oauth/access_token")).toBe(false);
  });

  test("a state older than ten minutes is refused", async () => {
    web.github.signInAs = BOB;
    const browser = new Browser(web.url);
    const start = await browser.get("/dashboard/sign-in");
    const back = await fetch(start.headers.get("location")!, { redirect: "manual" });
    web.clock.now = new Date(web.clock.now.getTime() + 11 * 60_000);
    expect((await browser.get(back.headers.get("location")!)).status).toBe(400);
  });

  test("a return address outside the dashboard is replaced by /dashboard", async () => {
    web.github.signInAs = BOB;
    for (const target of ["https://evil.example/", "//evil.example/dashboard", "/dashboard\\@evil.example", "/api/scorecards"]) {
      const callback = await new Browser(web.url).signIn(target);
      expect(callback.headers.get("location")).toBe("/dashboard");
    }
  });

  test("GitHub's refusal (the person cancelled) signs nobody in", async () => {
    web.github.signInAs = undefined;
    const browser = new Browser(web.url);
    const callback = await browser.signIn();
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain("Sign-in was cancelled");
    expect(browser.cookies.has("readiness_session")).toBe(false);
  });

  test("sign-out needs the page's form token, then clears the session", async () => {
    const bob = await signedIn(BOB);
    const page = await (await bob.get("/dashboard")).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
    const forged = await bob.request("/dashboard/sign-out", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "csrf=nope" });
    expect(forged.status).toBe(403);
    expect((await bob.get("/dashboard")).status).toBe(200);
    expect((await bob.get("/dashboard/sign-out")).status).toBe(405);
    const out = await bob.request("/dashboard/sign-out", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `csrf=${encodeURIComponent(csrf)}` });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()[0]).toMatch(/^readiness_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax/);
    expect((await bob.get("/dashboard")).status).toBe(401);
  });
});

describe("configuration", () => {
  test("without OAuth the dashboard answers 401 with how to configure it; badges and the API token still work", async () => {
    const other = await serveWeb(store, { oauth: undefined });
    try {
      const response = await new Browser(other.url).get("/dashboard");
      expect(response.status).toBe(401);
      const body = await response.text();
      expect(body).toContain("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET");
      expect(body).toContain("/dashboard/oauth/callback");
      expect((await new Browser(other.url).get("/dashboard/sign-in")).status).toBe(401);
      expect((await new Browser(other.url).get("/badges/acme/web.svg")).status).toBe(200);
      expect((await new Browser(other.url).get("/api/scorecards", { authorization: `Bearer ${TEST_API_TOKEN}` })).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  test("without a session secret, or with a short one, the dashboard does not start and says why", async () => {
    for (const [sessionSecret, message] of [
      [undefined, "READINESS_SESSION_SECRET is not set"],
      ["short", "READINESS_SESSION_SECRET is too short (5 characters)"],
    ] as const) {
      const other = await serveWeb(store, { sessionSecret });
      try {
        const response = await new Browser(other.url).get("/dashboard");
        expect(response.status).toBe(401);
        expect(await response.text()).toContain(message);
        expect(other.logs.some((line) => line.level === "warn" && line.msg.includes(message))).toBe(true);
      } finally {
        await other.close();
      }
    }
  });

  test("other paths are left to the rest of the server", async () => {
    const response = await new Browser(web.url).get("/api/scorecardsX");
    expect(await response.text()).toBe("not ours");
  });
});
