import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChangedFile, Fact, FactRequest } from "../../src/engine/types.js";
import { contentKey } from "../../src/engine/types.js";
import { LocalFactsProvider, GITHUB_ONLY_REASON, authorOf } from "../../src/local/facts.js";
import { GitError, UnknownRefError, defaultBaseRef } from "../../src/local/git.js";
import { parseRawNumstat, splitPatch, hunksOf } from "../../src/local/diff.js";
import { createRepo, repoPool } from "./git-repo.js";
import type { TempRepo } from "./git-repo.js";

function value<T>(fact: Fact<T> | undefined): T {
  if (!fact) throw new Error("fact missing");
  if (!fact.known) throw new Error(`fact unknown: ${fact.reason}`);
  return fact.value;
}

function byPath(files: readonly ChangedFile[]): Map<string, ChangedFile> {
  return new Map(files.map((f) => [f.path, f]));
}

const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x00, 0xff, 0xfe]);

describe("LocalFactsProvider on a real repository", () => {
  let repo: TempRepo;
  let baseAtFork: string;

  beforeAll(() => {
    repo = createRepo();
    baseAtFork = repo.commit("initial", {
      "src/cart.ts": "export const total = 1;\nexport const tax = 2;\n",
      "src/old-name.ts": Array.from({ length: 20 }, (_, i) => `export const line${i} = ${i};`).join("\n") + "\n",
      "README.md": "# shop\n",
      "CODEOWNERS": "* @acme/base-owners\n",
      "gone.txt": "to be removed\n",
      "logo.png": BINARY,
      "link-target.txt": "x\n",
    });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("feat: change the cart\n\nlonger description", {
      "src/cart.ts": "export const total = 1;\nexport const tax = 3;\nexport const fee = 4;\n",
      "test/cart.test.ts": "test('x', () => {});\n",
      "gone.txt": null,
      "logo.png": Buffer.concat([BINARY, Buffer.from([0x00, 0x07])]),
      ".github/CODEOWNERS": "* @acme/head-owners\n",
      "file with space ü.md": "hello\n",
    });
    repo.git("mv", "src/old-name.ts", "src/new-name.ts");
    repo.git("commit", "-q", "-m", "refactor: rename");
    // The base moves on after the fork: a three-dot diff must not show this change.
    repo.git("checkout", "-q", "main");
    repo.commit("chore: unrelated change on main", { "docs/later.md": "added on main after the fork\n" });
    repo.git("checkout", "-q", "feature");
  });
  afterAll(() => repo.cleanup());

  const provider = (opts = {}) => new LocalFactsProvider(repo.dir, "main", "HEAD", { env: {}, ...opts });

  test("lists files like GitHub: merge base to head, statuses, renames, counts, hunks-only patches", async () => {
    const files = value((await provider().gather([{ kind: "files" }])).files);
    const map = byPath(files);
    expect([...map.keys()].sort()).toEqual(
      [".github/CODEOWNERS", "file with space ü.md", "gone.txt", "logo.png", "src/cart.ts", "src/new-name.ts", "test/cart.test.ts"].sort(),
    );
    expect(map.has("docs/later.md")).toBe(false);

    const cart = map.get("src/cart.ts")!;
    expect(cart).toMatchObject({ status: "modified", additions: 2, deletions: 1 });
    expect(cart.patch).toBe("@@ -1,2 +1,3 @@\n export const total = 1;\n-export const tax = 2;\n+export const tax = 3;\n+export const fee = 4;");

    expect(map.get("gone.txt")).toMatchObject({ status: "removed", additions: 0, deletions: 1 });
    expect(map.get("test/cart.test.ts")).toMatchObject({ status: "added", additions: 1, deletions: 0, patch: "@@ -0,0 +1 @@\n+test('x', () => {});" });
    expect(map.get("file with space ü.md")).toMatchObject({ status: "added", patch: "@@ -0,0 +1 @@\n+hello" });

    const renamed = map.get("src/new-name.ts")!;
    expect(renamed).toMatchObject({ status: "renamed", previousPath: "src/old-name.ts", additions: 0, deletions: 0 });
    expect(renamed.patch).toBeUndefined();

    const logo = map.get("logo.png")!;
    expect(logo).toMatchObject({ status: "modified", additions: 0, deletions: 0 });
    expect(logo.patch).toBeUndefined();
    expect(Object.keys(logo)).not.toContain("binary");
  });

  test("the pull request: number 0, head subject as title, empty body, author from the noreply address, branch names", async () => {
    const pull = value((await provider().gather([{ kind: "pull" }])).pull);
    const headSha = repo.git("rev-parse", "feature").trim();
    const baseSha = repo.git("rev-parse", "main").trim();
    expect(pull).toEqual({
      number: 0,
      title: "refactor: rename",
      body: "",
      author: "ada",
      draft: false,
      labels: [],
      baseRef: "main",
      baseSha,
      headRef: "feature",
      headSha,
      local: true,
    });
    const given = value((await provider({ title: "Cart fee", body: "## Testing\nran it", author: "octocat", labels: ["deploy"] }).gather([{ kind: "pull" }])).pull);
    expect(given).toMatchObject({ title: "Cart fee", body: "## Testing\nran it", author: "octocat", labels: ["deploy"] });
  });

  test("what only GitHub knows is unknown, and says so", async () => {
    const facts = await provider().gather([
      { kind: "reviews" },
      { kind: "checks" },
      { kind: "team", team: "Acme/Platform" },
      { kind: "codeownersErrors", ref: "base" },
    ]);
    for (const fact of [facts.reviews, facts.checks, facts.teams?.get("acme/platform"), facts.codeownersErrors?.base]) {
      expect(fact).toEqual({ known: false, reason: GITHUB_ONLY_REASON });
    }
  });

  test("CODEOWNERS at base and head: the first of .github/, root, docs/ at each ref", async () => {
    const facts = await provider().gather([{ kind: "codeowners" }, { kind: "codeowners", ref: "head" }]);
    expect(value(facts.codeowners)).toEqual({ path: "CODEOWNERS", content: "* @acme/base-owners\n" });
    expect(value(facts.headCodeowners)).toEqual({ path: ".github/CODEOWNERS", content: "* @acme/head-owners\n" });
  });

  test("contents at base and head; a missing file is known to be absent", async () => {
    const requests: FactRequest[] = [
      { kind: "content", ref: "base", path: "src/cart.ts" },
      { kind: "content", ref: "head", path: "src/cart.ts" },
      { kind: "content", ref: "base", path: "test/cart.test.ts" },
      { kind: "content", ref: "head", path: "nope/missing.md" },
      { kind: "content", ref: "head", path: "src" },
    ];
    const contents = (await provider().gather(requests)).contents!;
    expect(value(contents.get(contentKey("base", "src/cart.ts")))).toBe("export const total = 1;\nexport const tax = 2;\n");
    expect(value(contents.get(contentKey("head", "src/cart.ts")))).toContain("fee = 4");
    expect(value(contents.get(contentKey("base", "test/cart.test.ts")))).toBeNull();
    expect(value(contents.get(contentKey("head", "nope/missing.md")))).toBeNull();
    expect(value(contents.get(contentKey("head", "src")))).toBeNull();
  });

  test("trees list every path at the ref", async () => {
    const trees = (await provider().gather([{ kind: "tree", ref: "base" }, { kind: "tree", ref: "head" }])).trees!;
    const base = value(trees.base);
    const head = value(trees.head);
    expect(base).toContain("src/old-name.ts");
    expect(base).toContain("docs/later.md");
    expect(head).toContain("src/new-name.ts");
    expect(head).toContain("file with space ü.md");
    expect(head).not.toContain("gone.txt");
  });

  test("head contents of changed files without a patch: binaries unknown, pure renames read", async () => {
    const map = value((await provider().gather([{ kind: "headContentsOfUnpatched" }])).headContentsOfUnpatched);
    expect(map.get("logo.png")).toEqual({ known: false, reason: "binary file" });
    expect(value(map.get("src/new-name.ts"))).toContain("export const line19 = 19;");
    expect(map.has("src/cart.ts")).toBe(false);
    expect(map.has("gone.txt")).toBe(false);
  });

  test("file sizes at a ref, the clock from the provider, and alerts only GitHub has", async () => {
    const facts = await provider({ now: () => new Date("2026-11-30T09:00:00Z") }).gather([
      { kind: "treeSizes", ref: "head" },
      { kind: "now" },
      { kind: "securityAlerts", source: "dependabot" },
    ]);
    const sizes = value(facts.treeSizes?.head);
    expect(sizes.get("logo.png")).toBe(BINARY.length + 2);
    expect(sizes.get("file with space ü.md")).toBe(6);
    expect(sizes.has("gone.txt")).toBe(false);
    expect(value(facts.now)).toBe("2026-11-30T09:00:00.000Z");
    expect(facts.securityAlerts?.dependabot).toEqual({ known: false, reason: "only GitHub knows the repository's open security alerts: not available locally" });
  });

  test("the fingerprint key comes from the environment only", async () => {
    expect((await provider().gather([{ kind: "fingerprintKey" }])).fingerprintKey).toEqual({ known: false, reason: "no READINESS_FINGERPRINT_KEY in the environment" });
    expect(value((await provider({ env: { READINESS_FINGERPRINT_KEY: "k3y" } }).gather([{ kind: "fingerprintKey" }])).fingerprintKey)).toBe("k3y");
    expect([...provider().unavailableFacts()].sort()).toEqual(["checks", "codeownersErrors", "decisions", "reviews", "securityAlerts", "team"]);
  });

  test("returns only the facts asked for", async () => {
    const facts = await provider().gather([{ kind: "tree", ref: "head" }]);
    expect(Object.keys(facts)).toEqual(["trees"]);
  });

  test("a remote-tracking base is named like the branch GitHub targets", async () => {
    repo.git("update-ref", "refs/remotes/origin/main", "main");
    const refs = await new LocalFactsProvider(repo.dir, "origin/main", "feature").refs();
    expect(refs.baseBranch).toBe("main");
    expect(refs.headBranch).toBe("feature");
    expect(refs.mergeBaseSha).toBe(baseAtFork);
  });

  test("works from a subdirectory of the work tree", async () => {
    const files = value((await new LocalFactsProvider(join(repo.dir, "src"), "main", "HEAD").gather([{ kind: "files" }])).files);
    expect(files.map((f) => f.path)).toContain("test/cart.test.ts");
    const tree = value((await new LocalFactsProvider(join(repo.dir, "src"), "main", "HEAD").gather([{ kind: "tree", ref: "head" }])).trees!.head);
    expect(tree).toContain("README.md");
  });
});

describe("refs are validated and resolved", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = createRepo();
    repo.commit("initial", { "a.txt": "a\n" });
  });
  afterAll(() => repo.cleanup());

  test.each([
    ["-x", /cannot start with "-"/],
    ["--output=/tmp/x", /cannot start with "-"/],
    ["main..HEAD", /not a range/],
    ["ma in", /spaces or control characters/],
    ["", /empty string/],
  ])("refuses %j before running git", async (ref, message) => {
    await expect(new LocalFactsProvider(repo.dir, ref, "HEAD").refs()).rejects.toThrow(message);
  });

  test("an unknown ref is named in the error", async () => {
    const error = await new LocalFactsProvider(repo.dir, "main", "no-such-branch").refs().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownRefError);
    expect((error as UnknownRefError).message).toBe(`--head no-such-branch: no commit of that name in ${repo.dir}`);
  });

  test("unrelated histories have no pull request diff", async () => {
    repo.git("checkout", "-q", "--orphan", "island");
    repo.commit("island", { "b.txt": "b\n" });
    await expect(new LocalFactsProvider(repo.dir, "main", "island").refs()).rejects.toThrow(/share no history/);
    repo.git("checkout", "-q", "main");
  });

  test("a directory that is not a repository", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "readiness-norepo-")));
    try {
      await expect(new LocalFactsProvider(dir, "main", "HEAD").refs()).rejects.toThrow(`${dir} is not inside a git repository`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("defaultBaseRef", () => {
  const fresh = repoPool(afterAll);

  test("main, then master; a clear error when neither exists", async () => {
    const repo = fresh();
    repo.commit("initial", { "a.txt": "a\n" });
    expect(await defaultBaseRef(repo.dir)).toBe("main");
    repo.git("branch", "-m", "main", "master");
    expect(await defaultBaseRef(repo.dir)).toBe("master");
    repo.git("branch", "-m", "master", "trunk");
    const error = await defaultBaseRef(repo.dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as Error).message).toMatch(/no origin\/HEAD, main or master.*--base REF/);
  });

  test("the remote's default branch comes first", async () => {
    const upstream = fresh();
    upstream.commit("initial", { "a.txt": "a\n" });
    upstream.git("branch", "-m", "main", "develop");
    const clone = fresh();
    execFileSync("git", ["clone", "-q", upstream.dir, join(clone.dir, "c")]);
    expect(await defaultBaseRef(join(clone.dir, "c"))).toBe("origin/develop");
  });
});

describe("diff parsing", () => {
  test("raw and numstat records, renames and binaries", () => {
    const output = [
      ":100644 100644 aaa bbb M", "src/a.ts",
      ":100644 100644 ccc ddd R087", "old.ts", "new.ts",
      ":100644 120000 eee fff T", "link",
      ":000000 100644 000 ggg A", "img.png",
      "3\t1\tsrc/a.ts",
      "2\t2\t", "old.ts", "new.ts",
      "1\t1\tlink",
      "-\t-\timg.png",
      "",
    ].join("\0");
    const { raw, numstat } = parseRawNumstat(output);
    expect(raw).toEqual([
      { status: "modified", path: "src/a.ts", kindChanged: false },
      { status: "renamed", previousPath: "old.ts", path: "new.ts", kindChanged: false },
      { status: "changed", path: "link", kindChanged: true },
      { status: "added", path: "img.png", kindChanged: false },
    ]);
    expect(numstat).toEqual([
      { additions: 3, deletions: 1, binary: false },
      { additions: 2, deletions: 2, binary: false },
      { additions: 1, deletions: 1, binary: false },
      { additions: 0, deletions: 0, binary: true },
    ]);
  });

  test("patch chunks and their hunks", () => {
    const text = "diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+diff --git a/y b/y\ndiff --git a/z b/z\nnew file mode 100644\nindex 0000000..e69de29\n";
    const chunks = splitPatch(text);
    expect(chunks).toHaveLength(2);
    expect(hunksOf(chunks[0]!)).toBe("@@ -1 +1 @@\n-a\n+diff --git a/y b/y");
    expect(hunksOf(chunks[1]!)).toBeUndefined();
    expect(splitPatch("")).toEqual([]);
  });

  test("a file that becomes a symlink has no patch, and the files after it keep theirs", async () => {
    const repo = createRepo();
    try {
      repo.commit("initial", { "a.txt": "one\n", "b.txt": "two\n", "c.txt": "three\n" });
      repo.git("checkout", "-q", "-b", "feature");
      repo.remove("b.txt");
      symlinkSync("a.txt", join(repo.dir, "b.txt"));
      repo.commit("symlink", { "c.txt": "three!\n", "a.txt": "one!\n" });
      const files = byPath(value((await new LocalFactsProvider(repo.dir, "main", "HEAD").gather([{ kind: "files" }])).files));
      expect(files.get("b.txt")).toMatchObject({ status: "changed" });
      expect(files.get("b.txt")!.patch).toBeUndefined();
      expect(files.get("a.txt")!.patch).toBe("@@ -1 +1 @@\n-one\n+one!");
      expect(files.get("c.txt")!.patch).toBe("@@ -1 +1 @@\n-three\n+three!");
    } finally {
      repo.cleanup();
    }
  });
});

test("authorOf reads logins from GitHub noreply addresses only", () => {
  expect(authorOf("Ada", "12345+ada-l@users.noreply.github.com")).toBe("ada-l");
  expect(authorOf("Ada", "ada@users.noreply.github.com")).toBe("ada");
  expect(authorOf("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")).toBe("dependabot[bot]");
  expect(authorOf("Ada Lovelace", "ada@example.com")).toBe("Ada Lovelace");
});

test("a shallow clone without the merge base says how to fetch it", async () => {
  const upstream = createRepo();
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "readiness-shallow-")));
  try {
    upstream.commit("one", { "a.txt": "1\n" });
    upstream.commit("two", { "a.txt": "2\n" });
    upstream.git("checkout", "-q", "-b", "feature");
    upstream.commit("three", { "a.txt": "3\n" });
    upstream.git("checkout", "-q", "main");
    upstream.commit("four", { "b.txt": "4\n" });
    execFileSync("git", ["clone", "-q", "--depth", "1", "--no-single-branch", `file://${upstream.dir}`, join(dir, "c")]);
    const error = await new LocalFactsProvider(join(dir, "c"), "origin/main", "origin/feature").refs().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as Error).message).toMatch(/shallow clone: fetch more history \(git fetch --unshallow, or fetch-depth: 0 with actions\/checkout\)$/);
  } finally {
    upstream.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a CODEOWNERS of 3 MB or more is known but empty, with its size, as GitHub ignores it", async () => {
  const repo = createRepo();
  try {
    const huge = "* @acme/owners\n".repeat(Math.ceil((3 * 1024 * 1024) / 15));
    repo.commit("initial", { ".github/CODEOWNERS": huge, "CODEOWNERS": "* @acme/small\n" });
    const facts = await new LocalFactsProvider(repo.dir, "main", "HEAD").gather([{ kind: "codeowners" }]);
    expect(value(facts.codeowners)).toEqual({ path: ".github/CODEOWNERS", content: "", size: Buffer.byteLength(huge) });
  } finally {
    repo.cleanup();
  }
});

test("lastCommit: the committer date of the newest commit touching a path up to each ref; null when none did", async () => {
  const repo = createRepo();
  const committedAt = (date: string, files: Record<string, string>) => {
    process.env.GIT_COMMITTER_DATE = date;
    try {
      return repo.commit(`change at ${date}`, files);
    } finally {
      delete process.env.GIT_COMMITTER_DATE;
    }
  };
  try {
    committedAt("2026-01-05T10:00:00+02:00", { "docs/runbook.md": "# Runbook\n", "src/cart.ts": "1\n" });
    repo.git("checkout", "-q", "-b", "feature");
    committedAt("2026-03-01T12:00:00Z", { "src/cart.ts": "2\n" });
    committedAt("2026-03-02T12:00:00Z", { "docs/runbook.md": "# Runbook\n## Alerts\n" });
    const facts = await new LocalFactsProvider(repo.dir, "main", "HEAD").gather([
      { kind: "lastCommit", ref: "base", path: "docs/runbook.md" },
      { kind: "lastCommit", ref: "head", path: "docs/runbook.md" },
      { kind: "lastCommit", ref: "head", path: "src" },
      { kind: "lastCommit", ref: "head", path: "docs/never.md" },
    ]);
    expect(value(facts.lastCommits?.get(contentKey("base", "docs/runbook.md")))).toBe("2026-01-05T08:00:00.000Z");
    expect(value(facts.lastCommits?.get(contentKey("head", "docs/runbook.md")))).toBe("2026-03-02T12:00:00.000Z");
    expect(value(facts.lastCommits?.get(contentKey("head", "src")))).toBe("2026-03-01T12:00:00.000Z");
    expect(value(facts.lastCommits?.get(contentKey("head", "docs/never.md")))).toBeNull();
  } finally {
    repo.cleanup();
  }
});

test("now: the provider's clock, as ISO 8601", async () => {
  const repo = createRepo();
  try {
    repo.commit("initial", { "a.txt": "1\n" });
    const facts = await new LocalFactsProvider(repo.dir, "main", "HEAD", { now: () => new Date(Date.UTC(2026, 10, 30, 8, 0)) }).gather([{ kind: "now" }]);
    expect(value(facts.now)).toBe("2026-11-30T08:00:00.000Z");
  } finally {
    repo.cleanup();
  }
});
