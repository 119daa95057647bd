/**
 * GitHub requests per evaluation: `npm run bench:api-cost` (or `npx tsx bench/api-cost/run.ts`).
 *
 * The app (Probot with the readiness app loaded, as in the app tests, with the in-memory state
 * store) against the fake GitHub, for typical configurations (the shipped presets
 * readiness:recommended and readiness:strict, and a hand-written one with reviews, CI and docs) on
 * a typical pull request: 40 changed files with patches (a workflow, documents, tests), CODEOWNERS
 * naming teams, one approval, green CI. Evaluations in a row, as events arrive:
 *  1. opened: the first evaluation (cold process; check run created, comment if the verdict asks);
 *  2. labeled, nothing else changed: a re-evaluation of the same commits, same verdict;
 *  3. a second approval: a re-evaluation of the same commits whose verdict may change;
 *  4. CI finishes again (check_run completed): a re-evaluation of the same commits when a rule
 *     reads CI, else no request at all;
 *  5. synchronize (a new head, same base): the first evaluation of the new head.
 *
 * Each is set against the minimum the enabled rules need, derived from the planned facts:
 *  - the pull request itself, once per job (is it still open, at which head?);
 *  - what can change without a commit, every time: reviews (1 page), CI (check runs + commit
 *    statuses: 2), security alerts (1 per scanner);
 *  - what a commit fixes, once per commit: the configuration and base facts (CODEOWNERS, GitHub's
 *    CODEOWNERS errors, contents, trees, last commits) once per base sha; the file list (pages of
 *    100) once per head and base; head contents and last commits once per head sha;
 *  - team members once per team within their time to live (5 minutes);
 *  - to publish: one listing of the head's check runs before the first write on a head (after
 *    that the state store knows the run), and one listing of the comments the first time the
 *    pull request is evaluated (after that the store knows the comment, or that there is none).
 * Writes: one for the check run (≤ 50 annotations) when what it shows changed, one for the
 * comment when it changed. The bench fails (exit code 1) on any request over the minimum, or more
 * than two writes with ≤ 50 annotations.
 *
 * BENCH_FILES changes the number of files (default 40); BENCH_VERBOSE=1 lists every request.
 */
import { loadConfig } from "../../src/config/load.js";
import type { ConfigFileReader } from "../../src/config/types.js";
import { planFacts, planFollowUp } from "../../src/engine/evaluate.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known } from "../../src/engine/types.js";
import type { FactRequest, Facts } from "../../src/engine/types.js";
import { registry } from "../../rules/index.js";
import { APP_SLUG, BASE_SHA, HEAD_SHA, checkRunEvent, createTestApp, describeRequest, pullRequestEvent, resetNock, reviewEvent, yaml } from "../../test/helpers/app.js";
import type { FakeFile, RecordedRequest } from "../../test/helpers/app.js";

const FILES = Number(process.env.BENCH_FILES ?? 40);
const NEW_HEAD = "c".repeat(40);
const BODY = "## Why\nTotals.\n\n## Rollback plan\nRevert the merge commit.\n\n## Testing\nUnit tests.\n";
const CODEOWNERS = ["* @acme/platform", "/src/ @acme/cart @acme/payments", "/docs/ @acme/docs", "/.github/ @acme/platform"].join("\n");
const CI = ["build", "test"];

const CONFIGURATIONS: readonly { readonly name: string; readonly lines: readonly string[] }[] = [
  { name: "readiness:recommended", lines: ["extends: readiness:recommended"] },
  { name: "readiness:strict", lines: ["extends: readiness:strict"] },
  {
    name: "reviews + CI + docs",
    lines: ["level: bronze", "rules:", "  reviews:", "    approvals: 2", "  tests:", '    checks: ["test"]', "  docs:", '    require: ["docs/**"]', "    pr-body:", '      sections: ["## Rollback plan"]'],
  },
];

function files(extra = 0): FakeFile[] {
  return Array.from({ length: FILES + extra }, (_, i) => {
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

/** What is new to the process at this evaluation. */
interface Novelty {
  /** The pull request was never evaluated: nothing is in the state store for it. */
  readonly firstOfPull: boolean;
  readonly newBase: boolean;
  readonly newHead: boolean;
  /** The event is one the configuration does not act on (a CI result no rule waits for): no request at all. */
  readonly ignored?: boolean;
}

/** The fewest reads one evaluation can make, given the planned facts and what is new. */
function minimumReads(planned: readonly FactRequest[], novelty: Novelty): number {
  const { firstOfPull, newBase, newHead } = novelty;
  if (novelty.ignored) return 0;
  const atRef = (ref: "base" | "head" | undefined): number => Number((ref ?? "base") === "base" ? newBase : newHead);
  let reads = 1; // the pull request, as it is when the job runs
  if (newBase) reads += 1; // the configuration at the base
  const seen = new Set<string>();
  for (const request of planned) {
    const key = JSON.stringify(request);
    if (seen.has(key)) continue;
    seen.add(key);
    switch (request.kind) {
      case "pull": // from the job's read
      case "fingerprintKey": // the deployment's
      case "decisions": // the state store
      case "now":
      case "headContentsOfUnpatched": // every file here has a patch
        break;
      case "files":
        reads += newBase || newHead ? Math.max(1, Math.ceil(FILES / 100)) : 0;
        break;
      case "reviews":
      case "securityAlerts":
        reads += 1;
        break;
      case "checks":
        reads += 2; // check runs and commit statuses are two lists
        break;
      case "team":
        reads += Number(firstOfPull); // within the team cache's time to live
        break;
      case "codeowners":
      case "content":
      case "tree":
      case "treeSizes":
      case "lastCommit":
        reads += atRef(request.ref);
        break;
      case "codeownersErrors":
        reads += atRef(request.ref);
        break;
    }
  }
  if (newHead) reads += 1; // the head's check runs, before the first write on it
  if (firstOfPull) reads += 1; // the pull request's comments, before the first comment
  return reads;
}

interface Step {
  readonly name: string;
  readonly reads: RecordedRequest[];
  readonly writes: RecordedRequest[];
  readonly minimumReads: number;
  readonly minimumWrites: number;
  readonly annotations: number;
  readonly commentChanged: boolean;
}

async function measure(lines: readonly string[]): Promise<Step[]> {
  const config = yaml(lines);
  const planned = plannedFacts(await resolved(config));

  const app = await createTestApp({ appSlug: APP_SLUG });
  const { fake } = app;
  fake.setFile(BASE_SHA, ".readiness.yml", config);
  for (const sha of [BASE_SHA, HEAD_SHA, NEW_HEAD]) {
    fake.setFile(sha, ".github/CODEOWNERS", CODEOWNERS);
    fake.setFile(sha, "docs/runbook.md", "# Runbook\n");
    fake.commitDates.set(`${sha}:docs/runbook.md`, "2025-01-01T00:00:00Z");
  }
  for (const team of ["platform", "cart", "payments", "docs"]) fake.teams.set(`acme/${team}`, ["bob", "carol"]);
  fake.addPull({ number: 7, body: BODY, labels: ["enhancement"] });
  fake.setPullFiles(7, files());
  fake.addReview(7, "bob", "APPROVED");
  for (const name of CI) fake.addCheckRun(HEAD_SHA, name, "success");

  const steps: Step[] = [];
  let head = HEAD_SHA;
  const snapshot = () => ({ runs: JSON.stringify(fake.ownCheckRuns(head)), comments: JSON.stringify(fake.ownComments(7)) });
  const step = async (name: string, event: string, payload: Record<string, unknown>, novelty: Novelty) => {
    const before = snapshot();
    fake.clearRequests();
    await app.receive(event, payload);
    const after = snapshot();
    const calls = fake.requests.filter((r) => !r.path.startsWith("/app/installations/"));
    const runChanged = before.runs !== after.runs;
    const commentChanged = before.comments !== after.comments;
    const annotations = fake.ownCheckRuns(head).at(-1)?.output.annotations_count ?? 0;
    steps.push({
      name,
      reads: calls.filter((r) => r.method === "GET"),
      writes: calls.filter((r) => r.method !== "GET"),
      minimumReads: minimumReads(planned, novelty),
      // One write per thing a person sees change; annotations past 50 cost one more each 50.
      minimumWrites: (runChanged ? Math.max(1, Math.ceil(annotations / 50)) : 0) + Number(commentChanged),
      annotations,
      commentChanged,
    });
  };
  const pull = { number: 7, body: BODY, labels: ["enhancement"], changedFiles: FILES };
  const same: Novelty = { firstOfPull: false, newBase: false, newHead: false };
  await step("opened: first evaluation", "pull_request", pullRequestEvent("opened", pull), { firstOfPull: true, newBase: true, newHead: true });
  await step("labeled: re-evaluation, nothing changed", "pull_request", pullRequestEvent("labeled", pull), same);
  fake.addReview(7, "carol", "APPROVED");
  await step("second approval: re-evaluation", "pull_request_review", reviewEvent("submitted", { user: "carol", state: "approved" }, pull), same);
  // Only a configuration whose rules read CI acts on a CI result.
  await step("CI completed: re-evaluation", "check_run", checkRunEvent("completed", { name: "test" }), { ...same, ignored: !planned.some((r) => r.kind === "checks") });

  head = NEW_HEAD;
  fake.addPull({ number: 7, body: BODY, labels: ["enhancement"], headSha: NEW_HEAD });
  fake.setPullFiles(7, files(1));
  for (const name of CI) fake.addCheckRun(NEW_HEAD, name, "success");
  await step("synchronize: new head, same base", "pull_request", pullRequestEvent("synchronize", { ...pull, headSha: NEW_HEAD, changedFiles: FILES + 1 }), { firstOfPull: false, newBase: false, newHead: true });

  resetNock();
  await app.service.stop(0);
  return steps;
}

const ratio = (measured: number, minimum: number): string => (minimum === 0 ? (measured === 0 ? "1.00×" : "∞") : `${(measured / minimum).toFixed(2)}×`);

let failed = false;
for (const configuration of CONFIGURATIONS) {
  const steps = await measure(configuration.lines);
  console.log(`\n${configuration.name}, ${FILES} changed files`);
  console.log(`  ${"evaluation".padEnd(40)} ${"reads".padStart(5)} ${"min".padStart(4)} ${"writes".padStart(6)} ${"min".padStart(4)}  requests/minimum`);
  for (const s of steps) {
    const requests = s.reads.length + s.writes.length;
    const minimum = s.minimumReads + s.minimumWrites;
    console.log(
      `  ${s.name.padEnd(40)} ${String(s.reads.length).padStart(5)} ${String(s.minimumReads).padStart(4)} ${String(s.writes.length).padStart(6)} ${String(s.minimumWrites).padStart(4)}  ${ratio(requests, minimum)}`,
    );
    const problems: string[] = [];
    if (s.reads.length > s.minimumReads) problems.push(`${s.reads.length - s.minimumReads} read(s) over the minimum`);
    if (s.writes.length > s.minimumWrites) problems.push(`${s.writes.length - s.minimumWrites} write(s) over the minimum`);
    if (s.annotations <= 50 && !s.commentChanged && s.writes.length > 2) problems.push(`${s.writes.length} writes with ≤ 50 annotations and the comment unchanged (at most 2)`);
    const seen = new Map<string, number>();
    for (const r of s.reads) seen.set(describeRequest(r), (seen.get(describeRequest(r)) ?? 0) + 1);
    const repeated = [...seen].filter(([, n]) => n > 1);
    if (repeated.length > 0) problems.push(`repeated: ${repeated.map(([r, n]) => `${r} ×${n}`).join("; ")}`);
    for (const problem of problems) console.log(`    OVER: ${problem}`);
    if (problems.length > 0) failed = true;
    if (process.env.BENCH_VERBOSE) for (const r of [...s.reads, ...s.writes]) console.log(`    ${describeRequest(r)}`);
  }
}
console.log(failed ? "\nsome evaluation made a request over the minimum (see OVER above)" : "\nevery evaluation at the minimum: no redundant request; ≤ 2 writes whenever ≤ 50 annotations and the comment did not change");
if (failed) process.exitCode = 1;
