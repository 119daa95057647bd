import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { contentKey, fail, pass, unknown } from "../src/engine/types.js";
import type { FactRequest, Facts } from "../src/engine/types.js";
import { withoutHtmlComments } from "./lib/markdown-sections.js";

/** Where GitHub looks for a security policy, in its order. */
export const POLICY_LOCATIONS = ["SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md"] as const;

const DEFAULT_PHRASES = ["security advisor", "report"];

/** The sentence of GitHub's SECURITY.md template that asks to be replaced. */
const TEMPLATE_PLACEHOLDER = "use this section to tell people how to report a vulnerability";

const LOCAL_PART = /[A-Za-z0-9._%+-]/;
const DOMAIN_PART = /[A-Za-z0-9.-]/;

/**
 * Whether the text holds an e-mail address: each @ is checked by looking a bounded distance
 * either side (64 and 255 characters, the limits of an address), so a long line costs linear time.
 */
export function hasEmailAddress(text: string): boolean {
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    const before = at > 0 && LOCAL_PART.test(text[at - 1]!);
    let end = at + 1;
    while (end < text.length && end - at <= 255 && DOMAIN_PART.test(text[end]!)) end++;
    const domain = text.slice(at + 1, end).replace(/\.+$/, "");
    if (before && /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/.test(domain)) return true;
  }
  return false;
}
const URL_PATTERN = /\bhttps?:\/\/[^\s)>\]]+/i;

const options = z
  .object({
    paths: z
      .array(z.string().min(1))
      .min(1)
      .default([...POLICY_LOCATIONS])
      .describe("Where the security policy may be, in order; the first that exists is read. Names match regardless of case, as on GitHub."),
    contact: z
      .boolean()
      .default(true)
      .describe("The policy must say how to report a vulnerability: an e-mail address, a link, or one of `phrases`. false: the file only has to exist."),
    phrases: z
      .array(z.string().min(1).max(100))
      .default(DEFAULT_PHRASES)
      .describe('Words that count as reporting instructions, matched regardless of case ("security advisor" covers GitHub\'s private vulnerability reporting through security advisories).'),
  })
  .strict();

type Options = z.output<typeof options>;

/** The first configured location present in the tree (case-insensitive), as the tree spells it. */
function policyPath(tree: readonly string[], o: Options): string | undefined {
  const byLower = new Map(tree.map((path) => [path.toLowerCase(), path]));
  for (const wanted of o.paths) {
    const found = byLower.get(wanted.toLowerCase());
    if (found !== undefined) return found;
  }
  return undefined;
}

function headTree(facts: Facts) {
  return facts.trees.head;
}

export default defineRule({
  id: "security-policy",
  area: "security",
  defaultLevel: "bronze",
  subjects: ["pull", "branch"],
  description: "The repository has a security policy (SECURITY.md at the root, in .github/ or in docs/) that says how to report a vulnerability.",
  fix: "Add SECURITY.md saying how to report a vulnerability privately: a security e-mail address, or GitHub's private vulnerability reporting (security advisories).",
  options,
  tighten: { contact: "true-stays" },
  needs: (): FactRequest[] => [{ kind: "tree", ref: "head" }],
  followUp(facts, o: Options): FactRequest[] {
    const tree = headTree(facts);
    if (!o.contact || !tree?.known) return [];
    const path = policyPath(tree.value, o);
    return path === undefined ? [] : [{ kind: "content", ref: "head", path }];
  },
  evaluate(facts, o: Options) {
    const tree = headTree(facts);
    if (!tree) return unknown("cannot list the repository's files: the file tree was not gathered");
    if (!tree.known) return unknown(`cannot list the repository's files: ${tree.reason}`);
    const path = policyPath(tree.value, o);
    if (path === undefined) {
      return fail([
        {
          message: `the repository has no security policy: add ${o.paths[0]} saying how to report a vulnerability (GitHub also reads ${o.paths.slice(1).join(" and ")})`,
          details: ['for example: "Report vulnerabilities privately through GitHub\'s security advisories (Security tab, Report a vulnerability) or to security@<your domain>; do not open a public issue."'],
        },
      ]);
    }
    if (!o.contact) return pass(`${path} exists`);
    const content = facts.contents.get(contentKey("head", path));
    if (content === undefined) return unknown(`cannot read ${path}: it was not gathered`);
    if (!content.known) return unknown(`cannot read ${path}: ${content.reason}`);
    if (content.value === null) return unknown(`${path} is listed in the tree but could not be read`);
    const text = withoutHtmlComments(content.value);
    const lower = text.toLowerCase();
    const placeholderAt = lower.indexOf(TEMPLATE_PLACEHOLDER);
    if (placeholderAt >= 0) {
      const line = text.slice(0, placeholderAt).split("\n").length;
      return fail([
        {
          message: `${path} still has GitHub's template text on line ${line}: replace it with how to report a vulnerability (an e-mail address or security advisories) and what happens next`,
          path,
          line,
        },
      ]);
    }
    if (hasEmailAddress(text)) return pass(`${path} gives an address to report to`);
    if (URL_PATTERN.test(text)) return pass(`${path} links to where to report`);
    const phrase = o.phrases.find((p) => lower.includes(p.toLowerCase()));
    if (phrase !== undefined) return pass(`${path} says how to report ("${phrase}")`);
    return fail([
      {
        message: `${path} does not say how to report a vulnerability: add an e-mail address, a link, or instructions to use GitHub's security advisories`,
        path,
      },
    ]);
  },
});
