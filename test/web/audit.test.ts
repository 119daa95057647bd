/**
 * The audit log on the dashboard: a repository's audit page (what is in force, every decision
 * with who, what, when, why, commit and comment link) and its CSV and JSON exports, under the
 * dashboard's access rules: a person sees the audit of a repository GitHub lets them see, the
 * API token reads any, and anyone else gets the same 404 (or 401) as elsewhere.
 */
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { MemoryStateStore } from "../../src/state/memory.js";
import type { DecisionRecord, EvaluationRecord } from "../../src/state/types.js";
import type { FakeUser } from "../helpers/fake-oauth.js";
import { signInAs, Browser, serveWeb, TEST_API_TOKEN, type ServedWeb } from "../helpers/web.js";

function branch(repo: string, visibility: EvaluationRecord["visibility"]): EvaluationRecord {
  return {
    installationId: 7,
    owner: "acme",
    repo,
    subjectKind: "branch",
    subjectKey: `branch:acme/${repo}:main`,
    headSha: "f".repeat(40),
    outcome: "success",
    levelReached: "silver",
    levelRequired: "silver",
    rules: [
      { id: "codeowners", area: "ownership", level: "bronze", blocking: true, status: "pass" },
      { id: "attestation:dr-test", area: "reliability", level: "silver", blocking: true, status: "pass", reason: "last attested by @lead on 2026-03-01 (drill log); valid until 2026-08-28" },
      { id: "attestation:pen-test", area: "reliability", level: "silver", blocking: true, status: "fail", findings: [{ message: "Penetration test passed: never attested." }], findingCount: 1 },
    ],
    reason: "schedule",
    durationMs: 100,
    apiRequests: 5,
    evaluatedAt: "2026-03-31T03:00:00Z",
    ref: "main",
    visibility,
  };
}

function decision(repo: string, overrides: Partial<DecisionRecord>): DecisionRecord {
  return {
    installationId: 7,
    owner: "acme",
    repo,
    kind: "waive",
    target: "docs",
    actor: "lead",
    reason: "hotfix for incident 42",
    pullNumber: 12,
    issueNumber: 12,
    sha: "a".repeat(40),
    commentId: 1001,
    commentUrl: `https://github.com/acme/${repo}/pull/12#issuecomment-1001`,
    createdAt: "2026-03-30T10:00:00Z",
    ...overrides,
  };
}

const ALICE: FakeUser = { id: 1, login: "alice", repositories: new Map([[7, ["acme/web", "acme/Secret-Vault"]]]) };
const BOB: FakeUser = { id: 2, login: "bob", repositories: new Map([[7, ["acme/web"]]]) };

let store: MemoryStateStore;
let web: ServedWeb;

beforeEach(async () => {
  store = new MemoryStateStore();
  await store.recordEvaluation(branch("web", "public"));
  await store.recordEvaluation(branch("secret-vault", "private"));
  await store.appendDecision(decision("web", { createdAt: "2026-03-01T09:00:00Z", kind: "attest", target: "dr-test", reason: "drill log", pullNumber: undefined, issueNumber: 3, commentId: 1, commentUrl: "https://github.com/acme/web/issues/3#issuecomment-1" }));
  await store.appendDecision(decision("web", { expiresAt: "2026-04-02T10:00:00Z" }));
  await store.appendDecision(decision("web", { target: "tests", reason: "=HYPERLINK(\"http://evil\")", untilPush: true, createdAt: "2026-03-30T11:00:00Z", commentUrl: "javascript:alert(1)" }));
  await store.appendDecision(decision("web", { target: "runbook", expiresAt: "2026-03-30T12:00:00Z", createdAt: "2026-03-29T12:00:00Z" }));
  await store.appendDecision(decision("web", { kind: "waive", target: "slo", createdAt: "2026-03-30T12:00:00Z" }));
  await store.appendDecision(decision("web", { kind: "unwaive", target: "slo", reason: "", createdAt: "2026-03-30T13:00:00Z" }));
  await store.appendDecision(decision("secret-vault", { target: "secrets", reason: "the vault's own secret reason" }));
  web = await serveWeb(store);
});

afterEach(async () => {
  await web.close();
});

const signedIn = (user: FakeUser): Promise<Browser> => signInAs(web, user);

describe("the audit page", () => {
  test("is linked from the repository page and shows who, what, when, why, commit, comment link and expiry", async () => {
    const bob = await signedIn(BOB);
    const repository = await (await bob.get("/dashboard/repositories/acme/web")).text();
    expect(repository).toContain('href="/dashboard/repositories/acme/web/audit"');
    const response = await bob.get("/dashboard/repositories/acme/web/audit");
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain("6 entries, newest first");
    expect(page).toContain("waived <code>docs</code> on #12");
    expect(page).toContain("hotfix for incident 42");
    expect(page).toContain("<code>aaaaaaaaaaaa</code>");
    expect(page).toContain('<a href="https://github.com/acme/web/pull/12#issuecomment-1001">comment on #12</a>');
    expect(page).toContain('<time datetime="2026-04-02T10:00:00.000Z">2026-04-02 10:00</time>');
    // A comment address that is not http(s) is shown as text, never linked; a reason is escaped.
    expect(page).not.toContain("javascript:");
    expect(page).toContain("=HYPERLINK(&quot;http://evil&quot;)");
    expect(page).toContain('href="/api/audit/acme/web.csv"');
    expect(page).toContain('href="/api/audit/acme/web.json"');
    expect(page).not.toMatch(/<script/i);
  });

  test("lists the waivers in force (not expired, not unwaived) and the attestation items with their expiry", async () => {
    const bob = await signedIn(BOB);
    const page = await (await bob.get("/dashboard/repositories/acme/web/audit")).text();
    const waivers = /<table id="waivers">[\s\S]*?<\/table>/.exec(page)![0];
    expect(waivers).toContain('<th scope="row">docs</th>');
    expect(waivers).toContain('<th scope="row">tests</th>');
    expect(waivers).toContain("at the next push");
    // runbook's waiver expired at noon on the 30th (the clock says the 31st); slo was unwaived.
    expect(waivers).not.toMatch(/runbook|>slo</);
    const attestations = /<table id="attestations">[\s\S]*?<\/table>/.exec(page)![0];
    expect(attestations).toContain("valid until 2026-08-28");
    expect(attestations).toContain("@lead");
    expect(attestations).toContain("drill log");
    expect(attestations).toContain("Penetration test passed: never attested.");
  });

  test("a repository without decisions says so", async () => {
    await store.recordEvaluation({ ...branch("quiet", "public"), subjectKey: "branch:acme/quiet:main" });
    const bob = await signedIn({ ...BOB, repositories: new Map([[7, ["acme/quiet"]]]) });
    const page = await (await bob.get("/dashboard/repositories/acme/quiet/audit")).text();
    expect(page).toContain("No decision on record for this repository.");
    expect(page).toContain("No waiver is in force.");
  });
});

describe("access", () => {
  test("bob never sees the audit of a repository he cannot see: page and exports answer the same 404", async () => {
    const bob = await signedIn(BOB);
    for (const path of ["/dashboard/repositories/acme/secret-vault/audit", "/dashboard/repositories/ACME/SECRET-VAULT/audit", "/dashboard/repositories/acme/nothing/audit"]) {
      const response = await bob.get(path);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toMatch(/secret reason|secrets/);
    }
    const answers = await Promise.all(
      ["/api/audit/acme/secret-vault.csv", "/api/audit/acme/secret-vault.json", "/api/audit/acme/nothing.json", "/api/audit/acme/web.xml", "/api/audit/acme"].map(async (path) => {
        const response = await bob.get(path);
        return JSON.stringify([response.status, await response.text()]);
      }),
    );
    expect(new Set(answers)).toEqual(new Set([JSON.stringify([404, JSON.stringify({ message: "No scorecard of that repository that you can see." })])]));
    expect((await bob.get("/api/audit/acme/web.json")).status).toBe(200);
  });

  test("alice, with access, reads the private repository's audit; nobody signed in gets 401 and no data", async () => {
    const alice = await signedIn(ALICE);
    const page = await (await alice.get("/dashboard/repositories/acme/secret-vault/audit")).text();
    expect(page).toContain("the vault&#39;s own secret reason");
    for (const path of ["/api/audit/acme/secret-vault.csv", "/api/audit/acme/web.json"]) {
      for (const headers of [{}, { authorization: "Bearer wrong" }] as Record<string, string>[]) {
        const response = await new Browser(web.url).get(path, headers);
        expect(response.status).toBe(401);
        expect(await response.text()).not.toContain("acme");
      }
    }
    const anonymousPage = await new Browser(web.url).get("/dashboard/repositories/acme/secret-vault/audit");
    expect(anonymousPage.status).toBe(401);
    expect(await anonymousPage.text()).not.toContain("secret reason");
  });
});

describe("the exports", () => {
  test("CSV for auditors: a header, one line per entry oldest first, formula-safe, as an attachment", async () => {
    const response = await new Browser(web.url).get("/api/audit/acme/web.csv", { authorization: `Bearer ${TEST_API_TOKEN}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="audit-acme-web.csv"');
    expect(response.headers.get("cache-control")).toBe("no-store");
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe("id,created_at,repository,kind,target,actor,reason,pull_number,issue_number,sha,until_push,expires_at,comment_url");
    expect(lines).toHaveLength(8);
    expect(lines[1]).toMatch(/^1,2026-03-01T09:00:00.000Z,acme\/web,attest,dr-test,lead,drill log,,3,/);
    // A reason a spreadsheet would run as a formula is shown as text.
    expect(lines[4]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines.join("\n")).not.toContain("secret reason");
  });

  test("JSON with every field; the repository matches without regard to case", async () => {
    const response = await new Browser(web.url).get("/api/audit/ACME/Web.json", { authorization: `Bearer ${TEST_API_TOKEN}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = (await response.json()) as { decisions: Record<string, unknown>[] };
    expect(body.decisions).toHaveLength(6);
    expect(body.decisions[2]).toEqual({
      id: 2,
      createdAt: "2026-03-30T10:00:00.000Z",
      repository: "acme/web",
      kind: "waive",
      target: "docs",
      actor: "lead",
      reason: "hotfix for incident 42",
      pullNumber: 12,
      issueNumber: 12,
      sha: "a".repeat(40),
      untilPush: false,
      expiresAt: "2026-04-02T10:00:00.000Z",
      commentUrl: "https://github.com/acme/web/pull/12#issuecomment-1001",
    });
  });
});
