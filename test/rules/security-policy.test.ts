import securityPolicy, { hasEmailAddress } from "../../rules/security-policy.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";
import { ruleTester } from "../helpers/rule-tester.js";

const repo = (files: Record<string, string>): Partial<Facts> => ({
  trees: { head: known(["README.md", "src/app.ts", ...Object.keys(files)]) },
  contents: new Map(Object.entries(files).map(([path, text]) => [contentKey("head", path), known<string | null>(text)])),
});

ruleTester(securityPolicy, {
  valid: [
    { name: "an e-mail address at the root", facts: repo({ "SECURITY.md": "# Security\n\nWrite to security@shop.example with the details.\n" }) },
    { name: "security advisories in .github/", facts: repo({ ".github/SECURITY.md": "# Policy\n\nUse the Security Advisories tab to tell us privately.\n" }) },
    { name: "a link in docs/, the name in another case", facts: repo({ "docs/security.md": "See https://shop.example/security for our disclosure process.\n" }) },
    { name: "existence only when contact is off", options: { contact: false }, facts: repo({ "SECURITY.md": "nothing useful" }) },
    { name: "a configured phrase", options: { phrases: ["bug bounty"] }, facts: repo({ "SECURITY.md": "Join our Bug Bounty programme.\n" }) },
  ],
  invalid: [
    {
      name: "no policy anywhere",
      facts: repo({}),
      findings: [{ message: "the repository has no security policy: add SECURITY.md saying how to report a vulnerability (GitHub also reads .github/SECURITY.md and docs/SECURITY.md)" }],
    },
    {
      name: "a policy without a way to report",
      facts: repo({ "SECURITY.md": "# Supported versions\n\n| 1.x | yes |\n" }),
      findings: [{ message: "SECURITY.md does not say how to report a vulnerability", path: "SECURITY.md" }],
    },
    {
      name: "GitHub's template left as it is",
      facts: repo({ "SECURITY.md": "# Security Policy\n\n## Reporting a Vulnerability\n\nUse this section to tell people how to report a vulnerability.\n" }),
      findings: [{ message: "still has GitHub's template text on line 5", path: "SECURITY.md", line: 5 }],
    },
    {
      name: "an address only inside an HTML comment does not count",
      facts: repo({ "SECURITY.md": "# Policy\n<!-- security@shop.example -->\nSupported: 2.x\n" }),
      findings: [{ message: "does not say how to report" }],
    },
  ],
  unknown: [
    { name: "the tree cannot be listed", facts: { trees: { head: unknownFact("the tree at the head commit is truncated") } }, reason: "truncated" },
    {
      name: "the policy cannot be read",
      facts: { trees: { head: known(["SECURITY.md"]) }, contents: new Map([[contentKey("head", "SECURITY.md"), unknownFact("GitHub answered 500")]]) },
      reason: "cannot read SECURITY.md: GitHub answered 500",
    },
  ],
});

describe("hasEmailAddress", () => {
  it("finds an address and rejects look-alikes", () => {
    expect(hasEmailAddress("mail security@shop.example.")).toBe(true);
    expect(hasEmailAddress("@mention and user@localhost")).toBe(false);
  });
  it("reads a long line of @ and word characters without an address in it (each @ looks a bounded distance)", () => {
    expect(hasEmailAddress("a@".repeat(200_000) + "b".repeat(200_000))).toBe(false);
  });
});
