import { createRepo } from "../local/git-repo.js";
import type { TempRepo } from "../local/git-repo.js";
import { runCli } from "../cli/run-cli.js";
import type { LocalJsonReport } from "../../src/cli/check.js";

// The repository requires docs with source changes; the payments component does not, but needs a runbook of its own.
const CONFIG = `level: silver
rules:
  docs:
    level: silver
    when: ["**/*.ts"]
components:
  payments:
    paths: ["services/payments/**"]
    level: silver
    rules:
      docs: off
      runbook: silver
`;

describe("readiness check shows the components a branch touches", () => {
  let repo: TempRepo;
  const check = (...args: string[]) => runCli(["check", ...args], { cwd: repo.dir });

  beforeAll(() => {
    repo = createRepo();
    repo.commit("initial", { ".readiness.yml": CONFIG, "services/payments/charge.ts": "export const a = 1;\n", "src/cart.ts": "export const b = 1;\n" });
    repo.git("checkout", "-q", "-b", "payments", "main");
    repo.commit("feat: charge", { "services/payments/charge.ts": "export const a = 2;\n" });
  });
  afterAll(() => repo.cleanup());

  test("text: the component's section, its level, and its rules named after it", async () => {
    const run = await check("--head", "payments");
    expect(run.err).toBe("");
    expect(run.code).toBe(1);
    expect(run.out).toContain("Components:\n  payments: bronze reached, silver required - blocked (services/payments/**; 1 changed file)");
    expect(run.out).toMatch(/payments › runbook: fail \(silver, blocking\)/);
    expect(run.out).toContain("services/payments/docs/runbook.md");
    expect(run.out).not.toMatch(/\bdocs: fail/);
    expect(run.out).toContain("Result: Blocked: 1 rule fails (payments › runbook).");
  });

  test("json: each component with its level, each rule with its component", async () => {
    const run = await check("--head", "payments", "--format", "json");
    const report = JSON.parse(run.out) as LocalJsonReport & { components: unknown[]; rules: { component?: string; id: string }[] };
    expect(report.components).toEqual([{ name: "payments", paths: ["services/payments/**"], conclusion: "failure", reached: "bronze", required: "silver" }]);
    expect(report.rules.map((r) => [r.component, r.id])).toEqual([["payments", "runbook"]]);
  });
});
