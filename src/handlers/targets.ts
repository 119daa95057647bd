/**
 * Which open pull requests a commit is the head of, at the least cost: the payload's own list,
 * then what earlier events taught the evaluator, then one (paginated) listing of open pull
 * requests.
 */
import type { PullRequestInfo } from "../engine/types.js";
import type { Evaluator } from "../github/evaluate-pull.js";
import { openPullsWithHead } from "../github/events.js";
import type { AppOctokit, RepoRef } from "../github/events.js";
import { pullFromPayload } from "../github/pull.js";

/** A pull request whose head is the commit: its number and base always, its details when the lookup returned them. */
export interface HeadPull {
  readonly number: number;
  readonly baseSha: string;
  readonly pull?: PullRequestInfo;
}

/** The repository as every webhook payload carries it. */
export interface RepositoryPayload {
  readonly id: number;
  readonly name: string;
  readonly owner: { readonly login: string };
}

/** The short form check_run and check_suite payloads list. */
export interface PayloadPullRef {
  readonly number: number;
  readonly base: { readonly sha: string; readonly repo?: { readonly id: number } };
  readonly head: { readonly sha: string };
}

export async function pullsWithHead(
  octokit: AppOctokit,
  repo: RepoRef,
  repositoryId: number,
  sha: string,
  evaluator: Evaluator,
  listed: readonly PayloadPullRef[] = [],
): Promise<HeadPull[]> {
  // Check payloads also list pull requests of other repositories that share the commit.
  const own = listed.filter((p) => p.head.sha === sha && (p.base.repo?.id === undefined || p.base.repo.id === repositoryId));
  if (own.length > 0) return own.map((p) => ({ number: p.number, baseSha: p.base.sha }));
  const known = evaluator.knownPullsWithHead(repo, sha);
  if (known) return [...known];
  const found = (await openPullsWithHead(octokit, repo, sha)).map((raw) => {
    const pull = pullFromPayload(raw);
    return { number: pull.number, baseSha: pull.baseSha, pull };
  });
  evaluator.rememberPullsWithHead(repo, sha, found.map(({ number, baseSha }) => ({ number, baseSha })));
  return found;
}
