import serviceDescriptor from "../../rules/service-descriptor.js";
import { known, unknownFact, contentKey } from "../../src/engine/types.js";
import { ruleTester } from "../helpers/rule-tester.js";
import { BACKSTAGE, BACKSTAGE_BARE, BACKSTAGE_SYSTEM_ONLY, CORTEX, OPSLEVEL, PORT, repo } from "./descriptor-fixtures.js";

ruleTester(serviceDescriptor, {
  valid: [
    { name: "a complete Backstage Component", facts: repo({ "catalog-info.yaml": BACKSTAGE }) },
    { name: "a System next to the Component is not judged", facts: repo({ "catalog-info.yaml": `${BACKSTAGE_SYSTEM_ONLY}---\n${BACKSTAGE}` }) },
    { name: "OpsLevel", options: { require: ["owner", "lifecycle", "tier", "on-call"] }, facts: repo({ "opslevel.yml": OPSLEVEL }) },
    { name: "Cortex: owners, groups as system, dependencies not required", options: { require: ["owner", "system", "on-call", "slack"] }, facts: repo({ "cortex.yaml": CORTEX }) },
    { name: "Port", options: { require: ["owner", "lifecycle", "system", "dependencies", "slack"] }, facts: repo({ "port.yml": PORT }) },
    { name: "Backstage on-call from a PagerDuty annotation, tier from a label", options: { require: ["owner", "tier", "on-call"] }, facts: repo({ "catalog-info.yaml": BACKSTAGE }) },
    {
      name: "a custom file and field locations from the configuration",
      options: { paths: ["service.yaml"], require: ["owner", "tier", "slack"], fields: { owner: "team", tier: "meta.tier", slack: 'contacts["slack.channel"]' } },
      facts: repo({ "service.yaml": 'team: ledger\nmeta:\n  tier: 2\ncontacts:\n  slack.channel: "#ledger"\n' }),
    },
  ],
  invalid: [
    { name: "no descriptor at all", facts: repo({}), findings: [{ message: "no service descriptor matches catalog-info.{yaml,yml}, .backstage/catalog-info.{yaml,yml}, opslevel.{yml,yaml} and 4 more: add catalog-info.yaml at the repository root (a Backstage kind: Component" }] },
    {
      name: "a Backstage Component without lifecycle, system and dependencies: each named, at the spec",
      facts: repo({ "catalog-info.yaml": BACKSTAGE_BARE }),
      findings: [
        { message: 'Backstage Component "ledger-api" in catalog-info.yaml has no lifecycle: add spec.lifecycle, production, experimental or deprecated', path: "catalog-info.yaml", line: 6 },
        { message: 'has no system: add spec.system', line: 6 },
        { message: "has no dependencies: add spec.dependsOn (or spec.providesApis, spec.consumesApis)", line: 6 },
      ],
    },
    { name: "only a System: no service", facts: repo({ "catalog-info.yaml": BACKSTAGE_SYSTEM_ONLY }), findings: [{ message: "catalog-info.yaml declares no service (a Backstage kind: Component" }] },
    {
      name: "a descriptor that is not YAML",
      facts: repo({ "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: [\n" }),
      findings: [{ message: /^catalog-info\.yaml is not valid YAML \(line \d+: .*\): fix it/, path: "catalog-info.yaml" }],
    },
    {
      name: "OpsLevel without tier: the line of the service",
      options: { require: ["owner", "tier"] },
      facts: repo({ "opslevel.yml": "version: 1\nservice:\n  name: Ledger API\n  owner: team-ledger\n" }),
      findings: [{ message: 'OpsLevel service "Ledger API" in opslevel.yml has no tier: add service.tier', line: 3 }],
    },
    {
      name: "an empty owner does not count",
      options: { require: ["owner"] },
      facts: repo({ "catalog-info.yaml": BACKSTAGE_BARE.replace("owner: team-ledger", 'owner: ""') }),
      findings: [{ message: "has no owner: add spec.owner" }],
    },
    {
      name: "a custom file without locations cannot be judged: says to configure fields",
      options: { paths: ["service.yaml"], require: ["owner"] },
      facts: repo({ "service.yaml": "team: ledger\n" }),
      findings: [{ message: 'service.yaml is not a format readiness-bot knows, so it cannot tell where "owner" is: say where under fields.owner' }],
    },
  ],
  unknown: [
    { name: "the tree cannot be listed", facts: { trees: { head: unknownFact("GitHub answered 502") } }, reason: "cannot read the service descriptor: cannot list the repository's files: GitHub answered 502" },
    {
      name: "the descriptor cannot be read",
      facts: { trees: { head: known(["catalog-info.yaml"]) }, contents: new Map([[contentKey("head", "catalog-info.yaml"), unknownFact("GitHub answered 502")]]) },
      reason: "cannot read the service descriptor: catalog-info.yaml could not be read: GitHub answered 502",
    },
  ],
});

describe("service-descriptor: options", () => {
  test("a required field no format knows needs a location", () => {
    const result = serviceDescriptor.options.safeParse({ require: ["owner", "cost-centre"] });
    expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([[["require", 1], expect.stringContaining('"cost-centre" is not a field every format knows')]]);
    expect(serviceDescriptor.options.safeParse({ require: ["cost-centre"], fields: { "cost-centre": "spec.costCentre" } }).success).toBe(true);
  });

  test("a field path must be a path", () => {
    expect(serviceDescriptor.options.safeParse({ fields: { owner: "spec..owner" } }).success).toBe(false);
    expect(serviceDescriptor.options.safeParse({ fields: { owner: 'metadata.annotations["acme.com/owner"]' } }).success).toBe(true);
  });

  test("every option is described", () => {
    for (const [key, schema] of Object.entries(serviceDescriptor.options.shape)) expect([key, schema.description]).toEqual([key, expect.any(String)]);
  });
});
