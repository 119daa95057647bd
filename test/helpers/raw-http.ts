/**
 * An HTTP POST over a plain TCP socket, for tests that send bodies a server should refuse while
 * they are still arriving. node:http's client is no use for that here: nock, once loaded in a
 * Jest worker, intercepts it for every later test file, and its socket reports a write error on
 * a connection the server answered and closed instead of the answer.
 */
import { connect } from "node:net";

export interface RawAnswer {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Body bytes written when the answer's head arrived. */
  readonly sentBeforeAnswer: number;
}

export interface RawBody {
  /** Hands a piece of body to the socket; false when the socket wants a pause (or the answer came). */
  write(chunk: Buffer): boolean;
  end(): void;
  answered(): boolean;
}

export interface RawPost {
  readonly port: number;
  readonly path: string;
  /** Sent as given; without content-length the body is sent chunked. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Writes the body. May return a function to call again when the socket drains (after `write`
   * returned false); writing after the answer came is ignored.
   */
  readonly body: (out: RawBody) => void | (() => void);
}

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine = "", ...lines] = head.split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers };
}

export function rawPost(request: RawPost): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: request.port });
    const chunked = !Object.keys(request.headers).some((name) => name.toLowerCase() === "content-length");
    let sent = 0;
    let sentBeforeAnswer = -1;
    let received = Buffer.alloc(0);
    let head: { status: number; headers: Record<string, string>; bodyStart: number } | undefined;
    let settled = false;

    const bodyOf = (raw: Buffer, isChunked: boolean): string => {
      if (!isChunked) return raw.toString("utf8");
      const pieces: Buffer[] = [];
      for (let at = 0; ; ) {
        const lineEnd = raw.indexOf("\r\n", at);
        const size = lineEnd < 0 ? 0 : parseInt(raw.subarray(at, lineEnd).toString("latin1"), 16);
        if (!size) break;
        pieces.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      return Buffer.concat(pieces).toString("utf8");
    };
    const finish = (): void => {
      if (settled || !head) return;
      settled = true;
      socket.destroy();
      const isChunked = head.headers["transfer-encoding"] === "chunked";
      resolve({ status: head.status, headers: head.headers, body: bodyOf(received.subarray(head.bodyStart), isChunked), sentBeforeAnswer });
    };
    socket.on("data", (data: Buffer) => {
      received = Buffer.concat([received, data]);
      if (!head) {
        const end = received.indexOf("\r\n\r\n");
        if (end < 0) return;
        head = { ...parseHead(received.subarray(0, end).toString("latin1")), bodyStart: end + 4 };
        sentBeforeAnswer = sent;
      }
      const length = head.headers["content-length"];
      if (length !== undefined && received.length - head.bodyStart >= Number(length)) finish();
      else if (head.headers["transfer-encoding"] === "chunked" && received.subarray(head.bodyStart).toString("latin1").endsWith("0\r\n\r\n")) finish();
    });
    socket.on("end", finish);
    socket.on("close", () => {
      finish();
      if (!settled) {
        settled = true;
        reject(new Error("the server closed the connection without an answer"));
      }
    });
    socket.on("error", (error) => {
      // A server that answered may close while the body is still going out.
      if (head) finish();
      else if (!settled) {
        settled = true;
        reject(error);
      }
    });

    const lines = [`POST ${request.path} HTTP/1.1`, `host: 127.0.0.1:${request.port}`, ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`)];
    if (chunked) lines.push("transfer-encoding: chunked");
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);

    const out: RawBody = {
      write(chunk) {
        if (head || socket.destroyed) return false;
        sent += chunk.length;
        const framed = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]) : chunk;
        return socket.write(framed);
      },
      end() {
        if (chunked && !head && !socket.destroyed) socket.write("0\r\n\r\n");
      },
      answered: () => head !== undefined,
    };
    const resume = request.body(out);
    if (resume) {
      socket.on("drain", resume);
      resume();
    }
  });
}
