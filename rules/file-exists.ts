import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import { fail, pass, unknown } from "../src/engine/types.js";
import type { FactRequest, Finding } from "../src/engine/types.js";

/** Characters that make a pattern a glob rather than one file's name. */
const GLOB_SYNTAX = /[*?[\]{}]/;

/** Why a pattern cannot name a file that must exist; undefined when it can. */
function patternProblem(pattern: string): string | undefined {
  if (pattern.startsWith("!")) return "paths lists files that must exist, so it cannot exclude: remove the !";
  if (pattern.startsWith("/")) return "write paths relative to the repository root, without the leading /";
  if (pattern.endsWith("/")) return `write "${pattern}**" to require a file in this directory`;
  return undefined;
}

const options = z
  .object({
    paths: globs
      .default([])
      .describe('Required. Files that must exist in the repository at the head of the pull request, such as SECURITY.md or .github/CODEOWNERS. Each entry is a path or a glob ("docs/adr/*.md") that must match at least one file; names are case-sensitive.'),
  })
  .strict()
  .check((ctx) => {
    if (ctx.value.paths.length === 0) {
      ctx.issues.push({
        code: "custom",
        input: ctx.value.paths,
        path: ["paths"],
        message: "file-exists has nothing to check: list the files that must exist under paths, such as paths: [SECURITY.md]",
      });
    }
    for (const [index, pattern] of ctx.value.paths.entries()) {
      const problem = patternProblem(pattern);
      if (problem) ctx.issues.push({ code: "custom", input: pattern, path: ["paths", index], message: problem });
    }
  });

type Options = z.output<typeof options>;

/** The same pattern, ignoring case: to point out "security.md" when SECURITY.md is required. */
const caseInsensitive = (pattern: string) => {
  const match = globMatcher([pattern.toLowerCase()]);
  return (path: string) => match(path.toLowerCase());
};

export default defineRule({
  id: "file-exists",
  area: "documentation",
  defaultLevel: "bronze",
  subjects: ["pull", "branch"],
  description: "Every file the repository must always have (such as SECURITY.md or a CODEOWNERS) exists at the head of the pull request (on a branch: at its commit).",
  fix: "Add the listed files, or restore them if this pull request removes them.",
  options,
  needs: (): FactRequest[] => [{ kind: "tree", ref: "head" }],
  evaluate(facts, o: Options) {
    const onBranch = facts.subject.kind === "branch";
    const commit = onBranch ? "this commit" : "the head commit";
    // Where a missing file is missing: "at the head of this pull request" | "on main".
    const where = onBranch ? (facts.subject.ref ? `on ${facts.subject.ref}` : "at this commit") : "at the head of this pull request";
    const tree = facts.trees.head;
    if (!tree) return unknown(`cannot list the repository's files at ${commit}: the file tree was not gathered`);
    if (!tree.known) return unknown(`cannot list the repository's files at ${commit}: ${tree.reason}`);
    const found: string[] = [];
    const findings: Finding[] = [];
    for (const pattern of o.paths) {
      const match = tree.value.find(globMatcher([pattern]));
      if (match !== undefined) {
        found.push(match === pattern ? pattern : `${match} (${pattern})`);
        continue;
      }
      const isGlob = GLOB_SYNTAX.test(pattern);
      const otherCase = tree.value.find(caseInsensitive(pattern));
      findings.push({
        message: isGlob
          ? `no file matches ${pattern} ${where}: add one`
          : `${pattern} does not exist ${where}: add it`,
        details: otherCase !== undefined ? [`${otherCase} differs only in case: rename it, or write that name in paths`] : [],
      });
    }
    return findings.length > 0 ? fail(findings) : pass(`found ${found.join(", ")}`);
  },
});
