/**
 * GitHub's side of "Sign in with GitHub" on loopback, as the dashboard reaches it through
 * GHE_HOST: the authorize page (which signs in whichever user the test chose and returns to the
 * callback), the code exchange, GET /user and GET /user/installations/{id}/repositories.
 * Codes are single-use and bound to the client; tokens are opaque and revocable.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeUser {
  readonly id: number;
  readonly login: string;
  /** installation id → repositories (`owner/name`) the user reaches through it. */
  readonly repositories: ReadonlyMap<number, readonly string[]>;
}

export interface FakeOAuthOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Where the authorize page sends the browser back when no redirect_uri is given. */
  callbackUrl?: string;
}

export class FakeOAuthGitHub {
  readonly requests: { method: string; path: string; authorization?: string }[] = [];
  /** Who the next visit to the authorize page signs in as. */
  signInAs: FakeUser | undefined;
  readonly #codes = new Map<string, FakeUser>();
  readonly #tokens = new Map<string, FakeUser>();
  #server: Server | undefined;
  port = 0;

  constructor(readonly options: FakeOAuthOptions) {}

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Revokes every token issued (the user removed the app's authorisation). */
  revokeAll(): void {
    this.#tokens.clear();
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", `http://${this.host}`);
      this.requests.push({ method: req.method ?? "GET", path: url.pathname + url.search, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const reply = this.#handle(req.method ?? "GET", url, req.headers.authorization, Buffer.concat(chunks).toString());
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.#server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  #handle(method: string, url: URL, authorization: string | undefined, body: string): { status: number; body?: unknown; headers?: Record<string, string> } {
    if (method === "GET" && url.pathname === "/login/oauth/authorize") {
      if (url.searchParams.get("client_id") !== this.options.clientId) return { status: 404, body: { error: "unknown client" } };
      const back = new URL(url.searchParams.get("redirect_uri") ?? this.options.callbackUrl ?? "");
      if (!this.signInAs) {
        back.searchParams.set("error", "access_denied");
      } else {
        const code = randomBytes(10).toString("hex");
        this.#codes.set(code, this.signInAs);
        back.searchParams.set("code", code);
      }
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      return { status: 302, headers: { location: back.toString() } };
    }
    if (method === "POST" && url.pathname === "/login/oauth/access_token") {
      const form = new URLSearchParams(body);
      const user = this.#codes.get(form.get("code") ?? "");
      if (form.get("client_id") !== this.options.clientId || form.get("client_secret") !== this.options.clientSecret || !user) {
        return { status: 200, body: { error: "bad_verification_code", error_description: "The code passed is incorrect or expired." } };
      }
      this.#codes.delete(form.get("code")!);
      const token = `ghu_${randomBytes(18).toString("hex")}`;
      this.#tokens.set(token, user);
      return { status: 200, body: { access_token: token, token_type: "bearer", expires_in: 28_800, scope: "" } };
    }
    const user = this.#tokens.get((authorization ?? "").replace(/^(Bearer|token)\s+/i, ""));
    if (url.pathname.startsWith("/api/v3/") && !user) return { status: 401, body: { message: "Bad credentials" } };
    if (method === "GET" && url.pathname === "/api/v3/user") return { status: 200, body: { id: user!.id, login: user!.login } };
    const installation = /^\/api\/v3\/user\/installations\/(\d+)\/repositories$/.exec(url.pathname);
    if (method === "GET" && installation) {
      const names = user!.repositories.get(Number(installation[1]));
      if (!names) return { status: 404, body: { message: "Not Found" } };
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const slice = names.slice((page - 1) * perPage, page * perPage);
      return { status: 200, body: { total_count: names.length, repositories: slice.map((full_name) => ({ full_name })) } };
    }
    return { status: 404, body: { message: "Not Found" } };
  }
}
