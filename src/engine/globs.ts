import picomatch from "picomatch";
import { z } from "zod";

/**
 * Path globs as users write them in .readiness.yml: `**` crosses directories, `*` does not,
 * dot-files match like any other file, `{a,b}` alternates, and a pattern starting with `!`
 * excludes (a path matches when it matches some positive pattern and no `!` pattern, whatever
 * the order). Not CODEOWNERS semantics (see src/codeowners for those).
 */
export type PathMatcher = (path: string) => boolean;

const cache = new Map<string, PathMatcher>();

export function globMatcher(patterns: readonly string[]): PathMatcher {
  const key = JSON.stringify(patterns);
  let matcher = cache.get(key);
  if (!matcher) {
    const positive = patterns.filter((p) => !p.startsWith("!"));
    const negative = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
    const include = positive.length === 0 ? () => false : picomatch(positive, { dot: true });
    const exclude = negative.length === 0 ? () => false : picomatch(negative, { dot: true });
    matcher = (path) => include(path) && !exclude(path);
    if (cache.size > 500) cache.clear();
    cache.set(key, matcher);
  }
  return matcher;
}

export function matchesAny(path: string, patterns: readonly string[]): boolean {
  return globMatcher(patterns)(path);
}

/** Check-name globs ("ci / test (*)"): `*` matches anything, including `/`. */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s"),
  );
  return (name) => regexes.some((r) => r.test(name));
}

/** An option that takes one glob or a list; always a list after parsing. */
export const globs = z
  .union([z.string().min(1), z.array(z.string().min(1))])
  .transform((v) => (typeof v === "string" ? [v] : v));
