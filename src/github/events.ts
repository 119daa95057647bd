/**
 * What the handlers need to know about webhook payloads beyond their shape: which pull requests
 * an event concerns, and whether it touches anything the bot reads. Pure helpers, plus the two
 * pull-request listings the handlers fall back on.
 */
import { statusOf } from "./octokit.js";
import { CODEOWNERS_LOCATIONS } from "../codeowners/select.js";
import type { ProbotOctokit } from "probot";
import { CONFIG_PATHS } from "../config/schema.js";
import type { ResolvedConfig } from "../engine/evaluate.js";
import { nameMatcher } from "../engine/globs.js";
import type { PullRequestPayload } from "./pull.js";

/** The installation client Probot hands each event (the full Octokit, with pagination). */
export type AppOctokit = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

/** Files whose change on the default branch changes the verdict of open pull requests. */
export const READINESS_INPUT_PATHS: readonly string[] = [...CONFIG_PATHS, ...CODEOWNERS_LOCATIONS];

/** The organisation's baseline lives in this repository. */
export const ORG_CONFIG_REPOSITORY = ".github";

interface PushCommit {
  readonly added?: readonly string[];
  readonly modified?: readonly string[];
  readonly removed?: readonly string[];
}

/**
 * GitHub puts at most this many commits in a push payload; a longer push may have touched the
 * configuration in a commit the payload leaves out.
 */
export const PUSH_PAYLOAD_COMMIT_LIMIT = 2048;

/** The readiness inputs a push changed, or ["(unknown: ...)"] when the payload cannot tell. */
export function readinessInputsChanged(commits: readonly PushCommit[]): string[] {
  if (commits.length >= PUSH_PAYLOAD_COMMIT_LIMIT) return [`(unknown: the push has ${commits.length}+ commits)`];
  const changed = new Set<string>();
  for (const commit of commits) {
    for (const path of [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])]) {
      if (READINESS_INPUT_PATHS.includes(path)) changed.add(path);
    }
  }
  return [...changed].sort();
}

export interface MergeGroupEntry {
  /** The branch the queue merges into. */
  readonly base: string;
  readonly pullNumber: number;
  /** The pull request's head commit when it was queued. */
  readonly pullHeadSha: string;
}

const MERGE_QUEUE_REF = /^(?:refs\/heads\/)?gh-readonly-queue\/(.+)\/pr-(\d+)-([0-9a-f]{40})$/;

/**
 * GitHub names a merge group's branch after the one queue entry it tests:
 * `refs/heads/gh-readonly-queue/<base>/pr-<number>-<head sha>`. The entries ahead of it in the
 * queue have their own groups and their own checks, so one group asks for one verdict. The base
 * may itself contain slashes; the greedy match keeps them. null for anything else.
 */
export function parseMergeGroupRef(ref: string): MergeGroupEntry | null {
  const match = MERGE_QUEUE_REF.exec(ref);
  if (!match) return null;
  return { base: match[1]!, pullNumber: Number(match[2]), pullHeadSha: match[3]! };
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
