/**
 * What stands in front of the webhook route. A signature can only be checked once the whole body
 * has arrived, so until then a request is anyone's: its body is read only up to GitHub's own
 * payload limit, only so many are read at once, and only for so long. A signed body is then
 * checked for the shape its event must have, so a malformed delivery is refused with 400 before
 * Probot dispatches it (Probot would answer any handler error with 500 and a stack trace).
 *
 * Everything else (other routes, missing headers, a wrong signature, invalid JSON) goes to the
 * webhook route unchanged, which answers as it always has.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** GitHub caps webhook payloads at 25 MB and does not deliver larger ones. */
export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;
/** Bodies being read at once: the memory an unauthenticated sender can hold is this × the cap. */
export const MAX_CONCURRENT_WEBHOOK_READS = 4;
/** GitHub gives up on a delivery after 10 s; a body that takes longer is not GitHub's. */
export const WEBHOOK_READ_TIMEOUT_MS = 10_000;

/** A Probot server handler: true when it answered the request. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface EdgeLog {
  warn(message: string): void;
}

export interface WebhookEdgeOptions {
  /** The webhook route's path, e.g. /api/github/webhooks. */
  readonly path: string;
  /** True when the body is signed with the webhook secret. */
  verify(body: string, signature: string): Promise<boolean>;
  /** Why a signed payload of this event cannot be handled, on one line, or undefined. */
  payloadProblem(event: string, payload: unknown): string | undefined;
  readonly log: EdgeLog;
  readonly maxBodyBytes?: number;
  readonly maxConcurrentReads?: number;
  readonly readTimeoutMs?: number;
}

type BodyRead = { kind: "body"; text: string } | { kind: "too-large"; bytes: number } | { kind: "timeout" } | { kind: "aborted" };

const SIGNATURE_HEADER = "x-hub-signature-256";

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, "") || "/";
}

function pathOf(req: IncomingMessage): string | undefined {
  try {
    return trimSlashes(new URL(req.url ?? "/", "http://localhost").pathname);
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** A header the sender chose, as a log may show it. */
const LOGGED_HEADER_MAX = 80;
function shown(value: string | undefined): string {
  if (value === undefined) return "(none)";
  return value.length > LOGGED_HEADER_MAX ? `${value.slice(0, LOGGED_HEADER_MAX)}…` : value;
}

/**
 * After a refusal, what is left of the body is discarded for at most this long before the
 * connection is closed. Closing at once, with the sender still sending, resets the connection,
 * and the sender may never read the answer.
 */
export const LINGER_MS = 2_000;

/** Answers; the rest of an unread body is never kept, and never read for longer than LINGER_MS. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}): boolean {
  const body = JSON.stringify({ error });
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers });
  res.end(body);
  if (!req.complete) {
    const socket = req.socket;
    const close = setTimeout(() => socket.destroy(), LINGER_MS);
    close.unref();
    const keep = (): void => clearTimeout(close);
    req.once("end", keep);
    socket.once("close", keep);
    req.resume();
  }
  return true;
}

function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const finish = (result: BodyRead): void => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("close", onAbort);
      chunks.length = 0;
      if (result.kind !== "body") req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > maxBytes) finish({ kind: "too-large", bytes });
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: "body", text: Buffer.concat(chunks, bytes).toString("utf8") });
    const onAbort = (): void => finish({ kind: "aborted" });
    const timer = setTimeout(() => finish({ kind: "timeout" }), timeoutMs);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("close", onAbort);
  });
}

/** The webhook route behind the edge: `inner` is Probot's webhook middleware. */
export function webhookEdge(inner: HttpHandler, options: WebhookEdgeOptions): HttpHandler {
  const path = trimSlashes(options.path);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
  const maxReads = options.maxConcurrentReads ?? MAX_CONCURRENT_WEBHOOK_READS;
  const timeoutMs = options.readTimeoutMs ?? WEBHOOK_READ_TIMEOUT_MS;
  const limit = `${maxBodyBytes} bytes (GitHub sends at most 25 MB)`;
  let reading = 0;

  return async (req, res) => {
    if (req.method !== "POST" || pathOf(req) !== path || header(req, SIGNATURE_HEADER) === undefined) return inner(req, res);
    const declared = Number(header(req, "content-length") ?? "0");
    if (declared > maxBodyBytes) {
      options.log.warn(`webhook body refused: Content-Length ${declared} is over ${limit}`);
      return refuse(req, res, 413, `payload too large: over ${limit}`);
    }
    if (reading >= maxReads) {
      options.log.warn(`webhook body refused: ${reading} bodies already being read`);
      return refuse(req, res, 503, "too many deliveries arriving at once; retry shortly", { "retry-after": "1" });
    }
    reading += 1;
    let read: BodyRead;
    try {
      read = await readBody(req, maxBodyBytes, timeoutMs);
    } finally {
      reading -= 1;
    }
    switch (read.kind) {
      case "aborted":
        return true;
      case "timeout":
        options.log.warn(`webhook body refused: not received within ${timeoutMs} ms`);
        return refuse(req, res, 408, `the body did not arrive within ${timeoutMs} ms`);
      case "too-large":
        options.log.warn(`webhook body refused: over ${limit}`);
        return refuse(req, res, 413, `payload too large: over ${limit}`);
    }
    // Probot's webhook middleware takes a string body as already read.
    (req as IncomingMessage & { body?: string }).body = read.text;
    const event = header(req, "x-github-event");
    if (event !== undefined && (await options.verify(read.text, header(req, SIGNATURE_HEADER)!).catch(() => false))) {
      let payload: unknown;
      try {
        payload = JSON.parse(read.text);
      } catch {
        return inner(req, res);
      }
      const problem = options.payloadProblem(event, payload);
      if (problem !== undefined) {
        options.log.warn(`malformed ${shown(event)} delivery ${shown(header(req, "x-github-delivery"))} refused: ${problem}`);
        return refuse(req, res, 400, `malformed ${shown(event)} payload: ${problem}`);
      }
    }
    return inner(req, res);
  };
}
