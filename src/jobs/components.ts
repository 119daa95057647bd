import type { Evaluation } from "../engine/evaluate.js";
import type { EvaluationRecord } from "../state/types.js";

/** What a record keeps of an evaluation's components: each one's name, levels and conclusion. */
export function recordedComponents(evaluation: Evaluation): Pick<EvaluationRecord, "components"> {
  if (!evaluation.components) return {};
  return { components: evaluation.components.map((c) => ({ name: c.name, reached: c.level.reached, required: c.level.required, conclusion: c.conclusion })) };
}
