/**
 * The local verdict shared by `readiness check` and `readiness check --branch`: which rules only
 * GitHub can decide, which block the exit code, and the headline every format opens with.
 */
import { ruleLabel } from "../render/components.js";
import { attestationRuleId } from "../engine/decisions.js";
import type { Evaluation, Registry, ResolvedConfig, RuleResult } from "../engine/evaluate.js";
import type { FactRequest } from "../engine/types.js";
import type { JsonReport } from "../render/json.js";
import { verdictTitle } from "../render/verdict.js";

const NOT_SETTLED = new Set(["unknown", "pending"]);
const BLOCKS = new Set(["fail", "error", "unknown", "pending"]);

export interface LocalVerdict {
  /** Rules (blocking or advisory) that only GitHub can decide here. */
  readonly githubOnly: readonly RuleResult[];
  /** Blocking rules that make the exit code 1. */
  readonly blockedBy: readonly RuleResult[];
}

/** The fact kinds each enabled rule declares in needs() (follow-ups such as team membership come only with reviews, which needs() names). */
export function neededKinds(config: ResolvedConfig, registry: Registry): Map<string, Set<FactRequest["kind"]>> {
  const rules = config.rules.map((enabled) => [enabled.id, new Set((registry.get(enabled.id)?.needs(enabled.options) ?? []).map((r) => r.kind))] as const);
  // Attestation items are judged from the app's record of decisions, which only the app has.
  const attestations = (config.attestations ?? []).map((item) => [attestationRuleId(item.id), new Set<FactRequest["kind"]>(["decisions"])] as const);
  const kinds = new Map<string, Set<FactRequest["kind"]>>([...rules, ...attestations]);
  // A rule only a component enables is known by its id too (needs do not depend on the part).
  for (const component of config.components ?? []) {
    for (const [id, needed] of neededKinds(component.config, registry)) if (!kinds.has(id)) kinds.set(id, needed);
  }
  return kinds;
}

/**
 * What the exit code reflects: every blocking rule that fails, errs, or cannot be decided for a
 * reason a local run could know; with `strict`, also those waiting on GitHub-only facts.
 */
export function localVerdict(
  evaluation: Evaluation,
  needs: ReadonlyMap<string, ReadonlySet<FactRequest["kind"]>>,
  unavailable: ReadonlySet<FactRequest["kind"]>,
  strict: boolean,
): LocalVerdict {
  const needsUnavailable = (id: string): boolean => [...(needs.get(id) ?? [])].some((kind) => unavailable.has(kind));
  const githubOnly = evaluation.rules.filter((rule) => NOT_SETTLED.has(rule.status) && needsUnavailable(rule.id));
  const excused = new Set(strict ? [] : githubOnly.map((rule) => rule.id));
  const blockedBy = evaluation.rules.filter((rule) => rule.blocking && BLOCKS.has(rule.status) && !excused.has(rule.id));
  return { githubOnly, blockedBy };
}

/** What every format says, from one place: the headline, the exit code and why. */
export interface LocalOutcome {
  readonly exitCode: 0 | 1;
  /** `failure` exactly when the exit code is 1. */
  readonly conclusion: JsonReport["conclusion"];
  /** One plain line: text's first line and result, markdown's verdict, JSON's `local.headline`. */
  readonly headline: string;
  /** "exit 1: silver is not reached". */
  readonly exitNote: string;
}

const idList = (rules: readonly RuleResult[]): string => rules.map(ruleLabel).join(", ");

/**
 * The local verdict. Rules only GitHub can decide are never counted as failures (unless
 * `strict`): they are named as such, and the exit code, headline and conclusion agree.
 */
export function localOutcome(evaluation: Evaluation, verdict: LocalVerdict, strict: boolean): LocalOutcome {
  const required = evaluation.level.required;
  const githubOnly = new Set(verdict.githubOnly.map((r) => r.id));
  const undecided = verdict.githubOnly.filter((r) => r.blocking);
  const undecidedNote = `cannot be judged locally: ${idList(undecided)} — GitHub decides`;
  if (verdict.blockedBy.length > 0) {
    const here = verdict.blockedBy.filter((r) => !githubOnly.has(r.id));
    const failing = here.filter((r) => r.status !== "pending");
    const waiting = here.filter((r) => r.status === "pending");
    const counted = verdict.blockedBy.filter((r) => githubOnly.has(r.id));
    const parts: string[] = [];
    if (failing.length > 0) parts.push(`${failing.length} ${failing.length === 1 ? "rule fails" : "rules fail"} (${idList(failing)})`);
    if (waiting.length > 0) parts.push(`${waiting.length} waiting (${idList(waiting)}; nothing settles locally)`);
    if (counted.length > 0) parts.push(`${counted.length} cannot be judged locally (${idList(counted)}; --strict counts them)`);
    else if (undecided.length > 0) parts.push(undecidedNote);
    return { exitCode: 1, conclusion: "failure", headline: `Blocked: ${parts.join("; ")}`, exitNote: `exit 1: ${required} is not reached` };
  }
  if (undecided.length > 0) {
    return {
      exitCode: 0,
      conclusion: "neutral",
      headline: `Nothing that can be checked here blocks ${required}; ${undecidedNote}`,
      exitNote: `exit 0: nothing checked here blocks ${required} (--strict would count ${idList(undecided)})`,
    };
  }
  // No blocking rule is left unsatisfied, so the engine's verdict is success or neutral.
  return {
    exitCode: 0,
    conclusion: evaluation.conclusion === "neutral" ? "neutral" : "success",
    headline: verdictTitle(evaluation),
    exitNote: `exit 0: ${required}, the required level, is reached`,
  };
}
