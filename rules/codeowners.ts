import { z } from "zod";
import { CodeownersLookupTooCostly, compileCodeowners, MAX_CANDIDATES_PER_LOOKUP, type CodeownersMatcher } from "../src/codeowners/match.js";
import { formatOwner, parseCodeowners, type CodeownersRule, type Owner, type ParsedCodeowners } from "../src/codeowners/parse.js";
import { escapePatternText } from "../src/codeowners/pattern.js";
import { isCodeownersLocation } from "../src/codeowners/select.js";
import { defineRule } from "../src/engine/rule.js";
import { fail, pass, skip, unknown } from "../src/engine/types.js";
import type { ChangedFile, CodeownersError, Fact, FactRequest, Facts, Finding, RepoFile, Verdict } from "../src/engine/types.js";
import { listed, plural } from "./lib/outcome.js";
import { loginKey, reviewerOpinions, shortSha, type ReviewerOpinion } from "./lib/review-opinions.js";

const options = z
  .object({
    coverage: z
      .boolean()
      .default(true)
      .describe("Every changed file must have a code owner: the last CODEOWNERS line matching it must name at least one owner. Unowned files are listed by directory with a suggested CODEOWNERS line."),
    approval: z
      .boolean()
      .default(false)
      .describe(
        'Like GitHub\'s "Require review from Code Owners": each CODEOWNERS line that decides a changed file needs one approving review from any of its owners. A team counts through any member (the app needs the organisation permission members: read); the author never counts; only each reviewer\'s latest review counts.',
      ),
    stale: z
      .enum(["keep", "dismiss"])
      .default("keep")
      .describe("For approval. keep: an owner's approval counts whatever commit it was given on. dismiss: only approvals given on the pull request's head commit count."),
    valid: z
      .boolean()
      .default(true)
      .describe("The base branch's CODEOWNERS has no invalid lines (which GitHub skips) and no errors in GitHub's own report, such as unknown owners. A pull request that edits CODEOWNERS also gets warnings on the new file's problems."),
    "include-previous-paths": z
      .boolean()
      .default(false)
      .describe("Also judge the old path of renamed files (moving a file out of an owned directory then needs its old owners too), and, for coverage, the paths of deleted files."),
  })
  .strict();

type Options = z.output<typeof options>;

interface Codeowners {
  readonly file: RepoFile;
  readonly parsed: ParsedCodeowners;
  readonly matcher: CodeownersMatcher;
}

// Parsing a 10,000-line file twice (followUp, then evaluate) is avoidable: the snapshot hands
// both the same RepoFile object. A memo, not state: the result depends only on the content.
const compiledFiles = new WeakMap<RepoFile, Codeowners>();

function codeownersOf(file: RepoFile): Codeowners {
  let entry = compiledFiles.get(file);
  if (!entry) {
    const parsed = parseCodeowners(file.content, file.path, file.size);
    entry = { file, parsed, matcher: compileCodeowners(parsed) };
    compiledFiles.set(file, entry);
  }
  return entry;
}

/*
 * Which paths are judged (rule 22: renamed files at their new path; deleted files undocumented).
 * Approval judges a deleted file at its path: deleting owned code is a change its owners guard
 * (the stricter reading of the undocumented case). Coverage looks only at files that exist
 * after the merge, since a deleted file needs no owner, unless include-previous-paths asks for
 * deleted files as well. include-previous-paths also adds the old path of every rename to both.
 */
function approvalPaths(files: readonly ChangedFile[], o: Options): string[] {
  const paths = files.map((f) => f.path);
  if (o["include-previous-paths"]) for (const f of files) if (f.status === "renamed" && f.previousPath) paths.push(f.previousPath);
  return unique(paths);
}

function coveragePaths(files: readonly ChangedFile[], o: Options): string[] {
  const includePrevious = o["include-previous-paths"];
  const paths = files.filter((f) => includePrevious || f.status !== "removed").map((f) => f.path);
  if (includePrevious) for (const f of files) if (f.status === "renamed" && f.previousPath) paths.push(f.previousPath);
  return unique(paths);
}

const unique = (items: readonly string[]): string[] => [...new Set(items)];

const teamKey = (owner: Owner): string => owner.value.toLowerCase();
const lineName = (rule: CodeownersRule): string => `CODEOWNERS line ${rule.line} (${rule.pattern})`;

/** Changed paths grouped by the line that decides them; lines in file order. */
function pathsByLine(matcher: CodeownersMatcher, paths: readonly string[]): Map<CodeownersRule, string[]> {
  const byLine = new Map<CodeownersRule, string[]>();
  for (const path of paths) {
    const rule = matcher.ownersOf(path);
    if (!rule || rule.owners.length === 0) continue;
    const list = byLine.get(rule);
    if (list) list.push(path);
    else byLine.set(rule, [path]);
  }
  return new Map([...byLine].sort(([a], [b]) => a.line - b.line));
}

/** Runs a lookup-heavy step; null when a lookup was too costly (evaluate then says so). */
function tooCostlyAsNull<T>(step: () => T): T | null {
  try {
    return step();
  } catch (e) {
    if (e instanceof CodeownersLookupTooCostly) return null;
    throw e;
  }
}

/** Approvals that count: the latest opinion of each reviewer other than the author, per the stale option. */
function countedApprovals(facts: Facts, o: Options): { approvers: ReviewerOpinion[]; staleApprovers: ReviewerOpinion[] } | null {
  if (!facts.reviews.known || !facts.pull.known) return null;
  const pull = facts.pull.value;
  const approvers: ReviewerOpinion[] = [];
  const staleApprovers: ReviewerOpinion[] = [];
  for (const opinion of reviewerOpinions(facts.reviews.value, pull.author).values()) {
    if (opinion.opinion !== "APPROVED") continue;
    if (o.stale === "dismiss" && opinion.commitId !== pull.headSha) staleApprovers.push(opinion);
    else approvers.push(opinion);
  }
  return { approvers, staleApprovers };
}

/**
 * Team memberships are asked for only when they can change the answer: for lines that own a
 * changed file and that no owning user has approved yet, and only when someone has approved at
 * all (a line nobody approved is unsatisfied whoever is in the team).
 */
function teamRequests(facts: Facts, o: Options): FactRequest[] {
  if (!o.approval || !facts.codeowners.known || !facts.codeowners.value || !facts.files.known) return [];
  const { matcher } = codeownersOf(facts.codeowners.value);
  const approvals = countedApprovals(facts, o);
  if (approvals && approvals.approvers.length === 0) return [];
  const approverKeys = new Set(approvals?.approvers.map((a) => loginKey(a.login)) ?? []);
  const teams = new Set<string>();
  for (const rule of pathsByLine(matcher, approvalPaths(facts.files.value, o)).keys()) {
    if (rule.owners.some((owner) => owner.kind === "user" && approverKeys.has(loginKey(owner.value)))) continue;
    for (const owner of rule.owners) if (owner.kind === "team") teams.add(teamKey(owner));
  }
  return [...teams].map((team): FactRequest => ({ kind: "team", team }));
}

/** Why a team's members are not known, naming the team once. */
function unseenTeam(team: string, members: Fact<readonly string[]> | undefined): string {
  if (members && !members.known && members.reason.toLowerCase().includes(team.toLowerCase())) return members.reason;
  return `the app cannot see team ${team} (${members && !members.known ? `${members.reason}; ` : ""}grant members: read)`;
}

/** The CODEOWNERS locations the pull request touches (added, edited, deleted or renamed from). */
function touchedCodeownersPaths(files: readonly ChangedFile[]): ChangedFile[] {
  return files.filter((f) => isCodeownersLocation(f.path) || (f.previousPath !== undefined && isCodeownersLocation(f.previousPath)));
}

/** What the three checks found, before it becomes one verdict. */
interface Outcome {
  readonly failures: Finding[];
  readonly warnings: Finding[];
  /** One sentence each: something that cannot be decided. */
  readonly undecidable: string[];
  /** Details of undecidable items, shown as notices. */
  readonly undecidableFindings: Finding[];
  readonly passed: string[];
  readonly skipped: string[];
}

/** fail over unknown over pass over skip; warnings never fail the rule and always ride along. */
function settleOutcome(out: Outcome): Verdict {
  const notices = out.undecidableFindings.map((f): Finding => ({ ...f, severity: "notice" }));
  if (out.failures.length > 0) return fail([...out.failures, ...notices, ...out.warnings]);
  if (out.undecidable.length > 0) return unknown(out.undecidable.join("; "), [...notices, ...out.warnings]);
  if (out.passed.length > 0 || out.warnings.length > 0) return pass(out.passed.join("; ") || undefined, out.warnings);
  return skip(out.skipped.join("; ") || "nothing to check");
}

/**
 * How findings name what is judged: a change's files are "changed files" and its CODEOWNERS is the
 * base branch's; a branch's are every file of the repository and its own CODEOWNERS.
 */
interface Terms {
  /** "changed file" | "file" (singular noun, pluralised by plural()). */
  readonly file: string;
  /** Where CODEOWNERS is read: "on the base branch" | "on main". */
  readonly where: string;
}

function termsOf(facts: Facts): Terms {
  if (facts.subject.kind === "branch") return { file: "file", where: facts.subject.ref ? `on ${facts.subject.ref}` : "at this commit" };
  return { file: "changed file", where: "on the base branch" };
}

const MAX_DIRECTORY_FINDINGS = 30;
const MAX_LISTED_FILES = 20;
const PLACEHOLDER_OWNER = "@org/team-name";

const dirname = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

function listFiles(paths: readonly string[]): string[] {
  if (paths.length <= MAX_LISTED_FILES) return [...paths];
  return [...paths.slice(0, MAX_LISTED_FILES), `and ${paths.length - MAX_LISTED_FILES} more`];
}

/** The paths coverage judges: the changed files of a change, every file of the tree on a branch. */
function judgedPaths(facts: Facts, o: Options): { paths: string[] } | { undecidable: string } {
  if (facts.subject.kind === "branch") {
    const tree = facts.trees.head;
    if (!tree?.known) return { undecidable: `cannot tell whether every file of the repository has a code owner: ${tree ? tree.reason : "the file tree was not gathered"}` };
    return { paths: [...tree.value] };
  }
  if (!facts.files.known) return { undecidable: `cannot tell whether every changed file has a code owner: ${facts.files.reason}` };
  return { paths: coveragePaths(facts.files.value, o) };
}

function checkCoverage(out: Outcome, facts: Facts, o: Options, base: Codeowners | null): void {
  const terms = termsOf(facts);
  const judged = judgedPaths(facts, o);
  if ("undecidable" in judged) {
    out.undecidable.push(judged.undecidable);
    return;
  }
  if (base === null) {
    out.failures.push({
      message: `no CODEOWNERS file ${terms.where}: add .github/CODEOWNERS so every ${terms.file} has an owner`,
      details: [`for example: * ${PLACEHOLDER_OWNER}`],
    });
    return;
  }
  if (base.parsed.tooLarge) {
    out.failures.push({
      message: `${base.file.path} ${terms.where} is 3 MB or more, so GitHub ignores it and no file has a code owner`,
    });
    return;
  }
  const paths = judged.paths;
  const unownedByDirectory = new Map<string, { path: string; decidedBy: CodeownersRule | null }[]>();
  for (const path of paths) {
    const rule = base.matcher.ownersOf(path);
    if (rule && rule.owners.length > 0) continue;
    const directory = dirname(path);
    const list = unownedByDirectory.get(directory) ?? [];
    list.push({ path, decidedBy: rule });
    unownedByDirectory.set(directory, list);
  }
  if (unownedByDirectory.size === 0) {
    out.passed.push(
      paths.length === 0 ? `no ${terms.file} needs an owner` : paths.length === 1 ? `the ${terms.file} has a code owner` : `all ${plural(paths.length, terms.file)} have a code owner`,
    );
    return;
  }
  const directories = [...unownedByDirectory.keys()].sort();
  for (const directory of directories.slice(0, MAX_DIRECTORY_FINDINGS)) {
    const unowned = unownedByDirectory.get(directory)!;
    const where = directory === "" ? "at the repository root" : `in ${directory}/`;
    const pattern = directory === "" ? "/*" : `/${escapePatternText(directory)}/`;
    const ownerless = [...new Set(unowned.flatMap((u) => (u.decidedBy ? [u.decidedBy] : [])))].sort((a, b) => a.line - b.line);
    const lastOwnerless = ownerless[ownerless.length - 1];
    // The last matching line wins: a new line must come after an owner-less line that matches, and
    // otherwise goes best near the top, where it cannot take files from the lines below it.
    const placement = lastOwnerless ? `after line ${lastOwnerless.line} of ${base.file.path}` : `near the top of ${base.file.path} (later lines still take precedence)`;
    out.failures.push({
      message: `${plural(unowned.length, terms.file)} ${where} ${unowned.length === 1 ? "has" : "have"} no code owner`,
      details: [
        ...listFiles(unowned.map((u) => u.path)),
        ...ownerless.map((rule) => `${lineName(rule)} matches and names no owner: give it an owner, or add a line after it`),
        `suggested line ${placement}: ${pattern} ${PLACEHOLDER_OWNER}`,
      ],
    });
  }
  if (directories.length > MAX_DIRECTORY_FINDINGS) {
    const rest = directories.slice(MAX_DIRECTORY_FINDINGS);
    const files = rest.reduce((n, d) => n + unownedByDirectory.get(d)!.length, 0);
    out.failures.push({ message: `and ${plural(files, "more unowned file")} in ${rest.length} more ${rest.length === 1 ? "directory" : "directories"}` });
  }
}

function checkApproval(out: Outcome, facts: Facts, o: Options, base: Codeowners | null): void {
  if (!facts.files.known) {
    out.undecidable.push(`cannot tell which code owners must approve: ${facts.files.reason}`);
    return;
  }
  if (base === null) {
    out.skipped.push("no CODEOWNERS file on the base branch, so no code-owner approval applies");
    return;
  }
  if (base.parsed.tooLarge) {
    out.skipped.push(`${base.file.path} is 3 MB or more and GitHub ignores it, so no code-owner approval applies`);
    return;
  }
  if (!facts.pull.known) {
    out.undecidable.push(`cannot tell who wrote the pull request: ${facts.pull.reason}`);
    return;
  }
  if (!facts.reviews.known) {
    out.undecidable.push(`cannot tell which code owners approved: ${facts.reviews.reason}`);
    return;
  }
  const author = facts.pull.value.author;
  const authorKey = loginKey(author);
  const { approvers, staleApprovers } = countedApprovals(facts, o)!;
  const approverKeys = new Set(approvers.map((a) => loginKey(a.login)));
  const lines = pathsByLine(base.matcher, approvalPaths(facts.files.value, o));
  if (lines.size === 0) {
    out.passed.push("no changed file has a code owner to approve it");
    return;
  }

  let satisfied = 0;
  for (const [rule, paths] of lines) {
    const approvedBy: string[] = [];
    const unseenTeams: string[] = [];
    const emails: string[] = [];
    const isMember = new Map<string, (key: string) => boolean>();
    for (const owner of rule.owners) {
      if (owner.kind === "user" && approverKeys.has(loginKey(owner.value))) approvedBy.push(formatOwner(owner));
      if (owner.kind === "email") emails.push(owner.value);
      if (owner.kind === "team") {
        const members = facts.teams.get(teamKey(owner));
        if (members?.known) {
          const keys = new Set(members.value.map(loginKey));
          isMember.set(formatOwner(owner), (key) => keys.has(key));
          const member = approvers.find((a) => keys.has(loginKey(a.login)));
          if (member) approvedBy.push(`${formatOwner(owner)} (${member.login})`);
        } else if (approvers.length > 0) unseenTeams.push(unseenTeam(formatOwner(owner), members));
      }
    }
    if (approvedBy.length > 0) {
      satisfied++;
      continue;
    }

    const files = `owns ${listed(paths, 5)}`;
    const undecided = [
      ...unseenTeams,
      ...(approvers.length > 0 ? emails.map((e) => `e-mail owner ${e} cannot be matched to a GitHub login; write the owner's @login instead`) : []),
    ];
    if (undecided.length > 0) {
      out.undecidable.push(`cannot tell whether ${lineName(rule)} is approved: ${undecided.join("; ")}`);
      out.undecidableFindings.push({ message: `${lineName(rule)} may lack a code-owner approval`, details: [files, ...undecided] });
      continue;
    }

    const canApprove = rule.owners.filter((owner) => !(owner.kind === "user" && loginKey(owner.value) === authorKey));
    const authorOwns = canApprove.length < rule.owners.length;
    const details = [files];
    if (canApprove.length > 0) {
      details.push(`can approve: ${canApprove.map((owner) => (owner.kind === "team" ? `any member of ${formatOwner(owner)}` : formatOwner(owner))).join(", ")}`);
    }
    if (authorOwns) details.push(`${author} wrote this pull request and cannot approve it as an owner`);
    for (const stale of staleApprovers) {
      const key = loginKey(stale.login);
      const owns = rule.owners.some((owner) => (owner.kind === "user" && loginKey(owner.value) === key) || (owner.kind === "team" && isMember.get(formatOwner(owner))?.(key)));
      if (owns) details.push(`${stale.login} approved an earlier commit (${shortSha(stale.commitId)}); approvals must be on the head commit`);
    }
    if (emails.length > 0) details.push(`e-mail owners (${emails.join(", ")}) cannot be matched to GitHub logins by the app`);
    out.failures.push({
      message:
        canApprove.length === 0
          ? `${lineName(rule)}: its only owner, ${author}, wrote this pull request, so no owner can approve it; add another owner to that line`
          : `${lineName(rule)} needs an approving review from one of its owners`,
      details,
    });
  }
  if (satisfied > 0 && satisfied === lines.size) out.passed.push(`${plural(satisfied, "CODEOWNERS line")} approved by an owner`);
}

/** GitHub's messages run over several lines (the offending line, a caret); the first one says it all. */
function githubErrorFindings(errors: readonly CodeownersError[], fallbackPath: string, coveredLines: ReadonlySet<number>, severity: Finding["severity"], prefix: string): Finding[] {
  return errors
    .filter((e) => !coveredLines.has(e.line))
    .map((e) => {
      const said = e.message.trim().split("\n")[0]?.trim() || e.kind;
      return { message: `${prefix}${said} (GitHub's CODEOWNERS check, column ${e.column})`, path: e.path || fallbackPath, line: e.line, severity };
    });
}

function parseErrorFindings(parsed: ParsedCodeowners, severity: Finding["severity"], prefix: string): Finding[] {
  return parsed.errors.map((e) => ({
    message: parsed.tooLarge ? `${prefix}${e.message}` : `${prefix}${e.message} (column ${e.column}); GitHub skips this line`,
    path: parsed.path,
    line: e.line,
    severity,
  }));
}

/** Problems listed one by one per CODEOWNERS file; the rest are counted in one finding. */
export const LISTED_INVALID_LINES = 50;

/**
 * A file's problems in line order: the first LISTED_INVALID_LINES, then one finding that counts
 * the rest. A file can hold hundreds of thousands of invalid lines (and a pull request can add
 * them); nobody reads that many, and each would be carried through to the check run.
 */
function listedProblems(problems: readonly Finding[], path: string, severity: Finding["severity"], prefix: string): Finding[] {
  const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const next = sorted[LISTED_INVALID_LINES];
  if (next === undefined) return sorted;
  const rest = sorted.length - LISTED_INVALID_LINES;
  return [
    ...sorted.slice(0, LISTED_INVALID_LINES),
    { message: `${prefix}${rest} more problems, from line ${next.line}: \`readiness owners\` lists them all`, path, line: next.line, severity },
  ];
}

function checkValid(out: Outcome, facts: Facts, base: Codeowners | null): void {
  if (base === null) {
    out.skipped.push(`no CODEOWNERS file ${termsOf(facts).where} to validate`);
  } else {
    const githubErrors = facts.codeownersErrors.base;
    const failures = [
      ...parseErrorFindings(base.parsed, "failure", ""),
      ...(githubErrors?.known ? githubErrorFindings(githubErrors.value, base.file.path, new Set(base.parsed.errors.map((e) => e.line)), "failure", "") : []),
    ];
    // Where GitHub's report cannot be had (the CLI), the file's syntax is still checked here.
    if (failures.length > 0) out.failures.push(...listedProblems(failures, base.file.path, "failure", ""));
    else out.passed.push(`${base.file.path} has no invalid lines`);
  }
  checkHeadCodeowners(out, facts, base);
}

/** A pull request that edits CODEOWNERS: the new file is checked and its problems shown as warnings. */
function checkHeadCodeowners(out: Outcome, facts: Facts, base: Codeowners | null): void {
  if (!facts.files.known) return;
  const touched = touchedCodeownersPaths(facts.files.value);
  if (touched.length === 0) return;
  const head = facts.headCodeowners;
  if (!head.known) {
    out.warnings.push({ message: `cannot check the CODEOWNERS this pull request changes: ${head.reason}`, severity: "notice" });
    return;
  }
  if (head.value === null) {
    if (base !== null) out.warnings.push({ message: `this pull request deletes ${base.file.path}: after the merge no file has a code owner`, severity: "warning" });
    return;
  }
  const file = head.value;
  for (const changed of touched) {
    if (changed.status !== "removed" && changed.path !== file.path) {
      out.warnings.push({
        message: `${changed.path} is changed, but GitHub uses ${file.path}, which comes first; changes to ${changed.path} have no effect`,
        path: changed.path,
        severity: "warning",
      });
    }
  }
  if (base !== null && base.file.path === file.path && base.file.content === file.content) return;
  const parsed = codeownersOf(file).parsed;
  const prefix = "in the changed CODEOWNERS: ";
  const githubErrors = facts.codeownersErrors.head;
  const warnings = [
    ...parseErrorFindings(parsed, "warning", prefix),
    ...(githubErrors?.known ? githubErrorFindings(githubErrors.value, file.path, new Set(parsed.errors.map((e) => e.line)), "warning", prefix) : []),
  ];
  out.warnings.push(...listedProblems(warnings, file.path, "warning", prefix));
}

export default defineRule({
  id: "codeowners",
  area: "ownership",
  defaultLevel: "bronze",
  subjects: ["pull", "branch"],
  description:
    "Every changed file has a code owner in a valid CODEOWNERS file (read, as GitHub does, from the base branch), and, if required, each owning line approved the change. On a branch: every file of the repository has an owner and CODEOWNERS is valid.",
  fix: "Add CODEOWNERS lines for unowned files, ask an owner of each listed line to approve, and fix invalid CODEOWNERS lines.",
  options,
  tighten: { coverage: "true-stays", approval: "true-stays", stale: { order: ["keep", "dismiss"] }, valid: "true-stays", "include-previous-paths": "true-stays" },
  needs(o: Options, subject): FactRequest[] {
    if (subject === "branch") {
      // Approval is about a change: a branch has no reviews to judge.
      if (!o.coverage && !o.valid) return [];
      return [{ kind: "codeowners" }, ...(o.coverage ? [{ kind: "tree", ref: "head" } as const] : []), ...(o.valid ? [{ kind: "codeownersErrors", ref: "base" } as const] : [])];
    }
    if (!o.coverage && !o.approval && !o.valid) return [];
    const needs: FactRequest[] = [{ kind: "codeowners" }, { kind: "files" }];
    if (o.approval) needs.push({ kind: "pull" }, { kind: "reviews" });
    if (o.valid) needs.push({ kind: "codeownersErrors", ref: "base" });
    return needs;
  },
  followUp(facts, o: Options): FactRequest[] {
    if (facts.subject.kind === "branch") return [];
    const more = tooCostlyAsNull(() => teamRequests(facts, o)) ?? [];
    if (o.valid && facts.files.known && touchedCodeownersPaths(facts.files.value).length > 0) {
      more.push({ kind: "codeowners", ref: "head" }, { kind: "codeownersErrors", ref: "head" });
    }
    return more;
  },
  evaluate(facts, o: Options): Verdict {
    const onBranch = facts.subject.kind === "branch";
    if (onBranch && !o.coverage && !o.valid) return skip("coverage and valid are turned off, and approval applies to pull requests only");
    if (!o.coverage && !o.approval && !o.valid) return skip("coverage, approval and valid are all turned off");
    if (!facts.codeowners.known) return unknown(`cannot read CODEOWNERS ${onBranch ? termsOf(facts).where : "from the base branch"}: ${facts.codeowners.reason}`);
    const base = facts.codeowners.value ? codeownersOf(facts.codeowners.value) : null;
    const out: Outcome = { failures: [], warnings: [], undecidable: [], undecidableFindings: [], passed: [], skipped: [] };
    try {
      if (o.valid) checkValid(out, facts, base);
      if (o.coverage) checkCoverage(out, facts, o, base);
      if (o.approval && !onBranch) checkApproval(out, facts, o, base);
    } catch (e) {
      if (!(e instanceof CodeownersLookupTooCostly)) throw e;
      return unknown(
        `cannot tell who owns ${e.path}: more than ${MAX_CANDIDATES_PER_LOOKUP.toLocaleString("en")} lines of ${base?.file.path ?? "CODEOWNERS"} start with a wildcard and could match it, too many to test on every change; anchor them at a directory (/src/...) or give them an extension (*.ts)`,
      );
    }
    return settleOutcome(out);
  },
});
