import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import { fail, pass, unknown } from "../src/engine/types.js";
import type { ChangedFile, FactRequest, Facts, Finding, PullRequestInfo, Verdict } from "../src/engine/types.js";
import { DEFAULT_LOCKFILES } from "../src/secrets/files.js";
import { listed, newOutcome, settle } from "./lib/outcome.js";

/** Machine-written files nobody reviews line by line: lockfiles, snapshots, vendored and built code. */
const DEFAULT_EXCLUDE = [
  ...DEFAULT_LOCKFILES,
  "**/*.snap",
  "**/__snapshots__/**",
  "**/vendor/**",
  "**/node_modules/**",
  "**/dist/**",
  "**/*.min.js",
  "**/*.min.css",
  "**/*.map",
];

/** How many of the largest files (or fullest directories) a finding names. */
const CONTRIBUTORS = 5;

const limit = (fallback: number, what: string) =>
  z.number().int().min(0).default(fallback).describe(`The most ${what} a pull request may change, not counting excluded files. 0: no limit.`);

const options = z
  .object({
    "max-lines": limit(800, "lines (additions plus deletions, as GitHub counts them)"),
    "max-files": limit(100, "files (added, modified, renamed or removed)"),
    exclude: globs
      .default(DEFAULT_EXCLUDE)
      .describe(
        "Files not counted towards either limit: lockfiles, snapshots, vendored and built code. Setting it replaces the default list. When GitHub cannot list a pull request's files (over 3,000), its totals for the whole pull request are used, excluded files included.",
      ),
  })
  .strict()
  .refine((o) => o["max-lines"] > 0 || o["max-files"] > 0, {
    message: "pr-size has nothing to check: set max-lines or max-files above 0, or switch the rule off",
  });

type Options = z.output<typeof options>;

/** 12345 → "12,345": counts people read at a glance. */
const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const amount = (n: number, word: string): string => `${thousands(n)} ${word}${n === 1 ? "" : "s"}`;

const linesOf = (f: ChangedFile): number => f.additions + f.deletions;

function largestFiles(files: readonly ChangedFile[]): string[] {
  return [...files]
    .filter((f) => linesOf(f) > 0)
    .sort((a, b) => linesOf(b) - linesOf(a) || a.path.localeCompare(b.path))
    .slice(0, CONTRIBUTORS)
    .map((f) => `${f.path}: ${amount(linesOf(f), "line")} (+${thousands(f.additions)} -${thousands(f.deletions)})`);
}

function fullestDirectories(files: readonly ChangedFile[]): string[] {
  const counts = new Map<string, number>();
  for (const f of files) {
    const slash = f.path.lastIndexOf("/");
    const directory = slash < 0 ? "the repository root" : `${f.path.slice(0, slash)}/`;
    counts.set(directory, (counts.get(directory) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .slice(0, CONTRIBUTORS)
    .map(([directory, n]) => `${directory}: ${amount(n, "file")}`);
}

const LINES_ADVICE = "split it into smaller pull requests, starting with the largest files";
const FILES_ADVICE = "split it into smaller pull requests, for example by directory";

/**
 * A pull request whose file list is unknown (over GitHub's 3,000-file listing cap) is judged by
 * GitHub's totals on the pull request object. They include excluded files: a total within a
 * limit is within it for certain, a total over it may be over only because of excluded files,
 * which the finding says. null when no enabled limit has its total.
 */
function judgeByTotals(pull: PullRequestInfo, filesUnknown: string, o: Options): Verdict | null {
  const lines = pull.additions !== undefined && pull.deletions !== undefined ? pull.additions + pull.deletions : undefined;
  const limits = [
    { max: o["max-lines"], total: lines, word: "line", advice: LINES_ADVICE },
    { max: o["max-files"], total: pull.changedFiles, word: "file", advice: FILES_ADVICE },
  ].filter((limit) => limit.max > 0);
  if (limits.every((limit) => limit.total === undefined)) return null;

  const outcome = newOutcome();
  const totalsNote = `counted from GitHub's totals for the whole pull request, excluded files included: ${filesUnknown}, so files matching exclude cannot be subtracted`;
  for (const { max, total, word, advice } of limits) {
    if (total === undefined) outcome.undecidable.push(`cannot count the ${word}s: ${filesUnknown}, and GitHub gave no total`);
    else if (total > max) outcome.findings.push({ message: `this pull request changes ${thousands(total)} ${word}s, more than the limit of ${thousands(max)}: ${advice}`, details: [totalsNote] });
  }
  if (outcome.findings.length > 0 || outcome.undecidable.length > 0) return settle(outcome);

  const size = [lines === undefined ? "" : amount(lines, "line"), pull.changedFiles === undefined ? "" : amount(pull.changedFiles, "file")].filter(Boolean).join(" in ");
  const within = limits.map(({ max, word }) => amount(max, word)).join(", ");
  return pass(`${size} by GitHub's totals, excluded files included (limit ${within}); the file list itself is unavailable: ${filesUnknown}`);
}

export default defineRule({
  id: "pr-size",
  area: "hygiene",
  defaultLevel: "silver",
  subjects: ["pull"],
  description: "The pull request is small enough to review well: within the configured numbers of changed lines and files, not counting lockfiles and generated code.",
  fix: "Split the pull request into smaller ones, each reviewable on its own, starting with the largest files listed.",
  options,
  tighten: { "max-lines": "limit", "max-files": "limit", exclude: "subset" },
  needs: (): FactRequest[] => [{ kind: "files" }],
  // Without the file list, GitHub's totals on the pull request object are the next best measure.
  followUp: (facts: Facts): FactRequest[] => (facts.files.known ? [] : [{ kind: "pull" }]),
  evaluate(facts, o: Options) {
    if (!facts.files.known) {
      const byTotals = facts.pull.known ? judgeByTotals(facts.pull.value, facts.files.reason, o) : null;
      return byTotals ?? unknown(`cannot measure the pull request: ${facts.files.reason}`);
    }
    const isExcluded = globMatcher(o.exclude);
    const counted = facts.files.value.filter((f) => !isExcluded(f.path));
    const excluded = facts.files.value.filter((f) => isExcluded(f.path)).map((f) => f.path);
    const lines = counted.reduce((sum, f) => sum + linesOf(f), 0);
    const notCounted = excluded.length > 0 ? [`not counted: ${listed(excluded)} (matching exclude)`] : [];

    const findings: Finding[] = [];
    const maxLines = o["max-lines"];
    if (maxLines > 0 && lines > maxLines) {
      findings.push({
        message: `this pull request changes ${thousands(lines)} lines, more than the limit of ${thousands(maxLines)}: ${LINES_ADVICE}`,
        details: [...largestFiles(counted), ...notCounted],
      });
    }
    const maxFiles = o["max-files"];
    if (maxFiles > 0 && counted.length > maxFiles) {
      findings.push({
        message: `this pull request changes ${thousands(counted.length)} files, more than the limit of ${thousands(maxFiles)}: ${FILES_ADVICE}`,
        details: [...fullestDirectories(counted), ...notCounted],
      });
    }
    if (findings.length > 0) return fail(findings);

    const limits = [maxLines > 0 ? `${thousands(maxLines)} lines` : "", maxFiles > 0 ? `${thousands(maxFiles)} files` : ""].filter(Boolean);
    const size = `${amount(lines, "line")} in ${amount(counted.length, "file")} (limit ${limits.join(", ")})`;
    return pass(excluded.length > 0 ? `${size}; ${amount(excluded.length, "excluded file")} not counted` : size);
  },
});
