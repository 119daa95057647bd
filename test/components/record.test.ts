import { MemoryStateStore } from "../../src/state/memory.js";
import { openSqliteStateStore } from "../../src/state/sql.js";
import type { EvaluationRecord, StateStore } from "../../src/state/types.js";
import { recordedVerdict } from "../../src/jobs/runner.js";
import { evaluate } from "../../src/engine/evaluate.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known } from "../../src/engine/types.js";
import { renderBranchCheckRun } from "../../src/render/branch.js";
import { scorecardEntry } from "../../src/render/scorecard-entry.js";
import { registry } from "../../rules/index.js";

const LADDER = ["bronze", "silver", "gold"];
const fileExists = (paths: string[], level: string) => ({ id: "file-exists", level, options: { paths } });
const config: ResolvedConfig = {
  levels: LADDER,
  required: "silver",
  comment: "on-failure",
  rules: [fileExists(["README.md"], "bronze")],
  components: [
    { name: "payments", paths: ["services/payments/**"], root: "services/payments", config: { levels: LADDER, required: "gold", comment: "on-failure", rules: [fileExists(["services/payments/README.md"], "gold")] } },
    { name: "search", paths: ["services/search/**"], root: "services/search", config: { levels: LADDER, required: "bronze", comment: "on-failure", rules: [fileExists(["services/search/README.md"], "silver")] } },
  ],
};
const tree = ["README.md", "services/payments/README.md", "services/search/main.go"];
const branchFacts = makeFacts({ subject: { kind: "branch", ref: "main" }, trees: { head: known(tree), base: known(tree) } });

function branchOutcome() {
  const evaluation = evaluate(config, branchFacts, registry);
  return { kind: "evaluated" as const, evaluation, config, origins: [], requests: [], settings: { alerts: { enabled: false, issue: true, labels: [], mention: "none" as const, assign: "none" as const, announceRises: false }, environments: [] } };
}

const record = (verdict: ReturnType<typeof recordedVerdict>): EvaluationRecord => ({
  installationId: 1,
  owner: "acme",
  repo: "mono",
  subjectKind: "branch",
  subjectKey: "branch:acme/mono:main",
  headSha: "c".repeat(40),
  ...verdict,
  reason: "push",
  durationMs: 5,
  apiRequests: 2,
  evaluatedAt: "2026-11-30T10:00:00.000Z",
  ref: "main",
});

describe("the branch scorecard lists each component with its level", () => {
  it("judges every component on the branch, each at its own level", () => {
    const { evaluation } = branchOutcome();
    expect(evaluation.components!.map((c) => [c.name, c.level.reached, c.level.required, c.conclusion])).toEqual([
      ["payments", "gold", "gold", "success"],
      ["search", "bronze", "bronze", "neutral"],
    ]);
    const output = renderBranchCheckRun(evaluation, { ref: "main" });
    expect(output.summary).toContain("| payments | `services/payments/**` | gold reached · gold required | ✅ ready |");
    expect(output.summary).toContain("| search | `services/search/**` | bronze reached · bronze required | ✅ ready (advisory rules open) |");
    expect(output.summary).toContain("search › file-exists");
  });

  it.each([
    ["memory", () => new MemoryStateStore() as StateStore],
    ["SQLite", () => openSqliteStateStore(":memory:") as StateStore],
  ])("the %s store keeps each component's result; the scorecard entry lists them", async (_name, open) => {
    const store = open();
    await store.migrate();
    try {
      await store.recordEvaluation(record(recordedVerdict(branchOutcome())));
      const stored = await store.latestEvaluation("branch:acme/mono:main");
      expect(stored!.components).toEqual([
        { name: "payments", reached: "gold", required: "gold", conclusion: "success" },
        { name: "search", reached: "bronze", required: "bronze", conclusion: "neutral" },
      ]);
      expect(stored!.rules.map((r) => r.component)).toEqual([undefined, "payments", "search"]);
      const entry = scorecardEntry(stored!);
      expect(entry.components).toEqual([
        { name: "payments", conclusion: "success", level: { reached: "gold", required: "gold" } },
        { name: "search", conclusion: "neutral", level: { reached: "bronze", required: "bronze" } },
      ]);
      expect(entry.rules[1]).toMatchObject({ component: "payments", id: "file-exists" });
    } finally {
      await store.close();
    }
  });

  it("a record without components reads back without them", async () => {
    const store = openSqliteStateStore(":memory:");
    await store.migrate();
    try {
      await store.recordEvaluation(record({ outcome: "success", levelReached: "gold", levelRequired: "gold", rules: [] }));
      const stored = await store.latestEvaluation("branch:acme/mono:main");
      expect(stored!.components).toBeUndefined();
      expect(scorecardEntry(stored!).components).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
