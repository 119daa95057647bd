import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs, nameMatcher } from "../src/engine/globs.js";
import { skip } from "../src/engine/types.js";
import type { CheckResult, FactRequest, Facts } from "../src/engine/types.js";
import { listed, newOutcome, settle } from "./lib/outcome.js";
import type { Outcome } from "./lib/outcome.js";

const DEFAULT_SOURCE = ["src/**", "lib/**", "app/**", "pkg/**", "internal/**", "cmd/**"];
const DEFAULT_TESTS = [
  "test/**",
  "tests/**",
  "spec/**",
  "**/__tests__/**",
  "**/*.test.*",
  "**/*.spec.*",
  "**/*_test.go",
  "**/test_*.py",
  "**/*_test.py",
  "**/*Test.java",
  "**/*_spec.rb",
];

/**
 * The bot's own check run. A `checks` pattern such as "*" would otherwise match it, and the
 * verdict would wait on (or fail because of) its own previous result forever.
 */
const OWN_CHECK = "readiness";

const options = z
  .object({
    source: globs
      .default(DEFAULT_SOURCE)
      .describe("Paths of code that needs tests: when a file matching one of these (and none of the tests globs) is added or modified, a test must change too."),
    tests: globs.default(DEFAULT_TESTS).describe("Paths that count as tests."),
    checks: globs
      .default([])
      .describe('CI checks that must succeed on the head commit: check-run or commit-status names, * matching anything (such as "ci / test (*)"). Each must have reported; neutral and skipped count as success.'),
  })
  .strict()
  .refine((o) => o.source.length === 0 || o.tests.length > 0, {
    message: "tests must list at least one glob when source lists any: otherwise no source change could ever pass",
    path: ["tests"],
  });

type Options = z.output<typeof options>;

function judgeFiles(facts: Facts, o: Options, out: Outcome): boolean {
  if (!facts.files.known) {
    out.undecidable.push(`cannot tell whether tests changed: ${facts.files.reason}`);
    return true;
  }
  const isSource = globMatcher(o.source);
  const isTest = globMatcher(o.tests);
  // Removing code needs no new test, and deleting a test is not testing the change.
  const present = facts.files.value.filter((f) => f.status !== "removed" && f.status !== "unchanged");
  const source = present.filter((f) => isSource(f.path) && !isTest(f.path)).map((f) => f.path);
  if (source.length === 0) return false;
  const tests = present.filter((f) => isTest(f.path)).map((f) => f.path);
  if (tests.length > 0) {
    out.passed.push(`${listed(source, 1)} changed with ${listed(tests, 1)}`);
  } else {
    out.findings.push({
      message: `source changed without a test change: ${listed(source)}`,
      path: source[0],
      details: [`add or update a test: a file matching ${o.tests.join(", ")}`],
    });
  }
  return true;
}

/** GitHub's own word ("timed_out", "in_progress") when it says more than the state does. */
const detailOf = (c: CheckResult): string => (c.detail && c.detail !== c.state ? ` (${c.detail})` : "");

function judgeChecks(facts: Facts, o: Options, out: Outcome): void {
  if (!facts.checks.known) {
    out.undecidable.push(`cannot see CI results: ${facts.checks.reason}`);
    return;
  }
  const results = facts.checks.value.filter((c) => c.name !== OWN_CHECK);
  for (const pattern of o.checks) {
    if (!results.some((c) => nameMatcher([pattern])(c.name))) out.waiting.push(`${pattern} has not reported on this commit yet`);
  }
  // Each result is judged once, however many patterns match it.
  const required = nameMatcher(o.checks);
  for (const check of results.filter((c) => required(c.name))) {
    switch (check.state) {
      case "failure":
        out.findings.push({ message: `${check.name} failed${detailOf(check)}`, details: check.url ? [check.url] : [] });
        break;
      case "pending":
        out.waiting.push(`${check.name}${detailOf(check)} is still running`);
        break;
      case "success":
        out.passed.push(`${check.name} passed`);
        break;
      // As branch protection reads conclusions: neutral and skipped count as passing.
      case "neutral":
      case "skipped":
        out.passed.push(`${check.name} was ${check.state}`);
        break;
    }
  }
}

export default defineRule({
  id: "tests",
  area: "testing",
  defaultLevel: "bronze",
  subjects: ["pull"],
  description: "Source changes come with test changes, and the required CI checks pass on the head commit.",
  fix: "Add or update a test for the changed code, and make the listed CI checks pass.",
  options,
  tighten: { source: "superset", tests: "subset", checks: "superset" },
  needs: (o: Options): FactRequest[] => [
    ...(o.source.length > 0 ? [{ kind: "files" } as const] : []),
    // Checks cost API calls of their own: only asked for when the repository configures them.
    ...(o.checks.length > 0 ? [{ kind: "checks" } as const] : []),
  ],
  evaluate(facts, o) {
    const out = newOutcome();
    const sourceMatters = o.source.length > 0 && judgeFiles(facts, o, out);
    if (!sourceMatters && o.checks.length === 0) {
      return skip(o.source.length === 0 ? "no source paths or checks are configured" : `no source file changed (${listed(o.source)})`);
    }
    if (!sourceMatters && o.source.length > 0) out.passed.push("no source file changed");
    if (o.checks.length > 0) judgeChecks(facts, o, out);
    return settle(out);
  },
});
