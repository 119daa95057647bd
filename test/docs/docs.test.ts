import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { registry } from "../../rules/index.js";
import { resolveConfigText, validateConfigText } from "../../src/config/load.js";
import { PRESETS } from "../../src/config/presets.js";
import { ruleCatalogueMarkdown, schemaFileText, withPresetComparison } from "../../src/config/reference.js";
import { DEFAULT_LEVELS, defaultLevelOf } from "../../src/config/schema.js";
import type { ConfigFileReader } from "../../src/config/types.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../cli/run-cli.js";

const repoFile = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), "utf8");
const INVALID_EXAMPLE = "<!-- invalid example";
/** YAML examples meant to be valid: every yaml block except those marked as invalid examples. */
const yamlBlocks = (markdown: string) => [...markdown.matchAll(/(<!-- invalid example[^\n]*\n)?```yaml\n([\s\S]*?)```/g)].filter((m) => m[1] === undefined).map((m) => m[2]!);
/** Each marked invalid example with the text block that follows it (what the validator prints). */
const invalidExamples = (markdown: string) =>
  [...markdown.matchAll(/<!-- invalid example[^\n]*\n```yaml\n([\s\S]*?)```[\s\S]*?```text\n([\s\S]*?)```/g)].map((m) => ({ input: m[1]!, output: m[2]! }));
const noOrg: ConfigFileReader = { read: async () => null };

describe("generated docs are current (run `npm run docs` when this fails)", () => {
  test("docs/rules.md", () => {
    expect(repoFile("docs/rules.md")).toBe(ruleCatalogueMarkdown(registry));
  });
  test("docs/readiness.schema.json", () => {
    expect(repoFile("docs/readiness.schema.json")).toBe(schemaFileText(registry));
  });
  test("docs/configuration.md's presets side by side", async () => {
    const text = repoFile("docs/configuration.md");
    expect(text).toBe(await withPresetComparison(text, registry));
  });
  test("the catalogue lists every registered rule with its options", () => {
    const catalogue = ruleCatalogueMarkdown(registry);
    for (const rule of registry.values()) expect(catalogue).toContain(`## \`${rule.id}\``);
  });
});

describe("README", () => {
  test("its rule table lists exactly the registered rules, with their areas and default levels", () => {
    const readme = repoFile("README.md");
    const table = readme.slice(readme.indexOf("| rule | area | default level | passes when |"));
    const rows = [...table.matchAll(/^\| `([a-z-]+)` \| ([a-z]+) \| ([a-z]+) \|/gm)].map((m) => [m[1]!, `${m[2]!} ${m[3]!}`] as const);
    expect(new Map(rows)).toEqual(new Map([...registry.values()].map((rule) => [rule.id, `${rule.area} ${defaultLevelOf(rule, DEFAULT_LEVELS)}`])));
  });
});

describe("examples in the docs are valid configurations", () => {
  const blocks = yamlBlocks(repoFile("docs/configuration.md"));
  test("configuration.md has its examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });
  test.each(blocks.map((b, i) => [i, b]))("configuration.md example %i", (_i, block) => {
    // An example headed "# acme/.github: …" is the organisation baseline, where `locked:` is allowed.
    const repository = block.startsWith("# acme/.github") ? "acme/.github" : "acme/shop";
    expect(validateConfigText(block, { repository, path: "docs/configuration.md" }, registry)).toEqual([]);
  });
  test("README example", () => {
    for (const block of yamlBlocks(repoFile("README.md"))) {
      expect(validateConfigText(block, { repository: "acme/shop", path: "README.md" }, registry)).toEqual([]);
    }
  });
});

describe("presets", () => {
  test.each(Object.keys(PRESETS))("readiness:%s resolves against the real rules", async (name) => {
    const result = await resolveConfigText(`extends: readiness:${name}\n`, { repository: "acme/shop", path: ".readiness.yml" }, noOrg, registry);
    expect(result.kind).toBe("ok");
  });
});

describe("the error example in configuration.md is what the validator prints", () => {
  const examples = invalidExamples(repoFile("docs/configuration.md"));
  test("configuration.md has one", () => {
    expect(examples.length).toBeGreaterThanOrEqual(1);
    expect(repoFile("docs/configuration.md").split(INVALID_EXAMPLE).length - 1).toBe(examples.length);
  });
  test.each(examples.map((e, i) => [i, e]))("example %i", async (_i, example) => {
    const dir = mkdtempSync(join(tmpdir(), "readiness-doc-example-"));
    try {
      writeFileSync(join(dir, ".readiness.yml"), example.input);
      const run = await runCli(["validate"], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.out).toBe(example.output);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
