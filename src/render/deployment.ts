/**
 * The deployment gate's answer: whether a commit may be deployed to an environment, and the
 * comment GitHub shows on the deployment. Pure: the job gathers the standing and the settings.
 */
import type { EnvironmentLevel } from "../config/types.js";
import { globMatcher } from "../engine/globs.js";
import { plain } from "./escape.js";

/** GitHub refuses a longer protection-rule comment. */
export const DEPLOYMENT_COMMENT_MAX = 1_000;

/** The level an environment requires: the first `environments:` entry whose name or glob matches. */
export function environmentRequirement(environments: readonly EnvironmentLevel[], environment: string): EnvironmentLevel | undefined {
  return environments.find((entry) => entry.pattern === environment || globMatcher([entry.pattern])(environment));
}

export interface GateStanding {
  readonly sha: string;
  readonly reached: string | null;
  readonly ladder: readonly string[];
  /** Rules not satisfied, with their levels, lowest level first. */
  readonly failing: readonly { readonly id: string; readonly level: string }[];
}

export interface GateAnswer {
  readonly state: "approved" | "rejected";
  readonly comment: string;
}

function clipComment(text: string): string {
  const clean = plain(text);
  return clean.length <= DEPLOYMENT_COMMENT_MAX ? clean : `${clean.slice(0, DEPLOYMENT_COMMENT_MAX - 1)}…`;
}

export function environmentNotListed(environment: string): GateAnswer {
  return { state: "approved", comment: clipComment(`readiness: the environment "${environment}" has no required level in environments: of the configuration, so it is not gated.`) };
}

export function noConfiguration(environment: string): GateAnswer {
  return { state: "approved", comment: clipComment(`readiness: this repository has no readiness configuration, so "${environment}" is not gated.`) };
}

/** Approved when the commit reaches the environment's level; otherwise rejected with what blocks. */
export function gateAnswer(environment: string, requirement: EnvironmentLevel, standing: GateStanding): GateAnswer {
  const rank = (level: string | null) => (level === null ? -1 : standing.ladder.indexOf(level));
  const reached = standing.reached ?? "none";
  const sha = standing.sha.slice(0, 7);
  if (rank(standing.reached) >= rank(requirement.level)) {
    return { state: "approved", comment: clipComment(`readiness: ${sha} reaches ${reached}; ${environment} requires ${requirement.level}. Approved.`) };
  }
  const blocking = standing.failing.filter((rule) => rank(rule.level) <= rank(requirement.level)).map((rule) => rule.id);
  const what = blocking.length > 0 ? ` Blocking: ${blocking.slice(0, 8).join(", ")}${blocking.length > 8 ? `, +${blocking.length - 8} more` : ""}.` : "";
  return {
    state: "rejected",
    comment: clipComment(`readiness: ${sha} reaches ${reached}; ${environment} requires ${requirement.level}.${what} Run \`readiness check --branch\` on this commit to see every finding.`),
  };
}

/** Never approved by default: when the standing could not be computed, the deployment is rejected with the reason. */
export function gateUnavailable(environment: string, reason: string): GateAnswer {
  return { state: "rejected", comment: clipComment(`readiness: could not evaluate this commit for ${environment} (${reason}); rejected rather than approved unchecked. Re-run the deployment to try again.`) };
}
