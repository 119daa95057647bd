import { TtlCache } from "../../src/github/cache.js";

function clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("TtlCache", () => {
  it("returns a value until its time to live has passed, then forgets it", () => {
    const time = clock();
    const cache = new TtlCache<string>({ ttlMs: 100, now: time.now });
    cache.set("a", "one");
    time.advance(99);
    expect(cache.get("a")).toBe("one");
    time.advance(1);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("lets one entry live longer or shorter than the default", () => {
    const time = clock();
    const cache = new TtlCache<number>({ ttlMs: 100, now: time.now });
    cache.set("short", 1, 10);
    cache.set("forever", 2, Number.POSITIVE_INFINITY);
    time.advance(50);
    expect(cache.get("short")).toBeUndefined();
    time.advance(1e12);
    expect(cache.get("forever")).toBe(2);
  });

  it("drops the least recently used entry when full, counting reads as use", () => {
    const cache = new TtlCache<number>({ maxEntries: 2 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // b is now the least recently used
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });

  it("replacing a key keeps one entry and renews its time", () => {
    const time = clock();
    const cache = new TtlCache<string>({ ttlMs: 100, now: time.now });
    cache.set("a", "old");
    time.advance(80);
    cache.set("a", "new");
    time.advance(80);
    expect(cache.get("a")).toBe("new");
    expect(cache.size).toBe(1);
    expect(cache.delete("a")).toBe(true);
    expect(cache.get("a")).toBeUndefined();
  });

  it("refuses settings that would make it useless", () => {
    expect(() => new TtlCache({ ttlMs: 0 })).toThrow(/ttlMs must be positive/);
    expect(() => new TtlCache({ maxEntries: 0 })).toThrow(/maxEntries must be a whole number/);
    expect(() => new TtlCache({ maxEntries: 1.5 })).toThrow(/maxEntries/);
  });
});

describe("TtlCache with a weight bound", () => {
  it("drops the least recently used entries until the total weight fits, and keeps nothing heavier than the bound", () => {
    const cache = new TtlCache<string>({ maxWeight: 10 });
    cache.set("a", "A", undefined, 4);
    cache.set("b", "B", undefined, 4);
    expect(cache.get("a")).toBe("A");
    cache.set("c", "C", undefined, 4);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe("A");
    expect(cache.weight).toBe(8);
    cache.set("huge", "H", undefined, 11);
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.weight).toBe(8);
    cache.set("a", "A2", undefined, 1);
    expect(cache.weight).toBe(5);
    cache.delete("c");
    expect(cache.weight).toBe(1);
  });

  it("rejects a bound that is not positive", () => {
    expect(() => new TtlCache({ maxWeight: 0 })).toThrow(/maxWeight must be positive/);
  });
});
