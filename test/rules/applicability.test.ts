/**
 * Which rule judges which subject: a rule about a change is not applicable to a branch (not run,
 * no facts asked for it, not counted for the level), and a rule that applies to both words its
 * findings for each. The branch tables here complement each rule's own (pull request) table.
 */
import codeowners from "../../rules/codeowners.js";
import fileExists from "../../rules/file-exists.js";
import { allRules, registry } from "../../rules/index.js";
import pinnedActions, { MAX_BRANCH_WORKFLOW_FILES } from "../../rules/pinned-actions.js";
import runbook from "../../rules/runbook.js";
import { evaluate, planFacts, planFollowUp } from "../../src/engine/evaluate.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { Facts, JudgedSubject, RepoFile } from "../../src/engine/types.js";
import { declaredFacts, ruleTester } from "../helpers/rule-tester.js";

const BRANCH: JudgedSubject = { kind: "branch", ref: "main" };

/** The options a rule needs before it checks anything (the generic rules have no defaults). */
const MINIMAL_OPTIONS: Readonly<Record<string, unknown>> = {
  "file-exists": { paths: ["SECURITY.md"] },
  "file-contains": { checks: [{ path: "README.md", contains: ["^# "] }] },
  "changed-together": { pairs: [{ when: "proto/**", require: "gen/**" }] },
};
const SHA = "b4ffde65f46336ab88eb53be808477a3936bae11";

describe("which subjects each rule judges", () => {
  test.each([
    ["codeowners", ["pull", "branch"]],
    ["docs", ["pull"]],
    ["file-exists", ["pull", "branch"]],
    ["pinned-actions", ["pull", "branch"]],
    ["pr-size", ["pull"]],
    ["reviews", ["pull"]],
    ["rollback-plan", ["pull"]],
    ["runbook", ["pull", "branch"]],
    ["secrets", ["pull"]],
    ["tests", ["pull"]],
    ["health-probes", ["pull", "branch"]],
    ["coverage", ["pull", "branch"]],
    ["service-descriptor", ["pull", "branch"]],
    ["on-call", ["pull", "branch"]],
    ["slo", ["pull", "branch"]],
    ["monitoring", ["pull", "branch"]],
    ["migrations", ["pull"]],
    ["security-policy", ["pull", "branch"]],
    ["workflow-permissions", ["pull", "branch"]],
    ["dependency-updates", ["pull", "branch"]],
    ["lockfile", ["pull", "branch"]],
    ["vulnerabilities", ["pull", "branch"]],
    ["no-binaries", ["pull"]],
    ["linked-issue", ["pull"]],
    ["file-contains", ["pull", "branch"]],
    ["changed-together", ["pull"]],
  ])("%s judges %j", (id, subjects) => {
    expect(registry.get(id)?.subjects).toEqual(subjects);
  });

  test("the table covers every registered rule", () => {
    expect(allRules.map((rule) => rule.id).sort()).toEqual(
      [
        "changed-together",
        "codeowners",
        "coverage",
        "dependency-updates",
        "docs",
        "file-contains",
        "file-exists",
        "health-probes",
        "linked-issue",
        "lockfile",
        "migrations",
        "monitoring",
        "no-binaries",
        "on-call",
        "pinned-actions",
        "pr-size",
        "reviews",
        "rollback-plan",
        "runbook",
        "secrets",
        "security-policy",
        "service-descriptor",
        "slo",
        "tests",
        "vulnerabilities",
        "workflow-permissions",
      ].sort(),
    );
  });

  test.each(allRules.filter((rule) => rule.subjects.includes("branch")).map((rule) => [rule.id, rule] as const))(
    "%s asks nothing about a change on a branch (no pull request, changed files or reviews; CI only for coverage)",
    (_id, rule) => {
      const options = rule.options.parse(MINIMAL_OPTIONS[rule.id] ?? {});
      const kinds = rule.needs(options, "branch").map((request) => request.kind);
      for (const kind of ["pull", "files", "reviews", "headContentsOfUnpatched"]) expect(kinds).not.toContain(kind);
      if (rule.id !== "coverage") expect(kinds).not.toContain("checks");
    },
  );
});

/** The shipped rules enabled at bronze that these engine cases are written for (the change-hygiene set and its branch rules). */
const ENGINE_CASE_RULES = ["reviews", "codeowners", "tests", "docs", "secrets", "pinned-actions", "rollback-plan", "runbook", "file-exists", "pr-size"];

function everyRule(): ResolvedConfig {
  return {
    levels: ["bronze", "silver", "gold"],
    required: "bronze",
    comment: "on-failure",
    rules: allRules.filter((rule) => ENGINE_CASE_RULES.includes(rule.id)).map((rule) => ({ id: rule.id, level: "bronze", options: rule.options.parse(MINIMAL_OPTIONS[rule.id] ?? {}) })),
  };
}

describe("the engine on a branch", () => {
  const config = everyRule();
  const tree = ["SECURITY.md", ".github/CODEOWNERS", "docs/runbook.md", ".github/workflows/ci.yml", "src/app.ts"];
  const runbookText = "# Runbook\n## Alerts\npage\n## Escalation\ncall\n## Rollback\nrevert\n";
  const branchFacts = (): Facts =>
    makeFacts({
      subject: BRANCH,
      trees: { head: known(tree) },
      codeowners: known<RepoFile | null>({ path: ".github/CODEOWNERS", content: "* @acme/platform\n" }),
      codeownersErrors: { base: known([]) },
      contents: new Map([
        [contentKey("head", "docs/runbook.md"), known<string | null>(runbookText)],
        [contentKey("head", ".github/workflows/ci.yml"), known<string | null>(`jobs:\n  t:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/login-action@${SHA}\n`)],
      ]),
    });

  test("plans only the branch rules' facts: the tree once, CODEOWNERS, its errors and the runbook", () => {
    expect(planFacts(config, registry, "branch")).toEqual([
      { kind: "codeowners" },
      { kind: "tree", ref: "head" },
      { kind: "codeownersErrors", ref: "base" },
      { kind: "content", ref: "head", path: "docs/runbook.md" },
    ]);
  });

  test("the follow-up reads each workflow file of the tree once", () => {
    const facts = makeFacts({ subject: BRANCH, trees: { head: known(tree) } });
    expect(planFollowUp(config, registry, facts, planFacts(config, registry, "branch"))).toEqual([{ kind: "content", ref: "head", path: ".github/workflows/ci.yml" }]);
  });

  test("rules about a change are left out and listed, not failed; the level counts the rest", () => {
    const evaluation = evaluate(config, branchFacts(), registry);
    expect(evaluation.rules.map((rule) => [rule.id, rule.status])).toEqual([
      ["codeowners", "pass"],
      ["pinned-actions", "pass"],
      ["runbook", "pass"],
      ["file-exists", "pass"],
    ]);
    expect(evaluation.notApplicable).toEqual(["reviews", "tests", "docs", "secrets", "rollback-plan", "pr-size"]);
    expect(evaluation.subject).toBe("branch");
    expect(evaluation).toMatchObject({ conclusion: "success", level: { reached: "gold", required: "bronze" } });
  });

  test("on a pull request nothing is left out and the evaluation keeps its shape", () => {
    const evaluation = evaluate(config, makeFacts(), registry);
    expect(evaluation.rules).toHaveLength(ENGINE_CASE_RULES.length);
    expect(evaluation).not.toHaveProperty("notApplicable");
    expect(evaluation).not.toHaveProperty("subject");
  });

  test("a `when` on labels or authors leaves the rule skipped on a branch; `base` is matched against the branch", () => {
    const conditioned: ResolvedConfig = {
      ...config,
      rules: [
        { id: "file-exists", level: "bronze", options: fileExists.options.parse({ paths: ["NOPE.md"] }), when: { labels: ["release"] } },
        { id: "runbook", level: "bronze", options: runbook.options.parse({}), when: { base: ["release/*"] } },
        { id: "codeowners", level: "bronze", options: codeowners.options.parse({}), when: { base: ["main"], paths: ["src/**"] } },
      ],
    };
    const evaluation = evaluate(conditioned, branchFacts(), registry);
    expect(evaluation.rules.map((rule) => [rule.id, rule.status, rule.reason])).toEqual([
      ["file-exists", "skip", "configured for pull requests with labels release, which a branch does not have"],
      ["runbook", "skip", "the branch main is not one of release/*"],
      ["codeowners", "pass", expect.any(String)],
    ]);
  });

  test("pinned-actions' default `when` (workflow files) is judged against the tree", () => {
    const noWorkflows = makeFacts({ ...branchFacts(), trees: { head: known(["src/app.ts"]) } });
    const only: ResolvedConfig = { ...config, rules: [{ id: "pinned-actions", level: "bronze", options: pinnedActions.options.parse({}) }] };
    expect(evaluate(only, noWorkflows, registry).rules[0]).toMatchObject({ status: "skip", reason: expect.stringContaining("no file of the repository matches") });
  });
});

const OWNED = (content: string): RepoFile => ({ path: ".github/CODEOWNERS", content });
const onBranch = (facts: Partial<Facts>): Partial<Facts> => ({ subject: BRANCH, ...facts });

ruleTester(codeowners, {
  valid: [
    {
      name: "branch: every file of the tree has an owner, and the file is valid",
      facts: onBranch({ codeowners: known(OWNED("* @acme/platform\n")), trees: { head: known(["a.ts", "src/b.ts"]) }, codeownersErrors: { base: known([]) } }),
    },
    {
      name: "branch: approval is about a change and is not judged (no reviews asked for)",
      options: { approval: true },
      facts: onBranch({ codeowners: known(OWNED("* @acme/platform\n")), trees: { head: known(["a.ts"]) }, codeownersErrors: { base: known([]) } }),
    },
  ],
  invalid: [
    {
      name: "branch: unowned files of the repository, by directory, in the branch's terms",
      options: { valid: false },
      facts: onBranch({ codeowners: known(OWNED("/src/ @acme/web\n")), trees: { head: known(["README.md", "src/a.ts", "tools/x.sh", "tools/y.sh"]) } }),
      findings: [{ message: "1 file at the repository root has no code owner" }, { message: "2 files in tools/ have no code owner" }],
    },
    {
      name: "branch: no CODEOWNERS at all",
      facts: onBranch({ codeowners: known(null), trees: { head: known(["a.ts"]) }, codeownersErrors: { base: known([]) } }),
      findings: [{ message: "no CODEOWNERS file on main: add .github/CODEOWNERS so every file has an owner" }],
    },
    {
      name: "branch: an invalid CODEOWNERS line",
      options: { coverage: false },
      facts: onBranch({ codeowners: known(OWNED("* @acme/platform\n/src/ alice\n")), codeownersErrors: { base: known([]) } }),
      findings: [{ message: /GitHub skips this line/, line: 2 }],
    },
  ],
  skipped: [
    {
      name: "branch: only approval turned on",
      options: { approval: true, coverage: false, valid: false },
      facts: onBranch({}),
      reason: "approval applies to pull requests only",
    },
  ],
  unknown: [
    {
      name: "branch: the tree is truncated",
      options: { valid: false },
      facts: onBranch({ codeowners: known(OWNED("* @a\n")), trees: { head: unknownFact("the tree at the head commit is truncated") } }),
      reason: "cannot tell whether every file of the repository has a code owner: the tree at the head commit is truncated",
    },
  ],
});

const workflow = (path: string, text: string): Partial<Facts> =>
  onBranch({ trees: { head: known([path, "src/a.ts"]) }, contents: new Map([[contentKey("head", path), known<string | null>(text)]]) });

ruleTester(pinnedActions, {
  valid: [
    {
      name: "branch: every workflow file's references are pinned",
      facts: workflow(".github/workflows/ci.yml", `steps:\n  - uses: actions/checkout@v4\n  - uses: docker/login-action@${SHA}\n`),
    },
  ],
  invalid: [
    {
      name: "branch: an unpinned action anywhere in a workflow file, not only in added lines",
      facts: workflow(".github/workflows/ci.yml", "steps:\n  - uses: actions/checkout@v4\n  - uses: docker/login-action@v3\n"),
      findings: [{ message: "docker/login-action@v3 is not pinned to a commit", path: ".github/workflows/ci.yml", line: 3 }],
    },
  ],
  skipped: [{ name: "branch: no workflow files", facts: onBranch({ trees: { head: known(["src/a.ts"]) } }), reason: "the repository has no workflow or action file" }],
  unknown: [
    { name: "branch: the tree cannot be listed", facts: onBranch({ trees: { head: unknownFact("GitHub answered 404") } }), reason: "cannot list the workflow files of the repository: GitHub answered 404" },
    {
      name: "branch: a workflow file could not be read",
      facts: onBranch({ trees: { head: known([".github/workflows/ci.yml"]) }, contents: new Map([[contentKey("head", ".github/workflows/ci.yml"), unknownFact<string | null>("GitHub answered 500")]]) }),
      reason: ".github/workflows/ci.yml could not be read (GitHub answered 500)",
    },
  ],
});

test(`pinned-actions reads at most ${MAX_BRANCH_WORKFLOW_FILES} workflow files of a branch and cannot pass for the rest`, () => {
  const paths = Array.from({ length: MAX_BRANCH_WORKFLOW_FILES + 2 }, (_, i) => `.github/workflows/w${i}.yml`);
  const contents = new Map(paths.map((path) => [contentKey("head", path), known<string | null>("steps:\n  - uses: actions/checkout@v4\n")]));
  const facts = declaredFacts(pinnedActions, pinnedActions.options.parse({}), onBranch({ trees: { head: known(paths) }, contents }));
  expect(facts.contents.size).toBe(MAX_BRANCH_WORKFLOW_FILES);
  expect(pinnedActions.evaluate(facts, pinnedActions.options.parse({}))).toMatchObject({ status: "unknown", reason: expect.stringContaining("2 more workflow files past the first 100 were not read") });
});

ruleTester(fileExists, {
  valid: [{ name: "branch: the file is in the tree", options: { paths: ["SECURITY.md"] }, facts: onBranch({ trees: { head: known(["SECURITY.md"]) } }) }],
  invalid: [
    {
      name: "branch: a missing file is missing on the branch, not in a pull request",
      options: { paths: ["SECURITY.md", "docs/adr/*.md"] },
      facts: onBranch({ trees: { head: known(["README.md"]) } }),
      findings: [{ message: "SECURITY.md does not exist on main: add it" }, { message: "no file matches docs/adr/*.md on main: add one" }],
    },
  ],
});

ruleTester(runbook, {
  valid: [
    {
      name: "branch: the runbook at the evaluated commit",
      options: { sections: [] },
      facts: onBranch({ contents: new Map([[contentKey("head", "docs/runbook.md"), known<string | null>("# Runbook\n")]]) }),
    },
  ],
  invalid: [
    {
      name: "branch: no runbook",
      facts: onBranch({ contents: new Map([[contentKey("head", "docs/runbook.md"), known<string | null>(null)]]) }),
      findings: [{ message: "docs/runbook.md does not exist: add a runbook" }],
    },
  ],
});

test("the rule tester refuses a branch case for a rule that does not judge branches", () => {
  expect(() => declaredFacts(registry.get("reviews")!, {}, onBranch({}))).toThrow("does not apply to a branch subject");
});
