/**
 * `readiness owners [--repo DIR] [--ref REF] [--format text|json] PATH...`: who owns each path
 * according to the CODEOWNERS GitHub would use at REF, and which line decided it.
 */
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { CodeownersLookupTooCostly, compileCodeowners } from "../codeowners/match.js";
import { formatOwner, parseCodeowners, type CodeownersRule } from "../codeowners/parse.js";
import { CODEOWNERS_LOCATIONS, selectCodeownersFile } from "../codeowners/select.js";
import { GitError, git, gitWithInput, repositoryRoot, resolveCommit } from "../local/git.js";
import { HELP_OPTION, parseOrExit } from "./args.js";
import type { CliCommand, CliIO } from "./io.js";

export const OWNERS_USAGE = `Usage: readiness owners [options] [PATH...]

Prints who owns each path according to CODEOWNERS, read exactly as GitHub reads it (the first of
${CODEOWNERS_LOCATIONS.join(", ")} at REF; the last matching line wins), and
the line that decided it. PATHs are relative to the repository root, or absolute paths inside
the repository; with none, they are read from standard input, one per line. A directory (a PATH
ending in "/", or a directory at REF) is answered as "DIR/": the owners of a new file directly
inside it, so "cmd" and "cmd/" get the same answer.

Options:
  --repo DIR        the repository (default: the current directory)
  --ref REF         the commit whose CODEOWNERS is used (default: HEAD); for a pull request,
                    its base branch
  --format FORMAT   text (default), or json: one object per line,
                    {"path", "owners": [...], "line": N|null, "pattern": "..."|null}
  -h, --help        show this help

Exit codes: 0 done (a path without an owner is not an error), 2 usage error, a path outside
the repository, not a git repository, unknown ref, or no CODEOWNERS at REF.
`;

const OPTIONS = {
  ...HELP_OPTION,
  repo: { type: "string" },
  ref: { type: "string" },
  format: { type: "string", choices: ["text", "json"] },
} as const;

interface Ownership {
  readonly path: string;
  readonly owners: string[];
  readonly line: number | null;
  readonly pattern: string | null;
}

/**
 * Stands for "a file directly inside" when a directory is asked about: a NUL can be in no path
 * and no CODEOWNERS pattern, so only lines that match every name there (`*`, `dir/`, `dir/**`)
 * match it.
 */
const NEW_FILE_INSIDE = "\u0000";

class OutsideRepositoryError extends Error {}

/**
 * Repository-relative as GitHub lists paths: no "./" in front. An absolute path is a file-system
 * path: it must lie inside the repository (symbolic links resolved) and is made relative to its root.
 */
function repositoryPath(given: string, root: string): string {
  let p = given;
  if (isAbsolute(p)) {
    const trailingSlash = /\/+$/.test(p) ? "/" : "";
    let relativePath = relative(root, p);
    if (relativePath.startsWith("..") || isAbsolute(relativePath)) {
      try {
        relativePath = relative(root, realpathSync(p));
      } catch {
        // A path that does not exist cannot be resolved further; it is judged as written.
      }
    }
    if (relativePath === "" || relativePath.startsWith("..") || isAbsolute(relativePath)) {
      throw new OutsideRepositoryError(
        relativePath === ""
          ? `${given} is the repository root itself: name a file or directory inside it`
          : `${given} is outside the repository ${root}: give a path inside it, or a path relative to its root (without a leading /)`,
      );
    }
    p = relativePath.split(sep).join("/") + trailingSlash;
  }
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}

/** Which of the paths are directories at the commit (one `git cat-file --batch-check` for all). */
async function directoriesAt(root: string, sha: string, paths: readonly string[]): Promise<Set<string>> {
  const asked = [...new Set(paths.filter((p) => p.length > 0 && !p.endsWith("/") && !/[\n\r]/.test(p)))];
  if (asked.length === 0) return new Set();
  const out = (await gitWithInput(root, ["cat-file", "--batch-check"], asked.map((p) => `${sha}:${p}\n`).join(""))).toString("utf8").split("\n");
  // One line per input line, in order: "<oid> <type> <size>", or "<object> missing".
  return new Set(asked.filter((_, i) => out[i]?.split(" ")[1] === "tree"));
}

async function readCodeowners(repoDir: string, sha: string): Promise<{ path: string; content: string } | null> {
  const listing = await git(repoDir, ["ls-tree", "--full-tree", "-z", sha, "--", ...CODEOWNERS_LOCATIONS]);
  const blobs = listing.stdout
    .toString("utf8")
    .split("\0")
    .flatMap((entry) => {
      // "<mode> <type> <object>\t<path>"; a directory named CODEOWNERS is not a CODEOWNERS file.
      const tab = entry.indexOf("\t");
      return tab > 0 && entry.slice(0, tab).split(" ")[1] === "blob" ? [entry.slice(tab + 1)] : [];
    });
  const path = selectCodeownersFile(blobs);
  if (path === null) return null;
  const shown = await git(repoDir, ["show", `${sha}:${path}`]);
  return { path, content: shown.stdout.toString("utf8") };
}

function textLine(o: Ownership, file: string): string {
  if (o.line === null) return `${o.path}  no owner`;
  if (o.owners.length === 0) return `${o.path}  no owner  (${file}:${o.line} ${o.pattern} names no owner)`;
  return `${o.path}  ${o.owners.join(" ")}  (${file}:${o.line} ${o.pattern})`;
}

export const ownersCommand: CliCommand = async (argv, io: CliIO) => {
  const parsed = parseOrExit("owners", OWNERS_USAGE, argv, OPTIONS, { max: Number.POSITIVE_INFINITY, name: "path" }, io);
  if (typeof parsed === "number") return parsed;
  const format = parsed.values.format ?? "text";
  const ref = parsed.values.ref ?? "HEAD";

  let paths = parsed.positionals;
  if (paths.length === 0) {
    paths = (await io.readStdin()).split("\n").map((line) => line.replace(/\r$/, "")).filter((line) => line.trim().length > 0);
    if (paths.length === 0) {
      io.err("readiness owners: no paths given: pass paths as arguments, or one per line on standard input\n");
      return 2;
    }
  }

  let file: { path: string; content: string } | null;
  let queries: string[];
  let directories: Set<string>;
  try {
    const root = await repositoryRoot(resolve(io.cwd, parsed.values.repo ?? "."));
    queries = paths.map((p) => repositoryPath(p, root));
    const sha = await resolveCommit(root, ref, "--ref");
    file = await readCodeowners(root, sha);
    if (file === null) {
      io.err(`readiness owners: no CODEOWNERS file at ${ref} in ${root} (looked for ${CODEOWNERS_LOCATIONS.join(", ")})\n`);
      return 2;
    }
    directories = await directoriesAt(root, sha, queries);
  } catch (e) {
    if (e instanceof GitError || e instanceof OutsideRepositoryError) {
      io.err(`readiness owners: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  const codeowners = parseCodeowners(file.content, file.path);
  for (const error of codeowners.errors) {
    io.err(`${file.path}:${error.line}:${error.column}: ${error.message}${codeowners.tooLarge ? "" : " (GitHub skips this line)"}\n`);
  }
  const matcher = compileCodeowners(codeowners);
  const lines: string[] = [];
  for (const query of queries) {
    const directory = query.endsWith("/") || directories.has(query);
    const path = directory ? `${query.replace(/\/+$/, "")}/` : query;
    let rule: CodeownersRule | null;
    try {
      rule = matcher.ownersOf(directory ? `${path}${NEW_FILE_INSIDE}` : path);
    } catch (e) {
      if (!(e instanceof CodeownersLookupTooCostly)) throw e;
      io.err(`readiness owners: ${e.message}, too many to test (lines starting with a wildcard fit no index); anchor them at a directory or give them an extension\n`);
      return 2;
    }
    const ownership: Ownership = {
      path,
      owners: rule ? rule.owners.map(formatOwner) : [],
      line: rule ? rule.line : null,
      pattern: rule ? rule.pattern : null,
    };
    lines.push(format === "json" ? JSON.stringify(ownership) : textLine(ownership, file.path));
  }
  io.out(`${lines.join("\n")}\n`);
  return 0;
};
