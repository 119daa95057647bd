import { z } from "zod";
import { globMatcher } from "../../src/engine/globs.js";
import { contentKey } from "../../src/engine/types.js";
import type { FactRequest, Facts } from "../../src/engine/types.js";

/**
 * Reading the repository's files at one commit (the pull request's head, or the branch's commit:
 * a branch subject hands rules its commit as both refs): which paths match a rule's globs, and
 * their text. Each read file costs one request on GitHub, so rules read at most `max-files`.
 */

export const DEFAULT_MAX_FILES = 100;

export const maxFilesOption = z
  .number()
  .int()
  .min(1)
  .max(1000)
  .default(DEFAULT_MAX_FILES)
  .describe("At most this many matching files are read (one request each on GitHub). When more match, the rest are not checked and the rule cannot pass: narrow the paths.");

export type Listing =
  | { readonly known: true; readonly paths: readonly string[]; readonly omitted: readonly string[] }
  | { readonly known: false; readonly reason: string };

/** The head tree's paths matching `patterns`, the first `max` to read and the rest. */
export function listMatching(facts: Facts, patterns: readonly string[], max: number): Listing {
  const tree = facts.trees.head;
  if (!tree) return { known: false, reason: "cannot list the repository's files: the file tree was not gathered" };
  if (!tree.known) return { known: false, reason: `cannot list the repository's files: ${tree.reason}` };
  const matching = tree.value.filter(globMatcher(patterns));
  return { known: true, paths: matching.slice(0, max), omitted: matching.slice(max) };
}

/** The content requests for the files listMatching would read (a followUp). */
export function readRequests(facts: Facts, patterns: readonly string[], max: number): FactRequest[] {
  const listing = listMatching(facts, patterns, max);
  return listing.known ? listing.paths.map((path) => ({ kind: "content", ref: "head", path })) : [];
}

export type FileText = { readonly text: string } | { readonly missing: true } | { readonly unreadable: string };

export function headText(facts: Facts, path: string): FileText {
  const fact = facts.contents.get(contentKey("head", path));
  if (fact === undefined) return { unreadable: `${path} was not read` };
  if (!fact.known) return { unreadable: `${path} could not be read: ${fact.reason}` };
  if (fact.value === null) return { missing: true };
  return { text: fact.value };
}

/** The texts of the listed files at the head, and why any could not be read; a file that does not exist is left out. */
export function headTexts(facts: Facts, paths: readonly string[]): { readonly files: readonly { readonly path: string; readonly text: string }[]; readonly unreadable: string[] } {
  const files: { path: string; text: string }[] = [];
  const unreadable: string[] = [];
  for (const path of paths) {
    const read = headText(facts, path);
    if ("unreadable" in read) unreadable.push(read.unreadable);
    else if (!("missing" in read)) files.push({ path, text: read.text });
  }
  return { files, unreadable };
}

export function directoryOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** "dir/name" or "name" at the root. */
export const joinPath = (directory: string, name: string): string => (directory === "" ? name : `${directory}/${name}`);
