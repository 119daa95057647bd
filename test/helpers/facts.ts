/**
 * Builders for the pull request, its files and its reviews, shared by the rule tests. Only the
 * fields a rule reads matter (author, head commit, description, paths and statuses); the rest
 * are plausible constants.
 */
import { known } from "../../src/engine/types.js";
import type { ChangedFile, Facts, FileStatus, PullRequestInfo, Review, ReviewState } from "../../src/engine/types.js";

export const HEAD_SHA = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
/** A commit before the head: a review on it is stale. */
export const EARLIER_SHA = "0123abcdef0123abcdef0123abcdef0123abcdef";
export const AUTHOR = "octo-dev";

export const pullRequest = (over: Partial<PullRequestInfo> = {}): PullRequestInfo => ({
  number: 7,
  title: "Cart totals",
  body: "",
  author: AUTHOR,
  draft: false,
  labels: [],
  baseRef: "main",
  baseSha: "b".repeat(40),
  headRef: "cart-totals",
  headSha: HEAD_SHA,
  ...over,
});

export const changedFile = (path: string, status: FileStatus = "modified", previousPath?: string): ChangedFile => ({
  path,
  status,
  ...(previousPath ? { previousPath } : {}),
  additions: 1,
  deletions: 1,
});

/** The `files` fact: paths are modified files; a ChangedFile is taken as it is. */
export const changed = (...paths: (string | ChangedFile)[]): Partial<Facts> => ({
  files: known(paths.map((p) => (typeof p === "string" ? changedFile(p) : p))),
});

let clock = 0;
/** A review submitted one minute after the previous one built in this test file. */
export const review = (user: string, state: ReviewState, commitId = HEAD_SHA): Review => {
  clock += 1;
  return { id: clock, user, state, commitId, submittedAt: new Date(Date.UTC(2025, 0, 1, 0, clock)).toISOString() };
};
