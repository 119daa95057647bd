/**
 * A small in-process map whose entries expire after a time and whose least recently used entry
 * goes first when full. No timers: expiry is checked on read, so nothing keeps the process alive.
 *
 * One cache may be shared by several readers: keys are namespaced by their users
 * ("team:…", "org-config:…", "comment:…"), and each namespace stores one type of value.
 */
export interface TtlCacheOptions {
  /** Default time to live of an entry, in milliseconds. Default 5 minutes. */
  readonly ttlMs?: number;
  /** Entries kept at most; the least recently used is dropped first. Default 1000. */
  readonly maxEntries?: number;
  /** The clock, for tests. */
  readonly now?: () => number;
  /**
   * Total weight kept at most (entries are given a weight when set; default 1 each), least
   * recently used dropped first; an entry heavier than this alone is not kept. Default: no bound.
   */
  readonly maxWeight?: number;
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
  readonly weight: number;
}

export class TtlCache<V = unknown> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #maxWeight: number;
  #weight = 0;

  constructor(options: TtlCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#now = options.now ?? Date.now;
    this.#maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
    if (!(this.#maxWeight > 0)) throw new Error(`TtlCache: maxWeight must be positive, got ${this.#maxWeight}`);
    if (!(this.#ttlMs > 0)) throw new Error(`TtlCache: ttlMs must be positive, got ${this.#ttlMs}`);
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new Error(`TtlCache: maxEntries must be a whole number ≥ 1, got ${this.#maxEntries}`);
    }
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#remove(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * `ttlMs` overrides the default for this entry; Infinity keeps it until it is pushed out.
   * `weight` (default 1) counts against maxWeight.
   */
  set(key: string, value: V, ttlMs: number = this.#ttlMs, weight = 1): void {
    this.#remove(key);
    if (weight > this.#maxWeight) return;
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs, weight });
    this.#weight += weight;
    while (this.#entries.size > this.#maxEntries || this.#weight > this.#maxWeight) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#remove(oldest.value);
    }
  }

  delete(key: string): boolean {
    return this.#remove(key);
  }

  /** Total weight of the entries held. */
  get weight(): number {
    return this.#weight;
  }

  #remove(key: string): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
    return true;
  }

  /** Entries held, expired ones included until they are next read. */
  get size(): number {
    return this.#entries.size;
  }
}
