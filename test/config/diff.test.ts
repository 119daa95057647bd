import { describe, expect, test } from "@jest/globals";
import { changedOptionKeys, diffConfigs, estimateBranchLevel, isEmptyDiff } from "../../src/config/diff.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";

const LADDER = ["bronze", "silver", "gold"];

function config(rules: ResolvedConfig["rules"], extra: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return { levels: LADDER, required: "silver", comment: "on-failure", rules, ...extra };
}

const reviews = { id: "reviews", level: "bronze", options: { approvals: 1, stale: "keep" } };
const docs = { id: "docs", level: "silver", when: { paths: ["src/**"] }, options: { require: ["docs/**"] } };
const fileExists = { id: "file-exists", level: "bronze", options: { paths: ["SECURITY.md"] } };

describe("diffConfigs", () => {
  test("the same configuration changes nothing", () => {
    const diff = diffConfigs(config([reviews, docs]), config([docs, reviews]));
    expect(isEmptyDiff(diff)).toBe(true);
  });

  test("rules added, removed, levels moved and options changed, each sorted by rule id", () => {
    const base = config([reviews, docs]);
    const proposed = config([{ ...reviews, level: "gold", options: { approvals: 2, stale: "keep" } }, fileExists]);
    expect(diffConfigs(base, proposed)).toEqual({
      added: [{ id: "file-exists", level: "bronze" }],
      removed: [{ id: "docs", level: "silver" }],
      levelsMoved: [{ id: "reviews", from: "bronze", to: "gold" }],
      optionsChanged: [{ id: "reviews", keys: ["approvals"] }],
      attestationsAdded: [],
      attestationsRemoved: [],
    });
  });

  test("the required level, the dated target, the ladder and the comment policy", () => {
    const base = config([reviews]);
    const proposed = config([reviews], { required: "gold", levels: ["bronze", "silver", "gold", "platinum"], comment: "always", target: { level: "platinum", from: "2027-03-01" } });
    const diff = diffConfigs(base, proposed);
    expect(diff.required).toEqual({ from: "silver", to: "gold" });
    expect(diff.ladder).toEqual({ from: LADDER, to: ["bronze", "silver", "gold", "platinum"] });
    expect(diff.comment).toEqual({ from: "on-failure", to: "always" });
    expect(diff.target).toEqual({ from: undefined, to: { level: "platinum", from: "2027-03-01" } });
    expect(isEmptyDiff(diff)).toBe(false);
  });

  test("attestation items added and removed", () => {
    const item = { id: "dr-drill", description: "Drill", by: [], permission: "admin" as const, level: "gold" };
    const diff = diffConfigs(config([], { attestations: [item] }), config([], { attestations: [{ ...item, id: "pen-test" }] }));
    expect(diff.attestationsAdded).toEqual([{ id: "pen-test", level: "gold" }]);
    expect(diff.attestationsRemoved).toEqual([{ id: "dr-drill", level: "gold" }]);
  });
});

describe("changedOptionKeys", () => {
  test("key order does not matter; a changed `when` is named", () => {
    expect(changedOptionKeys(docs, { ...docs, options: { require: ["docs/**"] } })).toEqual([]);
    expect(changedOptionKeys({ ...reviews, options: { stale: "keep", approvals: 1 } }, reviews)).toEqual([]);
    expect(changedOptionKeys(docs, { ...docs, when: { paths: ["lib/**"] } })).toEqual(["when"]);
    expect(changedOptionKeys(reviews, { ...reviews, options: { approvals: 1 } })).toEqual(["stale"]);
  });
});

describe("estimateBranchLevel", () => {
  const branchRules = new Set(["file-exists", "runbook", "docs"]);
  const judgesBranch = (id: string) => branchRules.has(id);

  test("unchanged rules keep their recorded status; a level move changes the level reached", () => {
    const base = config([{ id: "runbook", level: "silver", options: {} }, { ...fileExists, level: "bronze" }]);
    const proposed = config([{ id: "runbook", level: "bronze", options: {} }, { ...fileExists, level: "bronze" }]);
    const recorded = [{ id: "runbook", status: "fail" }, { id: "file-exists", status: "pass" }];
    // runbook failing at silver left bronze reached; moved to bronze it takes bronze away.
    expect(estimateBranchLevel(proposed, diffConfigs(base, proposed), recorded, judgesBranch)).toEqual({ low: null, high: null, unjudged: [] });
  });

  test("an added rule, or one whose options changed, is unjudged: the estimate is a range", () => {
    const base = config([{ id: "runbook", level: "silver", options: { path: "a.md" } }]);
    const proposed = config([{ id: "runbook", level: "silver", options: { path: "b.md" } }, fileExists]);
    const recorded = [{ id: "runbook", status: "pass" }];
    expect(estimateBranchLevel(proposed, diffConfigs(base, proposed), recorded, judgesBranch)).toEqual({ low: null, high: "gold", unjudged: ["file-exists", "runbook"] });
  });

  test("rules that do not judge branches are left out, as in the record", () => {
    const base = config([]);
    const proposed = config([reviews]);
    expect(estimateBranchLevel(proposed, diffConfigs(base, proposed), [], judgesBranch)).toEqual({ low: "gold", high: "gold", unjudged: [] });
  });
});
