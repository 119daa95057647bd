import type { Conclusion } from "../engine/evaluate.js";

/** What the renderer produces; publishers send it to GitHub as is. */
export interface Annotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: "notice" | "warning" | "failure";
  readonly message: string;
  /** At most 255 characters. */
  readonly title?: string;
}

/** A check run's output: summary and text each within GitHub's 65,535 characters. */
export interface CheckRunOutput {
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  /** All of them; the publisher sends them 50 per request. */
  readonly annotations: readonly Annotation[];
}

export interface RenderContext {
  /** Link to the check run, for the comment ("details"). */
  readonly checkRunUrl?: string;
  /** The configuration file(s) in force, shown in the footer. */
  readonly configSources?: readonly string[];
  /**
   * Markdown the app writes itself (never user text), shown above the verdict in the check run's
   * summary, e.g. the merge-queue lead; counted within the size limit, never cut.
   */
  readonly preamble?: string;
  /**
   * Markdown the app writes itself, shown instead of the verdict line: the CLI's local verdict,
   * which counts rules only GitHub can decide differently.
   */
  readonly verdict?: string;
  /**
   * Return at most this many annotations (failures first); the summary then says how many
   * findings were not annotated. Absent: all of them.
   */
  readonly maxAnnotations?: number;
}

/**
 * How a subject's verdict is shown: what the publisher chosen for the subject's kind writes. A
 * pull request gets a check run and a sticky comment; a merge group a check run on the group's
 * head only, led by the queued pull request's number.
 */
export type PublicationView =
  | { readonly kind: "pull"; readonly repository: string; readonly maxAnnotations?: number }
  | { readonly kind: "merge-group"; readonly repository: string; readonly pullNumber: number; readonly base: string; readonly maxAnnotations?: number }
  /** A branch's standing (the scorecard): a check run on the evaluated commit, no comment. */
  | { readonly kind: "branch"; readonly repository: string; readonly ref: string; readonly maxAnnotations?: number };

/** A check run's output and the verdict it shows ("pending": still in progress). */
export interface RenderedCheck {
  readonly conclusion: Conclusion;
  readonly output: CheckRunOutput;
}

export interface RenderedComment {
  /** The hidden line the sticky comment is found by. */
  readonly marker: string;
  /** Whether the comment is created when there is none; an existing one is always kept current. */
  readonly create: boolean;
  /** The body, given the check run's URL once it is published (the comment links to it). */
  readonly body: (checkRunUrl: string | undefined) => string;
}

/** Everything a publisher writes for one evaluation, rendered; no comment: none is read or written. */
export interface Publication {
  readonly check: RenderedCheck;
  readonly comment?: RenderedComment;
}
