import { resolveConfigText, validateConfigText } from "../../src/config/load.js";
import { componentRoot, overlapOf, samplePath } from "../../src/config/components.js";
import type { ConfigFileReader, ConfigLoadResult, ConfigOrigin } from "../../src/config/types.js";
import { configJsonSchema } from "../../src/config/schema.js";
import { registry } from "../../rules/index.js";

const origin: ConfigOrigin = { repository: "acme/mono", path: ".readiness.yml" };
const noFiles: ConfigFileReader = { read: async () => null };

async function resolve(text: string): Promise<ConfigLoadResult> {
  return resolveConfigText(text, origin, noFiles, registry);
}

function errorsOf(text: string) {
  return validateConfigText(text, origin, registry).map((e) => ({ line: e.line, keyPath: e.keyPath, message: e.message }));
}

const MONOREPO = `level: silver
rules:
  reviews: bronze
  docs: silver
  runbook: silver
  service-descriptor: silver
components:
  payments:
    paths: ["services/payments/**"]
    descriptor: services/payments/catalog-info.yaml
    level: gold
    rules:
      docs: off
      runbook:
        sections: [Alerts]
  search:
    paths: services/search/**
`;

describe("components: configuration", () => {
  it("resolves each component's checklist: its level, overrides and re-rooted path options", async () => {
    const result = await resolve(MONOREPO);
    if (result.kind !== "ok") throw new Error(JSON.stringify(result));
    expect(result.config.required).toBe("silver");
    expect(result.config.rules.map((r) => r.id)).toEqual(["reviews", "docs", "runbook", "service-descriptor"]);
    const [payments, search] = result.config.components!;
    expect(payments!.name).toBe("payments");
    expect(payments!.root).toBe("services/payments");
    expect(payments!.config.required).toBe("gold");
    expect(payments!.config.rules.map((r) => r.id)).toEqual(["reviews", "runbook", "service-descriptor"]);
    const runbook = payments!.config.rules.find((r) => r.id === "runbook")!.options as Record<string, unknown>;
    expect(runbook.path).toBe("services/payments/docs/runbook.md");
    expect(runbook.sections).toEqual(["Alerts"]);
    expect(runbook.service).toEqual(["services/payments/**"]);
    const descriptor = payments!.config.rules.find((r) => r.id === "service-descriptor")!.options as Record<string, unknown>;
    expect(descriptor.paths).toEqual(["services/payments/catalog-info.yaml"]);
    expect(search!.config.required).toBe("silver");
    expect(search!.paths).toEqual(["services/search/**"]);
    const searchDescriptor = search!.config.rules.find((r) => r.id === "service-descriptor")!.options as Record<string, unknown>;
    expect((searchDescriptor.paths as string[])[0]).toBe("services/search/catalog-info.{yaml,yml}");
    expect(search!.config.components).toBeUndefined();
  });

  it("takes an option the component writes as written, relative to the repository", async () => {
    const result = await resolve(`rules:
  runbook: bronze
components:
  api:
    paths: ["api/**"]
    rules:
      runbook: { path: ops/api-runbook.md }
`);
    if (result.kind !== "ok") throw new Error(JSON.stringify(result));
    const runbook = result.config.components![0]!.config.rules[0]!.options as Record<string, unknown>;
    expect(runbook.path).toBe("ops/api-runbook.md");
  });

  it("a configuration without components resolves as before", async () => {
    const result = await resolve("rules:\n  reviews: bronze\n");
    if (result.kind !== "ok") throw new Error("invalid");
    expect(result.config.components).toBeUndefined();
  });

  it("an unknown key in a component is an error on its line, with a did-you-mean", () => {
    expect(errorsOf(`components:
  payments:
    paths: ["services/payments/**"]
    levle: gold
`)).toEqual([{ line: 4, keyPath: "components.payments.levle", message: 'unknown key "levle". Did you mean "level"?' }]);
  });

  it("a component without paths, or with a bad glob or name, is an error on its line", () => {
    const errors = errorsOf(`components:
  payments:
    level: gold
  search:
    paths: ["services/search/**", "!"]
  Bad Name:
    paths: ["x/**"]
`);
    expect(errors.find((e) => e.keyPath === "components.payments.paths")).toMatchObject({ line: 2 });
    expect(errors.find((e) => e.keyPath.startsWith("components.search.paths"))).toMatchObject({ line: 5 });
    expect(errors.find((e) => e.keyPath.startsWith("components.search.paths"))!.message).toMatch(/a lone ! excludes nothing/);
    expect(errors.find((e) => e.keyPath === "components.Bad Name")).toEqual({ line: 6, keyPath: "components.Bad Name", message: '"Bad Name" cannot name a component: use lower-case letters, digits, - and _ (e.g. payments)' });
  });

  it("overlapping components are an error at the later one's paths", () => {
    expect(errorsOf(`components:
  services:
    paths: ["services/**"]
  payments:
    paths: ["services/payments/**"]
`)).toEqual([{ line: 5, keyPath: "components.payments.paths", message: expect.stringContaining('components "services" and "payments" overlap: "services/payments/x" matches both') }]);
    expect(errorsOf(`components:
  services:
    paths: ["services/**", "!services/payments/**"]
  payments:
    paths: ["services/payments/**"]
`)).toEqual([]);
  });

  it("a component's rule overrides are judged like top-level rules, with lines", () => {
    const errors = errorsOf(`rules:
  reviews: bronze
components:
  payments:
    paths: ["services/payments/**"]
    level: platinum
    rules:
      reviewz: silver
      reviews:
        approvals: two
      runbook:
        level: gould
`);
    expect(errors).toEqual(
      expect.arrayContaining([
        { line: 8, keyPath: "components.payments.rules.reviewz", message: expect.stringMatching(/^unknown rule "reviewz"\. Did you mean "reviews"\?/) },
        { line: 10, keyPath: "components.payments.rules.reviews.approvals", message: expect.stringContaining("expected a number") },
      ]),
    );
    // Levels are judged once the component's checklist is merged: an unknown level is still on its line.
    const levels = errorsOf(`components:
  payments:
    paths: ["services/payments/**"]
    level: platinum
    rules:
      runbook:
        level: gould
`);
    expect(levels).toEqual([
      { line: 4, keyPath: "components.payments.level", message: expect.stringMatching(/^unknown level "platinum"/) },
      { line: 7, keyPath: "components.payments.rules.runbook.level", message: expect.stringMatching(/^unknown level "gould"\. Did you mean "gold"\?/) },
    ]);
  });

  it("the JSON schema documents components, whose rules are the top-level rules", () => {
    const schema = configJsonSchema(registry) as { properties: Record<string, { properties?: Record<string, unknown>; additionalProperties: { properties: Record<string, { $ref?: string }>; required?: string[] } }> };
    const component = schema.properties.components!.additionalProperties;
    expect(Object.keys(component.properties)).toEqual(["paths", "descriptor", "level", "rules"]);
    expect(component.required).toEqual(["paths"]);
    expect(component.properties.rules!.$ref).toBe("#/properties/rules");
    expect(Object.keys(schema.properties.rules!.properties!)).toContain("runbook");
  });
});

describe("component roots and overlaps", () => {
  it.each([
    [["services/payments/**"], undefined, "services/payments"],
    [["services/payments/**", "services/payments-shared/**"], undefined, "services"],
    [["libs/*/src/**"], undefined, "libs"],
    [["**/*.go"], undefined, ""],
    [["services/payments/**"], "services/payments/deploy/catalog-info.yaml", "services/payments/deploy"],
    [["x/**"], "catalog-info.yaml", ""],
  ])("%j with descriptor %s has root %j", (paths, descriptor, root) => {
    expect(componentRoot(paths, descriptor)).toBe(root);
  });

  it("samples a glob and finds overlaps", () => {
    expect(samplePath("services/{a,b}/**/*.ts")).toBe("services/a/x/x.ts");
    expect(overlapOf(["a/**"], ["b/**"])).toBeUndefined();
    expect(overlapOf(["a/**"], ["a/**"])).toBe("a/x");
  });
});
