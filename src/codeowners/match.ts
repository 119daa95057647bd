/**
 * Which CODEOWNERS line decides a path: the last matching line wins (rule 9). Patterns are
 * compiled once and filed in an index so a lookup tests only lines that can possibly match:
 * lines anchored under literal directories sit in a trie walked along the path; lines that
 * match at any depth starting with a literal name (`node_modules/`, `Dockerfile`) or an
 * extension (`*.js`) sit in maps looked up with each of the path's segments. Candidates are
 * visited from the last line backwards and the first match ends the search.
 */
import type { CodeownersRule, ParsedCodeowners } from "./parse.js";
import { compilePattern, type CompiledPattern } from "./pattern.js";

/**
 * Lines a single lookup may test. Lines that start with a wildcard (such as `*a*b` or `?x`) fit
 * no index, so every lookup tests each of them: a 100,000-line file of those against 300 paths
 * took 41 s. Real files rarely hold more than a few dozen; past this cap the owner is not known.
 */
export const MAX_CANDIDATES_PER_LOOKUP = 5_000;

/** A lookup needed more than MAX_CANDIDATES_PER_LOOKUP tests: who owns `path` is not known. */
export class CodeownersLookupTooCostly extends Error {
  constructor(readonly path: string) {
    super(`more than ${MAX_CANDIDATES_PER_LOOKUP.toLocaleString("en")} CODEOWNERS lines could match ${path}`);
  }
}

export interface CodeownersMatcher {
  /** The CODEOWNERS file the rules came from. */
  readonly path: string;
  /**
   * The line that decides `path` (repository-relative, leading "/" ignored), or null when no
   * line matches. A deciding line with no owners leaves the file without an owner. Throws
   * CodeownersLookupTooCostly when more than MAX_CANDIDATES_PER_LOOKUP lines had to be tested.
   */
  ownersOf(path: string): CodeownersRule | null;
}

/** Most nodes of a large file are leaves: children and rules are created only when needed. */
interface TrieNode {
  children: Map<string, TrieNode> | undefined;
  /** Indexes into the rule list, ascending. */
  rules: number[] | undefined;
}

const newNode = (): TrieNode => ({ children: undefined, rules: undefined });

function extensionOf(segment: string): string | undefined {
  const dot = segment.lastIndexOf(".");
  return dot < 0 ? undefined : segment.slice(dot + 1);
}

function pushTo(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}

export function splitPath(path: string): string[] {
  let start = 0;
  while (path[start] === "/") start++;
  return (start > 0 ? path.slice(start) : path).split("/");
}

export function compileCodeowners(parsed: ParsedCodeowners): CodeownersMatcher {
  const rules = parsed.tooLarge ? [] : parsed.rules;
  const compiled: CompiledPattern[] = rules.map((rule) => compilePattern(rule.pattern));
  const trie = newNode();
  const bySegment = new Map<string, number[]>();
  const byExtension = new Map<string, number[]>();
  const always: number[] = [];

  compiled.forEach((pattern, index) => {
    const key = pattern.index;
    switch (key.kind) {
      case "never":
        break;
      case "prefix": {
        let node = trie;
        for (const segment of key.segments) {
          node.children ??= new Map();
          let child = node.children.get(segment);
          if (!child) node.children.set(segment, (child = newNode()));
          node = child;
        }
        (node.rules ??= []).push(index);
        break;
      }
      case "segment":
        pushTo(bySegment, key.text, index);
        break;
      case "extension":
        pushTo(byExtension, key.extension, index);
        break;
      case "always":
        always.push(index);
        break;
    }
  });

  const hasSegmentIndex = bySegment.size > 0;
  const hasExtensionIndex = byExtension.size > 0;

  // Scratch space reused by every lookup (lookups are synchronous and never nested).
  const lists: number[][] = [];
  const cursors: number[] = [];
  const add = (list: number[] | undefined) => {
    if (list !== undefined && !lists.includes(list)) lists.push(list);
  };

  /** Fills `lists` with every list that can hold a line matching the path. */
  function collectCandidates(segments: readonly string[]): void {
    lists.length = 0;
    let node: TrieNode | undefined = trie;
    for (const segment of segments) {
      node = node.children?.get(segment);
      if (!node) break;
      add(node.rules);
    }
    if (hasSegmentIndex || hasExtensionIndex) {
      for (const segment of segments) {
        if (hasSegmentIndex) add(bySegment.get(segment));
        if (hasExtensionIndex) {
          const extension = extensionOf(segment);
          if (extension !== undefined) add(byExtension.get(extension));
        }
      }
    }
    if (always.length > 0) add(always);
  }

  function ownersOf(path: string): CodeownersRule | null {
    if (compiled.length === 0) return null;
    const segments = splitPath(path);
    if (segments.length === 1 && segments[0] === "") return null;
    collectCandidates(segments);
    let tests = 0;
    if (lists.length === 1) {
      const only = lists[0]!;
      for (let i = only.length - 1; i >= 0; i--) {
        if (++tests > MAX_CANDIDATES_PER_LOOKUP) throw new CodeownersLookupTooCostly(path);
        if (compiled[only[i]!]!.matches(segments)) return rules[only[i]!]!;
      }
      return null;
    }
    // Each line sits in exactly one list, so walking the lists' tails in descending line order
    // visits every candidate once, latest first.
    cursors.length = lists.length;
    for (let i = 0; i < lists.length; i++) cursors[i] = lists[i]!.length - 1;
    for (;;) {
      let best = -1;
      let bestList = -1;
      for (let i = 0; i < lists.length; i++) {
        const cursor = cursors[i]!;
        if (cursor >= 0 && lists[i]![cursor]! > best) {
          best = lists[i]![cursor]!;
          bestList = i;
        }
      }
      if (best < 0) return null;
      cursors[bestList] = cursors[bestList]! - 1;
      if (++tests > MAX_CANDIDATES_PER_LOOKUP) throw new CodeownersLookupTooCostly(path);
      if (compiled[best]!.matches(segments)) return rules[best]!;
    }
  }

  return { path: parsed.path, ownersOf };
}
