/**
 * Just enough Markdown to find sections: ATX and setext headings, fenced code (whose lines are
 * content, never headings), HTML comments (template placeholders: neither content nor headings).
 * Not a renderer; pure string work.
 */

export interface Heading {
  /** 1 to 6. */
  readonly level: number;
  /** The heading text as written, without the #s. */
  readonly text: string;
  /** 1-based line in the document. */
  readonly line: number;
  /** Something other than blank lines, comments and deeper headings before the next heading of the same or a higher level. */
  readonly filled: boolean;
}

/** A section a configuration asks for: "## Rollback plan" (that level only) or "Rollback plan" (any level). */
export interface WantedSection {
  readonly level: number | null;
  readonly text: string;
}

export type SectionLookup =
  | { readonly state: "filled"; readonly heading: Heading }
  | { readonly state: "empty"; readonly heading: Heading }
  /** sameTextElsewhere: a heading with the wanted text at a different level, worth pointing out. */
  | { readonly state: "missing"; readonly sameTextElsewhere?: Heading };

type Line = { kind: "heading"; level: number; text: string } | { kind: "content" } | { kind: "blank" };

/** Replaces HTML comments by the newlines they span (line numbers stay true); an unclosed one runs to the end, as GitHub renders it. */
export function withoutHtmlComments(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?(?:-->|$)/g, (comment) => comment.replace(/[^\n]/g, ""));
}

const ATX = /^ {0,3}(#{1,6})(?=[ \t]|$)(.*)$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** Lines a setext underline cannot turn into a heading (lists, quotes, tables): "---" after them is a rule. */
const NOT_PARAGRAPH = /^ {0,3}([-*+]\s|\d+[.)]\s|>|\|)/;

function classify(lines: readonly string[]): Line[] {
  const out: Line[] = [];
  let fence: string | null = null;
  for (const raw of lines) {
    if (fence !== null) {
      const close = FENCE.exec(raw);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length && raw.trim() === close[1]) fence = null;
      out.push({ kind: "content" });
      continue;
    }
    const open = FENCE.exec(raw);
    if (open) {
      fence = open[1]!;
      out.push({ kind: "content" });
      continue;
    }
    if (raw.trim() === "") {
      out.push({ kind: "blank" });
      continue;
    }
    const atx = ATX.exec(raw);
    if (atx) {
      const text = withoutClosingSequence(atx[2]!).trim();
      out.push({ kind: "heading", level: atx[1]!.length, text });
      continue;
    }
    const underline = SETEXT_UNDERLINE.exec(raw);
    const previous = out[out.length - 1];
    const previousRaw = lines[out.length - 1];
    if (underline && previous?.kind === "content" && previousRaw !== undefined && !NOT_PARAGRAPH.test(previousRaw) && !FENCE.test(previousRaw)) {
      out[out.length - 1] = { kind: "heading", level: underline[1]![0] === "=" ? 1 : 2, text: previousRaw.trim() };
      out.push({ kind: "blank" });
      continue;
    }
    // A thematic break ("---", "***") separates; it says nothing.
    out.push(/^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/.test(raw) ? { kind: "blank" } : { kind: "content" });
  }
  return out;
}

export function headings(markdown: string): Heading[] {
  const lines = classify(withoutHtmlComments(markdown).split(/\r\n|\r|\n/));
  const result: Heading[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.kind === "heading") result.push({ level: line.level, text: line.text, line: index + 1, filled: isFilled(lines, index, line.level) });
  }
  return result;
}

/**
 * Whether content follows the heading at `index` before one of the same or a higher level. Linear
 * over a document: the headings still looking at a line have strictly increasing levels, so at
 * most six look at any line.
 */
function isFilled(lines: readonly Line[], index: number, level: number): boolean {
  for (let next = index + 1; next < lines.length; next++) {
    const line = lines[next]!;
    if (line.kind === "content") return true;
    if (line.kind === "heading" && line.level <= level) return false;
  }
  return false;
}

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t";

/**
 * An ATX heading's text without its optional closing sequence (blanks, #s, blanks at the end).
 * Scanned by hand: a pattern anchored only at the end is retried from every blank of a long run.
 */
function withoutClosingSequence(text: string): string {
  let end = text.length;
  while (isBlank(text[end - 1])) end--;
  let hashes = end;
  while (text[hashes - 1] === "#") hashes--;
  if (hashes === end) return text;
  if (hashes === 0 || isBlank(text[hashes - 1])) return text.slice(0, hashes);
  return text;
}

const TRAILING_IGNORED = /[\s:]/;

/** Heading text compared case-insensitively, ignoring trailing colons and runs of whitespace. */
export function headingKey(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING_IGNORED.test(text[end - 1]!)) end--;
  return text.slice(0, end).replace(/\s+/g, " ").trim().toLowerCase();
}

export function parseWantedSection(spec: string): WantedSection {
  const match = /^\s*(#{1,6})\s*(.*)$/.exec(spec);
  return match ? { level: match[1]!.length, text: match[2]!.trim() } : { level: null, text: spec.trim() };
}

/** Finds a wanted section; when it appears more than once, one filled occurrence is enough. */
export function findSection(document: readonly Heading[], wanted: WantedSection): SectionLookup {
  const key = headingKey(wanted.text);
  const sameText = document.filter((h) => headingKey(h.text) === key);
  const atLevel = sameText.filter((h) => wanted.level === null || h.level === wanted.level);
  const first = atLevel.find((h) => h.filled) ?? atLevel[0];
  if (first) return first.filled ? { state: "filled", heading: first } : { state: "empty", heading: first };
  return sameText[0] ? { state: "missing", sameTextElsewhere: sameText[0] } : { state: "missing" };
}
