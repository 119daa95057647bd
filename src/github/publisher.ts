/**
 * Writes a rendered verdict (the pipeline's render step made it; nothing here renders) to
 * GitHub: one check run per head commit and one sticky comment per pull request. Writes are what
 * GitHub rate-limits hardest (Probot spaces them 1 s apart, comments 3 s), so nothing is written
 * that would not change what a person sees.
 *
 * Check runs. The run named checkName on the head commit is found (from the in-process cache, else
 * the publication ledger in the state store, else one listing) and updated in place. GitHub APPENDS annotations on every
 * update, so an update carries annotations only when the run has none yet; when a run that
 * already has annotations needs different ones, a new run with the same name replaces it
 * (GitHub shows and requires the latest). A completed run never goes back to in_progress: a
 * pending verdict after a completed one is also a new run.
 *
 * Comments. Found by the hidden marker in a comment written by this app, created only when the
 * policy asks, edited in place, and left alone when the body would not change. The pull request's
 * comment ledger (the state store) remembers its id, or that a listing found none, across head
 * commits: the comments are listed once per pull request, and again only when an edit answers 404.
 */
import { createHash } from "node:crypto";
import type { Conclusion } from "../engine/evaluate.js";
import type { CheckRunOutput, CommentRecord, Logger, Publication, PublicationLedger, PublicationView, PublishedIds, Publisher, RenderedComment } from "../ports.js";
import type { TtlCache } from "./cache.js";
import { findInPages, isRateLimited, listAll, PER_PAGE, statusOf } from "./octokit.js";
import type { AnnotationWrite, CheckRunWrite, GitHubClient } from "./octokit.js";

/** GitHub's limits (see design/github-facts.md). */
export const OUTPUT_TEXT_LIMIT = 65_535;
export const COMMENT_BODY_LIMIT = 65_536;
export const ANNOTATIONS_PER_REQUEST = 50;
export const ANNOTATION_TITLE_LIMIT = 255;
const ANNOTATION_MESSAGE_LIMIT = 65_535;
/** Three requests' worth: more annotations than this cost writes without helping anyone. */
export const DEFAULT_MAX_ANNOTATIONS = 150;
/** How long the in-process cache trusts what it knows about a check run or a comment. */
export const PUBLISHED_TTL_MS = 60 * 60_000;

export interface PublishTarget {
  readonly owner: string;
  readonly repo: string;
  /** The commit the check run belongs to (a merge group's head for merge queues). */
  readonly headSha: string;
  /** Without it, no comment is read or written (merge queues). */
  readonly pullNumber?: number;
}

export interface PublisherOptions {
  /** Default "readiness". */
  readonly checkName?: string;
  /** The app's slug: its comments are by `${appSlug}[bot]`, its check runs carry app.slug. */
  readonly appSlug?: string;
  readonly log?: Logger;
  /**
   * What the render step is asked to produce for this publisher (its maxAnnotations is this
   * publisher's); default: a pull request's, in the target's repository.
   */
  readonly view?: PublicationView;
  /**
   * Remembers, per process, the check run and comment last written, so a re-evaluation whose
   * result did not change makes no request at all, and one that did skips the lookup. Keys are
   * namespaced ("check-run:", "comment:"); share one cache per process or installation.
   */
  readonly cache?: TtlCache;
  /**
   * Write the check run even when nothing changed: after check_run/check_suite `rerequested`
   * GitHub resets the suite to queued, and only a write settles it again.
   */
  readonly forceCheckWrite?: boolean;
  /** Annotations sent at most (50 per request). Default 150. */
  readonly maxAnnotations?: number;
  /**
   * What was published for this subject and head commit, shared by every process (the state
   * store): consulted before any listing, kept after every write. Without it, or when it knows
   * nothing, the check run and comment are found by listing them.
   */
  readonly ledger?: PublicationLedger;
}

export interface GitHubPublisher extends Publisher {
  /** Requests that wrote (POST/PATCH) so far. */
  readonly writeCount: number;
  /** Requests that read (GET) so far. */
  readonly readCount: number;
  /**
   * No verdict could be computed: the check run (created or updated in place) completes as
   * failed with this output, so a required check never stays missing or in progress. No comment.
   */
  publishUnavailable(output: CheckRunOutput): Promise<void>;
}

/** What the check run should show. */
interface DesiredRun {
  readonly status: "in_progress" | "completed";
  readonly conclusion?: "success" | "failure" | "neutral";
  readonly title: string;
  readonly summary: string;
  readonly text: string;
  readonly annotations: readonly AnnotationWrite[];
}

/** A check run as last seen on GitHub (listing) or last written (cache). */
interface KnownRun {
  readonly id: number;
  readonly htmlUrl?: string;
  readonly status: string;
  readonly conclusion: string | null;
  readonly title: string;
  readonly summary: string;
  readonly text: string;
  readonly annotationsCount: number;
  /** Known when this process wrote the annotations; otherwise they are read when needed. */
  readonly annotationsDigest?: string;
  /** Known from the ledger, which keeps digests rather than the output itself. */
  readonly contentDigest?: string;
}

/** A comment as last seen (listing), written (cache), or recorded (ledger: digest only). */
interface KnownComment {
  readonly id: number;
  readonly body?: string;
  readonly digest?: string;
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

function contentDigest(run: Pick<KnownRun, "status" | "conclusion" | "title" | "summary" | "text">): string {
  return sha256(JSON.stringify([run.status, run.conclusion ?? "", run.title, run.summary, run.text]));
}

const commentDigest = (comment: KnownComment): string => comment.digest ?? sha256(comment.body ?? "");

const LEDGER_FORMAT = "v1";

/**
 * The ledger's check digest: what deciding the next write needs (status, annotations, content
 * digests) and the run's URL, which the comment links to.
 */
function ledgerCheckDigest(run: KnownRun): string | undefined {
  if (run.annotationsDigest === undefined) return undefined;
  return [LEDGER_FORMAT, run.status, run.annotationsCount, run.annotationsDigest, run.contentDigest ?? contentDigest(run), run.htmlUrl ?? ""].join(":");
}

function runFromLedger(ids: PublishedIds | undefined): KnownRun | undefined {
  if (ids?.checkRunId === undefined || ids.checkDigest === undefined) return undefined;
  const [format, status, count, annotations, content, ...url] = ids.checkDigest.split(":");
  const annotationsCount = Number(count);
  if (format !== LEDGER_FORMAT || !status || !Number.isSafeInteger(annotationsCount) || !annotations || !content) return undefined;
  const htmlUrl = url.join(":");
  return {
    id: ids.checkRunId,
    ...(htmlUrl ? { htmlUrl } : {}),
    status,
    conclusion: null,
    title: "",
    summary: "",
    text: "",
    annotationsCount,
    annotationsDigest: annotations,
    contentDigest: content,
  };
}

function commentFromLedger(ids: PublishedIds | undefined): KnownComment | undefined {
  if (ids?.commentId === undefined || ids.commentDigest === undefined) return undefined;
  return { id: ids.commentId, digest: ids.commentDigest };
}

export function statusFor(conclusion: Conclusion): Pick<DesiredRun, "status" | "conclusion"> {
  return conclusion === "pending" ? { status: "in_progress" } : { status: "completed", conclusion };
}

/**
 * A safety net behind the renderer, which already fits its output: GitHub measures these limits
 * in UTF-8 bytes, so cut by bytes, at a line boundary where there is one, never inside a character.
 */
export function fitText(text: string, limitBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= limitBytes) return text;
  const note = "\n\n… (cut to fit GitHub's size limit)";
  const budget = limitBytes - Buffer.byteLength(note, "utf8");
  let cut = Buffer.from(text, "utf8").subarray(0, budget).toString("utf8");
  // A multi-byte character split by the cut decodes to U+FFFD: drop it.
  cut = cut.replace(/\uFFFD+$/, "");
  const lastLine = cut.lastIndexOf("\n");
  if (lastLine > budget / 2) cut = cut.slice(0, lastLine);
  return cut + note;
}

function validAnnotations(annotations: CheckRunOutput["annotations"]): AnnotationWrite[] {
  const out: AnnotationWrite[] = [];
  for (const a of annotations) {
    if (!a.path || !Number.isInteger(a.start_line) || a.start_line < 1 || a.message === "") continue;
    const end = Number.isInteger(a.end_line) && a.end_line >= a.start_line ? a.end_line : a.start_line;
    out.push({
      path: a.path,
      start_line: a.start_line,
      end_line: end,
      annotation_level: a.annotation_level,
      message: fitText(a.message, ANNOTATION_MESSAGE_LIMIT),
      ...(a.title ? { title: a.title.length > ANNOTATION_TITLE_LIMIT ? `${a.title.slice(0, ANNOTATION_TITLE_LIMIT - 1)}…` : a.title } : {}),
    });
  }
  return out;
}

/** Order-independent digest of annotations, comparable with what GitHub lists back. */
export function annotationsDigest(annotations: readonly { path: string; start_line: number; end_line: number; annotation_level: string | null; message: string | null; title?: string | null }[]): string {
  const keys = annotations.map((a) => JSON.stringify([a.path, a.start_line, a.end_line, a.annotation_level ?? "", a.message ?? "", a.title ?? ""])).sort();
  return createHash("sha256").update(keys.join("\n")).digest("hex");
}

/** The render step was told maxAnnotations (the view's), so its summary already says how many are shown. */
function desiredRun(output: CheckRunOutput, conclusion: Conclusion, maxAnnotations: number): DesiredRun {
  const annotations = validAnnotations(output.annotations);
  return {
    ...statusFor(conclusion),
    title: output.title,
    summary: fitText(output.summary, OUTPUT_TEXT_LIMIT),
    text: fitText(output.text ?? "", OUTPUT_TEXT_LIMIT),
    annotations: annotations.slice(0, maxAnnotations),
  };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A failed write, with what to do; the cause keeps GitHub's answer for the logs. */
export class PublishError extends Error {
  readonly status: number | undefined;
  constructor(action: string, cause: unknown, permission: string) {
    const status = statusOf(cause);
    const hint = isRateLimited(cause) ? " (GitHub's rate limit was reached)" : status === 403 ? ` (the app needs the permission ${permission})` : "";
    super(`could not ${action}: ${status === undefined ? "the request failed" : `GitHub answered ${status}`}${hint}`, { cause });
    this.name = "PublishError";
    this.status = status;
  }
}

const runSchemaFields = (data: unknown): KnownRun | undefined => {
  if (typeof data !== "object" || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d.id !== "number") return undefined;
  const output = (typeof d.output === "object" && d.output !== null ? d.output : {}) as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === "string" ? v : "");
  return {
    id: d.id,
    ...(typeof d.html_url === "string" ? { htmlUrl: d.html_url } : {}),
    status: str(d.status),
    conclusion: typeof d.conclusion === "string" ? d.conclusion : null,
    title: str(output.title),
    summary: str(output.summary),
    text: str(output.text),
    annotationsCount: typeof output.annotations_count === "number" ? output.annotations_count : 0,
  };
};

interface ListedRun {
  readonly raw: unknown;
  readonly name: string;
  readonly appSlug: string | undefined;
}

function listedRuns(data: unknown): ListedRun[] {
  const runs = typeof data === "object" && data !== null ? (data as { check_runs?: unknown }).check_runs : undefined;
  if (!Array.isArray(runs)) throw new Error("GitHub answered the check-run listing with an unexpected shape");
  return runs.map((raw: unknown) => {
    const r = (raw ?? {}) as { name?: unknown; app?: { slug?: unknown } | null };
    return { raw, name: typeof r.name === "string" ? r.name : "", appSlug: typeof r.app?.slug === "string" ? r.app.slug : undefined };
  });
}

interface ListedComment {
  readonly id: number;
  readonly body: string;
  readonly login: string;
  readonly type: string;
}

function listedComments(data: unknown): ListedComment[] {
  if (!Array.isArray(data)) throw new Error("GitHub answered the comment listing with an unexpected shape");
  return data.flatMap((raw: unknown) => {
    const c = (raw ?? {}) as { id?: unknown; body?: unknown; user?: { login?: unknown; type?: unknown } | null };
    if (typeof c.id !== "number") return [];
    return [{ id: c.id, body: typeof c.body === "string" ? c.body : "", login: typeof c.user?.login === "string" ? c.user.login : "", type: typeof c.user?.type === "string" ? c.user.type : "" }];
  });
}

export function createPublisher(octokit: GitHubClient, target: PublishTarget, opts: PublisherOptions): GitHubPublisher {
  const checkName = opts.checkName ?? "readiness";
  const maxAnnotations = opts.maxAnnotations ?? DEFAULT_MAX_ANNOTATIONS;
  const repo = { owner: target.owner, repo: target.repo };
  const repository = `${target.owner}/${target.repo}`;
  const runKey = `check-run:${repository}@${target.headSha}:${checkName}`.toLowerCase();
  const commentKey = `comment:${repository}#${target.pullNumber ?? ""}`.toLowerCase();
  const botLogin = opts.appSlug ? `${opts.appSlug}[bot]` : undefined;
  // The render step fits the annotations to what this publisher sends, so its summary says so.
  const view: PublicationView = { ...(opts.view ?? { kind: "pull", repository }), maxAnnotations };
  let reads = 0;
  let writes = 0;

  const read = async <T>(call: () => Promise<T>, action: string, permission: string): Promise<T> => {
    reads += 1;
    try {
      return await call();
    } catch (error) {
      throw new PublishError(action, error, permission);
    }
  };
  const write = async <T>(call: () => Promise<T>, action: string, permission: string): Promise<T> => {
    writes += 1;
    try {
      return await call();
    } catch (error) {
      throw new PublishError(action, error, permission);
    }
  };

  const remember = (key: string, value: KnownRun | KnownComment): void => opts.cache?.set(key, value, PUBLISHED_TTL_MS);

  // The store is a shortcut, never a reason to fail: without it the listing finds the same run.
  let recalled: Promise<PublishedIds | undefined> | undefined;
  const recall = (): Promise<PublishedIds | undefined> =>
    (recalled ??= (opts.ledger?.recall() ?? Promise.resolve(undefined)).catch((error: unknown) => {
      opts.log?.warn({ err: error }, "could not read what was published from the state store; looking it up on GitHub");
      return undefined;
    }));
  const keep = async (ids: PublishedIds): Promise<void> => {
    if (!opts.ledger) return;
    try {
      await opts.ledger.keep(ids);
    } catch (error) {
      opts.log?.warn({ err: error }, "could not record what was published in the state store");
    }
  };
  const commentLedger = opts.ledger?.comment;
  const recallSticky = async (): Promise<KnownComment | "none" | undefined> => {
    try {
      return await commentLedger?.recall();
    } catch (error) {
      opts.log?.warn({ err: error }, "could not read the pull request's comment from the state store; looking it up on GitHub");
      return undefined;
    }
  };
  const keepSticky = async (comment: CommentRecord | "none"): Promise<void> => {
    try {
      await (comment === "none" ? commentLedger?.keepNone() : commentLedger?.keep(comment));
    } catch (error) {
      opts.log?.warn({ err: error }, "could not record the pull request's comment in the state store");
    }
  };
  const keepRun = async (run: KnownRun): Promise<void> => {
    const checkDigest = ledgerCheckDigest(run);
    if (checkDigest !== undefined) await keep({ checkRunId: run.id, checkDigest });
  };

  async function findRun(): Promise<KnownRun | undefined> {
    const response = await read(
      () => octokit.rest.checks.listForRef({ ...repo, ref: target.headSha, check_name: checkName, filter: "latest" }),
      `look up the check run "${checkName}" on ${target.headSha.slice(0, 7)}`,
      "checks: read",
    );
    const mine = listedRuns(response.data).find((r) => r.name === checkName && (opts.appSlug === undefined || r.appSlug === opts.appSlug));
    return mine ? runSchemaFields(mine.raw) : undefined;
  }

  async function annotationsMatch(run: KnownRun, desired: DesiredRun, desiredDigest: string): Promise<boolean> {
    if (run.annotationsCount !== desired.annotations.length) return false;
    if (run.annotationsCount === 0) return true;
    if (run.annotationsDigest !== undefined) return run.annotationsDigest === desiredDigest;
    const listed = await listAll(
      (page) => octokit.rest.checks.listAnnotations({ ...repo, check_run_id: run.id, per_page: PER_PAGE, page }),
      (data) => (Array.isArray(data) ? (data as Parameters<typeof annotationsDigest>[0]) : []),
      { onRequest: () => (reads += 1) },
    ).catch((error: unknown) => {
      throw new PublishError(`read the annotations of the check run "${checkName}"`, error, "checks: read");
    });
    return annotationsDigest(listed) === desiredDigest;
  }

  function outputOf(desired: DesiredRun, annotations?: AnnotationWrite[]): NonNullable<CheckRunWrite["output"]> {
    return {
      title: desired.title,
      summary: desired.summary,
      ...(desired.text !== "" ? { text: desired.text } : {}),
      ...(annotations && annotations.length > 0 ? { annotations } : {}),
    };
  }

  /** Sends annotation batches after the first, each appended by GitHub. */
  async function appendAnnotations(id: number, desired: DesiredRun, rest: AnnotationWrite[][]): Promise<void> {
    for (const batch of rest) {
      await write(
        () => octokit.rest.checks.update({ ...repo, check_run_id: id, output: outputOf(desired, batch) }),
        `add annotations to the check run "${checkName}"`,
        "checks: write",
      );
    }
  }

  /** The verdict and output of a create or update, with the first batch of annotations. */
  function runFields(desired: DesiredRun, annotations: AnnotationWrite[] | undefined): CheckRunWrite {
    return { status: desired.status, ...(desired.conclusion ? { conclusion: desired.conclusion } : {}), output: outputOf(desired, annotations) };
  }

  /** What GitHub shows after `desired` was written to `run` (annotations replaced or kept). */
  function written(run: KnownRun, desired: DesiredRun, digest: string): KnownRun {
    const state = desiredState(desired);
    return { ...run, ...state, annotationsCount: desired.annotations.length, annotationsDigest: digest, contentDigest: contentDigest(state) };
  }

  function desiredState(desired: DesiredRun): Pick<KnownRun, "status" | "conclusion" | "title" | "summary" | "text"> {
    return { status: desired.status, conclusion: desired.conclusion ?? null, title: desired.title, summary: desired.summary, text: desired.text };
  }

  async function createRun(desired: DesiredRun, digest: string): Promise<KnownRun> {
    const [first, ...rest] = batches(desired.annotations, ANNOTATIONS_PER_REQUEST);
    const response = await write(
      () => octokit.rest.checks.create({ ...repo, name: checkName, head_sha: target.headSha, ...runFields(desired, first) }),
      `create the check run "${checkName}" on ${target.headSha.slice(0, 7)}`,
      "checks: write",
    );
    const created = runSchemaFields(response.data);
    if (!created) throw new Error("GitHub answered the check-run creation with an unexpected shape");
    await appendAnnotations(created.id, desired, rest);
    return written(created, desired, digest);
  }

  async function updateRun(run: KnownRun, desired: DesiredRun, digest: string, withAnnotations: boolean): Promise<KnownRun> {
    const [first, ...rest] = withAnnotations ? batches(desired.annotations, ANNOTATIONS_PER_REQUEST) : [];
    await write(
      () => octokit.rest.checks.update({ ...repo, check_run_id: run.id, ...runFields(desired, first) }),
      `update the check run "${checkName}" on ${target.headSha.slice(0, 7)}`,
      "checks: write",
    );
    await appendAnnotations(run.id, desired, rest);
    return written(run, desired, digest);
  }

  /** Makes the run on the head commit show `desired`; returns it (for its URL). */
  async function publishRun(desired: DesiredRun, trustCache = true): Promise<KnownRun> {
    const digest = annotationsDigest(desired.annotations);
    const cached = trustCache ? (opts.cache?.get(runKey) as KnownRun | undefined) : undefined;
    const recorded = trustCache && !cached ? runFromLedger(await recall()) : undefined;
    const known = cached ?? recorded;
    const run = known ?? (await findRun());
    let result: KnownRun;
    if (!run) {
      result = await createRun(desired, digest);
    } else {
      const same = desiredState(desired);
      const sameOutput =
        run.contentDigest !== undefined
          ? run.contentDigest === contentDigest(same)
          : run.status === same.status && run.conclusion === same.conclusion && run.title === same.title && run.summary === same.summary && run.text === same.text;
      const sameAnnotations = await annotationsMatch(run, desired, digest);
      if (sameOutput && sameAnnotations && !opts.forceCheckWrite) {
        const confirmed = { ...run, annotationsDigest: digest };
        remember(runKey, confirmed);
        // Found by listing: recorded, so the next process needs no listing.
        if (!known) await keepRun(confirmed);
        return run;
      }
      const reopens = run.status === "completed" && desired.status !== "completed";
      if (reopens || (!sameAnnotations && run.annotationsCount > 0)) {
        result = await createRun(desired, digest);
      } else {
        try {
          result = await updateRun(run, desired, digest, !sameAnnotations);
        } catch (error) {
          // The remembered run is gone (deleted with its suite): look again, once.
          if (!(known && error instanceof PublishError && error.status === 404)) throw error;
          opts.cache?.delete(runKey);
          return publishRun(desired, false);
        }
      }
    }
    remember(runKey, result);
    await keepRun(result);
    return result;
  }

  function ensureMarker(body: string, marker: string): string {
    const marked = body.includes(marker) ? body : `${marker}\n${body}`;
    return fitText(marked, COMMENT_BODY_LIMIT);
  }

  async function findComment(issueNumber: number, marker: string): Promise<KnownComment | undefined> {
    const hit = await findInPages(
      (page) => octokit.rest.issues.listComments({ ...repo, issue_number: issueNumber, per_page: PER_PAGE, page }),
      listedComments,
      (c) => c.type === "Bot" && (botLogin === undefined || c.login === botLogin) && c.body.includes(marker),
      { onRequest: () => (reads += 1) },
    ).catch((error: unknown) => {
      throw new PublishError(`list the comments of pull request #${issueNumber}`, error, "pull_requests: read");
    });
    return hit ? { id: hit.id, body: hit.body } : undefined;
  }

  async function createComment(issueNumber: number, body: string): Promise<void> {
    const response = await write(
      () => octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body }),
      `comment on pull request #${issueNumber}`,
      "pull_requests: write",
    );
    const id = (response.data as { id?: unknown } | null)?.id;
    if (typeof id === "number") await rememberComment({ id, body }, true);
  }

  async function rememberComment(comment: KnownComment, record: boolean): Promise<void> {
    remember(commentKey, comment);
    if (!record) return;
    const digest = commentDigest(comment);
    await keep({ commentId: comment.id, commentDigest: digest });
    await keepSticky({ id: comment.id, digest });
  }

  async function updateComment(issueNumber: number, comment: KnownComment, body: string): Promise<void> {
    await write(
      () => octokit.rest.issues.updateComment({ ...repo, comment_id: comment.id, body }),
      `update the readiness comment on pull request #${issueNumber}`,
      "pull_requests: write",
    );
    await rememberComment({ id: comment.id, body }, true);
  }

  /**
   * `create`: whether the policy wants a comment when there is none. An existing one is always
   * kept current, so a comment that said "blocked" says "ready" once the pull request is.
   */
  async function publishComment(comment: RenderedComment, run: KnownRun): Promise<void> {
    const issueNumber = target.pullNumber;
    if (issueNumber === undefined) return;
    const { create, marker } = comment;
    const wanted = ensureMarker(comment.body(run.htmlUrl), marker);
    const cached = opts.cache?.get(commentKey) as KnownComment | undefined;
    const sticky = cached ? undefined : await recallSticky();
    const recorded = sticky === undefined || sticky === "none" ? undefined : sticky;
    const known = cached ?? recorded ?? commentFromLedger(await recall());
    // A listing found none, and every comment written since would have been recorded.
    const noneKnown = !known && sticky === "none";
    const existing = known ?? (noneKnown ? undefined : await findComment(issueNumber, marker));
    if (!existing) {
      if (create) await createComment(issueNumber, wanted);
      else if (!noneKnown) await keepSticky("none");
      return;
    }
    if (commentDigest(existing) === sha256(wanted)) {
      // Found by listing, or known at this head only: recorded, so the next evaluation needs no listing.
      await rememberComment(existing, !cached && !recorded);
      return;
    }
    try {
      await updateComment(issueNumber, existing, wanted);
    } catch (error) {
      if (!(error instanceof PublishError && error.status === 404)) throw error;
      // Deleted since we last saw it: find the current one (if any) and try once more.
      opts.cache?.delete(commentKey);
      const current = known ? await findComment(issueNumber, marker) : undefined;
      if (current && commentDigest(current) === sha256(wanted)) await rememberComment(current, true);
      else if (current) await updateComment(issueNumber, current, wanted);
      else if (create) await createComment(issueNumber, wanted);
      else await keepSticky("none");
    }
  }

  return {
    view,

    get writeCount() {
      return writes;
    },
    get readCount() {
      return reads;
    },

    async publish(publication: Publication) {
      const { check, comment } = publication;
      const run = await publishRun(desiredRun(check.output, check.conclusion, maxAnnotations));
      opts.log?.debug?.({ repository, checkRun: run.id, conclusion: check.conclusion }, "published the check run");
      if (comment) await publishComment(comment, run);
    },

    async publishUnavailable(output: CheckRunOutput) {
      const run = await publishRun(desiredRun(output, "failure", maxAnnotations));
      opts.log?.warn({ repository, checkRun: run.id }, "published that no verdict could be computed");
    },
  };
}
