import fileContains from "../../rules/file-contains.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";
import { ruleTester } from "../helpers/rule-tester.js";

const repo = (files: Record<string, string | null>): Partial<Facts> => ({
  trees: { head: known(Object.entries(files).filter(([, v]) => v !== null).map(([k]) => k)) },
  contents: new Map(Object.entries(files).map(([path, text]) => [contentKey("head", path), known<string | null>(text)])),
});

const README = "# Shop\n\n## Support\n\nAsk in #shop-help.\n";

ruleTester(fileContains, {
  valid: [
    { name: "a required heading", options: { checks: [{ path: "README.md", contains: ["^## Support"] }] }, facts: repo({ "README.md": README }) },
    { name: "regardless of case", options: { checks: [{ path: "README.md", contains: ["^## SUPPORT"], "ignore-case": true }] }, facts: repo({ "README.md": README }) },
    {
      name: "a glob: every Terraform file is free of open ingress",
      options: { checks: [{ path: "infra/**/*.tf", "not-contains": ["0\\.0\\.0\\.0/0"] }] },
      facts: repo({ "infra/main.tf": 'cidr = "10.0.0.0/8"\n', "infra/net/vpc.tf": "cidr = \"10.1.0.0/16\"\n" }),
    },
  ],
  invalid: [
    {
      name: "a missing line, with the configured reason",
      options: { checks: [{ path: "README.md", contains: ["^## Support", "^## Runbook"], message: "on-call reads it" }] },
      facts: repo({ "README.md": README }),
      findings: [{ message: "README.md has no line matching ^## Runbook: add it (on-call reads it)", path: "README.md" }],
    },
    {
      name: "a forbidden line, with its number",
      options: { checks: [{ path: "infra/**/*.tf", "not-contains": ["0\\.0\\.0\\.0/0"] }] },
      facts: repo({ "infra/main.tf": 'ingress {\n  cidr = "0.0.0.0/0"\n}\n' }),
      findings: [{ message: "line 2 of infra/main.tf matches 0\\.0\\.0\\.0/0, which it must not", path: "infra/main.tf", line: 2 }],
    },
    { name: "a missing file", options: { checks: [{ path: "LICENSE", contains: ["Apache"] }] }, facts: repo({ LICENSE: null }), findings: [{ message: "LICENSE does not exist" }] },
    { name: "a glob nothing matches", options: { checks: [{ path: "docs/adr/*.md", contains: ["Status"] }] }, facts: repo({ "README.md": README }), findings: [{ message: "no file matches docs/adr/*.md" }] },
  ],
  unknown: [
    {
      name: "a file cannot be read",
      options: { checks: [{ path: "README.md", contains: ["x"] }] },
      facts: { contents: new Map([[contentKey("head", "README.md"), unknownFact("GitHub answered 500")]]) },
      reason: "cannot read README.md: GitHub answered 500",
    },
  ],
});

describe("options", () => {
  it("need at least one check", () => {
    expect(fileContains.options.safeParse({}).success).toBe(false);
  });
  it("refuse patterns a linear-time engine cannot run", () => {
    const parsed = fileContains.options.safeParse({ checks: [{ path: "README.md", contains: ["(a)\\1"] }] });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("re2js cannot compile this pattern");
  });
  it("refuse a check with no pattern", () => {
    expect(fileContains.options.safeParse({ checks: [{ path: "README.md" }] }).success).toBe(false);
  });
});
