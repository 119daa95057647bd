/**
 * The engine's vocabulary. Nothing here does I/O: facts are gathered elsewhere (src/github,
 * src/local) and handed to rules as a read-only snapshot.
 */

/** A fact is either known, or unknown with a reason a person can read ("no CI data locally"). */
export type Fact<T> =
  | { readonly known: true; readonly value: T }
  | { readonly known: false; readonly reason: string };

export const known = <T>(value: T): Fact<T> => ({ known: true, value });
export const unknownFact = <T = never>(reason: string): Fact<T> => ({ known: false, reason });

export interface PullRequestInfo {
  readonly number: number;
  readonly title: string;
  /** The description; empty string when none. */
  readonly body: string;
  /** Login of the author, as GitHub spells it. */
  readonly author: string;
  readonly draft: boolean;
  readonly labels: readonly string[];
  readonly baseRef: string;
  readonly baseSha: string;
  readonly headRef: string;
  readonly headSha: string;
  /** Built from a local checkout (the CLI): the commits may not have been pushed anywhere yet. */
  readonly local?: boolean;
  /**
   * GitHub's totals for the whole pull request (changed files, added and deleted lines), known
   * even when its file list is over GitHub's 3,000-file listing cap. Absent when the source does
   * not carry them (pull_request_review payloads, a local checkout unless the CLI fills them
   * from git).
   */
  readonly changedFiles?: number;
  readonly additions?: number;
  readonly deletions?: number;
}

export type FileStatus = "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface ChangedFile {
  /** Repository-relative path at the head (the new path for renames). */
  readonly path: string;
  readonly status: FileStatus;
  /** For renames and copies: the path at the base. */
  readonly previousPath?: string;
  readonly additions: number;
  readonly deletions: number;
  /** Unified diff hunk text; absent for binary files and diffs GitHub omits as too large. */
  readonly patch?: string;
}

/** Review state as GitHub's REST API spells it. */
export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface Review {
  readonly id: number;
  /** Login of the reviewer. */
  readonly user: string;
  readonly state: ReviewState;
  /** The commit the review was given on. */
  readonly commitId: string;
  /** ISO timestamp; reviews are given to rules in chronological order. */
  readonly submittedAt: string;
}

export type CheckState = "success" | "failure" | "pending" | "neutral" | "skipped";

/** One CI result on the head commit: a check run or a commit status, normalised. */
export interface CheckResult {
  readonly name: string;
  readonly source: "check_run" | "status";
  readonly state: CheckState;
  /** GitHub's own conclusion or status word, for messages ("timed_out", "error"). */
  readonly detail: string;
  readonly url?: string;
  /**
   * What CI wrote about the result: a commit status's description, or a check run's output title
   * and summary (joined by a line break, cut to CHECK_TEXT_LIMIT characters). Absent when empty.
   */
  readonly text?: string;
}

/** Characters of a check's text kept in the checks fact: enough for a coverage service's line. */
export const CHECK_TEXT_LIMIT = 4000;

export interface RepoFile {
  readonly path: string;
  readonly content: string;
  /**
   * Byte size, set when the content was left out for being too large to matter (a CODEOWNERS
   * file of 3 MB or more, which GitHub ignores): content is then "".
   */
  readonly size?: number;
}

export type GitRef = "base" | "head";

/**
 * What is being judged, as rules see it: a change ("pull": a pull request or a merge group) or a
 * branch (the repository's standing state at one commit, `ref` its name). Set by the pipeline,
 * never gathered: a rule that applies to both reads it to word its findings for each.
 */
export interface JudgedSubject {
  readonly kind: "pull" | "branch";
  readonly ref?: string;
}

/**
 * What a rule may ask for. Parameterised requests (a team, a file) are gathered once each
 * however many rules ask.
 */
export type FactRequest =
  | { readonly kind: "pull" }
  | { readonly kind: "files" }
  | { readonly kind: "reviews" }
  | { readonly kind: "checks" }
  /** The CODEOWNERS file at the base (the first of .github/, root, docs/ that exists). */
  | { readonly kind: "codeowners"; readonly ref?: GitRef }
  /** Members of an organisation team, "org/slug". */
  | { readonly kind: "team"; readonly team: string }
  /** One file's content at base or head. */
  | { readonly kind: "content"; readonly ref: GitRef; readonly path: string }
  /** Every path in the tree at base or head. */
  | { readonly kind: "tree"; readonly ref: GitRef }
  /** Full content at head of changed files whose patch is missing (large or binary diffs). */
  | { readonly kind: "headContentsOfUnpatched" }
  /** GitHub's own report of CODEOWNERS errors (unknown owners, bad syntax) at base or head. */
  | { readonly kind: "codeownersErrors"; readonly ref: GitRef }
  /** The deployment's key for fingerprinting findings (HMAC), never shown. */
  | { readonly kind: "fingerprintKey" }
  /** When the last commit that touched a path (file or directory) at base or head was made. */
  | { readonly kind: "lastCommit"; readonly ref: GitRef; readonly path: string }
  /** The provider's clock, read once per evaluation (rules never read the clock). */
  | { readonly kind: "now" }
  /** Human decisions on record (waivers for this subject, the repository's attestations) and the time judged at. */
  | { readonly kind: "decisions" }
  /** Byte size of every file in the tree at base or head. */
  | { readonly kind: "treeSizes"; readonly ref: GitRef }
  /** The repository's open security alerts from one of GitHub's scanners (GitHub only). */
  | { readonly kind: "securityAlerts"; readonly source: AlertSource };

/**
 * The snapshot a rule sees. A fact the rule did not declare is unknown with reason
 * "not gathered"; a rule test that forgets a need fails loudly instead of passing.
 */
export interface Facts {
  readonly pull: Fact<PullRequestInfo>;
  readonly files: Fact<readonly ChangedFile[]>;
  readonly reviews: Fact<readonly Review[]>;
  readonly checks: Fact<readonly CheckResult[]>;
  /** null inside a known fact: the repository has no CODEOWNERS file. */
  readonly codeowners: Fact<RepoFile | null>;
  readonly headCodeowners: Fact<RepoFile | null>;
  /** "org/slug" (lower case) to member logins (lower case). */
  readonly teams: ReadonlyMap<string, Fact<readonly string[]>>;
  /** Key `${ref}:${path}`; null inside a known fact: no such file. Use contentKey(). */
  readonly contents: ReadonlyMap<string, Fact<string | null>>;
  readonly trees: Readonly<Partial<Record<GitRef, Fact<readonly string[]>>>>;
  /** Path to full head content, for changed files without a patch; unknown per file when skipped. */
  readonly headContentsOfUnpatched: Fact<ReadonlyMap<string, Fact<string>>>;
  readonly codeownersErrors: Readonly<Partial<Record<GitRef, Fact<readonly CodeownersError[]>>>>;
  readonly fingerprintKey: Fact<string>;
  /**
   * Key `${ref}:${path}` (contentKey()): the committer date (ISO 8601) of the last commit that
   * touched the path, up to that ref; null inside a known fact: no commit touched it.
   */
  readonly lastCommits: ReadonlyMap<string, Fact<string | null>>;
  /** The time of the evaluation, ISO 8601, as the facts provider's clock said. */
  readonly now: Fact<string>;
  /** Path to byte size, for every file in the tree at the ref. */
  readonly treeSizes: Readonly<Partial<Record<GitRef, Fact<ReadonlyMap<string, number>>>>>;
  readonly securityAlerts: Readonly<Partial<Record<AlertSource, Fact<readonly SecurityAlert[]>>>>;
  readonly decisions: Fact<DecisionsFact>;
  /** What is judged (default a change); on a branch the "base" and "head" refs are the same commit. */
  readonly subject: JudgedSubject;
}

/** A waiver on record for the subject (not taken back by an unwaive); the engine judges expiry and pushes. */
export interface WaiverFact {
  readonly rule: string;
  /** Login of who waived it. */
  readonly by: string;
  readonly reason: string;
  /** ISO time it was given. */
  readonly at: string;
  /** ISO time it stops applying (`--for`). */
  readonly expiresAt?: string;
  /** `--until-push`: it applies only while the subject's head is this commit. */
  readonly headSha?: string;
}

/** The latest attestation of one item in the repository. */
export interface AttestationFact {
  readonly item: string;
  readonly by: string;
  readonly evidence: string;
  readonly at: string;
}

/**
 * What people decided, from the app's state store (never from anything a pull request author can
 * edit), with the clock: expiry is judged against `now`, which is a fact like any other.
 */
export interface DecisionsFact {
  /** ISO time of the evaluation. */
  readonly now: string;
  /** The subject's head commit when the decisions were read (for `--until-push`); absent for a branch. */
  readonly headSha?: string;
  readonly waivers: readonly WaiverFact[];
  readonly attestations: readonly AttestationFact[];
}

/** One entry of GitHub's CODEOWNERS error report. */
export interface CodeownersError {
  readonly line: number;
  readonly column: number;
  /** e.g. "Unknown owner", "Invalid pattern". */
  readonly kind: string;
  readonly message: string;
  readonly path: string;
}

export const contentKey = (ref: GitRef, path: string): string => `${ref}:${path}`;

export type Severity = "failure" | "warning" | "notice";

/** One thing to fix, written for the person who must fix it. Rules never format markdown. */
export interface Finding {
  readonly message: string;
  readonly path?: string;
  readonly line?: number;
  readonly endLine?: number;
  /** Default "failure". A warning never makes a rule fail by itself. */
  readonly severity?: Severity;
  /** Extra lines shown under the message (who can approve, a suggested CODEOWNERS line). */
  readonly details?: readonly string[];
}

/**
 * pass: satisfied. fail: findings say what to fix. skip: does not apply (reason says why).
 * unknown: a needed fact is missing. pending: waiting on something that will settle (CI).
 * error: the rule could not run (bad option combination, a bug).
 */
export type RuleStatus = "pass" | "fail" | "skip" | "unknown" | "pending" | "error";

export interface Verdict {
  readonly status: RuleStatus;
  readonly findings: readonly Finding[];
  /** For skip, unknown, pending and error: one sentence. For pass: optional note ("2 of 2 approvals"). */
  readonly reason?: string;
}

export const pass = (reason?: string, findings: readonly Finding[] = []): Verdict => ({ status: "pass", findings, reason });
export const fail = (findings: readonly Finding[], reason?: string): Verdict => ({ status: "fail", findings, reason });
export const skip = (reason: string): Verdict => ({ status: "skip", findings: [], reason });
export const unknown = (reason: string, findings: readonly Finding[] = []): Verdict => ({ status: "unknown", findings, reason });
export const pending = (reason: string, findings: readonly Finding[] = []): Verdict => ({ status: "pending", findings, reason });
export const error = (reason: string): Verdict => ({ status: "error", findings: [], reason });

/** GitHub's three alert lists: Dependabot, code scanning, secret scanning. */
export type AlertSource = "dependabot" | "code-scanning" | "secret-scanning";

export type AlertSeverity = "critical" | "high" | "medium" | "low";

/**
 * One open alert, reduced to what a finding shows. Never holds a secret-scanning alert's secret:
 * `title` is the secret's type ("GitHub Personal Access Token").
 */
export interface SecurityAlert {
  readonly source: AlertSource;
  readonly number: number;
  /** null: GitHub gives none (secret scanning; a code scanning rule without one). */
  readonly severity: AlertSeverity | null;
  /** ISO 8601 timestamp the alert was opened. */
  readonly createdAt: string;
  /** What it is about: advisory summary and package, rule description, or secret type. */
  readonly title: string;
  /** Manifest or file the alert points at, when GitHub names one. */
  readonly path?: string;
  readonly line?: number;
  readonly url?: string;
}
