/**
 * Facts about one pull request, read from GitHub's REST API. Each requested fact is read once per
 * provider (both rounds of an evaluation share it), all of them in parallel. A fact that cannot be
 * read becomes unknown with a reason a person can act on; gather() itself never throws.
 */
import { CODEOWNERS_SIZE_LIMIT_BYTES } from "../codeowners/parse.js";
import { CODEOWNERS_LOCATIONS } from "../codeowners/select.js";
import { BINARY_CONTENT_REASON, DEFAULT_LOCKFILES, hasBinaryExtension } from "../secrets/files.js";
import { z } from "zod";
import { requestKey } from "../engine/evaluate.js";
import { CHECK_TEXT_LIMIT, contentKey, known, unknownFact } from "../engine/types.js";
import type {
  AlertSeverity,
  AlertSource,
  SecurityAlert,
  ChangedFile,
  CheckResult,
  CheckState,
  CodeownersError,
  Fact,
  FactRequest,
  Facts,
  FileStatus,
  GitRef,
  PullRequestInfo,
  RepoFile,
  Review,
  ReviewState,
} from "../engine/types.js";
import type { FactsProvider, Logger } from "../pipeline.js";
import type { TtlCache } from "./cache.js";
import { isRateLimited, listAll, listByNextLinks, mapLimit, PER_PAGE, readRepoFile, statusOf } from "./octokit.js";
import type { GitHubClient, NextPage, RepoCoordinates } from "./octokit.js";

/** GitHub lists at most 3,000 files of a pull request (30 pages of 100). */
export const PULL_FILES_CAP = 3000;
export const DEFAULT_MAX_UNPATCHED_BYTES = 1024 * 1024;
export const DEFAULT_MAX_UNPATCHED_FILES = 50;
export const DEFAULT_MAX_CONTENT_BYTES = 1024 * 1024;
/** Team memberships change rarely; a stale answer is corrected by the next evaluation after this. */
export const TEAM_TTL_MS = 5 * 60_000;
const CONCURRENT_CONTENT_READS = 8;
/**
 * Distinct teams whose members one evaluation may list. A CODEOWNERS line (or a configuration)
 * naming hundreds of teams would otherwise cost a request or more per team; the teams past this
 * bound are unknown, which leaves the lines they decide undecided rather than approved.
 */
export const MAX_TEAM_LOOKUPS_PER_EVALUATION = 40;
/** How long a fact read at a commit is kept in the commit cache (it cannot change; this bounds memory held by idle entries). */
export const COMMIT_FACT_TTL_MS = 60 * 60_000;
/**
 * GitHub's CODEOWNERS errors at a commit also depend on who may own what (an owner without write
 * access is an error), which changes without a commit: kept as long as team memberships are.
 */
const CODEOWNERS_ERRORS_TTL_MS = TEAM_TTL_MS;
/** Pages of 100 members read per team: a team larger than this is unknown rather than cut short. */
const MAX_TEAM_MEMBER_PAGES = 10;

export interface FactsProviderOptions {
  /** Team members by installation, shared across evaluations (entries live TEAM_TTL_MS). */
  readonly teamCache?: TtlCache;
  /** Part of the team and commit cache keys; defaults to the repository owner (one installation per account). */
  readonly installationId?: number;
  /**
   * Facts that cannot change for the commits they were read at (the pull request's files at its
   * head and base, CODEOWNERS, file contents, last commits and trees at a sha), shared across
   * evaluations of this process. Only known facts are kept; a miss reads from GitHub as without it.
   */
  readonly commitCache?: TtlCache;
  /** Changed files without a patch larger than this are not downloaded. Default 1 MB. */
  readonly maxUnpatchedBytes?: number;
  /** At most this many unpatched files are downloaded per evaluation. Default 50. */
  readonly maxUnpatchedFiles?: number;
  /** `content` facts larger than this are unknown. Default 1 MB (one request per file). */
  readonly maxContentBytes?: number;
  /** Distinct teams listed per evaluation (cache hits are free). Default MAX_TEAM_LOOKUPS_PER_EVALUATION. */
  readonly maxTeamLookups?: number;
  /** The deployment's key for fingerprinting findings; never logged. */
  readonly fingerprintKey?: string;
  /** This app's check run name, left out of the checks fact. Default "readiness". */
  readonly checkName?: string;
  /** This app's slug: when given, only its own run named checkName is left out. */
  readonly appSlug?: string;
  readonly log?: Logger;
  /** The clock behind the `now` fact. Default: the system clock. */
  readonly now?: () => Date;
  /** Pages of 100 open alerts read per scanner; more makes that scanner's alerts unknown. Default 10. */
  readonly maxAlertPages?: number;
  /**
   * Where CODEOWNERS is looked for, in GitHub's order; default every location. A caller that
   * knows the tree names only the one that exists (no request for the others).
   */
  readonly codeownersLocations?: readonly string[];
}

/** A check's text for the checks fact: the non-empty parts, joined, cut to CHECK_TEXT_LIMIT. */
export function checkText(...parts: readonly (string | null | undefined)[]): { text?: string } {
  const text = parts.filter((p): p is string => typeof p === "string" && p.trim() !== "").join("\n");
  return text === "" ? {} : { text: text.slice(0, CHECK_TEXT_LIMIT) };
}

const commitListSchema = z.array(
  z.object({ commit: z.object({ committer: z.object({ date: z.string().optional() }).nullable().optional(), author: z.object({ date: z.string().optional() }).nullable().optional() }) }),
);

/** A response GitHub sent that does not have the fields we read. Its message is ours, safe to show. */
class UnexpectedAnswer extends Error {}

function parse<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const result = schema.safeParse(data);
  if (!result.success) throw new UnexpectedAnswer(`GitHub answered with an unexpected shape for ${what}`);
  return result.data;
}

const FILE_STATUSES = ["added", "removed", "modified", "renamed", "copied", "changed", "unchanged"] as const;
const fileSchema = z.object({
  filename: z.string(),
  status: z.enum(FILE_STATUSES).catch("changed"),
  previous_filename: z.string().optional(),
  additions: z.number().catch(0),
  deletions: z.number().catch(0),
  patch: z.string().optional(),
});
const reviewSchema = z.object({
  id: z.number(),
  user: z.object({ login: z.string() }).nullable(),
  state: z.string(),
  commit_id: z.string().nullable().catch(null),
  submitted_at: z.string().nullable().optional(),
});
const checkRunSchema = z.object({
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
  html_url: z.string().nullable().optional(),
  details_url: z.string().nullable().optional(),
  app: z.object({ slug: z.string().optional() }).nullable().optional(),
  output: z.object({ title: z.string().nullable().optional(), summary: z.string().nullable().optional() }).nullable().optional().catch(null),
});
const checkRunsPageSchema = z.object({ check_runs: z.array(checkRunSchema) });
const statusSchema = z.object({
  context: z.string(),
  state: z.string(),
  target_url: z.string().nullable().optional(),
  description: z.string().nullable().optional().catch(null),
});
const combinedStatusSchema = z.object({ statuses: z.array(statusSchema) });
const memberSchema = z.array(z.object({ login: z.string() }));
const treeSchema = z.object({ truncated: z.boolean(), tree: z.array(z.object({ path: z.string(), type: z.string() })) });
const codeownersErrorsSchema = z.object({
  errors: z.array(z.object({ line: z.number(), column: z.number(), kind: z.string(), message: z.string(), path: z.string() })),
});

const sizedTreeSchema = z.object({
  truncated: z.boolean(),
  tree: z.array(z.object({ path: z.string(), type: z.string(), size: z.number().optional() })),
});

export const DEFAULT_MAX_ALERT_PAGES = 10;

const ALERT_LIST_NAME: Readonly<Record<AlertSource, string>> = {
  dependabot: "Dependabot alerts",
  "code-scanning": "code scanning alerts",
  "secret-scanning": "secret scanning alerts",
};
/** The repository permission each list needs, as GitHub's app settings name it. */
export const ALERT_PERMISSION: Readonly<Record<AlertSource, string>> = {
  dependabot: "Dependabot alerts: read",
  "code-scanning": "Code scanning alerts: read",
  "secret-scanning": "Secret scanning alerts: read",
};
const ALERT_FEATURE: Readonly<Record<AlertSource, string>> = {
  dependabot: "Dependabot alerts",
  "code-scanning": "code scanning (with at least one analysis uploaded)",
  "secret-scanning": "secret scanning",
};

const dependabotAlertSchema = z.object({
  number: z.number(),
  created_at: z.string(),
  html_url: z.string().optional().catch(undefined),
  dependency: z
    .object({
      package: z.object({ ecosystem: z.string().optional(), name: z.string().optional() }).optional().catch(undefined),
      manifest_path: z.string().optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  security_advisory: z
    .object({ summary: z.string().optional().catch(undefined), severity: z.string().optional().catch(undefined), ghsa_id: z.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
});
const codeScanningAlertSchema = z.object({
  number: z.number(),
  created_at: z.string(),
  html_url: z.string().optional().catch(undefined),
  rule: z
    .object({
      id: z.string().nullable().optional().catch(undefined),
      description: z.string().optional().catch(undefined),
      severity: z.string().nullable().optional().catch(undefined),
      security_severity_level: z.string().nullable().optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  tool: z.object({ name: z.string().optional().catch(undefined) }).optional().catch(undefined),
  most_recent_instance: z
    .object({ location: z.object({ path: z.string().optional().catch(undefined), start_line: z.number().optional().catch(undefined) }).optional().catch(undefined) })
    .optional()
    .catch(undefined),
});
/** Only what a finding shows: the secret's type, never the secret (zod drops every other key). */
const secretScanningAlertSchema = z.object({
  number: z.number(),
  created_at: z.string(),
  html_url: z.string().optional().catch(undefined),
  secret_type_display_name: z.string().optional().catch(undefined),
  secret_type: z.string().optional().catch(undefined),
});

const SEVERITIES: ReadonlySet<string> = new Set<AlertSeverity>(["critical", "high", "medium", "low"]);

function severityOf(value: string | null | undefined): AlertSeverity | null {
  const lower = value?.toLowerCase();
  if (lower === "moderate") return "medium";
  return lower !== undefined && SEVERITIES.has(lower) ? (lower as AlertSeverity) : null;
}

/**
 * A code scanning rule without a security severity (a quality rule) has GitHub's plain one:
 * error, warning or note, read as high, medium and low.
 */
const CODE_SCANNING_PLAIN_SEVERITY: Readonly<Record<string, AlertSeverity>> = { error: "high", warning: "medium", note: "low" };

/** One alert as the fact holds it; undefined for an entry without the fields every alert has. */
export function alertOf(source: AlertSource, item: unknown): SecurityAlert | undefined {
  switch (source) {
    case "dependabot": {
      const parsed = dependabotAlertSchema.safeParse(item);
      if (!parsed.success) return undefined;
      const a = parsed.data;
      const pkg = a.dependency?.package;
      const what = [a.security_advisory?.summary ?? a.security_advisory?.ghsa_id ?? "vulnerable dependency", pkg?.name ? `in ${pkg.name}${pkg.ecosystem ? ` (${pkg.ecosystem})` : ""}` : ""];
      return {
        source,
        number: a.number,
        severity: severityOf(a.security_advisory?.severity),
        createdAt: a.created_at,
        title: what.filter((part) => part !== "").join(" "),
        ...(a.dependency?.manifest_path ? { path: a.dependency.manifest_path } : {}),
        ...(a.html_url ? { url: a.html_url } : {}),
      };
    }
    case "code-scanning": {
      const parsed = codeScanningAlertSchema.safeParse(item);
      if (!parsed.success) return undefined;
      const a = parsed.data;
      const location = a.most_recent_instance?.location;
      const rule = a.rule?.description ?? a.rule?.id ?? "code scanning rule";
      return {
        source,
        number: a.number,
        severity: severityOf(a.rule?.security_severity_level) ?? CODE_SCANNING_PLAIN_SEVERITY[a.rule?.severity ?? ""] ?? null,
        createdAt: a.created_at,
        title: a.tool?.name ? `${rule} (${a.tool.name})` : rule,
        ...(location?.path ? { path: location.path } : {}),
        ...(location?.start_line !== undefined ? { line: location.start_line } : {}),
        ...(a.html_url ? { url: a.html_url } : {}),
      };
    }
    case "secret-scanning": {
      const parsed = secretScanningAlertSchema.safeParse(item);
      if (!parsed.success) return undefined;
      const a = parsed.data;
      return {
        source,
        number: a.number,
        severity: null,
        createdAt: a.created_at,
        title: a.secret_type_display_name ?? a.secret_type ?? "secret",
        ...(a.html_url ? { url: a.html_url } : {}),
      };
    }
  }
}

const REVIEW_STATES: ReadonlySet<string> = new Set<ReviewState>(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]);

export function checkRunState(status: string, conclusion: string | null): { state: CheckState; detail: string } {
  if (status !== "completed" || conclusion === null) return { state: "pending", detail: status };
  if (conclusion === "success" || conclusion === "neutral" || conclusion === "skipped") return { state: conclusion, detail: conclusion };
  // failure, timed_out, cancelled, action_required, startup_failure, and stale (GitHub's own for
  // runs left incomplete): none will turn into a success by itself.
  return { state: "failure", detail: conclusion };
}

export function commitStatusState(state: string): CheckState {
  if (state === "success") return "success";
  if (state === "pending") return "pending";
  return "failure";
}

/** Lockfile names (lower case) the scanner skips by default: never worth a download. */
const LOCKFILE_NAMES: ReadonlySet<string> = new Set(DEFAULT_LOCKFILES.map((glob) => glob.slice(glob.lastIndexOf("/") + 1).toLowerCase()));

/** Why an unpatched file is not downloaded, judged by its name alone; undefined: fetch it. */
export function skipByName(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (LOCKFILE_NAMES.has(name)) return "a generated lockfile: not downloaded";
  if (hasBinaryExtension(name)) return "a binary file (by its extension): not downloaded";
  return undefined;
}

/** The permission an app needs for each kind of read, for 403 messages. */
const PERMISSION: Readonly<Record<string, string>> = {
  files: "pull_requests: read",
  reviews: "pull_requests: read",
  checks: "checks: read (and statuses: read)",
  codeowners: "contents: read",
  codeownersErrors: "contents: read",
  content: "contents: read",
  tree: "contents: read",
  headContentsOfUnpatched: "contents: read",
  team: "members: read (organisation)",
  lastCommit: "contents: read",
};

/** A reason for a failed read that never carries the error's own message (it may hold headers). */
export function describeReadFailure(kind: string, what: string, error: unknown): string {
  if (error instanceof UnexpectedAnswer) return error.message;
  const status = statusOf(error);
  if (isRateLimited(error)) return `GitHub's API rate limit was reached while reading ${what}; the next evaluation will try again`;
  if (status === 403) return `the app lacks permission ${PERMISSION[kind] ?? "to read this"} (GitHub answered 403 for ${what})`;
  if (status === 404) return `GitHub answered 404 for ${what}: it is gone or the app cannot see it`;
  if (status !== undefined && status >= 500) return `GitHub answered ${status} while reading ${what}; the next evaluation will try again`;
  if (status !== undefined) return `GitHub answered ${status} while reading ${what}`;
  if (typeof error === "object" && error !== null && "status" in error) {
    return `could not reach GitHub while reading ${what} (network error); the next evaluation will try again`;
  }
  return `could not read ${what} (${error instanceof Error ? error.name : "unexpected error"})`;
}

type Fragment = Partial<Facts>;

function mergeFragments(fragments: readonly Fragment[]): Fragment {
  const out: { -readonly [K in keyof Facts]?: Facts[K] } = {};
  const teams = new Map<string, Fact<readonly string[]>>();
  const contents = new Map<string, Fact<string | null>>();
  const trees: Partial<Record<GitRef, Fact<readonly string[]>>> = {};
  const codeownersErrors: Partial<Record<GitRef, Fact<readonly CodeownersError[]>>> = {};
  const lastCommits = new Map<string, Fact<string | null>>();
  for (const f of fragments) {
    for (const [k, v] of f.teams ?? []) teams.set(k, v);
    for (const [k, v] of f.contents ?? []) contents.set(k, v);
    Object.assign(trees, f.trees);
    Object.assign(codeownersErrors, f.codeownersErrors);
    if (f.pull) out.pull = f.pull;
    if (f.files) out.files = f.files;
    if (f.reviews) out.reviews = f.reviews;
    if (f.checks) out.checks = f.checks;
    if (f.codeowners) out.codeowners = f.codeowners;
    if (f.headCodeowners) out.headCodeowners = f.headCodeowners;
    if (f.headContentsOfUnpatched) out.headContentsOfUnpatched = f.headContentsOfUnpatched;
    if (f.fingerprintKey) out.fingerprintKey = f.fingerprintKey;
    if (f.now) out.now = f.now;
    for (const [k, v] of f.lastCommits ?? []) lastCommits.set(k, v);
    if (f.decisions) out.decisions = f.decisions;
    if (f.treeSizes) out.treeSizes = { ...out.treeSizes, ...f.treeSizes };
    if (f.securityAlerts) out.securityAlerts = { ...out.securityAlerts, ...f.securityAlerts };
  }
  if (lastCommits.size > 0) out.lastCommits = lastCommits;
  if (teams.size > 0) out.teams = teams;
  if (contents.size > 0) out.contents = contents;
  if (Object.keys(trees).length > 0) out.trees = trees;
  if (Object.keys(codeownersErrors).length > 0) out.codeownersErrors = codeownersErrors;
  return out;
}

/** Roughly how many bytes a fact's value holds (strings count two per character), for the commit cache's bound. */
export function approximateSize(value: unknown): number {
  if (typeof value === "string") return 16 + 2 * value.length;
  if (value === null || typeof value !== "object") return 8;
  let size = 16;
  if (value instanceof Map) {
    for (const [k, v] of value) size += approximateSize(k) + approximateSize(v);
  } else if (Array.isArray(value)) {
    for (const v of value) size += approximateSize(v);
  } else {
    for (const [k, v] of Object.entries(value)) size += approximateSize(k) + approximateSize(v);
  }
  return size;
}

export class GitHubFactsProvider implements FactsProvider {
  readonly #octokit: GitHubClient;
  readonly #repo: RepoCoordinates;
  readonly #pull: PullRequestInfo;
  readonly #opts: FactsProviderOptions;
  /** Teams this evaluation has listed or is listing (for MAX_TEAM_LOOKUPS_PER_EVALUATION). */
  readonly #teamsLookedUp = new Set<string>();
  readonly #memo = new Map<string, Promise<unknown>>();
  #requests = 0;

  constructor(octokit: GitHubClient, repo: RepoCoordinates, pull: PullRequestInfo, opts: FactsProviderOptions = {}) {
    this.#octokit = octokit;
    this.#repo = { owner: repo.owner, repo: repo.repo };
    this.#pull = pull;
    this.#opts = opts;
  }

  /** Requests made to GitHub by this provider so far (reads; cache hits are not requests). */
  get requestCount(): number {
    return this.#requests;
  }

  async gather(requests: readonly FactRequest[], soFar: Facts): Promise<Partial<Facts>> {
    const seen = new Set<string>();
    const work: Promise<Fragment>[] = [];
    for (const request of requests) {
      const key = requestKey(request);
      if (seen.has(key)) continue;
      seen.add(key);
      work.push(this.#fragment(request, soFar));
    }
    return mergeFragments(await Promise.all(work));
  }

  readonly #count = (): void => {
    this.#requests += 1;
  };

  get #params() {
    return { owner: this.#repo.owner, repo: this.#repo.repo };
  }

  #sha(ref: GitRef): string {
    return ref === "base" ? this.#pull.baseSha : this.#pull.headSha;
  }

  /** Reads a fact once per provider; a failure becomes an unknown fact, never an exception. */
  #once<T>(key: string, kind: string, what: string, load: () => Promise<Fact<T>>): Promise<Fact<T>> {
    let pending = this.#memo.get(key) as Promise<Fact<T>> | undefined;
    if (!pending) {
      pending = load().catch((error: unknown) => {
        this.#opts.log?.warn({ fact: key, status: statusOf(error) }, `could not read ${what}`);
        return unknownFact<T>(describeReadFailure(kind, what, error));
      });
      this.#memo.set(key, pending);
    }
    return pending;
  }

  /**
   * `#once`, through the commit cache: `pin` names what the fact was read at (shas, paths), so
   * the same key always means the same answer. Keys carry the installation and repository, so
   * nothing read for one installation is answered to another. Unknown facts are not kept.
   */
  #pinned<T>(pin: string, key: string, kind: string, what: string, load: () => Promise<Fact<T>>, ttlMs = COMMIT_FACT_TTL_MS): Promise<Fact<T>> {
    const cache = this.#opts.commitCache;
    if (!cache) return this.#once(key, kind, what, load);
    const cacheKey = `commit:${this.#opts.installationId ?? this.#repo.owner}:${this.#repo.owner}/${this.#repo.repo}:${pin}`.toLowerCase();
    return this.#once(key, kind, what, async () => {
      const cached = cache.get(cacheKey) as Fact<T> | undefined;
      if (cached) return cached;
      const fact = await load();
      if (fact.known) cache.set(cacheKey, fact, ttlMs, approximateSize(fact.value));
      return fact;
    });
  }

  async #fragment(request: FactRequest, soFar: Facts): Promise<Fragment> {
    switch (request.kind) {
      case "pull":
        return { pull: known<PullRequestInfo>(this.#pull) };
      case "files":
        return { files: await this.#files(soFar) };
      case "reviews":
        return { reviews: await this.#reviews() };
      case "checks":
        return { checks: await this.#checks() };
      case "codeowners": {
        const ref = request.ref ?? "base";
        const fact = await this.#codeowners(ref);
        return ref === "base" ? { codeowners: fact } : { headCodeowners: fact };
      }
      case "codeownersErrors":
        return { codeownersErrors: { [request.ref]: await this.#codeownersErrors(request.ref) } };
      case "team": {
        const team = request.team.replace(/^@/, "").toLowerCase();
        return { teams: new Map([[team, await this.#team(team)]]) };
      }
      case "content":
        return { contents: new Map([[contentKey(request.ref, request.path), await this.#content(request.ref, request.path)]]) };
      case "tree":
        return { trees: { [request.ref]: await this.#tree(request.ref) } };
      case "headContentsOfUnpatched":
        return { headContentsOfUnpatched: await this.#headContentsOfUnpatched(soFar) };
      case "fingerprintKey":
        return {
          fingerprintKey:
            this.#opts.fingerprintKey !== undefined && this.#opts.fingerprintKey !== ""
              ? known(this.#opts.fingerprintKey)
              : unknownFact("this deployment has no fingerprint key configured"),
        };
      case "lastCommit":
        return { lastCommits: new Map([[contentKey(request.ref, request.path), await this.#lastCommit(request.ref, request.path)]]) };
      case "now":
        return { now: known((this.#opts.now ?? (() => new Date()))().toISOString()) };
      case "decisions":
        // Decisions live in the app's state store; the runner's provider supplies them (src/decisions/facts.ts).
        return { decisions: unknownFact("waivers and attestations are not available to this evaluation") };
      case "treeSizes":
        return { treeSizes: { [request.ref]: await this.#treeSizes(request.ref) } };
      case "securityAlerts":
        return { securityAlerts: { [request.source]: await this.#securityAlerts(request.source) } };
    }
  }

  /** Sizes come with the same listing as the tree, read on its own when a rule asks for sizes. */
  #treeSizes(ref: GitRef): Promise<Fact<ReadonlyMap<string, number>>> {
    const sha = this.#sha(ref);
    return this.#pinned(`treeSizes:${sha}`, `treeSizes:${ref}`, "tree", `the file sizes at the ${ref} commit`, async () => {
      this.#count();
      const response = await this.#octokit.rest.git.getTree({ ...this.#params, tree_sha: sha, recursive: "1" });
      const tree = parse(sizedTreeSchema, response.data, `the file tree at the ${ref} commit`);
      if (tree.truncated) {
        return unknownFact(`the repository is too large for GitHub to list its files in one request (the tree at the ${ref} commit is truncated)`);
      }
      return known<ReadonlyMap<string, number>>(new Map(tree.tree.filter((e) => e.type === "blob").map((e) => [e.path, e.size ?? 0])));
    });
  }

  /**
   * Open alerts of one scanner. 403 and 404 mean the app lacks the permission or the repository
   * does not have the feature (GitHub answers either for both): unknown, saying which.
   */
  #securityAlerts(source: AlertSource): Promise<Fact<readonly SecurityAlert[]>> {
    const name = ALERT_LIST_NAME[source];
    const maxPages = this.#opts.maxAlertPages ?? DEFAULT_MAX_ALERT_PAGES;
    return this.#once(`securityAlerts:${source}`, "securityAlerts", `the open ${name}`, async () => {
      let read: { items: SecurityAlert[]; complete: boolean };
      try {
        read = await listByNextLinks(
          (next) => this.#alertPage(source, next),
          (data) => parse(z.array(z.unknown()), data, `the open ${name}`).flatMap((item) => alertOf(source, item) ?? []),
          { maxPages, onRequest: this.#count },
        );
      } catch (error) {
        const status = statusOf(error);
        if ((status === 403 || status === 404) && !isRateLimited(error)) {
          return unknownFact<readonly SecurityAlert[]>(
            `GitHub answered ${status} for the ${name}: the app needs the permission "${ALERT_PERMISSION[source]}" (accept it in the installation's settings), and ${ALERT_FEATURE[source]} must be enabled for the repository`,
          );
        }
        throw error;
      }
      if (!read.complete) {
        return unknownFact<readonly SecurityAlert[]>(`the repository has more than ${maxPages * PER_PAGE} open ${name}: too many to read in one evaluation; triage them on GitHub`);
      }
      return known<readonly SecurityAlert[]>(read.items);
    });
  }

  #alertPage(source: AlertSource, next: NextPage | undefined) {
    const page = next !== undefined && "page" in next ? { page: next.page } : {};
    switch (source) {
      case "dependabot":
        return this.#octokit.rest.dependabot.listAlertsForRepo({
          ...this.#params,
          state: "open",
          per_page: PER_PAGE,
          ...(next !== undefined && "after" in next ? { after: next.after } : {}),
        });
      case "code-scanning":
        return this.#octokit.rest.codeScanning.listAlertsForRepo({ ...this.#params, state: "open", per_page: PER_PAGE, ...page });
      case "secret-scanning":
        // hide_secret: the secret itself is never sent to the app, so it cannot be logged or shown.
        return this.#octokit.rest.secretScanning.listAlertsForRepo({ ...this.#params, state: "open", per_page: PER_PAGE, hide_secret: true, ...page });
    }
  }

  /** GET /repos/{o}/{r}/commits?path=&sha=&per_page=1: the newest commit that touched the path. */
  #lastCommit(ref: GitRef, path: string): Promise<Fact<string | null>> {
    const sha = this.#sha(ref);
    return this.#pinned(`lastCommit:${sha}:${path}`, `lastCommit:${ref}:${path}`, "lastCommit", `the last commit to ${path} at the ${ref} commit`, async () => {
      this.#count();
      const response = await this.#octokit.rest.repos.listCommits({ ...this.#params, sha, path, per_page: 1 });
      const [latest] = parse(commitListSchema, response.data, `the commits of ${path}`);
      if (!latest) return known<string | null>(null);
      const date = latest.commit.committer?.date ?? latest.commit.author?.date;
      if (date === undefined || Number.isNaN(Date.parse(date))) throw new UnexpectedAnswer(`GitHub answered with an unexpected shape for the commits of ${path}`);
      return known<string | null>(new Date(date).toISOString());
    });
  }

  #files(soFar: Facts): Promise<Fact<readonly ChangedFile[]>> {
    if (!this.#memo.has("files") && soFar.files.known) return Promise.resolve(soFar.files);
    const n = this.#pull.number;
    // GitHub's list is the diff between the head and its merge base with the base: both shas fix it.
    const pin = `files:${n}:${this.#pull.baseSha}...${this.#pull.headSha}`;
    return this.#pinned(pin, "files", "files", `the files of pull request #${n}`, async () => {
      const expected = this.#pull.changedFiles;
      if (expected !== undefined && expected > PULL_FILES_CAP) {
        return unknownFact(`the pull request changes ${expected} files; GitHub lists only the first ${PULL_FILES_CAP}`);
      }
      if (expected === 0) return known([]);
      const raw = await listAll(
        (page) => this.#octokit.rest.pulls.listFiles({ ...this.#params, pull_number: n, per_page: PER_PAGE, page }),
        (data) => parse(z.array(fileSchema), data, `the files of pull request #${n}`),
        { maxPages: PULL_FILES_CAP / PER_PAGE, onRequest: this.#count },
      );
      if (expected === undefined && raw.length >= PULL_FILES_CAP) {
        return unknownFact(`the pull request changes more than ${PULL_FILES_CAP - 1} files; GitHub lists only the first ${PULL_FILES_CAP}, so the rest cannot be checked`);
      }
      if (expected !== undefined && raw.length !== expected) {
        return unknownFact(`GitHub listed ${raw.length} of the ${expected} changed files (the pull request changed while it was read); the next evaluation will read it again`);
      }
      return known(
        raw.map((f): ChangedFile => ({
          path: f.filename,
          status: f.status as FileStatus,
          ...(f.previous_filename !== undefined ? { previousPath: f.previous_filename } : {}),
          additions: f.additions,
          deletions: f.deletions,
          ...(f.patch !== undefined ? { patch: f.patch } : {}),
        })),
      );
    });
  }

  #reviews(): Promise<Fact<readonly Review[]>> {
    const n = this.#pull.number;
    return this.#once("reviews", "reviews", `the reviews of pull request #${n}`, async () => {
      const raw = await listAll(
        (page) => this.#octokit.rest.pulls.listReviews({ ...this.#params, pull_number: n, per_page: PER_PAGE, page }),
        (data) => parse(z.array(reviewSchema), data, `the reviews of pull request #${n}`),
        { onRequest: this.#count },
      );
      const reviews: Review[] = [];
      for (const r of raw) {
        // A deleted account's reviews carry no user: nobody to count.
        if (r.user === null) continue;
        const state = r.state.toUpperCase();
        if (!REVIEW_STATES.has(state)) continue;
        reviews.push({ id: r.id, user: r.user.login, state: state as ReviewState, commitId: r.commit_id ?? "", submittedAt: r.submitted_at ?? "" });
      }
      return known(reviews);
    });
  }

  #checks(): Promise<Fact<readonly CheckResult[]>> {
    const sha = this.#pull.headSha;
    const own = this.#opts.checkName ?? "readiness";
    const slug = this.#opts.appSlug;
    return this.#once("checks", "checks", `the checks on ${sha.slice(0, 7)}`, async () => {
      const [runs, statuses] = await Promise.all([
        listAll(
          (page) => this.#octokit.rest.checks.listForRef({ ...this.#params, ref: sha, filter: "latest", per_page: PER_PAGE, page }),
          (data) => parse(checkRunsPageSchema, data, `the check runs on ${sha.slice(0, 7)}`).check_runs,
          { onRequest: this.#count },
        ),
        listAll(
          (page) => this.#octokit.rest.repos.getCombinedStatusForRef({ ...this.#params, ref: sha, per_page: PER_PAGE, page }),
          (data) => parse(combinedStatusSchema, data, `the commit statuses on ${sha.slice(0, 7)}`).statuses,
          { onRequest: this.#count },
        ),
      ]);
      const results: CheckResult[] = [];
      for (const run of runs) {
        if (run.name === own && (slug === undefined || run.app?.slug === slug)) continue;
        const url = run.html_url ?? run.details_url ?? undefined;
        results.push({
          name: run.name,
          source: "check_run",
          ...checkRunState(run.status, run.conclusion),
          ...(url ? { url } : {}),
          ...checkText(run.output?.title, run.output?.summary),
        });
      }
      for (const s of statuses) {
        results.push({
          name: s.context,
          source: "status",
          state: commitStatusState(s.state),
          detail: s.state,
          ...(s.target_url ? { url: s.target_url } : {}),
          ...checkText(s.description),
        });
      }
      return known(results);
    });
  }

  /**
   * The three places are tried in GitHub's order, stopping at the first that exists: one request
   * when the file is in .github/ (GitHub's recommended place), three when there is none. A listing
   * (git trees) costs two requests before the file itself is read, so it loses in the common case.
   */
  #codeowners(ref: GitRef): Promise<Fact<RepoFile | null>> {
    const sha = this.#sha(ref);
    const locations = this.#opts.codeownersLocations ?? CODEOWNERS_LOCATIONS;
    return this.#pinned(`codeowners:${sha}:${locations.join(",")}`, `codeowners:${ref}`, "codeowners", `CODEOWNERS at the ${ref} commit`, async () => {
      for (const path of locations) {
        const read = await readRepoFile(this.#octokit, this.#repo, path, sha, { maxBytes: CODEOWNERS_SIZE_LIMIT_BYTES - 1, onRequest: this.#count });
        switch (read.kind) {
          case "missing":
          case "not-a-file":
            continue;
          case "file":
            return known<RepoFile | null>({ path, content: read.content });
          case "too-large":
            // GitHub ignores the whole file: a known, empty file gives every path no owner, as GitHub does.
            this.#opts.log?.warn({ path, size: read.size, ref }, "CODEOWNERS is 3 MB or more; GitHub ignores it, so nothing has an owner");
            return known<RepoFile | null>({ path, content: "", size: read.size });
          case "binary":
            return unknownFact(`${path} at the ${ref} commit is not a text file`);
        }
      }
      return known<RepoFile | null>(null);
    });
  }

  #codeownersErrors(ref: GitRef): Promise<Fact<readonly CodeownersError[]>> {
    const sha = this.#sha(ref);
    const what = `GitHub's CODEOWNERS errors at the ${ref} commit`;
    return this.#pinned(`codeownersErrors:${sha}`, `codeownersErrors:${ref}`, "codeownersErrors", what, async () => {
      let data: unknown;
      try {
        this.#count();
        data = (await this.#octokit.rest.repos.codeownersErrors({ ...this.#params, ref: sha })).data;
      } catch (error) {
        // No CODEOWNERS file: nothing to report.
        if (statusOf(error) === 404) return known<readonly CodeownersError[]>([]);
        throw error;
      }
      const { errors } = parse(codeownersErrorsSchema, data, "the CODEOWNERS errors");
      return known(errors.map((e) => ({ line: e.line, column: e.column, kind: e.kind, message: e.message, path: e.path })));
    }, CODEOWNERS_ERRORS_TTL_MS);
  }

  /** Members of "org/slug", lower case; cached per installation for TEAM_TTL_MS. */
  #team(team: string): Promise<Fact<readonly string[]>> {
    const [org, slug, ...rest] = team.split("/");
    if (!org || !slug || rest.length > 0) {
      return Promise.resolve(unknownFact(`"${team}" is not a team name: write it as org/team-slug`));
    }
    const cacheKey = `team:${this.#opts.installationId ?? this.#repo.owner.toLowerCase()}:${team}`;
    const cache = this.#opts.teamCache;
    const cached = cache?.get(cacheKey) as Promise<Fact<readonly string[]>> | undefined;
    if (cached) return cached;
    const maxLookups = this.#opts.maxTeamLookups ?? MAX_TEAM_LOOKUPS_PER_EVALUATION;
    if (!this.#teamsLookedUp.has(team) && this.#teamsLookedUp.size >= maxLookups) {
      return Promise.resolve(unknownFact(`team @${team} was not looked up: one evaluation lists the members of at most ${maxLookups} teams`));
    }
    this.#teamsLookedUp.add(team);
    const pending = this.#once(`team:${team}`, "team", `team @${team}`, async () => {
      try {
        const members = await listAll(
          (page) => this.#octokit.rest.teams.listMembersInOrg({ org, team_slug: slug, per_page: PER_PAGE, page }),
          (data) => parse(memberSchema, data, `the members of @${team}`),
          { onRequest: this.#count, maxPages: MAX_TEAM_MEMBER_PAGES + 1 },
        );
        if (members.length > MAX_TEAM_MEMBER_PAGES * PER_PAGE) {
          return unknownFact<readonly string[]>(`team @${team} has more than ${MAX_TEAM_MEMBER_PAGES * PER_PAGE} members: too many to list; name a smaller team`);
        }
        return known<readonly string[]>(members.map((m) => m.login.toLowerCase()));
      } catch (error) {
        const status = statusOf(error);
        if ((status === 404 || status === 403) && !isRateLimited(error)) {
          return unknownFact<readonly string[]>(
            `the app cannot see team @${team} (it needs the organisation permission members: read, and the team must exist and be visible)`,
          );
        }
        throw error;
      }
    });
    if (cache) {
      cache.set(cacheKey, pending, TEAM_TTL_MS);
      // Only a known membership is worth keeping: a failure is retried by the next evaluation.
      void pending.then((fact) => {
        if (!fact.known && cache.get(cacheKey) === pending) cache.delete(cacheKey);
      });
    }
    return pending;
  }

  #content(ref: GitRef, path: string): Promise<Fact<string | null>> {
    const sha = this.#sha(ref);
    const limit = this.#opts.maxContentBytes ?? DEFAULT_MAX_CONTENT_BYTES;
    return this.#pinned(`content:${limit}:${sha}:${path}`, `content:${ref}:${path}`, "content", `${path} at the ${ref} commit`, async () => {
      const read = await readRepoFile(this.#octokit, this.#repo, path, sha, { maxBytes: limit, onRequest: this.#count });
      switch (read.kind) {
        case "missing":
          return known<string | null>(null);
        case "file":
          return known<string | null>(read.content);
        case "too-large":
          return unknownFact(`${path} at the ${ref} commit is ${read.size} bytes, over the ${limit}-byte limit for reading a file`);
        case "binary":
          return unknownFact(`${path} at the ${ref} commit is a binary file`);
        case "not-a-file":
          return unknownFact(`${path} at the ${ref} commit is a ${read.type === "dir" ? "directory" : read.type}, not a file`);
      }
    });
  }

  #tree(ref: GitRef): Promise<Fact<readonly string[]>> {
    const sha = this.#sha(ref);
    return this.#pinned(`tree:${sha}`, `tree:${ref}`, "tree", `the file tree at the ${ref} commit`, async () => {
      this.#count();
      const response = await this.#octokit.rest.git.getTree({ ...this.#params, tree_sha: sha, recursive: "1" });
      const tree = parse(treeSchema, response.data, `the file tree at the ${ref} commit`);
      if (tree.truncated) {
        return unknownFact(`the repository is too large for GitHub to list its files in one request (the tree at the ${ref} commit is truncated)`);
      }
      return known(tree.tree.filter((e) => e.type === "blob").map((e) => e.path));
    });
  }

  /**
   * Head content of changed files GitHub gave no patch for. Each is read with a JSON contents
   * request, which answers the size before any content is sent: a file over the limit costs one
   * small request and is never downloaded (a raw request would stream it whole first). Up to
   * 1 MB the content comes in the same answer.
   */
  #headContentsOfUnpatched(soFar: Facts): Promise<Fact<ReadonlyMap<string, Fact<string>>>> {
    const maxBytes = this.#opts.maxUnpatchedBytes ?? DEFAULT_MAX_UNPATCHED_BYTES;
    const maxFiles = this.#opts.maxUnpatchedFiles ?? DEFAULT_MAX_UNPATCHED_FILES;
    const sha = this.#pull.headSha;
    return this.#once("headContentsOfUnpatched", "headContentsOfUnpatched", "the changed files without a diff", async () => {
      const files = await this.#files(soFar);
      if (!files.known) return unknownFact(`cannot list the changed files: ${files.reason}`);
      const unpatched = files.value.filter((f) => f.patch === undefined && f.status !== "removed");
      const out = new Map<string, Fact<string>>();
      const toFetch: string[] = [];
      for (const f of unpatched) {
        const skipped = skipByName(f.path);
        if (skipped) out.set(f.path, unknownFact(skipped));
        else if (toFetch.length >= maxFiles) out.set(f.path, unknownFact(`not downloaded: more than ${maxFiles} changed files have no diff`));
        else toFetch.push(f.path);
      }
      const read = await mapLimit(toFetch, CONCURRENT_CONTENT_READS, async (path): Promise<Fact<string>> => {
        try {
          const r = await readRepoFile(this.#octokit, this.#repo, path, sha, { maxBytes, onRequest: this.#count });
          switch (r.kind) {
            case "file":
              return known(r.content);
            case "too-large":
              return unknownFact(`${r.size} bytes, over the ${maxBytes}-byte limit: not downloaded`);
            case "binary":
              return unknownFact(BINARY_CONTENT_REASON);
            case "missing":
              return unknownFact("not found at the head commit");
            case "not-a-file":
              return unknownFact(`a ${r.type}, not a file`);
          }
        } catch (error) {
          return unknownFact(describeReadFailure("headContentsOfUnpatched", `${path} at the head commit`, error));
        }
      });
      toFetch.forEach((path, i) => out.set(path, read[i]!));
      // Keep the order GitHub listed the files in.
      return known(new Map(unpatched.map((f) => [f.path, out.get(f.path)!])));
    });
  }
}
