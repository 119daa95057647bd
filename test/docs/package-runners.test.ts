/**
 * No doc tells anyone to run a package by a name this project does not own. `npx NAME` (and
 * `npm exec`, `pnpm dlx`, `yarn dlx`, `bunx`) runs NAME from the current project's dependencies
 * or, failing that, downloads whatever the registry has under that name, without asking when
 * standard input is not a terminal (a git hook). This package is private and unpublished, so
 * `npx readiness` would fetch a stranger's package.
 */
import { describe, expect, test } from "@jest/globals";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; bin?: string | Record<string, string>; name: string };

/** Commands `npx` finds in this project's own node_modules/.bin: the bins of its direct dependencies. */
function dependencyBins(): Set<string> {
  const manifest = readJson(join(ROOT, "package.json"));
  const bins = new Set<string>();
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const pkg = readJson(join(ROOT, "node_modules", dep, "package.json"));
    if (typeof pkg.bin === "string") bins.add(pkg.name.replace(/^@[^/]+\//, ""));
    else for (const name of Object.keys(pkg.bin ?? {})) bins.add(name);
  }
  return bins;
}

const RUNNER = /(?:^|[\s`'"(|;&])(?:npx|bunx|npm\s+(?:exec|x)|pnpm\s+dlx|yarn\s+dlx)((?:\s+(?:--?[\w-]+(?:=\S+)?|--))*)\s+([@\w][\w@./-]*)/gm;

/** The names a text runs through a package runner, with their line numbers. */
function packageRunnerNames(text: string): { name: string; line: number }[] {
  return [...text.matchAll(RUNNER)].map((match) => ({ name: match[2]!, line: text.slice(0, match.index + match[0].length).split("\n").length }));
}

const docs = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

describe("finding package-runner invocations", () => {
  test.each([
    ["git diff | npx readiness scan -", ["readiness"]],
    ["entry: npx readiness scan", ["readiness"]],
    ["npx --yes readiness scan", ["readiness"]],
    ["`npx tsx bench/run.ts`", ["tsx"]],
    ["npm exec -- readiness scan", ["readiness"]],
    ["pnpm dlx readiness\nbunx @evil/readiness", ["readiness", "@evil/readiness"]],
    ["readiness scan . # no runner", []],
    ["npm ci && npm link", []],
  ])("%j", (text, names) => {
    expect(packageRunnerNames(text).map((hit) => hit.name)).toEqual(names);
  });
});

/** The text of a markdown file's commands: fenced blocks and inline code, everything else blanked (lines kept). */
function codeOnly(markdown: string): string {
  const keep = (text: string) => text;
  const blank = (text: string) => text.replace(/[^\n]/g, " ");
  return markdown
    .split(/(```[\s\S]*?```)/)
    .map((part) => (part.startsWith("```") ? keep(part) : part.split(/(`[^`\n]+`)/).map((span) => (span.startsWith("`") ? keep(span) : blank(span))).join("")))
    .join("");
}

test("only commands count: fenced blocks and inline code", () => {
  expect(packageRunnerNames(codeOnly("npx would fetch it\n`npx readiness scan`\n```sh\nnpx other\n```\n"))).toEqual([
    { name: "readiness", line: 2 },
    { name: "other", line: 4 },
  ]);
});

test.each(docs)("%s runs no package by a name this project does not own", (doc) => {
  const owned = dependencyBins();
  const strangers = packageRunnerNames(codeOnly(readFileSync(join(ROOT, doc), "utf8")))
    .filter((hit) => !owned.has(hit.name))
    .map((hit) => `${doc}:${hit.line}: ${hit.name}`);
  expect(strangers).toEqual([]);
});
