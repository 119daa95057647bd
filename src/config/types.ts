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

/** A configuration file's text. */
export interface ConfigFile {
  readonly content: string;
  readonly origin: ConfigOrigin;
}

/**
 * A configuration file that exists but is not usable as one (too large, not text, not a file):
 * the configuration is invalid for that reason, like any other error in it.
 */
export interface RefusedConfigFile {
  readonly origin: ConfigOrigin;
  /** Why, for the person who must fix it, e.g. "the file is too large (2000000 bytes, limit 1048576 bytes)". */
  readonly refused: string;
}

/**
 * Reads configuration files for the loader. `org` reads from the organisation's `.github`
 * repository (at its default branch); `repo` reads the repository at the pull request's BASE.
 * Returns null when the file does not exist.
 */
export interface ConfigFileReader {
  read(place: "repo" | "org", path: string): Promise<ConfigFile | RefusedConfigFile | null>;
}

/** Who an alert names: the CODEOWNERS root owners, nobody, or these @users and @org/teams. */
export type Recipients = "codeowners" | "none" | readonly string[];

/** `alerts:` resolved: what happens when the default branch's level changes. */
export interface AlertSettings {
  /** Off when the configuration says `alerts: off`, or when no file sets `level` (nobody asked to be held to one). */
  readonly enabled: boolean;
  readonly issue: boolean;
  readonly labels: readonly string[];
  readonly mention: Recipients;
  readonly assign: Recipients;
  readonly announceRises: boolean;
  /** The environment variable naming the chat webhook; undefined: READINESS_CHAT_WEBHOOK_URL. */
  readonly chatWebhookEnv?: string;
}

/** One `environments:` entry: deployments to environments matching `pattern` must reach `level`. */
export interface EnvironmentLevel {
  readonly pattern: string;
  readonly level: string;
}

/** What a repository's configuration says beyond the checklist: alerts and the deployment gate. */
export interface RepositorySettings {
  readonly alerts: AlertSettings;
  /** In file order; the first matching pattern decides. */
  readonly environments: readonly EnvironmentLevel[];
}

export type ConfigLoadResult =
  | { readonly kind: "none"; readonly looked: readonly string[] }
  | { readonly kind: "invalid"; readonly origin: ConfigOrigin; readonly errors: readonly ConfigError[] }
  | { readonly kind: "ok"; readonly config: ResolvedConfig; readonly origins: readonly ConfigOrigin[]; readonly settings: RepositorySettings };
