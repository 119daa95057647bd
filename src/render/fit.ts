import { utf8ByteLength } from "../engine/text.js";
import { cutToBytes } from "./escape.js";

/**
 * A unit of rendered output that is kept or dropped whole, so a cut never splits a table row,
 * a finding or an HTML block. Chunks are joined with "\n"; a chunk that starts a new block
 * begins with "\n" itself.
 */
export interface Chunk {
  readonly text: string;
  /** Findings this chunk shows (for the "N more findings" note). */
  readonly findings?: number;
  /** Rules this chunk shows (a table row, a rule's block in the comment). */
  readonly rules?: number;
  /** Emitted before this chunk when it opens a continuation: the table header, the rule's heading. */
  readonly resume?: string;
}

export interface Omitted {
  readonly findings: number;
  readonly rules: number;
}

export interface Fitted {
  readonly text: string;
  /** The chunks that did not fit, in order; empty when everything fit. */
  readonly rest: readonly Chunk[];
}

export function countOmitted(chunks: readonly Chunk[]): Omitted {
  let findings = 0;
  let rules = 0;
  for (const chunk of chunks) {
    findings += chunk.findings ?? 0;
    rules += chunk.rules ?? 0;
  }
  return { findings, rules };
}

/** "120 more findings", "3 more rules and 40 more findings", or "the rest of the report". */
export function describeOmitted({ findings, rules }: Omitted): string {
  const parts: string[] = [];
  if (rules > 0) parts.push(`${rules} more ${rules === 1 ? "rule" : "rules"}`);
  if (findings > 0) parts.push(`${findings} more ${findings === 1 ? "finding" : "findings"}`);
  return parts.length > 0 ? parts.join(" and ") : "the rest of the report";
}

export function joinChunks(chunks: readonly Chunk[]): string {
  return chunks.map((c) => c.text).join("\n");
}

/**
 * Keeps the longest prefix of `chunks` that fits `limitBytes` together with the note (written
 * from what was left out) and the tail, which is always kept. When everything fits, no note.
 */
export function fitChunks(
  chunks: readonly Chunk[],
  limitBytes: number,
  options: { readonly note: (omitted: Omitted) => string; readonly tail?: string },
): Fitted {
  const tail = options.tail ?? "";
  const whole = joinChunks(chunks) + tail;
  if (utf8ByteLength(whole) <= limitBytes) return { text: whole, rest: [] };

  // The note's length depends on the counts; the totals bound their digits.
  const noteReserve = utf8ByteLength(`\n\n${options.note(countOmitted(chunks))}`) + utf8ByteLength(tail);
  const budget = limitBytes - noteReserve;
  let used = 0;
  let kept = 0;
  for (const chunk of chunks) {
    const cost = utf8ByteLength(chunk.text) + (kept > 0 ? 1 : 0);
    if (used + cost > budget) break;
    used += cost;
    kept++;
  }
  const rest = chunks.slice(kept);
  const head = joinChunks(chunks.slice(0, kept));
  const note = options.note(countOmitted(rest));
  const text = `${head}${head === "" ? "" : "\n\n"}${note}${tail}`;
  // Only a tail or note larger than the limit itself could overflow; never send more than allowed.
  return { text: cutToBytes(text, limitBytes), rest };
}

/** The chunks that did not fit, starting with whatever puts the first one back in context. */
export function resumeChunks(rest: readonly Chunk[]): Chunk[] {
  const [first, ...others] = rest;
  if (!first) return [];
  const opening = first.resume === undefined ? first : { ...first, text: `${first.resume}\n${first.text}` };
  return [opening, ...others];
}
