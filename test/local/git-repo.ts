/** Temporary git repositories for the local-provider and CLI tests. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, realpathSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const IDENTITY = ["-c", "user.name=Ada Lovelace", "-c", "user.email=12345+ada@users.noreply.github.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"];

export interface TempRepo {
  readonly dir: string;
  git(...args: string[]): string;
  write(path: string, content: string | Buffer): void;
  remove(path: string): void;
  /** Writes the files, stages everything and commits; returns the new sha. */
  commit(message: string, files?: Readonly<Record<string, string | Buffer | null>>): string;
  cleanup(): void;
}

export function createRepo(): TempRepo {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "readiness-cli-")));
  const git = (...args: string[]): string =>
    execFileSync("git", [...IDENTITY, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: dir } });
  const write = (path: string, content: string | Buffer): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const remove = (path: string): void => unlinkSync(join(dir, path));
  git("init", "-q", "-b", "main");
  return {
    dir,
    git,
    write,
    remove,
    commit(message, files = {}) {
      for (const [path, content] of Object.entries(files)) {
        if (content === null) remove(path);
        else write(path, content);
      }
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", message);
      return git("rev-parse", "HEAD").trim();
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Fresh repositories for one describe block, all removed afterwards: `const fresh = repoPool(afterAll)`. */
export function repoPool(afterAllHook: (fn: () => void) => void): () => TempRepo {
  const repos: TempRepo[] = [];
  afterAllHook(() => repos.forEach((repo) => repo.cleanup()));
  return () => {
    const repo = createRepo();
    repos.push(repo);
    return repo;
  };
}
