import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import type { FactRequest, Facts } from "../src/engine/types.js";
import { findSection, headings, parseWantedSection, withoutHtmlComments } from "./lib/markdown-sections.js";
import { listed, newOutcome, settle } from "./lib/outcome.js";
import type { Outcome } from "./lib/outcome.js";

const sectionHeading = z
  .string()
  .refine((s) => parseWantedSection(s).text !== "", { message: 'expected a heading such as "## Rollback plan" or "Rollback plan"' });

const prBody = z
  .object({
    "min-length": z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("The description must be at least this many characters long, not counting HTML comments (template placeholders). 0: no minimum."),
    sections: z
      .array(sectionHeading)
      .default([])
      .describe('Headings the description must contain, each followed by some text: "## Rollback plan" must be a level-2 heading, "Rollback plan" may be any level. Case and trailing colons do not matter; HTML comments do not count as text.'),
  })
  .strict();

/** The description is only read when something is asked of it. */
const bodyMatters = (b: z.output<typeof prBody>): boolean => b["min-length"] > 0 || b.sections.length > 0;

const options = z
  .object({
    require: globs
      .default(["docs/**", "CHANGELOG.md", "**/*.md"])
      .describe("A file matching one of these must be added or modified (removing documentation does not count). []: no file is required."),
    "pr-body": prBody.prefault({}).describe("What the pull request description must contain. Off unless min-length or sections is set."),
  })
  .strict()
  .refine((o) => o.require.length > 0 || bodyMatters(o["pr-body"]), {
    message: "docs has nothing to check: list paths in require, or set pr-body min-length or sections",
  });

type Options = z.output<typeof options>;

function judgeFiles(facts: Facts, require: readonly string[], out: Outcome): void {
  if (!facts.files.known) {
    out.undecidable.push(`cannot tell whether documentation changed: ${facts.files.reason}`);
    return;
  }
  const isDoc = globMatcher(require);
  const docs = facts.files.value.filter((f) => isDoc(f.path));
  const written = docs.filter((f) => f.status !== "removed" && f.status !== "unchanged").map((f) => f.path);
  if (written.length > 0) {
    out.passed.push(`${listed(written)} changed`);
    return;
  }
  const removed = docs.filter((f) => f.status === "removed").map((f) => f.path);
  out.findings.push({
    message: `code changed but no documentation did: add or update a file matching ${require.join(", ")}`,
    details: removed.length > 0 ? [`removing documentation (${listed(removed)}) does not count`] : [],
  });
}

function judgeBody(body: string, o: Options["pr-body"], out: Outcome): void {
  const minLength = o["min-length"];
  if (minLength > 0) {
    const length = Array.from(withoutHtmlComments(body).trim()).length;
    if (length < minLength) {
      out.findings.push({
        message: `the pull request description is ${length} characters long; it needs at least ${minLength}`,
        details: ["HTML comments (template placeholders) are not counted"],
      });
    } else {
      out.passed.push(`the description is ${length} characters long`);
    }
  }
  if (o.sections.length === 0) return;
  const document = headings(body);
  const present: string[] = [];
  for (const section of o.sections) {
    const wanted = parseWantedSection(section);
    const found = findSection(document, wanted);
    if (found.state === "filled") {
      present.push(wanted.text);
    } else if (found.state === "empty") {
      out.findings.push({
        message: `the "${section}" section of the pull request description is empty`,
        details: ["write it under the heading; HTML comments (template placeholders) do not count"],
      });
    } else {
      const other = found.sameTextElsewhere;
      out.findings.push({
        message: `the pull request description has no "${section}" section`,
        details: [
          other
            ? `line ${other.line} has "${"#".repeat(other.level)} ${other.text}", a heading of another level; write it as "${section}"`
            : `add a heading "${section}" to the description and fill it in`,
        ],
      });
    }
  }
  if (present.length > 0) out.passed.push(`the description has ${present.join(", ")}`);
}

export default defineRule({
  id: "docs",
  area: "documentation",
  defaultLevel: "silver",
  subjects: ["pull"],
  description: "Code changes come with documentation: an updated doc or changelog, and a pull request description with the required sections.",
  fix: "Update the documentation or changelog, and fill in the required sections of the pull request description.",
  defaultWhen: ["src/**", "lib/**", "app/**"],
  options,
  needs: (o: Options): FactRequest[] => [
    ...(o.require.length > 0 ? [{ kind: "files" } as const] : []),
    ...(bodyMatters(o["pr-body"]) ? [{ kind: "pull" } as const] : []),
  ],
  evaluate(facts, o) {
    const out = newOutcome();
    if (o.require.length > 0) judgeFiles(facts, o.require, out);
    if (bodyMatters(o["pr-body"])) {
      if (facts.pull.known) judgeBody(facts.pull.value.body, o["pr-body"], out);
      else out.undecidable.push(`cannot read the pull request description: ${facts.pull.reason}`);
    }
    return settle(out);
  },
});
