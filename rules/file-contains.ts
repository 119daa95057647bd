import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globPattern } from "../src/engine/globs.js";
import { contentKey, fail, pass, unknown } from "../src/engine/types.js";
import type { FactRequest, Facts, Finding } from "../src/engine/types.js";
import { checkConfigPattern, compileLineSearch } from "../src/secrets/pattern.js";
import type { LineSearch } from "../src/secrets/pattern.js";
import { plural } from "./lib/outcome.js";

/** Files read per evaluation across all checks. */
export const MAX_FILES = 50;

/** A pattern from the configuration: RE2 syntax, run by re2js in time linear in each line. */
const linePattern = z
  .string()
  .min(1)
  .max(500)
  .superRefine((source, ctx) => {
    const problem = checkConfigPattern(source);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const check = z
  .object({
    path: globPattern.describe("The file (or a glob: every matching file) to read at the head commit."),
    contains: z.array(linePattern).default([]).describe("Patterns that must each match a line of the file."),
    "not-contains": z.array(linePattern).default([]).describe("Patterns no line of the file may match."),
    "ignore-case": z.boolean().default(false).describe("Match the patterns regardless of case."),
    message: z.string().max(300).optional().describe("Said with each finding: why the content is required."),
  })
  .strict()
  .refine((c) => c.contains.length + c["not-contains"].length > 0, { message: "a check needs contains or not-contains patterns" });

const options = z
  .object({
    checks: z
      .array(check)
      .default([])
      .describe(
        'Required. What files must (contains) and must not (not-contains) say, each pattern matched line by line with RE2 syntax, such as [{ path: README.md, contains: ["^## Support"] }, { path: "**/*.tf", not-contains: ["0\\\\.0\\\\.0\\\\.0/0"] }]. A missing file fails.',
      ),
  })
  .strict()
  .check((ctx) => {
    if (ctx.value.checks.length === 0) {
      ctx.issues.push({ code: "custom", input: ctx.value.checks, path: ["checks"], message: "file-contains has nothing to check: list checks, such as checks: [{ path: README.md, contains: [\"^## Support\"] }]" });
    }
  });

type Options = z.output<typeof options>;
type Check = Options["checks"][number];

const GLOB_SYNTAX = /[*?[\]{}]/;

function filesOf(facts: Facts, c: Check): string[] | undefined {
  if (!GLOB_SYNTAX.test(c.path)) return [c.path];
  const tree = facts.trees.head;
  return tree?.known ? tree.value.filter(globMatcher([c.path])) : undefined;
}

const usesGlobs = (o: Options): boolean => o.checks.some((c) => GLOB_SYNTAX.test(c.path));

function wantedFiles(facts: Facts, o: Options): string[] {
  const all = new Set<string>();
  for (const c of o.checks) for (const path of filesOf(facts, c) ?? []) all.add(path);
  return [...all].slice(0, MAX_FILES);
}

const searches = new Map<string, LineSearch>();
function search(source: string, ignoreCase: boolean): LineSearch {
  const key = `${ignoreCase ? "i" : "s"}:${source}`;
  let compiled = searches.get(key);
  if (!compiled) {
    compiled = compileLineSearch(source, ignoreCase);
    if (searches.size > 200) searches.clear();
    searches.set(key, compiled);
  }
  return compiled;
}

export default defineRule({
  id: "file-contains",
  area: "hygiene",
  defaultLevel: "bronze",
  subjects: ["pull", "branch"],
  description: "Configured files contain the lines they must (a support section, a licence header) and none they must not, checked with linear-time patterns.",
  fix: "Add the required content to the listed files, and remove the forbidden lines.",
  options,
  needs: (o: Options): FactRequest[] => [
    ...(usesGlobs(o) ? [{ kind: "tree", ref: "head" } as const] : []),
    ...o.checks.filter((c) => !GLOB_SYNTAX.test(c.path)).map((c): FactRequest => ({ kind: "content", ref: "head", path: c.path })),
  ],
  followUp(facts, o: Options): FactRequest[] {
    return wantedFiles(facts, o).map((path) => ({ kind: "content", ref: "head", path }));
  },
  evaluate(facts, o: Options) {
    const findings: Finding[] = [];
    const undecided: string[] = [];
    const readable = new Set(wantedFiles(facts, o));
    let checkedFiles = 0;
    for (const c of o.checks) {
      const paths = filesOf(facts, c);
      const why = c.message ? ` (${c.message})` : "";
      if (paths === undefined) {
        const tree = facts.trees.head;
        undecided.push(`cannot list files for ${c.path}: ${tree && !tree.known ? tree.reason : "the file tree was not gathered"}`);
        continue;
      }
      if (paths.length === 0) {
        findings.push({ message: `no file matches ${c.path}: add one${c.contains.length > 0 ? ` that contains ${c.contains.join(", ")}` : ""}${why}` });
        continue;
      }
      for (const path of paths) {
        if (!readable.has(path)) {
          undecided.push(`${path} was not read: one evaluation reads at most ${MAX_FILES} files`);
          continue;
        }
        const content = facts.contents.get(contentKey("head", path));
        if (content === undefined || !content.known) {
          undecided.push(`cannot read ${path}: ${content === undefined ? "not gathered" : content.reason}`);
          continue;
        }
        if (content.value === null) {
          findings.push({ message: `${path} does not exist: add it${c.contains.length > 0 ? ` with lines matching ${c.contains.join(", ")}` : ""}${why}` });
          continue;
        }
        checkedFiles++;
        const lines = content.value.split(/\r\n|\r|\n/);
        for (const pattern of c.contains) {
          const s = search(pattern, c["ignore-case"]);
          if (!lines.some((line) => s.findAll(line).length > 0)) {
            findings.push({ message: `${path} has no line matching ${pattern}: add it${why}`, path });
          }
        }
        for (const pattern of c["not-contains"]) {
          const s = search(pattern, c["ignore-case"]);
          lines.forEach((line, index) => {
            if (s.findAll(line).length > 0) findings.push({ message: `line ${index + 1} of ${path} matches ${pattern}, which it must not: remove or change it${why}`, path, line: index + 1 });
          });
        }
      }
    }
    if (findings.length > 0) return fail([...findings, ...undecided.map((message): Finding => ({ message, severity: "notice" }))]);
    if (undecided.length > 0) return unknown(undecided.join("; "));
    return pass(`${plural(checkedFiles, "file")} checked`);
  },
});
