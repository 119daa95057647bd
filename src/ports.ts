/**
 * The ports the pipeline runs through: where facts come from, where verdicts go, where lines are
 * logged. The GitHub App, the CLI and tests differ only in what they plug in here.
 */
import type { FactRequest, Facts } from "./engine/types.js";
import type { Publication, PublicationView } from "./render/types.js";

export type { Annotation, CheckRunOutput, Publication, PublicationView, RenderedCheck, RenderedComment } from "./render/types.js";

/** Gathers the requested facts, each once; returns only those it was asked for. */
export interface FactsProvider {
  gather(requests: readonly FactRequest[], soFar: Facts): Promise<Partial<Facts>>;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

/** A logger that can carry bindings (pino's child): every line of a job names the job. */
export interface BindableLogger extends Logger {
  child?(bindings: Record<string, unknown>): Logger;
}

/**
 * Writes one subject's rendered verdict; chosen by the subject's kind, whose view tells the render
 * step what to produce. It receives rendered output only.
 */
export interface Publisher {
  readonly view: PublicationView;
  publish(publication: Publication): Promise<void>;
}

/**
 * What a publisher wrote for one subject at one head commit: the ids, and digests in the
 * publisher's own format (opaque to everyone else).
 */
export interface PublishedIds {
  readonly checkRunId?: number;
  readonly checkDigest?: string;
  readonly commentId?: number;
  readonly commentDigest?: string;
}

/**
 * Where a publisher finds what was published for its subject and head commit, and keeps what it
 * writes, so a restarted process or another replica updates the same check run and comment
 * without listing them and never creates a second one. `keep` merges the fields given.
 */
export interface PublicationLedger {
  recall(): Promise<PublishedIds | undefined>;
  keep(ids: PublishedIds): Promise<void>;
  /** The subject's sticky comment across head commits (a pull request's); absent: per head only. */
  readonly comment?: CommentLedger;
}

/** A sticky comment as written or found: its id and a digest of its body in the publisher's format. */
export interface CommentRecord {
  readonly id: number;
  readonly digest: string;
}

/**
 * What is known of a pull request's one sticky comment, whatever its head commit, shared by every
 * process: a re-evaluation after a push neither lists the comments again nor posts a second one.
 */
export interface CommentLedger {
  /** The comment last written or found; "none" when a listing found none since; undefined: not known. */
  recall(): Promise<CommentRecord | "none" | undefined>;
  /** Records the comment just written or found, replacing what was recorded. */
  keep(comment: CommentRecord): Promise<void>;
  /**
   * Records that a listing found no comment, only while the record is still what this ledger last
   * read (a comment another process recorded meanwhile wins).
   */
  keepNone(): Promise<void>;
}

/** The pipeline's timed steps. */
export type Phase = "config" | "facts" | "evaluate" | "publish";

/**
 * Runs one step of the pipeline and reports how long it took (src/ops/metrics.ts): the clock is
 * read there, never in the pipeline.
 */
export type PhaseTimer = <T>(phase: Phase, work: () => Promise<T>) => Promise<T>;
