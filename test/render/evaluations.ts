/** Hand-built evaluations and a real GFM parser, shared by the render tests. */
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import type { Conclusion, Evaluation, RuleResult } from "../../src/engine/evaluate.js";

export const LADDER = ["bronze", "silver", "gold"] as const;

export function rule(partial: Partial<RuleResult> & Pick<RuleResult, "id">): RuleResult {
  return {
    area: "hygiene",
    description: `The ${partial.id} rule is satisfied.`,
    level: "bronze",
    blocking: true,
    status: "pass",
    findings: [],
    ...partial,
  };
}

export function evaluation(
  rules: readonly RuleResult[],
  options: { conclusion: Conclusion; reached: string | null; required?: string; ladder?: readonly string[] },
): Evaluation {
  return {
    conclusion: options.conclusion,
    level: { reached: options.reached, required: options.required ?? "silver", ladder: options.ladder ?? LADDER },
    rules,
  };
}

/** GitHub-flavoured markdown → HTML, with raw HTML passed through so an injection would show. */
export function toHtml(markdown: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
}

/** Strings that break markdown tables, inject HTML, open code spans, ping people or fake headings. */
export const HOSTILE = [
  "a|b|c",
  "back`tick``s",
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "line one\nline two\n# not a heading\n| fake | row |",
  "**bold** _em_ ~~gone~~ [click](https://evil.example) ![img](x.png) $x^2$",
  "ping @acme/platform and @octocat",
  "trailing backslash \\",
  "\\|escaped pipe",
  "&lt;entity&gt; &amp;",
  "\u001b[31mred\u001b[0m \u202egnp.exe",
] as const;

/** The cells of every body row of the rule tables in the HTML. */
export function tableRows(html: string): string[][] {
  // The rule tables only: the area × level overview (its first column headed "Area") is not one.
  const body = [...html.matchAll(/<thead>([\s\S]*?)<\/thead>\s*<tbody>([\s\S]*?)<\/tbody>/g)]
    .filter((m) => !/^\s*<tr>\s*<th[^>]*>Area<\/th>/.test(m[1] ?? ""))
    .map((m) => m[2] ?? "")
    .join("");
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...(row[1] ?? "").matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1] ?? ""));
}

/** HTML tags in the output other than those markdown itself produces and the few we write. */
export function foreignTags(html: string, allowed: readonly string[] = []): string[] {
  const markdownTags = new Set([
    "p", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "strong", "em", "code", "h3", "h4", "br",
    ...allowed,
  ]);
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>/g)].map((m) => (m[1] ?? "").toLowerCase()).filter((tag) => !markdownTags.has(tag));
}

/**
 * Links whose visible text is not their destination. GitHub turns bare URLs into links (what
 * you see is where it goes); a link that hides its destination would be an injection.
 */
export function deceptiveLinks(html: string): string[] {
  return [...html.matchAll(/<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)]
    .filter((m) => (m[2] ?? "").replace(/&amp;/g, "&") !== (m[1] ?? "").replace(/&amp;/g, "&").replace(/^mailto:/, ""))
    .map((m) => m[0]);
}

/** The text a reader sees in rendered HTML: tags removed, entities decoded. */
export function visible(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .trim();
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/**
 * @-mentions GitHub would notify in rendered HTML: `@name` outside code, after any character but a
 * letter, digit or `_`. Code spans are removed without a trace, so a mention right after one
 * (GitHub pings after a backtick) is found.
 */
export function unprotectedMentions(html: string): string[] {
  const outsideCode = visible(html.replace(/<code>[\s\S]*?<\/code>/g, "").replace(/<\/(p|li|td|th|tr)>/g, " "));
  return [...outsideCode.matchAll(/(?<![A-Za-z0-9_])@[A-Za-z0-9][A-Za-z0-9-]*/g)].map((m) => m[0]);
}
