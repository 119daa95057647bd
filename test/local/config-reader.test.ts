import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLocalConfigReader } from "../../src/local/config-reader.js";
import { GitError } from "../../src/local/git.js";
import { createRepo } from "./git-repo.js";
import type { TempRepo } from "./git-repo.js";

/** The text of a read, undefined when it was refused or missing. */
const contentOf = (read: { content: string } | { refused: string } | null): string | undefined => (read && "content" in read ? read.content : undefined);

describe("createLocalConfigReader", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = createRepo();
    repo.commit("initial", { ".readiness.yml": "level: bronze\n", ".github/readiness.yml": "level: gold\n" });
    repo.git("checkout", "-q", "-b", "feature");
    repo.commit("weaken the gate", { ".readiness.yml": "level: none-at-all\n" });
    // An uncommitted edit must not count either.
    repo.write(".readiness.yml", "level: dirty\n");
  });
  afterAll(() => repo.cleanup());

  test("reads the repository's files at the BASE ref, not the head or the work tree", async () => {
    const reader = createLocalConfigReader(repo.dir, "main");
    expect(await reader.read("repo", ".readiness.yml")).toEqual({
      content: "level: bronze\n",
      origin: { repository: "local", path: ".readiness.yml", ref: "main" },
    });
    expect(contentOf(await reader.read("repo", ".github/readiness.yml"))).toBe("level: gold\n");
    expect(await reader.read("repo", "missing.yml")).toBeNull();
  });

  test("without --org-config there is no organisation baseline", async () => {
    expect(await createLocalConfigReader(repo.dir, "main").read("org", ".readiness.yml")).toBeNull();
  });

  test("--org-config supplies the organisation baseline", async () => {
    const org = join(repo.dir, "org.yml");
    writeFileSync(org, "level: silver\n");
    const read = await createLocalConfigReader(repo.dir, "main", { orgConfigFile: org }).read("org", ".readiness.yml");
    expect(read).toEqual({ content: "level: silver\n", origin: { repository: "organisation baseline (--org-config)", path: org } });
  });

  test("--config replaces the repository lookup: the first path returns it, the others nothing", async () => {
    const file = join(repo.dir, "try.yml");
    writeFileSync(file, "level: gold\n");
    const reader = createLocalConfigReader(repo.dir, "main", { configFile: file });
    expect(await reader.read("repo", ".readiness.yml")).toEqual({ content: "level: gold\n", origin: { repository: "local", path: file } });
    expect(await reader.read("repo", ".github/readiness.yml")).toBeNull();
  });

  test("a missing --config file is a clear error naming it", async () => {
    const reader = createLocalConfigReader(repo.dir, "main", { configFile: "/nonexistent/readiness.yml" });
    await expect(reader.read("repo", ".readiness.yml")).rejects.toThrow(new GitError("cannot read the configuration file (--config) /nonexistent/readiness.yml: no such file"));
  });
});
