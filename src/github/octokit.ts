/**
 * The slice of Octokit that src/github uses, as a structural type: Probot's `context.octokit`,
 * @octokit/rest's `Octokit` and a hand-written fake all satisfy it. Response bodies are typed
 * `unknown` on purpose: they are external input, and each reader checks the fields it uses.
 *
 * Also the request plumbing shared by the readers and the publisher: page walking, status
 * codes, file contents.
 */

export interface GitHubResponse {
  readonly status: number;
  readonly data: unknown;
  readonly headers: { readonly link?: string | undefined };
}

type Repo = { owner: string; repo: string };
type Paged = { per_page?: number; page?: number };

/** Methods are declared with method syntax so Octokit's wider parameter types stay assignable. */
export interface GitHubClient {
  readonly rest: {
    readonly pulls: {
      get(params: Repo & { pull_number: number }): Promise<GitHubResponse>;
      listFiles(params: Repo & Paged & { pull_number: number }): Promise<GitHubResponse>;
      listReviews(params: Repo & Paged & { pull_number: number }): Promise<GitHubResponse>;
    };
    readonly checks: {
      listForRef(params: Repo & Paged & { ref: string; check_name?: string; filter?: "latest" | "all" }): Promise<GitHubResponse>;
      listAnnotations(params: Repo & Paged & { check_run_id: number }): Promise<GitHubResponse>;
      create(params: Repo & CheckRunWrite & { name: string; head_sha: string }): Promise<GitHubResponse>;
      update(params: Repo & CheckRunWrite & { check_run_id: number }): Promise<GitHubResponse>;
    };
    readonly repos: {
      getContent(params: Repo & { path: string; ref?: string; mediaType?: { format?: string } }): Promise<GitHubResponse>;
      getCombinedStatusForRef(params: Repo & Paged & { ref: string }): Promise<GitHubResponse>;
      codeownersErrors(params: Repo & { ref?: string }): Promise<GitHubResponse>;
      listCommits(params: Repo & Paged & { sha?: string; path?: string }): Promise<GitHubResponse>;
    };
    readonly git: {
      getTree(params: Repo & { tree_sha: string; recursive?: string }): Promise<GitHubResponse>;
    };
    readonly teams: {
      listMembersInOrg(params: Paged & { org: string; team_slug: string }): Promise<GitHubResponse>;
    };
    readonly issues: {
      listComments(params: Repo & Paged & { issue_number: number }): Promise<GitHubResponse>;
      createComment(params: Repo & { issue_number: number; body: string }): Promise<GitHubResponse>;
      updateComment(params: Repo & { comment_id: number; body: string }): Promise<GitHubResponse>;
      /** Alerts: the one issue per repository whose level dropped. */
      create?(params: Repo & { title: string; body: string; labels?: string[]; assignees?: string[] }): Promise<GitHubResponse>;
      update?(params: Repo & { issue_number: number; title?: string; body?: string; state?: "open" | "closed"; state_reason?: "completed" | "not_planned" }): Promise<GitHubResponse>;
      get?(params: Repo & { issue_number: number }): Promise<GitHubResponse>;
    };
    readonly dependabot: {
      listAlertsForRepo(params: Repo & { state?: string; per_page?: number; after?: string }): Promise<GitHubResponse>;
    };
    readonly codeScanning: {
      listAlertsForRepo(params: Repo & Paged & { state?: "open" }): Promise<GitHubResponse>;
    };
    readonly secretScanning: {
      listAlertsForRepo(params: Repo & Paged & { state?: "open"; hide_secret?: boolean }): Promise<GitHubResponse>;
    };
  };
}

// Type aliases, not interfaces: only aliases are assignable to Octokit's index-signed parameters.
export type AnnotationWrite = {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
};

export type CheckRunWrite = {
  status?: "in_progress" | "completed";
  conclusion?: "success" | "failure" | "neutral";
  completed_at?: string;
  details_url?: string;
  output?: { title: string; summary: string; text?: string; annotations?: AnnotationWrite[] };
};

export interface RepoCoordinates {
  readonly owner: string;
  readonly repo: string;
}

/** GitHub's page-size maximum for every list endpoint used here. */
export const PER_PAGE = 100;

/**
 * The HTTP status GitHub answered a failed request with; undefined when GitHub never answered
 * (Octokit reports a network failure as a 500 without a response) and for other errors.
 */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error) {
    const { status, response } = error as { status: unknown; response?: unknown };
    if (typeof status === "number" && response !== undefined) return status;
  }
  return undefined;
}

/**
 * Whether a 403/429 is GitHub's rate limit rather than a missing permission. Reads only the
 * response body's message, never the error message (Octokit's may carry request headers).
 */
export function isRateLimited(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 429) return true;
  if (status !== 403) return false;
  const response = (error as { response?: { data?: unknown; headers?: Record<string, unknown> } }).response;
  if (response?.headers?.["x-ratelimit-remaining"] === "0") return true;
  const data = response?.data;
  const message = typeof data === "object" && data !== null && "message" in data ? String((data as { message: unknown }).message) : "";
  return /rate limit/i.test(message);
}

/** The page numbers named by a Link header's rel="next" and rel="last". */
export function pageLinks(link: string | undefined): { next?: number; last?: number } {
  const found: { next?: number; last?: number } = {};
  if (!link) return found;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="(next|last)"/.exec(part.trim());
    if (!match) continue;
    const page = Number(new URL(match[1]!).searchParams.get("page"));
    if (!Number.isInteger(page) || page < 1) {
      throw new Error(`GitHub's pagination link has no page number: ${match[1]}`);
    }
    found[match[2] as "next" | "last"] = page;
  }
  return found;
}

export interface ListOptions {
  /** Stop after this many pages (GitHub caps some lists, e.g. 30 pages of pull request files). */
  readonly maxPages?: number;
  /** Called once per request made. */
  readonly onRequest?: () => void;
}

/**
 * Every item of a page-numbered list. The first page names the last one, so the remaining pages
 * are fetched together; without a "last" link the pages are walked one by one.
 */
export async function listAll<T>(
  fetchPage: (page: number) => Promise<GitHubResponse>,
  itemsOf: (data: unknown) => readonly T[],
  options: ListOptions = {},
): Promise<T[]> {
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  const get = async (page: number): Promise<GitHubResponse> => {
    options.onRequest?.();
    return fetchPage(page);
  };
  const first = await get(1);
  const items: T[] = [...itemsOf(first.data)];
  let links = pageLinks(first.headers.link);
  if (links.next === undefined) return items;
  if (links.last !== undefined && links.next === 2) {
    const last = Math.min(links.last, maxPages);
    const rest = await Promise.all(Array.from({ length: Math.max(0, last - 1) }, (_, i) => get(i + 2)));
    for (const response of rest) items.push(...itemsOf(response.data));
    return items;
  }
  let page = 1;
  while (links.next !== undefined && links.next <= maxPages && links.next > page) {
    page = links.next;
    const response = await get(page);
    items.push(...itemsOf(response.data));
    links = pageLinks(response.headers.link);
  }
  return items;
}

/**
 * Walks a list page by page and stops at the first item `match` accepts: the sticky comment is
 * usually on the first page, so later pages are never fetched.
 */
export async function findInPages<T>(
  fetchPage: (page: number) => Promise<GitHubResponse>,
  itemsOf: (data: unknown) => readonly T[],
  match: (item: T) => boolean,
  options: ListOptions = {},
): Promise<T | undefined> {
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  let page: number | undefined = 1;
  while (page !== undefined && page <= maxPages) {
    options.onRequest?.();
    const response = await fetchPage(page);
    const hit = itemsOf(response.data).find(match);
    if (hit !== undefined) return hit;
    const next = pageLinks(response.headers.link).next;
    page = next !== undefined && next > page ? next : undefined;
  }
  return undefined;
}

/** The contents API's limit for inline (base64) file content. */
export const INLINE_CONTENT_LIMIT = 1024 * 1024;

export type RepoFileRead =
  | { readonly kind: "file"; readonly content: string; readonly size: number }
  | { readonly kind: "missing" }
  | { readonly kind: "not-a-file"; readonly type: string }
  | { readonly kind: "too-large"; readonly size: number }
  | { readonly kind: "binary"; readonly size: number };

/**
 * One file at a ref (undefined: the default branch). A JSON contents request answers the size
 * and, up to 1 MB, the content in one request; a file between 1 MB and `maxBytes` takes a second,
 * raw request. A file over `maxBytes` is never downloaded. 404 is "missing".
 */
export async function readRepoFile(
  client: GitHubClient,
  repo: RepoCoordinates,
  path: string,
  ref: string | undefined,
  options: { maxBytes: number; onRequest?: () => void },
): Promise<RepoFileRead> {
  const params = { owner: repo.owner, repo: repo.repo, path, ...(ref === undefined ? {} : { ref }) };
  let response: GitHubResponse;
  try {
    options.onRequest?.();
    response = await client.rest.repos.getContent(params);
  } catch (error) {
    if (statusOf(error) === 404) return { kind: "missing" };
    throw error;
  }
  const data = response.data;
  if (Array.isArray(data)) return { kind: "not-a-file", type: "dir" };
  if (typeof data !== "object" || data === null) throw new Error(`unexpected answer from GitHub for ${path}`);
  const entry = data as { type?: unknown; size?: unknown; content?: unknown; encoding?: unknown };
  if (entry.type !== "file") return { kind: "not-a-file", type: typeof entry.type === "string" ? entry.type : "unknown" };
  const size = typeof entry.size === "number" ? entry.size : 0;
  if (size > options.maxBytes) return { kind: "too-large", size };
  let bytes: Uint8Array;
  if (entry.encoding === "base64" && typeof entry.content === "string") {
    bytes = Buffer.from(entry.content, "base64");
  } else {
    options.onRequest?.();
    const raw = await client.rest.repos.getContent({ ...params, mediaType: { format: "raw" } });
    bytes = bytesOf(raw.data);
  }
  if (bytes.includes(0)) return { kind: "binary", size };
  return { kind: "file", content: new TextDecoder("utf-8").decode(bytes), size };
}

/** A raw-media response body: Octokit gives text for utf-8 content types, an ArrayBuffer otherwise. */
export function bytesOf(data: unknown): Uint8Array {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new Error("unexpected raw content from GitHub");
}

/** Runs `work` over `items` with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** What a rel="next" link asks for: a page number, or a cursor (Dependabot alerts page by `after`). */
export type NextPage = { readonly page: number } | { readonly after: string };

/** The next page named by a Link header's rel="next"; undefined on the last page. */
export function nextPageOf(link: string | undefined): NextPage | undefined {
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part.trim());
    if (!match) continue;
    const params = new URL(match[1]!).searchParams;
    const after = params.get("after");
    if (after) return { after };
    const page = Number(params.get("page"));
    if (Number.isInteger(page) && page > 1) return { page };
    throw new Error(`GitHub's pagination link has neither a page number nor a cursor: ${match[1]}`);
  }
  return undefined;
}

/**
 * A list walked one page at a time by its rel="next" links, whatever they carry, for at most
 * `maxPages` requests. `complete` is false when GitHub had more pages than that.
 */
export async function listByNextLinks<T>(
  fetchPage: (next: NextPage | undefined) => Promise<GitHubResponse>,
  itemsOf: (data: unknown) => readonly T[],
  options: { readonly maxPages: number; readonly onRequest?: () => void },
): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let next: NextPage | undefined;
  for (let pages = 0; pages < options.maxPages; pages++) {
    options.onRequest?.();
    const response = await fetchPage(next);
    items.push(...itemsOf(response.data));
    next = nextPageOf(response.headers.link);
    if (next === undefined) return { items, complete: true };
  }
  return { items, complete: false };
}
