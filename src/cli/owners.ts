/**
 * `readiness owners [--repo DIR] [--ref REF] [--format text|json] PATH...`: who owns each path
 * according to the CODEOWNERS GitHub would use at REF, and which line decided it.
 */
import { resolve } from "node:path";
import { CodeownersLookupTooCostly, compileCodeowners } from "../codeowners/match.js";
import { formatOwner, parseCodeowners, type CodeownersRule } from "../codeowners/parse.js";
import { CODEOWNERS_LOCATIONS, selectCodeownersFile } from "../codeowners/select.js";
import { GitError, git, repositoryRoot, resolveCommit } from "../local/git.js";
import { HELP_OPTION, parseOrExit } from "./args.js";
import type { CliCommand, CliIO } from "./io.js";

export const OWNERS_USAGE = `Usage: readiness owners [options] [PATH...]

Prints who owns each path according to CODEOWNERS, read exactly as GitHub reads it (the first of
${CODEOWNERS_LOCATIONS.join(", ")} at REF; the last matching line wins), and
the line that decided it. PATHs are relative to the repository root; with none, they are read
from standard input, one per line.

Options:
  --repo DIR        the repository (default: the current directory)
  --ref REF         the commit whose CODEOWNERS is used (default: HEAD); for a pull request,
                    its base branch
  --format FORMAT   text (default), or json: one object per line,
                    {"path", "owners": [...], "line": N|null, "pattern": "..."|null}
  -h, --help        show this help

Exit codes: 0 done (a path without an owner is not an error), 2 usage error, not a git
repository, unknown ref, or no CODEOWNERS at REF.
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

/** Repository-relative as GitHub lists paths: no "./" or "/" in front. */
function normalisePath(path: string): string {
  let p = path;
  for (;;) {
    if (p.startsWith("./")) p = p.slice(2);
    else if (p.startsWith("/")) p = p.slice(1);
    else return p;
  }
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
  try {
    const root = await repositoryRoot(resolve(io.cwd, parsed.values.repo ?? "."));
    const sha = await resolveCommit(root, ref, "--ref");
    file = await readCodeowners(root, sha);
    if (file === null) {
      io.err(`readiness owners: no CODEOWNERS file at ${ref} in ${root} (looked for ${CODEOWNERS_LOCATIONS.join(", ")})\n`);
      return 2;
    }
  } catch (e) {
    if (e instanceof GitError) {
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
  for (const given of paths) {
    const path = normalisePath(given);
    let rule: CodeownersRule | null;
    try {
      rule = matcher.ownersOf(path);
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
