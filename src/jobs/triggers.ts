/**
 * What a webhook payload says without asking GitHub: whether a push touched a readiness input,
 * which pull request a merge-queue branch names, whether a check run is the bot's own. Pure; the
 * handlers build jobs from these, the runner resolves the rest.
 */
import { CODEOWNERS_LOCATIONS } from "../codeowners/select.js";
import { CONFIG_PATHS } from "../config/schema.js";
import type { MergeGroupEntry } from "../github/events.js";

/** Files whose change on the default branch changes the verdict of open pull requests. */
export const READINESS_INPUT_PATHS: readonly string[] = [...CONFIG_PATHS, ...CODEOWNERS_LOCATIONS];

/** The organisation's baseline lives in this repository. */
export const ORG_CONFIG_REPOSITORY = ".github";

/**
 * Whether a push to the organisation's `.github` repository changed its readiness baseline: a
 * configuration file, or any YAML file whose name says readiness (a baseline `extends` names).
 * "(unknown ...)" from readinessInputsChanged counts as changed.
 */
export function baselineChanged(commits: readonly PushCommit[]): boolean {
  if (commits.length >= PUSH_PAYLOAD_COMMIT_LIMIT) return true;
  return commits.some((commit) =>
    [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])].some((path) => (CONFIG_PATHS as readonly string[]).includes(path) || /(^|\/)[^/]*readiness[^/]*\.ya?ml$/i.test(path)),
  );
}

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

/** What identifies the bot's own check runs: the app's id when known, else the check's name. */
export interface OwnCheck {
  readonly checkName: string;
  readonly appId?: number;
}

/** Whether a check run is this app's own (its events never need an evaluation). */
export function isOwnCheckRun(own: OwnCheck, run: { readonly name: string; readonly app?: { readonly id: number } | null }): boolean {
  if (own.appId !== undefined && run.app?.id !== undefined) return run.app.id === own.appId;
  return run.name === own.checkName;
}
