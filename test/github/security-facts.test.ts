/** The facts the vulnerabilities and no-binaries rules read: open alerts, the clock, file sizes. */
import nock from "nock";
import { makeFacts } from "../../src/engine/facts.js";
import { known } from "../../src/engine/types.js";
import type { FactRequest } from "../../src/engine/types.js";
import { GitHubFactsProvider } from "../../src/github/facts.js";
import type { FactsProviderOptions } from "../../src/github/facts.js";
import { API, guardRequests, HEAD_SHA, octokit, pullRequest, REPO } from "./mock-github.js";

guardRequests();

const provider = (opts: FactsProviderOptions = {}) => new GitHubFactsProvider(octokit(), REPO, pullRequest(), opts);
const gather = (p: GitHubFactsProvider, ...requests: FactRequest[]) => p.gather(requests, makeFacts());
const reasonOf = (fact: { known: boolean; reason?: string } | undefined) => (fact && !fact.known ? fact.reason : `known: ${JSON.stringify(fact)}`);

const dependabotAlert = (number: number) => ({
  number,
  state: "open",
  created_at: "2026-11-01T10:00:00Z",
  html_url: `https://github.com/acme/shop/security/dependabot/${number}`,
  dependency: { package: { ecosystem: "npm", name: "lodash" }, manifest_path: "package-lock.json", scope: "runtime" },
  security_advisory: { ghsa_id: "GHSA-aaaa-bbbb-cccc", summary: "Prototype pollution", severity: "high" },
  security_vulnerability: { severity: "high" },
});

describe("securityAlerts", () => {
  it("walks Dependabot's cursor pages and keeps what a finding shows", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/dependabot/alerts")
      .query({ state: "open", per_page: 100 })
      .reply(200, [dependabotAlert(1)], { link: `<${API}/repositories/1/dependabot/alerts?state=open&per_page=100&after=Y3Vyc29y>; rel="next"` })
      .get("/repos/acme/shop/dependabot/alerts")
      .query({ state: "open", per_page: 100, after: "Y3Vyc29y" })
      .reply(200, [dependabotAlert(2)]);
    const { securityAlerts } = await gather(provider(), { kind: "securityAlerts", source: "dependabot" });
    scope.done();
    expect(securityAlerts?.dependabot).toEqual(
      known([1, 2].map((number) => ({
        source: "dependabot",
        number,
        severity: "high",
        createdAt: "2026-11-01T10:00:00Z",
        title: "Prototype pollution in lodash (npm)",
        path: "package-lock.json",
        url: `https://github.com/acme/shop/security/dependabot/${number}`,
      }))),
    );
  });

  it("reads code scanning severities, falling back to the rule's plain one", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/code-scanning/alerts")
      .query({ state: "open", per_page: 100 })
      .reply(200, [
        { number: 7, created_at: "2026-10-01T00:00:00Z", rule: { id: "js/sql-injection", description: "Database query built from user-controlled sources", severity: "error", security_severity_level: "critical" }, tool: { name: "CodeQL" }, most_recent_instance: { location: { path: "src/db.ts", start_line: 12 } } },
        { number: 8, created_at: "2026-10-02T00:00:00Z", rule: { id: "js/unused-local-variable", severity: "note", security_severity_level: null }, tool: { name: "CodeQL" } },
      ]);
    const { securityAlerts } = await gather(provider(), { kind: "securityAlerts", source: "code-scanning" });
    scope.done();
    const alerts = securityAlerts?.["code-scanning"];
    expect(alerts?.known && alerts.value.map((a) => [a.number, a.severity, a.title, a.path, a.line])).toEqual([
      [7, "critical", "Database query built from user-controlled sources (CodeQL)", "src/db.ts", 12],
      [8, "low", "js/unused-local-variable (CodeQL)", undefined, undefined],
    ]);
  });

  it("asks for secret scanning alerts without the secret, and drops it if GitHub sends it anyway", async () => {
    const secret = "sk_live_51HqLyjWDarjtT1zdp7dc";
    const scope = nock(API)
      .get("/repos/acme/shop/secret-scanning/alerts")
      .query({ state: "open", per_page: 100, hide_secret: true })
      .reply(200, [{ number: 3, created_at: "2026-11-20T00:00:00Z", secret_type: "stripe_api_key", secret_type_display_name: "Stripe API Key", secret }]);
    const { securityAlerts } = await gather(provider(), { kind: "securityAlerts", source: "secret-scanning" });
    scope.done();
    expect(securityAlerts?.["secret-scanning"]).toEqual(known([{ source: "secret-scanning", number: 3, severity: null, createdAt: "2026-11-20T00:00:00Z", title: "Stripe API Key" }]));
    expect(JSON.stringify(securityAlerts)).not.toContain(secret);
  });

  it.each([
    [403, "Dependabot alerts are disabled for this repository."],
    [404, "Not Found"],
  ])("is unknown, naming the permission and the feature, when GitHub answers %i", async (status, message) => {
    const scope = nock(API).get("/repos/acme/shop/dependabot/alerts").query(true).reply(status, { message });
    const { securityAlerts } = await gather(provider(), { kind: "securityAlerts", source: "dependabot" });
    scope.done();
    expect(reasonOf(securityAlerts?.dependabot)).toBe(
      `GitHub answered ${status} for the Dependabot alerts: the app needs the permission "Dependabot alerts: read" (accept it in the installation's settings), and Dependabot alerts must be enabled for the repository`,
    );
  });

  it("is unknown when there are more pages than it reads", async () => {
    const next = (page: number) => ({ link: `<${API}/repositories/1/code-scanning/alerts?state=open&per_page=100&page=${page}>; rel="next"` });
    const scope = nock(API)
      .get("/repos/acme/shop/code-scanning/alerts")
      .query({ state: "open", per_page: 100 })
      .reply(200, [], next(2))
      .get("/repos/acme/shop/code-scanning/alerts")
      .query({ state: "open", per_page: 100, page: 2 })
      .reply(200, [], next(3));
    const { securityAlerts } = await gather(provider({ maxAlertPages: 2 }), { kind: "securityAlerts", source: "code-scanning" });
    scope.done();
    expect(reasonOf(securityAlerts?.["code-scanning"])).toBe("the repository has more than 200 open code scanning alerts: too many to read in one evaluation; triage them on GitHub");
  });
});

describe("now", () => {
  it("is the provider's time, with no request", async () => {
    const p = provider({ now: () => new Date("2026-11-30T09:00:00Z") });
    expect((await gather(p, { kind: "now" })).now).toEqual(known("2026-11-30T09:00:00.000Z"));
    expect(p.requestCount).toBe(0);
  });
});

describe("treeSizes", () => {
  it("lists blob sizes at the head commit", async () => {
    const scope = nock(API)
      .get(`/repos/acme/shop/git/trees/${HEAD_SHA}`)
      .query({ recursive: "1" })
      .reply(200, { truncated: false, tree: [{ path: "src", type: "tree" }, { path: "src/a.ts", type: "blob", size: 120 }, { path: "logo.png", type: "blob", size: 40960 }] });
    const { treeSizes } = await gather(provider(), { kind: "treeSizes", ref: "head" });
    scope.done();
    expect(treeSizes?.head).toEqual(known(new Map([["src/a.ts", 120], ["logo.png", 40960]])));
  });
});
