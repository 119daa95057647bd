/**
 * The pull request as the engine sees it, from a webhook payload (no request) or from the API
 * (one request).
 */
import type { PullRequestInfo } from "../engine/types.js";
import type { GitHubClient, RepoCoordinates } from "./octokit.js";

/** The fields read from a webhook's or the API's pull request object. */
export interface PullRequestPayload {
  readonly number: number;
  readonly title: string;
  readonly body?: string | null;
  readonly user: { readonly login: string } | null;
  readonly draft?: boolean;
  readonly labels?: readonly ({ readonly name: string } | null)[];
  readonly base: { readonly ref: string; readonly sha: string };
  readonly head: { readonly ref: string; readonly sha: string };
  /** These three: present in pull_request events and the API, absent in pull_request_review events. */
  readonly changed_files?: number;
  readonly additions?: number;
  readonly deletions?: number;
}

/**
 * The totals are kept when GitHub gave them: the facts provider uses the number of changed files
 * to know a file list is complete (or over GitHub's 3,000-file cap) without guessing, and rules
 * may judge a pull request too large to list by its totals.
 */
export function pullFromPayload(pr: PullRequestPayload): PullRequestInfo {
  return {
    number: pr.number,
    title: pr.title,
    body: pr.body ?? "",
    // A deleted account shows as GitHub's "ghost" user; the payload may carry null instead.
    author: pr.user?.login ?? "ghost",
    draft: pr.draft ?? false,
    labels: (pr.labels ?? []).flatMap((label) => (label ? [label.name] : [])),
    baseRef: pr.base.ref,
    baseSha: pr.base.sha,
    headRef: pr.head.ref,
    headSha: pr.head.sha,
    ...(typeof pr.changed_files === "number" ? { changedFiles: pr.changed_files } : {}),
    ...(typeof pr.additions === "number" ? { additions: pr.additions } : {}),
    ...(typeof pr.deletions === "number" ? { deletions: pr.deletions } : {}),
  };
}

function isPullPayload(data: unknown): data is PullRequestPayload {
  if (typeof data !== "object" || data === null) return false;
  const d = data as Record<string, unknown>;
  const isRef = (v: unknown): boolean =>
    typeof v === "object" && v !== null && typeof (v as Record<string, unknown>).ref === "string" && typeof (v as Record<string, unknown>).sha === "string";
  return typeof d.number === "number" && typeof d.title === "string" && isRef(d.base) && isRef(d.head);
}

/** One GET /repos/{owner}/{repo}/pulls/{number}. Errors (404, 403) propagate to the caller. */
export async function fetchPull(octokit: GitHubClient, repo: RepoCoordinates, number: number): Promise<PullRequestInfo> {
  const response = await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: number });
  if (!isPullPayload(response.data)) {
    throw new Error(`GitHub answered GET /repos/${repo.owner}/${repo.repo}/pulls/${number} with an unexpected shape`);
  }
  return pullFromPayload(response.data);
}

/** The pull request as GitHub has it now, and whether it is still open (one request). */
export async function fetchPullState(octokit: GitHubClient, repo: RepoCoordinates, number: number): Promise<{ readonly pull: PullRequestInfo; readonly open: boolean; readonly state: string }> {
  const response = await octokit.rest.pulls.get({ owner: repo.owner, repo: repo.repo, pull_number: number });
  if (!isPullPayload(response.data)) {
    throw new Error(`GitHub answered GET /repos/${repo.owner}/${repo.repo}/pulls/${number} with an unexpected shape`);
  }
  const state = String((response.data as { state?: unknown }).state ?? "open");
  return { pull: pullFromPayload(response.data), open: state === "open", state };
}
