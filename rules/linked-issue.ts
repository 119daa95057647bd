import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { fail, pass, skip, unknown } from "../src/engine/types.js";
import type { FactRequest } from "../src/engine/types.js";

const PLACES = ["title", "body", "branch"] as const;
type Place = (typeof PLACES)[number];

/** Text read per place: a reference is found near the start of what people write. */
const MAX_SCANNED = 20_000;

/** `#123`, `owner/repo#123` and `GH-123`, not an HTML entity (`&#123;`) or a URL fragment. */
const GITHUB_REFERENCE = /(?:^|[^\w&/#-])(?:[\w.-]{1,100}\/[\w.-]{1,100})?#\d+\b|\bGH-\d+\b/;
/** Branch names GitHub and people write for an issue: `123-fix-cart`, `fix/123-cart`, `issue-123`, `gh-123`. */
const BRANCH_NUMBER = /(?:^|\/)(?:\d+[-_]|(?:issue|issues|gh|bug|fix)[-_]?\d+(?:[-_/]|$))/i;

const projectKey = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,29}$/, { message: 'a project key is upper-case letters, digits and _ starting with a letter, such as "PAY" (for PAY-123)' });

const options = z
  .object({
    in: z
      .array(z.enum(PLACES))
      .min(1)
      .default([...PLACES])
      .describe("Where a reference counts: the pull request's title, its description (body) and its head branch name."),
    keys: z
      .array(projectKey)
      .default([])
      .describe('Issue tracker project keys whose tickets count (["PAY", "OPS"] accepts PAY-123 and OPS-7). GitHub references (#123, owner/repo#123, GH-123) always count.'),
    urls: z
      .array(z.string().url().max(200))
      .default([])
      .describe('Links that count as a ticket, by prefix, such as ["https://linear.app/acme/issue/", "https://acme.atlassian.net/browse/"]. Links to GitHub issues and pull requests always count.'),
    "ignore-authors": z
      .array(z.string().min(1))
      .default(["dependabot[bot]", "renovate[bot]", "github-actions[bot]"])
      .describe("Authors whose pull requests need no linked issue (update bots), matched regardless of case."),
  })
  .strict();

type Options = z.output<typeof options>;

const GITHUB_ISSUE_URL = /https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(?:issues|pull)\/\d+/;

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function referenceIn(text: string, place: Place, o: Options): string | undefined {
  const scanned = text.slice(0, MAX_SCANNED);
  if (o.keys.length > 0) {
    const keys = new RegExp(`(?:^|[^A-Za-z0-9])((?:${o.keys.map(escape).join("|")})-[1-9]\\d{0,8})(?![A-Za-z0-9])`);
    const key = keys.exec(scanned);
    if (key) return key[1];
  }
  if (place === "branch") return BRANCH_NUMBER.exec(scanned)?.[0];
  const github = GITHUB_REFERENCE.exec(scanned);
  if (github) return github[0].replace(/^[^\w#]/, "").trim();
  const url = GITHUB_ISSUE_URL.exec(scanned);
  if (url) return url[0];
  const prefix = o.urls.find((u) => scanned.includes(u));
  return prefix;
}

export default defineRule({
  id: "linked-issue",
  area: "review",
  defaultLevel: "silver",
  subjects: ["pull"],
  description: "The pull request links the issue or ticket it addresses (#123, owner/repo#123, a project key such as PAY-123, or a tracker link) in its title, description or branch name.",
  fix: 'Mention the issue in the description ("Fixes #123", "PAY-123"), or name the branch after it.',
  options,
  needs: (): FactRequest[] => [{ kind: "pull" }],
  evaluate(facts, o: Options) {
    if (!facts.pull.known) return unknown(`cannot read the pull request: ${facts.pull.reason}`);
    const pull = facts.pull.value;
    const author = pull.author.toLowerCase();
    if (o["ignore-authors"].some((a) => a.toLowerCase() === author)) return skip(`${pull.author} needs no linked issue (ignore-authors)`);
    const texts: Record<Place, string> = { title: pull.title, body: pull.body, branch: pull.headRef };
    for (const place of o.in) {
      const found = referenceIn(texts[place], place, o);
      if (found !== undefined) return pass(`links ${found} in its ${place === "body" ? "description" : place === "branch" ? "branch name" : "title"}`);
    }
    const where = o.in.map((p) => (p === "body" ? "description" : p === "branch" ? "branch name" : p)).join(", ");
    const examples = ["#123", ...(o.keys.length > 0 ? [`${o.keys[0]}-123`] : []), ...(o.urls.length > 0 ? [`${o.urls[0]}…`] : [])].join(", ");
    return fail([
      {
        message: `the pull request links no issue or ticket in its ${where}: mention the one it addresses (${examples}), for example "Fixes #123" in the description`,
        details: o.keys.length === 0 ? ["tracker keys such as PAY-123 count once their project keys are listed under keys"] : [],
      },
    ]);
  },
});
