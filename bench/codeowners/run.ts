/**
 * CODEOWNERS lookups: our matcher against the most downloaded npm CODEOWNERS package
 * (`codeowners`, gitignore semantics through the `ignore` package), same process, same input.
 *
 *   npx tsx bench/codeowners/run.ts          (or: npm run bench:codeowners)
 *
 * Inputs are generated from a seeded PRNG, so every run sees the same files: a 10,000-line
 * CODEOWNERS of a large monorepo, a typical 50-line one, and the 3,000 changed paths of a large
 * pull request. Each measurement is warmed up, repeated, and the median reported. `codeowners`
 * memoises lookups per instance, so every repetition uses a fresh instance (built outside the
 * timed region) for both sides: the numbers are cold lookups, as in one evaluation.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Codeowners from "codeowners";
import { compileCodeowners, splitPath } from "../../src/codeowners/match.js";
import { formatOwner, parseCodeowners, type CodeownersRule } from "../../src/codeowners/parse.js";
import { compilePattern } from "../../src/codeowners/pattern.js";
import { prng } from "../../test/helpers/prng.js";

const REPETITIONS = 9;

const rand = prng(0xc0de0);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const int = (n: number): number => Math.floor(rand() * n);

const WORDS = ["billing", "payments", "search", "checkout", "identity", "catalog", "inventory", "shipping", "ledger", "notify", "profile", "pricing", "risk", "reports", "gateway", "media", "orders", "tax", "fraud", "ads"];
const MODULE_WORDS = ["api", "core", "handlers", "models", "storage", "client", "jobs", "config", "util", "events", "auth", "cache", "db", "web", "cli"];
const FILE_WORDS = ["index", "main", "server", "client", "types", "helpers", "schema", "routes", "service", "store", "mapper", "worker", "README", "Dockerfile"];
const EXTENSIONS = [".ts", ".ts", ".ts", ".tsx", ".go", ".go", ".py", ".md", ".json", ".yaml", ".sql", ".proto", ".css", ".sh"];

/** The repository: ~400 services with modules, plus shared top-level trees. */
const services = Array.from({ length: 400 }, (_, i) => `${pick(WORDS)}-${pick(WORDS)}-${i}`);
const modulesOf = new Map(services.map((s) => [s, Array.from({ length: 4 + int(6) }, () => `${pick(MODULE_WORDS)}${int(3) === 0 ? `-${int(50)}` : ""}`)]));

function fileName(): string {
  const word = pick(FILE_WORDS);
  if (word === "Dockerfile") return word;
  return `${word}${int(4) === 0 ? `.${pick(["test", "spec"])}` : ""}${pick(EXTENSIONS)}`;
}

function randomPath(): string {
  const roll = rand();
  if (roll < 0.72) {
    const service = pick(services);
    const module = pick(modulesOf.get(service)!);
    const depth = int(3);
    const middle = Array.from({ length: depth }, () => pick(MODULE_WORDS));
    return ["services", service, module, ...middle, fileName()].join("/");
  }
  if (roll < 0.8) return ["docs", pick(WORDS), ...(int(2) ? [pick(MODULE_WORDS)] : []), `${pick(FILE_WORDS)}.md`].join("/");
  if (roll < 0.86) return ["infra", pick(["terraform", "k8s", "helm"]), pick(WORDS), `${pick(["main", "values", "deploy"])}${pick([".tf", ".yaml"])}`].join("/");
  if (roll < 0.9) return ["db", "migrations", `${String(int(900)).padStart(4, "0")}_${pick(WORDS)}.sql`].join("/");
  if (roll < 0.94) return ["packages", pick(WORDS), "src", fileName()].join("/");
  if (roll < 0.97) return [".github", "workflows", `${pick(WORDS)}.yml`].join("/");
  return pick(["README.md", "package.json", "go.mod", "Makefile", "CHANGELOG.md", ".gitignore"]);
}

function team(): string {
  return `@acme/${pick(WORDS)}-${pick(["eng", "sre", "web", "data", "core"])}`;
}

/** A monorepo's generated CODEOWNERS: mostly directory lines, some extensions, names, globs, comments. */
function largeCodeowners(lines: number): string {
  const out: string[] = ["# Generated ownership map", "*  @acme/platform-eng", ""];
  while (out.length < lines) {
    const roll = rand();
    const service = pick(services);
    if (roll < 0.05) out.push(`# ${service}`);
    else if (roll < 0.62) out.push(`/services/${service}/${pick(modulesOf.get(service)!)}/ ${team()}${int(3) === 0 ? ` ${team()}` : ""}`);
    else if (roll < 0.72) out.push(`/services/${service}/ ${team()}${int(10) === 0 ? " # on-call rotation" : ""}`);
    else if (roll < 0.76) out.push(`/services/${service}/*  ${team()}`);
    else if (roll < 0.8) out.push(`/services/${service}/**/*.sql ${team()}`);
    else if (roll < 0.84) out.push(`/docs/${pick(WORDS)}/ ${team()}`);
    else if (roll < 0.87) out.push(`*${pick(EXTENSIONS)} ${team()}`);
    else if (roll < 0.89) out.push(`${pick(["Dockerfile", "Makefile", "go.mod", "package.json"])} ${team()}`);
    else if (roll < 0.91) out.push(`**/${pick(MODULE_WORDS)}/ ${team()}`);
    else if (roll < 0.93) out.push(`/infra/${pick(["terraform", "k8s", "helm"])}/${pick(WORDS)}/ ${team()}`);
    else if (roll < 0.95) out.push(`/services/*/${pick(MODULE_WORDS)}/ ${team()}`);
    else if (roll < 0.97) out.push(`/packages/${pick(WORDS)}/ ${team()}`);
    else out.push(`/services/${service}/${pick(modulesOf.get(service)!)}/generated/`);
  }
  return out.slice(0, lines).join("\n") + "\n";
}

const TYPICAL = `# Default owners
*                       @acme/platform-eng

# Services
/services/                 @acme/backend-core
/services/*/api/           @acme/api-guild
/services/${services[0]}/  @acme/payments-eng @alice
/services/${services[1]}/  @acme/search-eng
/services/${services[2]}/  @acme/identity-eng # security review
/services/${services[3]}/  @acme/catalog-eng
/services/${services[4]}/  @acme/orders-eng

# Docs
*.md                    @acme/docs-writers
/docs/                  @acme/docs-writers
/docs/*                 @acme/docs-leads
README.md               @acme/platform-eng

# Infrastructure
/infra/                 @acme/sre-core
/infra/terraform/       @acme/sre-cloud
/infra/k8s/             @acme/sre-k8s
Dockerfile              @acme/sre-core
/.github/               @acme/platform-eng
/.github/workflows/     @acme/ci-owners

# Data
/db/migrations/         @acme/dba @acme/data-core
*.sql                   @acme/dba
**/migrations/          @acme/dba
*.proto                 @acme/api-guild

# Packages
/packages/              @acme/web-core
/packages/ui/           @acme/design-system
*.css                   @acme/design-system
*.tsx                   @acme/web-core

# Config
*.yaml                  @acme/sre-core
package.json            @acme/web-core
go.mod                  @acme/backend-core
/Makefile               @acme/platform-eng

# Generated code has no owner
/services/*/generated/
/packages/*/dist/

# Tests
*.test.ts               @acme/qa-guild
*.spec.ts               @acme/qa-guild
/services/${services[5]}/test/ @acme/qa-guild
`;

const paths = Array.from({ length: 3000 }, randomPath);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median over repetitions of `run(instance)`, each on a fresh instance from `setup()` (untimed). */
function measure<T>(setup: () => T, run: (instance: T) => void): number {
  run(setup()); // warm-up: JIT, regex compilation caches
  run(setup());
  const times: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const instance = setup();
    const start = process.hrtime.bigint();
    run(instance);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

interface Theirs {
  getOwner(path: string): string[];
  ownerEntries: { path: string; usernames: string[]; match(path: string): boolean }[];
}

function ownersTheirs(dir: string): Theirs {
  return new Codeowners(dir) as unknown as Theirs;
}

/** Our lookups without the index: every compiled line from the last, for the index's share of the speed. */
function everyLineMatcher(content: string) {
  const rules = parseCodeowners(content, ".github/CODEOWNERS").rules;
  const compiled = rules.map((rule) => compilePattern(rule.pattern));
  return (path: string): CodeownersRule | null => {
    const segments = splitPath(path);
    for (let i = compiled.length - 1; i >= 0; i--) if (compiled[i]!.matches(segments)) return rules[i]!;
    return null;
  };
}

function explain(path: string, ours: CodeownersRule | null, theirPattern: string | undefined, theirOwners: string[]): string {
  if (theirOwners.some((o) => o.startsWith("#"))) return "the package reads the trailing # comment as owners; GitHub allows a ` # comment` after the owners (rule 4)";
  if (theirPattern?.endsWith("/*") && path.slice(theirPattern.replace(/^\//, "").length - 1).includes("/")) {
    return `"${theirPattern}" matches one level only on GitHub (rule 15), but a gitignore \`*\` takes the whole directory below`;
  }
  if (ours && ours.pattern.endsWith("/*")) return `"${ours.pattern}" matches one level only on GitHub (rule 15)`;
  if (theirPattern !== undefined && ours?.pattern !== theirPattern) return `GitHub's last matching line is ${ours ? `"${ours.pattern}"` : "none"}; gitignore semantics pick "${theirPattern}"`;
  return "owners differ";
}

function compare(label: string, content: string): void {
  const dir = mkdtempSync(join(tmpdir(), "codeowners-bench-"));
  try {
    mkdirSync(join(dir, ".github"));
    writeFileSync(join(dir, ".github", "CODEOWNERS"), content);
    const lines = content.split("\n").length - 1;

    const oursCompile = measure(() => content, (text) => void compileCodeowners(parseCodeowners(text, ".github/CODEOWNERS")));
    const theirsCompile = measure(() => dir, (d) => void ownersTheirs(d));
    const oursLookup = measure(
      () => compileCodeowners(parseCodeowners(content, ".github/CODEOWNERS")),
      (matcher) => {
        for (const path of paths) matcher.ownersOf(path);
      },
    );
    const everyLine = measure(
      () => everyLineMatcher(content),
      (lookup) => {
        for (const path of paths) lookup(path);
      },
    );
    const theirsLookup = measure(
      () => ownersTheirs(dir),
      (co) => {
        for (const path of paths) co.getOwner(path);
      },
    );

    const perFile = (ms: number) => ((ms * 1000) / paths.length).toFixed(2);
    console.log(`\n${label}: ${lines} lines, ${paths.length} changed paths (median of ${REPETITIONS})`);
    console.log(`  parse + compile     ours ${oursCompile.toFixed(2)} ms    codeowners ${theirsCompile.toFixed(2)} ms    ratio ${(theirsCompile / oursCompile).toFixed(1)}x`);
    console.log(`  lookups, all paths  ours ${oursLookup.toFixed(2)} ms    codeowners ${theirsLookup.toFixed(2)} ms`);
    console.log(`  per file            ours ${perFile(oursLookup)} µs    codeowners ${perFile(theirsLookup)} µs    ratio ${(theirsLookup / oursLookup).toFixed(1)}x (codeowners time / ours)`);
    console.log(`  ours without the line index: ${perFile(everyLine)} µs per file (the index makes lookups ${(everyLine / oursLookup).toFixed(1)}x faster)`);

    // Same answers with and without the index (a sanity check on every path of the run).
    const matcher = compileCodeowners(parseCodeowners(content, ".github/CODEOWNERS"));
    const scan = everyLineMatcher(content);
    const indexMismatches = paths.filter((p) => matcher.ownersOf(p)?.line !== scan(p)?.line).length;
    if (indexMismatches > 0) throw new Error(`the index changed ${indexMismatches} answers`);

    const theirs = ownersTheirs(dir);
    const disagreements: string[] = [];
    for (const path of paths) {
      const ours = matcher.ownersOf(path);
      const ourOwners = ours ? ours.owners.map(formatOwner) : [];
      const theirOwners = theirs.getOwner(path);
      if (ourOwners.join(" ") !== theirOwners.join(" ")) disagreements.push(path);
    }
    console.log(`  disagreements: ${disagreements.length} of ${paths.length} paths`);
    const shown = new Set<string>();
    for (const path of disagreements) {
      const ours = matcher.ownersOf(path);
      const entry = theirs.ownerEntries.find((e) => e.match(path));
      const reason = explain(path, ours, entry?.path, entry?.usernames ?? []);
      const kind = reason.slice(0, 40);
      if (shown.has(kind)) continue;
      shown.add(kind);
      console.log(`    ${path}`);
      console.log(`      GitHub rules (ours): ${ours ? `line ${ours.line} "${ours.pattern}" -> ${ours.owners.map(formatOwner).join(" ") || "no owner"}` : "no line matches -> no owner"}`);
      console.log(`      codeowners package:  "${entry?.path ?? "-"}" -> ${(entry?.usernames ?? []).join(" ") || "no owner"}`);
      console.log(`      why: ${reason}`);
      if (shown.size >= 3) break;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`node ${process.version}, codeowners package 5.1.1 (gitignore matching via ignore 3.x)`);
compare("large CODEOWNERS", largeCodeowners(10_000));
compare("typical CODEOWNERS", TYPICAL);
