/**
 * The catalogue in docs/secrets.md, rendered from the rule data so the documentation cannot
 * drift: test/secrets/docs.test.ts compares it with the file (and rewrites the file with
 * UPDATE_DOCS=1).
 */
import { BUILTIN_RULES } from "./builtin-rules.js";
import { DEFAULT_LOCKFILES } from "./files.js";
import { PLACEHOLDER_SHAPES, STOP_WORDS } from "./placeholders.js";

export const CATALOGUE_START = "<!-- catalogue:start (generated from src/secrets; do not edit by hand) -->";
export const CATALOGUE_END = "<!-- catalogue:end -->";

const code = (s: string) => `\`${s.replace(/\|/g, "\\|")}\``;

export function renderCatalogue(): string {
  const providers = new Set(BUILTIN_RULES.map((r) => r.provider));
  const lines: string[] = [
    `${BUILTIN_RULES.length} built-in rules for ${providers.size} providers. **Blocks**: a finding fails the check (severity \`failure\`); **warns**: it is listed but does not block (severity \`warning\`). Change either per rule with \`severity:\`.`,
    "",
    "| Provider | Rule | Credential | Default | Found by |",
    "|---|---|---|---|---|",
  ];
  for (const r of BUILTIN_RULES) {
    const foundBy = r.files
      ? `file ${r.files.map(code).join(", ")}`
      : (r.keywords ?? []).map(code).join(", ") + (r.check ? `; check: ${r.check}` : "") + (r.requires ? `; with ${r.requires.map(code).join(" or ")} nearby` : "");
    lines.push(`| ${r.provider} | ${code(r.id)} | ${r.description} | ${r.severity === "failure" ? "blocks" : "warns"} | ${foundBy} |`);
  }
  lines.push(
    "",
    "Placeholders recognised by default (`placeholders: false` turns this off):",
    "",
    ...PLACEHOLDER_SHAPES.map((p) => `- ${p.example.split(", ").map((e) => (/[<>{}$%*#•[\]]/.test(e) ? code(e) : e)).join(", ")}`),
    "",
    `Built-in stop-words (for the rules marked in the data with \`stopWords\`: ${BUILTIN_RULES.filter((r) => r.stopWords).map((r) => code(r.id)).join(", ")}): ${STOP_WORDS.map(code).join(", ")}.`,
    "",
    `Lockfiles skipped by default (option \`lockfiles\`): ${DEFAULT_LOCKFILES.map((l) => code(l.replace(/^\*\*\//, ""))).join(", ")}.`,
  );
  return lines.join("\n");
}

/** The document with its catalogue section replaced by a fresh rendering. */
export function withCatalogue(document: string): string {
  const start = document.indexOf(CATALOGUE_START);
  const end = document.indexOf(CATALOGUE_END);
  if (start < 0 || end < start) throw new Error("docs/secrets.md has no catalogue markers");
  return `${document.slice(0, start + CATALOGUE_START.length)}\n${renderCatalogue()}\n${document.slice(end)}`;
}
