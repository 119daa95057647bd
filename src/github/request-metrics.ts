/**
 * Reports every GitHub request an Octokit makes to the metrics sink: its route class and final
 * status (after plugin-retry and plugin-throttling, which run inside the wrapped request), and
 * the rate limit GitHub says is left for whoever made it.
 */
import type { MetricsSink } from "../ops/metrics.js";

interface RequestOptions {
  readonly method?: string;
  readonly url?: string;
}
interface HookedResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | number | undefined>>;
}
type Request = (options: RequestOptions) => Promise<HookedResponse>;
interface Hookable {
  readonly hook?: { wrap?: (name: "request", wrapper: (request: Request, options: RequestOptions) => Promise<HookedResponse>) => void };
}

const RESOURCE = /^[a-z][a-z_-]{0,39}$/;

/**
 * The class of a request: its method and the resource it names, e.g. `GET pulls`, `POST check-runs`,
 * `GET app`. Under /repos/{owner}/{repo}/ the resource is the segment after the repository; a path
 * this cannot read is `other`. Both route templates ("/repos/{owner}/{repo}/pulls") and full URLs
 * (pagination's next links) are understood.
 */
export function routeClass(method: string | undefined, url: string | undefined): string {
  let path = url ?? "";
  try {
    if (/^https?:\/\//.test(path)) path = new URL(path).pathname;
  } catch {
    path = "";
  }
  path = path.split("?")[0]!.replace(/^\/api\/v3(?=\/)/, "");
  const segments = path.split("/").filter((segment) => segment !== "");
  const resource = segments[0] === "repos" ? segments[3] ?? "repository" : segments[0];
  const verb = /^(GET|POST|PATCH|PUT|DELETE|HEAD)$/.test((method ?? "GET").toUpperCase()) ? (method ?? "GET").toUpperCase() : "OTHER";
  return `${verb} ${resource !== undefined && RESOURCE.test(resource) ? resource : "other"}`;
}

function header(response: HookedResponse | undefined, name: string): number | undefined {
  const value = response?.headers?.[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

const measured = new WeakMap<MetricsSink, WeakSet<object>>();

/**
 * Wraps `octokit`'s requests (once per client and sink) so each
 * request is counted and its rate limit noted under `installation` ("app" for the app's own).
 * A client without hooks (a test's hand-written fake) is returned as it is.
 */
export function measureRequests<T>(octokit: T, sink: MetricsSink, installation: string): T {
  const hook = (octokit as Hookable).hook;
  if (!hook?.wrap) return octokit;
  // The app's own client is one shared instance: wrap it once per sink.
  let seen = measured.get(sink);
  if (!seen) measured.set(sink, (seen = new WeakSet()));
  if (seen.has(octokit as object)) return octokit;
  seen.add(octokit as object);
  hook.wrap("request", async (request, options) => {
    const route = routeClass(options.method, options.url);
    try {
      const response = await request(options);
      sink.githubRequest(route, String(response.status ?? "unknown"));
      const remaining = header(response, "x-ratelimit-remaining");
      if (remaining !== undefined) sink.rateLimitRemaining(installation, remaining);
      return response;
    } catch (error) {
      const failed = error as { status?: unknown; response?: HookedResponse };
      sink.githubRequest(route, typeof failed.status === "number" && failed.status > 0 ? String(failed.status) : "error");
      const remaining = header(failed.response, "x-ratelimit-remaining");
      if (remaining !== undefined) sink.rateLimitRemaining(installation, remaining);
      throw error;
    }
  });
  return octokit;
}
