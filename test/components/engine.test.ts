import { z } from "zod";
import { evaluate, onDate, planFacts } from "../../src/engine/evaluate.js";
import type { Component, EnabledRule, Registry, ResolvedConfig } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { defineRule } from "../../src/engine/rule.js";
import type { AnyRule } from "../../src/engine/rule.js";
import type { ChangedFile } from "../../src/engine/types.js";
import { fail, known, pass, unknownFact } from "../../src/engine/types.js";

/** Fails when a file it sees contains "bad"; says which files it saw. */
const seen = defineRule({
  id: "seen",
  area: "hygiene",
  subjects: ["pull", "branch"],
  description: "Sees the files of its part.",
  options: z.object({ descriptor: z.string().default("catalog-info.yaml") }),
  needs: (o) => [{ kind: "files" }, { kind: "content", ref: "head", path: o.descriptor }],
  evaluate: (facts) => {
    if (!facts.files.known) return pass("no files");
    const paths = facts.files.value.map((f) => f.path);
    const bad = paths.filter((p) => p.includes("bad"));
    return bad.length > 0 ? fail(bad.map((path) => ({ message: "bad file", path }))) : pass(paths.join(","));
  },
});
const registry: Registry = new Map<string, AnyRule>([["seen", seen], ["gold", { ...seen, id: "gold" }]]);

const LADDER = ["bronze", "silver", "gold"];
const rules = (goldDescriptor = "catalog-info.yaml"): EnabledRule[] => [
  { id: "seen", level: "bronze", options: { descriptor: "catalog-info.yaml" } },
  { id: "gold", level: "gold", options: { descriptor: goldDescriptor } },
];
const part = (name: string, paths: string[], required: string, descriptor = "catalog-info.yaml"): Component => ({
  name,
  paths,
  root: paths[0]!.replace("/**", ""),
  config: { levels: LADDER, required, comment: "on-failure", rules: rules(descriptor) },
});
const config: ResolvedConfig = {
  levels: LADDER,
  required: "silver",
  comment: "on-failure",
  rules: rules(),
  components: [part("payments", ["services/payments/**"], "gold", "services/payments/catalog-info.yaml"), part("search", ["services/search/**"], "bronze")],
};
const file = (path: string): ChangedFile => ({ path, status: "modified", additions: 1, deletions: 0 });
const changed = (...paths: string[]) => makeFacts({ files: known(paths.map(file)) });

describe("a pull request in a monorepo is judged by the components it touches", () => {
  it("touching one component: only that component's checklist judges, seeing only its files", () => {
    const evaluation = evaluate(config, changed("services/payments/a.ts"), registry);
    expect(evaluation.components).toEqual([{ name: "payments", paths: ["services/payments/**"], conclusion: "success", level: { reached: "gold", required: "gold", ladder: LADDER }, files: 1 }]);
    expect(evaluation.repositoryPart).toEqual({ judged: false, files: 0 });
    expect(evaluation.rules.map((r) => [r.component, r.id, r.reason])).toEqual([
      ["payments", "seen", "services/payments/a.ts"],
      ["payments", "gold", "services/payments/a.ts"],
    ]);
    expect(evaluation.conclusion).toBe("success");
  });

  it("touching two components and a file in none: three checklists, each with its own files", () => {
    const evaluation = evaluate(config, changed("README.md", "services/payments/a.ts", "services/search/b.ts", "services/search/c.ts"), registry);
    expect(evaluation.components!.map((c) => [c.name, c.files])).toEqual([["payments", 1], ["search", 2]]);
    expect(evaluation.repositoryPart).toMatchObject({ judged: true, files: 1, conclusion: "success" });
    expect(evaluation.rules.filter((r) => r.id === "seen").map((r) => [r.component, r.reason])).toEqual([
      [undefined, "README.md"],
      ["payments", "services/payments/a.ts"],
      ["search", "services/search/b.ts,services/search/c.ts"],
    ]);
  });

  it("touching no component: the repository's checklist alone, as without components", () => {
    const evaluation = evaluate(config, changed("src/x.ts"), registry);
    expect(evaluation.components).toEqual([]);
    expect(evaluation.repositoryPart).toMatchObject({ judged: true, files: 1 });
    expect(evaluation.rules.every((r) => r.component === undefined)).toBe(true);
    const without = evaluate({ ...config, components: undefined }, changed("src/x.ts"), registry);
    expect(evaluation.rules).toEqual(without.rules);
    expect(evaluation.conclusion).toBe(without.conclusion);
  });

  it("each component at its own level; the verdict is the worst", () => {
    // A failing gold rule blocks payments (gold required), is advisory for search (bronze) and the repository (silver).
    const search = evaluate(config, changed("services/search/bad.ts"), registry);
    expect(search.components![0]).toMatchObject({ name: "search", conclusion: "failure", level: { reached: null, required: "bronze" } });
    const both = evaluate(
      { ...config, rules: [{ id: "gold", level: "gold", options: {} }], components: config.components!.map((c) => ({ ...c, config: { ...c.config, rules: [{ id: "gold", level: "gold", options: {} }] } })) },
      changed("services/payments/bad.ts", "services/search/bad.ts", "bad.md"),
      registry,
    );
    expect(both.components!.map((c) => [c.name, c.conclusion, c.level.reached])).toEqual([["payments", "failure", "silver"], ["search", "neutral", "silver"]]);
    expect(both.repositoryPart).toMatchObject({ conclusion: "neutral" });
    expect(both.conclusion).toBe("failure");
    expect(both.level).toMatchObject({ reached: "silver", required: "silver" });
    const blocking = both.rules.filter((r) => r.blocking).map((r) => r.component);
    expect(blocking).toEqual(["payments"]);
  });

  it("the level reached is the lowest part's", () => {
    const evaluation = evaluate(config, changed("services/payments/a.ts", "services/search/bad.ts"), registry);
    expect(evaluation.components!.map((c) => c.level.reached)).toEqual(["gold", null]);
    expect(evaluation.level.reached).toBeNull();
    expect(evaluation.conclusion).toBe("failure");
  });

  it("a renamed file belongs to the component it left too", () => {
    const facts = makeFacts({ files: known([{ ...file("lib/a.ts"), status: "renamed", previousPath: "services/payments/a.ts" }]) });
    expect(evaluate(config, facts, registry).components!.map((c) => c.name)).toEqual(["payments"]);
  });

  it("when the changed files cannot be listed, every part is judged", () => {
    const evaluation = evaluate(config, makeFacts({ files: unknownFact("GitHub did not list the files") }), registry);
    expect(evaluation.repositoryPart).toMatchObject({ judged: true });
    expect(evaluation.components!.map((c) => [c.name, c.files])).toEqual([["payments", undefined], ["search", undefined]]);
  });

  it("on a branch every component is judged", () => {
    const evaluation = evaluate(config, makeFacts({ subject: { kind: "branch", ref: "main" } }), registry);
    expect(evaluation.components!.map((c) => c.name)).toEqual(["payments", "search"]);
    expect(evaluation.subject).toBe("branch");
  });

  it("plans the facts each component's rules need (its descriptor)", () => {
    const keys = planFacts(config, registry).map((r) => (r.kind === "content" ? `${r.kind}:${r.path}` : r.kind));
    expect(keys).toEqual(expect.arrayContaining(["content:catalog-info.yaml", "content:services/payments/catalog-info.yaml"]));
  });

  it("a dated target applies inside components too", () => {
    const dated: ResolvedConfig = { ...config, target: { level: "gold", from: "2027-01-01" }, components: config.components!.map((c) => ({ ...c, config: { ...c.config, target: { level: "gold", from: "2027-01-01" } } })) };
    const later = onDate(dated, "2027-02-01");
    expect(later.required).toBe("gold");
    expect(later.components!.map((c) => c.config.required)).toEqual(["gold", "gold"]);
  });
});

test("a change's files are planned whenever there are components: they say which are touched", () => {
  const bare: ResolvedConfig = { levels: LADDER, required: "bronze", comment: "on-failure", rules: [], components: [{ ...part("a", ["a/**"], "bronze"), config: { levels: LADDER, required: "bronze", comment: "on-failure", rules: [] } }] };
  expect(planFacts(bare, registry).map((r) => r.kind)).toContain("files");
  expect(planFacts(bare, registry, "branch").map((r) => r.kind)).not.toContain("files");
});
