/**
 * docs/operations.md lists every environment variable, and nothing else: the names the code reads
 * (src/), and those Probot reads itself (its own source, in node_modules), against the table.
 */
import { describe, expect, test } from "@jest/globals";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

function files(dir: string, pattern: RegExp, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) files(path, pattern, out);
    else if (pattern.test(name)) out.push(path);
  }
  return out;
}

/** Names read as `env.NAME`, `env["NAME"]` or `…FromEnv(env, "NAME"` (the project's helpers). */
export function envReads(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\])|FromEnv\(\s*[\w.]+\s*,\s*["']([A-Z][A-Z0-9_]+)["']/g)) {
    names.add((match[1] ?? match[2] ?? match[3])!);
  }
  return [...names];
}

const operations = read("docs/operations.md");
const tableStart = operations.indexOf("## Environment variables");
const table = operations.slice(tableStart, operations.indexOf("\n## ", tableStart + 1));
const documented = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!);

// The GitHub Action (src/action) reads the runner's variables (GITHUB_OUTPUT …), documented with the Action in README.
const readByApp = [...new Set(files("src", /\.ts$/).filter((file) => !file.startsWith("src/action/")).flatMap((file) => envReads(read(file))))].sort();
const readByProbot = [
  ...new Set([
    ...files("node_modules/probot/lib", /\.js$/).flatMap((file) => envReads(read(file))),
    ...files("node_modules/@probot/get-private-key", /\.js$/).flatMap((file) => envReads(read(file))),
  ]),
];
/** Probot reads these only to run inside GitHub Actions or to integrate with Glitch; the server never uses them. */
const PROBOT_OUTSIDE_THE_SERVER = new Set(["GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_TOKEN", "PROJECT_DOMAIN", "NO_SMEE_SETUP", "GITHUB_ACTIONS"]);

describe("the reader of env reads", () => {
  test.each([
    ['const a = env.APP_ID; env["REDIS_URL"]', ["APP_ID", "REDIS_URL"]],
    ['positiveIntegerFromEnv(env, "READINESS_CONCURRENCY", 4)', ["READINESS_CONCURRENCY"]],
    ["process.env.READINESS_METRICS_TOKEN", ["READINESS_METRICS_TOKEN"]],
    ["io.env.READINESS_DEBUG && env.lowercase", ["READINESS_DEBUG"]],
  ])("%s", (source, names) => {
    expect(envReads(source)).toEqual(names);
  });
});

test("the table lists each variable once", () => {
  expect(documented.length).toBeGreaterThan(20);
  expect(documented.filter((name, i) => documented.indexOf(name) !== i)).toEqual([]);
});

test("every variable the code reads is in the table", () => {
  expect(readByApp.length).toBeGreaterThan(15);
  expect(readByApp.filter((name) => !documented.includes(name))).toEqual([]);
});

test("every variable Probot's server reads is in the table", () => {
  expect(readByProbot).toEqual(expect.arrayContaining(["APP_ID", "WEBHOOK_SECRET", "GHE_HOST", "PRIVATE_KEY"]));
  expect(readByProbot.filter((name) => !PROBOT_OUTSIDE_THE_SERVER.has(name) && !documented.includes(name))).toEqual([]);
});

test("the table lists nothing that neither the code nor Probot reads", () => {
  expect(documented.filter((name) => !readByApp.includes(name) && !readByProbot.includes(name))).toEqual([]);
});

test("README links to the operations guide", () => {
  expect(read("README.md")).toContain("(docs/operations.md)");
});

test("it covers what an operator needs", () => {
  const headings = [...operations.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!);
  expect(headings).toEqual(
    expect.arrayContaining([
      "Environment variables",
      "Registering and installing the app",
      "Making `readiness` a required check",
      "The deployment gate",
      "Running behind a proxy or TLS terminator",
      "GitHub Enterprise Server",
      "Scaling out",
      "Backups and upgrades of the store",
      "Local development with a webhook proxy",
      "When GitHub is down",
      "Reading the metrics",
    ]),
  );
});

test("every metric the app registers is described in 'Reading the metrics'", () => {
  const metrics = read("src/ops/metrics.ts");
  const names = [...metrics.matchAll(/name: "(readiness_[a-z_]+)"/g)].map((m) => m[1]!);
  expect(names.length).toBeGreaterThanOrEqual(10);
  const section = operations.slice(operations.indexOf("## Reading the metrics"));
  expect(names.filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
});
