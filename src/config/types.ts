import type { ResolvedConfig } from "../engine/evaluate.js";

/** Where a configuration file was read from, for messages and annotations. */
export interface ConfigOrigin {
  /** "owner/repo" or "local" for the CLI. */
  readonly repository: string;
  readonly path: string;
  /** The ref it was read at (the base branch name or sha). */
  readonly ref?: string;
}

/** One problem with a configuration file, positioned so a person can go straight to it. */
export interface ConfigError {
  readonly origin: ConfigOrigin;
  /** 1-based; the line of the offending key or value. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** Dotted location in the document, e.g. "rules.reviews.approvals". */
  readonly keyPath: string;
  /** What is wrong and what is expected, e.g. `expected a whole number ≥ 0, got "two"`. */
  readonly message: string;
}

/**
 * Thrown by a reader for a configuration file that exists but cannot be one (a directory, over
 * the size limit, not text): the loader reports it as an invalid configuration, on line 1 of
 * that file, so the pull request gets a failing check that says what to change. Any other
 * error a reader throws is a failure to read, to be retried.
 */
export class ConfigFileRefused extends Error {
  constructor(
    readonly origin: ConfigOrigin,
    message: string,
  ) {
    super(message);
    this.name = "ConfigFileRefused";
  }
}

/**
 * Reads configuration files for the loader. `org` reads from the organisation's `.github`
 * repository (at its default branch); `repo` reads the repository at the pull request's BASE.
 * Returns null when the file does not exist.
 */
export interface ConfigFileReader {
  read(place: "repo" | "org", path: string): Promise<{ content: string; origin: ConfigOrigin } | null>;
}

export type ConfigLoadResult =
  | { readonly kind: "none"; readonly looked: readonly string[] }
  | { readonly kind: "invalid"; readonly origin: ConfigOrigin; readonly errors: readonly ConfigError[] }
  | { readonly kind: "ok"; readonly config: ResolvedConfig; readonly origins: readonly ConfigOrigin[] };
