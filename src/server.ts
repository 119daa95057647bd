/**
 * `npm start`: the app behind Probot's own server and environment handling (APP_ID,
 * PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, GHE_HOST and GHE_PROTOCOL, PORT,
 * HOST, LOG_LEVEL, LOG_FORMAT, REDIS_URL; a `.env` file overrides them). Without credentials,
 * outside production, it serves Probot's registration page built from app.yml.
 *
 * The one thing added to Probot's defaults is the log: Probot's format, with redaction. On a
 * badly signed delivery, and on any handler error, Probot logs the error with the delivery
 * attached (the whole payload and its signature); Octokit errors carry the request and the
 * response. Those, and credentials, are censored here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseEnv } from "node:util";
import { getTransformStream } from "@probot/pino";
import { pino } from "pino";
import type { DestinationStream, Logger } from "pino";
import { ProbotOctokit, run } from "probot";
import { requestOptions, requestPolicyFromEnv } from "./github/requests.js";
import app, { stopReadiness } from "./index.js";

/** Paths outside errors where payloads and credentials appear in what Probot and pino-http log. */
export const REDACTED_LOG_PATHS: readonly string[] = [
  // Probot's "Webhook received" debug line.
  "event.payload",
  "payload",
  // pino-http's request line.
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  "req.headers.authorization",
  "req.headers.cookie",
];

export const REDACTED = "[redacted]";

/** Keys whose values never reach the log, wherever they sit inside a logged error. */
const SECRET_KEYS: ReadonlySet<string> = new Set(["payload", "signature", "authorization", "body", "data"]);
const MAX_SCRUB_DEPTH = 8;

/**
 * A copy of a serialized error without payloads, signatures, credentials or response bodies.
 * Errors nest deliveries at varying depths (an AggregateError's `event` is itself an error whose
 * `event` is the delivery), so this walks the structure instead of listing paths. The original
 * objects are never modified: a delivery's payload may still be in use.
 */
export function scrubError(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_SCRUB_DEPTH) return "[deep]";
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrubError(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_KEYS.has(key.toLowerCase()) && item !== undefined ? REDACTED : scrubError(item, depth + 1, seen);
  }
  return copy;
}

const errSerializer = (error: unknown): unknown => scrubError(pino.stdSerializers.err(error as Error));

type Env = Readonly<Record<string, string | undefined>>;

/** Probot's logger, as Probot builds it from the same variables, with redaction. */
export async function createLog(env: Env, destination: DestinationStream | NodeJS.WritableStream = pino.destination(1)): Promise<Logger> {
  const logFormat = env.LOG_FORMAT ? (env.LOG_FORMAT === "pretty" ? "pretty" : "json") : env.NODE_ENV === "production" ? "json" : "pretty";
  const transform = await getTransformStream({
    logFormat,
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    ...(env.SENTRY_DSN ? { sentryDsn: env.SENTRY_DSN } : {}),
  });
  transform.pipe(destination as NodeJS.WritableStream);
  return pino(
    {
      name: "probot",
      level: env.LOG_LEVEL || "info",
      messageKey: env.LOG_MESSAGE_KEY || "msg",
      redact: { paths: [...REDACTED_LOG_PATHS], censor: REDACTED },
      serializers: { err: errSerializer },
    },
    transform,
  );
}

/**
 * Why the server must not start, or undefined. Without WEBHOOK_SECRET Probot checks signatures
 * against its public default secret ("development"), so anyone who can reach the endpoint could
 * forge deliveries: a merge group naming a ready pull request would put its passing verdict on
 * any commit. Only the registration page (no APP_ID yet) runs without one.
 */
export function startupProblem(env: Env): string | undefined {
  if (!env.APP_ID?.trim() || env.WEBHOOK_SECRET?.trim()) return undefined;
  return (
    "WEBHOOK_SECRET is not set: without it Probot would accept deliveries signed with its public default secret, so anyone could forge GitHub events. " +
    "Set it to the app's webhook secret (GitHub: Settings → Developer settings → GitHub Apps → the app → Webhook secret)."
  );
}

/** Probot's rule: variables in ./.env override the environment. */
function applyDotEnv(cwd: string): void {
  let text: string;
  try {
    text = readFileSync(join(cwd, ".env"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  Object.assign(process.env, parseEnv(text));
}

export async function main(): Promise<void> {
  applyDotEnv(process.cwd());
  const problem = startupProblem(process.env);
  if (problem) throw new Error(problem);
  const log = await createLog(process.env);
  // Timeouts, retries and rate-limit waits for every GitHub request (src/github/requests.ts).
  const Octokit = ProbotOctokit.defaults(requestOptions(requestPolicyFromEnv(process.env)) as never) as typeof ProbotOctokit;
  const server = await run(app, { log, Octokit });
  // Probot stops on SIGINT only; containers are stopped with SIGTERM. Jobs in flight finish
  // within READINESS_SHUTDOWN_GRACE_MS before the server closes.
  process.once("SIGTERM", () => {
    stopReadiness().then(() => server.stop()).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "error while stopping the server");
        process.exit(1);
      },
    );
  });
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
