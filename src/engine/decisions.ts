/**
 * Human decisions in the verdict: waivers turn a rule that does not pass into "waived" (saying by
 * whom, why and until when), and each attestation item of the configuration is judged like a
 * rule, `attestation:<item>`, at its own level. Pure: the decisions and the clock are facts.
 */
import type { Area } from "./rule.js";
import type { DecisionsFact, Facts, Finding, RuleStatus, WaiverFact } from "./types.js";

/** A repository permission as GitHub names its roles, lowest first. */
export const REPOSITORY_PERMISSIONS = ["read", "triage", "write", "maintain", "admin"] as const;
export type RepositoryPermission = (typeof REPOSITORY_PERMISSIONS)[number];

/** Who may waive rules (`waivers:`): the people and teams listed, or anyone with `permission` or more. */
export interface WaiverPolicy {
  /** Logins and "org/team" slugs, as written. */
  readonly allowed: readonly string[];
  readonly permission: RepositoryPermission;
  /**
   * Rules no one may waive, with the file that said so (a baseline's entries cannot be dropped);
   * `locked`: the organisation baseline locks the rule (`by` names it and the line).
   */
  readonly notWaivable: readonly { readonly rule: string; readonly by: string; readonly locked?: boolean }[];
}

/** One checklist item only a person can confirm (`attestations:`). */
export interface AttestationItem {
  readonly id: string;
  readonly description: string;
  /** Logins and "org/team" slugs who may attest. */
  readonly by: readonly string[];
  /** Anyone with this repository permission or more may attest too. */
  readonly permission: RepositoryPermission;
  /** How long an attestation stays valid, as written ("180d"), and in milliseconds; absent: for good. */
  readonly every?: string;
  readonly everyMs?: number;
  readonly level: string;
}

/** The policy in force when the configuration says nothing about waivers. */
export const DEFAULT_WAIVER_POLICY: WaiverPolicy = { allowed: [], permission: "admin", notWaivable: [] };

/** The parts of a rule result decisions read and change (RuleResult in evaluate.ts has them all). */
interface Judged {
  readonly id: string;
  readonly area: Area;
  readonly description: string;
  readonly level: string;
  readonly blocking: boolean;
  readonly status: RuleStatus | "waived";
  readonly reason?: string;
  readonly findings: readonly Finding[];
  readonly fix?: string;
}

/** What withDecisions needs of the configuration. */
interface DecisionConfig {
  readonly levels: readonly string[];
  readonly required: string;
  readonly attestations?: readonly AttestationItem[];
  readonly waivers?: WaiverPolicy;
}

export const ATTESTATION_PREFIX = "attestation:";

export const attestationRuleId = (item: string): string => `${ATTESTATION_PREFIX}${item}`;

/** "2026-03-04 10:00 UTC": an ISO time as people read it (minutes are enough for decisions). */
export function readableTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Why a waiver on record does not apply now; undefined when it does. */
export function waiverLapse(waiver: WaiverFact, decisions: Pick<DecisionsFact, "now" | "headSha">): string | undefined {
  if (waiver.expiresAt !== undefined && waiver.expiresAt <= decisions.now) return `expired ${readableTime(waiver.expiresAt)}`;
  if (waiver.headSha !== undefined && decisions.headSha !== undefined && waiver.headSha !== decisions.headSha) {
    return `revoked by a push (it held until the head moved from ${waiver.headSha.slice(0, 7)})`;
  }
  return undefined;
}

/** "waived by @lead: hotfix for INC-12 (expires 2026-03-04 10:00 UTC)". */
export function waiverReason(waiver: WaiverFact): string {
  const terms = [waiver.expiresAt !== undefined ? `expires ${readableTime(waiver.expiresAt)}` : undefined, waiver.headSha !== undefined ? "until the next push" : undefined].filter(Boolean);
  return `waived by @${waiver.by}: ${waiver.reason}${terms.length > 0 ? ` (${terms.join(", ")})` : ""}`;
}

const SATISFIED = new Set(["pass", "skip", "waived"]);

function applyWaivers<R extends Judged>(results: readonly R[], decisions: DecisionsFact, policy: WaiverPolicy | undefined): R[] {
  return results.map((result) => {
    // The newest waiver of a rule is the one that counts.
    const waiver = [...decisions.waivers].reverse().find((w) => w.rule === result.id);
    if (!waiver || SATISFIED.has(result.status)) return result;
    // A waiver recorded before the rule became not waivable (or locked) does not hold now.
    const forbidden = policy?.notWaivable.find((entry) => entry.rule === result.id);
    const lapse = forbidden ? `${forbidden.by} ${forbidden.locked ? "locks this rule" : "makes this rule not waivable"}` : waiverLapse(waiver, decisions);
    if (lapse !== undefined) {
      const note: Finding = { message: `The waiver by @${waiver.by} (${waiver.reason}) no longer applies: ${lapse}.`, severity: "notice" };
      return { ...result, findings: [...result.findings, note] };
    }
    return { ...result, status: "waived", reason: waiverReason(waiver) };
  });
}

function whoMayAttest(item: AttestationItem): string {
  const people = item.by.map((who) => `@${who}`);
  return [...people, `anyone with ${item.permission} permission`].join(", ");
}

function attestationResult(item: AttestationItem, decisions: Facts["decisions"], blocking: boolean): Judged {
  const base = { id: attestationRuleId(item.id), area: "reliability" as const, description: item.description, level: item.level, blocking };
  const fix = `${whoMayAttest(item)} comments \`/readiness attest ${item.id} <evidence>\` on a pull request or issue of this repository`;
  if (!decisions.known) return { ...base, status: "unknown", reason: decisions.reason, findings: [], fix };
  const latest = [...decisions.value.attestations].reverse().find((a) => a.item === item.id);
  if (!latest) {
    return { ...base, status: "fail", findings: [{ message: `${item.description}: never attested.` }], fix };
  }
  const last = `last attested by @${latest.by} on ${readableTime(latest.at)} (${latest.evidence})`;
  if (item.everyMs !== undefined) {
    const expiresAt = new Date(Date.parse(latest.at) + item.everyMs).toISOString();
    if (expiresAt <= decisions.value.now) {
      return { ...base, status: "fail", findings: [{ message: `${item.description}: the attestation expired on ${readableTime(expiresAt)} (every ${item.every ?? ""}); ${last}.` }], fix };
    }
    return { ...base, status: "pass", reason: `${last}; valid until ${readableTime(expiresAt)}`, findings: [] };
  }
  return { ...base, status: "pass", reason: last, findings: [] };
}

/** The rule results with the configuration's attestation items added and waivers applied. */
export function withDecisions(results: readonly Judged[], config: DecisionConfig, facts: Facts): Judged[] {
  const requiredIndex = config.levels.indexOf(config.required);
  const attested = (config.attestations ?? []).map((item) => attestationResult(item, facts.decisions, config.levels.indexOf(item.level) <= requiredIndex));
  const all: Judged[] = [...results, ...attested];
  return facts.decisions.known ? applyWaivers(all, facts.decisions.value, config.waivers) : all;
}
