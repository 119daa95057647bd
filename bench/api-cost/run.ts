/**
 * GitHub requests per evaluation: `npm run bench:api-cost` (or `npx tsx bench/api-cost/run.ts`).
 *
 * The app (Probot with the readiness app loaded, as in the app tests) against the fake GitHub,
 * for the shipped presets (readiness:recommended, readiness:strict) on a typical pull request:
 * 40 changed files with patches (a workflow, documents, tests), CODEOWNERS naming teams, one
 * approval, green CI. Three evaluations in a row, as events arrive:
 *  1. opened: the first verdict (check run and comment created);
 *  2. labeled, nothing else changed: the same verdict (nothing worth writing);
 *  3. a second approval arrives: the verdict changes.
 * Each is set against the minimum the enabled rules need: one read of the pull request (is it
 * still open at this head?), the configuration file at the base, each planned fact at its
 * cheapest (pages of 100 files, check runs + commit statuses, one request per team, per file
 * content, per tree), plus, to publish, one listing of the head's check runs and of the comments
 * before the first write. A later evaluation of the same commits needs only what changes without
 * a commit (reviews, CI). Writes: one for the check run (≤ 50 annotations) when what it shows
 * changed, one for the comment when it changed. Reported: measured against minimum, and the
 * requests repeated within one evaluation.
 */
import { loadConfig } from "../../src/config/load.js";
import type { ConfigFileReader } from "../../src/config/types.js";
import { planFacts, planFollowUp } from "../../src/engine/evaluate.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known } from "../../src/engine/types.js";
import type { FactRequest, Facts } from "../../src/engine/types.js";
import { registry } from "../../rules/index.js";
import { APP_SLUG, BASE_SHA, HEAD_SHA, createTestApp, describeRequest, pullRequestEvent, resetNock, reviewEvent, yaml } from "../../test/helpers/app.js";
import type { FakeFile, RecordedRequest } from "../../test/helpers/app.js";

const FILES = Number(process.env.BENCH_FILES ?? 40);
const BODY = "## Why\nTotals.\n\n## Rollback plan\nRevert the merge commit.\n\n## Testing\nUnit tests.\n";
const CODEOWNERS = ["* @acme/platform", "/src/ @acme/cart @acme/payments", "/docs/ @acme/docs", "/.github/ @acme/platform"].join("\n");

function files(): FakeFile[] {
  return Array.from({ length: FILES }, (_, i) => {
    const filename = i === 0 ? ".github/workflows/ci.yml" : i % 5 === 1 ? `docs/page-${i}.md` : i % 4 === 2 ? `test/case-${i}.test.ts` : `src/module-${i}.ts`;
    const patch = filename.endsWith(".yml") ? "@@ -1,2 +1,3 @@\n jobs:\n+  - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11\n   x" : `@@ -1,2 +1,3 @@\n line\n+const value${i} = ${i};\n line`;
    return { filename, status: "modified", additions: 1, deletions: 0, changes: 1, patch };
  });
}

async function resolved(text: string): Promise<ResolvedConfig> {
  const reader: ConfigFileReader = { read: async (place, path) => (place === "repo" && path === ".readiness.yml" ? { content: text, origin: { repository: "acme/shop", path, ref: BASE_SHA } } : null) };
  const loaded = await loadConfig(reader, registry);
  if (loaded.kind !== "ok") throw new Error(`configuration does not load: ${JSON.stringify(loaded)}`);
  return loaded.config;
}

/** The cheapest number of reads for one planned fact, given the fake's data. */
function minimumReads(request: FactRequest): number {
  switch (request.kind) {
    case "pull":
    case "fingerprintKey":
      return 0; // from the payload; from the deployment
    case "files":
      return Math.max(1, Math.ceil(FILES / 100));
    case "checks":
      return 2; // check runs and commit statuses are two lists
    case "headContentsOfUnpatched":
      return 0; // every file here has a patch
    default:
      return 1;
  }
}

/** The facts both planning rounds ask for, with the follow-up answered as the fake would. */
function plannedFacts(config: ResolvedConfig): FactRequest[] {
  const first = planFacts(config, registry);
  const facts: Facts = makeFacts({
    files: known(files().map((f) => ({ path: f.filename, status: "modified" as const, additions: 1, deletions: 0, patch: f.patch! }))),
    reviews: known([{ id: 1, user: "bob", state: "APPROVED" as const, commitId: HEAD_SHA, submittedAt: "2025-01-01T00:00:00Z" }]),
    codeowners: known({ path: ".github/CODEOWNERS", content: CODEOWNERS }),
    headCodeowners: known({ path: ".github/CODEOWNERS", content: CODEOWNERS }),
  });
  return [...first, ...planFollowUp(config, registry, facts, first)];
}

interface Step {
  readonly name: string;
  readonly reads: RecordedRequest[];
  readonly writes: RecordedRequest[];
  readonly minimumReads: number;
  readonly minimumWrites: number;
}

async function measure(preset: string): Promise<Step[]> {
  const config = yaml([`extends: readiness:${preset}`]);
  const planned = plannedFacts(await resolved(config));
  // First evaluation: the configuration, every planned fact, and one listing each of the head's
  // check runs and the pull request's comments before writing. Later evaluations of the same
  // commits: only what can change without a new commit (reviews, CI); the rest is the same at
  // these shas, and what was published is known.
  const firstReads = 1 + planned.reduce((n, r) => n + minimumReads(r), 0) + 2;
  const volatileReads = planned.filter((r) => r.kind === "reviews" || r.kind === "checks").reduce((n, r) => n + minimumReads(r), 0);

  const app = await createTestApp({ appSlug: APP_SLUG });
  const { fake } = app;
  fake.setFile(BASE_SHA, ".readiness.yml", config);
  for (const sha of [BASE_SHA, HEAD_SHA]) {
    fake.setFile(sha, ".github/CODEOWNERS", CODEOWNERS);
    fake.setFile(sha, "docs/runbook.md", "# Runbook\n");
    fake.commitDates.set(`${sha}:docs/runbook.md`, "2025-01-01T00:00:00Z");
  }
  for (const team of ["platform", "cart", "payments", "docs"]) fake.teams.set(`acme/${team}`, ["bob", "carol"]);
  fake.addPull({ number: 7, body: BODY, labels: ["enhancement"] });
  fake.setPullFiles(7, files());
  fake.addReview(7, "bob", "APPROVED");
  for (const name of ["build", "test"]) fake.addCheckRun(HEAD_SHA, name, "success");

  const steps: Step[] = [];
  const snapshot = () => ({ runs: JSON.stringify(fake.ownCheckRuns(HEAD_SHA)), comments: JSON.stringify(fake.ownComments(7)) });
  /** `volatileOnly`: a re-evaluation of the same commits, where only reviews and CI can have changed. */
  const step = async (name: string, event: string, payload: Record<string, unknown>, volatileOnly: boolean) => {
    const before = snapshot();
    fake.clearRequests();
    await app.receive(event, payload);
    const after = snapshot();
    const calls = fake.requests.filter((r) => !r.path.startsWith("/app/installations/"));
    // The job reads the pull request once (still open, at this head?); then the facts.
    const reads = 1 + (volatileOnly ? volatileReads : firstReads);
    const writes = Number(before.runs !== after.runs) + Number(before.comments !== after.comments);
    steps.push({ name, reads: calls.filter((r) => r.method === "GET"), writes: calls.filter((r) => r.method !== "GET"), minimumReads: reads, minimumWrites: writes });
  };
  const pull = { number: 7, body: BODY, labels: ["enhancement"], changedFiles: FILES };
  await step("opened (first verdict)", "pull_request", pullRequestEvent("opened", pull), false);
  await step("labeled (verdict unchanged)", "pull_request", pullRequestEvent("labeled", pull), true);
  fake.addReview(7, "carol", "APPROVED");
  await step("second approval (verdict may change)", "pull_request_review", reviewEvent("submitted", { user: "carol", state: "approved" }, pull), true);
  resetNock();
  await app.service.stop(0);
  return steps;
}

for (const preset of ["recommended", "strict"]) {
  const steps = await measure(preset);
  console.log(`\nreadiness:${preset}, ${FILES} changed files:`);
  for (const s of steps) {
    const over = s.reads.length - s.minimumReads;
    console.log(
      `  ${s.name.padEnd(38)} reads ${String(s.reads.length).padStart(2)} (minimum ${s.minimumReads}${over > 0 ? `, +${over}` : ""}), writes ${s.writes.length} (minimum ${s.minimumWrites}${s.writes.length > s.minimumWrites ? `, +${s.writes.length - s.minimumWrites}` : ""})`,
    );
    const seen = new Map<string, number>();
    for (const r of s.reads) seen.set(describeRequest(r), (seen.get(describeRequest(r)) ?? 0) + 1);
    const repeated = [...seen].filter(([, n]) => n > 1);
    if (repeated.length > 0) console.log(`    repeated: ${repeated.map(([r, n]) => `${r} ×${n}`).join("; ")}`);
    if (process.env.BENCH_VERBOSE) for (const r of [...s.reads, ...s.writes]) console.log(`    ${describeRequest(r)}`);
  }
}
