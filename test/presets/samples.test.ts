/**
 * A sample repository per kind of component (test/fixtures/presets/<kind>/: real formats, made-up
 * content), judged on its branch through the real pipeline and rules with the facts a local git
 * checkout gives, as `readiness check --branch` judges it. Each reaches bronze and falls short of
 * silver, which its preset requires; the scorecard's check run output is kept as a snapshot.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { registry } from "../../rules/index.js";
import { describeOrigin } from "../../src/cli/check-branch.js";
import { createLocalConfigReader } from "../../src/local/config-reader.js";
import { LocalFactsProvider } from "../../src/local/facts.js";
import { runPipeline } from "../../src/pipeline.js";
import { renderBranchCheckRun } from "../../src/render/branch.js";
import { renderCheckRun } from "../../src/render/check-run.js";
import type { FactsProvider } from "../../src/ports.js";
import { known } from "../../src/engine/types.js";
import { repoPool } from "../local/git-repo.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/presets/", import.meta.url));
const EVALUATED_AT = new Date("2026-11-30T09:00:00Z");

function filesUnder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

const fresh = repoPool(afterAll);

async function judge(kind: string) {
  const repo = fresh();
  const sha = repo.commit(`feat: the ${kind} sample`, filesUnder(join(FIXTURES, kind)));
  const provider = new LocalFactsProvider(repo.dir, sha, sha, { env: {}, now: () => EVALUATED_AT });
  const configReader = createLocalConfigReader(repo.dir, "main", { baseSha: sha });
  const outcome = await runPipeline({ configReader, facts: provider, registry, now: () => EVALUATED_AT, subject: { kind: "branch", ref: "main" } });
  if (outcome.kind !== "evaluated") throw new Error(`the ${kind} sample was not evaluated: ${JSON.stringify(outcome)}`);
  return { evaluation: outcome.evaluation, sources: outcome.origins.map(describeOrigin) };
}

describe("a pull request on the service sample", () => {
  const dated = { GIT_AUTHOR_DATE: "2026-11-20T10:00:00Z", GIT_COMMITTER_DATE: "2026-11-20T10:00:00Z" };
  const saved = { GIT_AUTHOR_DATE: process.env.GIT_AUTHOR_DATE, GIT_COMMITTER_DATE: process.env.GIT_COMMITTER_DATE };
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test("approved, with a test, but a deployment change without a rollback plan: bronze, not silver", async () => {
    // Commit dates are fixed so the runbook's age is the same on every run.
    Object.assign(process.env, dated);
    const repo = fresh();
    const base = repo.commit("feat: the service sample", filesUnder(join(FIXTURES, "service")));
    repo.git("checkout", "-q", "-b", "refunds");
    const head = repo.commit("feat: refunds", {
      "src/refunds.js": 'export const refund = (order) => ({ order, status: "refund-requested" });\n',
      "test/refunds.test.js": 'import { test } from "node:test";\nimport assert from "node:assert";\nimport { refund } from "../src/refunds.js";\n\ntest("refund", () => assert.equal(refund("o-1").status, "refund-requested"));\n',
      "deploy/k8s/deployment.yaml": readFileSync(join(FIXTURES, "service/deploy/k8s/deployment.yaml"), "utf8").replace("replicas: 1", "replicas: 2"),
    });
    const local = new LocalFactsProvider(repo.dir, base, head, { env: {}, now: () => EVALUATED_AT, author: "grace", body: "Adds refunds.\n\n## Testing\nnode --test" });
    // What only GitHub knows, as GitHub would say it: one approval on the head commit, no CI checks.
    const facts: FactsProvider = {
      gather: async (requests) => ({
        ...(await local.gather(requests)),
        ...(requests.some((r) => r.kind === "reviews") ? { reviews: known([{ id: 1, user: "ada", state: "APPROVED" as const, commitId: head, submittedAt: "2026-11-20T11:00:00Z" }]) } : {}),
        ...(requests.some((r) => r.kind === "checks") ? { checks: known([]) } : {}),
      }),
    };
    const configReader = createLocalConfigReader(repo.dir, "main", { baseSha: base });
    const outcome = await runPipeline({ configReader, facts, registry, now: () => EVALUATED_AT, subject: { kind: "pull" } });
    if (outcome.kind !== "evaluated") throw new Error(JSON.stringify(outcome));
    const { evaluation } = outcome;
    expect(evaluation.level.reached).toBe("bronze");
    expect(evaluation.rules.find((rule) => rule.id === "rollback-plan")?.status).toBe("fail");
    const output = renderCheckRun(evaluation, { configSources: outcome.origins.map(describeOrigin) });
    expect({ title: output.title, summary: output.summary, text: output.text, annotations: output.annotations }).toMatchSnapshot();
  });
});

describe.each(["service", "library", "infrastructure"])("the %s sample repository", (kind) => {
  let judged: Awaited<ReturnType<typeof judge>>;
  beforeAll(async () => {
    judged = await judge(kind);
  });

  test(`extends readiness:${kind} and requires silver`, () => {
    expect(judged.sources).toContain(`readiness:${kind}`);
    expect(judged.evaluation.level.required).toBe("silver");
  });

  test("reaches bronze but not silver", () => {
    const { evaluation } = judged;
    expect(evaluation.level.reached).toBe("bronze");
    const bronze = evaluation.rules.filter((rule) => rule.level === "bronze");
    expect(bronze.length).toBeGreaterThan(0);
    expect(bronze.filter((rule) => !["pass", "skip"].includes(rule.status)).map((rule) => `${rule.id}: ${rule.status} ${rule.reason ?? ""}`)).toEqual([]);
    expect(evaluation.rules.some((rule) => rule.level === "silver" && rule.status === "fail")).toBe(true);
    expect(evaluation.conclusion).toBe("failure");
  });

  test("the scorecard's check run", () => {
    const output = renderBranchCheckRun(judged.evaluation, { ref: "main", configSources: judged.sources });
    expect({ title: output.title, summary: output.summary, text: output.text, annotations: output.annotations }).toMatchSnapshot();
  });
});
