/**
 * What the dashboard, the scorecard API and the badges are configured with, read once from the
 * environment. Nothing is public by default: without OAuth the dashboard only explains how to
 * configure it, without READINESS_API_TOKEN the API answers only signed-in people.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** Session and badge keys are derived from this; shorter secrets are guessable offline. */
export const MIN_SESSION_SECRET_LENGTH = 32;
/** How long a person's list of repositories (read from GitHub at sign-in) is trusted. */
export const DEFAULT_ACCESS_CACHE_SECONDS = 60;

export interface WebSettings {
  /** The GitHub App's OAuth client (GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, as Probot names them). */
  readonly oauth?: { readonly clientId: string; readonly clientSecret: string };
  /** READINESS_SESSION_SECRET: seals session cookies and signs private badge tokens. */
  readonly sessionSecret?: string;
  /** READINESS_API_TOKEN: the bearer token automation reads the API with. */
  readonly apiToken?: string;
  /** Where people sign in: https://github.com, or the GitHub Enterprise Server (GHE_HOST). */
  readonly githubWebUrl: string;
  /** The REST API of the same GitHub. */
  readonly githubApiUrl: string;
  /** READINESS_PUBLIC_URL: the address people reach the app at (the OAuth callback, secure cookies). */
  readonly publicUrl?: string;
  readonly accessCacheSeconds: number;
}

/** Why the dashboard cannot run with these settings (shown on its 401 page and logged at start), or undefined. */
export function dashboardProblem(settings: WebSettings): string | undefined {
  if (!settings.oauth) {
    return "Sign-in with GitHub is not configured: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET to the GitHub App's client ID and a client secret (GitHub: Settings → Developer settings → GitHub Apps → the app → General), and its Callback URL to <this app's address>/dashboard/oauth/callback.";
  }
  if (!settings.sessionSecret) {
    return `READINESS_SESSION_SECRET is not set: the dashboard does not start without it. Set it to a random value of at least ${MIN_SESSION_SECRET_LENGTH} characters (for example \`openssl rand -hex 32\`); it seals sign-in cookies and signs private badge links.`;
  }
  if (settings.sessionSecret.length < MIN_SESSION_SECRET_LENGTH) {
    return `READINESS_SESSION_SECRET is too short (${settings.sessionSecret.length} characters): the dashboard does not start with it. Use at least ${MIN_SESSION_SECRET_LENGTH} random characters (for example \`openssl rand -hex 32\`).`;
  }
  return undefined;
}

function trimmedFromEnv(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function webSettingsFromEnv(env: Env): WebSettings {
  const clientId = trimmedFromEnv(env, "GITHUB_CLIENT_ID");
  const clientSecret = trimmedFromEnv(env, "GITHUB_CLIENT_SECRET");
  const host = trimmedFromEnv(env, "GHE_HOST");
  const protocol = trimmedFromEnv(env, "GHE_PROTOCOL") ?? "https";
  const cacheSeconds = Number(trimmedFromEnv(env, "READINESS_ACCESS_CACHE_SECONDS") ?? DEFAULT_ACCESS_CACHE_SECONDS);
  if (!Number.isInteger(cacheSeconds) || cacheSeconds < 0) {
    throw new Error(`READINESS_ACCESS_CACHE_SECONDS must be a whole number of seconds (0 or more), got ${JSON.stringify(env.READINESS_ACCESS_CACHE_SECONDS)}`);
  }
  const publicUrl = trimmedFromEnv(env, "READINESS_PUBLIC_URL")?.replace(/\/+$/, "");
  if (publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw new Error(`READINESS_PUBLIC_URL must be an http(s) address such as https://readiness.example.com, got ${JSON.stringify(publicUrl)}`);
  }
  return {
    ...(clientId && clientSecret ? { oauth: { clientId, clientSecret } } : {}),
    ...(trimmedFromEnv(env, "READINESS_SESSION_SECRET") ? { sessionSecret: trimmedFromEnv(env, "READINESS_SESSION_SECRET") } : {}),
    ...(trimmedFromEnv(env, "READINESS_API_TOKEN") ? { apiToken: trimmedFromEnv(env, "READINESS_API_TOKEN") } : {}),
    githubWebUrl: host ? `${protocol}://${host}` : "https://github.com",
    githubApiUrl: host ? `${protocol}://${host}/api/v3` : "https://api.github.com",
    ...(publicUrl ? { publicUrl } : {}),
    accessCacheSeconds: cacheSeconds,
  };
}
