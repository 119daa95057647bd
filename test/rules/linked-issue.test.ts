import linkedIssue from "../../rules/linked-issue.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { Facts, PullRequestInfo } from "../../src/engine/types.js";
import { pullRequest } from "../helpers/facts.js";
import { ruleTester } from "../helpers/rule-tester.js";

const pr = (over: Partial<PullRequestInfo>): Partial<Facts> => ({ pull: known(pullRequest({ headRef: "cart-totals", ...over })) });

ruleTester(linkedIssue, {
  valid: [
    { name: "Fixes #123 in the description", facts: pr({ body: "Totals were wrong.\n\nFixes #123" }) },
    { name: "another repository's issue in the title", facts: pr({ title: "Cart totals (acme/billing#45)" }) },
    { name: "a GitHub issue link", facts: pr({ body: "See https://github.com/acme/shop/issues/9" }) },
    { name: "the branch GitHub creates from an issue", facts: pr({ headRef: "123-cart-totals" }) },
    { name: "a branch under a prefix", facts: pr({ headRef: "fix/issue-77" }) },
    { name: "a configured project key", options: { keys: ["PAY"] }, facts: pr({ title: "PAY-1042: round totals" }) },
    { name: "a tracker link by prefix", options: { urls: ["https://linear.app/acme/issue/"] }, facts: pr({ body: "https://linear.app/acme/issue/ENG-12/cart" }) },
  ],
  invalid: [
    {
      name: "nothing linked",
      facts: pr({ title: "Cart totals", body: "Rounds totals." }),
      findings: [{ message: 'the pull request links no issue or ticket in its title, description, branch name: mention the one it addresses (#123), for example "Fixes #123" in the description' }],
    },
    { name: "an HTML entity is not an issue", facts: pr({ body: "price &#123; and page#top" }), findings: [{ message: "links no issue" }] },
    { name: "a key of another project does not count", options: { keys: ["PAY"] }, facts: pr({ title: "UTF-8 and SHA-256 fixes" }), findings: [{ message: "(#123, PAY-123)" }] },
    { name: "only the configured places count", options: { in: ["body"] }, facts: pr({ title: "#12 cart", headRef: "12-cart" }), findings: [{ message: "in its description" }] },
  ],
  skipped: [{ name: "an update bot", facts: pr({ author: "dependabot[bot]" }), reason: "needs no linked issue" }],
  unknown: [{ name: "no pull request", facts: { pull: unknownFact("GitHub answered 404") }, reason: "GitHub answered 404" }],
});
