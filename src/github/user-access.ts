/**
 * Sign-in with GitHub for the dashboard: the OAuth web flow of the GitHub App (user-to-server
 * tokens) and what the signed-in person may see through an installation. Every request goes to
 * the configured GitHub (github.com, or GHE_HOST), with a timeout.
 */

const REQUEST_TIMEOUT_MS = 10_000;
/** GitHub's largest page; an installation past 30 pages (3,000 repositories) is listed in part. */
const PER_PAGE = 100;
const MAX_PAGES = 30;

export interface GitHubEndpoints {
  /** https://github.com or the Enterprise Server's address. */
  readonly webUrl: string;
  /** https://api.github.com or <server>/api/v3. */
  readonly apiUrl: string;
}

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A user token GitHub refused (expired or revoked): the person signs in again. */
export class UserTokenRejected extends Error {}

/** The page GitHub asks the person to authorise the app on. */
export function authorizeUrl(endpoints: GitHubEndpoints, client: OAuthClient, state: string, redirectUri?: string): string {
  const url = new URL("/login/oauth/authorize", endpoints.webUrl);
  url.searchParams.set("client_id", client.clientId);
  url.searchParams.set("state", state);
  if (redirectUri) url.searchParams.set("redirect_uri", redirectUri);
  return url.toString();
}

async function request(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`GitHub did not answer ${what}: ${reason}`, { cause: error });
  }
}

export interface UserToken {
  readonly token: string;
  /** When GitHub expires it (milliseconds since the epoch), when it says. */
  readonly expiresAt?: number;
}

/** Exchanges the code GitHub returned to the callback for a user-to-server token. */
export async function exchangeCode(endpoints: GitHubEndpoints, client: OAuthClient, code: string, now: number, redirectUri?: string): Promise<UserToken> {
  const body = new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, code });
  if (redirectUri) body.set("redirect_uri", redirectUri);
  const response = await request(
    new URL("/login/oauth/access_token", endpoints.webUrl).toString(),
    { method: "POST", headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" }, body },
    "the sign-in code exchange",
  );
  const answer = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };
  if (!response.ok || typeof answer.access_token !== "string" || answer.access_token === "") {
    // GitHub answers 200 with an `error` for a bad or used code; its description holds no secret.
    const reason = typeof answer.error_description === "string" ? answer.error_description : typeof answer.error === "string" ? answer.error : `HTTP ${response.status}`;
    throw new Error(`GitHub refused the sign-in code: ${reason}`);
  }
  const expiresIn = typeof answer.expires_in === "number" && answer.expires_in > 0 ? answer.expires_in : undefined;
  return { token: answer.access_token, ...(expiresIn ? { expiresAt: now + expiresIn * 1000 } : {}) };
}

function apiHeaders(token: string): Record<string, string> {
  return { accept: "application/vnd.github+json", authorization: `Bearer ${token}`, "x-github-api-version": "2022-11-28", "user-agent": "readiness-bot" };
}

export interface GitHubUser {
  readonly id: number;
  readonly login: string;
}

export async function currentUser(endpoints: GitHubEndpoints, token: string): Promise<GitHubUser> {
  const response = await request(`${endpoints.apiUrl}/user`, { headers: apiHeaders(token) }, "GET /user");
  if (response.status === 401) throw new UserTokenRejected("GitHub refused the user token");
  if (!response.ok) throw new Error(`GitHub answered GET /user with HTTP ${response.status}`);
  const user = (await response.json()) as { id?: unknown; login?: unknown };
  if (typeof user.id !== "number" || typeof user.login !== "string") throw new Error("GitHub's answer to GET /user has no id and login");
  return { id: user.id, login: user.login };
}

/**
 * The repositories (`owner/name`, lower-case) the token's user can reach through one
 * installation: GET /user/installations/{id}/repositories. An installation the user cannot
 * reach (403, 404) gives none.
 */
export async function installationRepositories(endpoints: GitHubEndpoints, token: string, installationId: number): Promise<string[]> {
  const names: string[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = `${endpoints.apiUrl}/user/installations/${installationId}/repositories?per_page=${PER_PAGE}&page=${page}`;
    const response = await request(url, { headers: apiHeaders(token) }, `GET /user/installations/${installationId}/repositories`);
    if (response.status === 401) throw new UserTokenRejected("GitHub refused the user token");
    if (response.status === 403 || response.status === 404) return [];
    if (!response.ok) throw new Error(`GitHub answered GET /user/installations/${installationId}/repositories with HTTP ${response.status}`);
    const body = (await response.json()) as { repositories?: { full_name?: unknown }[] };
    const repositories = Array.isArray(body.repositories) ? body.repositories : [];
    for (const repository of repositories) {
      if (typeof repository.full_name === "string") names.push(repository.full_name.toLowerCase());
    }
    if (repositories.length < PER_PAGE) break;
  }
  return names;
}
