import type { ChangedFile, FileStatus } from "../engine/types.js";
import { GitError, git } from "./git.js";

/** GitHub leaves `patch` out for very large diffs; so do we, so rules meet the same shape. */
export const MAX_PATCH_CHARS = 1024 * 1024;

/** What the local check needs to know about one changed file beyond GitHub's shape. */
export interface LocalChangedFile extends ChangedFile {
  readonly binary: boolean;
}

interface RawEntry {
  readonly status: FileStatus;
  readonly path: string;
  readonly previousPath?: string;
  /** The file changed kind (regular ↔ symlink ↔ submodule): git prints it as two patches. */
  readonly kindChanged: boolean;
}

interface NumstatEntry {
  readonly additions: number;
  readonly deletions: number;
  readonly binary: boolean;
}

const STATUS: Readonly<Record<string, FileStatus>> = {
  A: "added",
  D: "removed",
  M: "modified",
  R: "renamed",
  C: "copied",
  T: "changed",
};

/** The same diff for every invocation, whatever the user's git configuration says. */
const DIFF_OPTIONS = ["-M", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/", "--no-relative"] as const;

const S_IFMT = 0o170000;
const fileKind = (mode: string): number => (parseInt(mode, 8) & S_IFMT) >>> 0;

/** The commit GitHub diffs a pull request from: the merge base of base and head (three-dot). */
export async function mergeBase(repoDir: string, baseSha: string, headSha: string): Promise<string> {
  const result = await git(repoDir, ["merge-base", baseSha, headSha], { okCodes: [1] });
  const sha = result.stdout.toString("utf8").trim();
  if (result.code !== 0 || sha.length === 0) {
    const shallow = (await git(repoDir, ["rev-parse", "--is-shallow-repository"])).stdout.toString("utf8").trim() === "true";
    if (shallow) {
      throw new GitError(
        `no common ancestor of the base ${baseSha.slice(0, 12)} and head ${headSha.slice(0, 12)} in this shallow clone: fetch more history (git fetch --unshallow, or fetch-depth: 0 with actions/checkout)`,
      );
    }
    throw new GitError(`the base ${baseSha.slice(0, 12)} and head ${headSha.slice(0, 12)} share no history, so there is no pull request diff to check`);
  }
  return sha;
}

/** Parses `git diff -z --raw --numstat` output: raw records first, then numstat records. */
export function parseRawNumstat(output: string): { raw: RawEntry[]; numstat: NumstatEntry[] } {
  const tokens = output.split("\0");
  const raw: RawEntry[] = [];
  const numstat: NumstatEntry[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (token === "") {
      i++;
      continue;
    }
    if (token.startsWith(":")) {
      // ":<old mode> <new mode> <old sha> <new sha> <status letter + score>"
      const [oldMode = "", newMode = "", , , statusField = ""] = token.slice(1).split(" ");
      const letter = statusField.charAt(0);
      const status = STATUS[letter] ?? "changed";
      const kindChanged = letter !== "A" && letter !== "D" && fileKind(oldMode) !== fileKind(newMode);
      if (letter === "R" || letter === "C") {
        raw.push({ status, previousPath: tokens[i + 1] ?? "", path: tokens[i + 2] ?? "", kindChanged });
        i += 3;
      } else {
        raw.push({ status, path: tokens[i + 1] ?? "", kindChanged });
        i += 2;
      }
      continue;
    }
    const [added = "", deleted = "", path = ""] = token.split("\t");
    const binary = added === "-" && deleted === "-";
    numstat.push({ additions: binary ? 0 : Number(added), deletions: binary ? 0 : Number(deleted), binary });
    // A rename or copy's numstat record has an empty path, followed by the old and new paths.
    i += path === "" ? 3 : 1;
  }
  return { raw, numstat };
}

/** Splits `git diff` patch output into one chunk per `diff --git` header. */
export function splitPatch(text: string): string[] {
  const starts: number[] = text.startsWith("diff --git ") ? [0] : [];
  for (let at = text.indexOf("\ndiff --git "); at >= 0; at = text.indexOf("\ndiff --git ", at + 1)) starts.push(at + 1);
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
}

/** GitHub's `patch`: the hunks only, from the first `@@`, without the file header; undefined when none. */
export function hunksOf(chunk: string): string | undefined {
  const first = chunk.startsWith("@@") ? 0 : chunk.indexOf("\n@@");
  if (first < 0) return undefined;
  const hunks = chunk.slice(first === 0 ? 0 : first + 1).replace(/\n$/, "");
  return hunks.length > 0 ? hunks : undefined;
}

const SIMPLE_PATH = /^[A-Za-z0-9._\/+-]+$/;

/** Whether a chunk's header names the expected paths; only checkable for paths git never quotes. */
function headerMatches(chunk: string, entry: RawEntry): boolean {
  const before = entry.previousPath ?? entry.path;
  if (!SIMPLE_PATH.test(before) || !SIMPLE_PATH.test(entry.path)) return true;
  const header = chunk.slice(0, chunk.indexOf("\n") < 0 ? chunk.length : chunk.indexOf("\n"));
  return header === `diff --git a/${before} b/${entry.path}`;
}

/**
 * The pull request's files as GitHub lists them: diffed from the merge base to the head, renames
 * detected, with each file's patch (absent for binaries, pure renames and very large diffs).
 */
export async function changedFiles(repoDir: string, fromSha: string, toSha: string): Promise<LocalChangedFile[]> {
  const listing = await git(repoDir, ["diff", "-z", "--raw", "--numstat", ...DIFF_OPTIONS, fromSha, toSha, "--"]);
  const { raw, numstat } = parseRawNumstat(listing.stdout.toString("utf8"));
  if (raw.length !== numstat.length) {
    throw new GitError(`git diff listed ${raw.length} files but counted lines for ${numstat.length}`);
  }

  let patches: (string | undefined)[] = raw.map(() => undefined);
  try {
    const patchText = (await git(repoDir, ["diff", "--unified=3", ...DIFF_OPTIONS, fromSha, toSha, "--"])).stdout.toString("utf8");
    patches = alignPatches(splitPatch(patchText), raw);
  } catch (e) {
    // Too large to hold: the files are still listed, their patches absent, as GitHub does.
    if (!(e instanceof GitError && /more than/.test(e.message))) throw e;
  }

  return raw.map((entry, index) => {
    const counts = numstat[index]!;
    const patch = counts.binary ? undefined : patches[index];
    return {
      path: entry.path,
      status: entry.status,
      ...(entry.previousPath !== undefined ? { previousPath: entry.previousPath } : {}),
      additions: counts.additions,
      deletions: counts.deletions,
      ...(patch !== undefined && patch.length <= MAX_PATCH_CHARS ? { patch } : {}),
      binary: counts.binary,
    };
  });
}

/**
 * Pairs patch chunks with files in diff order (a change of file kind takes two chunks). When the
 * pairing cannot be confirmed, every patch is left out rather than given to the wrong file.
 */
function alignPatches(chunks: readonly string[], raw: readonly RawEntry[]): (string | undefined)[] {
  const expected = raw.reduce((n, entry) => n + (entry.kindChanged ? 2 : 1), 0);
  if (chunks.length !== expected) return raw.map(() => undefined);
  const result: (string | undefined)[] = [];
  let next = 0;
  for (const entry of raw) {
    if (entry.kindChanged) {
      result.push(undefined);
      next += 2;
      continue;
    }
    const chunk = chunks[next++]!;
    if (!headerMatches(chunk, entry)) return raw.map(() => undefined);
    result.push(hunksOf(chunk));
  }
  return result;
}
