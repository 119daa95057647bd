/**
 * mulberry32: a small, fast, deterministic PRNG for generated test and benchmark inputs, so
 * every run sees the same data and a failure reproduces. Returns numbers in [0, 1).
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seed from a name (FNV-1a, 32 bits): one stream per named thing, so what one generator draws
 * does not depend on how many draws other generators made before it.
 */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A generator's draws, with sections that each read their own named stream (see seedOf). */
export interface NamedStreams {
  /** The next number in [0, 1) from the stream in force. */
  readonly draw: () => number;
  /** `make()` drawing from the stream seeded by `name`; the stream in force before resumes after. */
  within<T>(name: string, make: () => T): T;
}

export function namedStreams(seed: number): NamedStreams {
  let current = prng(seed);
  return {
    draw: () => current(),
    within(name, make) {
      const saved = current;
      current = prng(seedOf(name));
      try {
        return make();
      } finally {
        current = saved;
      }
    },
  };
}
