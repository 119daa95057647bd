/**
 * A merge group's facts when its queued pull request has just been evaluated: the pull request's
 * own facts (files, reviews, CI results, contents at its head) are the same whichever commit it
 * merges into, so the provider that read them for the pull request serves them again from its
 * memo, without a request. Facts about the base commit, and the pull request object (whose base
 * is the group's), come from a provider at the group's base.
 */
import type { FactRequest, Facts } from "../engine/types.js";
import type { FactsProvider } from "../pipeline.js";

/** Whether a request reads the commit the group merges into (or names it, as the pull fact does). */
export function readsGroupBase(request: FactRequest): boolean {
  switch (request.kind) {
    case "pull":
      return true;
    case "codeowners":
      return (request.ref ?? "base") === "base";
    case "content":
    case "tree":
    case "codeownersErrors":
    case "lastCommit":
      return request.ref === "base";
    case "files":
    case "reviews":
    case "checks":
    case "team":
    case "headContentsOfUnpatched":
    case "fingerprintKey":
    case "now":
    // The pull request's waivers and the repository's attestations: the group carries the pull request's.
    case "decisions":
    case "securityAlerts":
      return false;
    case "treeSizes":
      return request.ref === "base";
    default: {
      const unhandled: never = request;
      throw new Error(`no rule for whether ${JSON.stringify(unhandled)} reads the merge group's base`);
    }
  }
}

export function groupFacts(pullFacts: FactsProvider, atGroupBase: FactsProvider): FactsProvider {
  return {
    async gather(requests: readonly FactRequest[], soFar: Facts): Promise<Partial<Facts>> {
      const base = requests.filter(readsGroupBase);
      const shared = requests.filter((request) => !readsGroupBase(request));
      const [fromBase, fromPull] = await Promise.all([
        base.length > 0 ? atGroupBase.gather(base, soFar) : {},
        shared.length > 0 ? pullFacts.gather(shared, soFar) : {},
      ]);
      return unionOf(fromBase, fromPull);
    },
  };
}

/** Two providers' answers to disjoint requests; keyed facts (contents at base and at head ...) are unioned. */
function unionOf(a: Partial<Facts>, b: Partial<Facts>): Partial<Facts> {
  return {
    ...a,
    ...b,
    ...(a.teams || b.teams ? { teams: new Map([...(a.teams ?? []), ...(b.teams ?? [])]) } : {}),
    ...(a.contents || b.contents ? { contents: new Map([...(a.contents ?? []), ...(b.contents ?? [])]) } : {}),
    ...(a.trees || b.trees ? { trees: { ...a.trees, ...b.trees } } : {}),
    ...(a.codeownersErrors || b.codeownersErrors ? { codeownersErrors: { ...a.codeownersErrors, ...b.codeownersErrors } } : {}),
    ...(a.lastCommits || b.lastCommits ? { lastCommits: new Map([...(a.lastCommits ?? []), ...(b.lastCommits ?? [])]) } : {}),
    ...(a.treeSizes || b.treeSizes ? { treeSizes: { ...a.treeSizes, ...b.treeSizes } } : {}),
  };
}
