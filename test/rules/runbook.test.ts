import runbook from "../../rules/runbook.js";
import { makeFacts } from "../../src/engine/facts.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";
import { ruleTester } from "../helpers/rule-tester.js";

const PATH = "docs/runbook.md";

/** The runbook's content at the head commit; null: the file does not exist. */
const atHead = (content: string | null, path = PATH): Partial<Facts> => ({ contents: new Map([[contentKey("head", path), known(content)]]) });

const COMPLETE = `# Cart service runbook

## Alerts
- CartLatencyHigh: p99 over 800 ms for 10 minutes. Check the payments dependency first.

## Escalation
Page the cart on-call, then #cart-incidents.

## Rollback
\`\`\`sh
kubectl rollout undo deploy/cart
\`\`\`
`;

const TEMPLATE = `# Runbook

## Alerts
<!-- Which alerts fire and what they mean -->

## Escalation
TBD

## Rollback
- TODO: write the rollback steps
`;

ruleTester(runbook, {
  valid: [
    { name: "every section written", facts: atHead(COMPLETE) },
    { name: "sections at any heading level, case and colons aside", facts: atHead("# alerts:\nx\n### ESCALATION\ny\n#### Rollback ##\nz\n") },
    { name: "setext headings", facts: atHead("Alerts\n======\nx\n\nEscalation\n----------\ny\n\nRollback\n--------\nz\n") },
    { name: "a level given in the option must match", options: { sections: ["## Alerts"] }, facts: atHead("# Runbook\n## Alerts\nPages on-call.\n") },
    { name: "custom path and sections", options: { path: "ops/RUNBOOK.md", sections: ["Dashboards"] }, facts: atHead("## Dashboards\nhttps://grafana.example/d/cart\n", "ops/RUNBOOK.md") },
    { name: "a leading ./ is dropped from the path", options: { path: "./ops/runbook.md", sections: [] }, facts: atHead("", "ops/runbook.md") },
    { name: "no sections: the file only has to exist, even empty", options: { sections: [] }, facts: atHead("") },
    { name: "Windows line endings", facts: atHead(COMPLETE.replace(/\n/g, "\r\n")) },
    {
      name: "words that only look like placeholders are content",
      facts: atHead("## Alerts\nTodo app alerts page the web team.\n## Escalation\nTODOs are tracked in JIRA.\n## Rollback\nThe TBD flag is off by default.\n"),
    },
    {
      name: "a placeholder in a template comment is no warning: comments are invisible",
      facts: atHead(`${COMPLETE}\n<!-- TODO: add dashboards -->\n`),
    },
    {
      name: "a placeholder line in a written section: passes with a warning on that line",
      facts: atHead("## Alerts\nCartLatencyHigh pages on-call.\nTODO: list the error-rate alert\n## Escalation\nPage cart.\n## Rollback\nRevert.\n"),
      findings: [{ message: "line 3 of docs/runbook.md is still a placeholder (TODO): replace it with what the person on call needs", path: PATH, line: 3, severity: "warning" }],
    },
    {
      name: "a table cell left as TBD warns but fills its section",
      facts: atHead("## Alerts\nSee below.\n## Escalation\n| role | who |\n|---|---|\n| primary | **TBD** |\n## Rollback\nRevert.\n"),
      findings: [{ message: "line 6 of docs/runbook.md is still a placeholder (TBD)", line: 6, severity: "warning" }],
    },
    {
      name: "placeholders outside the required sections warn too",
      facts: atHead(`${COMPLETE}\n## Dashboards\n> - [ ] _FIXME_ link the cart dashboard\n`),
      findings: [{ message: "(FIXME)", path: PATH, line: 15, severity: "warning" }],
    },
  ],
  invalid: [
    {
      name: "no runbook",
      facts: atHead(null),
      findings: [{ message: "docs/runbook.md does not exist: add a runbook with sections Alerts, Escalation, Rollback" }],
    },
    {
      name: "no runbook, no sections required",
      options: { sections: [] },
      facts: atHead(null),
      findings: [{ message: /^docs\/runbook\.md does not exist: add a runbook$/ }],
    },
    {
      name: "the missing runbook's sections are named without their #s",
      options: { path: "RUNBOOK.md", sections: ["## Alerts", "Rollback"] },
      facts: atHead(null, "RUNBOOK.md"),
      findings: [{ message: "RUNBOOK.md does not exist: add a runbook with sections Alerts, Rollback" }],
    },
    {
      name: "a missing section",
      facts: atHead("## Alerts\nx\n## Rollback\nz\n"),
      findings: [{ message: 'docs/runbook.md has no "Escalation" section: add the heading and write it', path: PATH }],
    },
    {
      name: "an empty file lacks every section",
      facts: atHead(""),
      findings: [{ message: '"Alerts"' }, { message: '"Escalation"' }, { message: '"Rollback"' }],
    },
    {
      name: "the template as committed: empty sections, each at its heading's line",
      facts: atHead(TEMPLATE),
      findings: [
        { message: 'the "Alerts" section of docs/runbook.md is empty: write it under the heading on line 3', path: PATH, line: 3 },
        { message: 'the "Escalation" section of docs/runbook.md is empty', path: PATH, line: 6 },
        { message: 'the "Rollback" section of docs/runbook.md is empty', path: PATH, line: 9 },
      ],
    },
    {
      name: "a section holding only a deeper heading and a placeholder is empty",
      facts: atHead("## Alerts\nx\n## Escalation\ny\n## Rollback\n### Steps\n1. TBD\n### Verify\n"),
      findings: [{ message: 'the "Rollback" section of docs/runbook.md is empty', line: 5 }],
    },
    {
      name: "a heading at another level than configured is missing, and pointed at",
      options: { sections: ["## Rollback"] },
      facts: atHead("# Runbook\n### Rollback\nRevert.\n"),
      findings: [{ message: 'docs/runbook.md has no "## Rollback" section', path: PATH, line: 2 }],
    },
    {
      name: "a heading inside a code block is not a heading",
      options: { sections: ["Rollback"] },
      facts: atHead("Example:\n```md\n## Rollback\nRevert.\n```\n"),
      findings: [{ message: 'has no "Rollback" section' }],
    },
    {
      name: "a failure carries the warnings along",
      facts: atHead("## Alerts\nx\nTODO: more alerts\n## Escalation\ny\n"),
      findings: [
        { message: 'has no "Rollback" section', severity: "failure" },
        { message: "line 3 of docs/runbook.md is still a placeholder (TODO)", line: 3, severity: "warning" },
      ],
    },
  ],
  unknown: [
    {
      name: "the runbook cannot be read",
      facts: { contents: new Map([[contentKey("head", PATH), unknownFact("docs/runbook.md at the head commit is 2000000 bytes, over the 1000000-byte limit for reading a file")]]) },
      reason: "cannot read the runbook: docs/runbook.md at the head commit is 2000000 bytes",
    },
    {
      name: "the runbook was not gathered",
      facts: {},
      reason: "cannot read docs/runbook.md at the head commit: it was not gathered",
    },
    {
      name: "only the base version was gathered",
      facts: { contents: new Map([[contentKey("base", PATH), known(COMPLETE)]]) },
      reason: "it was not gathered",
    },
  ],
});

describe("runbook: what the developer reads", () => {
  const run = (options: unknown, partial: Partial<Facts>) => runbook.evaluate(makeFacts(partial), runbook.options.parse(options));

  test("a section left as placeholders says so, and its placeholders are not warned about again", () => {
    const verdict = run({}, atHead(TEMPLATE));
    expect(verdict.status).toBe("fail");
    expect(verdict.findings.map((f) => f.details)).toEqual([[], ["it only has placeholders (TBD), which do not count"], ["it only has placeholders (TODO), which do not count"]]);
  });

  test("a missing file has no path: there is nothing to annotate", () => {
    expect(run({}, atHead(null)).findings).toEqual([{ message: "docs/runbook.md does not exist: add a runbook with sections Alerts, Escalation, Rollback" }]);
  });

  test("a heading at another level says how to write it", () => {
    const verdict = run({ sections: ["## Rollback"] }, atHead("# Runbook\n### Rollback\nRevert.\n"));
    expect(verdict.findings[0]?.details).toEqual(['line 2 has "### Rollback", a heading of another level; write it as "## Rollback"']);
  });

  test("many placeholders: five are listed, the rest summed up from the first one not listed", () => {
    const body = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? `- TODO item ${i}` : `- TBD item ${i}`)).join("\n");
    const verdict = run({ sections: ["Alerts"] }, atHead(`## Alerts\nCartLatencyHigh.\n${body}\n`));
    expect(verdict.status).toBe("pass");
    expect(verdict.findings.map((f) => [f.line, f.severity])).toEqual([
      [3, "warning"],
      [4, "warning"],
      [5, "warning"],
      [6, "warning"],
      [7, "warning"],
      [8, "warning"],
    ]);
    expect(verdict.findings[5]?.message).toBe("3 more placeholder lines (TBD, TODO) in docs/runbook.md, from line 8: replace them with real content");
  });

  test("a pass names the sections found", () => {
    expect(run({}, atHead(COMPLETE))).toEqual({ status: "pass", findings: [], reason: "docs/runbook.md has Alerts, Escalation, Rollback" });
    expect(run({ sections: ["## Alerts"] }, atHead("## Alerts\nx")).reason).toBe("docs/runbook.md has Alerts");
    expect(run({ sections: [] }, atHead("")).reason).toBe("docs/runbook.md exists");
  });
});

describe("runbook: facts and options", () => {
  test("needs the configured file at the head commit, and nothing else", () => {
    expect(runbook.needs(runbook.options.parse({ "max-age-days": 0 }))).toEqual([{ kind: "content", ref: "head", path: "docs/runbook.md" }]);
    expect(runbook.needs(runbook.options.parse({ path: "./ops/RUNBOOK.md", sections: [], "max-age-days": 0 }))).toEqual([{ kind: "content", ref: "head", path: "ops/RUNBOOK.md" }]);
    expect(runbook.needs(runbook.options.parse({}))).toEqual([{ kind: "content", ref: "head", path: "docs/runbook.md" }, { kind: "files" }]);
  });

  test("an empty configuration takes every default", () => {
    expect(runbook.options.parse({})).toEqual({ path: "docs/runbook.md", sections: ["Alerts", "Escalation", "Rollback"], "max-age-days": 180, service: expect.arrayContaining(["src/**", "app/**"]) });
  });

  test("every option has a description", () => {
    expect(Object.keys(runbook.options.shape)).toEqual(["path", "sections", "max-age-days", "service"]);
    for (const [name, schema] of Object.entries(runbook.options.shape)) expect([name, schema.description ?? ""]).toEqual([name, expect.stringMatching(/\w{3}/)]);
  });

  test.each([
    [{ file: "docs/runbook.md" }, /Unrecognized key/],
    [{ path: "" }, /too small|>=1/i],
    [{ path: "/docs/runbook.md" }, /relative to the repository root, without the leading \//],
    [{ path: "docs/" }, /the path of one file, such as docs\/runbook.md, not a directory/],
    [{ path: "./" }, /not a directory/],
    [{ path: "../ops/runbook.md" }, /must stay inside the repository/],
    [{ path: "docs/*.md" }, /not a glob/],
    [{ sections: ["##"] }, /expected a heading such as "## Rollback" or "Rollback"/],
    [{ sections: "Rollback" }, /expected array/i],
  ])("rejects %j with a specific message", (input, message) => {
    const result = runbook.options.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(message);
  });
});

describe("runbook: freshness (advisory)", () => {
  const OLD = "2026-01-10T09:00:00.000Z";
  const NOW = "2026-11-30T08:00:00.000Z";
  const facts = (files: string[], lastCommit: string | null = OLD): Partial<Facts> => ({
    ...atHead(COMPLETE),
    files: known(files.map((path) => ({ path, status: "modified" as const, additions: 3, deletions: 1 }))),
    lastCommits: new Map([[contentKey("head", PATH), known(lastCommit)]]),
    now: known(NOW),
  });

  ruleTester(runbook, {
    valid: [
      {
        name: "the service changed and the runbook is older than 180 days: a warning, still a pass",
        facts: facts(["src/cart/totals.ts", "src/cart/tax.ts"]),
        findings: [{ message: "docs/runbook.md was last changed 323 days ago (on 2026-01-10), and this pull request changes the service (src/cart/totals.ts and 1 more): check that its alerts, escalation and rollback steps still hold, and update it", path: PATH, severity: "warning" }],
      },
      { name: "a recent runbook", facts: facts(["src/cart/totals.ts"], "2026-11-01T00:00:00Z") },
      { name: "only docs changed: the service did not", facts: facts(["README.md"]) },
      { name: "the pull request updates the runbook itself", facts: facts(["src/cart/totals.ts", PATH]) },
      { name: "a shorter limit from the options", options: { "max-age-days": 400 }, facts: facts(["src/cart/totals.ts"]) },
      { name: "switched off", options: { "max-age-days": 0 }, facts: facts(["src/cart/totals.ts"]) },
      { name: "no commit date (the file's history is unknown): no warning", facts: { ...facts(["src/cart/totals.ts"]), lastCommits: new Map([[contentKey("head", PATH), unknownFact("GitHub answered 502")]]) } },
      { name: "on a branch the changed files are unknown: no freshness judgement", facts: { ...facts([]), files: unknownFact("a branch has no changed files") } },
    ],
    invalid: [
      {
        name: "a missing section and a stale runbook: both said",
        facts: { ...facts(["app/models/order.rb"]), ...atHead(COMPLETE.replace("## Escalation\nPage the cart on-call, then #cart-incidents.\n", "")) },
        findings: [{ message: 'has no "Escalation" section' }, { message: "was last changed 323 days ago", severity: "warning" }],
      },
    ],
  });

  test("asks for the last commit and the clock only when the service changed", () => {
    const o = runbook.options.parse({});
    expect(runbook.followUp?.(makeFacts(facts(["README.md"])), o)).toEqual([]);
    expect(runbook.followUp?.(makeFacts(facts(["src/a.ts"])), o)).toEqual([{ kind: "lastCommit", ref: "head", path: PATH }, { kind: "now" }]);
  });
});
