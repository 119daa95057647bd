/**
 * For tests that run the real server: a free port, the fake GitHub served over HTTP on
 * 127.0.0.1, and the environment that points the server at it.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeGitHub, throwawayPrivateKey } from "./app.js";

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface ServedFakeGitHub {
  readonly fake: FakeGitHub;
  readonly server: Server;
  readonly port: number;
}

/** A fake GitHub at http://127.0.0.1:{port}/api/v3, as GitHub Enterprise Server serves its API. */
export async function serveFakeGitHub(): Promise<ServedFakeGitHub> {
  const port = await freePort();
  const fake = new FakeGitHub(`http://127.0.0.1:${port}/api/v3`);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      const reply = fake.handle(req.method ?? "GET", req.url ?? "/", String(req.headers.accept ?? ""), text ? JSON.parse(text) : undefined);
      res.writeHead(reply.status, reply.headers);
      res.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { fake, server, port };
}

/** The server's environment in production mode, with the app's credentials, talking to the fake. */
export function serverEnv(options: { port: number; fakePort: number; secret: string }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    APP_ID: "4242",
    PRIVATE_KEY: throwawayPrivateKey(),
    WEBHOOK_SECRET: options.secret,
    PORT: String(options.port),
    HOST: "127.0.0.1",
    GHE_HOST: `127.0.0.1:${options.fakePort}`,
    GHE_PROTOCOL: "http",
    LOG_LEVEL: "warn",
    LOG_FORMAT: "json",
    // Each server starts with an empty store, and no reconciliation pass or scorecard sweep adds requests to a case.
    READINESS_RECONCILE_MINUTES: "0",
    READINESS_SCORECARD_INTERVAL_HOURS: "0",
    READINESS_DB_PATH: ":memory:",
    // The fake GitHub has no write limits: writes 20 ms apart instead of GitHub's one second.
    READINESS_GITHUB_WRITE_INTERVAL_MS: "20",
  };
}
