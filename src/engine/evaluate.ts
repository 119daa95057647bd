import { appliesTo } from "./rule.js";
import type { AnyRule, Area, RuleSubject } from "./rule.js";
import { withDecisions } from "./decisions.js";
import type { AttestationItem, WaiverPolicy } from "./decisions.js";
import { globMatcher } from "./globs.js";
import type { ChangedFile, FactRequest, Facts, Finding, RuleStatus, Verdict } from "./types.js";
import { known } from "./types.js";

/** Applicability of one rule: every listed condition must hold (paths: any changed path matches). */
export interface When {
  readonly paths?: readonly string[];
  readonly labels?: readonly string[];
  readonly base?: readonly string[];
  readonly authors?: readonly string[];
}

export interface EnabledRule {
  readonly id: string;
  readonly level: string;
  readonly when?: When;
  /** Options after the rule's schema parsed them (defaults applied). */
  readonly options: unknown;
}

/** A higher level that becomes required on a day (`level: { required, from, until-then }`). */
export interface DatedTarget {
  readonly level: string;
  /** "YYYY-MM-DD": required from 00:00 UTC that day. */
  readonly from: string;
}

/** A dated target still ahead on the day of the evaluation (set by `onDate`). */
export interface UpcomingTarget extends DatedTarget {
  /** Whole days from the evaluation's day to `from` (≥ 1). */
  readonly daysLeft: number;
}

/** The configuration as the engine needs it: validated, extends merged, rules resolved. */
export interface ResolvedConfig {
  readonly levels: readonly string[];
  /** The level required to merge. */
  readonly required: string;
  readonly comment: "on-failure" | "always" | "never";
  readonly rules: readonly EnabledRule[];
  /** A dated target as configured; `onDate` turns it into `required` or `upcoming` for a day. */
  readonly target?: DatedTarget;
  /** The dated target is still ahead: advisory, shown with what it lacks. */
  readonly upcoming?: UpcomingTarget;
  /** Absent: the default policy (repository admins only, every rule waivable). */
  readonly waivers?: WaiverPolicy;
  readonly attestations?: readonly AttestationItem[];
  /** Monorepo components (`components:`), each with its own checklist; absent: none. */
  readonly components?: readonly Component[];
}

/**
 * One part of a monorepo: the files matching `paths`, judged by its own checklist (the
 * repository's rules with the component's overrides, level and re-rooted path options).
 */
export interface Component {
  readonly name: string;
  readonly paths: readonly string[];
  /** The component's service descriptor, as configured. */
  readonly descriptor?: string;
  /** The directory path options are re-rooted under ("" for the repository's root). */
  readonly root: string;
  /** Its checklist; never has components of its own. */
  readonly config: ResolvedConfig;
}

const DAY_MS = 86_400_000;

/**
 * The configuration in force on one day: a dated target whose day has come is the required level
 * (nobody edits a file); one still ahead stays advisory, with the days left. `today` is
 * "YYYY-MM-DD" (UTC) or an ISO time.
 */
export function onDate(config: ResolvedConfig, today: string): ResolvedConfig {
  if (config.components) return { ...onDate({ ...config, components: undefined }, today), components: config.components.map((c) => ({ ...c, config: onDate(c.config, today) })) };
  if (!config.target) return config;
  const { target, upcoming: _previous, ...rest } = config;
  const day = today.slice(0, 10);
  if (day >= target.from) return { ...rest, required: target.level, target };
  const daysLeft = Math.round((Date.parse(`${target.from}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / DAY_MS);
  return { ...rest, target, upcoming: { ...target, daysLeft } };
}

export { DEFAULT_WAIVER_POLICY, REPOSITORY_PERMISSIONS } from "./decisions.js";
export type { AttestationItem, RepositoryPermission, WaiverPolicy } from "./decisions.js";

export type RuleOutcome = RuleStatus | "waived";

export interface RuleResult {
  readonly id: string;
  readonly area: Area;
  readonly description: string;
  readonly level: string;
  /** At or below the required level: a failure blocks the merge. */
  readonly blocking: boolean;
  readonly status: RuleOutcome;
  readonly reason?: string;
  readonly findings: readonly Finding[];
  readonly fix?: string;
  /** The monorepo component whose checklist judged it; absent: the repository's own checklist. */
  readonly component?: string;
}

/** pending: nothing blocking failed, but a blocking rule waits on something that will settle. */
export type Conclusion = "success" | "failure" | "neutral" | "pending";

/** Progress toward a dated target still ahead. */
export interface TargetProgress extends UpcomingTarget {
  /** The level reached is at or above the target. */
  readonly met: boolean;
  /** Rules at or below the target's level that are not satisfied, in configuration order. */
  readonly missing: readonly string[];
}

export interface Evaluation {
  readonly conclusion: Conclusion;
  readonly level: {
    /** The highest level whose rules (and all below) pass; null when the lowest does not. */
    readonly reached: string | null;
    readonly required: string;
    readonly ladder: readonly string[];
    /** A dated target that is not yet required (advisory until its day). */
    readonly target?: TargetProgress;
  };
  readonly rules: readonly RuleResult[];
  /** Set when the evaluation did not finish (it ran past its time budget): why, in one line. */
  readonly interrupted?: string;
  /** What was judged: a change (absent) or a branch. */
  readonly subject?: RuleSubject;
  /**
   * Enabled rules that do not apply to the subject (a rule about a change, on a branch): not run,
   * not in `rules`, not counted for the level; listed so a page can say they were left out.
   */
  readonly notApplicable?: readonly string[];
  /**
   * With `components:`: each component judged (those a change touches; every one on a branch),
   * in configuration order. Their rules are in `rules`, tagged with the component's name.
   */
  readonly components?: readonly ComponentVerdict[];
  /** With `components:`: whether the repository's own checklist judged this subject, and why not. */
  readonly repositoryPart?: RepositoryPart;
}

/** One component's result: its own level and conclusion. */
export interface ComponentVerdict {
  readonly name: string;
  readonly paths: readonly string[];
  readonly conclusion: Conclusion;
  readonly level: { readonly reached: string | null; readonly required: string; readonly ladder: readonly string[] };
  /** Changed files of the component (a change whose files are known); absent on a branch. */
  readonly files?: number;
}

/** The repository's own checklist next to components: it judges the files in no component. */
export interface RepositoryPart {
  readonly judged: boolean;
  readonly conclusion?: Conclusion;
  readonly level?: { readonly reached: string | null; readonly required: string };
  /** Changed files in no component (a change whose files are known). */
  readonly files?: number;
}

export type Registry = ReadonlyMap<string, AnyRule>;

const SATISFIED: ReadonlySet<RuleOutcome> = new Set(["pass", "skip", "waived"]);
const BLOCKING_FAILURES: ReadonlySet<RuleOutcome> = new Set(["fail", "unknown", "error"]);

function ruleOf(registry: Registry, id: string): AnyRule {
  const rule = registry.get(id);
  if (!rule) throw new Error(`rule "${id}" is not registered`);
  return rule;
}

/**
 * On a change, `when.paths` reads the changed files and the other conditions the pull request.
 * On a branch, `paths` reads the tree (the rule applies when the repository has a matching file),
 * `base` is matched against the branch itself, and labels and authors (properties of a change)
 * leave the rule skipped.
 */
function whenNeeds(when: When | undefined, subject: RuleSubject): FactRequest[] {
  if (!when) return [];
  const needs: FactRequest[] = [];
  if (subject === "branch") {
    if (when.paths) needs.push({ kind: "tree", ref: "head" });
    return needs;
  }
  if (when.paths) needs.push({ kind: "files" });
  if (when.labels || when.base || when.authors) needs.push({ kind: "pull" });
  return needs;
}

function effectiveWhen(rule: AnyRule, enabled: EnabledRule): When | undefined {
  if (enabled.when) return enabled.when;
  return rule.defaultWhen ? { paths: rule.defaultWhen } : undefined;
}

/** Stable identity of a request, so each fact is gathered once however many rules ask. */
export function requestKey(request: FactRequest): string {
  switch (request.kind) {
    case "team":
      return `team:${request.team.toLowerCase()}`;
    case "content":
      return `content:${request.ref}:${request.path}`;
    case "tree":
      return `tree:${request.ref}`;
    case "codeowners":
      return `codeowners:${request.ref ?? "base"}`;
    case "codeownersErrors":
      return `codeownersErrors:${request.ref}`;
    case "lastCommit":
      return `lastCommit:${request.ref}:${request.path}`;
    case "treeSizes":
      return `treeSizes:${request.ref}`;
    case "securityAlerts":
      return `securityAlerts:${request.source}`;
    default:
      return request.kind;
  }
}

export function dedupeRequests(requests: Iterable<FactRequest>): FactRequest[] {
  const byKey = new Map<string, FactRequest>();
  for (const r of requests) if (!byKey.has(requestKey(r))) byKey.set(requestKey(r), r);
  return [...byKey.values()];
}

/** The first round of facts the enabled rules that apply to the subject (and their `when` conditions) need. */
export function planFacts(config: ResolvedConfig, registry: Registry, subject: RuleSubject = "pull"): FactRequest[] {
  const all: FactRequest[] = [];
  for (const enabled of config.rules) {
    const rule = ruleOf(registry, enabled.id);
    if (!appliesTo(rule, subject)) continue;
    all.push(...whenNeeds(effectiveWhen(rule, enabled), subject), ...rule.needs(enabled.options, subject));
  }
  // Waivers may apply to any rule of a change, and attestation items are judged from the same
  // record; a branch has no waivers, so it reads decisions only for its attestation items.
  if (subject !== "branch" || (config.attestations?.length ?? 0) > 0) all.push({ kind: "decisions" });
  // Which components a change touches is read from its changed files.
  if (subject === "pull" && (config.components?.length ?? 0) > 0) all.push({ kind: "files" });
  for (const component of config.components ?? []) all.push(...planFacts(component.config, registry, subject));
  return dedupeRequests(all);
}

/** The second round: requests that depend on first-round facts, minus what is already planned. */
export function planFollowUp(config: ResolvedConfig, registry: Registry, facts: Facts, already: readonly FactRequest[]): FactRequest[] {
  const have = new Set(already.map(requestKey));
  const more: FactRequest[] = [];
  for (const enabled of config.rules) {
    const rule = ruleOf(registry, enabled.id);
    if (!appliesTo(rule, facts.subject.kind)) continue;
    if (rule.followUp) more.push(...rule.followUp(facts, enabled.options));
  }
  for (const component of config.components ?? []) more.push(...planFollowUp(component.config, registry, facts, already));
  return dedupeRequests(more).filter((r) => !have.has(requestKey(r)));
}

/** Whether a rule applies; a reason when it does not, or a verdict when that cannot be known. */
function applicability(when: When | undefined, facts: Facts): Verdict | null {
  if (!when) return null;
  if (facts.subject.kind === "branch") return branchApplicability(when, facts);
  if (when.paths) {
    if (!facts.files.known) return { status: "unknown", findings: [], reason: `cannot tell whether the rule applies: ${facts.files.reason}` };
    const match = globMatcher(when.paths);
    if (!facts.files.value.some((f) => match(f.path) || (f.previousPath !== undefined && match(f.previousPath)))) {
      return { status: "skip", findings: [], reason: `no changed file matches ${when.paths.join(", ")}` };
    }
  }
  if (when.labels || when.base || when.authors) {
    if (!facts.pull.known) return { status: "unknown", findings: [], reason: `cannot tell whether the rule applies: ${facts.pull.reason}` };
    const pull = facts.pull.value;
    if (when.labels && !pull.labels.some((l) => when.labels!.includes(l))) {
      return { status: "skip", findings: [], reason: `the pull request has none of the labels ${when.labels.join(", ")}` };
    }
    if (when.base && !globMatcher(when.base)(pull.baseRef)) {
      return { status: "skip", findings: [], reason: `the base branch ${pull.baseRef} is not one of ${when.base.join(", ")}` };
    }
    if (when.authors && !when.authors.some((a) => a.toLowerCase() === pull.author.toLowerCase())) {
      return { status: "skip", findings: [], reason: `the author ${pull.author} is not one of ${when.authors.join(", ")}` };
    }
  }
  return null;
}

function branchApplicability(when: When, facts: Facts): Verdict | null {
  if (when.labels || when.authors) {
    const by = [when.labels ? `labels ${when.labels.join(", ")}` : "", when.authors ? `authors ${when.authors.join(", ")}` : ""].filter(Boolean).join(" and ");
    return { status: "skip", findings: [], reason: `configured for pull requests with ${by}, which a branch does not have` };
  }
  const ref = facts.subject.ref;
  if (when.base && ref !== undefined && !globMatcher(when.base)(ref)) {
    return { status: "skip", findings: [], reason: `the branch ${ref} is not one of ${when.base.join(", ")}` };
  }
  if (when.paths) {
    const tree = facts.trees.head;
    if (!tree?.known) return { status: "unknown", findings: [], reason: `cannot tell whether the rule applies: ${tree ? tree.reason : "the file tree was not gathered"}` };
    const match = globMatcher(when.paths);
    if (!tree.value.some((path) => match(path))) return { status: "skip", findings: [], reason: `no file of the repository matches ${when.paths.join(", ")}` };
  }
  return null;
}

function runRule(rule: AnyRule, enabled: EnabledRule, facts: Facts): Verdict {
  const notApplicable = applicability(effectiveWhen(rule, enabled), facts);
  if (notApplicable) return notApplicable;
  try {
    const verdict = rule.evaluate(facts, enabled.options);
    // A failing verdict made only of warnings is a pass with warnings: warnings never block.
    if (verdict.status === "fail" && verdict.findings.length > 0 && verdict.findings.every((f) => f.severity === "warning" || f.severity === "notice")) {
      return { ...verdict, status: "pass" };
    }
    return verdict;
  } catch (e) {
    // The message is not shown: it may quote what the rule was reading (a patch, a description).
    const kind = e instanceof Error && /^[A-Za-z]{1,40}$/.test(e.name) ? e.name : "an exception";
    return { status: "error", findings: [], reason: `the rule crashed with ${kind} (a bug in readiness-bot: please report it)` };
  }
}

/** The enabled rules that judge this subject, and the ids of those that do not. */
function splitApplicable(config: ResolvedConfig, registry: Registry, subject: RuleSubject): { applicable: EnabledRule[]; notApplicable: string[] } {
  const applicable = config.rules.filter((enabled) => appliesTo(ruleOf(registry, enabled.id), subject));
  const notApplicable = config.rules.filter((enabled) => !applicable.includes(enabled)).map((enabled) => enabled.id);
  return { applicable, notApplicable };
}

/** The fields an evaluation of a branch adds; nothing for a change (its shape is unchanged). */
function subjectFields(subject: RuleSubject, notApplicable: readonly string[]): Pick<Evaluation, "subject" | "notApplicable"> {
  return subject === "pull" ? {} : { subject, notApplicable };
}

export function evaluate(config: ResolvedConfig, facts: Facts, registry: Registry): Evaluation {
  if (config.components && config.components.length > 0) return evaluateParts(config, config.components, facts, registry);
  const ladder = config.levels;
  const requiredIndex = ladder.indexOf(config.required);
  const subject = facts.subject.kind;
  const { applicable, notApplicable } = splitApplicable(config, registry, subject);
  const judged: RuleResult[] = applicable.map((enabled) => {
    const rule = ruleOf(registry, enabled.id);
    const verdict = runRule(rule, enabled, facts);
    return {
      id: rule.id,
      area: rule.area,
      description: rule.description,
      level: enabled.level,
      blocking: ladder.indexOf(enabled.level) <= requiredIndex,
      status: verdict.status,
      reason: verdict.reason,
      findings: verdict.findings,
      fix: rule.fix,
    };
  });
  const results: RuleResult[] = withDecisions(judged, config, facts);

  let reached: string | null = null;
  for (const [index, name] of ladder.entries()) {
    const atOrBelow = results.filter((r) => ladder.indexOf(r.level) <= index);
    if (!atOrBelow.every((r) => SATISFIED.has(r.status))) break;
    reached = name;
  }

  const blocking = results.filter((r) => r.blocking);
  let conclusion: Conclusion;
  if (blocking.some((r) => BLOCKING_FAILURES.has(r.status))) conclusion = "failure";
  else if (blocking.some((r) => r.status === "pending")) conclusion = "pending";
  else if (results.some((r) => !SATISFIED.has(r.status))) conclusion = "neutral";
  else conclusion = "success";

  const target = config.upcoming ? targetProgress(config.upcoming, ladder, reached, results) : undefined;
  return {
    conclusion,
    level: { reached, required: config.required, ladder, ...(target ? { target } : {}) },
    rules: results,
    ...subjectFields(subject, notApplicable),
  };
}

function targetProgress(upcoming: UpcomingTarget, ladder: readonly string[], reached: string | null, results: readonly RuleResult[]): TargetProgress {
  const targetIndex = ladder.indexOf(upcoming.level);
  const met = reached !== null && ladder.indexOf(reached) >= targetIndex;
  const missing = results.filter((r) => ladder.indexOf(r.level) <= targetIndex && !SATISFIED.has(r.status)).map((r) => r.id);
  return { ...upcoming, met, missing };
}

/**
 * The verdict of an evaluation that did not finish: it fails, every enabled rule is an error
 * (the one that was running, if known, says so), and `interrupted` carries the reason.
 */
export function interruptedEvaluation(config: ResolvedConfig, registry: Registry, interrupted: string, runningRule?: string, subject: RuleSubject = "pull"): Evaluation {
  const requiredIndex = config.levels.indexOf(config.required);
  const { applicable, notApplicable } = splitApplicable(config, registry, subject);
  const rules: RuleResult[] = applicable.map((enabled) => {
    const rule = ruleOf(registry, enabled.id);
    return {
      id: enabled.id,
      area: rule.area,
      description: rule.description,
      level: enabled.level,
      blocking: config.levels.indexOf(enabled.level) <= requiredIndex,
      status: "error",
      reason: enabled.id === runningRule ? `${interrupted} while this rule ran` : `not judged: ${interrupted}${runningRule ? ` (while ${runningRule} ran)` : ""}`,
      findings: [],
      fix: rule.fix,
    };
  });
  return { conclusion: "failure", level: { reached: null, required: config.required, ladder: config.levels }, rules, interrupted, ...subjectFields(subject, notApplicable) };
}

const CONCLUSION_RANK: Readonly<Record<Conclusion, number>> = { failure: 3, pending: 2, neutral: 1, success: 0 };

/**
 * A monorepo's subject, judged part by part. On a change, each component whose paths a changed
 * file matches is judged by its own checklist, seeing only its own changed files; the repository's
 * checklist judges the files in no component (and a change that touches no component at all). A
 * file several components match belongs to each. When the changed files cannot be listed, every
 * part is judged (nothing escapes its checklist). On a branch every part is judged. The verdict is
 * the worst part's; the level reached is the lowest part's.
 */
function evaluateParts(config: ResolvedConfig, components: readonly Component[], facts: Facts, registry: Registry): Evaluation {
  const { components: _components, ...repositoryConfig } = config;
  const byPart = (paths: readonly string[]) => globMatcher(paths);
  const judged: { component?: Component; evaluation: Evaluation; files?: number }[] = [];
  const filesKnown = facts.subject.kind === "pull" && facts.files.known;
  if (facts.subject.kind === "pull" && facts.files.known) {
    const files = facts.files.value;
    const inComponent = new Set<string>();
    const touches = (match: (path: string) => boolean, f: ChangedFile) => match(f.path) || (f.previousPath !== undefined && match(f.previousPath));
    for (const component of components) {
      const match = byPart(component.paths);
      const own = files.filter((f) => touches(match, f));
      if (own.length === 0) continue;
      for (const f of own) inComponent.add(f.path);
      judged.push({ component, evaluation: evaluate(component.config, { ...facts, files: known(own) }, registry), files: own.length });
    }
    const rest = files.filter((f) => !inComponent.has(f.path));
    if (rest.length > 0 || judged.length === 0) judged.unshift({ evaluation: evaluate(repositoryConfig, { ...facts, files: known(rest) }, registry), files: rest.length });
  } else {
    judged.push({ evaluation: evaluate(repositoryConfig, facts, registry) });
    for (const component of components) judged.push({ component, evaluation: evaluate(component.config, facts, registry) });
  }
  const repository = judged.find((part) => !part.component);
  const ladder = config.levels;
  const lowest = judged.reduce<string | null | undefined>((low, part) => {
    const reached = part.evaluation.level.reached;
    if (low === undefined) return reached;
    if (low === null || reached === null) return null;
    return ladder.indexOf(reached) < ladder.indexOf(low) ? reached : low;
  }, undefined);
  const conclusion = judged.map((part) => part.evaluation.conclusion).reduce((worst, next) => (CONCLUSION_RANK[next] > CONCLUSION_RANK[worst] ? next : worst), "success" as Conclusion);
  const rules = judged.flatMap((part) => (part.component ? part.evaluation.rules.map((rule) => ({ ...rule, component: part.component!.name })) : part.evaluation.rules));
  const target = repository?.evaluation.level.target;
  const first = repository?.evaluation ?? judged[0]!.evaluation;
  return {
    conclusion,
    level: { reached: lowest ?? null, required: config.required, ladder, ...(target ? { target } : {}) },
    rules,
    ...subjectFields(facts.subject.kind, first.notApplicable ?? []),
    components: judged.flatMap((part) =>
      part.component
        ? [{ name: part.component.name, paths: part.component.paths, conclusion: part.evaluation.conclusion, level: { reached: part.evaluation.level.reached, required: part.component.config.required, ladder }, ...(filesKnown ? { files: part.files! } : {}) }]
        : [],
    ),
    repositoryPart: repository
      ? { judged: true, conclusion: repository.evaluation.conclusion, level: { reached: repository.evaluation.level.reached, required: config.required }, ...(filesKnown ? { files: repository.files! } : {}) }
      : { judged: false, files: 0 },
  };
}
