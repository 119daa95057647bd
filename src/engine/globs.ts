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

/**
 * Check-name globs ("ci / test (*)"): `*` matches any run of characters, including `/` and line
 * breaks, `?` exactly one (UTF-16 unit); everything else is literal and case-sensitive.
 */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  return (name) => patterns.some((pattern) => wildcardMatch(pattern, name));
}

/**
 * Whole-string wildcard match in O(pattern × name) at worst. Names come from other apps and from
 * commit statuses a pull request's own CI may post, so no regular expression is built: a
 * backtracking engine multiplies the work by the name's length for every `*`. On a mismatch
 * only the latest `*` takes one more character; earlier ones never need to, because whatever
 * they could have absorbed the latest one absorbs as well.
 */
function wildcardMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resumeAt = 0;
  while (n < name.length) {
    const want = pattern[p];
    if (want === "*") {
      star = p++;
      resumeAt = n;
    } else if (want !== undefined && (want === "?" || want === name[n])) {
      p++;
      n++;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resumeAt;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

/** An option that takes one glob or a list; always a list after parsing. */
export const globs = z
  .union([z.string().min(1), z.array(z.string().min(1))])
  .transform((v) => (typeof v === "string" ? [v] : v));
