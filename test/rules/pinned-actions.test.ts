import pinnedActions from "../../rules/pinned-actions.js";
import { parseUses, usesValue } from "../../rules/lib/workflow-uses.js";
import { evaluate, planFacts, planFollowUp } from "../../src/engine/evaluate.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { ChangedFile, Fact, Facts, FileStatus } from "../../src/engine/types.js";
import { changed, changedFile } from "../helpers/facts.js";
import { ruleTester, runRule } from "../helpers/rule-tester.js";

const SHA = "b4ffde65f46336ab88eb53be808477a3936bae11";
const DIGEST = "sha256:" + "3f".repeat(32);
const CI = ".github/workflows/ci.yml";
const STRICT = { allow: [] };

/** A changed file whose diff adds `lines` from head line `start` on. */
function adding(path: string, lines: readonly string[], start = 1, status: FileStatus = "modified"): ChangedFile {
  const patch = `@@ -${start},0 +${start},${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}`;
  return { ...changedFile(path, status), additions: lines.length, deletions: 0, patch };
}

/** A changed workflow GitHub sent no diff for, with its content at the head (or why it is unknown). */
function unpatched(path: string, content: Fact<string | null> | undefined): Partial<Facts> {
  return {
    files: known([{ ...changedFile(path), additions: 400, deletions: 0 }]),
    contents: content === undefined ? new Map() : new Map([[contentKey("head", path), content]]),
  };
}

const STEPS = (uses: string) => ["    steps:", `      - uses: ${uses}`];

ruleTester(pinnedActions, {
  valid: [
    { name: "a third-party action pinned to a commit, tag kept as a comment", facts: changed(adding(CI, STEPS(`docker/login-action@${SHA} # v3`))) },
    { name: "GitHub's own actions may use tags by default", facts: changed(adding(CI, [...STEPS("actions/checkout@v4"), "      - uses: github/codeql-action/init@v3"])) },
    { name: "with allow [] they are pinned like any other", options: STRICT, facts: changed(adding(CI, STEPS(`actions/checkout@${SHA} # v4.2.2`))) },
    { name: "a local action", options: STRICT, facts: changed(adding(CI, STEPS("./.github/actions/setup"))) },
    { name: "a local reusable workflow", options: STRICT, facts: changed(adding(CI, ["  deploy:", "    uses: ./.github/workflows/deploy.yml"])) },
    { name: "a remote reusable workflow pinned to a commit", facts: changed(adding(CI, ["  deploy:", `    uses: acme/pipelines/.github/workflows/deploy.yml@${SHA}`])) },
    { name: "a docker image pinned to a digest", facts: changed(adding(CI, STEPS(`docker://alpine@${DIGEST}`))) },
    { name: "a docker image with tag and digest", facts: changed(adding(CI, STEPS(`docker://ghcr.io/acme/tool:1.2@${DIGEST}`))) },
    { name: "docker: any accepts tags", options: { docker: "any" }, facts: changed(adding(CI, STEPS("docker://alpine:3.19"))) },
    {
      name: "quoted values and keys, trailing comments",
      facts: changed(adding(CI, [`      - uses: "aws-actions/configure-aws-credentials@${SHA}"`, `      - 'uses': 'hashicorp/setup-terraform@${SHA}' # v3`, `      - "uses" : acme/x@${SHA}`])),
    },
    { name: "an owner without a repository allows all its actions", options: { allow: "acme" }, facts: changed(adding(CI, STEPS("acme/deploy-action@v2"))) },
    { name: "an owner/repo glob", options: { allow: ["acme/deploy-*"] }, facts: changed(adding(CI, STEPS("acme/deploy-action@main"))) },
    { name: "owners compare case-insensitively, as GitHub's do", facts: changed(adding(CI, STEPS("Actions/Checkout@v4"))) },
    { name: "a composite action's steps", facts: changed(adding(".github/actions/setup/action.yml", ["runs:", "  using: composite", "  steps:", `    - uses: pnpm/action-setup@${SHA}`])) },
    { name: "a root action.yaml", facts: changed(adding("action.yaml", ["  steps:", `    - uses: pnpm/action-setup@${SHA}`])) },
    {
      name: "an unpinned line the pull request removes does not count",
      facts: changed({ ...changedFile(CI), patch: `@@ -10,2 +10,2 @@\n       - name: Log in\n-      - uses: docker/login-action@v3\n+      - uses: docker/login-action@${SHA} # v3` }),
    },
    {
      name: "an unpinned line already there (context) is not the pull request's",
      facts: changed({ ...changedFile(CI), patch: `@@ -1,2 +1,3 @@\n       - uses: docker/login-action@v3\n+      - run: make\n       - run: make test` }),
    },
    {
      name: "uses: inside a run command or a value is not a key",
      facts: changed(adding(CI, ['      - run: echo "uses: docker/login-action@v3"', "      - name: uses: docker/login-action@v3", "      - run: uses:docker/login-action@v3", "      # uses: docker/login-action@v3"])),
    },
    {
      name: "a workflow without a diff is read whole at the head",
      facts: unpatched(CI, known(`on: push\njobs:\n  build:\n    steps:\n      - uses: docker/login-action@${SHA}\n`)),
    },
    {
      name: "an expression cannot be checked: a warning, not a failure",
      options: STRICT,
      facts: changed(adding(CI, [...STEPS("${{ matrix.action }}")])),
      findings: [{ message: "uses: ${{ matrix.action }} cannot be checked: an expression decides which action runs", path: CI, line: 2, severity: "warning" }],
    },
  ],
  invalid: [
    {
      name: "a tag on actions/checkout once GitHub's own actions are not exempt",
      options: STRICT,
      facts: changed(adding(CI, STEPS("actions/checkout@v4"))),
      findings: [{ message: "actions/checkout@v4 is not pinned to a commit: use actions/checkout@<40-character commit SHA> # v4", path: CI, line: 2 }],
    },
    {
      name: "a third-party tag, at its head line in a hunk further down",
      facts: changed({
        ...changedFile(".github/workflows/release.yaml"),
        patch: `@@ -40,3 +40,5 @@ jobs:\n       - uses: ./.github/actions/setup\n-      - run: old\n+      - run: new\n+      - uses: docker/login-action@v3\n       - run: make\n+      - uses: softprops/action-gh-release@v2 # pinned later`,
      }),
      findings: [
        { message: "docker/login-action@v3 is not pinned to a commit: use docker/login-action@<40-character commit SHA> # v3", path: ".github/workflows/release.yaml", line: 42 },
        { message: "softprops/action-gh-release@v2 is not pinned to a commit: use softprops/action-gh-release@<40-character commit SHA> # v2", line: 44 },
      ],
    },
    {
      name: "quoted, commented, keyed in quotes, after an anchor",
      facts: changed(
        adding(CI, ['      - uses: "docker/login-action@v3"', "      - uses: 'docker/build-push-action@v6' # build", '      - "uses": docker/metadata-action@v5', "      - uses: &qemu docker/setup-qemu-action@v3"], 7),
      ),
      findings: [
        { message: "docker/login-action@v3 is not pinned", line: 7 },
        { message: "docker/build-push-action@v6 is not pinned to a commit: use docker/build-push-action@<40-character commit SHA> # v6", line: 8 },
        { message: "docker/metadata-action@v5 is not pinned", line: 9 },
        { message: "docker/setup-qemu-action@v3 is not pinned", line: 10 },
      ],
    },
    {
      name: "a reusable workflow on a branch",
      facts: changed(adding(CI, ["  deploy:", "    uses: acme/pipelines/.github/workflows/deploy.yml@main"])),
      findings: [{ message: "acme/pipelines/.github/workflows/deploy.yml@main is not pinned to a commit: use acme/pipelines/.github/workflows/deploy.yml@<40-character commit SHA> # main", line: 2 }],
    },
    {
      name: "a shortened commit SHA",
      facts: changed(adding(CI, STEPS("docker/login-action@b4ffde6"))),
      findings: [{ message: "docker/login-action@b4ffde6 uses a shortened commit SHA: use the full 40-character SHA, docker/login-action@<40-character commit SHA>" }],
    },
    {
      name: "no version at all",
      facts: changed(adding(CI, [...STEPS("docker/login-action"), "      - uses: docker/build-push-action@"])),
      findings: [
        { message: "docker/login-action has no version: use docker/login-action@<40-character commit SHA>", line: 2 },
        { message: "docker/build-push-action has no version", line: 3 },
      ],
    },
    {
      name: "a docker image by tag, or by nothing",
      facts: changed(adding(CI, [...STEPS("docker://alpine:3.19"), "      - uses: docker://localhost:5000/tools/lint"])),
      findings: [
        { message: "docker://alpine:3.19 is not pinned to a digest: use docker://alpine@sha256:<64-character digest> # 3.19", line: 2 },
        { message: "docker://localhost:5000/tools/lint is not pinned to a digest: use docker://localhost:5000/tools/lint@sha256:<64-character digest>", line: 3 },
      ],
    },
    {
      name: "something that is not an action reference",
      facts: changed(adding(CI, STEPS("checkout@v4"))),
      findings: [{ message: "uses: checkout@v4 is not an action reference: write owner/repo@<40-character commit SHA>" }],
    },
    {
      name: "an owner/repo in allow names that repository, not every one starting with it",
      options: { allow: ["acme/deploy"] },
      facts: changed(adding(CI, [`      - uses: acme/deploy@v1`, "      - uses: acme/deploy-tools@v1"])),
      findings: [{ message: "acme/deploy-tools@v1 is not pinned", line: 2 }],
    },
    {
      name: "an excluded GitHub action (negated allow)",
      options: { allow: ["actions/*", "!actions/cache"] },
      facts: changed(adding(CI, [...STEPS("actions/checkout@v4"), "      - uses: actions/cache@v4"])),
      findings: [{ message: "actions/cache@v4 is not pinned", line: 3 }],
    },
    {
      name: "CRLF line endings",
      facts: changed({ ...changedFile(CI), patch: "@@ -1,0 +1,2 @@\r\n+    steps:\r\n+      - uses: docker/login-action@v3 # login\r\n" }),
      findings: [{ message: "docker/login-action@v3 is not pinned to a commit: use docker/login-action@<40-character commit SHA> # v3", line: 2 }],
    },
    {
      name: "a new workflow file: every line is added",
      facts: changed(adding(".github/workflows/nightly.yml", ["on: schedule", "jobs:", "  run:", ...STEPS("docker/login-action@v3")], 1, "added")),
      findings: [{ message: "docker/login-action@v3 is not pinned", path: ".github/workflows/nightly.yml", line: 5 }],
    },
    {
      name: "a workflow without a diff is checked on every line",
      facts: unpatched(CI, known(`jobs:\r\n  build:\r\n    steps:\r\n      - uses: docker/login-action@v3\r\n`)),
      findings: [{ message: "docker/login-action@v3 is not pinned", path: CI, line: 4 }],
    },
    {
      name: "failures come first, then warnings, then files that could not be read",
      options: STRICT,
      facts: {
        files: known([adding(CI, [...STEPS("${{ inputs.action }}"), "      - uses: actions/setup-node@v4"]), { ...changedFile(".github/workflows/big.yml"), additions: 900, deletions: 0 }]),
        contents: new Map([[contentKey("head", ".github/workflows/big.yml"), unknownFact<string | null>("a 2 MB file, over the 1 MB limit")]]),
      },
      findings: [
        { message: "actions/setup-node@v4 is not pinned", line: 3, severity: "failure" },
        { message: "cannot be checked", line: 2, severity: "warning" },
        { message: "not checked: GitHub sent no diff for .github/workflows/big.yml and its content could not be read (a 2 MB file, over the 1 MB limit)", severity: "notice" },
      ],
    },
  ],
  skipped: [
    { name: "no workflow changed", facts: changed("src/app.ts", ".github/CODEOWNERS"), reason: "no workflow or action file (.github/workflows/*.{yml,yaml}, **/action.{yml,yaml}) was added or changed" },
    { name: "a workflow was removed", facts: changed(changedFile(CI, "removed")), reason: "no workflow or action file" },
    { name: "a workflow was renamed without changes", facts: changed({ ...changedFile(".github/workflows/build.yml", "renamed", CI), additions: 0, deletions: 0 }), reason: "was added or changed" },
    { name: "GitHub does not run workflows in subdirectories", facts: changed(adding(".github/workflows/old/ci.yml", STEPS("x/y@v1"))), reason: "was added or changed" },
  ],
  unknown: [
    { name: "the changed files are unknown", facts: { files: unknownFact("the pull request changes more than 3000 files") }, reason: "cannot tell which workflow files changed: the pull request changes more than 3000 files" },
    {
      name: "no diff and the content could not be read",
      facts: unpatched(CI, unknownFact("the GitHub API answered 502")),
      reason: "cannot check every workflow file: GitHub sent no diff for .github/workflows/ci.yml and its content could not be read (the GitHub API answered 502)",
    },
    { name: "no diff and the content was not gathered", facts: unpatched(CI, undefined), reason: "its content was not gathered" },
    { name: "no diff and the file is not at the head", facts: unpatched(CI, known(null)), reason: "it is not at the head commit" },
    { name: "a diff that cannot be read", facts: changed({ ...changedFile(CI), patch: "Binary files differ" }), reason: "the diff of .github/workflows/ci.yml could not be read" },
  ],
});

describe("pinned-actions: what the developer reads", () => {
  const run = (options: unknown, partial: Partial<Facts>) => runRule(pinnedActions, options, partial);

  test("an unpinned action says how to find the commit and why", () => {
    const verdict = run({}, changed(adding(CI, STEPS("docker/login-action@v3"))));
    expect(verdict.reason).toBe("1 action reference not pinned");
    expect(verdict.findings[0]?.details).toEqual([
      "git ls-remote https://github.com/docker/login-action v3 prints the commit (for an annotated tag, the line ending in ^{})",
      "a tag or branch can be moved to other code by whoever controls docker/login-action; a commit SHA cannot",
    ]);
  });

  test("a pass says what was checked and which owners were trusted", () => {
    const verdict = run({}, changed(adding(CI, [...STEPS("actions/checkout@v4"), `      - uses: docker/login-action@${SHA}`, "      - uses: github/codeql-action/init@v3", "      - uses: actions/checkout@v4"]), adding("action.yml", ["name: x"])));
    expect(verdict).toEqual({ status: "pass", findings: [], reason: "checked 4 added action references in 2 files; actions/checkout, github/codeql-action allowed by allow" });
  });

  test("the rule applies to workflow and action files unless `when` says otherwise", () => {
    expect(pinnedActions.defaultWhen).toEqual([".github/workflows/*.{yml,yaml}", "**/action.{yml,yaml}"]);
  });
});

describe("pinned-actions: through the engine", () => {
  const registry = new Map([[pinnedActions.id, pinnedActions]]);
  const config: ResolvedConfig = { levels: ["bronze", "silver", "gold"], required: "silver", comment: "on-failure", rules: [{ id: "pinned-actions", level: "gold", options: pinnedActions.options.parse({}) }] };

  test("skipped when no workflow changed, before the rule runs", () => {
    const result = evaluate(config, makeFacts(changed("src/app.ts")), registry).rules[0];
    expect(result).toMatchObject({ status: "skip", reason: "no changed file matches .github/workflows/*.{yml,yaml}, **/action.{yml,yaml}" });
  });

  test("an unpinned action at gold is shown but does not block a silver merge", () => {
    const evaluation = evaluate(config, makeFacts(changed(adding(CI, STEPS("docker/login-action@v3")))), registry);
    expect(evaluation.rules[0]).toMatchObject({ status: "fail", blocking: false });
    expect(evaluation.conclusion).toBe("neutral");
  });

  test("an expression alone is a pass with a warning", () => {
    const evaluation = evaluate(config, makeFacts(changed(adding(CI, STEPS("${{ matrix.action }}")))), registry);
    expect(evaluation.rules[0]).toMatchObject({ status: "pass", findings: [expect.objectContaining({ severity: "warning" })] });
  });

  test("plans the changed files, then the head content of workflows GitHub sent no diff for", () => {
    const first = planFacts(config, registry);
    expect(first).toEqual([{ kind: "files" }, { kind: "decisions" }]);
    const facts = makeFacts({
      files: known([
        { ...changedFile(CI), additions: 500, deletions: 0 },
        { ...changedFile(".github/actions/setup/action.yml", "added"), additions: 300, deletions: 0 },
        adding(".github/workflows/lint.yml", STEPS("x/y@v1")),
        { ...changedFile("src/huge.json"), additions: 9000, deletions: 0 },
        { ...changedFile(".github/workflows/gone.yml", "removed"), additions: 0, deletions: 40 },
        { ...changedFile(".github/workflows/moved.yml", "renamed", ".github/workflows/old.yml"), additions: 0, deletions: 0 },
      ]),
    });
    expect(planFollowUp(config, registry, facts, first)).toEqual([
      { kind: "content", ref: "head", path: CI },
      { kind: "content", ref: "head", path: ".github/actions/setup/action.yml" },
    ]);
  });
});

describe("pinned-actions: facts and options", () => {
  test("needs the changed files only; follows up with nothing when every workflow has a diff or files are unknown", () => {
    const o = pinnedActions.options.parse({});
    expect(pinnedActions.needs(o)).toEqual([{ kind: "files" }]);
    expect(pinnedActions.followUp!(makeFacts(changed(adding(CI, ["x"]))), o)).toEqual([]);
    expect(pinnedActions.followUp!(makeFacts({ files: unknownFact("too many") }), o)).toEqual([]);
  });

  test("an empty configuration takes every default", () => {
    expect(pinnedActions.options.parse({})).toEqual({ allow: ["actions/*", "github/*"], docker: "digest" });
  });

  test("every option has a description", () => {
    const shape = pinnedActions.options.shape;
    expect(Object.keys(shape)).toEqual(["allow", "docker"]);
    for (const [name, schema] of Object.entries(shape)) expect([name, schema.description ?? ""]).toEqual([name, expect.stringMatching(/\w{3}/)]);
  });

  test.each([
    [{ allowed: ["acme"] }, /Unrecognized key/],
    [{ allow: ["actions/checkout@v4"] }, /without a version/],
    [{ allow: [""] }, /too small|>=1/i],
    [{ docker: "tag" }, /digest|any/],
  ])("rejects %j with a specific message", (input, message) => {
    const result = pinnedActions.options.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(message);
  });
});

describe("pinned-actions: reading uses: lines", () => {
  test.each([
    ["uses: a/b@v1", "a/b@v1"],
    ["  - uses: a/b@v1", "a/b@v1"],
    ["-\tuses:\ta/b@v1\t# c", "a/b@v1"],
    ['- uses: "a/b@v1"  # c', "a/b@v1"],
    ["- uses: 'a/b@v1'", "a/b@v1"],
    ['- "uses": a/b@v1', "a/b@v1"],
    ["uses : a/b@v1", "a/b@v1"],
    ["uses: a/b@v1#not-a-comment", "a/b@v1#not-a-comment"],
    ["uses: &anchor a/b@v1", "a/b@v1"],
    ["uses: a/b@v1\r", "a/b@v1"],
  ])("%j holds %j", (line, value) => {
    expect(usesValue(line)).toBe(value);
  });

  test.each([["uses:"], ["uses: # later"], ["uses: |"], ["uses: *anchor"], ["uses:a/b@v1"], ["reuses: a/b@v1"], ['"uses\': a/b@v1'], ["- name: uses: a/b@v1"], ["uses"], [""]])("%j holds no value", (line) => {
    expect(usesValue(line)).toBeNull();
  });

  test("references", () => {
    expect(parseUses("./x")).toEqual({ kind: "local" });
    expect(parseUses("a/b/c/d.yml@v1")).toEqual({ kind: "remote", name: "a/b/c/d.yml", owner: "a", repo: "b", ref: "v1" });
    expect(parseUses("docker://r.io:443/a/b:1@" + DIGEST)).toEqual({ kind: "docker", image: "r.io:443/a/b:1@" + DIGEST, pinned: true, repository: "r.io:443/a/b", tag: "1" });
    expect(parseUses("a@v1")).toEqual({ kind: "invalid" });
    expect(parseUses("/b@v1")).toEqual({ kind: "invalid" });
  });
});

describe("pinned-actions: hostile input completes", () => {
  const MB = 1_000_000;
  test.each([
    ["a long value", `      - uses: a/${"b".repeat(MB)}@v1`],
    ["blanks and no key", `${" ".repeat(MB)}x`],
    ["many dashes", "- ".repeat(MB / 2)],
    ["blank-hash runs in a value", `uses: a/b@v1${" #".repeat(MB / 2)}`],
    ["an unclosed quote", `uses: "${"a/b@".repeat(MB / 4)}`],
    ["an anchor without end", `uses: &${"a".repeat(MB)}`],
    ["a long docker reference", `uses: docker://${"a:".repeat(MB / 2)}`],
    ["a long ref", `uses: a/b@${"0".repeat(MB)}`],
  ])("%s", (_name, line) => {
    const verdict = runRule(pinnedActions, {}, changed(adding(CI, [line, line])));
    expect(["pass", "fail"]).toContain(verdict.status);
    for (const f of verdict.findings) expect(f.message.length + (f.details ?? []).join("").length).toBeLessThan(2000);
  });
});
