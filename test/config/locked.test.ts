/**
 * The locked organisation baseline: rules the organisation's `.github` file marks `locked: true`
 * hold every repository, which may make them stricter and nothing else.
 */
import { z } from "zod";
import { loadConfig, validateConfigText } from "../../src/config/load.js";
import { loosening, whenNarrowing } from "../../src/config/locked.js";
import type { ConfigError, ConfigFileReader, ConfigLoadResult } from "../../src/config/types.js";
import type { Registry } from "../../src/engine/evaluate.js";
import { defineRule } from "../../src/engine/rule.js";
import type { AnyRule } from "../../src/engine/rule.js";
import { pass } from "../../src/engine/types.js";
import { registry as shippedRules } from "../../rules/index.js";
import { ruleOptionsJsonSchema } from "../../src/config/schema.js";

const reviewsRule = defineRule({
  id: "reviews",
  area: "review",
  subjects: ["pull"],
  description: "Enough approvals.",
  options: z
    .object({
      approvals: z.number().int().min(0).default(1).describe("How many approvals."),
      stale: z.enum(["keep", "dismiss"]).default("keep").describe("Whether old approvals count."),
      teams: z.array(z.string()).default([]).describe("Teams that must approve."),
      strict: z.boolean().default(false).describe("Something on or off."),
      note: z.string().default("").describe("Not comparable: must stay equal."),
    })
    .strict(),
  tighten: { approvals: "at-least", stale: { order: ["keep", "dismiss"] }, teams: "superset", strict: "true-stays" },
  needs: () => [{ kind: "reviews" }],
  evaluate: () => pass(),
});
const sizeRule = defineRule({
  id: "pr-size",
  area: "hygiene",
  subjects: ["pull"],
  description: "Small pull requests.",
  options: z.object({ "max-lines": z.number().int().min(0).default(800).describe("0: no limit.") }).strict(),
  tighten: { "max-lines": "limit" },
  needs: () => [{ kind: "files" }],
  evaluate: () => pass(),
});
const docsRule = defineRule({
  id: "docs",
  area: "documentation",
  subjects: ["pull"],
  description: "Docs change with code.",
  options: z.object({}).strict(),
  defaultWhen: ["src/**"],
  needs: () => [{ kind: "files" }],
  evaluate: () => pass(),
});
const registry: Registry = new Map<string, AnyRule>([
  ["reviews", reviewsRule],
  ["pr-size", sizeRule],
  ["docs", docsRule],
]);

const BASELINE = [
  "level: silver",
  "rules:",
  "  reviews:",
  "    level: silver",
  "    locked: true",
  "    approvals: 2",
  "    teams: [acme/sre]",
  "  pr-size:",
  "    locked: true",
  "    max-lines: 500",
  "  docs:",
  "    level: gold",
  "    when: [src/**, lib/**]",
  "    locked: true",
  "",
].join("\n");

function readerOf(repo: string | undefined, org: string | undefined = BASELINE): ConfigFileReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async read(place, path) {
      reads.push(`${place}:${path}`);
      const content = path !== ".readiness.yml" ? undefined : place === "repo" ? repo : org;
      if (content === undefined) return null;
      return { content, origin: { repository: place === "repo" ? "acme/shop" : "acme/.github", path, ref: "main" } };
    },
  };
}

const load = (repo: string, org?: string) => loadConfig(readerOf(repo, org), registry);

function ok(result: ConfigLoadResult) {
  if (result.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}
function invalid(result: ConfigLoadResult): readonly ConfigError[] {
  if (result.kind !== "invalid") throw new Error(`expected invalid, got ${JSON.stringify(result)}`);
  return result.errors;
}
const rule = (result: ConfigLoadResult, id: string) => ok(result).config.rules.find((r) => r.id === id);

describe("a repository file that does not extend the baseline", () => {
  test("still gets every locked rule, with the baseline's level, when and options", async () => {
    const result = await load("level: gold\nrules:\n  pr-size:\n    max-lines: 400\n");
    expect(rule(result, "reviews")).toEqual({ id: "reviews", level: "silver", when: undefined, options: { approvals: 2, stale: "keep", teams: ["acme/sre"], strict: false, note: "" } });
    expect(rule(result, "docs")).toEqual({ id: "docs", level: "gold", when: { paths: ["src/**", "lib/**"] }, options: {} });
    expect(rule(result, "pr-size")).toMatchObject({ level: "bronze", options: { "max-lines": 400 } });
    // The repository's own `level:` stands; the baseline's does not come with its locked rules.
    expect(ok(result).config.required).toBe("gold");
    expect(ok(result).origins).toEqual([{ repository: "acme/.github", path: ".readiness.yml", ref: "main" }, { repository: "acme/shop", path: ".readiness.yml", ref: "main" }]);
  });

  test("a rule the baseline does not lock stays the repository's to set", async () => {
    const baseline = "rules:\n  reviews:\n    approvals: 3\n  pr-size:\n    locked: true\n";
    const result = await load("rules:\n  reviews:\n    approvals: 0\n", baseline);
    expect(rule(result, "reviews")).toMatchObject({ options: { approvals: 0 } });
  });

  test("switching a locked rule off is an error at the repository's line, naming the baseline's file and line", async () => {
    const errors = invalid(await load("rules:\n  reviews: off\n"));
    expect(errors).toEqual([
      expect.objectContaining({
        origin: expect.objectContaining({ repository: "acme/shop", path: ".readiness.yml" }),
        line: 2,
        keyPath: "rules.reviews",
        message: expect.stringMatching(/^the organisation baseline acme\/\.github:\.readiness\.yml locks "reviews" \(line 5\): it cannot be switched off here\./),
      }),
    ]);
  });

  test("switching it off with `level: off` is the same error, at the rule's line", async () => {
    const errors = invalid(await load("rules:\n  reviews:\n    level: off\n"));
    expect(errors).toEqual([expect.objectContaining({ line: 2, keyPath: "rules.reviews", message: expect.stringMatching(/cannot be switched off/) })]);
  });

  test("a lower number where higher is stricter is an error at the option's line", async () => {
    const errors = invalid(await load("rules:\n  reviews:\n    approvals: 1\n"));
    expect(errors).toEqual([expect.objectContaining({ line: 3, keyPath: "rules.reviews.approvals", message: expect.stringMatching(/option "approvals" would loosen it: it may only be raised \(at least 2\)/) })]);
  });

  test("a limit raised, or set to 0 (no limit), loosens it; a lower limit tightens it", async () => {
    expect(invalid(await load("rules:\n  pr-size:\n    max-lines: 900\n"))[0]!.message).toMatch(/"max-lines" would loosen it: it may only be lowered \(between 1 and 500/);
    expect(invalid(await load("rules:\n  pr-size:\n    max-lines: 0\n"))[0]!.message).toMatch(/0 would mean no limit/);
    expect(rule(await load("rules:\n  pr-size:\n    max-lines: 100\n"), "pr-size")).toMatchObject({ options: { "max-lines": 100 } });
  });

  test("a yes/no that is on must stay on", async () => {
    const baseline = "rules:\n  reviews:\n    locked: true\n    strict: true\n";
    const errors = invalid(await load("rules:\n  reviews:\n    strict: false\n", baseline));
    expect(errors).toEqual([expect.objectContaining({ line: 3, message: expect.stringMatching(/"strict" would loosen it: it is on in the baseline and must stay on/) })]);
    // Off in the baseline: switching it on is stricter.
    expect(rule(await load("rules:\n  reviews:\n    strict: true\n"), "reviews")).toMatchObject({ options: { strict: true } });
  });

  test("a list that may only grow may not lose an entry", async () => {
    const errors = invalid(await load("rules:\n  reviews:\n    teams: [acme/platform]\n"));
    expect(errors[0]!.message).toMatch(/"teams" would loosen it: entries may only be added; it drops "acme\/sre"/);
    expect(rule(await load("rules:\n  reviews:\n    teams: [acme/sre, acme/platform]\n"), "reviews")).toMatchObject({ options: { teams: ["acme/sre", "acme/platform"] } });
  });

  test("an ordered option may only move to a stricter value", async () => {
    expect(rule(await load("rules:\n  reviews:\n    stale: dismiss\n"), "reviews")).toMatchObject({ options: { stale: "dismiss" } });
    const baseline = "rules:\n  reviews:\n    locked: true\n    stale: dismiss\n";
    expect(invalid(await load("rules:\n  reviews:\n    stale: keep\n", baseline))[0]!.message).toMatch(/"stale" would loosen it: it may only move towards nothing/);
  });

  test("an option the rule does not say how to compare must stay equal, even from its default", async () => {
    const errors = invalid(await load('rules:\n  reviews:\n    note: "anything"\n'));
    expect(errors[0]!.message).toMatch(/option "note" would loosen it: it cannot be changed \(it must stay ""\)/);
    expect(rule(await load('rules:\n  reviews:\n    note: ""\n'), "reviews")).toBeDefined();
  });

  test("a later level of the ladder loosens it; an earlier one raises it", async () => {
    const errors = invalid(await load("rules:\n  reviews: gold\n"));
    expect(errors).toEqual([
      expect.objectContaining({ line: 2, keyPath: "rules.reviews", message: expect.stringMatching(/its level "silver" may only move to an earlier level of the ladder \(bronze\), where it blocks more pull requests; "gold" would require it later/) }),
    ]);
    expect(rule(await load("rules:\n  reviews: bronze\n"), "reviews")).toMatchObject({ level: "bronze", options: { approvals: 2 } });
    // A rule locked at the lowest level cannot move at all.
    expect(invalid(await load("rules:\n  pr-size: silver\n"))[0]!.message).toMatch(/\(none: it is the first\)/);
  });

  test("`when` may be widened, never narrowed", async () => {
    expect(invalid(await load("rules:\n  docs:\n    when: [src/**]\n"))).toEqual([
      expect.objectContaining({ line: 3, keyPath: "rules.docs.when", message: expect.stringMatching(/when cannot be narrowed: it drops "lib\/\*\*" from "paths"/) }),
    ]);
    expect(invalid(await load("rules:\n  docs:\n    when: { paths: [src/**, lib/**], labels: [api] }\n"))[0]!.message).toMatch(/it adds the condition "labels"/);
    expect(rule(await load("rules:\n  docs:\n    when: [src/**, lib/**, app/**]\n"), "docs")).toMatchObject({ when: { paths: ["src/**", "lib/**", "app/**"] } });
  });

  test("a rule's default `when` counts as the baseline's when the baseline sets none", async () => {
    const baseline = "rules:\n  docs:\n    locked: true\n";
    expect(invalid(await load("rules:\n  docs:\n    when: [src/api/**]\n", baseline))[0]!.message).toMatch(/it drops "src\/\*\*"/);
    expect(rule(await load("rules:\n  docs:\n    when: [src/**, docs/**]\n", baseline), "docs")).toBeDefined();
  });

  test("every loosening of one file is reported in one run", async () => {
    const errors = invalid(await load("rules:\n  reviews:\n    level: gold\n    approvals: 0\n  pr-size: off\n"));
    expect(errors.map((e) => e.keyPath).sort()).toEqual(["rules.pr-size", "rules.reviews.approvals", "rules.reviews.level"]);
  });

  test("a file with errors of its own is reported as it is, without reading the baseline", async () => {
    const reader = readerOf("rules:\n  reviews: off\n  nope: bronze\n");
    const errors = invalid(await loadConfig(reader, registry));
    expect(errors.map((e) => e.keyPath)).toEqual(["rules.nope"]);
    expect(reader.reads).toEqual(["repo:.readiness.yml"]);
  });

  test("tightening and raising together are accepted", async () => {
    const result = await load("rules:\n  reviews:\n    level: bronze\n    approvals: 3\n    stale: dismiss\n    teams: [acme/sre, acme/leads]\n    strict: true\n  pr-size:\n    max-lines: 200\n");
    expect(rule(result, "reviews")).toEqual({ id: "reviews", level: "bronze", when: undefined, options: { approvals: 3, stale: "dismiss", teams: ["acme/sre", "acme/leads"], strict: true, note: "" } });
  });

  test("locked rules cannot be waived: they join not-waivable, named by the baseline and its line", async () => {
    const result = ok(await load("waivers:\n  permission: write\n  not-waivable: [docs]\nrules:\n  pr-size:\n    max-lines: 400\n"));
    expect(result.config.waivers).toEqual({
      allowed: [],
      permission: "write",
      notWaivable: [
        { rule: "docs", by: "acme/shop:.readiness.yml" },
        { rule: "reviews", by: "acme/.github:.readiness.yml (line 5)", locked: true },
        { rule: "pr-size", by: "acme/.github:.readiness.yml (line 9)", locked: true },
      ],
    });
  });
});

describe("a repository file that extends the baseline", () => {
  test("reads the baseline once, and the same limits hold", async () => {
    const reader = readerOf("extends: acme/.github\nrules:\n  reviews:\n    approvals: 1\n");
    const errors = invalid(await loadConfig(reader, registry));
    expect(reader.reads.filter((r) => r === "org:.readiness.yml")).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ line: 4, message: expect.stringMatching(/locks "reviews" \(line 5\).*at least 2/) })]);
  });

  test("a preset extended after the baseline may not loosen a locked rule either", async () => {
    const errors = invalid(await load("extends: [acme/.github, readiness:recommended]\n", "rules:\n  reviews:\n    locked: true\n    approvals: 5\n"));
    expect(errors.some((e) => e.origin.repository === "readiness-bot" && /locks "reviews"/.test(e.message))).toBe(true);
  });
});

describe("the baseline itself", () => {
  test("a repository without its own file uses the baseline as it is", async () => {
    const result = ok(await loadConfig(readerOf(undefined), registry));
    expect(result.config.rules.map((r) => r.id).sort()).toEqual(["docs", "pr-size", "reviews"]);
  });

  test("the .github repository's own file is the baseline, not held by it", async () => {
    const reader: ConfigFileReader = {
      async read(place, path) {
        if (path !== ".readiness.yml") return null;
        const content = place === "repo" ? "rules:\n  reviews:\n    locked: true\n    approvals: 1\n" : BASELINE;
        return { content, origin: { repository: "acme/.github", path } };
      },
    };
    expect(rule(await loadConfig(reader, registry), "reviews")).toMatchObject({ options: { approvals: 1 } });
  });

  test("`locked` in a repository's own file is an error: only the baseline locks", async () => {
    const errors = invalid(await load("rules:\n  docs:\n    locked: true\n", ""));
    expect(errors).toEqual([expect.objectContaining({ line: 3, keyPath: "rules.docs.locked", message: expect.stringMatching(/only has effect in the organisation baseline/) })]);
    expect(validateConfigText("rules:\n  docs:\n    locked: yes please\n", { repository: "local", path: "x.yml" }, registry)).toEqual([
      expect.objectContaining({ keyPath: "rules.docs.locked", message: expect.stringMatching(/expected true or false/) }),
    ]);
  });

  test("a locked rule switched off in the baseline is the baseline's error", async () => {
    const errors = invalid(await load("rules: {}\n", "rules:\n  reviews:\n    level: off\n    locked: true\n"));
    expect(errors).toEqual([expect.objectContaining({ origin: expect.objectContaining({ repository: "acme/.github" }), line: 4, message: expect.stringMatching(/locked but switched off/) })]);
  });

  test("a baseline's errors reach a repository that does not extend it only where they touch a locked rule", async () => {
    // No locked rule: the baseline's mistakes are its own (as before locks existed).
    expect(ok(await load("rules:\n  docs: bronze\n", "rules:\n  reviews:\n    approvals: many\n")).config.rules.map((r) => r.id)).toEqual(["docs"]);
    expect(ok(await load("rules:\n  docs: bronze\n", "rules: [unclosed\n")).config.rules.map((r) => r.id)).toEqual(["docs"]);
    // A mistake elsewhere in a baseline with locked rules: the locks still hold, the mistake is not the repository's.
    const unrelated = `${BASELINE}  nope: bronze\n`;
    expect(ok(await load("rules: {}\n", unrelated)).config.rules.map((r) => r.id).sort()).toEqual(["docs", "pr-size", "reviews"]);
    // A mistake in a locked rule: the locks cannot be applied, so the configuration is invalid, at the baseline's line.
    const errors = invalid(await load("rules: {}\n", "rules:\n  reviews:\n    locked: true\n    approvals: many\n"));
    expect(errors).toEqual([expect.objectContaining({ origin: expect.objectContaining({ repository: "acme/.github" }), line: 4, keyPath: "rules.reviews.approvals" })]);
  });

  test("a baseline without locked rules changes nothing for a repository with its own file", async () => {
    const result = ok(await load("rules:\n  docs: bronze\n", "rules:\n  reviews:\n    approvals: 4\n"));
    expect(result.config.rules.map((r) => r.id)).toEqual(["docs"]);
    expect(result.config.waivers).toBeUndefined();
  });
});

describe("comparisons", () => {
  test.each([
    ["at-least", 2, 3, undefined],
    ["at-least", 2, 1, /raised/],
    ["at-most", 2, 1, undefined],
    ["at-most", 2, 3, /lowered/],
    ["limit", 0, 10, undefined],
    ["limit", 10, 0, /no limit/],
    ["true-stays", false, true, undefined],
    ["true-stays", true, false, /must stay on/],
    ["superset", ["a"], ["a", "b"], undefined],
    ["subset", ["a", "b"], ["a"], undefined],
    ["subset", ["a"], ["a", "b"], /adds "b"/],
    ["equal", { a: 1, b: [2] }, { b: [2], a: 1 }, undefined],
    ["equal", { a: 1 }, { a: 2 }, /cannot be changed/],
  ] as const)("%s: %j → %j", (kind, from, to, expected) => {
    const why = loosening(kind, from, to);
    if (expected === undefined) expect(why).toBeUndefined();
    else expect(why).toMatch(expected);
  });

  test("a rule's own comparison decides", () => {
    const severity = (a: unknown, b: unknown) => (String(b) <= String(a) ? undefined : "higher severity only");
    expect(loosening(severity, "b", "a")).toBeUndefined();
    expect(loosening(severity, "b", "c")).toBe("higher severity only");
  });

  test("when: dropping a condition widens, adding one narrows", () => {
    expect(whenNarrowing({ paths: ["src/**"], labels: ["api"] }, { paths: ["src/**"] })).toBeUndefined();
    expect(whenNarrowing({}, { base: ["main"] })).toMatch(/adds the condition "base"/);
  });
});

test("every shipped rule's tighten entries name options it has", () => {
  for (const shipped of shippedRules.values()) {
    const options = Object.keys((ruleOptionsJsonSchema(shipped).properties as Record<string, unknown> | undefined) ?? {});
    for (const key of Object.keys(shipped.tighten ?? {})) expect(`${shipped.id}.${key}: ${options.includes(key)}`).toBe(`${shipped.id}.${key}: true`);
  }
});

describe("components of a monorepo", () => {
  test("a component's overrides are held to the locked rules like the file's own, each loosening reported once", async () => {
    const file = ["rules:", "  reviews:", "    approvals: 1", "components:", "  payments:", "    paths: [services/payments/**]", "    rules:", "      pr-size:", "        max-lines: 900", ""].join("\n");
    const errors = invalid(await load(file));
    expect(errors.map((error) => [error.line, error.keyPath])).toEqual([
      [3, "rules.reviews.approvals"],
      [9, "components.payments.rules.pr-size.max-lines"],
    ]);
    expect(errors[1]!.message).toMatch(/locks "pr-size" \(line 9\): option "max-lines" would loosen it/);
  });

  test("a component that tightens a locked rule is accepted, and its locked rules cannot be waived either", async () => {
    const file = ["components:", "  payments:", "    paths: [services/payments/**]", "    rules:", "      reviews:", "        approvals: 3", ""].join("\n");
    const config = ok(await load(file)).config;
    const payments = config.components?.find((component) => component.name === "payments");
    expect(payments?.config.rules.find((r) => r.id === "reviews")).toMatchObject({ options: { approvals: 3 } });
    expect(payments?.config.waivers?.notWaivable.map((entry) => entry.rule)).toEqual(expect.arrayContaining(["reviews", "pr-size", "docs"]));
  });
});
