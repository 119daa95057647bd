import reviews from "../../rules/reviews.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { Facts, Review } from "../../src/engine/types.js";
import { AUTHOR, EARLIER_SHA, HEAD_SHA, pullRequest, review } from "../helpers/facts.js";
import { ruleTester } from "../helpers/rule-tester.js";

/** Reviews in the order given (chronological, as GitHub lists them). */
const facts = (list: Review[], extra: Partial<Facts> = {}): Partial<Facts> => ({ pull: known(pullRequest()), reviews: known(list), ...extra });
const platform = (members: string[]): Partial<Facts> => ({ teams: new Map([["acme/platform", known(members)]]) });

ruleTester(reviews, {
  valid: [
    { name: "one approval by default", facts: facts([review("alice", "APPROVED")]) },
    { name: "the latest opinion wins: changes requested, then approved", facts: facts([review("alice", "CHANGES_REQUESTED"), review("alice", "APPROVED")]) },
    { name: "a later COMMENTED keeps the approval", facts: facts([review("alice", "APPROVED"), review("alice", "COMMENTED")]) },
    { name: "a later PENDING draft keeps the approval", facts: facts([review("alice", "APPROVED"), review("alice", "PENDING")]) },
    { name: "approving again after a dismissal counts", facts: facts([review("alice", "DISMISSED"), review("alice", "APPROVED")]) },
    {
      name: "two approvals from two reviewers",
      options: { approvals: 2 },
      facts: facts([review("alice", "APPROVED"), review("bob", "COMMENTED"), review("bob", "APPROVED")]),
    },
    { name: "stale: keep counts an approval on an earlier commit", options: { stale: "keep" }, facts: facts([review("alice", "APPROVED", EARLIER_SHA)]) },
    {
      name: "stale: dismiss counts a re-approval on the head commit",
      options: { stale: "dismiss" },
      facts: facts([review("alice", "APPROVED", EARLIER_SHA), review("alice", "APPROVED", HEAD_SHA)]),
    },
    { name: "approvals: 0 with no reviews at all", options: { approvals: 0 }, facts: facts([]) },
    {
      name: "a team is satisfied by a member's approval (team name and login in any case)",
      options: { teams: ["Acme/Platform"] },
      facts: facts([review("Bob", "APPROVED")], platform(["bob", "carol"])),
    },
    {
      name: "a team written with @, as in CODEOWNERS",
      options: { teams: ["@acme/platform"] },
      facts: facts([review("carol", "APPROVED")], platform(["carol"])),
    },
    {
      name: "every required user approved (logins compared case-insensitively)",
      options: { users: ["Alice", "@bob"] },
      facts: facts([review("alice", "APPROVED"), review("BOB", "APPROVED")]),
    },
    {
      name: "changes-requested: ignore lets approvals decide",
      options: { "changes-requested": "ignore" },
      facts: facts([review("carol", "CHANGES_REQUESTED"), review("alice", "APPROVED")]),
    },
  ],
  invalid: [
    {
      name: "the latest opinion wins: approved, then changes requested",
      facts: facts([review("alice", "APPROVED"), review("alice", "CHANGES_REQUESTED")]),
      findings: [{ message: "changes requested by alice" }, { message: "needs 1 approval, has none" }],
    },
    {
      name: "a later COMMENTED keeps the request for changes",
      facts: facts([review("alice", "CHANGES_REQUESTED"), review("alice", "COMMENTED"), review("bob", "APPROVED")]),
      findings: [{ message: "changes requested by alice" }],
    },
    {
      name: "every outstanding request for changes is named",
      options: { approvals: 0 },
      facts: facts([review("alice", "CHANGES_REQUESTED"), review("dave", "CHANGES_REQUESTED")]),
      findings: [{ message: "changes requested by alice, dave" }],
    },
    {
      name: "DISMISSED clears an approval",
      facts: facts([review("alice", "APPROVED"), review("alice", "DISMISSED")]),
      findings: [{ message: "needs 1 approval, has none" }],
    },
    {
      name: "DISMISSED clears a request for changes, but leaves no approval behind",
      facts: facts([review("alice", "CHANGES_REQUESTED"), review("alice", "DISMISSED")]),
      findings: [{ message: "needs 1 approval, has none" }],
    },
    { name: "a PENDING approval is invisible", facts: facts([review("alice", "PENDING")]), findings: [{ message: "needs 1 approval, has none" }] },
    { name: "COMMENTED alone is no approval", facts: facts([review("alice", "COMMENTED")]), findings: [{ message: "needs 1 approval, has none" }] },
    {
      name: "the author's own approval never counts, whatever the case of the login",
      facts: facts([review("Octo-Dev", "APPROVED"), review(AUTHOR, "APPROVED")]),
      findings: [{ message: "needs 1 approval, has none" }],
    },
    {
      name: "the author's own request for changes does not block",
      options: { approvals: 0 },
      facts: facts([review(AUTHOR, "CHANGES_REQUESTED"), review("alice", "CHANGES_REQUESTED")]),
      findings: [{ message: /^changes requested by alice$/ }],
    },
    {
      name: "one reviewer approving twice is one approval",
      options: { approvals: 2 },
      facts: facts([review("alice", "APPROVED"), review("ALICE", "APPROVED")]),
      findings: [{ message: "needs 2 approvals, has 1 (ALICE)" }],
    },
    {
      name: "stale: dismiss ignores an approval on an earlier commit",
      options: { stale: "dismiss" },
      facts: facts([review("alice", "APPROVED", EARLIER_SHA)]),
      findings: [{ message: "needs 1 approval, has none" }],
    },
    {
      name: "stale: dismiss ignores an earlier-commit approval even after a COMMENTED on the head",
      options: { stale: "dismiss" },
      facts: facts([review("alice", "APPROVED", EARLIER_SHA), review("alice", "COMMENTED", HEAD_SHA)]),
      findings: [{ message: "needs 1 approval, has none" }],
    },
    {
      name: "stale: dismiss still blocks on changes requested on an earlier commit",
      options: { stale: "dismiss" },
      facts: facts([review("carol", "CHANGES_REQUESTED", EARLIER_SHA), review("alice", "APPROVED")]),
      findings: [{ message: "changes requested by carol" }],
    },
    {
      name: "a team no member of which approved",
      options: { teams: ["acme/platform"] },
      facts: facts([review("alice", "APPROVED")], platform(["bob", "carol"])),
      findings: [{ message: "needs an approval from a member of acme/platform" }],
    },
    {
      name: "a team member's approval on an earlier commit with stale: dismiss",
      options: { teams: ["acme/platform"], stale: "dismiss" },
      facts: facts([review("alice", "APPROVED"), review("bob", "APPROVED", EARLIER_SHA)], platform(["bob"])),
      findings: [{ message: "needs an approval from a member of acme/platform" }],
    },
    {
      name: "the author being a team member does not approve for the team",
      options: { teams: ["acme/platform"] },
      facts: facts([review(AUTHOR, "APPROVED"), review("alice", "APPROVED")], platform([AUTHOR])),
      findings: [{ message: "needs an approval from a member of acme/platform" }],
    },
    {
      name: "a required user who did not approve",
      options: { users: ["alice", "bob"] },
      facts: facts([review("alice", "APPROVED"), review("bob", "COMMENTED")]),
      findings: [{ message: /^needs an approval from bob$/ }],
    },
    {
      name: "a required user who wrote the pull request is told why it cannot pass",
      options: { users: ["Octo-Dev"] },
      facts: facts([review("alice", "APPROVED")]),
      findings: [{ message: "needs an approval from Octo-Dev, who wrote this pull request and cannot approve it" }],
    },
    {
      name: "a known failure is reported even when a team cannot be checked, with the team as a notice",
      options: { approvals: 2, teams: ["acme/platform"] },
      facts: facts([review("alice", "APPROVED")], { teams: new Map([["acme/platform", unknownFact("the app lacks the members: read permission")]]) }),
      findings: [
        { message: "needs 2 approvals, has 1 (alice)" },
        { message: /acme\/platform.*members: read/, severity: "notice" },
      ],
    },
  ],
  unknown: [
    {
      name: "reviews are unknown (a local checkout)",
      facts: { pull: known(pullRequest()), reviews: unknownFact("reviews are not available locally") },
      reason: "cannot count approvals: reviews are not available locally",
    },
    {
      name: "the pull request is unknown",
      facts: { pull: unknownFact("no pull request for this branch"), reviews: known([review("alice", "APPROVED")]) },
      reason: /who wrote the pull request.*no pull request for this branch/,
    },
    {
      name: "a team's members are unknown: never silently failed",
      options: { teams: ["acme/platform"] },
      facts: facts([review("bob", "APPROVED")], { teams: new Map([["acme/platform", unknownFact("the app lacks the members: read permission")]]) }),
      reason: "cannot tell whether acme/platform approved: its members are unknown (the app lacks the members: read permission)",
    },
    {
      name: "a team's members were never gathered",
      options: { teams: ["acme/sre"] },
      facts: facts([review("bob", "APPROVED")], platform(["bob"])),
      reason: "cannot tell whether acme/sre approved",
    },
  ],
});

describe("reviews: what the developer reads", () => {
  const run = (options: unknown, partial: Partial<Facts>) => reviews.evaluate(makeFacts(partial), reviews.options.parse(options));

  test("a pass says who approved, against how many are required", () => {
    expect(run({ approvals: 2 }, facts([review("alice", "APPROVED"), review("bob", "APPROVED")])).reason).toBe("2 of 2 approvals (alice, bob)");
    expect(run({}, facts([review("alice", "APPROVED"), review("bob", "APPROVED")])).reason).toBe("2 approvals (alice, bob), 1 required");
    expect(run({ approvals: 0 }, facts([])).reason).toBe("no approvals required");
  });

  test("a pass names the team member who approved and any ignored request for changes", () => {
    const verdict = run(
      { teams: ["acme/platform"], "changes-requested": "ignore" },
      facts([review("carol", "CHANGES_REQUESTED"), review("bob", "APPROVED")], platform(["bob"])),
    );
    expect(verdict.reason).toBe("1 of 1 approval (bob); acme/platform approved by bob; changes requested by carol (ignored)");
  });

  test("an approval on an earlier commit is explained, with the short commit id", () => {
    const verdict = run({ stale: "dismiss" }, facts([review("alice", "APPROVED", EARLIER_SHA)]));
    expect(verdict.findings[0]?.details).toEqual(["alice approved an earlier commit (0123abc); approvals must be on the head commit"]);
  });

  test("a team's stale approval is explained under the team finding", () => {
    const verdict = run({ approvals: 0, teams: ["acme/platform"], stale: "dismiss" }, facts([review("bob", "APPROVED", EARLIER_SHA)], platform(["bob"])));
    expect(verdict.findings).toEqual([
      { message: "needs an approval from a member of acme/platform", details: ["bob approved an earlier commit (0123abc); approvals must be on the head commit"] },
    ]);
  });
});

describe("reviews: facts and options", () => {
  test("needs the pull request, its reviews, and one team fact per team", () => {
    expect(reviews.needs(reviews.options.parse({}))).toEqual([{ kind: "pull" }, { kind: "reviews" }]);
    expect(reviews.needs(reviews.options.parse({ teams: ["Acme/Platform", "@acme/sre"] }))).toEqual([
      { kind: "pull" },
      { kind: "reviews" },
      { kind: "team", team: "acme/platform" },
      { kind: "team", team: "acme/sre" },
    ]);
  });

  test("an empty configuration takes every default", () => {
    expect(reviews.options.parse({})).toEqual({ approvals: 1, stale: "keep", teams: [], users: [], "changes-requested": "block" });
  });

  test("every option has a description", () => {
    for (const [name, schema] of Object.entries(reviews.options.shape)) expect([name, schema.description ?? ""]).toEqual([name, expect.stringMatching(/\w{3}/)]);
  });

  test.each([
    [{ approval: 2 }, /Unrecognized key/],
    [{ approvals: -1 }, /too small|>=0/i],
    [{ approvals: 1.5 }, /int/],
    [{ stale: "drop" }, /keep|dismiss/],
    [{ teams: ["platform"] }, /org\/team-slug/],
    [{ users: ["alice smith"] }, /GitHub login/],
    [{ "changes-requested": "warn" }, /block|ignore/],
  ])("rejects %j with a specific message", (input, message) => {
    const result = reviews.options.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(message);
  });
});
