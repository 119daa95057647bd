/** The vocabulary of the secret scanner: rules as data, what a scan finds, and what it skipped. */

export type SecretSeverity = "failure" | "warning";

/** Named validations in checks.ts; a rule names at most one. */
export type CheckName =
  | "github-checksum"
  | "npm-checksum"
  | "pem-body"
  | "jwt"
  | "basic-auth"
  | "url-credentials"
  | "base64-private-key"
  | "letters-and-digits"
  | "assigned-value"
  | "named-format"
  | "base64-jwt"
  | "kubernetes-secret-value";

/**
 * One built-in rule. A content rule's pattern is tried where one of its keywords occurs: the
 * match starts at the keyword, or `prefix` characters before it. Group 1, when the pattern has
 * one, is the secret; otherwise the whole match is.
 */
export interface SecretRuleSpec {
  /** Kebab-case, unique; the name used in config and output. */
  readonly id: string;
  /** Who issues the credential, as the catalogue lists it. */
  readonly provider: string;
  /** What it is, one short phrase ("classic personal access token"). */
  readonly description: string;
  readonly severity: SecretSeverity;
  /** Lower-case ASCII. */
  readonly keywords?: readonly string[];
  /** RE2 syntax that V8 reads the same way; bounded, no nested quantifiers (see pattern.ts). */
  readonly pattern?: string;
  readonly ignoreCase?: boolean;
  /**
   * The pattern is tried where the keyword ends (the keyword itself was already matched,
   * case-insensitively, by the prefilter); the finding still starts at the keyword.
   */
  readonly afterKeyword?: boolean;
  /**
   * Text every match holds, starting within `distance` characters of where the pattern starts
   * (the `@` of user:password@host, the signature inside an OpenAI key). The scanner looks for
   * it, moving forward through the text once, before running the pattern, so text without it
   * nearby costs no attempt.
   */
  readonly needs?: { readonly text: string; readonly distance: number };
  /** The match starts this many characters (of the class) before the keyword. */
  readonly prefix?: { readonly chars: string; readonly min: number; readonly max: number };
  /** Character-class body that may not touch the match on the left; default "A-Za-z0-9", null: none. */
  readonly before?: string | null;
  /** The same on the right. */
  readonly after?: string | null;
  /** At least one of these keywords must occur in the same run of added lines. */
  readonly requires?: readonly string[];
  readonly check?: CheckName;
  /** Shannon entropy per character the secret must reach (scaled down for short secrets). */
  readonly minEntropy?: number;
  /** The built-in stop-words (test, example, changeme ...) veto a match. */
  readonly stopWords?: boolean;
  /** File rules: the file itself is the secret (key stores), matched by path when added or changed. */
  readonly files?: readonly string[];
}

/** One secret found. Never holds the secret itself: only a masked preview and a keyed fingerprint. */
export interface SecretFinding {
  readonly rule: string;
  readonly provider: string;
  readonly description: string;
  readonly severity: SecretSeverity;
  readonly path: string;
  readonly line: number;
  readonly endLine?: number;
  /** At most the first 4 characters of the secret, then `…`. */
  readonly preview: string;
  /** HMAC-SHA256 of the secret, hex; the same secret gives the same fingerprint under one key. */
  readonly fingerprint: string;
  /** "warned": downgraded by an inline allow marker; "refused": marker present but forbidden by config. */
  readonly marker?: "warned" | "refused";
}

/** A file the scan did not read, and why (binary, lockfile, too large, content unavailable). */
export interface ScanNotice {
  readonly path: string;
  readonly reason: string;
}

export interface ScanReport {
  readonly findings: readonly SecretFinding[];
  /** Files deliberately not read (lockfiles, binaries) and other remarks: nothing was missed. */
  readonly notices: readonly ScanNotice[];
  /**
   * Files that add text the scan could not read (no diff and no content: over a download cap, too
   * large, unreadable). Nothing is known about them, so they cannot pass a secrets check.
   */
  readonly unscanned: readonly ScanNotice[];
  /** Files whose added text was scanned. */
  readonly scanned: number;
  /** Files left out by the `paths` allow-list. */
  readonly allowListed: number;
}

/** Consecutive added lines, joined by "\n", and the head line number of the first. */
export interface TextRun {
  readonly startLine: number;
  readonly text: string;
}
