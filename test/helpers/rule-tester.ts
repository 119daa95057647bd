/**
 * Table-driven rule tests, run through the rule's real option schema, in the spirit of a
 * linter's rule tester: `valid` cases must pass, `invalid` cases must fail with the listed
 * findings (messages matched by substring or RegExp), `skipped` / `unknown` / `pending` cases
 * must end with that status and a reason matching `reason`.
 *
 * Each case's rule sees only the facts it declares, as the pipeline gathers them: `needs` for the
 * case's options, then `followUp` on those; any other fact of the case is "not gathered". So a
 * rule that reads a fact it forgot to declare fails its table instead of passing.
 */
import { requestKey } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import type { AnyRule } from "../../src/engine/rule.js";
import { contentKey, type FactRequest, type Facts, type Finding, type RuleStatus } from "../../src/engine/types.js";

export interface ExpectedFinding {
  message: string | RegExp;
  path?: string;
  line?: number;
  severity?: Finding["severity"];
}

interface BaseCase {
  name: string;
  facts: Partial<Facts>;
  options?: unknown;
}
export interface ValidCase extends BaseCase {
  /** Findings allowed on a pass (warnings); default none. */
  findings?: ExpectedFinding[];
}
export interface InvalidCase extends BaseCase {
  findings: ExpectedFinding[];
}
export interface StatusCase extends BaseCase {
  reason: string | RegExp;
}

export interface RuleTable {
  valid?: ValidCase[];
  invalid?: InvalidCase[];
  skipped?: StatusCase[];
  unknown?: StatusCase[];
  pending?: StatusCase[];
}

/** The part of `available` that answers `requests`, the way a facts provider would hand it over. */
function gathered(available: Partial<Facts>, requests: readonly FactRequest[]): Partial<Facts> {
  const out: { -readonly [K in keyof Facts]?: Facts[K] } = {};
  const teams = new Map<string, NonNullable<ReturnType<Facts["teams"]["get"]>>>();
  const contents = new Map<string, NonNullable<ReturnType<Facts["contents"]["get"]>>>();
  const trees: { -readonly [R in keyof Facts["trees"]]: Facts["trees"][R] } = {};
  const codeownersErrors: { -readonly [R in keyof Facts["codeownersErrors"]]: Facts["codeownersErrors"][R] } = {};
  const lastCommits = new Map<string, NonNullable<ReturnType<Facts["lastCommits"]["get"]>>>();
  const treeSizes: { -readonly [R in keyof Facts["treeSizes"]]: Facts["treeSizes"][R] } = {};
  const securityAlerts: { -readonly [S in keyof Facts["securityAlerts"]]: Facts["securityAlerts"][S] } = {};
  for (const request of requests) {
    switch (request.kind) {
      case "pull":
      case "files":
      case "reviews":
      case "checks":
      case "headContentsOfUnpatched":
      case "fingerprintKey":
      case "now":
        if (available[request.kind] !== undefined) (out as Record<string, unknown>)[request.kind] = available[request.kind];
        break;
      case "codeowners":
        if ((request.ref ?? "base") === "base") {
          if (available.codeowners !== undefined) out.codeowners = available.codeowners;
        } else if (available.headCodeowners !== undefined) out.headCodeowners = available.headCodeowners;
        break;
      case "team": {
        const team = request.team.replace(/^@/, "").toLowerCase();
        const fact = available.teams?.get(team);
        if (fact) teams.set(team, fact);
        break;
      }
      case "content": {
        const key = contentKey(request.ref, request.path);
        const fact = available.contents?.get(key);
        if (fact) contents.set(key, fact);
        break;
      }
      case "tree": {
        const fact = available.trees?.[request.ref];
        if (fact) trees[request.ref] = fact;
        break;
      }
      case "codeownersErrors": {
        const fact = available.codeownersErrors?.[request.ref];
        if (fact) codeownersErrors[request.ref] = fact;
        break;
      }
      case "lastCommit": {
        const key = contentKey(request.ref, request.path);
        const fact = available.lastCommits?.get(key);
        if (fact) lastCommits.set(key, fact);
        break;
      }
      case "treeSizes": {
        const fact = available.treeSizes?.[request.ref];
        if (fact) treeSizes[request.ref] = fact;
        break;
      }
      case "securityAlerts": {
        const fact = available.securityAlerts?.[request.source];
        if (fact) securityAlerts[request.source] = fact;
        break;
      }
    }
  }
  return { ...out, teams, contents, trees, codeownersErrors, lastCommits, treeSizes, securityAlerts, ...(available.subject ? { subject: available.subject } : {}) };
}

/**
 * The snapshot `rule` gets in the pipeline when `available` is everything the world could tell:
 * the first round is what `needs(options, subject)` declares (the subject is `available.subject`, default a change), the second what `followUp` asks for then.
 */
export function declaredFacts(rule: AnyRule, options: unknown, available: Partial<Facts>): Facts {
  const subject = available.subject?.kind ?? "pull";
  if (!rule.subjects.includes(subject)) throw new Error(`rule ${rule.id} does not apply to a ${subject} subject: the engine never runs it there`);
  const first = [...rule.needs(options, subject)];
  const firstRound = makeFacts(gathered(available, first));
  const have = new Set(first.map(requestKey));
  const second = (rule.followUp?.(firstRound, options) ?? []).filter((r) => !have.has(requestKey(r)));
  return second.length === 0 ? firstRound : makeFacts(gathered(available, [...first, ...second]));
}

/** Evaluates `rule` with `options` (parsed by its schema) on the facts it declares out of `available`. */
export function runRule(rule: AnyRule, options: unknown, available: Partial<Facts>) {
  const parsed = rule.options.parse(options ?? {});
  return rule.evaluate(declaredFacts(rule, parsed, available), parsed);
}

function run(rule: AnyRule, c: BaseCase) {
  return runRule(rule, c.options, c.facts);
}

function matchText(actual: string | undefined, expected: string | RegExp): boolean {
  if (actual === undefined) return false;
  return typeof expected === "string" ? actual.includes(expected) : expected.test(actual);
}

function expectFindings(actual: readonly Finding[], expected: ExpectedFinding[]): void {
  const describeAll = () => JSON.stringify(actual, null, 2);
  if (actual.length !== expected.length) {
    throw new Error(`expected ${expected.length} finding(s), got ${actual.length}:\n${describeAll()}`);
  }
  expected.forEach((e, i) => {
    const a = actual[i]!;
    const ok =
      matchText(a.message, e.message) &&
      (e.path === undefined || a.path === e.path) &&
      (e.line === undefined || a.line === e.line) &&
      (e.severity === undefined || (a.severity ?? "failure") === e.severity);
    if (!ok) throw new Error(`finding ${i} does not match ${JSON.stringify({ ...e, message: String(e.message) })}:\n${describeAll()}`);
  });
}

function expectStatus(rule: AnyRule, c: StatusCase, status: RuleStatus): void {
  const verdict = run(rule, c);
  if (verdict.status !== status) throw new Error(`expected ${status}, got ${verdict.status}: ${JSON.stringify(verdict)}`);
  if (!matchText(verdict.reason, c.reason)) throw new Error(`reason "${verdict.reason}" does not match ${String(c.reason)}`);
}

/** Throws, saying why, unless `rule` ends `c` as the table section `section` expects. */
export function checkCase(rule: AnyRule, section: keyof RuleTable, c: ValidCase | InvalidCase | StatusCase): void {
  switch (section) {
    case "valid":
    case "invalid": {
      const expected = section === "valid" ? "pass" : "fail";
      const verdict = run(rule, c);
      if (verdict.status !== expected) throw new Error(`expected ${expected}, got ${verdict.status}: ${JSON.stringify(verdict)}`);
      expectFindings(verdict.findings, (c as ValidCase).findings ?? []);
      return;
    }
    case "skipped":
      return expectStatus(rule, c as StatusCase, "skip");
    case "unknown":
      return expectStatus(rule, c as StatusCase, "unknown");
    case "pending":
      return expectStatus(rule, c as StatusCase, "pending");
  }
}

export function ruleTester(rule: AnyRule, table: RuleTable): void {
  describe(`rule ${rule.id}`, () => {
    for (const section of ["valid", "invalid", "skipped", "unknown", "pending"] as const) {
      for (const c of table[section] ?? []) test(`${section}: ${c.name}`, () => checkCase(rule, section, c));
    }
  });
}
