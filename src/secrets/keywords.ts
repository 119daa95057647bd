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
  private readonly table: Int32Array;
  /** Per state: offset into `outputs`, or -1 when the state reports nothing. */
  private readonly outputStart: Int32Array;
  private readonly outputs: Int32Array;
  readonly keywords: readonly string[];
  private readonly lengths: Int32Array;

  constructor(keywords: readonly string[]) {
    for (const k of keywords) {
      if (k.length === 0 || /[^\x00-\x7f]/.test(k) || k !== k.toLowerCase()) {
        throw new Error(`keyword ${JSON.stringify(k)} must be non-empty lower-case ASCII`);
      }
    }
    this.keywords = keywords;
    this.lengths = Int32Array.from(keywords, (k) => k.length);

    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    keywords.forEach((k, index) => {
      let state = 0;
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        let next = children[state]!.get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          own.push([]);
          children[state]!.set(c, next);
        }
        state = next;
      }
      own[state]!.push(index);
    });

    const states = children.length;
    const table = new Int32Array(states * ALPHABET);
    const failure = new Int32Array(states);
    const out: number[][] = own.map((o) => [...o]);
    const queue: number[] = [];
    for (let c = 0; c < ALPHABET; c++) {
      const next = children[0]!.get(c);
      table[c] = next ?? 0;
      if (next !== undefined) queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      for (let c = 0; c < ALPHABET; c++) {
        const next = children[s]!.get(c);
        if (next === undefined) {
          table[s * ALPHABET + c] = table[failure[s]! * ALPHABET + c]!;
        } else {
          failure[next] = table[failure[s]! * ALPHABET + c]!;
          out[next]!.push(...out[failure[next]!]!);
          table[s * ALPHABET + c] = next;
          queue.push(next);
        }
      }
    }

    this.table = table;
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
  }

  /** One pass over `text`. */
  find(text: string): KeywordHits {
    const table = this.table;
    const outputStart = this.outputStart;
    const outputs = this.outputs;
    const lengths = this.lengths;
    const present = new Uint8Array(this.keywords.length);
    let starts = new Int32Array(16);
    let keywords = new Int32Array(16);
    let count = 0;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      else if (c >= ALPHABET) {
        state = 0;
        continue;
      }
      state = table[state * ALPHABET + c]!;
      const o = outputStart[state]!;
      if (o < 0) continue;
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
  }
}
