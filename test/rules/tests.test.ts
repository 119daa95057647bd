import tests from "../../rules/tests.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { CheckResult, CheckState, Facts } from "../../src/engine/types.js";
import { changed, changedFile } from "../helpers/facts.js";
import { ruleTester } from "../helpers/rule-tester.js";

const check = (name: string, state: CheckState, over: Partial<CheckResult> = {}): CheckResult => ({
  name,
  source: "check_run",
  state,
  detail: state,
  ...over,
});
const ci = (...results: CheckResult[]): Partial<Facts> => ({ checks: known(results) });

ruleTester(tests, {
  valid: [
    { name: "source and a test changed", facts: changed("src/cart.ts", "test/cart.test.ts") },
    { name: "a colocated test counts", facts: changed("src/cart.ts", "src/cart.test.ts") },
    { name: "a Go test next to the code", facts: changed("internal/cart/cart.go", "internal/cart/cart_test.go") },
    { name: "a Python test module", facts: changed("app/cart.py", "tests/test_cart.py") },
    { name: "a __tests__ directory", facts: changed("lib/cart.js", "lib/__tests__/cart.js") },
    { name: "a renamed test counts", facts: changed("src/cart.ts", { ...changedFile("test/basket.test.ts", "renamed"), previousPath: "test/cart.test.ts" }) },
    {
      name: "only tests changed, with checks configured: the checks decide",
      options: { checks: ["ci / test"] },
      facts: { ...changed("test/cart.test.ts"), ...ci(check("ci / test", "success")) },
    },
    { name: "custom globs: the configured test directory", options: { source: "server/**", tests: ["qa/**"] }, facts: changed("server/cart.rb", "qa/cart_check.rb") },
    {
      name: "a required check succeeded",
      options: { checks: ["ci / build"] },
      facts: { ...changed("src/cart.ts", "test/cart.test.ts"), ...ci(check("ci / build", "success")) },
    },
    {
      name: "neutral and skipped count as passing",
      options: { checks: ["lint", "deploy preview"] },
      facts: { ...changed("README.md"), ...ci(check("lint", "neutral"), check("deploy preview", "skipped")) },
    },
    {
      name: "a commit status satisfies a check name like a check run does",
      options: { checks: ["ci/circleci: build"] },
      facts: { ...changed("README.md"), ...ci(check("ci/circleci: build", "success", { source: "status" })) },
    },
    {
      name: "a glob check name matched by every matrix job, all green",
      options: { checks: ["ci / test (*)"] },
      facts: { ...changed("docs/x.md"), ...ci(check("ci / test (node 20)", "success"), check("ci / test (node 22)", "success"), check("ci / lint", "failure")) },
    },
    {
      name: "the bot's own check never counts, even under a catch-all pattern",
      options: { checks: ["*"] },
      facts: { ...changed("docs/x.md"), ...ci(check("readiness", "failure"), check("ci", "success")) },
    },
  ],
  invalid: [
    {
      name: "source changed, no test did",
      facts: changed("src/cart.ts", "README.md"),
      findings: [{ message: "source changed without a test change: src/cart.ts", path: "src/cart.ts" }],
    },
    {
      name: "many source files are summarised",
      facts: changed("src/a.ts", "src/b.ts", "src/c.ts", "src/d.ts", "src/e.ts"),
      findings: [{ message: "source changed without a test change: src/a.ts, src/b.ts, src/c.ts and 2 more", path: "src/a.ts" }],
    },
    {
      name: "a removed test does not test the change",
      facts: changed("src/cart.ts", changedFile("test/cart.test.ts", "removed")),
      findings: [{ message: "source changed without a test change: src/cart.ts" }],
    },
    {
      name: "an added source file needs a test",
      facts: changed(changedFile("pkg/cart/cart.go", "added")),
      findings: [{ message: "pkg/cart/cart.go", path: "pkg/cart/cart.go" }],
    },
    {
      name: "custom globs: a default test location no longer counts",
      options: { source: ["server/**"], tests: ["qa/**"] },
      facts: changed("server/cart.rb", "test/cart_test.rb"),
      findings: [{ message: "server/cart.rb" }],
    },
    {
      name: "a failed check is named with GitHub's own word for it",
      options: { checks: ["ci / build"] },
      facts: { ...changed("src/cart.ts", "test/cart.test.ts"), ...ci(check("ci / build", "failure", { detail: "timed_out", url: "https://ci.example/run/9" })) },
      findings: [{ message: "ci / build failed (timed_out)" }],
    },
    {
      name: "a failed commit status",
      options: { checks: ["ci/jenkins"] },
      facts: { ...changed("docs/x.md"), ...ci(check("ci/jenkins", "failure", { source: "status", detail: "error" })) },
      findings: [{ message: "ci/jenkins failed (error)" }],
    },
    {
      name: "one failed matrix job fails a glob pattern",
      options: { checks: ["ci / test (*)"] },
      facts: { ...changed("docs/x.md"), ...ci(check("ci / test (node 20)", "success"), check("ci / test (node 22)", "failure")) },
      findings: [{ message: /^ci \/ test \(node 22\) failed$/ }],
    },
    {
      name: "a failure wins over a check still running",
      options: { checks: ["ci / build", "ci / e2e"] },
      facts: { ...changed("docs/x.md"), ...ci(check("ci / build", "failure"), check("ci / e2e", "pending", { detail: "in_progress" })) },
      findings: [{ message: "ci / build failed" }],
    },
    {
      name: "a missing test wins over checks not reported yet",
      options: { checks: ["ci / build"] },
      facts: { ...changed("src/cart.ts"), ...ci() },
      findings: [{ message: "source changed without a test change" }],
    },
    {
      name: "a missing test is reported when CI cannot be seen, with CI as a notice",
      options: { checks: ["ci / build"] },
      facts: { ...changed("src/cart.ts"), checks: unknownFact("no CI data in a local checkout") },
      findings: [{ message: "source changed without a test change" }, { message: "cannot see CI results: no CI data in a local checkout", severity: "notice" }],
    },
  ],
  skipped: [
    { name: "only documentation changed", facts: changed("README.md", "docs/guide.md"), reason: "no source file changed" },
    { name: "only tests changed, no checks configured", facts: changed("test/cart.test.ts", "src/cart.spec.ts"), reason: "no source file changed" },
    { name: "removing source needs no test", facts: changed(changedFile("src/legacy.ts", "removed")), reason: "no source file changed" },
    { name: "a source-looking file under a custom test glob is a test", options: { tests: ["src/fixtures/**"] }, facts: changed("src/fixtures/cart.json"), reason: "no source file changed" },
  ],
  pending: [
    {
      name: "a required check is still running",
      options: { checks: ["ci / build"] },
      facts: { ...changed("src/cart.ts", "test/cart.test.ts"), ...ci(check("ci / build", "pending", { detail: "in_progress" })) },
      reason: "ci / build (in_progress) is still running",
    },
    {
      name: "a required check has not reported on this commit",
      options: { checks: ["ci / build", "ci / lint"] },
      facts: { ...changed("docs/x.md"), ...ci(check("ci / lint", "success")) },
      reason: "ci / build has not reported on this commit yet",
    },
    {
      name: "a glob pattern nothing matches yet",
      options: { checks: ["ci / test (*)"] },
      facts: { ...changed("docs/x.md"), ...ci(check("ci / lint", "success")) },
      reason: "ci / test (*) has not reported on this commit yet",
    },
    {
      name: "a pending commit status",
      options: { checks: ["ci/jenkins"] },
      facts: { ...changed("docs/x.md"), ...ci(check("ci/jenkins", "pending", { source: "status" })) },
      reason: /^ci\/jenkins is still running$/,
    },
  ],
  unknown: [
    {
      name: "checks are unknown",
      options: { checks: ["ci / build"] },
      facts: { ...changed("src/cart.ts", "test/cart.test.ts"), checks: unknownFact("no CI data in a local checkout") },
      reason: "cannot see CI results: no CI data in a local checkout",
    },
    {
      name: "the changed files are unknown",
      facts: { files: unknownFact("the pull request changes more than 3000 files") },
      reason: "cannot tell whether tests changed: the pull request changes more than 3000 files",
    },
    {
      name: "unknown files outweigh a check still running",
      options: { checks: ["ci / build"] },
      facts: { files: unknownFact("too many files"), ...ci(check("ci / build", "pending")) },
      reason: "too many files",
    },
  ],
});

describe("tests: what the developer reads", () => {
  const run = (options: unknown, partial: Partial<Facts>) => tests.evaluate(makeFacts(partial), tests.options.parse(options));

  test("a failed check links to its run", () => {
    const verdict = run({ checks: "ci / build" }, { ...changed("docs/x.md"), ...ci(check("ci / build", "failure", { url: "https://ci.example/run/9" })) });
    expect(verdict.findings).toEqual([{ message: "ci / build failed", details: ["https://ci.example/run/9"] }]);
  });

  test("a missing test says what counts as a test", () => {
    const verdict = run({ tests: ["qa/**", "**/*.check.ts"] }, changed("src/cart.ts"));
    expect(verdict.findings[0]?.details).toEqual(["add or update a test: a file matching qa/**, **/*.check.ts"]);
  });

  test("a check matched by two patterns is reported once", () => {
    const verdict = run({ checks: ["ci / *", "ci / build"] }, { ...changed("docs/x.md"), ...ci(check("ci / build", "failure"), check("ci / lint", "success")) });
    expect(verdict.findings).toEqual([{ message: "ci / build failed", details: [] }]);
  });

  test("everything still running is listed", () => {
    const verdict = run({ checks: ["ci / build", "ci / e2e"] }, { ...changed("docs/x.md"), ...ci(check("ci / e2e", "pending", { detail: "queued" })) });
    expect(verdict.reason).toBe("ci / build has not reported on this commit yet; ci / e2e (queued) is still running");
  });

  test("a pass says what satisfied it", () => {
    const verdict = run({ checks: ["ci / build"] }, { ...changed("src/cart.ts", "test/cart.test.ts"), ...ci(check("ci / build", "success")) });
    expect(verdict.reason).toBe("src/cart.ts changed with test/cart.test.ts; ci / build passed");
    expect(run({ checks: ["ci / *"] }, { ...changed("README.md"), ...ci(check("ci / lint", "skipped")) }).reason).toBe("no source file changed; ci / lint was skipped");
  });
});

describe("tests: facts and options", () => {
  test("needs only the changed files unless checks are configured", () => {
    expect(tests.needs(tests.options.parse({}))).toEqual([{ kind: "files" }]);
    expect(tests.needs(tests.options.parse({ checks: ["ci / build"] }))).toEqual([{ kind: "files" }, { kind: "checks" }]);
    expect(tests.needs(tests.options.parse({ source: [], checks: ["ci / build"] }))).toEqual([{ kind: "checks" }]);
  });

  test("an empty configuration takes every default", () => {
    const defaults = tests.options.parse({});
    expect(defaults.checks).toEqual([]);
    expect(defaults.source).toEqual(["src/**", "lib/**", "app/**", "pkg/**", "internal/**", "cmd/**"]);
    expect(defaults.tests).toEqual(expect.arrayContaining(["test/**", "**/*.test.*", "**/*_test.go", "**/test_*.py", "**/*Test.java", "**/*_spec.rb"]));
  });

  test("every option has a description", () => {
    for (const [name, schema] of Object.entries(tests.options.shape)) expect([name, schema.description ?? ""]).toEqual([name, expect.stringMatching(/\w{3}/)]);
  });

  test("one glob may be written without a list", () => {
    expect(tests.options.parse({ source: "server/**", checks: "ci" })).toMatchObject({ source: ["server/**"], checks: ["ci"] });
  });

  test.each([
    [{ test: ["qa/**"] }, /Unrecognized key/],
    [{ checks: [""] }, /too small|>=1/i],
    [{ tests: [] }, /tests must list at least one glob/],
  ])("rejects %j with a specific message", (input, message) => {
    const result = tests.options.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join("\n")).toMatch(message);
  });
});
