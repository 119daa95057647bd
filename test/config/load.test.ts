import { z } from "zod";
import { loadConfig, resolveConfigText, validateConfigText } from "../../src/config/load.js";
import { MAX_NESTING_DEPTH } from "../../src/config/parse.js";
import { MAX_EXTENDS } from "../../src/config/schema.js";
import { GLOB_LIMITS } from "../../src/engine/globs.js";
import type { ConfigFileReader, ConfigLoadResult, ConfigOrigin } from "../../src/config/types.js";
import { defineRule } from "../../src/engine/rule.js";
import type { AnyRule } from "../../src/engine/rule.js";
import type { Registry } from "../../src/engine/evaluate.js";
import { pass } from "../../src/engine/types.js";

const approvalsRule = defineRule({
  id: "reviews",
  area: "review", subjects: ["pull"],
  description: "Enough approvals.",
  options: z
    .object({
      approvals: z.number().int().min(0).default(1).describe("How many approvals."),
      stale: z.enum(["keep", "dismiss"]).default("keep").describe("Whether old approvals count."),
      teams: z.array(z.string()).default([]).describe("Teams that must approve."),
    })
    .strict(),
  needs: () => [{ kind: "reviews" }],
  evaluate: () => pass(),
});
const docsRule = defineRule({
  id: "docs",
  area: "documentation", subjects: ["pull"],
  description: "Docs change with code.",
  options: z
    .object({
      require: z.array(z.string()).default(["docs/**"]).describe("Doc globs."),
      "pr-body": z.object({ "min-length": z.number().int().default(0).describe("Minimum length.") }).strict().default({ "min-length": 0 }).describe("Body rules."),
    })
    .strict(),
  needs: () => [{ kind: "files" }],
  evaluate: () => pass(),
});
/** A rule whose options are only valid together: a list that must not be empty. */
const needyRule = defineRule({
  id: "needy",
  area: "documentation", subjects: ["pull"],
  description: "Listed files exist.",
  options: z
    .object({ paths: z.array(z.string()).default([]).describe("Files that must exist.") })
    .strict()
    .refine((o) => o.paths.length > 0, "needy has nothing to check: list the files under paths"),
  needs: () => [{ kind: "tree", ref: "head" }],
  evaluate: () => pass(),
});
const registry: Registry = new Map<string, AnyRule>([
  ["reviews", approvalsRule],
  ["docs", docsRule],
  ["needy", needyRule],
]);

const origin: ConfigOrigin = { repository: "acme/shop", path: ".readiness.yml", ref: "main" };

function readerOf(repo: Record<string, string>, org: Record<string, string> = {}): ConfigFileReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async read(place, path) {
      reads.push(`${place}:${path}`);
      const files = place === "repo" ? repo : org;
      const content = files[path];
      if (content === undefined) return null;
      return { content, origin: { repository: place === "repo" ? "acme/shop" : "acme/.github", path, ref: "main" } };
    },
  };
}

const resolve = (text: string, org: Record<string, string> = {}) => resolveConfigText(text, origin, readerOf({}, org), registry);

function expectInvalid(result: ConfigLoadResult) {
  if (result.kind !== "invalid") throw new Error(`expected invalid, got ${JSON.stringify(result)}`);
  return result.errors;
}
function expectOk(result: ConfigLoadResult) {
  if (result.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.config;
}

describe("configuration: shapes of a rule entry", () => {
  test("a level name, off, or an object; defaults applied", async () => {
    const config = expectOk(await resolve("level: silver\nrules:\n  reviews: silver\n  docs: off\n"));
    expect(config.levels).toEqual(["bronze", "silver", "gold"]);
    expect(config.required).toBe("silver");
    expect(config.comment).toBe("on-failure");
    expect(config.rules).toEqual([{ id: "reviews", level: "silver", when: undefined, options: { approvals: 1, stale: "keep", teams: [] } }]);
  });

  test("an object without level belongs to the lowest level; required defaults to the highest", async () => {
    const config = expectOk(await resolve("rules:\n  reviews:\n    approvals: 2\n    when: [\"src/**\"]\n"));
    expect(config.required).toBe("gold");
    expect(config.rules[0]).toMatchObject({ id: "reviews", level: "bronze", when: { paths: ["src/**"] }, options: { approvals: 2 } });
  });

  test("when as an object of conditions", async () => {
    const config = expectOk(await resolve("rules:\n  docs:\n    when: { base: main, labels: [release] }\n"));
    expect(config.rules[0]!.when).toEqual({ base: ["main"], labels: ["release"] });
  });

  test("an empty file is a valid configuration with no rules", async () => {
    expect(expectOk(await resolve("")).rules).toEqual([]);
  });

  test("custom levels", async () => {
    const config = expectOk(await resolve("levels: [mvp, ga]\nlevel: mvp\nrules:\n  reviews: ga\n"));
    expect(config).toMatchObject({ levels: ["mvp", "ga"], required: "mvp", rules: [{ id: "reviews", level: "ga" }] });
  });
});

describe("configuration: errors a person can act on", () => {
  test("unknown rule id with a suggestion, at its line", async () => {
    const [e, ...rest] = expectInvalid(await resolve("rules:\n  reveiws: bronze\n"));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ line: 2, column: 3, keyPath: "rules.reveiws" });
    expect(e!.message).toContain('unknown rule "reveiws". Did you mean "reviews"?');
  });

  test("unknown option with a suggestion, at its line", async () => {
    const [e] = expectInvalid(await resolve("rules:\n  reviews:\n    level: bronze\n    aprovals: 2\n"));
    expect(e).toMatchObject({ line: 4, column: 5, keyPath: "rules.reviews.aprovals" });
    expect(e!.message).toBe('unknown option "aprovals". Did you mean "approvals"?');
  });

  test("unknown nested option with a suggestion", async () => {
    const [e] = expectInvalid(await resolve("rules:\n  docs:\n    pr-body:\n      min-lenght: 3\n"));
    expect(e).toMatchObject({ line: 4, keyPath: "rules.docs.pr-body.min-lenght" });
    expect(e!.message).toContain('Did you mean "min-length"?');
  });

  test("wrong type says what is expected and what was given", async () => {
    const [e] = expectInvalid(await resolve("rules:\n  reviews:\n    approvals: two\n"));
    expect(e).toMatchObject({ line: 3, keyPath: "rules.reviews.approvals" });
    expect(e!.message).toBe('expected a number, got "two"');
  });

  test("enum values are listed", async () => {
    const [e] = expectInvalid(await resolve("rules:\n  reviews:\n    stale: sometimes\n"));
    expect(e!.message).toBe('expected one of "keep", "dismiss", got "sometimes"');
  });

  test("every error is reported, not just the first", async () => {
    const errors = expectInvalid(await resolve("rules:\n  reviews:\n    approvals: -1\n    stale: x\n  nope: bronze\n"));
    expect(errors.map((e) => e.line).sort()).toEqual([3, 4, 5]);
  });

  test("unknown top-level key", async () => {
    const [e] = expectInvalid(await resolve("lvel: silver\n"));
    expect(e).toMatchObject({ line: 1, keyPath: "lvel" });
    expect(e!.message).toContain('Did you mean "level"?');
  });

  test("unknown level names, with the ladder", async () => {
    const errors = expectInvalid(await resolve("level: silvr\nrules:\n  reviews: platinum\n"));
    expect(errors.map((e) => [e.line, e.message.split(".")[0]])).toEqual([
      [1, 'unknown level "silvr"'],
      [3, 'unknown level "platinum"'],
    ]);
    expect(errors[0]!.message).toContain('Did you mean "silver"?');
  });

  test("YAML syntax errors carry line and column", async () => {
    const [e] = expectInvalid(await resolve("rules:\n  reviews: [bronze\n"));
    expect(e!.line).toBeGreaterThanOrEqual(2);
    expect(e!.message.length).toBeGreaterThan(5);
  });

  test("duplicate keys are errors", async () => {
    const [e] = expectInvalid(await resolve("rules:\n  reviews: bronze\n  reviews: silver\n"));
    expect(e).toMatchObject({ line: 3 });
    expect(e!.message).toContain("duplicate key");
  });

  test("alias expansion is bounded (billion laughs)", async () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
    const [e] = expectInvalid(await resolve(lines.join("\n")));
    expect(e!.message).toMatch(/alias/i);
  });

  test.each([
    ["a flow sequence 10,000 levels deep", `rules: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`, 1],
    ["a flow mapping 10,000 levels deep", `rules: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`, 1],
    ["compact block sequences 20,000 levels deep", `rules:\n  reviews:\n    ${"- ".repeat(20_000)}x\n`, 3],
    ["100,000 unclosed brackets", `level: bronze\nrules: ${"[".repeat(100_000)}\n`, 2],
  ])("nesting is bounded: %s is one clear error at its line, not a stack overflow", async (_what, text, line) => {
    const errors = expectInvalid(await resolve(text));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(
      `collections nested more than ${MAX_NESTING_DEPTH} levels deep; a readiness configuration needs a few. Look for unclosed [ or { brackets or a long run of "- ".`,
    );
    expect(errors[0]!.line).toBe(line);
  });

  test(`nesting up to ${MAX_NESTING_DEPTH} levels is left to the schema to judge`, async () => {
    const nested = (levels: number) => `rules: ${"[".repeat(levels)}${"]".repeat(levels)}\n`;
    // The top-level mapping is the first level.
    const [atLimit] = expectInvalid(await resolve(nested(MAX_NESTING_DEPTH - 1)));
    expect(atLimit!.message).not.toMatch(/nested/);
    const [overLimit] = expectInvalid(await resolve(nested(MAX_NESTING_DEPTH)));
    expect(overLimit!.message).toMatch(/nested more than/);
  });

  test("oversized files are refused before parsing", async () => {
    const [e] = expectInvalid(await resolve(`# ${"x".repeat(300 * 1024)}\n`));
    expect(e!.message).toContain("limit is");
  });

  test("a file that is not a mapping", async () => {
    const [e] = expectInvalid(await resolve("- reviews\n"));
    expect(e!.message).toContain("expected a mapping");
  });

  test("a rule value of the wrong shape", async () => {
    const [e] = expectInvalid(await resolve("rules:\n  reviews: 3\n"));
    expect(e).toMatchObject({ line: 2, keyPath: "rules.reviews" });
    expect(e!.message).toContain('expected "off", a level name');
  });
});

describe("configuration: extends and the organisation baseline", () => {
  const orgBaseline = "level: silver\nrules:\n  reviews:\n    level: bronze\n    approvals: 2\n  docs: silver\n";

  test("the repository's file is read from the reader in order, then the org's", async () => {
    const reader = readerOf({}, { ".github/readiness.yml": orgBaseline });
    const result = await loadConfig(reader, registry);
    expect(reader.reads).toEqual(["repo:.readiness.yml", "repo:.github/readiness.yml", "org:.readiness.yml", "org:.github/readiness.yml"]);
    expect(result.kind).toBe("ok");
    if (result.kind === "ok") expect(result.origins).toEqual([{ repository: "acme/.github", path: ".github/readiness.yml", ref: "main" }]);
  });

  test("no configuration anywhere", async () => {
    const result = await loadConfig(readerOf({}), registry);
    expect(result).toEqual({ kind: "none", looked: [".readiness.yml", ".github/readiness.yml", "<org>/.github:.readiness.yml", "<org>/.github:.github/readiness.yml"] });
  });

  test("the repository file wins over the org file when both exist: the baseline is read only for its locked rules (none here)", async () => {
    const reader = readerOf({ ".readiness.yml": "rules:\n  docs: bronze\n" }, { ".readiness.yml": orgBaseline });
    const config = expectOk(await loadConfig(reader, registry));
    expect(reader.reads).toEqual(["repo:.readiness.yml", "org:.readiness.yml"]);
    expect(config.rules.map((r) => r.id)).toEqual(["docs"]);
  });

  test("extending the org baseline: bare level keeps options, objects merge, off disables", async () => {
    const config = expectOk(await resolve("extends: acme/.github\nrules:\n  reviews: silver\n  docs: off\n", { ".readiness.yml": orgBaseline }));
    expect(config.required).toBe("silver");
    expect(config.rules).toEqual([{ id: "reviews", level: "silver", when: undefined, options: { approvals: 2, stale: "keep", teams: [] } }]);
  });

  test("extending another organisation is refused", async () => {
    const [e] = expectInvalid(await resolve("extends: evil/.github\n"));
    expect(e!.message).toContain('use "acme/.github"');
  });

  describe("a file the reader refuses (a directory, too large, not text) is an invalid configuration, not a thrown error", () => {
    const refusing = (place: "repo" | "org", message: string): ConfigFileReader => ({
      async read(at, path) {
        if (at !== place || path !== ".readiness.yml") return null;
        return { origin: { repository: place === "repo" ? "acme/shop" : "acme/.github", path, ref: "main" }, refused: message };
      },
    });

    test("the repository's own file: the reader's message on line 1 of that file", async () => {
      const result = await loadConfig(refusing("repo", "acme/shop:.readiness.yml is not a text file (it contains NUL bytes)"), registry);
      expect(result).toEqual({
        kind: "invalid",
        origin: { repository: "acme/shop", path: ".readiness.yml", ref: "main" },
        errors: [expect.objectContaining({ line: 1, message: "acme/shop:.readiness.yml is not a text file (it contains NUL bytes)" })],
      });
    });

    test("an extended baseline: an error at the extends line that gives the reason", async () => {
      const [e] = expectInvalid(await resolveConfigText("rules: {}\nextends: [acme/.github]\n", origin, refusing("org", "acme/.github:.readiness.yml is a directory"), registry));
      expect(e).toMatchObject({ line: 2, keyPath: "extends[0]" });
      expect(e!.message).toContain("is a directory");
    });

    test("other errors are failures to read and still thrown, to be retried", async () => {
      const failing: ConfigFileReader = { read: () => Promise.reject(Object.assign(new Error("boom"), { status: 502 })) };
      await expect(loadConfig(failing, registry)).rejects.toThrow("boom");
    });
  });

  test("extending a missing baseline is an error at the extends line", async () => {
    const [e] = expectInvalid(await resolve("rules: {}\nextends: [acme/.github]\n"));
    expect(e).toMatchObject({ line: 2, keyPath: "extends[0]" });
  });

  test("errors in the baseline point at the baseline file", async () => {
    const [e] = expectInvalid(await resolve("extends: acme/.github\n", { ".readiness.yml": "rules:\n  reviews:\n    approvals: x\n" }));
    expect(e!.origin).toEqual({ repository: "acme/.github", path: ".readiness.yml", ref: "main" });
    expect(e!.line).toBe(3);
  });

  test("unknown preset, with a suggestion", async () => {
    const [e] = expectInvalid(await resolve("extends: readiness:recomended\n"));
    expect(e!.message).toContain('Did you mean "readiness:recommended"?');
  });

  // 10,000 entries used to stall for 8.5 s (each one read, parsed and merged) before any answer.
  test(`more than ${MAX_EXTENDS} extends entries are refused at the extends line, naming the cap`, async () => {
    const list = (n: number) => `rules: {}\nextends:\n${"  - acme/.github\n".repeat(n)}`;
    const baseline = { ".readiness.yml": "rules:\n  reviews: bronze\n" };
    const reader = readerOf({}, baseline);
    const [e, ...rest] = expectInvalid(await resolveConfigText(list(10_000), origin, reader, registry));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ line: 2, column: 1, keyPath: "extends" });
    expect(e!.message).toContain(`too many extends entries: at most ${MAX_EXTENDS}`);
    expect(reader.reads).toEqual([]);
    expect(expectInvalid(await resolve(list(MAX_EXTENDS + 1), baseline))[0]!.message).toContain("too many extends entries");
    expect(expectOk(await resolve(list(MAX_EXTENDS), baseline)).rules.map((r) => r.id)).toEqual(["reviews"]);
  });

  test("a glob whose braces expand past the limit is refused at its line", async () => {
    const bomb = "{a,b}".repeat(9);
    const [e, ...rest] = expectInvalid(await resolve(`rules:\n  docs:\n    when:\n      - src/**\n      - "${bomb}"\n`));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ line: 5, column: 9, keyPath: "rules.docs.when[1]" });
    expect(e!.message).toBe(`the braces in this glob expand to more than ${GLOB_LIMITS.alternatives} alternatives: split it into several globs, or use * or **`);
    const [base] = expectInvalid(await resolve(`rules:\n  docs:\n    when: { base: "${bomb}" }\n`));
    expect(base).toMatchObject({ line: 3, keyPath: "rules.docs.when.base" });
  });

  test("an unsupported extends target says what is supported", async () => {
    const [e] = expectInvalid(await resolve("extends: https://example.com/x.yml\n"));
    expect(e!.message).toContain("use a preset");
  });
});

describe("options that are only valid together", () => {
  test("a bare level with nothing to check: the error points at the rule's entry", async () => {
    const [e, ...rest] = expectInvalid(await resolve("level: gold\nrules:\n  needy: bronze\n"));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ line: 3, column: 3, keyPath: "rules.needy", message: "needy has nothing to check: list the files under paths" });
  });

  test("an extending file may change the level of a rule whose options the baseline set", async () => {
    const config = expectOk(await resolve("extends: acme/.github\nrules:\n  needy:\n    level: silver\n", { ".readiness.yml": "rules:\n  needy:\n    paths: [SECURITY.md]\n" }));
    expect(config.rules).toEqual([{ id: "needy", level: "silver", when: undefined, options: { paths: ["SECURITY.md"] } }]);
  });

  test("problems with keys the file writes are still reported in that file", async () => {
    const [e] = expectInvalid(await resolve("rules:\n  needy:\n    paths: SECURITY.md\n"));
    expect(e).toMatchObject({ line: 3, keyPath: "rules.needy.paths" });
  });
});

describe("validateConfigText", () => {
  test("valid file: no errors", () => {
    expect(validateConfigText("rules:\n  reviews: bronze\n", origin, registry)).toEqual([]);
  });
  test("reports the same positioned errors", () => {
    const errors = validateConfigText("rules:\n  reviews:\n    approvals: nope\n", origin, registry);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 3, column: 5, keyPath: "rules.reviews.approvals", origin });
  });
});

describe("waivers and attestations", () => {
  test("waivers: who may, and not-waivable lists that add up across extended files", async () => {
    const config = expectOk(
      await resolve("extends: [acme/.github]\nwaivers:\n  allowed: [\"@lead\", acme/sre]\n  not-waivable: [reviews]\n", {
        ".readiness.yml": "waivers:\n  permission: maintain\n  not-waivable: [docs]\n",
      }),
    );
    expect(config.waivers).toEqual({
      allowed: ["lead", "acme/sre"],
      permission: "maintain",
      notWaivable: [
        { rule: "docs", by: "acme/.github:.readiness.yml" },
        { rule: "reviews", by: "acme/shop:.readiness.yml" },
      ],
    });
    expect(expectOk(await resolve("rules: {}\n")).waivers).toBeUndefined();
  });

  test("attestations: defaults, durations and levels", async () => {
    const config = expectOk(await resolve("attestations:\n  dr-drill:\n    description: DR drill\n    every: 180d\n    level: gold\n  pentest:\n    description: Pen test\n    by: [acme/sec]\n"));
    expect(config.attestations).toEqual([
      { id: "dr-drill", description: "DR drill", by: [], permission: "admin", every: "180d", everyMs: 180 * 86_400_000, level: "gold" },
      { id: "pentest", description: "Pen test", by: ["acme/sec"], permission: "admin", level: "bronze" },
    ]);
  });

  test("mistakes are positioned errors: a bad duration, an unknown level, an unknown not-waivable rule, a bad permission", async () => {
    const errors = expectInvalid(
      await resolve("waivers:\n  permission: owner\n  not-waivable: [dcos]\nattestations:\n  dr-drill:\n    description: DR drill\n    every: 6 months\n    level: platinum\n"),
    );
    expect(errors.map((e) => `${e.line}: ${e.keyPath}: ${e.message}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^2: waivers\.permission: expected one of "read", "triage", "write", "maintain", "admin"/),
        expect.stringMatching(/^7: attestations\.dr-drill\.every: expected a duration: a whole number and a unit/),
      ]),
    );
    const other = expectInvalid(await resolve("waivers:\n  not-waivable: [dcos]\nattestations:\n  dr-drill:\n    description: DR drill\n    level: platinum\n"));
    expect(other.map((e) => `${e.line}: ${e.message}`)).toEqual([`2: unknown rule "dcos". Did you mean "docs"?`, expect.stringMatching(/^6: unknown level "platinum"/)]);
  });
});
