import type { Review } from "../../src/engine/types.js";

/** The two review states that express an opinion about merging. */
export type Opinion = "APPROVED" | "CHANGES_REQUESTED";

export interface ReviewerOpinion {
  /** The reviewer's login as GitHub spells it. */
  readonly login: string;
  readonly opinion: Opinion;
  /** The commit the opinion was given on. */
  readonly commitId: string;
}

/**
 * Logins and "org/team" names as users write them: compared case-insensitively, and a leading
 * "@" (as in CODEOWNERS) is accepted and ignored.
 */
export function loginKey(login: string): string {
  return login.replace(/^@/, "").toLowerCase();
}

/**
 * Each reviewer's standing opinion, keyed by loginKey, given reviews in chronological order (as
 * GitHub returns them): the latest APPROVED or CHANGES_REQUESTED wins, a later COMMENTED changes
 * nothing, DISMISSED clears the opinion, PENDING (an unsubmitted draft) is invisible. The
 * author's own reviews never count. Reviewers appear in the order their opinion was last set.
 */
export function reviewerOpinions(reviews: readonly Review[], author: string): Map<string, ReviewerOpinion> {
  const authorKey = loginKey(author);
  const opinions = new Map<string, ReviewerOpinion>();
  for (const review of reviews) {
    const key = loginKey(review.user);
    if (key === authorKey) continue;
    switch (review.state) {
      case "APPROVED":
      case "CHANGES_REQUESTED":
        opinions.delete(key);
        opinions.set(key, { login: review.user, opinion: review.state, commitId: review.commitId });
        break;
      case "DISMISSED":
        opinions.delete(key);
        break;
      case "COMMENTED":
      case "PENDING":
        break;
    }
  }
  return opinions;
}

/** The abbreviated commit id people recognise from GitHub's UI. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
