import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import { fail, pass, skip, unknown } from "../src/engine/types.js";
import type { FactRequest, Finding } from "../src/engine/types.js";
import { listed, plural } from "./lib/outcome.js";

const pair = z
  .object({
    when: globs.describe("Paths whose change makes the requirement apply."),
    require: globs.describe("Paths of which at least one must change too."),
    message: z.string().max(300).optional().describe("Why they belong together, said in the finding."),
  })
  .strict();

const options = z
  .object({
    pairs: z
      .array(pair)
      .default([])
      .describe(
        'Required. When a path matching when changes, a path matching require must change in the same pull request, such as [{ when: "proto/**", require: "gen/**", message: "regenerate the clients" }]. Added, changed, removed and renamed files all count.',
      ),
  })
  .strict()
  .check((ctx) => {
    if (ctx.value.pairs.length === 0) {
      ctx.issues.push({ code: "custom", input: ctx.value.pairs, path: ["pairs"], message: 'changed-together has nothing to check: list pairs, such as pairs: [{ when: "proto/**", require: "gen/**" }]' });
    }
  });

type Options = z.output<typeof options>;

export default defineRule({
  id: "changed-together",
  area: "hygiene",
  defaultLevel: "bronze",
  subjects: ["pull"],
  description: "Files that belong together change together: when a pull request changes paths of one side of a configured pair, it changes the other side too.",
  fix: "Change (regenerate, update) the required files in the same pull request.",
  options,
  needs: (): FactRequest[] => [{ kind: "files" }],
  evaluate(facts, o: Options) {
    if (!facts.files.known) return unknown(`cannot tell which files changed: ${facts.files.reason}`);
    const changed = facts.files.value.filter((f) => f.status !== "unchanged").flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path]));
    const findings: Finding[] = [];
    let applied = 0;
    for (const p of o.pairs) {
      const trigger = changed.filter(globMatcher(p.when));
      if (trigger.length === 0) continue;
      applied++;
      if (changed.some(globMatcher(p.require))) continue;
      findings.push({
        message: `${listed(trigger)} changed, but nothing matching ${p.require.join(", ")}: change ${p.require.length === 1 ? "it" : "one of them"} in this pull request too${p.message ? ` (${p.message})` : ""}`,
      });
    }
    if (applied === 0) return skip("no changed file matches a pair's when");
    return findings.length > 0 ? fail(findings) : pass(`${plural(applied, "pair")} changed together`);
  },
});
