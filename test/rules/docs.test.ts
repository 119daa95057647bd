import docs from "../../rules/docs.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";
import { changed, changedFile, pullRequest } from "../helpers/facts.js";
import { ruleTester, runRule } from "../helpers/rule-tester.js";

/** The description only (files not required). */
const described = (body: string): Partial<Facts> => ({ pull: known(pullRequest({ body })) });
const sections = (...wanted: string[]) => ({ require: [], "pr-body": { sections: wanted } });

const TEMPLATE = `## Summary
<!-- What does this change and why? -->

## Rollback plan
<!-- How do we undo this if it goes wrong? -->

## Testing
<!--
  How was this tested?
-->
`;

ruleTester(docs, {
  valid: [
    { name: "a doc under docs/ changed", facts: changed("src/cart.ts", "docs/cart.md") },
    { name: "the changelog changed", facts: changed("src/cart.ts", changedFile("CHANGELOG.md")) },
    { name: "a new README anywhere", facts: changed("src/cart.ts", changedFile("src/cart/README.md", "added")) },
    { name: "a renamed doc counts", facts: changed("src/cart.ts", { ...changedFile("docs/basket.md", "renamed"), previousPath: "docs/cart.md" }) },
    { name: "custom require globs", options: { require: "handbook/**" }, facts: changed("src/cart.ts", "handbook/cart.adoc") },
    {
      name: "sections present and filled in",
      options: sections("## Rollback plan", "## Testing"),
      facts: described("## Summary\nTotals.\n\n## Rollback plan\nRevert the commit.\n\n## Testing\n- unit tests\n"),
    },
    { name: "a section without #s matches any level", options: sections("Rollback plan"), facts: described("### Rollback plan\nRevert.") },
    { name: "case, trailing colons and closing #s do not matter", options: sections("## Rollback Plan"), facts: described("## rollback plan: ##\nRevert.") },
    { name: "a setext heading", options: sections("## Rollback plan"), facts: described("Rollback plan\n-------------\nRevert.") },
    {
      name: "a filled section survives its template comment",
      options: sections("## Rollback plan"),
      facts: described("## Rollback plan\n<!-- How do we undo this? -->\nFeature flag cart_totals off."),
    },
    {
      name: "content under a deeper heading fills the section",
      options: sections("## Testing"),
      facts: described("## Testing\n### Unit\nAll green.\n## Notes\n"),
    },
    {
      name: "a code block is content",
      options: sections("## Rollback plan"),
      facts: described("## Rollback plan\n```sh\nkubectl rollout undo deploy/cart\n```\n"),
    },
    {
      name: "files and description together",
      options: { "pr-body": { sections: ["Testing"], "min-length": 20 } },
      facts: { ...changed("src/cart.ts", "CHANGELOG.md"), ...described("## Testing\r\nRan the cart suite locally.\r\n") },
    },
    { name: "min-length reached", options: { require: [], "pr-body": { "min-length": 10 } }, facts: described("Adds totals to the cart page.") },
  ],
  invalid: [
    {
      name: "no documentation changed",
      facts: changed("src/cart.ts", "test/cart.test.ts"),
      findings: [{ message: "code changed but no documentation did: add or update a file matching docs/**, CHANGELOG.md, **/*.md" }],
    },
    {
      name: "removing a doc does not count",
      facts: changed("src/cart.ts", changedFile("docs/cart.md", "removed")),
      findings: [{ message: "no documentation did" }],
    },
    {
      name: "custom require globs: a markdown file elsewhere no longer counts",
      options: { require: ["docs/**"] },
      facts: changed("src/cart.ts", "README.md"),
      findings: [{ message: "a file matching docs/**" }],
    },
    {
      name: "a section is missing",
      options: sections("## Rollback plan", "## Testing"),
      facts: described("## Summary\nTotals.\n\n## Testing\nUnit tests."),
      findings: [{ message: 'the pull request description has no "## Rollback plan" section' }],
    },
    {
      name: "an empty description lacks every section",
      options: sections("Rollback plan", "Testing"),
      facts: described(""),
      findings: [{ message: '"Rollback plan"' }, { message: '"Testing"' }],
    },
    {
      name: "a section left as the template's comments is empty",
      options: sections("## Summary", "## Rollback plan", "## Testing"),
      facts: described(TEMPLATE),
      findings: [
        { message: 'the "## Summary" section of the pull request description is empty' },
        { message: 'the "## Rollback plan" section of the pull request description is empty' },
        { message: 'the "## Testing" section of the pull request description is empty' },
      ],
    },
    {
      name: "a section with only whitespace before the next heading is empty",
      options: sections("## Rollback plan"),
      facts: described("## Rollback plan\n   \n\t\n## Testing\nUnit tests."),
      findings: [{ message: 'the "## Rollback plan" section of the pull request description is empty' }],
    },
    {
      name: "a deeper heading alone does not fill a section",
      options: sections("## Testing"),
      facts: described("## Testing\n### Unit\n### Integration\n## Notes\nnone"),
      findings: [{ message: '"## Testing" section of the pull request description is empty' }],
    },
    {
      name: "a heading at a different level than configured is missing",
      options: sections("## Rollback plan"),
      facts: described("### Rollback plan\nRevert."),
      findings: [{ message: 'has no "## Rollback plan" section' }],
    },
    {
      name: "a heading inside a code block is not a heading",
      options: sections("## Rollback plan"),
      facts: described("Example:\n```md\n## Rollback plan\nRevert.\n```\n"),
      findings: [{ message: 'has no "## Rollback plan" section' }],
    },
    {
      name: "a heading inside an HTML comment is not a heading",
      options: sections("## Rollback plan"),
      facts: described("Totals.\n<!--\n## Rollback plan\nRevert.\n-->"),
      findings: [{ message: 'has no "## Rollback plan" section' }],
    },
    {
      name: "a hashtag is not a heading",
      options: sections("Rollback"),
      facts: described("#rollback is trivial"),
      findings: [{ message: 'has no "Rollback" section' }],
    },
    {
      name: "min-length not reached once template comments are removed",
      options: { require: [], "pr-body": { "min-length": 30 } },
      facts: described("<!-- Describe the change in detail, please. -->\nfix"),
      findings: [{ message: "the pull request description is 3 characters long; it needs at least 30" }],
    },
    {
      name: "a missing doc is reported even when the description cannot be read, which rides along as a notice",
      options: { "pr-body": { sections: ["Testing"] } },
      facts: { ...changed("src/cart.ts"), pull: unknownFact("no pull request for this branch") },
      findings: [{ message: "no documentation did" }, { message: "cannot read the pull request description: no pull request for this branch", severity: "notice" }],
    },
  ],
  unknown: [
    {
      name: "the changed files are unknown",
      facts: { files: unknownFact("the pull request changes more than 3000 files") },
      reason: "cannot tell whether documentation changed: the pull request changes more than 3000 files",
    },
    {
      name: "the description is unknown",
      options: sections("Testing"),
      facts: { pull: unknownFact("no pull request for this branch") },
      reason: "cannot read the pull request description: no pull request for this branch",
    },
  ],
});

describe("docs: what the developer reads", () => {
  const run = (options: unknown, partial: Partial<Facts>) => runRule(docs, options, partial);

  test("a removed doc is named as not counting", () => {
    const verdict = run({}, changed("src/cart.ts", changedFile("docs/cart.md", "removed")));
    expect(verdict.findings[0]?.details).toEqual(["removing documentation (docs/cart.md) does not count"]);
  });

  test("a heading at the wrong level is pointed out", () => {
    const verdict = run(sections("## Rollback plan"), described("Intro\n\n### Rollback plan\nRevert."));
    expect(verdict.findings[0]?.details).toEqual(['line 3 has "### Rollback plan", a heading of another level; write it as "## Rollback plan"']);
  });

  test("an unclosed comment hides the rest of the description, as GitHub renders it", () => {
    const verdict = run(sections("Testing"), described("## Testing\n<!-- fill in\n\nran it"));
    expect(verdict.findings.map((f) => f.message)).toEqual(['the "Testing" section of the pull request description is empty']);
  });

  test("a pass says what satisfied it", () => {
    const verdict = run({ "pr-body": { sections: ["Testing", "## Rollback plan"] } }, { ...changed("src/a.ts", "CHANGELOG.md"), ...described("# Testing\nok\n## Rollback plan\nrevert") });
    expect(verdict).toEqual({ status: "pass", findings: [], reason: "CHANGELOG.md changed; the description has Testing, Rollback plan" });
  });

  test("the rule applies to code changes unless `when` says otherwise", () => {
    expect(docs.defaultWhen).toEqual(["src/**", "lib/**", "app/**"]);
  });
});

describe("docs: facts and options", () => {
  test("needs the description only when it has requirements", () => {
    expect(docs.needs(docs.options.parse({}))).toEqual([{ kind: "files" }]);
    expect(docs.needs(docs.options.parse({ "pr-body": { "min-length": 1 } }))).toEqual([{ kind: "files" }, { kind: "pull" }]);
    expect(docs.needs(docs.options.parse(sections("Testing")))).toEqual([{ kind: "pull" }]);
  });

  test("an empty configuration takes every default", () => {
    expect(docs.options.parse({})).toEqual({ require: ["docs/**", "CHANGELOG.md", "**/*.md"], "pr-body": { "min-length": 0, sections: [] } });
    expect(docs.options.parse({ "pr-body": {} })).toEqual(docs.options.parse({}));
  });

  test("every option has a description", () => {
    const prBody = docs.options.shape["pr-body"].unwrap();
    const all = { ...docs.options.shape, ...prBody.shape };
    expect(Object.keys(all)).toEqual(["require", "pr-body", "min-length", "sections"]);
    for (const [name, schema] of Object.entries(all)) expect([name, schema.description ?? ""]).toEqual([name, expect.stringMatching(/\w{3}/)]);
  });

  test.each([
    [{ requires: ["docs/**"] }, /Unrecognized key/],
    [{ "pr-body": { min_length: 10 } }, /Unrecognized key/],
    [{ "pr-body": { "min-length": -5 } }, /too small|>=0/i],
    [{ "pr-body": { sections: ["##"] } }, /a heading such as/],
    [{ require: [] }, /docs has nothing to check/],
  ])("rejects %j with a specific message", (input, message) => {
    const result = docs.options.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(message);
  });
});
