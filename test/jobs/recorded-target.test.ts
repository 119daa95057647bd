/** What a branch record keeps of a dated target: the target still ahead as evaluated, and nothing once its day has come. */
import { describe, expect, test } from "@jest/globals";
import type { Evaluation } from "../../src/engine/evaluate.js";
import { recordedVerdict } from "../../src/jobs/runner.js";
import type { PipelineOutcome } from "../../src/pipeline.js";

function evaluated(level: Evaluation["level"]): PipelineOutcome {
  const evaluation: Evaluation = {
    conclusion: "success",
    level,
    rules: [{ id: "runbook", area: "incident", description: "A runbook.", level: "silver", blocking: false, status: "fail", findings: [] }],
  };
  return { kind: "evaluated", evaluation } as unknown as PipelineOutcome;
}

describe("recordedVerdict", () => {
  test("keeps the target still ahead: level, day, whether reached and what is missing (days left are not stored)", () => {
    const verdict = recordedVerdict(
      evaluated({ reached: "bronze", required: "bronze", ladder: ["bronze", "silver", "gold"], target: { level: "silver", from: "2027-03-01", daysLeft: 91, met: false, missing: ["runbook"] } }),
    );
    expect(verdict.target).toEqual({ level: "silver", from: "2027-03-01", met: false, missing: ["runbook"] });
  });

  test("an evaluation without a target ahead records none", () => {
    const verdict = recordedVerdict(evaluated({ reached: "silver", required: "silver", ladder: ["bronze", "silver", "gold"] }));
    expect("target" in verdict).toBe(false);
  });
});
