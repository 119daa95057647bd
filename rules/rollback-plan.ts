import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import { fail, pass, skip, unknown } from "../src/engine/types.js";
import type { FactRequest, Finding } from "../src/engine/types.js";
import { findSection, headings, parseWantedSection, withoutHtmlComments } from "./lib/markdown-sections.js";
import type { Heading } from "./lib/markdown-sections.js";
import { listed } from "./lib/outcome.js";

/** Schema changes, deployment and infrastructure: changes a plain revert may not undo. */
const DEFAULT_RISKY = ["**/migrations/**", "**/*.sql", "deploy/**", "infra/**", "terraform/**", "**/*.tf", "helm/**", "charts/**", "k8s/**"];

/** Risky files a finding names before the rest are counted. */
const NAMED_FILES = 5;

const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;

const options = z
  .object({
    risky: globs
      .default(DEFAULT_RISKY)
      .describe(
        "Changes that need a rollback plan: the rule applies when an added, modified, renamed or removed file matches one of these (a renamed file by its old path too). Setting it replaces the default list; use when only for further conditions such as labels or the base branch.",
      ),
    section: z
      .string()
      .refine((s) => parseWantedSection(s).text !== "", { message: 'expected a heading such as "## Rollback plan" or "Rollback plan"' })
      .default("Rollback plan")
      .describe('The heading of the plan in the pull request description: "Rollback plan" may be any level, "## Rollback plan" must be a level-2 heading. Case and trailing colons do not matter.'),
    "min-length": z
      .number()
      .int()
      .min(1)
      .default(20)
      .describe('Characters of text the section must hold, not counting HTML comments (template placeholders), headings or runs of whitespace: "N/A" is not a plan.'),
    "accept-labels": z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .transform((v) => (typeof v === "string" ? [v] : v))
      .default([])
      .describe("Labels that stand in for a plan: a visible, reviewable decision that the change needs none (such as no-rollback-needed). Compared case-insensitively, as GitHub compares label names."),
  })
  .strict()
  .refine((o) => o.risky.length > 0, { message: "risky must list at least one glob: with none the rule never applies (switch it off instead)", path: ["risky"] });

type Options = z.output<typeof options>;

/** The section's text, HTML comments, headings (its own and deeper ones) and setext underlines left out, whitespace collapsed. */
function sectionText(body: string, document: readonly Heading[], heading: Heading): string {
  const lines = withoutHtmlComments(body).split(/\r\n|\r|\n/);
  const next = document.find((h) => h.line > heading.line && h.level <= heading.level);
  const end = next ? next.line - 1 : lines.length;
  const headingLines = new Set<number>();
  for (const h of document) {
    if (h.line < heading.line || h.line > end) continue;
    headingLines.add(h.line);
    if (!ATX_HEADING.test(lines[h.line - 1] ?? "")) headingLines.add(h.line + 1);
  }
  const text: string[] = [];
  for (let line = heading.line; line <= end; line++) if (!headingLines.has(line)) text.push(lines[line - 1] ?? "");
  return text.join(" ").replace(/\s+/g, " ").trim();
}

type PlanCheck = { readonly ok: true; readonly length: number } | { readonly ok: false; readonly problem: string; readonly hint?: string };

function checkPlan(body: string, o: Options): PlanCheck {
  const document = headings(body);
  const found = findSection(document, parseWantedSection(o.section));
  if (found.state === "missing") {
    const other = found.sameTextElsewhere;
    return {
      ok: false,
      problem: `its description has no "${o.section}" section`,
      ...(other ? { hint: `line ${other.line} has "${"#".repeat(other.level)} ${other.text}", a heading of another level; write it as "${o.section}"` } : {}),
    };
  }
  const length = found.state === "empty" ? 0 : Array.from(sectionText(body, document, found.heading)).length;
  if (length === 0) return { ok: false, problem: `the "${o.section}" section of its description is empty` };
  if (length < o["min-length"]) {
    return { ok: false, problem: `the "${o.section}" section of its description holds ${length} characters, too short for a plan (at least ${o["min-length"]})` };
  }
  return { ok: true, length };
}

export default defineRule({
  id: "rollback-plan",
  area: "reliability",
  defaultLevel: "silver",
  subjects: ["pull"],
  description: "Risky changes (migrations, SQL, deployment and infrastructure) come with a rollback plan in the pull request description.",
  fix: "Add a rollback plan to the pull request description: how to undo the change (revert steps, down migration, feature flag).",
  options,
  tighten: { risky: "superset", "min-length": "at-least", "accept-labels": "subset" },
  needs: (): FactRequest[] => [{ kind: "files" }, { kind: "pull" }],
  evaluate(facts, o: Options) {
    let risky: string[] | null = null;
    const filesUnknown = facts.files.known ? null : facts.files.reason;
    if (facts.files.known) {
      const matches = globMatcher(o.risky);
      risky = facts.files.value
        .filter((f) => f.status !== "unchanged" && (matches(f.path) || (f.previousPath !== undefined && matches(f.previousPath))))
        .map((f) => f.path);
      if (risky.length === 0) return skip(`no changed file matches ${o.risky.join(", ")}`);
    }
    if (!facts.pull.known) return unknown(`cannot read the pull request description: ${facts.pull.reason}`);

    const accepted = o["accept-labels"].map((l) => l.toLowerCase());
    const label = facts.pull.value.labels.find((l) => accepted.includes(l.toLowerCase()));
    if (label !== undefined) return pass(`the label ${label} says no rollback plan is needed`);

    const plan = checkPlan(facts.pull.value.body, o);
    if (plan.ok) return pass(`the description has a rollback plan (${plan.length} characters)`);
    // The plan is missing, but whether the rule applies at all cannot be told.
    if (risky === null) return unknown(`cannot tell whether risky files changed: ${filesUnknown}`);

    const details = [
      plan.hint ?? `write under a "${o.section}" heading how to undo this change: revert steps, down migration, feature flag, and what cannot be undone (data written meanwhile)`,
      ...(o["accept-labels"].length > 0 ? [`or, when nothing needs a plan, add the label ${o["accept-labels"].join(" or ")}`] : []),
    ];
    const finding: Finding = {
      message: `this pull request changes ${listed(risky, NAMED_FILES)} but ${plan.problem}`,
      path: risky[0],
      details,
    };
    return fail([finding]);
  },
});
