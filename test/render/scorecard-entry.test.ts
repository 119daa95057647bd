import { describe, expect, test } from "@jest/globals";
import { scorecardConclusion, scorecardEntry } from "../../src/render/scorecard-entry.js";

describe("scorecard entry", () => {
  test("a stored branch record becomes the documented API shape, field for field", () => {
    const entry = scorecardEntry({
      owner: "acme",
      repo: "shop",
      ref: "main",
      headSha: "a".repeat(40),
      outcome: "failure",
      levelReached: "bronze",
      levelRequired: "silver",
      evaluatedAt: "2026-11-30T08:00:00.000Z",
      rules: [{ id: "runbook", status: "fail", level: "silver", area: "incident" }],
    });
    expect(entry).toEqual({
      repository: "acme/shop",
      ref: "main",
      sha: "a".repeat(40),
      conclusion: "failure",
      level: { reached: "bronze", required: "silver" },
      evaluatedAt: "2026-11-30T08:00:00.000Z",
      rules: [{ id: "runbook", status: "fail", level: "silver", area: "incident" }],
    });
    expect(Object.keys(entry)).toEqual(["repository", "ref", "sha", "conclusion", "level", "evaluatedAt", "rules"]);
  });

  test.each([
    ["success", "success"],
    ["neutral", "neutral"],
    ["failure", "failure"],
    ["pending", "failure"],
    ["invalid-config", "failure"],
    ["error", "failure"],
  ])("outcome %s is reported as %s", (outcome, conclusion) => {
    expect(scorecardConclusion(outcome)).toBe(conclusion);
  });

  test("a reached level of null (not even the first) stays null; a record without a ref takes the fallback", () => {
    const entry = scorecardEntry(
      { owner: "acme", repo: "api", headSha: "b".repeat(40), outcome: "failure", levelReached: null, levelRequired: "bronze", evaluatedAt: "2026-11-30T08:00:00.000Z", rules: [{ id: "x", status: "fail", level: "bronze" }] },
      "trunk",
    );
    expect(entry.level.reached).toBeNull();
    expect(entry.ref).toBe("trunk");
    expect(entry.rules[0]?.area).toBe("");
  });
});
