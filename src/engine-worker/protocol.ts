import type { Evaluation, ResolvedConfig } from "../engine/evaluate.js";
import type { Facts } from "../engine/types.js";

/** Pool → worker: one evaluation (config and facts are structured-cloned). */
export interface EvaluationRequest {
  readonly id: number;
  readonly config: ResolvedConfig;
  readonly facts: Facts;
}

/** Worker → pool. */
export type WorkerMessage =
  | { readonly kind: "ready" }
  | { readonly kind: "running"; readonly id: number; readonly rule: string }
  | { readonly kind: "done"; readonly id: number; readonly evaluation: Evaluation }
  | { readonly kind: "failed"; readonly id: number; readonly errorName: string };
