import { z } from "zod";
import { evaluate, planFacts, planFollowUp } from "../../src/engine/evaluate.js";
import { globMatcher } from "../../src/engine/globs.js";
import type { EnabledRule, Registry, ResolvedConfig } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { defineRule } from "../../src/engine/rule.js";
import type { AnyRule } from "../../src/engine/rule.js";
import type { Facts, Verdict } from "../../src/engine/types.js";
import { fail, known, pass, pending, unknownFact } from "../../src/engine/types.js";
import { gatherFacts } from "../../src/pipeline.js";
import type { FactsProvider } from "../../src/pipeline.js";

/** A rule whose verdict the test sets through its options. */
const fixed = defineRule({
  id: "fixed",
  area: "hygiene", subjects: ["pull"],
  description: "Returns the verdict it is given.",
  options: z.object({ verdict: z.custom<Verdict>().default(pass()) }),
  needs: () => [{ kind: "pull" }],
  evaluate: (_facts, o) => o.verdict,
});
const crashing = defineRule({
  id: "crashing",
  area: "hygiene", subjects: ["pull"],
  description: "Throws.",
  options: z.object({}),
  needs: () => [],
  evaluate: () => {
    throw new Error("boom");
  },
});
const teamsOfOwners = defineRule({
  id: "owners",
  area: "ownership", subjects: ["pull"],
  description: "Needs teams named in CODEOWNERS.",
  options: z.object({}),
  defaultWhen: ["src/**"],
  needs: () => [{ kind: "codeowners" }, { kind: "files" }],
  followUp: (facts) => (facts.codeowners.known && facts.codeowners.value ? [{ kind: "team", team: facts.codeowners.value.content.trim() }] : []),
  evaluate: (facts) => (facts.teams.size > 0 ? pass() : fail([{ message: "no team" }])),
});

const registry: Registry = new Map<string, AnyRule>([
  ["a", { ...fixed, id: "a" }],
  ["b", { ...fixed, id: "b" }],
  ["c", { ...fixed, id: "c" }],
  ["crashing", crashing],
  ["owners", teamsOfOwners],
]);

const rule = (id: string, level: string, verdict: Verdict, extra: Partial<EnabledRule> = {}): EnabledRule => ({ id, level, options: { verdict }, ...extra });
const config = (rules: EnabledRule[], required = "silver"): ResolvedConfig => ({ levels: ["bronze", "silver", "gold"], required, comment: "on-failure", rules });
const pull = known({ number: 1, title: "t", body: "", author: "dev", draft: false, labels: ["release"], baseRef: "main", baseSha: "b", headRef: "f", headSha: "h" });
const facts = makeFacts({ pull, files: known([{ path: "src/a.ts", status: "modified", additions: 1, deletions: 0 }]) });

describe("levels and conclusion", () => {
  test.each([
    ["all pass", [pass(), pass(), pass()], "success", "gold"],
    ["gold fails: advisory above silver, neutral", [pass(), pass(), fail([{ message: "x" }])], "neutral", "silver"],
    ["silver fails: blocks", [pass(), fail([{ message: "x" }]), pass()], "failure", "bronze"],
    ["bronze fails: nothing reached", [fail([{ message: "x" }]), pass(), pass()], "failure", null],
    ["blocking unknown fails", [pass(), { status: "unknown", findings: [], reason: "no data" } as Verdict, pass()], "failure", "bronze"],
    ["blocking pending waits", [pass(), pending("ci running"), pass()], "pending", "bronze"],
    ["skip counts as satisfied", [{ status: "skip", findings: [], reason: "n/a" } as Verdict, pass(), pass()], "success", "gold"],
  ] as const)("%s", (_name, [va, vb, vc], conclusion, reached) => {
    const result = evaluate(config([rule("a", "bronze", va), rule("b", "silver", vb), rule("c", "gold", vc)]), facts, registry);
    expect(result.conclusion).toBe(conclusion);
    expect(result.level).toEqual({ reached, required: "silver", ladder: ["bronze", "silver", "gold"] });
    expect(result.rules.map((r) => r.blocking)).toEqual([true, true, false]);
  });

  test("failure wins over pending", () => {
    const result = evaluate(config([rule("a", "bronze", pending("ci")), rule("b", "bronze", fail([{ message: "x" }]))]), facts, registry);
    expect(result.conclusion).toBe("failure");
  });

  test("a fail made only of warnings is a pass that keeps its findings", () => {
    const result = evaluate(config([rule("a", "bronze", fail([{ message: "maybe a secret", severity: "warning" }]))]), facts, registry);
    expect(result.conclusion).toBe("success");
    expect(result.rules[0]).toMatchObject({ status: "pass", findings: [{ message: "maybe a secret", severity: "warning" }] });
  });

  test("a crashing rule is an error that blocks, not a crash of the evaluation", () => {
    const result = evaluate(config([{ id: "crashing", level: "bronze", options: {} }]), facts, registry);
    expect(result.conclusion).toBe("failure");
    expect(result.rules[0]).toMatchObject({ status: "error", reason: "the rule crashed with Error (a bug in readiness-bot: please report it)" });
    expect(JSON.stringify(result)).not.toContain("boom");
  });

  test("no rules: success at the highest level", () => {
    expect(evaluate(config([]), facts, registry)).toMatchObject({ conclusion: "success", level: { reached: "gold" } });
  });
});

describe("when", () => {
  const failing = fail([{ message: "x" }]);
  test.each([
    [{ paths: ["docs/**"] }, "skip", "no changed file matches docs/**"],
    [{ paths: ["src/**"] }, "fail", undefined],
    [{ labels: ["hotfix"] }, "skip", "the pull request has none of the labels hotfix"],
    [{ labels: ["release"] }, "fail", undefined],
    [{ base: ["release/*"] }, "skip", "the base branch main is not one of release/*"],
    [{ base: ["main"], authors: ["DEV"] }, "fail", undefined],
    [{ authors: ["someone"] }, "skip", "the author dev is not one of someone"],
  ] as const)("%j → %s", (when, status, reason) => {
    const result = evaluate(config([rule("a", "bronze", failing, { when })]), facts, registry);
    expect(result.rules[0]!.status).toBe(status);
    if (reason) expect(result.rules[0]!.reason).toBe(reason);
  });

  test("renamed files match by their previous path too", () => {
    const renamed = makeFacts({ pull, files: known([{ path: "lib/a.ts", previousPath: "src/a.ts", status: "renamed", additions: 0, deletions: 0 }]) });
    expect(evaluate(config([rule("a", "bronze", failing, { when: { paths: ["src/**"] } })]), renamed, registry).rules[0]!.status).toBe("fail");
  });

  test("unknown files make applicability unknown", () => {
    const noFiles = makeFacts({ pull, files: unknownFact("too many files") });
    const result = evaluate(config([rule("a", "bronze", failing, { when: { paths: ["src/**"] } })]), noFiles, registry);
    expect(result.rules[0]).toMatchObject({ status: "unknown", reason: "cannot tell whether the rule applies: too many files" });
  });

  test("a rule's default when applies when none is configured", () => {
    const docsOnly = makeFacts({ pull, files: known([{ path: "README.md", status: "modified", additions: 1, deletions: 0 }]) });
    expect(evaluate(config([{ id: "owners", level: "bronze", options: {} }]), docsOnly, registry).rules[0]!.status).toBe("skip");
  });
});

describe("fact planning", () => {
  test("the union of needs, each once, with when's needs", () => {
    const plan = planFacts(config([rule("a", "bronze", pass()), rule("b", "silver", pass(), { when: { paths: ["x"] } }), { id: "owners", level: "bronze", options: {} }]), registry);
    expect(plan).toEqual([{ kind: "pull" }, { kind: "files" }, { kind: "codeowners" }, { kind: "decisions" }]);
  });

  test("follow-up requests come from first-round facts, without repeating planned ones", () => {
    const cfg = config([{ id: "owners", level: "bronze", options: {} }]);
    const first = planFacts(cfg, registry);
    const withOwners: Facts = makeFacts({ codeowners: known({ path: "CODEOWNERS", content: "acme/platform\n" }) });
    expect(planFollowUp(cfg, registry, withOwners, first)).toEqual([{ kind: "team", team: "acme/platform" }]);
  });

  test("gatherFacts runs two rounds and hands the rule the merged snapshot", async () => {
    const asked: string[][] = [];
    const provider: FactsProvider = {
      async gather(requests) {
        asked.push(requests.map((r) => r.kind));
        if (requests.some((r) => r.kind === "team")) return { teams: new Map([["acme/platform", known(["alice"])]]) };
        return {
          files: known([{ path: "src/a.ts", status: "modified", additions: 1, deletions: 0 }]),
          codeowners: known({ path: "CODEOWNERS", content: "acme/platform" }),
        };
      },
    };
    const cfg = config([{ id: "owners", level: "bronze", options: {} }]);
    const { facts: gathered, requests } = await gatherFacts(cfg, provider, registry);
    expect(asked).toEqual([["files", "codeowners", "decisions"], ["team"]]);
    expect(requests).toHaveLength(4);
    expect(evaluate(cfg, gathered, registry).conclusion).toBe("success");
  });
});

describe("path globs", () => {
  test.each([
    [["src/**"], "src/a/b.ts", true],
    [["src/*"], "src/a/b.ts", false],
    [["**/*.md"], ".github/README.md", true],
    [["src/**", "!src/**/*.md"], "src/x/README.md", false],
    [["!src/**/*.md", "src/**"], "src/x/a.ts", true],
    [["!docs/**"], "src/a.ts", false],
    [["{src,lib}/**"], "lib/a.ts", true],
  ] as const)("%j matches %s: %s", (patterns, path, expected) => {
    expect(globMatcher(patterns)(path)).toBe(expected);
  });
});
