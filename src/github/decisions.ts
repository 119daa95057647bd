/**
 * What a command needs of GitHub besides the evaluation: the commenter's repository permission
 * and team memberships, a reaction on the comment, a reply, and a branch's head commit.
 */
import type { RepositoryPermission } from "../engine/evaluate.js";
import { REPOSITORY_PERMISSIONS } from "../engine/evaluate.js";
import { listAll, PER_PAGE, statusOf } from "./octokit.js";
import type { GitHubResponse, RepoCoordinates } from "./octokit.js";

/** Octokit's generic request method (Probot's installation client has it). */
export interface RequestingClient {
  request(route: string, params?: Record<string, unknown>): Promise<GitHubResponse>;
}

/** The commenter's permission: GitHub's role name (maintain, triage ...) when given; "none" for non-collaborators. */
export async function repositoryPermission(client: RequestingClient, repo: RepoCoordinates, user: string): Promise<RepositoryPermission | "none"> {
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { owner: repo.owner, repo: repo.repo, username: user });
    const data = response.data as { role_name?: unknown; permission?: unknown };
    for (const value of [data.role_name, data.permission]) {
      if (typeof value === "string" && (REPOSITORY_PERMISSIONS as readonly string[]).includes(value)) return value as RepositoryPermission;
    }
    return "none";
  } catch (error) {
    if (statusOf(error) === 404) return "none";
    throw error;
  }
}

/** Members (lower case) of "org/team"; undefined when the app cannot see the team. */
export async function teamMembers(client: RequestingClient, team: string): Promise<string[] | undefined> {
  const [org, slug] = team.split("/");
  if (!org || !slug) return undefined;
  try {
    const members = await listAll(
      (page) => client.request("GET /orgs/{org}/teams/{team_slug}/members", { org, team_slug: slug, per_page: PER_PAGE, page }),
      (data) => (Array.isArray(data) ? data.map((m: { login?: unknown }) => String(m.login ?? "").toLowerCase()) : []),
      { maxPages: 10 },
    );
    return members;
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 403) return undefined;
    throw error;
  }
}

export type Reaction = "+1" | "rocket" | "confused";

export async function react(client: RequestingClient, repo: RepoCoordinates, commentId: number, content: Reaction): Promise<void> {
  await client.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", { owner: repo.owner, repo: repo.repo, comment_id: commentId, content });
}

export async function reply(client: RequestingClient, repo: RepoCoordinates, issueNumber: number, body: string): Promise<void> {
  await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: repo.owner, repo: repo.repo, issue_number: issueNumber, body });
}

/** The commit a branch points at; undefined when there is no such branch. */
export async function branchHead(client: RequestingClient, repo: RepoCoordinates, branch: string): Promise<string | undefined> {
  try {
    const response = await client.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { owner: repo.owner, repo: repo.repo, ref: `heads/${branch}` });
    const sha = (response.data as { object?: { sha?: unknown } }).object?.sha;
    return typeof sha === "string" ? sha : undefined;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
