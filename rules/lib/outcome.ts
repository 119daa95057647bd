import { fail, pass, pending, unknown } from "../../src/engine/types.js";
import type { Finding, Verdict } from "../../src/engine/types.js";

/** What a rule learned about each of its requirements, before it becomes one verdict. */
export interface Outcome {
  /** Requirements that are not met. */
  readonly findings: Finding[];
  /** Requirements that cannot be decided: a needed fact is unknown (one sentence each). */
  readonly undecidable: string[];
  /** Requirements waiting on something that will settle, such as CI (one sentence each). */
  readonly waiting: string[];
  /** Requirements met, for the pass reason. */
  readonly passed: string[];
}

export const newOutcome = (): Outcome => ({ findings: [], undecidable: [], waiting: [], passed: [] });

/**
 * fail over unknown over pending over pass. A known failure is reported even when something else
 * cannot be decided; the undecidable parts ride along as notices, so the developer sees
 * everything in one round instead of discovering it after the fix.
 */
export function settle(outcome: Outcome): Verdict {
  if (outcome.findings.length > 0) {
    return fail([...outcome.findings, ...outcome.undecidable.map((message): Finding => ({ message, severity: "notice" }))]);
  }
  if (outcome.undecidable.length > 0) return unknown(outcome.undecidable.join("; "));
  if (outcome.waiting.length > 0) return pending(outcome.waiting.join("; "));
  return pass(outcome.passed.length > 0 ? outcome.passed.join("; ") : undefined);
}

/** "a, b, c and 2 more" */
export function listed(items: readonly string[], max = 3): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
