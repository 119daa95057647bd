/**
 * Making user-controlled strings (file paths, pull request titles, check names, finding
 * messages) safe to place in markdown and in a terminal. Every renderer goes through these:
 * no raw user text reaches an output.
 */
import { utf8ByteLength } from "../engine/text.js";

const NEWLINES = /\r\n|[\r\n\u0085\u2028\u2029]/g;
/**
 * C0/C1 control characters (terminal escape sequences start with ESC) and bidirectional
 * overrides (text that displays differently from what it is). Tab and newlines are handled
 * separately.
 */
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const REPLACEMENT = "\uFFFD";

const UNSAFE_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** Whether text can be shown as it is: no control, newline or bidirectional-override character. */
export function displaysAsWritten(raw: string): boolean {
  return !UNSAFE_OR_NEWLINE.test(raw);
}

/** One line of displayable text: newlines and tabs become spaces, control characters become U+FFFD. */
export function oneLine(raw: string): string {
  return raw.replace(NEWLINES, " ").replace(/\t/g, " ").replace(UNSAFE, REPLACEMENT);
}

/** Splits into displayable lines (control characters replaced, tabs kept as spaces). */
export function displayLines(raw: string): string[] {
  return raw.split(NEWLINES).map((line) => line.replace(/\t/g, "  ").replace(UNSAFE, REPLACEMENT));
}

/** Shortens to at most `max` UTF-16 units, ending with "…", never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/** Cuts to at most `maxBytes` UTF-8 bytes at the last whole line that fits. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (utf8ByteLength(text) <= maxBytes) return text;
  const lines = text.split("\n");
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = utf8ByteLength(line) + (kept.length > 0 ? 1 : 0);
    if (used + cost > maxBytes) break;
    kept.push(line);
    used += cost;
  }
  if (kept.length > 0) return kept.join("\n");
  // Not even one line fits: cut inside it at the byte limit, in one pass; a character split by
  // the cut decodes to U+FFFD and is dropped.
  return Buffer.from(text, "utf8").subarray(0, maxBytes).toString("utf8").replace(/\uFFFD+$/, "");
}

/** Characters with meaning in GitHub markdown wherever they appear (emphasis, code, links, HTML, tables, math, entities). */
const INLINE_SPECIAL = /[\\`*_[\]<>|~&$]/g;
/**
 * A GitHub @-mention (user or org/team); wrapped in code so a re-rendered comment never pings
 * anyone. GitHub takes `@name` after anything but a letter, digit or `_`, including a backslash
 * or backtick, which this module escapes into plain text.
 */
const MENTION = /(?<![A-Za-z0-9_])@[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][A-Za-z0-9_.-]*)?/g;
/**
 * Characters that may follow a mention without a break in GitHub's eyes. A run of them that holds
 * another `@` (`@x/y@someone`, `@x@someone`) goes into the same code span: closed after `@x/y`,
 * the span's backtick would stand right before `@someone`, and GitHub pings after a backtick.
 */
const MENTION_TAIL = /[A-Za-z0-9_.\-/@]*/y;

/** Where the code span around the mention ending at `end` must close. */
function mentionEnd(line: string, end: number): number {
  MENTION_TAIL.lastIndex = end;
  const tail = MENTION_TAIL.exec(line)?.[0] ?? "";
  return tail.includes("@") ? end + tail.length : end;
}

function escapeSpecials(text: string): string {
  return text.replace(INLINE_SPECIAL, "\\$&");
}

/**
 * User text as one line of inline markdown that renders literally: no HTML, links, images,
 * emphasis, code, math, table cell breaks or line breaks, and no @-mentions. Safe inside a
 * table cell, a list item, a heading or a paragraph.
 */
export function md(raw: string): string {
  const line = oneLine(raw).trim();
  let out = "";
  let last = 0;
  for (const match of line.matchAll(MENTION)) {
    if (match.index < last) continue;
    const end = mentionEnd(line, match.index + match[0].length);
    out += escapeSpecials(line.slice(last, match.index)) + `\`${line.slice(match.index, end)}\``;
    last = end;
  }
  out += escapeSpecials(line.slice(last));
  // Block syntax only matters at the start: a heading, list item or quote inside a list item.
  return out.replace(/^(#|[-+=]|\d+(?=[.)]))/, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`));
}

/**
 * User text as an inline code span (file paths, check names). Inside a table a pipe cannot be
 * kept in a code span reliably, so such text falls back to escaped plain text.
 */
export function code(raw: string, options: { table?: boolean } = {}): string {
  const line = oneLine(raw).trim();
  if (line === "") return "";
  if (options.table && line.includes("|")) return md(line);
  let longestTicks = 0;
  for (const run of line.matchAll(/`+/g)) longestTicks = Math.max(longestTicks, run[0].length);
  const fence = "`".repeat(longestTicks + 1);
  const pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** A link destination we produce ourselves (the check run's URL); anything but http(s) is dropped. */
export function safeUrl(raw: string | undefined): string | undefined {
  if (!raw || !/^https?:\/\//i.test(raw)) return undefined;
  return raw.replace(/[\s()<>"'`\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** User text for a terminal: one line, no control characters (no escape sequences reach the terminal). */
export function plain(raw: string): string {
  return oneLine(raw).trim();
}
