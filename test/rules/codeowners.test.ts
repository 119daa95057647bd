import codeowners, { LISTED_INVALID_LINES } from "../../rules/codeowners.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { ChangedFile, CodeownersError, Facts, RepoFile, Review } from "../../src/engine/types.js";
import { AUTHOR, changedFile, EARLIER_SHA, HEAD_SHA, pullRequest, review } from "../helpers/facts.js";
import { ruleTester, runRule } from "../helpers/rule-tester.js";

const BASE_TEXT = [
  "# owners", // 1
  "*                  @acme/platform", // 2
  "/src/payments/     @acme/payments @alice # money", // 3
  "/docs/             docs-owner@example.com", // 4
  "/vendor/", // 5: no owner
  "/src/solo/         @octo-dev", // 6: only the author
  "/src/mixed/        @Octo-Dev @bob", // 7
].join("\n");

/** No catch-all line: files outside /src/ and /vendor/ have no owner. */
const PARTIAL_TEXT = ["/src/ @acme/web", "/vendor/", "/src/generated/"].join("\n");

const codeownersFile = (content: string, path = ".github/CODEOWNERS"): RepoFile => ({ path, content });
const BASE = codeownersFile(BASE_TEXT);
const PARTIAL = codeownersFile(PARTIAL_TEXT);

const COVERAGE_ONLY = { approval: false, valid: false };
const APPROVAL_ONLY = { coverage: false, valid: false, approval: true };
const VALID_ONLY = { coverage: false, approval: false, valid: true };

function coverageFacts(files: ChangedFile[], base: RepoFile | null = PARTIAL): Partial<Facts> {
  return { codeowners: known(base), files: known(files) };
}

function approvalFacts(files: ChangedFile[], reviews: Review[], extra: Partial<Facts> = {}): Partial<Facts> {
  return { codeowners: known(BASE), files: known(files), pull: known(pullRequest()), reviews: known(reviews), ...extra };
}

const teams = (entries: Record<string, string[] | null>): Partial<Facts> => ({
  teams: new Map(Object.entries(entries).map(([team, members]) => [team, members ? known(members) : unknownFact<string[]>("403: Resource not accessible by integration")])),
});

function validFacts(base: RepoFile | null, extra: Partial<Facts> = {}, files: ChangedFile[] = [changedFile("src/a.ts")]): Partial<Facts> {
  return { codeowners: known(base), files: known(files), ...extra };
}

const githubError = (line: number, kind: string, message: string, path = ".github/CODEOWNERS"): CodeownersError => ({ line, column: 1, kind, message, path });

ruleTester(codeowners, {
  valid: [
    // coverage
    { name: "coverage: every changed file has an owner", options: COVERAGE_ONLY, facts: coverageFacts([changedFile("src/a.ts"), changedFile("src/lib/b.ts")]) },
    { name: "coverage: a deleted file needs no owner by default", options: COVERAGE_ONLY, facts: coverageFacts([changedFile("src/a.ts"), changedFile("scripts/old.sh", "removed")]) },
    {
      name: "coverage: a renamed file is judged at its new path (rule 22)",
      options: COVERAGE_ONLY,
      facts: coverageFacts([changedFile("src/moved.ts", "renamed", "scripts/moved.ts")]),
    },
    { name: "coverage: no changed files", options: COVERAGE_ONLY, facts: coverageFacts([]) },

    // approval
    { name: "approval: an owning user approved", options: APPROVAL_ONLY, facts: approvalFacts([changedFile("src/payments/charge.ts")], [review("Alice", "APPROVED")]) },
    {
      name: "approval: a team owner is satisfied by any member (rule 19)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/payments/charge.ts")], [review("Carol", "APPROVED")], teams({ "acme/payments": ["carol", "dave"] })),
    },
    {
      name: "approval: each line touched is satisfied (rule 18)",
      options: APPROVAL_ONLY,
      facts: approvalFacts(
        [changedFile("src/payments/charge.ts"), changedFile("README.md"), changedFile("src/mixed/x.ts")],
        [review("alice", "APPROVED"), review("erin", "APPROVED"), review("bob", "APPROVED")],
        teams({ "acme/platform": ["erin"] }),
      ),
    },
    {
      name: "approval: a later COMMENTED keeps the approval (rule 21)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/payments/charge.ts")], [review("alice", "APPROVED"), review("alice", "COMMENTED")]),
    },
    {
      name: "approval: a PENDING review is invisible (rule 21)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/payments/charge.ts")], [review("alice", "APPROVED"), review("alice", "PENDING")]),
    },
    {
      name: "approval: stale keep counts an approval on an earlier commit",
      options: { ...APPROVAL_ONLY, stale: "keep" },
      facts: approvalFacts([changedFile("src/payments/charge.ts")], [review("alice", "APPROVED", EARLIER_SHA)]),
    },
    {
      name: "approval: stale dismiss counts an approval on the head commit",
      options: { ...APPROVAL_ONLY, stale: "dismiss" },
      facts: approvalFacts([changedFile("src/payments/charge.ts")], [review("alice", "APPROVED", EARLIER_SHA), review("alice", "APPROVED", HEAD_SHA)]),
    },
    {
      name: "approval: files decided by an owner-less line need no approval (rule 6)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("vendor/lib.js")], []),
    },
    {
      name: "approval: a renamed file needs only its new path's owners by default (rule 22)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("vendor/charge.ts", "renamed", "src/payments/charge.ts")], []),
    },
    {
      name: "approval: the author's approval is not needed when another owner approved",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/mixed/a.ts")], [review("bob", "APPROVED")]),
    },

    // valid
    { name: "valid: the base CODEOWNERS has no invalid lines and GitHub reports nothing", options: VALID_ONLY, facts: validFacts(BASE, { codeownersErrors: { base: known([]) } }) },
    { name: "valid: without GitHub's report the parser's check alone decides", options: VALID_ONLY, facts: validFacts(BASE, { codeownersErrors: { base: unknownFact("not available locally") } }) },
    {
      name: "valid: an edited CODEOWNERS with an invalid line warns on the new file's line",
      options: VALID_ONLY,
      facts: validFacts(BASE, { codeownersErrors: { base: known([]) }, headCodeowners: known(codeownersFile(`${BASE_TEXT}\n/api/ api-team`)) }, [changedFile(".github/CODEOWNERS")]),
      findings: [{ message: /in the changed CODEOWNERS: "api-team" is not a valid owner: did you mean @api-team\?/, path: ".github/CODEOWNERS", line: 8, severity: "warning" }],
    },
    {
      name: "valid: GitHub's report on the edited CODEOWNERS warns too",
      options: VALID_ONLY,
      facts: validFacts(
        BASE,
        {
          codeownersErrors: { base: known([]), head: known([githubError(8, "Unknown owner", "Unknown owner on line 8: make sure @acme/ghosts exists and has write access")]) },
          headCodeowners: known(codeownersFile(`${BASE_TEXT}\n/api/ @acme/ghosts`)),
        },
        [changedFile(".github/CODEOWNERS")],
      ),
      findings: [{ message: /^in the changed CODEOWNERS: Unknown owner on line 8: make sure @acme\/ghosts exists and has write access \(GitHub's CODEOWNERS check, column 1\)$/, path: ".github/CODEOWNERS", line: 8, severity: "warning" }],
    },
    {
      name: "valid: editing a CODEOWNERS that GitHub does not use is pointed out",
      options: VALID_ONLY,
      facts: validFacts(BASE, { codeownersErrors: { base: known([]) }, headCodeowners: known(BASE) }, [changedFile("docs/CODEOWNERS")]),
      findings: [{ message: "docs/CODEOWNERS is changed, but GitHub uses .github/CODEOWNERS, which comes first", path: "docs/CODEOWNERS", severity: "warning" }],
    },
    {
      name: "valid: deleting the only CODEOWNERS is pointed out",
      options: VALID_ONLY,
      facts: validFacts(BASE, { codeownersErrors: { base: known([]) }, headCodeowners: known(null) }, [changedFile(".github/CODEOWNERS", "removed")]),
      findings: [{ message: "this pull request deletes .github/CODEOWNERS: after the merge no file has a code owner", severity: "warning" }],
    },
    {
      name: "valid: an edited CODEOWNERS that cannot be read is a notice, not a silent pass",
      options: VALID_ONLY,
      facts: validFacts(BASE, { codeownersErrors: { base: known([]) }, headCodeowners: unknownFact("GitHub answered 502") }, [changedFile(".github/CODEOWNERS")]),
      findings: [{ message: "cannot check the CODEOWNERS this pull request changes: GitHub answered 502", severity: "notice" }],
    },
    {
      name: "valid: a head file identical to the base adds nothing",
      options: VALID_ONLY,
      facts: validFacts(BASE, { codeownersErrors: { base: known([]) }, headCodeowners: known(codeownersFile(BASE_TEXT)) }, [changedFile(".github/CODEOWNERS")]),
    },
  ],

  invalid: [
    // coverage
    {
      name: "coverage: unowned files grouped by directory, root first",
      options: COVERAGE_ONLY,
      facts: coverageFacts([changedFile("lib/a.ts"), changedFile("src/ok.ts"), changedFile("lib/b.ts"), changedFile("tools/ci/run.sh"), changedFile("README.md")]),
      findings: [
        { message: "1 changed file at the repository root has no code owner" },
        { message: "2 changed files in lib/ have no code owner" },
        { message: "1 changed file in tools/ci/ has no code owner" },
      ],
    },
    {
      name: "coverage: a file whose last match has no owners is unowned (rule 6)",
      options: COVERAGE_ONLY,
      facts: coverageFacts([changedFile("src/generated/api.ts"), changedFile("vendor/x/y.js")]),
      findings: [{ message: "1 changed file in src/generated/ has no code owner" }, { message: "1 changed file in vendor/x/ has no code owner" }],
    },
    {
      name: "coverage: no CODEOWNERS at base",
      options: COVERAGE_ONLY,
      facts: coverageFacts([changedFile("src/a.ts")], null),
      findings: [{ message: "no CODEOWNERS file on the base branch: add .github/CODEOWNERS" }],
    },
    {
      name: "coverage: a base CODEOWNERS of 3 MB or more owns nothing (rule 3)",
      options: COVERAGE_ONLY,
      facts: coverageFacts([changedFile("src/a.ts")], codeownersFile(`* @acme/all\n${"#".repeat(3 * 1024 * 1024)}`)),
      findings: [{ message: ".github/CODEOWNERS on the base branch is 3 MB or more, so GitHub ignores it" }],
    },
    {
      name: "coverage: a base CODEOWNERS known only by its size (3 MB or more, not downloaded) owns nothing",
      options: COVERAGE_ONLY,
      facts: coverageFacts([changedFile("src/a.ts")], { path: ".github/CODEOWNERS", content: "", size: 3 * 1024 * 1024 }),
      findings: [{ message: ".github/CODEOWNERS on the base branch is 3 MB or more, so GitHub ignores it" }],
    },
    {
      name: "coverage: include-previous-paths judges the old path of a rename",
      options: { ...COVERAGE_ONLY, "include-previous-paths": true },
      facts: coverageFacts([changedFile("src/moved.ts", "renamed", "scripts/moved.ts")]),
      findings: [{ message: "1 changed file in scripts/ has no code owner" }],
    },
    {
      name: "coverage: include-previous-paths judges deleted files",
      options: { ...COVERAGE_ONLY, "include-previous-paths": true },
      facts: coverageFacts([changedFile("scripts/old.sh", "removed")]),
      findings: [{ message: "1 changed file in scripts/ has no code owner" }],
    },
    {
      name: "coverage: a file the PR edits is judged by the base CODEOWNERS, not the new one (rule 2)",
      options: COVERAGE_ONLY,
      facts: { ...coverageFacts([changedFile("lib/a.ts"), changedFile(".github/CODEOWNERS")]), headCodeowners: known(codeownersFile("* @acme/all")) },
      findings: [{ message: "1 changed file in .github/ has no code owner" }, { message: "1 changed file in lib/ has no code owner" }],
    },

    // approval
    {
      name: "approval: nobody approved",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/payments/charge.ts"), changedFile("src/payments/refund.ts")], []),
      findings: [{ message: "CODEOWNERS line 3 (/src/payments/) needs an approving review from one of its owners" }],
    },
    {
      name: "approval: only the unsatisfied line is listed (rule 18)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/payments/charge.ts"), changedFile("src/mixed/a.ts")], [review("alice", "APPROVED")]),
      findings: [{ message: "CODEOWNERS line 7 (/src/mixed/) needs an approving review" }],
    },
    {
      name: "approval: the author who is the only owner blocks (rule 20)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/solo/x.ts")], [review(AUTHOR, "APPROVED"), review("bob", "APPROVED")]),
      findings: [{ message: "CODEOWNERS line 6 (/src/solo/): its only owner, octo-dev, wrote this pull request, so no owner can approve it" }],
    },
    {
      name: "approval: the author's own approval never counts (rule 20)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/mixed/x.ts")], [review("octo-dev", "APPROVED")]),
      findings: [{ message: "CODEOWNERS line 7 (/src/mixed/) needs an approving review" }],
    },
    {
      name: "approval: a non-member's approval does not satisfy a team",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("README.md")], [review("mallory", "APPROVED")], teams({ "acme/platform": ["erin"] })),
      findings: [{ message: "CODEOWNERS line 2 (*) needs an approving review" }],
    },
    {
      name: "approval: stale dismiss ignores an approval on an earlier commit",
      options: { ...APPROVAL_ONLY, stale: "dismiss" },
      facts: approvalFacts([changedFile("src/payments/charge.ts")], [review("alice", "APPROVED", EARLIER_SHA)]),
      findings: [{ message: "CODEOWNERS line 3 (/src/payments/) needs an approving review" }],
    },
    {
      name: "approval: a dismissed approval does not count (rule 21)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/payments/charge.ts")], [review("alice", "APPROVED"), review("alice", "DISMISSED")]),
      findings: [{ message: "CODEOWNERS line 3 (/src/payments/) needs an approving review" }],
    },
    {
      name: "approval: a later CHANGES_REQUESTED replaces the approval (rule 21)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/payments/charge.ts")], [review("alice", "APPROVED"), review("alice", "CHANGES_REQUESTED")]),
      findings: [{ message: "CODEOWNERS line 3 (/src/payments/) needs an approving review" }],
    },
    {
      name: "approval: an e-mail owner nobody approved for",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("docs/guide.md")], []),
      findings: [{ message: "CODEOWNERS line 4 (/docs/) needs an approving review" }],
    },
    {
      name: "approval: a team the app cannot see does not help when nobody approved",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("README.md")], [], teams({ "acme/platform": null })),
      findings: [{ message: "CODEOWNERS line 2 (*) needs an approving review" }],
    },
    {
      name: "approval: a failing line is reported, an undecidable one rides along as a notice",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/mixed/x.ts"), changedFile("README.md")], [review("mallory", "APPROVED")], teams({ "acme/platform": null })),
      findings: [
        { message: "CODEOWNERS line 7 (/src/mixed/) needs an approving review" },
        { message: "CODEOWNERS line 2 (*) may lack a code-owner approval", severity: "notice" },
      ],
    },
    {
      name: "approval: a deleted file needs its owners' approval (judged at its path)",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("src/payments/legacy.ts", "removed")], []),
      findings: [{ message: "CODEOWNERS line 3 (/src/payments/) needs an approving review" }],
    },
    {
      name: "approval: include-previous-paths also needs the old path's owners of a rename",
      options: { ...APPROVAL_ONLY, "include-previous-paths": true },
      facts: approvalFacts([changedFile("vendor/charge.ts", "renamed", "src/payments/charge.ts")], []),
      findings: [{ message: "CODEOWNERS line 3 (/src/payments/) needs an approving review" }],
    },

    // valid
    {
      name: "valid: invalid lines of the base CODEOWNERS fail on their lines",
      options: VALID_ONLY,
      facts: validFacts(codeownersFile("* @acme/all\n/src/ alice\n!/gen/ @bob\n"), { codeownersErrors: { base: known([]) } }),
      findings: [
        { message: '"alice" is not a valid owner: did you mean @alice? (write @login for a user, @org/team for a team, or an e-mail address) (column 7); GitHub skips this line', path: ".github/CODEOWNERS", line: 2 },
        { message: 'negation with "!" is not supported', path: ".github/CODEOWNERS", line: 3 },
      ],
    },
    {
      name: "valid: GitHub's report adds unknown owners, once per line",
      options: VALID_ONLY,
      facts: validFacts(codeownersFile("* @acme/all\n/src/ alice\n/api/ @ghost\n", "CODEOWNERS"), {
        codeownersErrors: {
          base: known([githubError(2, "Invalid owner", "Invalid owner on line 2", "CODEOWNERS"), githubError(3, "Unknown owner", "Unknown owner on line 3: make sure @ghost exists", "CODEOWNERS")]),
        },
      }),
      findings: [
        { message: '"alice" is not a valid owner', path: "CODEOWNERS", line: 2 },
        { message: "Unknown owner on line 3: make sure @ghost exists (GitHub's CODEOWNERS check, column 1)", path: "CODEOWNERS", line: 3 },
      ],
    },
    {
      name: "valid: the base file fails while the PR's new file only warns",
      options: VALID_ONLY,
      facts: validFacts(
        codeownersFile("/src/ nobody"),
        { codeownersErrors: { base: known([]) }, headCodeowners: known(codeownersFile("/src/ @acme/web\n/lib/ @-bad")) },
        [changedFile(".github/CODEOWNERS")],
      ),
      findings: [
        { message: '"nobody" is not a valid owner', path: ".github/CODEOWNERS", line: 1, severity: "failure" },
        { message: 'in the changed CODEOWNERS: "@-bad" is not a valid user name', path: ".github/CODEOWNERS", line: 2, severity: "warning" },
      ],
    },
    {
      name: "valid: a base CODEOWNERS of 3 MB or more fails at line 1",
      options: VALID_ONLY,
      facts: validFacts(codeownersFile("#".repeat(3 * 1024 * 1024)), { codeownersErrors: { base: known([]) } }),
      findings: [{ message: "GitHub ignores a CODEOWNERS file of 3 MB or more", path: ".github/CODEOWNERS", line: 1 }],
    },

    // defaults: coverage and valid together
    {
      name: "defaults: coverage and valid report together",
      facts: validFacts(codeownersFile("/src/ @acme/web\n/docs/ nobody"), { codeownersErrors: { base: known([]) } }, [changedFile("docs/a.md")]),
      findings: [{ message: '"nobody" is not a valid owner', line: 2 }, { message: "1 changed file in docs/ has no code owner" }],
    },
  ],

  skipped: [
    { name: "approval only, and no CODEOWNERS at base", options: APPROVAL_ONLY, facts: approvalFacts([changedFile("a.ts")], [], { codeowners: known(null) }), reason: "no CODEOWNERS file on the base branch, so no code-owner approval applies" },
    { name: "everything turned off", options: { coverage: false, approval: false, valid: false }, facts: {}, reason: "all turned off" },
    { name: "valid only, and no CODEOWNERS at base", options: VALID_ONLY, facts: validFacts(null), reason: "no CODEOWNERS file on the base branch to validate" },
  ],

  unknown: [
    { name: "CODEOWNERS cannot be read", facts: { codeowners: unknownFact("GitHub answered 500"), files: known([]) }, reason: "cannot read CODEOWNERS from the base branch: GitHub answered 500" },
    { name: "coverage: the file list is unknown", options: COVERAGE_ONLY, facts: { codeowners: known(PARTIAL), files: unknownFact("more than 3000 files") }, reason: "more than 3000 files" },
    {
      name: "approval: a team the app cannot see, and a non-owner approved",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("README.md")], [review("mallory", "APPROVED")], teams({ "acme/platform": null })),
      reason: "cannot tell whether CODEOWNERS line 2 (*) is approved: the app cannot see team @acme/platform (grant members: read)",
    },
    {
      name: "approval: an e-mail owner, and a reviewer who may be that person approved",
      options: APPROVAL_ONLY,
      facts: approvalFacts([changedFile("docs/guide.md")], [review("mallory", "APPROVED")]),
      reason: "e-mail owner docs-owner@example.com cannot be matched to a GitHub login",
    },
    { name: "approval: reviews unknown", options: APPROVAL_ONLY, facts: approvalFacts([changedFile("README.md")], [], { reviews: unknownFact("rate limited") }), reason: "rate limited" },
  ],
});

describe("codeowners rule: messages", () => {
  const run = (options: unknown, facts: Partial<Facts>) => runRule(codeowners, options, facts);

  test("coverage suggests a CODEOWNERS line per directory, escaping spaces", () => {
    const verdict = run(COVERAGE_ONLY, coverageFacts([changedFile("My Docs/a b.md"), changedFile("README.md"), changedFile("vendor/x.js")]));
    expect(verdict.findings.map((f) => f.details)).toEqual([
      ["README.md", "suggested line near the top of .github/CODEOWNERS (later lines still take precedence): /* @org/team-name"],
      ["My Docs/a b.md", "suggested line near the top of .github/CODEOWNERS (later lines still take precedence): /My\\ Docs/ @org/team-name"],
      [
        "vendor/x.js",
        "CODEOWNERS line 2 (/vendor/) matches and names no owner: give it an owner, or add a line after it",
        "suggested line after line 2 of .github/CODEOWNERS: /vendor/ @org/team-name",
      ],
    ]);
  });

  test("GitHub's multi-line error message is cut to its first line", () => {
    const message = "Unknown owner on line 1: make sure @ghost exists and has write access to the repository\n\n/src/ @ghost\n      ^";
    const verdict = run(VALID_ONLY, validFacts(codeownersFile("/src/ @ghost"), { codeownersErrors: { base: known([githubError(1, "Unknown owner", message)]) } }));
    expect(verdict.findings.map((f) => f.message)).toEqual(["Unknown owner on line 1: make sure @ghost exists and has write access to the repository (GitHub's CODEOWNERS check, column 1)"]);
  });

  test("coverage caps the directories listed", () => {
    const files = Array.from({ length: 40 }, (_, i) => changedFile(`dir${String(i).padStart(2, "0")}/a.ts`));
    const verdict = run(COVERAGE_ONLY, coverageFacts(files));
    expect(verdict.findings).toHaveLength(31);
    expect(verdict.findings[30]?.message).toBe("and 10 more unowned files in 10 more directories");
  });

  test("approval lists the files and who can approve, without the author", () => {
    const verdict = run(APPROVAL_ONLY, approvalFacts([changedFile("src/mixed/a.ts"), changedFile("src/mixed/b.ts")], []));
    expect(verdict.findings[0]?.details).toEqual(["owns src/mixed/a.ts, src/mixed/b.ts", "can approve: @bob", "octo-dev wrote this pull request and cannot approve it as an owner"]);
  });

  test("approval explains a stale approval by an owner and names teams", () => {
    const verdict = run({ ...APPROVAL_ONLY, stale: "dismiss" }, approvalFacts([changedFile("src/payments/a.ts")], [review("alice", "APPROVED", EARLIER_SHA)]));
    expect(verdict.findings[0]?.details).toEqual([
      "owns src/payments/a.ts",
      "can approve: any member of @acme/payments, @alice",
      "alice approved an earlier commit (0123abc); approvals must be on the head commit",
    ]);
  });

  test("approval says e-mail owners cannot be resolved", () => {
    const verdict = run(APPROVAL_ONLY, approvalFacts([changedFile("docs/a.md")], []));
    expect(verdict.findings[0]?.details).toContain("e-mail owners (docs-owner@example.com) cannot be matched to GitHub logins by the app");
  });
});

describe("codeowners rule: facts it asks for", () => {
  const parse = (o: unknown) => codeowners.options.parse(o);

  test("needs: base CODEOWNERS, files and GitHub's error report by default; reviews only for approval", () => {
    expect(codeowners.needs(parse({}))).toEqual([{ kind: "codeowners" }, { kind: "files" }, { kind: "codeownersErrors", ref: "base" }]);
    expect(codeowners.needs(parse(APPROVAL_ONLY))).toEqual([{ kind: "codeowners" }, { kind: "files" }, { kind: "pull" }, { kind: "reviews" }]);
    expect(codeowners.needs(parse({ coverage: false, approval: false, valid: false }))).toEqual([]);
  });

  test("options are strict and documented", () => {
    expect(() => parse({ coverge: true })).toThrow();
    expect(() => parse({ stale: "sometimes" })).toThrow();
  });

  const followUp = (o: unknown, facts: Partial<Facts>) => codeowners.followUp!(makeFacts(facts), parse(o));

  test("followUp: only the teams owning changed files, lower-case, once someone approved", () => {
    const files = [changedFile("src/payments/a.ts"), changedFile("README.md"), changedFile("vendor/x.js")];
    expect(followUp(APPROVAL_ONLY, approvalFacts(files, [review("zed", "APPROVED")]))).toEqual([
      { kind: "team", team: "acme/platform" },
      { kind: "team", team: "acme/payments" },
    ]);
  });

  test("followUp: no team is looked up when nobody but the author approved, or a user owner already did", () => {
    expect(followUp(APPROVAL_ONLY, approvalFacts([changedFile("src/payments/a.ts")], [review(AUTHOR, "APPROVED")]))).toEqual([]);
    expect(followUp(APPROVAL_ONLY, approvalFacts([changedFile("src/payments/a.ts")], [review("alice", "APPROVED")]))).toEqual([]);
  });

  test("followUp: the head CODEOWNERS only when the PR touches a CODEOWNERS location", () => {
    const head = [
      { kind: "codeowners", ref: "head" },
      { kind: "codeownersErrors", ref: "head" },
    ];
    expect(followUp({}, validFacts(BASE, {}, [changedFile("src/a.ts")]))).toEqual([]);
    expect(followUp({}, validFacts(BASE, {}, [changedFile("CODEOWNERS", "added")]))).toEqual(head);
    expect(followUp({}, validFacts(BASE, {}, [changedFile(".github/CODEOWNERS", "renamed", "docs/CODEOWNERS")]))).toEqual(head);
    expect(followUp({ valid: false }, validFacts(BASE, {}, [changedFile("CODEOWNERS")]))).toEqual([]);
    expect(followUp({}, validFacts(BASE, {}, [changedFile("src/CODEOWNERS")]))).toEqual([]);
  });
});

describe("codeowners: a CODEOWNERS file with a great many invalid lines", () => {
  const invalidLines = (count: number) => codeownersFile(Array.from({ length: count }, () => "/a b").join("\n"));

  test("the base file's invalid lines: the first ones listed, the rest counted in one finding", () => {
    const verdict = runRule(codeowners, VALID_ONLY, validFacts(invalidLines(300_000), { codeownersErrors: { base: known([]) } }));
    expect(verdict.status).toBe("fail");
    expect(verdict.findings).toHaveLength(LISTED_INVALID_LINES + 1);
    expect(verdict.findings[LISTED_INVALID_LINES - 1]).toMatchObject({ line: LISTED_INVALID_LINES, severity: "failure" });
    expect(verdict.findings.at(-1)).toEqual({
      message: `${300_000 - LISTED_INVALID_LINES} more problems, from line ${LISTED_INVALID_LINES + 1}: \`readiness owners\` lists them all`,
      path: ".github/CODEOWNERS",
      line: LISTED_INVALID_LINES + 1,
      severity: "failure",
    });
  });

  test("the changed file's invalid lines: warnings, capped the same way", () => {
    const facts = validFacts(BASE, { codeownersErrors: { base: known([]) }, headCodeowners: known(invalidLines(300_000)) }, [changedFile(".github/CODEOWNERS")]);
    const verdict = runRule(codeowners, VALID_ONLY, facts);
    expect(verdict.status).toBe("pass");
    expect(verdict.findings).toHaveLength(LISTED_INVALID_LINES + 1);
    expect(verdict.findings.every((f) => f.severity === "warning")).toBe(true);
    expect(verdict.findings.at(-1)?.message).toBe(
      `in the changed CODEOWNERS: ${300_000 - LISTED_INVALID_LINES} more problems, from line ${LISTED_INVALID_LINES + 1}: \`readiness owners\` lists them all`,
    );
  });
});
