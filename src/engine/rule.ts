import type { z } from "zod";
import type { FactRequest, Facts, Verdict } from "./types.js";

export type Area =
  | "security"
  | "reliability"
  | "observability"
  | "ownership"
  | "incident"
  | "documentation"
  | "testing"
  | "review"
  | "hygiene";

/**
 * A rule: data plus one pure, synchronous evaluate(). The option schema is the single source of
 * truth for validation, the JSON Schema and the documentation, so every option carries
 * .describe() text and a default.
 */
/**
 * What a rule can judge: "pull" (a change: a pull request or a merge group) and "branch" (the
 * standing state of a repository at one commit, for the scorecard and the deployment gate).
 */
export type RuleSubject = "pull" | "branch";

/** The names of the default ladder, lowest first: the levels a rule can declare as its default. */
export type DefaultLevel = "bronze" | "silver" | "gold";

export interface RuleDefinition<Schema extends z.ZodType = z.ZodType> {
  /** Equals the file name, the registry key and the YAML key. */
  readonly id: string;
  readonly area: Area;
  /**
   * The level the rule belongs to when a configuration enables it without naming one: bronze for
   * the basics, silver for what a service needs to be operated, gold for the full checklist.
   * Absent, or not a level of the configured ladder: the ladder's lowest level.
   */
  readonly defaultLevel?: DefaultLevel;
  /** One sentence: what a passing pull request looks like. */
  readonly description: string;
  /**
   * The subjects the rule applies to. A rule about a change (reviews, tests, added lines) lists
   * only "pull"; a rule about the repository's state lists "branch" too, and its findings must
   * read right for both. On a subject it does not list the rule is not applicable (not run).
   */
  readonly subjects: readonly RuleSubject[];
  /**
   * The rule's own options (without level and when). Accepts an empty object, unless the rule
   * would check nothing without options: then a refine on the whole object says what to set,
   * and the loader judges it on the options merged from every extended file.
   */
  readonly options: Schema;
  /** Paths that make the rule apply when `when` is not configured (e.g. docs applies to src/**). */
  readonly defaultWhen?: readonly string[];
  /**
   * The facts evaluate() reads, as a function of the parsed options and the subject judged
   * (absent: a change). Asked only for subjects the rule lists.
   */
  needs(options: z.output<Schema>, subject?: RuleSubject): readonly FactRequest[];
  /**
   * Facts that can only be named once others are known (the teams that own changed files).
   * Pure: reads the first round's facts (`facts.subject` says what is judged), returns further requests.
   */
  followUp?(facts: Facts, options: z.output<Schema>): readonly FactRequest[];
  evaluate(facts: Facts, options: z.output<Schema>): Verdict;
  /** How to fix a failure, one line, shown in the summary table. */
  readonly fix?: string;
  /**
   * Options that name places in the repository. Inside a component of a monorepo (`components:`)
   * they are re-rooted, unless the component's own `rules:` entry writes them (then they are taken
   * as written, relative to the repository): see ComponentOption.
   */
  readonly componentOptions?: Readonly<Record<string, ComponentOption>>;
  /**
   * How a repository may change each option of this rule when an organisation baseline locks it
   * (`locked: true`): only in the direction that makes the rule more demanding. An option not
   * listed here may not be changed at all ("equal").
   */
  readonly tighten?: Readonly<Record<string, Tightening>>;
}

/**
 * How a path option is re-rooted in a component: "descriptor": the component's `descriptor` when
 * it names one, else as "root"; "root": each glob (or the one path) under the component's root
 * directory; "scope": the component's own `paths`.
 */
export type ComponentOption = "descriptor" | "root" | "scope";

/**
 * Which changes of a locked option make a rule stricter (anything else loosens it):
 * - "equal": none; the value must stay as the baseline set it (the default);
 * - "at-least" / "at-most": a number may only go up (approvals) / down;
 * - "limit": a number where lower is stricter and 0 means no limit (max-lines);
 * - "true-stays": a yes/no that is on must stay on (it may be switched on);
 * - "superset": a list may gain entries, never lose one (checks that must pass);
 * - "subset": a list may lose entries, never gain one (an allow list, exclusions);
 * - { order }: one of these values, loosest first: it may only move right;
 * - a function: returns why the proposed value loosens the baseline's, or undefined when it does not.
 */
export type Tightening =
  | "equal"
  | "at-least"
  | "at-most"
  | "limit"
  | "true-stays"
  | "superset"
  | "subset"
  | { readonly order: readonly string[] }
  | ((baseline: unknown, proposed: unknown) => string | undefined);

export type AnyRule = RuleDefinition<z.ZodType>;

export function defineRule<Schema extends z.ZodType>(rule: RuleDefinition<Schema>): RuleDefinition<Schema> {
  return rule;
}

/** Whether a rule judges this kind of subject; a rule that does not is not applicable there (not run). */
export function appliesTo(rule: Pick<AnyRule, "subjects">, subject: RuleSubject): boolean {
  return rule.subjects.includes(subject);
}

/** How a subject kind is named where a rule is shown as not applicable: "pull requests", "branches". */
export const SUBJECT_NAMES: Readonly<Record<RuleSubject, string>> = { pull: "pull requests", branch: "branches" };
