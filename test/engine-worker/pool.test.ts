import { afterAll, expect, test } from "@jest/globals";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known } from "../../src/engine/types.js";
import { budgetFromEnv, DEFAULT_EVALUATION_BUDGET_MS, EvaluationPool } from "../../src/engine-worker/pool.js";
import type { ConfigFileReader } from "../../src/config/types.js";
import { runPipeline } from "../../src/pipeline.js";
import type { Publication } from "../../src/render/types.js";
import { changedFile } from "../helpers/facts.js";
import { registry } from "./fixtures/registry.js";

const registryModule = new URL("./fixtures/registry.ts", import.meta.url);
const pool = new EvaluationPool({ size: 2, budgetMs: 500, registryModule });
afterAll(() => pool.close());

const configOf = (...ids: string[]): ResolvedConfig => ({
  levels: ["bronze", "silver"],
  required: "bronze",
  comment: "never",
  rules: ids.map((id) => ({ id, level: "bronze", options: {} })),
});

test("an evaluation runs in a worker with the facts it was given, maps included", async () => {
  const facts = makeFacts({
    files: known([changedFile("src/a.ts"), changedFile("docs/b.md")]),
    teams: new Map([["acme/web", known(["alice"])]]),
    contents: new Map([["head:README.md", known("hello")]]),
  });
  const evaluation = await pool.evaluate(configOf("quick", "reads-facts"), facts, registry);
  expect(evaluation.interrupted).toBeUndefined();
  expect(evaluation.conclusion).toBe("success");
  expect(evaluation.rules.map((r) => [r.id, r.status, r.reason])).toEqual([
    ["quick", "pass", "quick"],
    ["reads-facts", "pass", "files src/a.ts,docs/b.md; teams acme/web; readme hello"],
  ]);
});

test("a runaway evaluation ends at its budget with a failing verdict naming the rule; the next one works", async () => {
  const evaluation = await pool.evaluate(configOf("quick", "loops"), makeFacts(), registry);
  expect(evaluation.conclusion).toBe("failure");
  expect(evaluation.interrupted).toBe("evaluation exceeded its budget of 0.5 s");
  expect(evaluation.level.reached).toBeNull();
  expect(evaluation.rules.map((r) => [r.id, r.status, r.reason])).toEqual([
    ["quick", "error", "not judged: evaluation exceeded its budget of 0.5 s (while loops ran)"],
    ["loops", "error", "evaluation exceeded its budget of 0.5 s while this rule ran"],
  ]);

  const after = await pool.evaluate(configOf("quick"), makeFacts(), registry);
  expect(after).toMatchObject({ conclusion: "success", rules: [{ id: "quick", status: "pass" }] });
});

test("while a runaway evaluation runs, the main thread and the other worker go on", async () => {
  // A longer budget leaves the other evaluation ample time however loaded the machine is.
  const roomy = new EvaluationPool({ size: 2, budgetMs: 5_000, registryModule });
  try {
    await roomy.ready();
    const order: string[] = [];
    const runaway = roomy.evaluate(configOf("loops"), makeFacts(), registry).then((e) => order.push(`runaway: ${e.interrupted}`));
    const timer = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => order.push("timer"));
    const other = roomy.evaluate(configOf("quick"), makeFacts(), registry).then((e) => order.push(`other: ${e.conclusion}`));
    await Promise.all([runaway, timer, other]);
    // Whichever of the two comes first, neither waits for the runaway evaluation.
    expect(order.slice(0, 2).sort()).toEqual(["other: success", "timer"]);
    expect(order[2]).toBe("runaway: evaluation exceeded its budget of 5 s");
  } finally {
    await roomy.close();
  }
});

test("READINESS_EVALUATION_BUDGET_MS sets the budget; anything but a positive whole number keeps the default", () => {
  expect(budgetFromEnv({ READINESS_EVALUATION_BUDGET_MS: "5000" })).toBe(5000);
  expect(budgetFromEnv({})).toBe(DEFAULT_EVALUATION_BUDGET_MS);
  for (const raw of ["", "0", "-1", "1.5", "20s"]) expect(budgetFromEnv({ READINESS_EVALUATION_BUDGET_MS: raw })).toBe(DEFAULT_EVALUATION_BUDGET_MS);
});

test("the pipeline with the pool's evaluate step publishes the budget verdict as a failing check", async () => {
  const reader: ConfigFileReader = {
    read: async (place, path) => (place === "repo" && path === ".readiness.yml" ? { content: "rules:\n  quick: bronze\n  loops: bronze\n", origin: { repository: "acme/shop", path } } : null),
  };
  const published: Publication[] = [];
  const outcome = await runPipeline({
    configReader: reader,
    facts: { gather: async () => ({}) },
    publisher: { view: { kind: "pull", repository: "acme/shop" }, publish: async (publication) => void published.push(publication) },
    registry,
    evaluate: pool.evaluate,
  });
  expect(outcome.kind).toBe("evaluated");
  expect(published).toHaveLength(1);
  const { output } = published[0]!.check;
  expect(output.title).toBe("Blocked: evaluation exceeded its budget of 0.5 s");
  expect(output.summary).toContain("❌ **Not ready to merge:** evaluation exceeded its budget of 0.5 s.");
  expect(output.summary).toContain("evaluation exceeded its budget of 0.5 s while this rule ran");
});
