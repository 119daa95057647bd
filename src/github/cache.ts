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
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

export class TtlCache<V = unknown> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: TtlCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000;
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#now = options.now ?? Date.now;
    if (!(this.#ttlMs > 0)) throw new Error(`TtlCache: ttlMs must be positive, got ${this.#ttlMs}`);
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new Error(`TtlCache: maxEntries must be a whole number ≥ 1, got ${this.#maxEntries}`);
    }
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** `ttlMs` overrides the default for this entry; Infinity keeps it until it is pushed out. */
  set(key: string, value: V, ttlMs: number = this.#ttlMs): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  /** Entries held, expired ones included until they are next read. */
  get size(): number {
    return this.#entries.size;
  }
}
