/**
 * A repository's root owners: the owners of the last CODEOWNERS line that matches every file
 * (`*`, `**`, `/**`), the people answerable for the repository as a whole (the scorecard's owner
 * filter, alert recipients). Pure.
 */
import { formatOwner } from "./parse.js";
import type { ParsedCodeowners } from "./parse.js";

const MATCHES_EVERY_FILE: ReadonlySet<string> = new Set(["*", "**", "/**", "/*/**"]);

/** "@acme/sre", "@lead", "ops@example.com", in the order written; [] when no such line names an owner. */
export function rootOwners(parsed: ParsedCodeowners): string[] {
  if (parsed.tooLarge) return [];
  const catchAll = parsed.rules.filter((rule) => MATCHES_EVERY_FILE.has(rule.pattern));
  const last = catchAll[catchAll.length - 1];
  return last ? [...new Set(last.owners.map(formatOwner))] : [];
}
