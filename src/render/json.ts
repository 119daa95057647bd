/**
 * Evaluation → the stable JSON report of `readiness check --format json`. The shape is a public
 * contract: fields are only ever added, never renamed or removed.
 */
import type { Evaluation, RuleOutcome } from "../engine/evaluate.js";
import type { Severity } from "../engine/types.js";
import { severityOf, validLine } from "./verdict.js";

export interface JsonFinding {
  readonly message: string;
  readonly path: string | null;
  readonly line: number | null;
  /** failure (blocks when its rule blocks), warning, or notice (information). */
  readonly severity: Severity;
}

export interface JsonRule {
  /** The monorepo component whose checklist judged the rule; absent: the repository's own. */
  readonly component?: string;
  readonly id: string;
  readonly status: RuleOutcome;
  readonly level: string;
  readonly blocking: boolean;
  readonly findings: readonly JsonFinding[];
}

export interface JsonReport {
  /** "pending" is reported as "failure": locally nothing settles, so waiting means not ready. */
  readonly conclusion: "success" | "failure" | "neutral";
  /** `target`: a dated target not yet required (present only when configured and still ahead). */
  readonly level: {
    readonly reached: string | null;
    readonly required: string;
    readonly target?: { readonly level: string; readonly from: string; readonly daysLeft: number; readonly met: boolean; readonly missing: readonly string[] };
  };
  readonly rules: readonly JsonRule[];
  /** With `components:`: each component judged, with its own level and conclusion. */
  readonly components?: readonly JsonComponent[];
}

export interface JsonComponent {
  readonly name: string;
  readonly paths: readonly string[];
  readonly conclusion: "success" | "failure" | "neutral" | "pending";
  readonly reached: string | null;
  readonly required: string;
}

export function toJsonReport(evaluation: Evaluation): JsonReport {
  return {
    conclusion: evaluation.conclusion === "pending" ? "failure" : evaluation.conclusion,
    level: {
      reached: evaluation.level.reached,
      required: evaluation.level.required,
      ...(evaluation.level.target
        ? { target: { level: evaluation.level.target.level, from: evaluation.level.target.from, daysLeft: evaluation.level.target.daysLeft, met: evaluation.level.target.met, missing: [...evaluation.level.target.missing] } }
        : {}),
    },
    ...(evaluation.components ? { components: evaluation.components.map((c) => ({ name: c.name, paths: [...c.paths], conclusion: c.conclusion, reached: c.level.reached, required: c.level.required })) } : {}),
    rules: evaluation.rules.map((rule) => ({
      ...(rule.component !== undefined ? { component: rule.component } : {}),
      id: rule.id,
      status: rule.status,
      level: rule.level,
      blocking: rule.blocking,
      findings: rule.findings.map((finding) => ({
        message: finding.message,
        path: finding.path ?? null,
        line: validLine(finding.line) ?? null,
        severity: severityOf(finding),
      })),
    })),
  };
}
