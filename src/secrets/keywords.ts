/**
 * The prefilter: an Aho-Corasick automaton over every rule's keywords, run once over the text,
 * ASCII case-insensitively. Ordinary code costs this one pass plus the few places a keyword
 * occurs; only there does a rule's pattern run.
 */

const ALPHABET = 128;

export interface KeywordHits {
  /** Start offsets of the hits, in order of where each keyword ends. */
  readonly starts: Int32Array;
  /** The keyword index of each hit. */
  readonly keywords: Int32Array;
  readonly count: number;
  /** Which keywords occur at least once. */
  readonly present: Uint8Array;
}

export class KeywordIndex {
  /**
   * Transitions, one row per state. An entry is (offset of the next state's row << 1) | (1 when
   * that state reports keywords), so the hot loop does one class lookup and one table lookup
   * per character, with no multiplication and no branch but the (rare) hit. Characters no
   * keyword contains share class 0 (back to the root), which keeps rows short enough to stay in
   * cache.
   */
  private readonly table: Int32Array;
  /** Class of every UTF-16 code unit (0 for all but the keywords' ASCII characters): no range test in the hot loop. */
  private readonly classOf: Uint8Array;
  /** log2 of a row's length: rows are padded to a power of two, so a state's row starts at state << rowBits. */
  private readonly rowBits: number;
  /** Per state: offset into `outputs` of [count, ...keyword ids], or -1. */
  private readonly outputStart: Int32Array;
  private readonly outputs: Int32Array;
  readonly keywords: readonly string[];
  private readonly lengths: Int32Array;
  private readonly pass: (text: string) => KeywordHits;

  constructor(keywords: readonly string[]) {
    for (const k of keywords) {
      if (k.length === 0 || /[^\x00-\x7f]/.test(k) || k !== k.toLowerCase()) {
        throw new Error(`keyword ${JSON.stringify(k)} must be non-empty lower-case ASCII`);
      }
    }
    this.keywords = keywords;
    this.lengths = Int32Array.from(keywords, (k) => k.length);

    // Character classes: one per distinct character used by a keyword; upper case folds to lower.
    const classOf = new Uint8Array(ALPHABET);
    let classes = 1;
    for (const k of keywords) {
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (classOf[c] === 0) classOf[c] = classes++;
      }
    }
    for (let c = 65; c <= 90; c++) classOf[c] = classOf[c + 32]!;
    if (classes > 255) throw new Error("too many distinct keyword characters");
    this.classOf = new Uint8Array(65536);
    this.classOf.set(classOf);

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

    let rowBits = 0;
    while (1 << rowBits < classes) rowBits++;
    this.rowBits = rowBits;
    this.table = new Int32Array(states << rowBits);
    for (let s = 0; s < states; s++) {
      for (let cls = 0; cls < classes; cls++) {
        const next = goto[s * classes + cls]!;
        this.table[(s << rowBits) + cls] = ((next << rowBits) << 1) | (out[next]!.length > 0 ? 1 : 0);
      }
    }
    this.outputStart = new Int32Array(states).fill(-1);
    const flat: number[] = [];
    for (let s = 0; s < states; s++) {
      const list = out[s]!;
      if (list.length === 0) continue;
      // Longer keywords first: hits ending at the same offset come out with ascending starts.
      list.sort((a, b) => this.lengths[b]! - this.lengths[a]!);
      this.outputStart[s] = flat.length;
      flat.push(list.length, ...list);
    }
    this.outputs = Int32Array.from(flat);
    this.pass = makePass(this.table, this.classOf, rowBits, this.outputStart, this.outputs, this.lengths);
  }

  /** One pass over `text`. */
  find(text: string): KeywordHits {
    return this.pass(text);
  }
}

/**
 * The pass as a closure over the automaton's arrays rather than a method reading them from
 * `this`: V8 then treats the arrays as constants of the loop, which measured about a third
 * faster (bench/secrets) on ordinary code.
 */
function makePass(
  table: Int32Array,
  classOf: Uint8Array,
  rowBits: number,
  outputStart: Int32Array,
  outputs: Int32Array,
  lengths: Int32Array,
): (text: string) => KeywordHits {
  const keywordCount = lengths.length;
  return (text) => {
    const present = new Uint8Array(keywordCount);
    let starts = new Int32Array(64);
    let keywords = new Int32Array(64);
    let count = 0;
    let row = 0;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      const entry = table[row + classOf[text.charCodeAt(i)]!]!;
      row = entry >> 1;
      if ((entry & 1) === 0) continue;
      const o = outputStart[row >> rowBits]!;
      const n = outputs[o]!;
      if (count + n > starts.length) {
        const grow = Math.max(starts.length * 2, count + n);
        const s2 = new Int32Array(grow);
        s2.set(starts);
        starts = s2;
        const k2 = new Int32Array(grow);
        k2.set(keywords);
        keywords = k2;
      }
      for (let j = 1; j <= n; j++) {
        const k = outputs[o + j]!;
        starts[count] = i - lengths[k]! + 1;
        keywords[count] = k;
        present[k] = 1;
        count++;
      }
    }
    return { starts, keywords, count, present };
  };
}
