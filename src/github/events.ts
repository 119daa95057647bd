/**
 * The reads that resolve what an event concerns (src/jobs/resolve.ts): which open pull requests
 * have a head or a base, whether a branch is where a payload says, whether a configuration waits
 * for a CI result.
 */
import { statusOf } from "./octokit.js";
import type { ProbotOctokit } from "probot";
import type { ResolvedConfig } from "../engine/evaluate.js";
import { nameMatcher } from "../engine/globs.js";
import type { PullRequestPayload } from "./pull.js";

/** The installation client Probot hands each event (the full Octokit, with pagination). */
export type AppOctokit = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

export interface MergeGroupEntry {
  /** The branch the queue merges into. */
  readonly base: string;
  readonly pullNumber: number;
  /** The pull request's head commit when it was queued. */
  readonly pullHeadSha: string;
}

/** The check-name patterns enabled `tests` rules wait for. */
export function awaitedCheckPatterns(config: ResolvedConfig): string[] {
  const patterns: string[] = [];
  for (const rule of config.rules) {
    if (rule.id !== "tests") continue;
    const checks = (rule.options as { checks?: unknown } | null)?.checks;
    if (typeof checks === "string") patterns.push(checks);
    else if (Array.isArray(checks)) patterns.push(...checks.filter((c): c is string => typeof c === "string"));
  }
  return patterns;
}

/** Whether a CI result with this name can change the configuration's verdict. */
export function configAwaitsCheck(config: ResolvedConfig, checkName: string): boolean {
  const patterns = awaitedCheckPatterns(config);
  return patterns.length > 0 && nameMatcher(patterns)(checkName);
}

/** A pull request as GitHub's listing returns it (the fields read here). */
export type ListedPull = PullRequestPayload & { readonly state: string };

/**
 * Open pull requests whose head is this commit. Used when a payload carries no pull-request
 * list: commit statuses never do, and check runs on forks come with an empty one.
 */
export async function openPullsWithHead(octokit: AppOctokit, repo: RepoRef, sha: string): Promise<ListedPull[]> {
  const pulls = (await octokit.paginate(octokit.rest.pulls.list, { owner: repo.owner, repo: repo.repo, state: "open", per_page: 100 })) as unknown as ListedPull[];
  return pulls.filter((pull) => pull.head.sha === sha);
}

/**
 * Whether `branch` is, in this repository, a branch at `sha`. A branch name is chosen by whoever
 * pushes it (a fork can call its branch gh-readonly-queue/main/pr-12-…), so a merge-queue name
 * in a payload proves nothing until the branch is found here. One read; 404 → false.
 */
export async function isBranchAt(octokit: AppOctokit, repo: RepoRef, branch: string, sha: string): Promise<boolean> {
  const name = branch.replace(/^refs\/heads\//, "");
  try {
    const { data } = await octokit.rest.git.getRef({ owner: repo.owner, repo: repo.repo, ref: `heads/${name}` });
    return (data as { object?: { sha?: string } }).object?.sha === sha;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

/** Open pull requests into this branch. */
export async function openPullsOnBase(octokit: AppOctokit, repo: RepoRef, base: string): Promise<ListedPull[]> {
  return (await octokit.paginate(octokit.rest.pulls.list, { owner: repo.owner, repo: repo.repo, state: "open", base, per_page: 100 })) as unknown as ListedPull[];
}
