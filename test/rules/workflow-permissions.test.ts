import workflowPermissions from "../../rules/workflow-permissions/index.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";
import { ruleTester, runRule } from "../helpers/rule-tester.js";

const workflows = (files: Record<string, string>): Partial<Facts> => ({
  trees: { head: known(["README.md", ...Object.keys(files)]) },
  contents: new Map(Object.entries(files).map(([path, text]) => [contentKey("head", path), known<string | null>(text)])),
});

const CI = `name: ci
on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`;

const PER_JOB = `on: push
jobs:
  build:
    permissions:
      contents: read
    runs-on: ubuntu-latest
    steps:
      - run: make
  release:
    runs-on: ubuntu-latest
    steps:
      - run: make release
`;

const TARGET = `on:
  pull_request_target:
    types: [opened]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm ci && npm test
`;

const INJECTION = `on: issues
permissions: {}
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "triaging"
          echo "\${{ github.event.issue.title }}"
      - env:
          TITLE: \${{ github.event.issue.title }}
        run: echo "$TITLE"
`;

ruleTester(workflowPermissions, {
  valid: [
    { name: "top-level permissions", facts: workflows({ ".github/workflows/ci.yml": CI }) },
    { name: "no workflows at all", facts: workflows({}) },
    {
      name: "a pull_request_target workflow that checks out only the base, and event text passed through env",
      facts: workflows({
        ".github/workflows/label.yaml": "on: pull_request_target\npermissions:\n  pull-requests: write\njobs:\n  label:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - env:\n          TITLE: ${{ github.event.pull_request.title }}\n        run: echo \"$TITLE\"\n",
      }),
    },
    { name: "a trusted expression in run", facts: workflows({ ".github/workflows/ci.yml": "on: push\npermissions: read-all\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.sha }} ${{ github.event.pull_request.number }}\n" }) },
  ],
  invalid: [
    {
      name: "no permissions anywhere",
      facts: workflows({ ".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n" }),
      findings: [{ message: ".github/workflows/ci.yml declares no permissions", path: ".github/workflows/ci.yml", line: 1 }],
    },
    {
      name: "one job without permissions when the others have them",
      facts: workflows({ ".github/workflows/build.yml": PER_JOB }),
      findings: [{ message: "job release in .github/workflows/build.yml declares no permissions", line: 9 }],
    },
    {
      name: "write-all at the top level and in a job",
      facts: workflows({ ".github/workflows/ci.yml": "on: push\npermissions: write-all\njobs:\n  a:\n    permissions: write-all\n    steps:\n      - run: make\n" }),
      findings: [
        { message: "the workflow in .github/workflows/ci.yml grants permissions: write-all", line: 2 },
        { message: "job a in .github/workflows/ci.yml grants permissions: write-all", line: 5 },
      ],
    },
    {
      name: "pull_request_target checking out the head",
      facts: workflows({ ".github/workflows/test.yml": TARGET }),
      findings: [{ message: "job test in .github/workflows/test.yml checks out the pull request's code (${{ github.event.pull_request.head.sha }}): a pull_request_target workflow runs with the base repository's secrets", line: 12 }],
    },
    {
      name: "workflow_run fetching the pull request with gh",
      facts: workflows({
        ".github/workflows/after.yml": "on:\n  workflow_run:\n    workflows: [ci]\npermissions:\n  contents: read\njobs:\n  a:\n    steps:\n      - run: gh pr checkout ${{ github.event.workflow_run.pull_requests[0].number }}\n",
      }),
      findings: [{ message: "fetches the pull request's code in a run: script", line: 9 }],
    },
    {
      name: "an issue title written into a block script, on its own line",
      facts: workflows({ ".github/workflows/triage.yml": INJECTION }),
      findings: [{ message: 'writes github.event.issue.title, text anyone can set, into a script, where it runs as code: pass it through an environment variable (env: TITLE: ${{ github.event.issue.title }}) and use "$TITLE"', line: 9 }],
    },
    {
      name: "a branch name in github-script code",
      facts: workflows({
        ".github/workflows/comment.yml": "on: pull_request\npermissions:\n  contents: read\njobs:\n  a:\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: console.log('${{ github.head_ref }}')\n",
      }),
      findings: [{ message: "writes github.head_ref", line: 9 }],
    },
    {
      name: "a workflow that is not valid YAML",
      facts: workflows({ ".github/workflows/bad.yml": "on: push\njobs:\n  a: [\n" }),
      findings: [{ message: ".github/workflows/bad.yml is not valid YAML" }],
    },
  ],
  unknown: [
    { name: "the tree cannot be listed", facts: { trees: { head: unknownFact("GitHub answered 502") } }, reason: "GitHub answered 502" },
    {
      name: "a workflow cannot be read",
      facts: { trees: { head: known([".github/workflows/ci.yml"]) }, contents: new Map([[contentKey("head", ".github/workflows/ci.yml"), unknownFact("over the limit")]]) },
      reason: "cannot read every workflow: .github/workflows/ci.yml (over the limit)",
    },
  ],
});

describe("aliases", () => {
  it("are not expanded: a file built to explode on expansion is read at its own size", () => {
    const lines = ["on: push", "permissions: {}", "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 30; i++) lines.push(`x${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]`);
    lines.push("jobs:\n  a:\n    steps:\n      - run: make");
    const facts = workflows({ ".github/workflows/bomb.yml": lines.join("\n") });
    expect(runRule(workflowPermissions, {}, facts).status).toBe("pass");
  });
});
