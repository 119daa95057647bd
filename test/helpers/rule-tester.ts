/**
 * Table-driven rule tests, run through the rule's real option schema, in the spirit of a
 * linter's rule tester: `valid` cases must pass, `invalid` cases must fail with the listed
 * findings (messages matched by substring or RegExp), `skipped` / `unknown` / `pending` cases
 * must end with that status and a reason matching `reason`.
 */
import { makeFacts } from "../../src/engine/facts.js";
import type { AnyRule } from "../../src/engine/rule.js";
import type { Facts, Finding, RuleStatus } from "../../src/engine/types.js";

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

function run(rule: AnyRule, c: BaseCase) {
  const options = rule.options.parse(c.options ?? {});
  const facts = makeFacts(c.facts);
  return rule.evaluate(facts, options);
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

export function ruleTester(rule: AnyRule, table: RuleTable): void {
  describe(`rule ${rule.id}`, () => {
    for (const c of table.valid ?? []) {
      test(`valid: ${c.name}`, () => {
        const verdict = run(rule, c);
        if (verdict.status !== "pass") throw new Error(`expected pass, got ${verdict.status}: ${JSON.stringify(verdict)}`);
        expectFindings(verdict.findings, c.findings ?? []);
      });
    }
    for (const c of table.invalid ?? []) {
      test(`invalid: ${c.name}`, () => {
        const verdict = run(rule, c);
        if (verdict.status !== "fail") throw new Error(`expected fail, got ${verdict.status}: ${JSON.stringify(verdict)}`);
        expectFindings(verdict.findings, c.findings);
      });
    }
    for (const c of table.skipped ?? []) test(`skipped: ${c.name}`, () => expectStatus(rule, c, "skip"));
    for (const c of table.unknown ?? []) test(`unknown: ${c.name}`, () => expectStatus(rule, c, "unknown"));
    for (const c of table.pending ?? []) test(`pending: ${c.name}`, () => expectStatus(rule, c, "pending"));
  });
}
