/**
 * Writes the alert issue of a repository: opened once, edited in place, closed with a comment.
 * Receives rendered text (src/render/alert.ts); decides nothing about levels.
 */
import type { GitHubClient, RepoCoordinates } from "./octokit.js";
import { statusOf } from "./octokit.js";

export interface AlertIssueWrite {
  readonly title: string;
  readonly body: string;
}

function issuesApi(octokit: GitHubClient) {
  const issues = octokit.rest.issues;
  if (!issues.create || !issues.update || !issues.get) throw new Error("this GitHub client cannot write issues");
  return { create: issues.create, update: issues.update, get: issues.get, createComment: issues.createComment };
}

/** Opens the issue; returns its number and URL. Assignees GitHub refuses (not collaborators) are dropped and retried once without. */
export async function openAlertIssue(
  octokit: GitHubClient,
  repo: RepoCoordinates,
  issue: AlertIssueWrite & { readonly labels: readonly string[]; readonly assignees: readonly string[] },
): Promise<{ number: number; url?: string }> {
  const api = issuesApi(octokit);
  const write = { ...repo, title: issue.title, body: issue.body, labels: [...issue.labels] };
  let response;
  try {
    response = await api.create({ ...write, ...(issue.assignees.length > 0 ? { assignees: [...issue.assignees] } : {}) });
  } catch (error) {
    if (statusOf(error) !== 422 || issue.assignees.length === 0) throw error;
    response = await api.create(write);
  }
  const data = response.data as { number: number; html_url?: string };
  return { number: data.number, ...(data.html_url ? { url: data.html_url } : {}) };
}

/**
 * Whether the remembered issue is still open (a person may have closed or deleted it, or moved
 * the repository's issues): a closed or missing issue means the next drop opens a new one.
 */
export async function alertIssueOpen(octokit: GitHubClient, repo: RepoCoordinates, number: number): Promise<boolean> {
  try {
    const response = await issuesApi(octokit).get({ ...repo, issue_number: number });
    return (response.data as { state?: string }).state === "open";
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 410) return false;
    throw error;
  }
}

export async function editAlertIssue(octokit: GitHubClient, repo: RepoCoordinates, number: number, issue: AlertIssueWrite, comment?: string): Promise<void> {
  const api = issuesApi(octokit);
  await api.update({ ...repo, issue_number: number, title: issue.title, body: issue.body });
  if (comment) await api.createComment({ ...repo, issue_number: number, body: comment });
}

export async function closeAlertIssue(octokit: GitHubClient, repo: RepoCoordinates, number: number, comment: string): Promise<void> {
  const api = issuesApi(octokit);
  await api.createComment({ ...repo, issue_number: number, body: comment });
  await api.update({ ...repo, issue_number: number, state: "closed", state_reason: "completed" });
}
