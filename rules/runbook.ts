import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import { contentKey, fail, pass, unknown } from "../src/engine/types.js";
import type { FactRequest, Facts, Finding } from "../src/engine/types.js";
import { findSection, headings, parseWantedSection, withoutHtmlComments } from "./lib/markdown-sections.js";
import type { Heading } from "./lib/markdown-sections.js";
import { plural } from "./lib/outcome.js";

const DEFAULT_SECTIONS = ["Alerts", "Escalation", "Rollback"];
const DEFAULT_SERVICE = ["src/**", "app/**", "lib/**", "cmd/**", "internal/**", "pkg/**", "services/**", "deploy/**", "k8s/**", "helm/**", "charts/**"];
const DAY_MS = 24 * 60 * 60 * 1000;

/** Placeholder warnings listed one by one before the rest are summed up in one finding. */
const PLACEHOLDER_WARNINGS = 5;

/**
 * A line that stands in for content not written yet: it starts (after quote, list and checkbox
 * markers and emphasis) with an upper-case TODO, TBD, TBC or FIXME, as in "TBD", "- TODO: add
 * the dashboard", "_TBD_". Upper case only: "Todo app alerts" is a real heading's text.
 */
const PLACEHOLDER = /^\s*(?:>\s*)*(?:(?:[-*+]|\d+[.)])\s+)?(?:\[[ xX]\]\s+)?[*_]{0,3}(TODO|TBD|TBC|FIXME)(?![A-Za-z0-9])/;

/** A table cell left as a placeholder: "| Primary on-call | TBD |". */
const PLACEHOLDER_CELL = /\|\s*[*_]{0,3}(TODO|TBD|TBC|FIXME)(?![A-Za-z0-9])[^|]*(?:\||$)/;

interface Placeholder {
  readonly line: number;
  readonly word: string;
  /** The whole line is the placeholder (it fills nothing); false for a table cell. */
  readonly wholeLine: boolean;
}

const sectionHeading = z
  .string()
  .refine((s) => parseWantedSection(s).text !== "", { message: 'expected a heading such as "## Rollback" or "Rollback"' });

const repositoryPath = z
  .string()
  .min(1)
  .transform((p) => p.replace(/^(?:\.\/)+/, ""))
  .check((ctx) => {
    const p = ctx.value;
    const problem = p.startsWith("/")
      ? "write the path relative to the repository root, without the leading /"
      : p.endsWith("/") || p === ""
        ? "expected the path of one file, such as docs/runbook.md, not a directory"
        : p.split("/").includes("..")
          ? "the path must stay inside the repository: remove the .. segments"
          : /[*?]/.test(p)
            ? "expected the path of one file, not a glob: the runbook is one file"
            : undefined;
    if (problem) ctx.issues.push({ code: "custom", input: p, message: problem });
  });

const options = z
  .object({
    path: repositoryPath.default("docs/runbook.md").describe("Where the runbook lives in the repository, relative to its root. It is read at the pull request's head commit, so a pull request that adds it passes."),
    sections: z
      .array(sectionHeading)
      .default(DEFAULT_SECTIONS)
      .describe('Headings the runbook must contain, each followed by some text: "## Rollback" must be a level-2 heading, "Rollback" may be any level. Case and trailing colons do not matter; HTML comments and lines that only say TODO, TBD, TBC or FIXME do not count as text. []: the file only has to exist.'),
    "max-age-days": z
      .number()
      .int()
      .min(0)
      .default(180)
      .describe("Freshness, advisory: when a pull request changes the service (see service) and the runbook's last commit is older than this many days, a warning asks to review it. 0 switches it off. Judged on pull requests only."),
    service: globs
      .default(DEFAULT_SERVICE)
      .describe("The service's code, for freshness: a change to these paths is a change to what the runbook describes."),
  })
  .strict();

type Options = z.output<typeof options>;

function placeholdersIn(lines: readonly string[]): Placeholder[] {
  const found: Placeholder[] = [];
  lines.forEach((text, index) => {
    const whole = PLACEHOLDER.exec(text);
    const cell = whole ? null : PLACEHOLDER_CELL.exec(text);
    const word = whole?.[1] ?? cell?.[1];
    if (word !== undefined) found.push({ line: index + 1, word, wholeLine: whole !== null });
  });
  return found;
}

/** The last line of a section: before the next heading of the same or a higher level, or the end. */
function sectionEnd(document: readonly Heading[], heading: Heading, lastLine: number): number {
  const next = document.find((h) => h.line > heading.line && h.level <= heading.level);
  return next ? next.line - 1 : lastLine;
}

/** The changed service files, when the pull request changes the service and not the runbook. */
function serviceChangesWithoutRunbook(facts: Facts, o: Options): string[] {
  if (o["max-age-days"] === 0 || !facts.files.known) return [];
  if (facts.files.value.some((f) => f.path === o.path)) return [];
  const isService = globMatcher(o.service);
  return facts.files.value.filter((f) => f.status !== "removed" && isService(f.path)).map((f) => f.path);
}

/** Advisory: the service changed, the runbook has not for max-age-days. Undefined when fresh or undecidable. */
function stalenessWarning(facts: Facts, o: Options): Finding | undefined {
  const changed = serviceChangesWithoutRunbook(facts, o);
  if (changed.length === 0) return undefined;
  const last = facts.lastCommits.get(contentKey("head", o.path));
  const now = facts.now;
  if (!last?.known || last.value === null || !now.known) return undefined;
  const days = Math.floor((Date.parse(now.value) - Date.parse(last.value)) / DAY_MS);
  if (!(days > o["max-age-days"])) return undefined;
  return {
    message: `${o.path} was last changed ${days} days ago (on ${last.value.slice(0, 10)}), and this pull request changes the service (${changed[0]}${changed.length > 1 ? ` and ${changed.length - 1} more` : ""}): check that its alerts, escalation and rollback steps still hold, and update it`,
    path: o.path,
    severity: "warning",
  };
}

const words = (found: readonly Placeholder[]): string => [...new Set(found.map((p) => p.word))].join(", ");

export default defineRule({
  id: "runbook",
  area: "incident",
  defaultLevel: "silver",
  subjects: ["pull", "branch"],
  description: "The service has a runbook at the configured path whose required sections (alerts, escalation, rollback) are filled in.",
  fix: "Add the runbook, or write the missing and empty sections listed, so whoever is on call knows what to do.",
  componentOptions: { path: "root", service: "scope" },
  options,
  tighten: { sections: "superset", "max-age-days": "limit", service: "superset" },
  // Freshness is judged on a change to the service; a branch has none.
  needs: (o: Options, subject): FactRequest[] => [{ kind: "content", ref: "head", path: o.path }, ...(o["max-age-days"] > 0 && subject !== "branch" ? [{ kind: "files" } as const] : [])],
  followUp: (facts: Facts, o: Options): FactRequest[] =>
    serviceChangesWithoutRunbook(facts, o).length > 0 ? [{ kind: "lastCommit", ref: "head", path: o.path }, { kind: "now" }] : [],
  evaluate(facts, o: Options) {
    const content = facts.contents.get(contentKey("head", o.path));
    if (content === undefined) return unknown(`cannot read ${o.path} at the ${facts.subject.kind === "branch" ? "evaluated" : "head"} commit: it was not gathered`);
    if (!content.known) return unknown(`cannot read the runbook: ${content.reason}`);
    if (content.value === null) {
      const wanted = o.sections.map((s) => parseWantedSection(s).text);
      return fail([{ message: `${o.path} does not exist: add a runbook${wanted.length > 0 ? ` with sections ${wanted.join(", ")}` : ""}` }]);
    }

    const lines = withoutHtmlComments(content.value).split(/\r\n|\r|\n/);
    const placeholders = placeholdersIn(lines);
    const placeholderLines = new Set(placeholders.filter((p) => p.wholeLine).map((p) => p.line));
    // A line that only says TODO fills nothing: blanked, its section reads as empty.
    const written = headings(lines.map((text, index) => (placeholderLines.has(index + 1) ? "" : text)).join("\n"));

    const findings: Finding[] = [];
    const explained = new Set<number>();
    for (const section of o.sections) {
      const found = findSection(written, parseWantedSection(section));
      if (found.state === "filled") continue;
      if (found.state === "missing") {
        const other = found.sameTextElsewhere;
        findings.push({
          message: `${o.path} has no "${section}" section: add the heading and write it`,
          path: o.path,
          ...(other ? { line: other.line } : {}),
          details: other ? [`line ${other.line} has "${"#".repeat(other.level)} ${other.text}", a heading of another level; write it as "${section}"`] : [],
        });
        continue;
      }
      const heading = found.heading;
      const end = sectionEnd(written, heading, lines.length);
      const inside = placeholders.filter((p) => p.wholeLine && p.line > heading.line && p.line <= end);
      for (const p of inside) explained.add(p.line);
      findings.push({
        message: `the "${section}" section of ${o.path} is empty: write it under the heading on line ${heading.line}`,
        path: o.path,
        line: heading.line,
        details: inside.length > 0 ? [`it only has placeholders (${words(inside)}), which do not count`] : [],
      });
    }

    const unexplained = placeholders.filter((p) => !explained.has(p.line));
    const warning = (p: Placeholder): Finding => ({
      message: `line ${p.line} of ${o.path} is still a placeholder (${p.word}): replace it with what the person on call needs`,
      path: o.path,
      line: p.line,
      severity: "warning",
    });
    findings.push(...unexplained.slice(0, PLACEHOLDER_WARNINGS).map(warning));
    const rest = unexplained.slice(PLACEHOLDER_WARNINGS);
    if (rest.length > 0) {
      findings.push({
        message: `${plural(rest.length, "more placeholder line")} (${words(rest)}) in ${o.path}, from line ${rest[0]!.line}: replace them with real content`,
        path: o.path,
        line: rest[0]!.line,
        severity: "warning",
      });
    }

    const stale = stalenessWarning(facts, o);
    if (stale) findings.push(stale);

    if (findings.some((f) => f.severity !== "warning")) return fail(findings);
    const wanted = o.sections.map((s) => parseWantedSection(s).text);
    return pass(wanted.length > 0 ? `${o.path} has ${wanted.join(", ")}` : `${o.path} exists`, findings);
  },
});
