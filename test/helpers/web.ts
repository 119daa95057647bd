/**
 * The web handler (src/web/router.ts) served on loopback beside a fake GitHub for sign-in, and a
 * small browser: a cookie jar that follows the sign-in redirects by hand, so tests see every
 * hop (state cookie, callback, session cookie).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { StateStore } from "../../src/state/types.js";
import { webHandler } from "../../src/web/router.js";
import type { WebSettings } from "../../src/web/settings.js";
import { expect } from "@jest/globals";
import { FakeOAuthGitHub } from "./fake-oauth.js";
import type { FakeUser } from "./fake-oauth.js";

export const TEST_CLIENT = { clientId: "Iv1.testclient", clientSecret: "client-secret-for-tests" };
export const TEST_SESSION_SECRET = "a-session-secret-of-at-least-32-characters!";
export const TEST_API_TOKEN = "api-token-for-automation-tests";

export interface ServedWeb {
  readonly url: string;
  readonly github: FakeOAuthGitHub;
  readonly logs: { level: string; msg: string }[];
  readonly clock: { now: Date };
  close(): Promise<void>;
}

export async function serveWeb(store: StateStore, overrides: Partial<WebSettings> = {}, now = new Date("2026-03-31T12:00:00Z")): Promise<ServedWeb> {
  const github = new FakeOAuthGitHub({ ...TEST_CLIENT });
  await github.start();
  const logs: { level: string; msg: string }[] = [];
  const log = (level: string) => (_obj: object, msg?: string) => void logs.push({ level, msg: msg ?? "" });
  const clock = { now };
  const settings: WebSettings = {
    oauth: TEST_CLIENT,
    sessionSecret: TEST_SESSION_SECRET,
    apiToken: TEST_API_TOKEN,
    githubWebUrl: `http://${github.host}`,
    githubApiUrl: `http://${github.host}/api/v3`,
    accessCacheSeconds: 60,
    ...overrides,
  };
  const handle = webHandler({ store, settings, log: { info: log("info"), warn: log("warn"), error: log("error") }, now: () => clock.now });
  const server: Server = createServer((req, res) => {
    handle(req, res).then(
      (answered) => {
        if (!answered) res.writeHead(404).end("not ours");
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  github.options.callbackUrl = `${url}/dashboard/oauth/callback`;
  return {
    url,
    github,
    logs,
    clock,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await github.stop();
    },
  };
}

/** A browser signed in to `web` as `user` (the sign-in ends in a 303 to the dashboard). */
export async function signInAs(web: ServedWeb, user: FakeUser): Promise<Browser> {
  web.github.signInAs = user;
  const browser = new Browser(web.url);
  expect((await browser.signIn()).status).toBe(303);
  return browser;
}

/** A browser's cookie jar over fetch, redirects followed by hand. */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = new URL(path, this.base);
    const headers = new Headers(init.headers);
    if (url.origin === new URL(this.base).origin && this.cookies.size > 0) {
      headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    if (url.origin === new URL(this.base).origin) this.remember(response);
    return response;
  }

  remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** Sign-in as the fake GitHub's `signInAs` user: start, authorize, callback. Returns the callback's answer. */
  async signIn(returnTo = "/dashboard"): Promise<Response> {
    const start = await this.get(`/dashboard/sign-in?return=${encodeURIComponent(returnTo)}`);
    if (start.status !== 302) throw new Error(`sign-in start answered ${start.status}`);
    const authorize = await fetch(start.headers.get("location")!, { redirect: "manual" });
    if (authorize.status !== 302) throw new Error(`authorize answered ${authorize.status}`);
    return this.get(authorize.headers.get("location")!);
  }
}
