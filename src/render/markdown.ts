/**
 * Evaluation → markdown for `readiness check --format markdown` (a job summary, a pasted report):
 * the check run's summary in full, with no size limit to cut it.
 */
import type { Evaluation } from "../engine/evaluate.js";
import { renderSummaryMarkdown } from "./check-run.js";
import type { RenderContext } from "./types.js";

export function renderMarkdown(evaluation: Evaluation, ctx: RenderContext = {}): string {
  return renderSummaryMarkdown(evaluation, ctx);
}
