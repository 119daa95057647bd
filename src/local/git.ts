/**
 * Running git on a local checkout: always through execFile/spawn with an argument list (never a
 * shell), refs validated before use and passed after `--end-of-options`, paths after `--`.
 */
import { execFile, spawn } from "node:child_process";

/** A git invocation failed, or a ref/directory given by the user is not usable. */
export class GitError extends Error {
  override readonly name = "GitError";
}

/** A ref the user named that does not resolve to a commit. */
export class UnknownRefError extends GitError {
  constructor(
    readonly ref: string,
    readonly option: string,
    readonly repoDir: string,
  ) {
    super(`${option} ${ref}: no commit of that name in ${repoDir}`);
  }
}

/** Generous: a diff of a whole vendored tree still fits; beyond it the patches are dropped. */
export const MAX_GIT_OUTPUT_BYTES = 256 * 1024 * 1024;

const GIT_ENV = { LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0" } as const;

export interface GitRunOptions {
  /** Exit codes that are not failures (e.g. 1 for `rev-parse --verify --quiet`). */
  readonly okCodes?: readonly number[];
}

export interface GitResult {
  readonly stdout: Buffer;
  readonly code: number;
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

/** Runs `git -C dir args...`; rejects with a GitError quoting git's first line of complaint. */
export function git(repoDir: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-C", repoDir, ...args],
      { encoding: "buffer", maxBuffer: MAX_GIT_OUTPUT_BYTES, env: { ...process.env, ...GIT_ENV }, windowsHide: true },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, code: 0 });
        const code = typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : -1;
        if (options.okCodes?.includes(code)) return resolve({ stdout, code });
        if ((err as { code?: unknown }).code === "ENOENT") {
          return reject(new GitError("git is not installed or not on PATH; the local check reads the repository with git"));
        }
        if ((err as { code?: unknown }).code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") {
          return reject(new GitError(`git ${args[0]} printed more than ${MAX_GIT_OUTPUT_BYTES} bytes`));
        }
        const said = firstLine(stderr.toString("utf8")) || err.message;
        reject(new GitError(`git ${args[0]} failed: ${said}`));
      },
    );
  });
}

export async function gitText(repoDir: string, args: readonly string[]): Promise<string> {
  return (await git(repoDir, args)).stdout.toString("utf8");
}

/** Runs git with `input` on standard input (for `cat-file --batch`). */
export function gitWithInput(repoDir: string, args: readonly string[], input: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", repoDir, ...args], { env: { ...process.env, ...GIT_ENV }, stdio: ["pipe", "pipe", "pipe"], windowsHide: true });
    const out: Buffer[] = [];
    const errText: Buffer[] = [];
    let size = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_GIT_OUTPUT_BYTES) {
        child.kill();
        reject(new GitError(`git ${args[0]} printed more than ${MAX_GIT_OUTPUT_BYTES} bytes`));
        return;
      }
      out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => errText.push(chunk));
    child.on("error", (e) => reject(new GitError(`git ${args[0]} could not start: ${e.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitError(`git ${args[0]} failed: ${firstLine(Buffer.concat(errText).toString("utf8"))}`));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

/**
 * Refuses what cannot be a single revision: empty, option-like, control characters, whitespace,
 * ranges. Everything else is for git to resolve (names, shas, `HEAD~2`, `origin/main`).
 */
export function checkRefSyntax(ref: string, option: string): void {
  if (ref.length === 0) throw new GitError(`${option} needs a ref (a branch, tag or commit), got an empty string`);
  if (ref.startsWith("-")) throw new GitError(`${option} ${ref}: a ref cannot start with "-"`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(ref)) throw new GitError(`${option} ${JSON.stringify(ref)}: a ref cannot contain spaces or control characters`);
  if (ref.includes("..")) throw new GitError(`${option} ${ref}: give one ref, not a range (the check diffs from the merge base itself)`);
}

/** The top directory of the work tree containing `dir`; a clear error when it is not a git repository. */
export async function repositoryRoot(dir: string): Promise<string> {
  try {
    return (await gitText(dir, ["rev-parse", "--show-toplevel"])).trim();
  } catch (e) {
    if (e instanceof GitError && /not installed/.test(e.message)) throw e;
    throw new GitError(`${dir} is not inside a git repository (use --repo DIR to point at one)`);
  }
}

/** The commit sha `ref` names, or an UnknownRefError. */
export async function resolveCommit(repoDir: string, ref: string, option: string): Promise<string> {
  checkRefSyntax(ref, option);
  const result = await git(repoDir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { okCodes: [1, 128] });
  const sha = result.stdout.toString("utf8").trim();
  if (result.code !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) throw new UnknownRefError(ref, option, repoDir);
  return sha;
}

/**
 * The branch name GitHub would show for a ref: `origin/main` and `refs/heads/main` are `main`;
 * a tag, sha or expression stays as given.
 */
export async function branchNameOf(repoDir: string, ref: string): Promise<string> {
  checkRefSyntax(ref, "ref");
  // rev-parse takes --end-of-options only with --verify; checkRefSyntax already refused "-…".
  const full = (await git(repoDir, ["rev-parse", "--symbolic-full-name", ref], { okCodes: [1, 128] })).stdout.toString("utf8").trim();
  if (full.startsWith("refs/heads/")) return full.slice("refs/heads/".length);
  if (full.startsWith("refs/remotes/")) {
    const rest = full.slice("refs/remotes/".length);
    const slash = rest.indexOf("/");
    if (slash > 0) return rest.slice(slash + 1);
  }
  return ref;
}

/** Branch, remote-tracking branch and tag names, for "did you mean" on an unknown ref. */
export async function refNames(repoDir: string): Promise<string[]> {
  const text = await gitText(repoDir, ["for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes", "refs/tags"]);
  return text.split("\n").filter((name) => name.length > 0 && !name.endsWith("/HEAD"));
}

/**
 * The base when none is given: the remote's default branch (origin/HEAD), else main, else master.
 */
export async function defaultBaseRef(repoDir: string): Promise<string> {
  const originHead = await git(repoDir, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], { okCodes: [1, 128] });
  const name = originHead.stdout.toString("utf8").trim();
  if (originHead.code === 0 && name.length > 0) return name;
  for (const candidate of ["main", "master"]) {
    const found = await git(repoDir, ["rev-parse", "--verify", "--quiet", `refs/heads/${candidate}^{commit}`], { okCodes: [1, 128] });
    if (found.code === 0) return candidate;
  }
  throw new GitError(
    `could not tell which branch is the base in ${repoDir}: there is no origin/HEAD, main or master. Pass the branch your pull request will target with --base REF`,
  );
}
