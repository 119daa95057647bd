/**
 * Shared setup for the app and end-to-end tests: a fake GitHub (state plus the REST endpoints
 * the bot uses, recording every request), served through nock for `probot.receive` tests or
 * through node:http for the real server; real webhook payloads from @octokit/webhooks-examples;
 * a throwaway app key; a Probot instance whose log is captured.
 */
import { generateKeyPairSync } from "node:crypto";
import { createRequire } from "node:module";
import { Writable } from "node:stream";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { readinessApp } from "../../src/index.js";
import type { ReadinessService, ServiceOptions } from "../../src/index.js";
import type { AppSettings } from "../../src/github/evaluate-pull.js";
import type { StateStore } from "../../src/state/types.js";

export const APP_ID = 4242;
export const APP_SLUG = "readiness-test";
export const INSTALLATION_ID = 31337;
export const OWNER = "acme";
export const REPO = "shop";
export const BASE_SHA = "b".repeat(40);
export const HEAD_SHA = "a".repeat(40);
/**
 * A repository with its own configuration also reads the organisation baseline (for its locked
 * rules) on a cold evaluation: acme has no `.github` repository in the fake, so both paths miss.
 */
export const ORG_BASELINE_READS: readonly string[] = ["GET /repos/acme/.github/contents/.readiness.yml", "GET /repos/acme/.github/contents/.github%2Freadiness.yml"];

export function throwawayPrivateKey(): string {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  return privateKey;
}

// ---------------------------------------------------------------------------------------------
// Payloads

const require = createRequire(import.meta.url);
const definitions = require("@octokit/webhooks-examples") as WebhookDefinition[];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A deep copy of one of GitHub's captured payloads for this event (and action), moved to
 * acme/shop and given an installation.
 */
export function examplePayload(name: string, action?: string, pick: (example: Json) => boolean = () => true): Json {
  const definition = definitions.find((d) => d.name === name);
  if (!definition) throw new Error(`no webhook example for ${name}`);
  const example = (definition.examples as Json[]).find((e) => (action === undefined || e.action === action) && pick(e));
  if (!example) throw new Error(`no webhook example for ${name}.${action}`);
  const payload = structuredClone(example);
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  if (payload.repository) {
    payload.repository.name = REPO;
    payload.repository.full_name = `${OWNER}/${REPO}`;
    payload.repository.owner.login = OWNER;
  }
  return payload;
}

export interface PullShape {
  readonly number?: number;
  readonly title?: string;
  readonly body?: string;
  readonly author?: string;
  readonly baseSha?: string;
  readonly headSha?: string;
  readonly baseRef?: string;
  readonly headRef?: string;
  readonly labels?: readonly string[];
  readonly draft?: boolean;
  readonly changedFiles?: number;
}

/** Sets the fields the bot reads on a pull-request object from a payload or the fake's store. */
export function shapePull(pull: Json, shape: PullShape = {}): Json {
  pull.number = shape.number ?? 7;
  pull.title = shape.title ?? "Add the cart service";
  pull.body = shape.body ?? "Adds a cart.";
  pull.user = { ...(pull.user ?? {}), login: shape.author ?? "alice", type: "User" };
  pull.draft = shape.draft ?? false;
  pull.state = "open";
  pull.labels = (shape.labels ?? []).map((name, i) => ({ id: i + 1, name, color: "ededed", default: false }));
  pull.base = { ...(pull.base ?? {}), ref: shape.baseRef ?? "main", sha: shape.baseSha ?? BASE_SHA };
  pull.head = { ...(pull.head ?? {}), ref: shape.headRef ?? "feature/cart", sha: shape.headSha ?? HEAD_SHA };
  if (shape.changedFiles !== undefined) pull.changed_files = shape.changedFiles;
  return pull;
}

export function pullRequestEvent(action: string, shape: PullShape = {}): Json {
  const payload = examplePayload("pull_request", action);
  shapePull(payload.pull_request, shape);
  payload.number = payload.pull_request.number;
  return payload;
}

export function reviewEvent(action: string, review: { user: string; state: string; id?: number }, shape: PullShape = {}): Json {
  const payload = examplePayload("pull_request_review", action);
  shapePull(payload.pull_request, shape);
  delete payload.pull_request.changed_files;
  payload.review.id = review.id ?? 9001;
  payload.review.user = { ...payload.review.user, login: review.user };
  payload.review.state = review.state;
  payload.review.commit_id = shape.headSha ?? HEAD_SHA;
  return payload;
}

/** The CI app whose check runs the app tests complete (GitHub Actions). */
export const CI_APP = { id: 15368, slug: "github-actions" };

export interface CheckRunShape {
  readonly name: string;
  readonly headSha?: string;
  readonly app?: { id: number; slug: string };
  /** Pull requests the payload lists (default: #7 on BASE_SHA); [] as GitHub sends for forks. */
  readonly pulls?: readonly { number: number; baseSha: string; headSha: string }[];
  readonly conclusion?: string;
}

/** A check_run event about a completed run (of CI_APP unless told) on a pull request's head. */
export function checkRunEvent(action: string, shape: CheckRunShape): Json {
  const payload = examplePayload("check_run", action);
  const run = payload.check_run;
  run.name = shape.name;
  run.head_sha = shape.headSha ?? HEAD_SHA;
  run.app = { ...run.app, ...(shape.app ?? CI_APP) };
  run.status = "completed";
  run.conclusion = shape.conclusion ?? "success";
  run.check_suite.head_branch = "feature/cart";
  run.check_suite.head_sha = run.head_sha;
  const repoRef = { id: payload.repository.id, url: "", name: payload.repository.name };
  run.pull_requests = (shape.pulls ?? [{ number: 7, baseSha: BASE_SHA, headSha: run.head_sha }]).map((p) => ({
    url: "",
    id: 1000 + p.number,
    number: p.number,
    head: { ref: "feature/cart", sha: p.headSha, repo: repoRef },
    base: { ref: "main", sha: p.baseSha, repo: repoRef },
  }));
  return payload;
}

export function statusEvent(context: string, state: string, sha: string = HEAD_SHA): Json {
  const payload = examplePayload("status");
  payload.context = context;
  payload.state = state;
  payload.sha = sha;
  payload.commit = { ...payload.commit, sha };
  return payload;
}

// ---------------------------------------------------------------------------------------------
// The fake GitHub

export interface RecordedRequest {
  readonly method: string;
  /** Path without the API prefix, e.g. /repos/acme/shop/pulls/7/files. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: Json;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations_count: number };
  annotations: Json[];
  app: { id: number; slug: string };
  details_url?: string;
  html_url: string;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  performed_via_github_app: { id: number; slug: string } | null;
}

export interface FakeFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previous_filename?: string;
}

export interface FakeReview {
  id: number;
  user: { login: string };
  state: string;
  commit_id: string;
  submitted_at: string;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
});
const notFound = (): Reply => json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Requests no route matched: a test that leaves any fails. */
  readonly unmatched: RecordedRequest[] = [];
  /** `${sha}:${path}` → content, for every repository of OWNER (key prefixed with the repo name). */
  readonly files = new Map<string, string>();
  readonly pulls = new Map<number, Json>();
  readonly pullFiles = new Map<number, FakeFile[]>();
  readonly reviews = new Map<number, FakeReview[]>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly statuses = new Map<string, Json[]>();
  readonly comments = new Map<number, FakeComment[]>();
  readonly teams = new Map<string, string[]>();
  /**
   * `${sha}:${path}` → the date of the newest commit touching path at sha, for GET /commits?path=
   * (OWNER/REPO only). Without an entry for the pair asked, the route is unmatched as before.
   */
  readonly commitDates = new Map<string, string>();
  /** Branches of OWNER/REPO: name (without refs/heads/) → commit sha. */
  readonly branches = new Map<string, string>();
  /** Repository permissions of collaborators (login → admin, maintain, write, triage, read). */
  readonly permissions = new Map<string, string>();
  /** Reactions the app added to comments. */
  readonly reactions: { commentId: number; content: string }[] = [];
  /** Issues (not pull requests) that exist, for comments on them. */
  readonly issues = new Set<number>();
  /** Issues the app opened (alerts), by number, as last written. */
  readonly openedIssues = new Map<number, { title: string; body: string; state: string; labels: string[]; assignees: string[] }>();
  /** Answers to deployment protection rules, in order: the run, the environment, the state and comment. */
  readonly deploymentAnswers: { runId: number; environment: string; state: string; comment: string }[] = [];
  /** Set to make a path answer with an error status, e.g. to simulate an outage. */
  readonly failures = new Map<string, number>();
  #nextId = 1000;

  constructor(
    /** Where the bot reaches the API, for pagination links. */
    readonly baseUrl: string = "https://api.github.com",
    readonly app: { id: number; slug: string } = { id: APP_ID, slug: APP_SLUG },
  ) {}

  /** A file in OWNER/repo at a commit. */
  setFile(sha: string, path: string, content: string, repo: string = REPO): void {
    this.files.set(`${repo}@${sha}:${path}`, content);
  }

  addPull(shape: PullShape = {}): Json {
    const pull = shapePull({ id: 100 + (shape.number ?? 7), url: "", html_url: "", user: {}, base: {}, head: {} }, shape);
    pull.changed_files = shape.changedFiles ?? this.pullFiles.get(pull.number)?.length ?? 0;
    this.pulls.set(pull.number, pull);
    return pull;
  }

  setPullFiles(number: number, files: readonly (Partial<FakeFile> & { filename: string })[]): void {
    this.pullFiles.set(
      number,
      files.map((f) => ({ status: "modified", additions: 1, deletions: 0, changes: 1, patch: "@@ -1 +1 @@\n-old\n+new", ...f })),
    );
    const pull = this.pulls.get(number);
    if (pull) pull.changed_files = files.length;
  }

  addReview(number: number, user: string, state: string, commitId: string = HEAD_SHA): FakeReview {
    const list = this.reviews.get(number) ?? [];
    const review = { id: this.#nextId++, user: { login: user }, state, commit_id: commitId, submitted_at: new Date(Date.UTC(2025, 0, 1, 0, list.length)).toISOString() };
    list.push(review);
    this.reviews.set(number, list);
    return review;
  }

  /** A check run of another app (CI). */
  addCheckRun(headSha: string, name: string, conclusion: string | null, app = { id: 15368, slug: "github-actions" }): FakeCheckRun {
    const run: FakeCheckRun = {
      id: this.#nextId++,
      name,
      head_sha: headSha,
      status: conclusion === null ? "in_progress" : "completed",
      conclusion,
      output: { title: null, summary: null, text: null, annotations_count: 0 },
      annotations: [],
      app,
      html_url: `https://github.com/${OWNER}/${REPO}/runs/${this.#nextId}`,
    };
    this.checkRuns.push(run);
    return run;
  }

  /** The bot's own check runs (by app id), oldest first. */
  ownCheckRuns(headSha?: string): FakeCheckRun[] {
    return this.checkRuns.filter((r) => r.app.id === this.app.id && (headSha === undefined || r.head_sha === headSha));
  }

  ownComments(number: number): FakeComment[] {
    return (this.comments.get(number) ?? []).filter((c) => c.performed_via_github_app?.id === this.app.id);
  }

  /** Requests other than the installation-token exchange, as "METHOD /path?query". */
  apiCalls(): string[] {
    return this.requests.filter((r) => !r.path.startsWith("/app/installations/")).map(describeRequest);
  }

  reads(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === "GET");
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET" && !r.path.startsWith("/app/installations/"));
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  handle(method: string, rawUrl: string, accept: string, body: Json | undefined): Reply {
    const url = new URL(rawUrl, "http://fake.invalid");
    // GitHub Enterprise serves the API under /api/v3: a request elsewhere is a wrong base URL.
    const prefix = new URL(this.baseUrl).pathname.replace(/\/$/, "");
    if (!url.pathname.startsWith(`${prefix}/`)) {
      const stray: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams) };
      this.requests.push(stray);
      this.unmatched.push(stray);
      return json(404, { message: `not under ${prefix}/` });
    }
    const path = url.pathname.slice(prefix.length);
    const query = Object.fromEntries(url.searchParams);
    const request: RecordedRequest = { method, path, query, ...(body !== undefined ? { body } : {}) };
    this.requests.push(request);
    const failure = this.failures.get(path);
    if (failure) return json(failure, { message: `simulated ${failure}` });
    const reply = this.#route(method, path, query, accept, body ?? {});
    if (!reply) {
      this.unmatched.push(request);
      return json(501, { message: `fake GitHub has no route for ${method} ${path}` });
    }
    return reply;
  }

  #route(method: string, path: string, query: Record<string, string>, accept: string, body: Json): Reply | undefined {
    let m: RegExpExecArray | null;
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return json(201, { token: "ghs_faketoken", expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {}, repository_selection: "all" });
    }
    if (method === "GET" && path === "/app") return json(200, { id: this.app.id, slug: this.app.slug, name: "Readiness" });
    // Reconciliation's listings: one installation holding OWNER/REPO.
    if (method === "GET" && path === "/app/installations") return this.#page(path, query, [this.#installation()]);
    if (method === "GET" && path === `/app/installations/${INSTALLATION_ID}`) return json(200, this.#installation());
    if (method === "GET" && (path === `/orgs/${OWNER}/installation` || path === `/repos/${OWNER}/${REPO}/installation`)) return json(200, this.#installation());
    if (method === "GET" && path === "/installation/repositories") {
      return this.#page(path, query, [this.#repository()], (items) => ({ total_count: 1, repository_selection: "all", repositories: items }));
    }
    if (method === "GET" && path === `/repos/${OWNER}/${REPO}`) return json(200, this.#repository());
    if ((m = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/.exec(path)) && method === "GET") {
      const members = this.teams.get(`${m[1]}/${m[2]}`.toLowerCase());
      if (!members) return notFound();
      return this.#page(path, query, members.map((login, i) => ({ login, id: i + 1, type: "User" })));
    }
    if (!(m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(path))) return undefined;
    const [, owner, repo, rest] = m as unknown as [string, string, string, string];
    if (owner !== OWNER) return notFound();
    const full = path;

    if ((m = /^\/contents\/(.+)$/.exec(rest)) && method === "GET") {
      const filePath = decodeURIComponent(m[1]!);
      const ref = query.ref ?? "main";
      const content = this.files.get(`${repo}@${ref}:${filePath}`);
      if (content === undefined) return notFound();
      if (accept.includes("raw")) return { status: 200, body: content, headers: { "content-type": "text/plain; charset=utf-8" } };
      const size = Buffer.byteLength(content);
      return json(200, { type: "file", name: filePath.split("/").pop(), path: filePath, size, encoding: "base64", content: Buffer.from(content).toString("base64"), sha: "0".repeat(40) });
    }
    if (repo !== REPO) return notFound();
    if ((m = /^\/git\/ref\/(.+)$/.exec(rest)) && method === "GET") {
      const ref = decodeURIComponent(m[1]!);
      const name = ref.replace(/^heads\//, "");
      const sha = ref.startsWith("heads/") ? this.branches.get(name) : undefined;
      return sha ? json(200, { ref: `refs/heads/${name}`, object: { sha, type: "commit" } }) : notFound();
    }
    if (rest === "/pulls" && method === "GET") {
      const open = [...this.pulls.values()].filter((p) => p.state === (query.state ?? "open") && (query.base === undefined || p.base.ref === query.base));
      return this.#page(full, query, open.sort((a, b) => b.number - a.number));
    }
    if ((m = /^\/pulls\/(\d+)$/.exec(rest)) && method === "GET") {
      const pull = this.pulls.get(Number(m[1]));
      return pull ? json(200, pull) : notFound();
    }
    if ((m = /^\/pulls\/(\d+)\/files$/.exec(rest)) && method === "GET") {
      if (!this.pulls.has(Number(m[1]))) return notFound();
      return this.#page(full, query, this.pullFiles.get(Number(m[1])) ?? []);
    }
    if ((m = /^\/pulls\/(\d+)\/reviews$/.exec(rest)) && method === "GET") {
      if (!this.pulls.has(Number(m[1]))) return notFound();
      return this.#page(full, query, this.reviews.get(Number(m[1])) ?? []);
    }
    if ((m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest)) && method === "GET") {
      let runs = this.checkRuns.filter((r) => r.head_sha === m![1] && (query.check_name === undefined || r.name === query.check_name) && (query.app_id === undefined || String(r.app.id) === query.app_id));
      if ((query.filter ?? "latest") === "latest") {
        const latest = new Map<string, FakeCheckRun>();
        for (const run of runs) latest.set(`${run.app.id}:${run.name}`, run);
        runs = [...latest.values()];
      }
      return this.#page(full, query, runs.map(publicRun), (items) => ({ total_count: runs.length, check_runs: items }));
    }
    if (rest === "/commits" && method === "GET" && query.path !== undefined) {
      const date = this.commitDates.get(`${query.sha ?? "main"}:${query.path}`);
      if (date === undefined) return undefined;
      return json(200, [{ sha: "c".repeat(40), commit: { committer: { date }, author: { date } } }]);
    }
    if ((m = /^\/commits\/([^/]+)\/status$/.exec(rest)) && method === "GET") {
      const statuses = this.statuses.get(m[1]!) ?? [];
      return this.#page(full, query, statuses, (items) => ({ state: statuses.length === 0 ? "pending" : "success", sha: m![1], total_count: statuses.length, statuses: items }));
    }
    if ((m = /^\/statuses\/([^/]+)$/.exec(rest)) && method === "POST") {
      if (typeof body.state !== "string") return json(422, { message: "state is required" });
      const status = { id: this.#nextId++, state: body.state, context: body.context ?? "default", description: body.description ?? null, target_url: body.target_url ?? null };
      this.statuses.set(m[1]!, [status, ...(this.statuses.get(m[1]!) ?? [])]);
      return json(201, status);
    }
    if ((m = /^\/check-runs\/(\d+)$/.exec(rest)) && method === "GET") {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      return run ? json(200, publicRun(run)) : notFound();
    }
    if ((m = /^\/check-runs\/(\d+)\/annotations$/.exec(rest)) && method === "GET") {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      return run ? this.#page(full, query, run.annotations) : notFound();
    }
    if (rest === "/check-runs" && method === "POST") {
      if (typeof body.name !== "string" || typeof body.head_sha !== "string") return json(422, { message: "name and head_sha are required" });
      const run: FakeCheckRun = {
        id: this.#nextId++,
        name: body.name,
        head_sha: body.head_sha,
        status: body.status ?? "queued",
        conclusion: body.conclusion ?? null,
        output: { title: null, summary: null, text: null, annotations_count: 0 },
        annotations: [],
        app: { ...this.app },
        html_url: "",
      };
      run.html_url = `https://github.com/${OWNER}/${REPO}/runs/${run.id}`;
      const invalid = applyCheckRunWrite(run, body, true);
      if (invalid) return invalid;
      this.checkRuns.push(run);
      return json(201, publicRun(run));
    }
    if ((m = /^\/check-runs\/(\d+)$/.exec(rest)) && method === "PATCH") {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return notFound();
      if (run.app.id !== this.app.id) return json(403, { message: "Invalid app_id: the check run belongs to another app" });
      const invalid = applyCheckRunWrite(run, body, false);
      if (invalid) return invalid;
      return json(200, publicRun(run));
    }
    if ((m = /^\/collaborators\/([^/]+)\/permission$/.exec(rest)) && method === "GET") {
      const permission = this.permissions.get(decodeURIComponent(m[1]!));
      if (!permission) return notFound();
      return json(200, { permission: permission === "maintain" ? "write" : permission === "triage" ? "read" : permission, role_name: permission, user: { login: m[1] } });
    }
    if ((m = /^\/issues\/comments\/(\d+)\/reactions$/.exec(rest)) && method === "POST") {
      this.reactions.push({ commentId: Number(m[1]), content: String(body.content) });
      return json(201, { id: this.#nextId++, content: body.content });
    }
    if (rest === "/issues" && method === "POST") {
      if (typeof body.title !== "string" || typeof body.body !== "string") return json(422, { message: "title and body are required" });
      const number = this.#nextId++;
      this.issues.add(number);
      this.openedIssues.set(number, { title: body.title, body: body.body, state: "open", labels: (body.labels as string[] | undefined) ?? [], assignees: (body.assignees as string[] | undefined) ?? [] });
      return json(201, { number, html_url: `https://github.com/${repo}/issues/${number}`, state: "open" });
    }
    if ((m = /^\/issues\/(\d+)$/.exec(rest)) && (method === "GET" || method === "PATCH")) {
      const issue = this.openedIssues.get(Number(m[1]));
      if (!issue) return notFound();
      if (method === "PATCH") {
        if (typeof body.title === "string") issue.title = body.title;
        if (typeof body.body === "string") issue.body = body.body;
        if (typeof body.state === "string") issue.state = body.state;
      }
      return json(200, { number: Number(m[1]), ...issue });
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const number = Number(m[1]);
      if (!this.pulls.has(number) && !this.issues.has(number)) return notFound();
      const list = this.comments.get(number) ?? [];
      if (method === "GET") return this.#page(full, query, list);
      if (method === "POST") {
        if (typeof body.body !== "string" || body.body.length === 0) return json(422, { message: "body is required" });
        if (body.body.length > 65_536) return json(422, { message: "Body is too long (maximum is 65536 characters)" });
        const comment: FakeComment = { id: this.#nextId++, body: body.body, user: { login: `${this.app.slug}[bot]`, type: "Bot" }, performed_via_github_app: { ...this.app } };
        list.push(comment);
        this.comments.set(number, list);
        return json(201, comment);
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest)) && method === "PATCH") {
      const comment = [...this.comments.values()].flat().find((c) => c.id === Number(m![1]));
      if (!comment) return notFound();
      if (comment.performed_via_github_app?.id !== this.app.id) return json(403, { message: "Resource not accessible by integration" });
      if (typeof body.body !== "string" || body.body.length > 65_536) return json(422, { message: "Body is too long (maximum is 65536 characters)" });
      comment.body = body.body;
      return json(200, comment);
    }
    if ((m = /^\/codeowners\/errors$/.exec(rest)) && method === "GET") {
      return json(200, { errors: [] });
    }
    if ((m = /^\/actions\/runs\/(\d+)\/deployment_protection_rule$/.exec(rest)) && method === "POST") {
      if (typeof body.environment_name !== "string" || !["approved", "rejected"].includes(body.state)) return json(422, { message: "environment_name and state are required" });
      if (typeof body.comment === "string" && body.comment.length > 1024) return json(422, { message: "comment is too long" });
      this.deploymentAnswers.push({ runId: Number(m[1]), environment: body.environment_name, state: body.state, comment: body.comment ?? "" });
      return { status: 204, body: "", headers: {} };
    }
    if ((m = /^\/git\/trees\/([^/]+)$/.exec(rest)) && method === "GET") {
      const prefix = `${repo}@${m[1]}:`;
      const tree = [...this.files.keys()].filter((k) => k.startsWith(prefix)).map((k) => ({ path: k.slice(prefix.length), type: "blob", mode: "100644", sha: "0".repeat(40) }));
      return json(200, { sha: m[1], tree, truncated: false });
    }
    return undefined;
  }

  #installation(): Json {
    return { id: INSTALLATION_ID, app_id: this.app.id, app_slug: this.app.slug, target_type: "Organization", repository_selection: "all", account: { login: OWNER, type: "Organization" }, suspended_at: null };
  }

  #repository(): Json {
    return { id: 4711, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER, type: "Organization" }, private: true, archived: false, disabled: false, default_branch: "main" };
  }

  /** GitHub's page-numbered lists: per_page (default 30, at most 100), page, and a Link header. */
  #page(path: string, query: Record<string, string>, items: readonly unknown[], wrap: (items: unknown[]) => unknown = (i) => i): Reply {
    const perPage = Math.min(Number(query.per_page ?? 30) || 30, 100);
    const page = Math.max(Number(query.page ?? 1) || 1, 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page < last) {
      const link = (n: number) => {
        const q = new URLSearchParams({ ...query, page: String(n) });
        return `<${this.baseUrl}${path}?${q}>`;
      };
      headers.link = `${link(page + 1)}; rel="next", ${link(last)}; rel="last"`;
    }
    return json(200, wrap(slice), headers);
  }
}

function publicRun(run: FakeCheckRun): Json {
  const { annotations: _annotations, ...rest } = run;
  return { ...rest, output: { ...run.output } };
}

/** Applies a create or update body with GitHub's validation of output and annotations. */
function applyCheckRunWrite(run: FakeCheckRun, body: Json, creating: boolean): Reply | undefined {
  if (body.status === "completed" && !body.conclusion && !run.conclusion) return json(422, { message: "conclusion is required when status is completed" });
  if (body.conclusion && !["success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required"].includes(body.conclusion)) {
    return json(422, { message: `invalid conclusion ${body.conclusion}` });
  }
  if (body.output) {
    const output = body.output as Json;
    if ((creating || output.title !== undefined) && (typeof output.title !== "string" || typeof output.summary !== "string")) {
      return json(422, { message: "output needs title and summary" });
    }
    if (typeof output.summary === "string" && output.summary.length > 65_535) return json(422, { message: "summary is too long" });
    if (typeof output.text === "string" && output.text.length > 65_535) return json(422, { message: "text is too long" });
    const annotations = (output.annotations ?? []) as Json[];
    if (annotations.length > 50) return json(422, { message: "at most 50 annotations per request" });
    for (const a of annotations) {
      if (typeof a.path !== "string" || typeof a.start_line !== "number" || typeof a.end_line !== "number" || typeof a.message !== "string" || !["notice", "warning", "failure"].includes(a.annotation_level)) {
        return json(422, { message: `invalid annotation ${JSON.stringify(a)}` });
      }
    }
    run.output = {
      title: output.title ?? run.output.title,
      summary: output.summary ?? run.output.summary,
      text: output.text ?? run.output.text,
      annotations_count: run.output.annotations_count + annotations.length,
    };
    run.annotations.push(...annotations);
  }
  if (body.status) run.status = body.status;
  if (body.conclusion) {
    run.conclusion = body.conclusion;
    run.status = "completed";
  }
  if (body.details_url) run.details_url = body.details_url;
  return undefined;
}

export function describeRequest(request: RecordedRequest): string {
  const query = new URLSearchParams(Object.entries(request.query).sort(([a], [b]) => a.localeCompare(b))).toString();
  return `${request.method} ${request.path}${query ? `?${query}` : ""}`;
}

/** Serves the fake through nock at https://api.github.com; nothing else may be reached. */
export function nockGitHub(fake: FakeGitHub): void {
  nock.disableNetConnect();
  for (const method of ["GET", "POST", "PATCH", "PUT", "DELETE"]) {
    nock("https://api.github.com")
      .persist()
      .intercept(() => true, method)
      .reply(function (uri, requestBody) {
        const accept = String(this.req.headers.accept ?? "");
        const body = typeof requestBody === "string" ? (requestBody ? JSON.parse(requestBody) : undefined) : (requestBody as Json | undefined);
        const reply = fake.handle(method, uri, accept, body && Object.keys(body).length > 0 ? body : undefined);
        return [reply.status, reply.body as nock.Body, reply.headers];
      });
  }
}

// ---------------------------------------------------------------------------------------------
// The app under test

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface TestApp {
  readonly probot: Probot;
  readonly fake: FakeGitHub;
  readonly logs: LogLine[];
  readonly service: ReadinessService;
  /** Delivers the event, then waits until every job it queued has run (retries included). */
  receive(name: string, payload: Json): Promise<void>;
}

export const PINO_INFO = 30;

/** One key per test file: generating an RSA key takes a noticeable fraction of a second. */
let testKey: string | undefined;

/**
 * No retries, no write spacing. The function form matters: Probot layers its own throttle
 * options over the Octokit class it is given, and only a function default runs after them.
 */
const testOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object | undefined), enabled: false },
}));

/**
 * A Probot with the readiness app loaded, its GitHub faked through nock, its log captured.
 * `store`: a state store shared with another test app, as two processes share one.
 */
export async function createTestApp(
  settings: Partial<AppSettings> = {},
  fake: FakeGitHub = new FakeGitHub(),
  options: { readonly store?: StateStore; readonly scorecards?: ServiceOptions["scorecards"]; readonly now?: () => Date } = {},
): Promise<TestApp> {
  nockGitHub(fake);
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const probot = new Probot({
    appId: APP_ID,
    privateKey: (testKey ??= throwawayPrivateKey()),
    log: pino({ level: "info" }, sink),
    Octokit: testOctokit,
  });
  let service: ReadinessService | undefined;
  await probot.load(
    readinessApp(
      { checkName: "readiness", fingerprintKey: "test-fingerprint-key", appId: APP_ID, ...settings },
      // One quick retry: tests see retries and give-ups without waiting for real backoff.
      {
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
        onService: (s) => (service = s),
        ...(options.store ? { store: options.store } : {}),
        ...(options.scorecards !== undefined ? { scorecards: options.scorecards } : {}),
        ...(options.now ? { now: options.now } : {}),
      },
    ),
  );
  if (!service) throw new Error("the app did not start its service");
  const started = service;
  let delivery = 0;
  return {
    probot,
    fake,
    logs,
    service: started,
    receive: async (name, payload) => {
      await probot.receive({ id: `delivery-${++delivery}`, name, payload } as Parameters<Probot["receive"]>[0]);
      await started.idle();
    },
  };
}

export function resetNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

/** A configuration file's text, with a trailing newline. */
export const yaml = (lines: readonly string[]): string => `${lines.join("\n")}\n`;
