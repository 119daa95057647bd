/**
 * Evaluation alone (no network): `npm run bench:evaluate` (or `npx tsx bench/evaluate/run.ts`).
 *
 * Pull requests of 20, 300 and 3,000 changed files (each with a patch of ~30 added lines of
 * ordinary code, a few workflow files and documents among them), judged by every rule in the
 * registry at once, with every fact the rules ask for already gathered (the pipeline's own two
 * planning rounds, answered from memory). Measured against the floor: one linear pass over the
 * same patch text (a loop that reads every character once). Target: within 10× of the floor at
 * 3,000 files. Times are medians of several runs after a warm-up, in one process.
 */
import { performance } from "node:perf_hooks";
import { loadConfig } from "../../src/config/load.js";
import type { ConfigFileReader } from "../../src/config/types.js";
import { evaluate } from "../../src/engine/evaluate.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { known } from "../../src/engine/types.js";
import type { ChangedFile, FactRequest, Facts, PullRequestInfo } from "../../src/engine/types.js";
import { gatherFacts } from "../../src/pipeline.js";
import type { FactsProvider } from "../../src/pipeline.js";
import { registry } from "../../rules/index.js";
import { prng } from "../../test/helpers/prng.js";

const SIZES = (process.env.BENCH_SIZES ?? "20,300,3000").split(",").map(Number);
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 7);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(run: () => unknown, repetitions: number): number {
  run();
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const format = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`);

/** Every rule of the registry, each with its defaults, at the lowest level (all blocking). */
function everyRuleConfig(): string {
  const lines = ["level: bronze", "rules:"];
  for (const id of [...registry.keys()].sort()) {
    if (id === "file-exists") lines.push("  file-exists:", "    paths: [SECURITY.md, docs/runbook.md]");
    else lines.push(`  ${id}: bronze`);
  }
  return `${lines.join("\n")}\n`;
}

async function resolvedConfig(): Promise<ResolvedConfig> {
  const text = everyRuleConfig();
  const reader: ConfigFileReader = { read: async (place, path) => (place === "repo" && path === ".readiness.yml" ? { content: text, origin: { repository: "acme/shop", path, ref: "main" } } : null) };
  const loaded = await loadConfig(reader, registry);
  if (loaded.kind !== "ok") throw new Error(`the benchmark's configuration does not load: ${JSON.stringify(loaded)}`);
  return loaded.config;
}

const WORDS = ["total", "cart", "price", "item", "user", "order", "amount", "config", "value", "result", "index", "status"];

function patchFor(path: string, random: () => number): string {
  const lines = 20 + Math.floor(random() * 20);
  const out = [`@@ -0,0 +1,${lines} @@`];
  for (let i = 0; i < lines; i++) {
    const a = WORDS[Math.floor(random() * WORDS.length)]!;
    const b = WORDS[Math.floor(random() * WORDS.length)]!;
    if (path.endsWith(".yml")) out.push(i === 3 ? "+      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11" : `+      ${a}: ${b}-${i}`);
    else if (path.endsWith(".md")) out.push(`+The ${a} ${b} is described here, line ${i}.`);
    else out.push(`+  const ${a}${i} = compute${b[0]!.toUpperCase()}${b.slice(1)}(${a}, ${i}); // ${b}`);
  }
  return out.join("\n");
}

function changedFiles(count: number): ChangedFile[] {
  const random = prng(count);
  const files: ChangedFile[] = [];
  for (let i = 0; i < count; i++) {
    const path =
      i % 50 === 7 ? `.github/workflows/ci-${i}.yml` : i % 10 === 3 ? `docs/area-${i % 17}/page-${i}.md` : i % 5 === 1 ? `test/module-${i % 23}/case-${i}.test.ts` : `src/module-${i % 23}/file-${i}.ts`;
    const patch = patchFor(path, random);
    files.push({ path, status: i % 9 === 0 ? "added" : "modified", additions: patch.split("\n").length - 1, deletions: 0, patch });
  }
  return files;
}

const CODEOWNERS = [
  "* @acme/platform",
  ...Array.from({ length: 23 }, (_, i) => `/src/module-${i}/ @acme/team-${i % 5} @dev${i}`),
  "/docs/ @acme/docs",
  "/.github/ @acme/platform",
].join("\n");

/** Answers the pipeline's fact requests from memory, as the GitHub provider would after reading. */
function memoryProvider(files: readonly ChangedFile[]): FactsProvider {
  const pull: PullRequestInfo = {
    number: 7,
    title: "Cart totals across modules",
    body: "## Why\nTotals.\n\n## Rollback plan\nRevert the merge commit.\n\n## Testing\nUnit tests.\n",
    author: "octo-dev",
    draft: false,
    labels: ["enhancement"],
    baseRef: "main",
    baseSha: "b".repeat(40),
    headRef: "cart-totals",
    headSha: "a".repeat(40),
    changedFiles: files.length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: 0,
  };
  const tree = [...files.map((f) => f.path), "SECURITY.md", "docs/runbook.md", "README.md"];
  return {
    async gather(requests: readonly FactRequest[]): Promise<Partial<Facts>> {
      const out: { -readonly [K in keyof Facts]?: Facts[K] } = {};
      const teams = new Map<string, ReturnType<typeof known<readonly string[]>>>();
      const contents = new Map<string, ReturnType<typeof known<string | null>>>();
      for (const request of requests) {
        switch (request.kind) {
          case "pull":
            out.pull = known(pull);
            break;
          case "files":
            out.files = known(files);
            break;
          case "reviews":
            out.reviews = known([
              { id: 1, user: "reviewer-a", state: "APPROVED", commitId: pull.headSha, submittedAt: "2025-01-01T00:00:00Z" },
              { id: 2, user: "dev3", state: "APPROVED", commitId: pull.headSha, submittedAt: "2025-01-01T00:01:00Z" },
            ]);
            break;
          case "checks":
            out.checks = known(["build", "test", "lint", "ci / test (20)", "ci / test (22)"].map((name) => ({ name, source: "check_run" as const, state: "success" as const, detail: "success" })));
            break;
          case "codeowners":
            if ((request.ref ?? "base") === "base") out.codeowners = known({ path: ".github/CODEOWNERS", content: CODEOWNERS });
            else out.headCodeowners = known({ path: ".github/CODEOWNERS", content: CODEOWNERS });
            break;
          case "team":
            teams.set(request.team.replace(/^@/, "").toLowerCase(), known(["reviewer-a", "dev3", "dev4"]));
            break;
          case "content":
            contents.set(`${request.ref}:${request.path}`, known(tree.includes(request.path) ? `# ${request.path}\n\n## Rollback\nRevert.\n\n## Alerts\nPager.\n` : null));
            break;
          case "tree":
            out.trees = { ...out.trees, [request.ref]: known(tree) };
            break;
          case "headContentsOfUnpatched":
            out.headContentsOfUnpatched = known(new Map());
            break;
          case "codeownersErrors":
            out.codeownersErrors = { ...out.codeownersErrors, [request.ref]: known([]) };
            break;
          case "fingerprintKey":
            out.fingerprintKey = known("bench-fingerprint-key");
            break;
        }
      }
      if (teams.size > 0) out.teams = teams;
      if (contents.size > 0) out.contents = contents;
      return out;
    },
  };
}

/** The floor: one pass over every character of the patch text. */
function linearPass(files: readonly ChangedFile[]): number {
  let lines = 0;
  for (const file of files) {
    const patch = file.patch ?? "";
    for (let i = 0; i < patch.length; i++) if (patch.charCodeAt(i) === 10) lines++;
  }
  return lines;
}

const config = await resolvedConfig();
console.log(`bench/evaluate: ${config.rules.length} rules enabled (${config.rules.map((r) => r.id).join(", ")}); median of ${REPETITIONS} runs after a warm-up\n`);
console.log("files  patch text   evaluate      floor (one pass)   ratio   verdict");
for (const size of SIZES) {
  const files = changedFiles(size);
  const bytes = files.reduce((n, f) => n + (f.patch?.length ?? 0), 0);
  const { facts } = await gatherFacts(config, memoryProvider(files), registry);
  let conclusion = "";
  const evaluateMs = time(() => {
    conclusion = evaluate(config, facts, registry).conclusion;
  }, REPETITIONS);
  const floorMs = time(() => linearPass(files), Math.max(REPETITIONS, 21));
  console.log(
    `${String(size).padStart(5)}  ${`${(bytes / 1024).toFixed(0)} KB`.padStart(10)}   ${format(evaluateMs).padStart(10)}   ${format(floorMs).padStart(16)}   ${`${(evaluateMs / floorMs).toFixed(1)}×`.padStart(7)}   ${conclusion}`,
  );
}
const slowest = evaluate(config, (await gatherFacts(config, memoryProvider(changedFiles(SIZES[SIZES.length - 1]!)), registry)).facts, registry);
console.log(`\nrule outcomes at ${SIZES[SIZES.length - 1]} files: ${slowest.rules.map((r) => `${r.id} ${r.status}`).join(", ")}`);
