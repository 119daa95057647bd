/**
 * The prefilter: an Aho-Corasick automaton over every rule's keywords, run once over the text,
 * ASCII case-insensitively. Ordinary code costs this one pass plus the few places a keyword
 * occurs; only there does a rule's pattern run.
 */

const ALPHABET = 128;

export interface KeywordHits {
  /** Start offsets of the hits, in order of where each keyword ends (keywords only looked for as present: none). */
  readonly starts: Int32Array;
  /** The keyword index of each hit. */
  readonly keywords: Int32Array;
  readonly count: number;
  /** Which keywords occur at least once. */
  readonly present: Uint8Array;
  /** The text, as one flat copy when it has hits and fits Latin-1 (flatCopy); the same characters at the same offsets. */
  readonly text: string;
}

export class KeywordIndex {
  readonly keywords: readonly string[];
  private readonly pass: (text: string) => KeywordHits;

  /**
   * `presenceOnly`: indices of keywords asked about only through `present` (a rule's `requires`):
   * their occurrences are not listed as hits, which nothing would read.
   */
  constructor(keywords: readonly string[], presenceOnly: ReadonlySet<number> = new Set()) {
    for (const k of keywords) {
      if (k.length === 0 || /[^\x00-\x7f]/.test(k) || k !== k.toLowerCase()) {
        throw new Error(`keyword ${JSON.stringify(k)} must be non-empty lower-case ASCII`);
      }
    }
    this.keywords = keywords;
    const lengths = Int32Array.from(keywords, (k) => k.length);

    // Character classes: one per distinct character used by a keyword; upper case folds to lower.
    // Indexed by byte: the pass reads the text as Latin-1 bytes (see makePass).
    const classOf = new Uint8Array(256);
    let classes = 1;
    for (const k of keywords) {
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (classOf[c] === 0) classOf[c] = classes++;
      }
    }
    for (let c = 65; c <= 90; c++) classOf[c] = classOf[c + 32]!;
    if (classes > 255) throw new Error("too many distinct keyword characters");

    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    keywords.forEach((k, index) => {
      let state = 0;
      for (let i = 0; i < k.length; i++) {
        const cls = classOf[k.charCodeAt(i)]!;
        let next = children[state]!.get(cls);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          own.push([]);
          children[state]!.set(cls, next);
        }
        state = next;
      }
      own[state]!.push(index);
    });

    const states = children.length;
    const goto = new Int32Array(states * classes);
    const failure = new Int32Array(states);
    const out: number[][] = own.map((o) => [...o]);
    const queue: number[] = [];
    for (let cls = 0; cls < classes; cls++) {
      const next = cls === 0 ? undefined : children[0]!.get(cls);
      goto[cls] = next ?? 0;
      if (next !== undefined) queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      for (let cls = 0; cls < classes; cls++) {
        const next = cls === 0 ? undefined : children[s]!.get(cls);
        if (next === undefined) {
          goto[s * classes + cls] = goto[failure[s]! * classes + cls]!;
        } else {
          failure[next] = goto[failure[s]! * classes + cls]!;
          out[next]!.push(...out[failure[next]!]!);
          goto[s * classes + cls] = next;
          queue.push(next);
        }
      }
    }

    // Renumber the states so that those reporting keywords come last: "this state reports" is
    // then one comparison with the first such state's row, and an entry is the next state's row
    // itself, with nothing to unpack on the loop's critical path. The root stays row 0.
    const order: number[] = [];
    for (let s = 0; s < states; s++) if (out[s]!.length === 0) order.push(s);
    const firstReporting = order.length;
    for (let s = 0; s < states; s++) if (out[s]!.length > 0) order.push(s);
    const renumbered = new Int32Array(states);
    order.forEach((s, i) => (renumbered[s] = i));

    let rowBits = 0;
    while (1 << rowBits < classes) rowBits++;
    if (states > 0xffff) throw new Error("too many keyword states for 16-bit transitions");
    const table = new Uint16Array(states << rowBits);
    for (let s = 0; s < states; s++) {
      for (let cls = 0; cls < classes; cls++) {
        table[(renumbered[s]! << rowBits) + cls] = renumbered[goto[s * classes + cls]!]!;
      }
    }
    const outputStart = new Int32Array(states).fill(-1);
    const flat: number[] = [];
    for (let s = 0; s < states; s++) {
      const list = out[s]!;
      if (list.length === 0) continue;
      // Longer keywords first: hits ending at the same offset come out with ascending starts.
      list.sort((a, b) => lengths[b]! - lengths[a]!);
      outputStart[renumbered[s]!] = flat.length;
      flat.push(list.length, ...list);
    }
    const listed = Uint8Array.from(keywords, (_, k) => (presenceOnly.has(k) ? 0 : 1));
    this.pass = makePass(table, classOf, rowBits, firstReporting, outputStart, Int32Array.from(flat), keywords, listed);
  }

  /** One pass over `text`. */
  find(text: string): KeywordHits {
    return this.pass(text);
  }
}

/**
 * A character the Latin-1 copy cannot hold. V8 stores a string of Latin-1 characters only in
 * one byte per character and compiles a pattern separately for such strings, where this class
 * is empty: the test returns at once, without reading the text.
 */
const BEYOND_LATIN1 = /[\u0100-\uffff]/;

/** Whether `keyword` (lower-case ASCII) occurs at `start` in `text`, ASCII case-insensitively. */
function occursAt(text: string, start: number, keyword: string): boolean {
  for (let j = 0; j < keyword.length; j++) {
    let c = text.charCodeAt(start + j);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== keyword.charCodeAt(j)) return false;
  }
  return true;
}

/**
 * The pass as a closure over the automaton's arrays rather than a method reading them from
 * `this`: V8 then treats the arrays as constants of the loop, which measured about a third
 * faster (bench/secrets) on ordinary code.
 *
 * The text is first copied as Latin-1 bytes into a scratch buffer (one native copy, about a
 * tenth of the pass), and the automaton walks the bytes: a byte array read is cheaper in the hot
 * loop than `charCodeAt` on a string. Latin-1 keeps every character up to U+00FF and keeps only
 * the low byte of higher ones, so every keyword occurrence in the text is one in the bytes
 * (keywords are ASCII), while a byte sequence may spell a keyword that the text does not
 * (`ł`, U+0142, becomes `B`): in a text holding such characters each hit is confirmed against
 * the text, a few comparisons per hit and nothing per character.
 */
function makePass(
  table: Uint16Array,
  classOf: Uint8Array,
  rowBits: number,
  firstReporting: number,
  outputStart: Int32Array,
  outputs: Int32Array,
  keywords: readonly string[],
  listed: Uint8Array,
): (text: string) => KeywordHits {
  const keywordCount = keywords.length;
  const lengths = Int32Array.from(keywords, (k) => k.length);
  const longest = Math.max(1, ...lengths);
  let scratch = Buffer.allocUnsafe(1 << 16);
  // Hit lists reused from pass to pass (they grow to the most hits a text had): keyword-dense
  // text has thousands, and growing fresh lists by doubling cost more than the walk's reporting.
  // Each pass copies its hits out, so a result never shares them.
  const first: HitList = { starts: new Int32Array(256), keywords: new Int32Array(256), count: 0 };
  const second: HitList = { starts: new Int32Array(256), keywords: new Int32Array(256), count: 0 };

  /** Records the keywords the state at `row` reports, ending at `i`, into `into`. */
  const report = (text: string, state: number, i: number, into: HitList, present: Uint8Array, mayMisspell: boolean): void => {
    const o = outputStart[state]!;
    const n = outputs[o]!;
    if (into.count + n > into.starts.length) {
      const grow = Math.max(into.starts.length * 2, into.count + n);
      const s2 = new Int32Array(grow);
      s2.set(into.starts);
      into.starts = s2;
      const k2 = new Int32Array(grow);
      k2.set(into.keywords);
      into.keywords = k2;
    }
    for (let j = 1; j <= n; j++) {
      const k = outputs[o + j]!;
      const start = i - lengths[k]! + 1;
      if (mayMisspell && !occursAt(text, start, keywords[k]!)) continue;
      present[k] = 1;
      if (listed[k] === 0) continue;
      into.starts[into.count] = start;
      into.keywords[into.count] = k;
      into.count++;
    }
  };

  return (text) => {
    const length = text.length;
    if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.max(length, scratch.length * 2));
    const bytes = scratch;
    bytes.write(text, 0, length, "latin1");
    const mayMisspell = BEYOND_LATIN1.test(text);
    const present = new Uint8Array(keywordCount);
    first.count = 0;
    second.count = 0;
    if (length < TWO_WALKS_FROM) {
      let state = 0;
      for (let i = 0; i < length; i++) {
        state = table[(state << rowBits) + classOf[bytes[i]!]!]!;
        if (state >= firstReporting) report(text, state, i, first, present, mayMisspell);
      }
      const count = first.count;
      return { starts: first.starts.slice(0, count), keywords: first.keywords.slice(0, count), count, present, text: flatCopy(text, bytes, count, mayMisspell) };
    }
    // Two walks in one loop, over the first half and over the second: each step's table read
    // waits for the one before it, so one walk leaves the core idle while a read comes from the
    // cache; two independent walks overlap their reads (keyword-dense text, whose walk reaches
    // states all over the table, is where this pays). The second walk starts early enough for
    // the longest keyword and reports only keywords ending in its half, so the hits are those
    // of one walk, in the same order.
    const half = (length + 1) >> 1;
    let state1 = 0;
    let state2 = 0;
    let j = half - (longest - 1);
    for (; j < half; j++) state2 = table[(state2 << rowBits) + classOf[bytes[j]!]!]!;
    let i = 0;
    for (; j < length; i++, j++) {
      state1 = table[(state1 << rowBits) + classOf[bytes[i]!]!]!;
      state2 = table[(state2 << rowBits) + classOf[bytes[j]!]!]!;
      if (state1 >= firstReporting) report(text, state1, i, first, present, mayMisspell);
      if (state2 >= firstReporting) report(text, state2, j, second, present, mayMisspell);
    }
    for (; i < half; i++) {
      state1 = table[(state1 << rowBits) + classOf[bytes[i]!]!]!;
      if (state1 >= firstReporting) report(text, state1, i, first, present, mayMisspell);
    }
    const count = first.count + second.count;
    const starts = new Int32Array(Math.max(count, 1));
    const found = new Int32Array(Math.max(count, 1));
    starts.set(first.starts.subarray(0, first.count));
    found.set(first.keywords.subarray(0, first.count));
    starts.set(second.starts.subarray(0, second.count), first.count);
    found.set(second.keywords.subarray(0, second.count), first.count);
    return { starts, keywords: found, count, present, text: flatCopy(text, bytes, count, mayMisspell) };
  };
}

/**
 * A text with a keyword hit at least this often (one per this many characters on average) is
 * handed to the scanner as a flat copy (flatCopy). Ordinary code has one hit per about 500
 * characters, and one file in a hundred has one per 64 or more; keyword-dense text is where the
 * scanner reads characters around every hit.
 */
const FLAT_COPY_CHARS_PER_HIT = 32;

/**
 * A flat copy of a Latin-1 `text` dense in keyword hits, made from its byte copy; otherwise the
 * text itself (the same characters at the same offsets either way). A string cut from another
 * (`slice`, as each added line of a patch is) stays a view into it, and every character read
 * from a view costs an indirection: around each hit the scanner reads characters and runs
 * patterns, about a fifth faster on a flat string for keyword-dense text (bench/secrets), for one
 * native copy of about 0.2 ns per character.
 */
function flatCopy(text: string, bytes: Buffer, hits: number, mayMisspell: boolean): string {
  return mayMisspell || hits * FLAT_COPY_CHARS_PER_HIT < text.length ? text : bytes.toString("latin1", 0, text.length);
}

/** Texts at least this long are walked in two halves at once (see makePass). */
const TWO_WALKS_FROM = 1024;

interface HitList {
  starts: Int32Array;
  keywords: Int32Array;
  count: number;
}
