import rollbackPlan from "../../rules/rollback-plan.js";
import { evaluate } from "../../src/engine/evaluate.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { ChangedFile, Facts } from "../../src/engine/types.js";
import { changed, changedFile, pullRequest } from "../helpers/facts.js";
import { ruleTester } from "../helpers/rule-tester.js";

const MIGRATION = "db/migrations/0042_add_cart_index.sql";
const PLAN = "Run the down migration 0042, then redeploy the previous image.";

/** A pull request changing `files`, described by `body`, labelled `labels`. */
const pr = (body: string, files: (string | ChangedFile)[] = [MIGRATION], labels: string[] = []): Partial<Facts> => ({
  ...changed(...files),
  pull: known(pullRequest({ body, labels })),
});

const TEMPLATE = `## Summary
Adds an index on carts.user_id.

## Rollback plan
<!-- How do we undo this if it goes wrong? -->

## Testing
Ran the migration on staging.
`;

ruleTester(rollbackPlan, {
  valid: [
    { name: "a plan under any heading level", facts: pr(`## Summary\nIndex.\n\n### Rollback plan\n${PLAN}\n`) },
    { name: "case and trailing colons do not matter", facts: pr(`# ROLLBACK PLAN:\n${PLAN}`) },
    { name: "a setext heading", facts: pr(`Rollback plan\n-------------\n${PLAN}`) },
    { name: "a plan written as a code block", facts: pr("## Rollback plan\n```sh\nkubectl rollout undo deploy/cart\n```\n", ["deploy/cart.yaml"]) },
    { name: "a plan spread over subsections", facts: pr("## Rollback plan\n### Database\nDown migration 0042.\n### App\nRedeploy v1.4.\n## Testing\nstaging") },
    { name: "the template's comment stays, the plan is written", facts: pr(TEMPLATE.replace("<!-- How do we undo this if it goes wrong? -->", `<!-- How do we undo this? -->\n${PLAN}`)) },
    { name: "an accepted label stands in for a plan", options: { "accept-labels": ["no-rollback-needed"] }, facts: pr("", [MIGRATION], ["No-Rollback-Needed"]) },
    { name: "a level-2 heading when the section asks for one", options: { section: "## Rollback" }, facts: pr(`## Rollback\n${PLAN}`) },
    { name: "a lower min-length", options: { "min-length": 6 }, facts: pr("## Rollback plan\nRevert", ["infra/vpc.tf"]) },
    { name: "a removed migration is risky too", facts: pr(`## Rollback plan\n${PLAN}`, [changedFile("migrations/0041.sql", "removed")]) },
    { name: "the files need not be known when the plan is there", facts: { files: unknownFact("more than 3000 files"), pull: known(pullRequest({ body: `## Rollback plan\n${PLAN}` })) } },
  ],
  invalid: [
    {
      name: "no plan at all",
      facts: pr("Adds an index on carts.user_id."),
      findings: [{ message: `this pull request changes ${MIGRATION} but its description has no "Rollback plan" section`, path: MIGRATION }],
    },
    {
      name: "the template's placeholder comment is not a plan",
      facts: pr(TEMPLATE),
      findings: [{ message: `this pull request changes ${MIGRATION} but the "Rollback plan" section of its description is empty` }],
    },
    {
      name: '"N/A" is not a plan',
      facts: pr("## Rollback plan\nN/A\n\n## Testing\nstaging"),
      findings: [{ message: 'the "Rollback plan" section of its description holds 3 characters, too short for a plan (at least 20)' }],
    },
    {
      name: "headings and whitespace are not counted",
      facts: pr("## Rollback plan\n### Steps\n   revert    \n\n\t\n### Notes\n"),
      findings: [{ message: "holds 6 characters, too short for a plan (at least 20)" }],
    },
    {
      name: "the text of the next section is not the plan's",
      facts: pr(`## Rollback plan\nn/a\n## Testing\n${PLAN}`),
      findings: [{ message: "holds 3 characters" }],
    },
    {
      name: "a plan inside a comment or a code block's heading does not count",
      facts: pr(`<!--\n## Rollback plan\n${PLAN}\n-->\n\`\`\`\n## Rollback plan\n\`\`\``),
      findings: [{ message: 'has no "Rollback plan" section' }],
    },
    {
      name: "a heading at another level than asked",
      options: { section: "## Rollback plan" },
      facts: pr(`Intro\n\n### Rollback plan\n${PLAN}`),
      findings: [{ message: 'has no "## Rollback plan" section' }],
    },
    {
      name: "many risky files: five are named, the rest counted",
      facts: pr("", ["src/app.ts", "migrations/1.sql", "migrations/2.sql", "deploy/a.yaml", "infra/b.tf", "k8s/c.yaml", "helm/d.yaml", "terraform/e.tf"]),
      findings: [{ message: "this pull request changes migrations/1.sql, migrations/2.sql, deploy/a.yaml, infra/b.tf, k8s/c.yaml and 2 more but", path: "migrations/1.sql" }],
    },
    {
      name: "a file renamed out of a risky path counts",
      facts: pr("", [changedFile("archive/0001.txt", "renamed", "migrations/0001.txt")]),
      findings: [{ message: "this pull request changes archive/0001.txt but", path: "archive/0001.txt" }],
    },
    {
      name: "a label that is not accepted",
      options: { "accept-labels": ["no-rollback-needed"] },
      facts: pr("", [MIGRATION], ["trivial"]),
      findings: [{ message: 'has no "Rollback plan" section' }],
    },
    {
      name: "custom risky paths and section",
      options: { risky: ["db/**", "!db/seeds/**"], section: "Undo" },
      facts: pr("## Rollback plan\nRevert the commit and redeploy.", ["db/seeds/users.csv", "db/schema.rb"]),
      findings: [{ message: 'this pull request changes db/schema.rb but its description has no "Undo" section' }],
    },
  ],
  skipped: [
    { name: "nothing risky changed", facts: pr("", ["src/app.ts", "README.md"]), reason: "no changed file matches **/migrations/**, **/*.sql, deploy/**, infra/**, terraform/**, **/*.tf, helm/**, charts/**, k8s/**" },
    { name: "custom risky paths", options: { risky: "db/**" }, facts: pr("", [MIGRATION.replace("db/", "api/"), "src/a.ts"]), reason: "no changed file matches db/**" },
    { name: "skipped even when the description cannot be read", facts: { ...changed("src/app.ts"), pull: unknownFact("no pull request for this branch") }, reason: "no changed file matches" },
  ],
  unknown: [
    {
      name: "the description is unknown",
      facts: { ...changed(MIGRATION), pull: unknownFact("no pull request for this branch") },
      reason: "cannot read the pull request description: no pull request for this branch",
    },
    {
      name: "the files are unknown and there is no plan",
      facts: { files: unknownFact("the pull request changes more than 3000 files"), pull: known(pullRequest({ body: "" })) },
      reason: "cannot tell whether risky files changed: the pull request changes more than 3000 files",
    },
  ],
});

describe("rollback-plan: what the developer reads", () => {
  const run = (options: unknown, partial: Partial<Facts>) => rollbackPlan.evaluate(makeFacts(partial), rollbackPlan.options.parse(options));

  test("a missing plan says what to write, and which labels would do instead", () => {
    const verdict = run({ "accept-labels": ["no-rollback-needed", "data-only"] }, pr(""));
    expect(verdict.findings[0]?.details).toEqual([
      'write under a "Rollback plan" heading how to undo this change: revert steps, down migration, feature flag, and what cannot be undone (data written meanwhile)',
      "or, when nothing needs a plan, add the label no-rollback-needed or data-only",
    ]);
  });

  test("a heading at the wrong level is pointed out", () => {
    const verdict = run({ section: "## Rollback plan" }, pr(`Intro\n\n### Rollback plan\n${PLAN}`));
    expect(verdict.findings[0]?.details).toEqual(['line 3 has "### Rollback plan", a heading of another level; write it as "## Rollback plan"']);
  });

  test("a pass says what satisfied it", () => {
    expect(run({}, pr(`## Rollback plan\n${PLAN}`))).toEqual({ status: "pass", findings: [], reason: `the description has a rollback plan (${PLAN.length} characters)` });
    expect(run({ "accept-labels": ["no-rollback-needed"] }, pr("", [MIGRATION], ["no-rollback-needed"]))).toEqual({
      status: "pass",
      findings: [],
      reason: "the label no-rollback-needed says no rollback plan is needed",
    });
  });

  test("the plan's length counts characters, not bytes", () => {
    expect(run({ "min-length": 5 }, pr("## Rollback plan\n回滚迁移"))).toMatchObject({ status: "fail" });
    expect(run({ "min-length": 4 }, pr("## Rollback plan\n回滚迁移"))).toMatchObject({ status: "pass" });
  });
});

describe("rollback-plan: through the engine", () => {
  const registry = new Map([[rollbackPlan.id, rollbackPlan]]);
  const config = (when?: ResolvedConfig["rules"][number]["when"]): ResolvedConfig => ({
    levels: ["bronze", "silver", "gold"],
    required: "silver",
    comment: "on-failure",
    rules: [{ id: "rollback-plan", level: "silver", ...(when ? { when } : {}), options: rollbackPlan.options.parse({}) }],
  });

  test("applies wherever a risky file changed: it has no default when of its own", () => {
    expect(rollbackPlan.defaultWhen).toBeUndefined();
    const evaluation = evaluate(config(), makeFacts(pr("", [MIGRATION])), registry);
    expect(evaluation.rules[0]).toMatchObject({ status: "fail", blocking: true });
    expect(evaluation.conclusion).toBe("failure");
  });

  test("when narrows it further (here: to the main branch)", () => {
    const evaluation = evaluate(config({ base: ["main"] }), makeFacts({ ...changed(MIGRATION), pull: known(pullRequest({ baseRef: "release/1.4" })) }), registry);
    expect(evaluation.rules[0]).toMatchObject({ status: "skip", reason: "the base branch release/1.4 is not one of main" });
  });
});

describe("rollback-plan: facts and options", () => {
  test("needs the changed files (to name them) and the pull request (description and labels)", () => {
    expect(rollbackPlan.needs(rollbackPlan.options.parse({}))).toEqual([{ kind: "files" }, { kind: "pull" }]);
    expect(rollbackPlan.followUp).toBeUndefined();
  });

  test("an empty configuration takes every default", () => {
    expect(rollbackPlan.options.parse({})).toEqual({
      risky: ["**/migrations/**", "**/*.sql", "deploy/**", "infra/**", "terraform/**", "**/*.tf", "helm/**", "charts/**", "k8s/**"],
      section: "Rollback plan",
      "min-length": 20,
      "accept-labels": [],
    });
  });

  test("one label or glob may be written without a list", () => {
    expect(rollbackPlan.options.parse({ "accept-labels": "no-rollback-needed", risky: "db/**" })).toMatchObject({ "accept-labels": ["no-rollback-needed"], risky: ["db/**"] });
  });

  test("every option has a description", () => {
    const shape = rollbackPlan.options.shape;
    expect(Object.keys(shape)).toEqual(["risky", "section", "min-length", "accept-labels"]);
    for (const [name, schema] of Object.entries(shape)) expect([name, schema.description ?? ""]).toEqual([name, expect.stringMatching(/\w{3}/)]);
  });

  test.each([
    [{ sections: ["Rollback plan"] }, /Unrecognized key/],
    [{ section: "##" }, /a heading such as/],
    [{ "min-length": 0 }, /too small|>=1/i],
    [{ "accept-labels": [""] }, /too small|>=1/i],
    [{ risky: [] }, /risky must list at least one glob/],
  ])("rejects %j with a specific message", (input, message) => {
    const result = rollbackPlan.options.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(message);
  });
});

describe("rollback-plan: hostile descriptions complete", () => {
  const MB = 1_000_000;
  test.each([
    ["one long line", `## Rollback plan\n${"x".repeat(MB)}`],
    // GitHub keeps at most 65,536 characters of a description.
    ["many headings", "## Rollback plan\n".repeat(65_536 / 17)],
    ["many nested headings", "# a\n## b\n### c\n#### d\n".repeat(65_536 / 24)],
    ["whitespace", `## Rollback plan\n${" \t\n".repeat(MB / 3)}`],
    ["unclosed comments", `## Rollback plan\n${"<!--".repeat(MB / 4)}`],
    ["hashes", "#".repeat(MB)],
  ])("%s", (_name, body) => {
    const verdict = rollbackPlan.evaluate(makeFacts(pr(body)), rollbackPlan.options.parse({}));
    expect(["pass", "fail"]).toContain(verdict.status);
    for (const f of verdict.findings) expect(f.message.length).toBeLessThan(500);
  });
});
