/**
 * The reads that resolve a branch subject (src/jobs): a repository's default branch, visibility
 * and the head a branch has now; the repositories of an installation.
 */
import { statusOf } from "./octokit.js";
import type { AppOctokit, RepoRef } from "./events.js";

export type Visibility = "public" | "private" | "internal";

export interface RepositoryState {
  readonly defaultBranch: string;
  readonly visibility: Visibility;
  readonly archived: boolean;
}

interface RepositoryPayload {
  readonly name?: unknown;
  readonly owner?: { readonly login?: unknown } | null;
  readonly default_branch?: unknown;
  readonly visibility?: unknown;
  readonly private?: unknown;
  readonly archived?: unknown;
}

function visibilityOf(data: RepositoryPayload): Visibility {
  if (data.visibility === "public" || data.visibility === "private" || data.visibility === "internal") return data.visibility;
  return data.private === false ? "public" : "private";
}

/** GET /repos/{owner}/{repo}: default branch, visibility, archived (one request). */
export async function fetchRepositoryState(octokit: AppOctokit, repo: RepoRef): Promise<RepositoryState> {
  const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  const payload = data as RepositoryPayload;
  if (typeof payload.default_branch !== "string") throw new Error("GitHub answered with an unexpected shape for the repository");
  return { defaultBranch: payload.default_branch, visibility: visibilityOf(payload), archived: payload.archived === true };
}

/** The commit a branch points to now; null when the branch does not exist (an empty repository). One request. */
export async function fetchBranchHead(octokit: AppOctokit, repo: RepoRef, branch: string): Promise<string | null> {
  try {
    const { data } = await octokit.rest.git.getRef({ owner: repo.owner, repo: repo.repo, ref: `heads/${branch}` });
    const sha = (data as { object?: { sha?: unknown } }).object?.sha;
    return typeof sha === "string" ? sha : null;
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 409) return null;
    throw error;
  }
}

export interface InstalledRepository extends RepoRef, RepositoryState {}

/** Every repository the installation can see (GET /installation/repositories, 100 a page). */
export async function listInstallationRepositories(octokit: AppOctokit): Promise<InstalledRepository[]> {
  const listed = (await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 })) as unknown as RepositoryPayload[];
  return listed.flatMap((r) =>
    typeof r.name === "string" && typeof r.owner?.login === "string" && typeof r.default_branch === "string"
      ? [{ owner: r.owner.login, repo: r.name, defaultBranch: r.default_branch, visibility: visibilityOf(r), archived: r.archived === true }]
      : [],
  );
}
