/** `readiness owners` on temporary git repositories, through a fake terminal. */
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ownersCommand } from "../../src/cli/owners.js";
import type { CliIO } from "../../src/cli/io.js";
import { createRepo, type TempRepo } from "../local/git-repo.js";
import { runCli } from "./run-cli.js";

async function run(argv: string[], cwd: string, stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIO = { cwd, env: {}, out: (t) => void (out += t), err: (t) => void (err += t), readStdin: async () => stdin };
  const code = await ownersCommand(argv, io);
  return { code, out, err };
}

const CODEOWNERS = [
  "# owners",
  "*                @acme/platform",
  "/src/payments/   @acme/payments @alice # money",
  "/vendor/",
  "/My\\ Docs/      docs@example.com",
  "/src/ bad-owner",
].join("\n");

describe("readiness owners", () => {
  let repo: TempRepo;
  let first: string;

  beforeAll(() => {
    repo = createRepo();
    first = repo.commit("first", { ".github/CODEOWNERS": "/src/ @acme/old\n", "src/a.ts": "a" });
    repo.commit("second", { ".github/CODEOWNERS": CODEOWNERS, "docs/CODEOWNERS": "* @ignored\n" });
  });
  afterAll(() => repo.cleanup());

  test("text: owners and the deciding line for each path; invalid lines reported on stderr", async () => {
    const r = await run(["src/payments/charge.ts", "vendor/lib.js", "README.md", "My Docs/a.md"], repo.dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        "src/payments/charge.ts  @acme/payments @alice  (.github/CODEOWNERS:3 /src/payments/)",
        "vendor/lib.js  no owner  (.github/CODEOWNERS:4 /vendor/ names no owner)",
        "README.md  @acme/platform  (.github/CODEOWNERS:2 *)",
        "My Docs/a.md  docs@example.com  (.github/CODEOWNERS:5 /My\\ Docs/)",
        "",
      ].join("\n"),
    );
    expect(r.err).toMatch(/^\.github\/CODEOWNERS:6:7: "bad-owner" is not a valid owner: did you mean @bad-owner\?.*\(GitHub skips this line\)\n$/);
  });

  test("json: one object per path per line", async () => {
    const r = await run(["--format", "json", "./src/payments/x.ts", join(repo.dir, "vendor/a")], repo.dir);
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split("\n").map((line) => JSON.parse(line))).toEqual([
      { path: "src/payments/x.ts", owners: ["@acme/payments", "@alice"], line: 3, pattern: "/src/payments/" },
      { path: "vendor/a", owners: [], line: 4, pattern: "/vendor/" },
    ]);
  });

  test("json: a path no line matches has null line and pattern", async () => {
    const r = await run(["--format=json", "--ref", first, "lib/x.ts"], repo.dir);
    expect(JSON.parse(r.out)).toEqual({ path: "lib/x.ts", owners: [], line: null, pattern: null });
  });

  test("--ref reads CODEOWNERS at that commit", async () => {
    const r = await run(["--ref", first, "src/a.ts", "README.md"], repo.dir);
    expect(r.out).toBe("src/a.ts  @acme/old  (.github/CODEOWNERS:1 /src/)\nREADME.md  no owner\n");
    expect(r.err).toBe("");
  });

  test("paths from standard input, one per line, when none are given", async () => {
    const r = await run(["--format", "json"], repo.dir, "src/payments/a.ts\r\n\nREADME.md\n");
    expect(r.out.trimEnd().split("\n").map((line) => (JSON.parse(line) as { path: string }).path)).toEqual(["src/payments/a.ts", "README.md"]);
  });

  test("--repo points at the repository from elsewhere", async () => {
    const r = await run(["--repo", repo.dir, "README.md"], tmpdir());
    expect(r.code).toBe(0);
    expect(r.out).toContain("README.md  @acme/platform");
  });

  test("root CODEOWNERS wins over docs/ when .github/ has none (rule 1)", async () => {
    const other = createRepo();
    try {
      other.commit("init", { CODEOWNERS: "* @root\n", "docs/CODEOWNERS": "* @docs\n", ".github/CODEOWNERS/README": "a directory, not a file\n" });
      const r = await run(["x.ts"], other.dir);
      expect(r.out).toBe("x.ts  @root  (CODEOWNERS:1 *)\n");
    } finally {
      other.cleanup();
    }
  });

  test("an absolute path inside the repository is made relative to its root; one outside is refused", async () => {
    const inside = await run([join(repo.dir, "src", "payments", "x.ts"), `${repo.dir}/vendor/`], join(repo.dir, "src"));
    expect(inside).toEqual({
      code: 0,
      out: "src/payments/x.ts  @acme/payments @alice  (.github/CODEOWNERS:3 /src/payments/)\nvendor/  no owner  (.github/CODEOWNERS:4 /vendor/ names no owner)\n",
      err: expect.any(String),
    });
    const outside = await run(["README.md", "/etc/passwd"], repo.dir);
    expect(outside).toEqual({
      code: 2,
      out: "",
      err: `readiness owners: /etc/passwd is outside the repository ${repo.dir}: give a path inside it, or a path relative to its root (without a leading /)\n`,
    });
    const root = await run([repo.dir], repo.dir);
    expect(root).toMatchObject({ code: 2, err: `readiness owners: ${repo.dir} is the repository root itself: name a file or directory inside it\n` });
  });

  test("a directory gets one answer however it is written: the owners of a new file directly inside it", async () => {
    const other = createRepo();
    try {
      other.commit("init", { CODEOWNERS: "* @all\n/cmd/ @cli\n/docs/*.md @writers\nlib @lib\n", "cmd/main.go": "", "docs/a.md": "", "src/lib/x.ts": "", "cmdx": "" });
      const r = await run(["cmd", "cmd/", "./cmd//", join(other.dir, "cmd"), "cmd/main.go", "cmdx", "docs", "docs/a.md", "src/lib", "src/lib/"], other.dir);
      expect(r.out.trimEnd().split("\n")).toEqual([
        "cmd/  @cli  (CODEOWNERS:2 /cmd/)",
        "cmd/  @cli  (CODEOWNERS:2 /cmd/)",
        "cmd/  @cli  (CODEOWNERS:2 /cmd/)",
        "cmd/  @cli  (CODEOWNERS:2 /cmd/)",
        "cmd/main.go  @cli  (CODEOWNERS:2 /cmd/)",
        "cmdx  @all  (CODEOWNERS:1 *)",
        "docs/  @all  (CODEOWNERS:1 *)",
        "docs/a.md  @writers  (CODEOWNERS:3 /docs/*.md)",
        "src/lib/  @lib  (CODEOWNERS:4 lib)",
        "src/lib/  @lib  (CODEOWNERS:4 lib)",
      ]);
    } finally {
      other.cleanup();
    }
  });

  test("usage errors exit 2 with a clear message", async () => {
    const noPaths = await run([], repo.dir, "\n  \n");
    expect(noPaths).toMatchObject({ code: 2, out: "" });
    expect(noPaths.err).toMatch(/no paths given: pass paths as arguments, or one per line on standard input/);

    const badFormat = await run(["--format", "yaml", "a"], repo.dir);
    expect(badFormat.code).toBe(2);
    expect(badFormat.err).toMatch(/--format must be one of text, json, got "yaml"/);

    const unknownOption = await run(["--reff", "main", "a"], repo.dir);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.err).toMatch(/unknown option --reff/);

    const badRef = await run(["--ref", "no-such-branch", "a"], repo.dir);
    expect(badRef.code).toBe(2);
    expect(badRef.err).toMatch(/--ref no-such-branch: no commit of that name/);

    const optionLikeRef = await run(["--ref=--output=x", "a"], repo.dir);
    expect(optionLikeRef.code).toBe(2);
    expect(optionLikeRef.err).toMatch(/a ref cannot start with "-"/);
  });

  test("not a git repository: exit 2", async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "readiness-owners-")));
    try {
      const r = await run(["a"], dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/is not inside a git repository/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("no CODEOWNERS at the ref: exit 2 naming the places looked at", async () => {
    const bare = createRepo();
    try {
      bare.commit("init", { "src/CODEOWNERS": "* @wrong-place\n" });
      const r = await run(["a"], bare.dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/no CODEOWNERS file at HEAD in .* \(looked for \.github\/CODEOWNERS, CODEOWNERS, docs\/CODEOWNERS\)/);
    } finally {
      bare.cleanup();
    }
  });

  test("a CODEOWNERS of 3 MB or more: nothing has an owner, and stderr says why", async () => {
    const big = createRepo();
    try {
      big.commit("init", { CODEOWNERS: `* @everyone\n${"#".repeat(3 * 1024 * 1024)}\n` });
      const r = await run(["a.ts"], big.dir);
      expect(r).toMatchObject({ code: 0, out: "a.ts  no owner\n" });
      expect(r.err).toMatch(/^CODEOWNERS:1:1: CODEOWNERS is 3\.0 MB: GitHub ignores a CODEOWNERS file of 3 MB or more/);
    } finally {
      big.cleanup();
    }
  });

  test("wired into the readiness command", async () => {
    const r = await runCli(["owners", "README.md"], { cwd: repo.dir });
    expect(r.code).toBe(0);
    expect(r.out).toBe("README.md  @acme/platform  (.github/CODEOWNERS:2 *)\n");
  });

  test("--help", async () => {
    const r = await run(["--help"], repo.dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: readiness owners/);
  });
});
