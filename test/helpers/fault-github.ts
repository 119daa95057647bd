/**
 * The stateful fake GitHub of test/helpers/app.ts served over HTTP on 127.0.0.1, as a real server
 * reaches it through GHE_HOST, with what the real API adds around the state: rate-limit headers
 * on every answer, ETags and 304 for conditional reads, and faults injected on a seeded fraction
 * of requests (server errors, 429, secondary and primary rate limits, hangs, connection resets).
 *
 * A fault is injected before the request reaches the state, so a failed write changed nothing.
 * The same request (method, path and query) is never failed more than `maxInARow` times in a
 * row: a client that retries transient failures always gets through.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FakeGitHub } from "./app.js";
import { prng } from "./prng.js";

export const FAULT_KINDS = ["500", "502", "503", "429", "secondary-rate-limit", "primary-rate-limit", "hang", "reset"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultPolicy {
  readonly seed: number;
  /** Fraction of requests answered with a fault, in [0, 1). */
  readonly rate: number;
  readonly kinds?: readonly FaultKind[];
  /** At most this many faults in a row for the same request (default 2). */
  readonly maxInARow?: number;
  /** How long a hanging request is held before its socket is destroyed (past any sane client timeout). */
  readonly hangMs?: number;
  /** retry-after for 429 and secondary limits, and how far the primary limit's reset lies ahead, in seconds. */
  readonly retryAfterSeconds?: number;
  /** Which requests may fail (default: all). */
  readonly applies?: (method: string, path: string) => boolean;
}

export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
  /** The fault injected, if any. */
  readonly fault?: FaultKind;
  /** What was answered (0 for a hang or a reset). */
  status: number;
}

const RATE_LIMIT = 5000;

export class FaultyGitHub {
  readonly fake: FakeGitHub;
  readonly served: ServedRequest[] = [];
  readonly faults: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  #policy: FaultPolicy | undefined;
  #random: () => number = () => 1;
  readonly #inARow = new Map<string, number>();
  readonly #sockets = new Set<Socket>();
  readonly #hangs = new Set<NodeJS.Timeout>();
  #inFlight = 0;
  #lastActivity = Date.now();
  #rateRemaining = RATE_LIMIT;
  /** Added before every answer, as a distant GitHub would (milliseconds; the benchmarks set it). */
  latencyMs = 0;

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {
    this.fake = new FakeGitHub(`http://127.0.0.1:${port}/api/v3`);
    server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => this.#serve(req, res));
  }

  static async start(): Promise<FaultyGitHub> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return new FaultyGitHub(server, (server.address() as AddressInfo).port);
  }

  /** GHE_HOST for a server that should reach this fake. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts (or, with undefined, stops) injecting faults. */
  inject(policy: FaultPolicy | undefined): void {
    this.#policy = policy;
    this.#random = policy ? prng(policy.seed) : () => 1;
    this.#inARow.clear();
  }

  get faultsInjected(): number {
    return Object.values(this.faults).reduce((a, b) => a + b, 0);
  }

  /** Requests received and not yet answered (hanging ones included). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Milliseconds since a request last arrived or was answered. */
  get idleMs(): number {
    return this.#inFlight > 0 ? 0 : Date.now() - this.#lastActivity;
  }

  async close(): Promise<void> {
    for (const timer of this.#hangs) clearTimeout(timer);
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #serve(req: IncomingMessage, res: ServerResponse): void {
    this.#inFlight++;
    this.#lastActivity = Date.now();
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      this.#inFlight--;
      this.#lastActivity = Date.now();
    };
    res.once("close", settle);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (this.latencyMs > 0) setTimeout(() => this.#answer(req, res, chunks), this.latencyMs);
      else this.#answer(req, res, chunks);
    });
  }

  #answer(req: IncomingMessage, res: ServerResponse, chunks: readonly Buffer[]): void {
    {
      const method = req.method ?? "GET";
      const url = new URL(req.url ?? "/", "http://fake.invalid");
      const record: ServedRequest = { method, path: url.pathname, at: Date.now(), status: 0 };
      const fault = this.#pickFault(method, url);
      if (fault) {
        this.faults[fault]++;
        this.served.push({ ...record, fault });
        this.#answerFault(fault, res, this.served[this.served.length - 1]!);
        return;
      }
      this.served.push(record);
      const text = Buffer.concat(chunks).toString();
      let body: Record<string, unknown> | undefined;
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      } catch {
        record.status = 400;
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: "Problems parsing JSON" }));
        return;
      }
      const reply = this.fake.handle(method, req.url ?? "/", String(req.headers.accept ?? ""), body);
      const payload = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
      const headers: Record<string, string> = { ...reply.headers, ...this.#rateHeaders() };
      if (method === "GET" && reply.status === 200) {
        const etag = `W/"${createHash("sha1").update(payload).digest("hex")}"`;
        headers.etag = etag;
        if (req.headers["if-none-match"] === etag) {
          record.status = 304;
          res.writeHead(304, headers);
          res.end();
          return;
        }
      }
      this.#rateRemaining = Math.max(1, this.#rateRemaining - 1);
      record.status = reply.status;
      res.writeHead(reply.status, headers);
      res.end(payload);
    }
  }

  #pickFault(method: string, url: URL): FaultKind | undefined {
    const policy = this.#policy;
    if (!policy || (policy.applies && !policy.applies(method, url.pathname))) return undefined;
    const key = `${method} ${url.pathname}?${[...url.searchParams].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join("&")}`;
    const draw = this.#random();
    const kindDraw = this.#random();
    const inARow = this.#inARow.get(key) ?? 0;
    if (draw >= policy.rate || inARow >= (policy.maxInARow ?? 2)) {
      this.#inARow.delete(key);
      return undefined;
    }
    this.#inARow.set(key, inARow + 1);
    const kinds = policy.kinds ?? FAULT_KINDS;
    return kinds[Math.floor(kindDraw * kinds.length)]!;
  }

  #answerFault(fault: FaultKind, res: ServerResponse, record: ServedRequest): void {
    const seconds = this.#policy?.retryAfterSeconds ?? 1;
    const json = (status: number, message: string, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...this.#rateHeaders(), ...headers });
      res.end(JSON.stringify({ message, documentation_url: "https://docs.github.com/rest" }));
    };
    switch (fault) {
      case "500":
      case "502":
      case "503":
        return json(Number(fault), fault === "500" ? "Server Error" : fault === "502" ? "Bad Gateway" : "Service Unavailable");
      case "429":
        return json(429, "Too many requests", { "retry-after": String(seconds) });
      case "secondary-rate-limit":
        return json(403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", { "retry-after": String(seconds) });
      case "primary-rate-limit":
        return json(403, "API rate limit exceeded for installation ID 31337.", {
          "x-ratelimit-limit": String(RATE_LIMIT),
          "x-ratelimit-remaining": "0",
          "x-ratelimit-used": String(RATE_LIMIT),
          "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + seconds),
          "x-ratelimit-resource": "core",
        });
      case "reset":
        res.socket?.destroy();
        return;
      case "hang": {
        const timer = setTimeout(() => {
          this.#hangs.delete(timer);
          res.socket?.destroy();
        }, this.#policy?.hangMs ?? 20_000);
        this.#hangs.add(timer);
        return;
      }
    }
  }

  #rateHeaders(): Record<string, string> {
    return {
      "x-ratelimit-limit": String(RATE_LIMIT),
      "x-ratelimit-remaining": String(this.#rateRemaining),
      "x-ratelimit-used": String(RATE_LIMIT - this.#rateRemaining),
      "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 3600),
      "x-ratelimit-resource": "core",
    };
  }
}
