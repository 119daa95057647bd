/**
 * Facts about a branch at one commit (the scorecard), read from GitHub's REST API at the least
 * cost: the tree once (`git/trees/{sha}?recursive=1`), then each needed file once, and only
 * files the tree lists (a file the tree does not have is known absent without a request). Nothing
 * about a change is read: no pull request, changed files or reviews; the commit's CI results only
 * when a rule asks (coverage). Both refs ("base" and "head") are the evaluated commit.
 */
import { CODEOWNERS_LOCATIONS } from "../codeowners/select.js";
import { requestKey } from "../engine/evaluate.js";
import { contentKey, known, unknownFact } from "../engine/types.js";
import type { Fact, FactRequest, Facts, PullRequestInfo, RepoFile } from "../engine/types.js";
import type { FactsProvider } from "../pipeline.js";
import { z } from "zod";
import { describeReadFailure, GitHubFactsProvider } from "./facts.js";
import type { FactsProviderOptions } from "./facts.js";
import { statusOf } from "./octokit.js";
import type { GitHubClient, RepoCoordinates } from "./octokit.js";

export interface BranchAt {
  /** The branch's name ("main"). */
  readonly ref: string;
  /** The commit evaluated. */
  readonly sha: string;
  /**
   * The commit whose configuration applies (default: `sha`). The deployment gate judges a
   * deployed commit by the default branch's configuration, so the commit cannot relax its own rules.
   */
  readonly configSha?: string;
}

const treeSchema = z.object({ truncated: z.boolean(), tree: z.array(z.object({ path: z.string(), type: z.string() })) });

/** Facts a branch does not have: a rule about a change is not run on one, so these are never asked for. */
const NOT_ON_A_BRANCH: Readonly<Record<string, string>> = {
  pull: "a branch has no pull request",
  files: "a branch has no changed files",
  reviews: "a branch has no reviews",
  headContentsOfUnpatched: "a branch has no changed files",
};

export class BranchFactsProvider implements FactsProvider {
  readonly #octokit: GitHubClient;
  readonly #repo: RepoCoordinates;
  readonly #at: BranchAt;
  readonly #options: FactsProviderOptions;
  #tree: Promise<Fact<readonly string[]>> | undefined;
  #files: Promise<GitHubFactsProvider> | undefined;
  #requests = 0;

  constructor(octokit: GitHubClient, repo: RepoCoordinates, at: BranchAt, options: FactsProviderOptions = {}) {
    this.#octokit = octokit;
    this.#repo = { owner: repo.owner, repo: repo.repo };
    this.#at = at;
    this.#options = options;
  }

  async gather(requests: readonly FactRequest[], soFar: Facts): Promise<Partial<Facts>> {
    const seen = new Set<string>();
    const parts: Promise<Partial<Facts>>[] = [];
    for (const request of requests) {
      const key = requestKey(request);
      if (seen.has(key)) continue;
      seen.add(key);
      parts.push(this.#fragment(request, soFar));
    }
    const out: Partial<Facts>[] = await Promise.all(parts);
    return merge(out);
  }

  /** The CODEOWNERS file at the commit (null: none), read at most once; for the record's root owners. */
  async codeowners(): Promise<Fact<RepoFile | null>> {
    const fragment = await this.#fragment({ kind: "codeowners" }, undefined);
    return fragment.codeowners ?? unknownFact("CODEOWNERS was not read");
  }

  /** The tree at the commit, read once: blob paths, or unknown (truncated, unreadable). */
  tree(): Promise<Fact<readonly string[]>> {
    this.#tree ??= (async () => {
      const what = `the file tree at ${this.#at.sha.slice(0, 7)}`;
      try {
        this.#requests += 1;
        const response = await this.#octokit.rest.git.getTree({ ...this.#repo, tree_sha: this.#at.sha, recursive: "1" });
        const parsed = treeSchema.safeParse(response.data);
        if (!parsed.success) return unknownFact<readonly string[]>(`GitHub answered with an unexpected shape for ${what}`);
        if (parsed.data.truncated) {
          return unknownFact<readonly string[]>(`the repository is too large for GitHub to list its files in one request (the tree at ${this.#at.sha.slice(0, 7)} is truncated)`);
        }
        return known<readonly string[]>(parsed.data.tree.filter((entry) => entry.type === "blob").map((entry) => entry.path));
      } catch (error) {
        this.#options.log?.warn({ fact: "tree", status: statusOf(error) }, `could not read ${what}`);
        return unknownFact<readonly string[]>(describeReadFailure("tree", what, error));
      }
    })();
    return this.#tree;
  }

  /** Requests made so far (the tree and every file read). */
  async requestCount(): Promise<number> {
    return this.#requests + (this.#files ? (await this.#files).requestCount : 0);
  }

  /** Reads of single files, once each, through the pull request provider at this commit; CODEOWNERS only where the tree has it. */
  #reader(): Promise<GitHubFactsProvider> {
    this.#files ??= this.tree().then((tree) => {
      const locations = tree.known ? CODEOWNERS_LOCATIONS.filter((path) => tree.value.includes(path)).slice(0, 1) : CODEOWNERS_LOCATIONS;
      return new GitHubFactsProvider(this.#octokit, this.#repo, atCommit(this.#at), { ...this.#options, codeownersLocations: locations });
    });
    return this.#files;
  }

  async #fragment(request: FactRequest, soFar: Facts | undefined): Promise<Partial<Facts>> {
    const missing = NOT_ON_A_BRANCH[request.kind];
    if (missing !== undefined) return { [request.kind]: unknownFact(missing) } as Partial<Facts>;
    const tree = await this.tree();
    switch (request.kind) {
      case "tree":
        return { trees: { [request.ref]: tree } };
      case "content":
        // Both refs are this commit: a file the tree does not list is absent, known without a request.
        if (tree.known && !tree.value.includes(request.path)) return { contents: new Map([[contentKey(request.ref, request.path), known<string | null>(null)]]) };
        return this.#delegate({ ...request }, soFar, (facts) => ({ contents: new Map([[contentKey(request.ref, request.path), facts.contents?.get(contentKey(request.ref, request.path)) ?? unknownFact("not read")]]) }));
      case "codeowners": {
        const field = (request.ref ?? "base") === "base" ? "codeowners" : "headCodeowners";
        return this.#delegate({ kind: "codeowners" }, soFar, (facts) => ({ [field]: facts.codeowners ?? unknownFact("CODEOWNERS was not read") }));
      }
      case "codeownersErrors": {
        const hasCodeowners = !tree.known || CODEOWNERS_LOCATIONS.some((path) => tree.value.includes(path));
        if (!hasCodeowners) return { codeownersErrors: { [request.ref]: known([]) } };
        return this.#delegate({ kind: "codeownersErrors", ref: "base" }, soFar, (facts) => ({ codeownersErrors: { [request.ref]: facts.codeownersErrors?.base ?? unknownFact("not read") } }));
      }
      default:
        return this.#delegate(request, soFar, (facts) => facts);
    }
  }

  async #delegate(request: FactRequest, soFar: Facts | undefined, pick: (facts: Partial<Facts>) => Partial<Facts>): Promise<Partial<Facts>> {
    const reader = await this.#reader();
    // The reader memoises per fact: asking again (the record's CODEOWNERS) costs no request.
    const facts = await reader.gather([request], soFar ?? emptyFacts());
    return pick(facts);
  }
}

/** The commit as the pull request reader addresses it: both refs at the evaluated commit. */
function atCommit(at: BranchAt): PullRequestInfo {
  return { number: 0, title: "", body: "", author: "", draft: false, labels: [], baseRef: at.ref, baseSha: at.sha, headRef: at.ref, headSha: at.sha };
}

function emptyFacts(): Facts {
  // Only the kinds delegated here are read, none of which looks at what was gathered before.
  return {} as Facts;
}

function merge(parts: readonly Partial<Facts>[]): Partial<Facts> {
  const out: Record<string, unknown> = {};
  const contents = new Map<string, Fact<string | null>>();
  const trees: Record<string, unknown> = {};
  const codeownersErrors: Record<string, unknown> = {};
  const teams = new Map<string, Fact<readonly string[]>>();
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === "contents") for (const [k, v] of value as Map<string, Fact<string | null>>) contents.set(k, v);
      else if (key === "teams") for (const [k, v] of value as Map<string, Fact<readonly string[]>>) teams.set(k, v);
      else if (key === "trees") Object.assign(trees, value);
      else if (key === "codeownersErrors") Object.assign(codeownersErrors, value);
      else out[key] = value;
    }
  }
  if (contents.size > 0) out.contents = contents;
  if (teams.size > 0) out.teams = teams;
  if (Object.keys(trees).length > 0) out.trees = trees;
  if (Object.keys(codeownersErrors).length > 0) out.codeownersErrors = codeownersErrors;
  return out as Partial<Facts>;
}
