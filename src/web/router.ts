/**
 * The web side of the app: `/dashboard` (pages), `/api/scorecards` (read-only JSON and CSV) and
 * `/badges` (SVG), as one Node request handler that answers its own paths and passes everything
 * else on (returns false). It reads the state store only; sign-in talks to GitHub through
 * src/github/user-access.ts.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import {
  authorizeUrl,
  currentUser,
  exchangeCode,
  installationRepositories,
  UserTokenRejected,
  type GitHubEndpoints,
} from "../github/user-access.js";
import { auditCsv, auditJson } from "../decisions/audit.js";
import type { StateStore, StoredEvaluation } from "../state/types.js";
import { AccessCache, type ListRepositories, type Principal } from "./access.js";
import { repositoryJson, scorecardsCsv, scorecardsJson, targetsJson } from "./api.js";
import { badgeSvg } from "./badge.js";
import { html } from "./html.js";
import { auditPage, messagePage, organisationPage, repositoryPage, STYLE_TEXT, targetsPage, type Viewer } from "./pages.js";
import { BadgeSigner, randomId, sameSecret, Sealer } from "./seal.js";
import {
  applyFilters,
  blockingRules,
  dayRange,
  levelDistribution,
  levelLadder,
  meetsRequired,
  ownersOf,
  parseFilters,
  repositoryName,
} from "./scorecard-view.js";
import { dashboardProblem, type WebSettings } from "./settings.js";
import { pendingTargets, type TargetProgressView } from "./targets-view.js";

export const SESSION_COOKIE = "readiness_session";
export const STATE_COOKIE = "readiness_oauth_state";
/** How long a sign-in lasts when GitHub does not expire the user token sooner. */
const SESSION_HOURS = 8;
const STATE_MINUTES = 10;
const HISTORY_DAYS = 90;
const MAX_FORM_BYTES = 4_096;

interface Session {
  readonly sid: string;
  readonly login: string;
  readonly token: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

interface OAuthState {
  readonly state: string;
  readonly returnTo: string;
  readonly expiresAt: number;
}

export interface WebLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface WebOptions {
  readonly store: StateStore;
  readonly settings: WebSettings;
  readonly log: WebLog;
  readonly now?: () => Date;
}

export type WebHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const CSP = `default-src 'none'; style-src 'sha256-${createHash("sha256").update(STYLE_TEXT).digest("base64")}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

function securityHeaders(): Record<string, string> {
  return {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
  };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string | string[]> = {}): true {
  res.writeHead(status, { ...securityHeaders(), "content-type": type, ...headers });
  res.end(body);
  return true;
}

function sendHtml(res: ServerResponse, status: number, body: string, headers: Record<string, string | string[]> = {}): true {
  return send(res, status, "text/html; charset=utf-8", body, headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): true {
  return send(res, status, "application/json; charset=utf-8", JSON.stringify(body), headers);
}

function redirect(res: ServerResponse, status: 302 | 303, location: string, headers: Record<string, string | string[]> = {}): true {
  res.writeHead(status, { ...securityHeaders(), location, ...headers });
  res.end();
  return true;
}

function cookies(req: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

/** A path inside the dashboard to return to after sign-in; anything else returns to /dashboard. */
function safeReturn(value: string | null): string {
  return value && /^\/dashboard(\/[^\\]*)?(\?[^\\]*)?$/.test(value) && !value.startsWith("//") ? value : "/dashboard";
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** The record of `owner/repo` among these, matched without regard to case as GitHub does. */
function findRepository(records: readonly StoredEvaluation[], owner: string, repo: string): StoredEvaluation | undefined {
  const wanted = `${owner}/${repo}`.toLowerCase();
  return records.find((record) => repositoryName(record).toLowerCase() === wanted);
}

export function webHandler(options: WebOptions): WebHandler {
  const { store, settings, log } = options;
  const now = options.now ?? (() => new Date());
  const problem = dashboardProblem(settings);
  const sealer = problem === undefined ? new Sealer(settings.sessionSecret!) : undefined;
  const badges = settings.sessionSecret ? new BadgeSigner(settings.sessionSecret) : undefined;
  const endpoints: GitHubEndpoints = { webUrl: settings.githubWebUrl, apiUrl: settings.githubApiUrl };
  const listRepositories: ListRepositories = (token, installationId) => installationRepositories(endpoints, token, installationId);
  const access = new AccessCache(listRepositories, settings.accessCacheSeconds * 1000, () => now().getTime());
  const callbackUrl = settings.publicUrl ? `${settings.publicUrl}/dashboard/oauth/callback` : undefined;
  if (problem !== undefined) log.warn({ dashboard: "off" }, `dashboard: not available. ${problem}`);

  function secure(req: IncomingMessage): boolean {
    return settings.publicUrl?.startsWith("https:") === true || (req.socket as TLSSocket).encrypted === true || req.headers["x-forwarded-proto"] === "https";
  }

  function cookie(req: IncomingMessage, name: string, value: string, maxAgeSeconds: number, path = "/"): string {
    return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure(req) ? "; Secure" : ""}`;
  }

  function session(req: IncomingMessage): Session | undefined {
    const sealed = cookies(req).get(SESSION_COOKIE);
    if (!sealer || !sealed) return undefined;
    const value = sealer.open("session", sealed) as Partial<Session> | undefined;
    if (!value || typeof value.sid !== "string" || typeof value.login !== "string" || typeof value.token !== "string" || typeof value.expiresAt !== "number") return undefined;
    return value.expiresAt > now().getTime() ? (value as Session) : undefined;
  }

  function viewerOf(current: Session): Viewer {
    return { login: current.login, csrf: csrfToken(current) };
  }

  function csrfToken(current: Session): string {
    return createHash("sha256").update(`csrf:${current.sid}`).digest("base64url");
  }

  function notConfigured(res: ServerResponse): true {
    return sendHtml(res, 401, messagePage("The dashboard is not configured", [problem!, "The scorecard API answers automation with READINESS_API_TOKEN; public repositories' badges are served without sign-in."]));
  }

  function signInPage(res: ServerResponse, returnTo: string): true {
    return sendHtml(
      res,
      401,
      messagePage("Sign in to see the scorecards", ["You see the repositories your GitHub account can see through the app's installation."], {
        href: `/dashboard/sign-in?return=${encodeURIComponent(returnTo)}`,
        text: "Sign in with GitHub",
      }),
    );
  }

  async function visibleRecords(principal: Principal): Promise<StoredEvaluation[]> {
    return access.visible(principal, await store.latestBranchEvaluations());
  }

  function badgeUrl(record: StoredEvaluation): string {
    const path = `/badges/${encodeURIComponent(record.owner)}/${encodeURIComponent(record.repo)}.svg`;
    const base = settings.publicUrl ?? "";
    if (record.visibility === "public" || !badges) return `${base}${path}`;
    return `${base}${path}?token=${badges.token(repositoryName(record))}`;
  }

  async function organisation(res: ServerResponse, current: Session, query: URLSearchParams): Promise<true> {
    const principal: Principal = { kind: "person", sessionId: current.sid, token: current.token };
    const visible = await visibleRecords(principal);
    const today = now().toISOString().slice(0, 10);
    const days = dayRange(today, HISTORY_DAYS);
    const from = `${days[0]}T00:00:00.000Z`;
    const to = new Date(Date.parse(`${today}T00:00:00.000Z`) + 86_400_000).toISOString();
    const names = new Set(visible.map((record) => repositoryName(record)));
    const [before, daily] = await Promise.all([store.latestBranchEvaluations({ before: from }), store.dailyBranchLevels(from, to)]);
    const ladder = levelLadder(visible);
    const filters = parseFilters(query);
    const filtered = applyFilters(visible, filters);
    return sendHtml(
      res,
      200,
      organisationPage({
        viewer: viewerOf(current),
        total: visible.length,
        meeting: visible.filter(meetsRequired).length,
        records: filtered,
        filters,
        ladder,
        owners: ownersOf(visible),
        blocking: blockingRules(filtered),
        distribution: levelDistribution(
          days,
          before.filter((record) => names.has(repositoryName(record))),
          daily.filter((row) => names.has(repositoryName(row))),
          ladder,
        ),
        today,
        targets: pendingTargets(visible, today, days, before, daily, ladder),
      }),
    );
  }

  /** The dated targets still ahead among these standings, with their trend over the history days. */
  async function targetsOf(visible: readonly StoredEvaluation[]): Promise<{ today: string; targets: TargetProgressView[]; ladder: string[] }> {
    const today = now().toISOString().slice(0, 10);
    const ladder = levelLadder(visible);
    if (!visible.some((record) => record.target !== undefined)) return { today, targets: [], ladder };
    const days = dayRange(today, HISTORY_DAYS);
    const from = `${days[0]}T00:00:00.000Z`;
    const to = new Date(Date.parse(`${today}T00:00:00.000Z`) + 86_400_000).toISOString();
    const [before, daily] = await Promise.all([store.latestBranchEvaluations({ before: from }), store.dailyBranchLevels(from, to)]);
    return { today, targets: pendingTargets(visible, today, days, before, daily, ladder), ladder };
  }

  async function targets(res: ServerResponse, current: Session): Promise<true> {
    const principal: Principal = { kind: "person", sessionId: current.sid, token: current.token };
    const { today, targets: list, ladder } = await targetsOf(await visibleRecords(principal));
    return sendHtml(res, 200, targetsPage({ viewer: viewerOf(current), targets: list, ladder, today }));
  }

  async function audit(res: ServerResponse, current: Session, owner: string, repo: string): Promise<true> {
    const principal: Principal = { kind: "person", sessionId: current.sid, token: current.token };
    const record = findRepository(await visibleRecords(principal), owner, repo);
    if (!record) return sendHtml(res, 404, messagePage("Not found", ["No scorecard of that repository that you can see."]), {});
    const entries = await store.listDecisions({ owner: record.owner, repo: record.repo });
    return sendHtml(res, 200, auditPage({ viewer: viewerOf(current), record, entries, now: now().toISOString() }));
  }

  async function repository(res: ServerResponse, current: Session, owner: string, repo: string): Promise<true> {
    const principal: Principal = { kind: "person", sessionId: current.sid, token: current.token };
    const record = findRepository(await visibleRecords(principal), owner, repo);
    if (!record) return sendHtml(res, 404, messagePage("Not found", ["No scorecard of that repository that you can see."]), {});
    const today = now().toISOString().slice(0, 10);
    const days = dayRange(today, HISTORY_DAYS);
    const history = await store.branchHistory({ owner: record.owner, repo: record.repo, since: `${days[0]}T00:00:00.000Z`, limit: 1_000 });
    const lastOfDay = new Map<string, string>();
    for (const item of history) {
      const day = item.evaluatedAt.slice(0, 10);
      if (item.outcome !== "error" && !lastOfDay.has(day)) lastOfDay.set(day, item.levelReached ?? "none");
    }
    return sendHtml(
      res,
      200,
      repositoryPage({
        viewer: viewerOf(current),
        record,
        history,
        historyDays: days.map((day) => ({ day, level: lastOfDay.get(day) })),
        ladder: levelLadder([record, ...history]),
        badgeUrl: badgeUrl(record),
        today,
      }),
    );
  }

  async function signIn(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<true> {
    const state = randomId();
    const value: OAuthState = { state, returnTo: safeReturn(query.get("return")), expiresAt: now().getTime() + STATE_MINUTES * 60_000 };
    return redirect(res, 302, authorizeUrl(endpoints, settings.oauth!, state, callbackUrl), {
      "set-cookie": cookie(req, STATE_COOKIE, sealer!.seal("oauth-state", value), STATE_MINUTES * 60, "/dashboard"),
    });
  }

  async function callback(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<true> {
    const clearState = cookie(req, STATE_COOKIE, "", 0, "/dashboard");
    const sealed = cookies(req).get(STATE_COOKIE);
    const expected = sealed ? (sealer!.open("oauth-state", sealed) as Partial<OAuthState> | undefined) : undefined;
    const given = query.get("state") ?? "";
    const fresh = expected && typeof expected.state === "string" && typeof expected.expiresAt === "number" && expected.expiresAt > now().getTime();
    if (!fresh || !sameSecret(given, expected.state!)) {
      log.warn({ dashboard: "sign-in" }, "dashboard: a sign-in callback without a matching state was refused");
      return sendHtml(res, 400, messagePage("Sign-in could not be completed", ["This sign-in link is not the one this browser started, or it is more than 10 minutes old. Start again."], { href: "/dashboard/sign-in", text: "Sign in with GitHub" }), {
        "set-cookie": clearState,
      });
    }
    const code = query.get("code");
    if (!code) {
      return sendHtml(res, 400, messagePage("Sign-in was cancelled", ["GitHub returned without authorising the app."], { href: "/dashboard/sign-in", text: "Try again" }), { "set-cookie": clearState });
    }
    try {
      const at = now().getTime();
      const token = await exchangeCode(endpoints, settings.oauth!, code, at, callbackUrl);
      const user = await currentUser(endpoints, token.token);
      const expiresAt = Math.min(token.expiresAt ?? Infinity, at + SESSION_HOURS * 3_600_000);
      const value: Session = { sid: randomId(), login: user.login, token: token.token, expiresAt };
      log.info({ dashboard: "sign-in", login: user.login }, "dashboard: signed in");
      return redirect(res, 303, safeReturn(expected.returnTo ?? null), {
        "set-cookie": [clearState, cookie(req, SESSION_COOKIE, sealer!.seal("session", value), Math.floor((expiresAt - at) / 1000))],
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.warn({ dashboard: "sign-in", err: reason }, "dashboard: sign-in failed");
      return sendHtml(res, 502, messagePage("Sign-in failed", [reason], { href: "/dashboard/sign-in", text: "Try again" }), { "set-cookie": clearState });
    }
  }

  async function signOut(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const current = session(req);
    const form = await readForm(req);
    if (current && (!form || !sameSecret(form.get("csrf") ?? "", csrfToken(current)))) {
      return sendHtml(res, 403, messagePage("Sign-out refused", ["The form did not come from this dashboard. Use the Sign out button."]));
    }
    if (current) access.forget(current.sid);
    return redirect(res, 303, "/dashboard", { "set-cookie": cookie(req, SESSION_COOKIE, "", 0) });
  }

  /** Who is asking the API: the bearer token, a signed-in person, or nobody (401). */
  function apiPrincipal(req: IncomingMessage): Principal | undefined {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      return match && settings.apiToken && sameSecret(match[1]!, settings.apiToken) ? { kind: "api-token" } : undefined;
    }
    const current = session(req);
    return current ? { kind: "person", sessionId: current.sid, token: current.token } : undefined;
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string): Promise<true> {
    const principal = apiPrincipal(req);
    if (!principal) {
      return sendJson(res, 401, { message: "Authentication required: send Authorization: Bearer <READINESS_API_TOKEN>, or sign in to the dashboard." }, { "www-authenticate": 'Bearer realm="readiness"' });
    }
    const visible = await visibleRecords(principal);
    const today = now().toISOString().slice(0, 10);
    if (path === "/api/targets") return sendJson(res, 200, targetsJson((await targetsOf(visible)).targets));
    if (path.startsWith("/api/audit/")) return auditExport(res, path, visible);
    if (path === "/api/scorecards") return sendJson(res, 200, scorecardsJson(visible, today));
    if (path === "/api/scorecards.csv") {
      return send(res, 200, "text/csv; charset=utf-8", scorecardsCsv(visible), { "content-disposition": 'attachment; filename="scorecards.csv"' });
    }
    const parts = path.slice("/api/scorecards/".length).split("/").map(decodeSegment);
    const record = parts.length === 2 && parts[0] && parts[1] ? findRepository(visible, parts[0], parts[1]) : undefined;
    if (!record) return sendJson(res, 404, { message: "No scorecard of that repository that you can see." });
    const history = await store.branchHistory({ owner: record.owner, repo: record.repo, limit: 1_000, since: new Date(now().getTime() - HISTORY_DAYS * 86_400_000).toISOString() });
    return sendJson(res, 200, repositoryJson(record, history, today));
  }

  /** `/api/audit/{owner}/{repo}.csv` or `.json`: the repository's audit log, for those who may see the repository. */
  async function auditExport(res: ServerResponse, path: string, visible: readonly StoredEvaluation[]): Promise<true> {
    const match = /^\/api\/audit\/([^/]+)\/([^/]+)\.(csv|json)$/.exec(path);
    const owner = match ? decodeSegment(match[1]!) : undefined;
    const repo = match ? decodeSegment(match[2]!) : undefined;
    const record = owner && repo ? findRepository(visible, owner, repo) : undefined;
    if (!record) return sendJson(res, 404, { message: "No scorecard of that repository that you can see." });
    const entries = await store.listDecisions({ owner: record.owner, repo: record.repo });
    const file = `audit-${record.owner}-${record.repo}`.replace(/[^A-Za-z0-9._-]/g, "_");
    if (match![3] === "csv") return send(res, 200, "text/csv; charset=utf-8", auditCsv(entries), { "content-disposition": `attachment; filename="${file}.csv"` });
    return send(res, 200, "application/json; charset=utf-8", auditJson(entries), { "content-disposition": `attachment; filename="${file}.json"` });
  }

  async function badge(res: ServerResponse, path: string, query: URLSearchParams): Promise<true> {
    const match = /^\/badges\/([^/]+)\/([^/]+)\.svg$/.exec(path);
    const owner = match ? decodeSegment(match[1]!) : undefined;
    const repo = match ? decodeSegment(match[2]!) : undefined;
    const record = owner && repo ? findRepository(await store.latestBranchEvaluations(), owner, repo) : undefined;
    const token = query.get("token");
    const allowed = record !== undefined && (record.visibility === "public" || (badges !== undefined && token !== null && badges.verify(repositoryName(record), token)));
    // A private repository without its token is as unknown as one never evaluated.
    if (!record || !allowed) return send(res, 404, "text/plain; charset=utf-8", "Not found\n");
    return send(res, 200, "image/svg+xml; charset=utf-8", badgeSvg(record), {
      "cache-control": record.visibility === "public" ? "public, max-age=300" : "private, max-age=300",
    });
  }

  async function dashboard(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, target: string): Promise<true> {
    if (problem !== undefined) return notConfigured(res);
    if (path === "/dashboard/sign-in") return signIn(req, res, query);
    if (path === "/dashboard/oauth/callback") return callback(req, res, query);
    const current = session(req);
    if (!current) return signInPage(res, safeReturn(target));
    try {
      if (path === "/dashboard" || path === "/dashboard/") return await organisation(res, current, query);
      if (path === "/dashboard/targets") return await targets(res, current);
      const auditMatch = /^\/dashboard\/repositories\/([^/]+)\/([^/]+)\/audit$/.exec(path);
      const auditOwner = auditMatch ? decodeSegment(auditMatch[1]!) : undefined;
      const auditRepo = auditMatch ? decodeSegment(auditMatch[2]!) : undefined;
      if (auditOwner && auditRepo) return await audit(res, current, auditOwner, auditRepo);
      const match = /^\/dashboard\/repositories\/([^/]+)\/([^/]+)$/.exec(path);
      const owner = match ? decodeSegment(match[1]!) : undefined;
      const repo = match ? decodeSegment(match[2]!) : undefined;
      if (owner && repo) return await repository(res, current, owner, repo);
      return sendHtml(res, 404, messagePage("Not found", [html`No such page. <a href="/dashboard">All repositories</a>`]));
    } catch (error) {
      if (error instanceof UserTokenRejected) {
        access.forget(current.sid);
        return signInPage(res, safeReturn(target));
      }
      throw error;
    }
  }

  return async (req, res) => {
    const target = req.url ?? "/";
    const url = new URL(target, "http://localhost");
    const path = url.pathname;
    const ours =
      path === "/dashboard" ||
      path.startsWith("/dashboard/") ||
      path === "/api/scorecards" ||
      path === "/api/scorecards.csv" ||
      path.startsWith("/api/scorecards/") ||
      path === "/api/targets" ||
      path.startsWith("/api/audit/") ||
      path.startsWith("/badges/");
    if (!ours) return false;
    const post = req.method === "POST" && path === "/dashboard/sign-out";
    if (!post && req.method !== "GET") return send(res, 405, "text/plain; charset=utf-8", "Method not allowed\n", { allow: path === "/dashboard/sign-out" ? "POST" : "GET" });
    if (path === "/dashboard/sign-out" && !post) return send(res, 405, "text/plain; charset=utf-8", "Method not allowed\n", { allow: "POST" });
    try {
      if (post) return problem !== undefined ? notConfigured(res) : await signOut(req, res);
      if (path.startsWith("/badges/")) return await badge(res, path, url.searchParams);
      if (path.startsWith("/api/scorecards")) return await api(req, res, path);
      if (path === "/api/targets" || path.startsWith("/api/audit/")) return await api(req, res, path);
      return await dashboard(req, res, path, url.searchParams, target);
    } catch (error) {
      if (error instanceof UserTokenRejected) return sendJson(res, 401, { message: "GitHub no longer accepts your sign-in: sign in again." });
      const reason = error instanceof Error ? error.message : String(error);
      log.error({ err: reason, path }, "web: request failed");
      return send(res, 500, "text/plain; charset=utf-8", "Something went wrong; the server log has the details.\n");
    }
  };
}
