import nock from "nock";
import { TtlCache } from "../../src/github/cache.js";
import { createConfigReader, ORG_CONFIG_TTL_MS } from "../../src/github/config-reader.js";
import { API, BASE_SHA, guardRequests, octokit, REPO } from "./mock-github.js";

guardRequests();

/** The text of a read, undefined when it was refused or missing. */
const contentOf = (read: { content: string } | { refused: string } | null): string | undefined => (read && "content" in read ? read.content : undefined);

const file = (path: string, content: string) => ({
  type: "file",
  path,
  name: path.split("/").pop(),
  size: Buffer.byteLength(content),
  encoding: "base64",
  content: Buffer.from(content).toString("base64").replace(/(.{60})/g, "$1\n"),
});
const YAML = "level: silver # é, ✓\nrules:\n  reviews: bronze\n";

describe("repository reads", () => {
  it("read the file at the BASE commit, decode it and say where it came from", async () => {
    const scope = nock(API).get("/repos/acme/shop/contents/.readiness.yml").query({ ref: BASE_SHA }).reply(200, file(".readiness.yml", YAML));
    const result = await createConfigReader(octokit(), REPO, BASE_SHA).read("repo", ".readiness.yml");
    scope.done();
    expect(result).toEqual({ content: YAML, origin: { repository: "acme/shop", path: ".readiness.yml", ref: BASE_SHA } });
  });

  it("answer null when the file does not exist", async () => {
    const scope = nock(API).get("/repos/acme/shop/contents/.github%2Freadiness.yml").query({ ref: BASE_SHA }).reply(404, { message: "Not Found" });
    expect(await createConfigReader(octokit(), REPO, BASE_SHA).read("repo", ".github/readiness.yml")).toBeNull();
    scope.done();
  });

  it("refuse a directory with a message naming it", async () => {
    const scope = nock(API).get("/repos/acme/shop/contents/.readiness.yml").query({ ref: BASE_SHA }).reply(200, [{ type: "file", name: "a.yml" }]);
    expect(await createConfigReader(octokit(), REPO, BASE_SHA).read("repo", ".readiness.yml")).toEqual({
      origin: { repository: "acme/shop", path: ".readiness.yml", ref: BASE_SHA },
      refused: "the file is a directory, not a file: the configuration must be a YAML file",
    });
    scope.done();
  });

  it("refuse a file over 1 MB without downloading it", async () => {
    const scope = nock(API)
      .get("/repos/acme/shop/contents/.readiness.yml")
      .query({ ref: BASE_SHA })
      .reply(200, { type: "file", path: ".readiness.yml", size: 2_000_000, encoding: "none", content: "" });
    expect(await createConfigReader(octokit(), REPO, BASE_SHA).read("repo", ".readiness.yml")).toMatchObject({
      refused: expect.stringMatching(/^the file is too large \(2000000 bytes, limit 1048576 bytes\)/),
    });
    scope.done();
  });

  it("refuse a file with NUL bytes as not a text file", async () => {
    const scope = nock(API).get("/repos/acme/shop/contents/.readiness.yml").query({ ref: BASE_SHA }).reply(200, file(".readiness.yml", "rules:\0\n"));
    expect(await createConfigReader(octokit(), REPO, BASE_SHA).read("repo", ".readiness.yml")).toMatchObject({
      refused: expect.stringMatching(/^the file is not a text file \(it contains NUL bytes\)/),
    });
    scope.done();
  });

  it("let other failures through (the pipeline reports them)", async () => {
    const scope = nock(API).get("/repos/acme/shop/contents/.readiness.yml").query({ ref: BASE_SHA }).reply(500, { message: "boom" });
    await expect(createConfigReader(octokit(), REPO, BASE_SHA).read("repo", ".readiness.yml")).rejects.toMatchObject({ status: 500 });
    scope.done();
  });
});

describe("organisation reads", () => {
  it("read the org's .github repository at its default branch (no ref)", async () => {
    const scope = nock(API)
      .get("/repos/acme/.github/contents/.readiness.yml")
      .query((q) => Object.keys(q).length === 0)
      .reply(200, file(".readiness.yml", YAML));
    const result = await createConfigReader(octokit(), REPO, BASE_SHA).read("org", ".readiness.yml");
    scope.done();
    expect(result).toEqual({ content: YAML, origin: { repository: "acme/.github", path: ".readiness.yml" } });
  });

  it("answer null when there is no .github repository or no file", async () => {
    const scope = nock(API).get("/repos/acme/.github/contents/.readiness.yml").reply(404, { message: "Not Found" });
    expect(await createConfigReader(octokit(), REPO, BASE_SHA).read("org", ".readiness.yml")).toBeNull();
    scope.done();
  });

  it("answer null, with a warning, when the installation cannot see .github (403)", async () => {
    const warnings: object[] = [];
    const log = { info: () => undefined, warn: (o: object) => warnings.push(o) };
    const scope = nock(API).get("/repos/acme/.github/contents/.readiness.yml").reply(403, { message: "Resource not accessible by integration" });
    expect(await createConfigReader(octokit(), REPO, BASE_SHA, { log }).read("org", ".readiness.yml")).toBeNull();
    scope.done();
    expect(warnings).toEqual([{ repository: "acme/.github", path: ".readiness.yml" }]);
  });
});

describe("caching", () => {
  it("reads a file at a commit once, however many readers ask, including a missing one", async () => {
    const cache = new TtlCache();
    const scope = nock(API)
      .get("/repos/acme/shop/contents/.readiness.yml")
      .query({ ref: BASE_SHA })
      .reply(200, file(".readiness.yml", YAML))
      .get("/repos/acme/shop/contents/.github%2Freadiness.yml")
      .query({ ref: BASE_SHA })
      .reply(404, { message: "Not Found" });
    for (let i = 0; i < 3; i++) {
      const reader = createConfigReader(octokit(), REPO, BASE_SHA, { cache });
      expect(contentOf(await reader.read("repo", ".readiness.yml"))).toBe(YAML);
      expect(await reader.read("repo", ".github/readiness.yml")).toBeNull();
    }
    scope.done();
  });

  it("reads again at another commit", async () => {
    const cache = new TtlCache();
    const other = "c".repeat(40);
    const scope = nock(API)
      .get("/repos/acme/shop/contents/.readiness.yml")
      .query({ ref: BASE_SHA })
      .reply(200, file(".readiness.yml", YAML))
      .get("/repos/acme/shop/contents/.readiness.yml")
      .query({ ref: other })
      .reply(200, file(".readiness.yml", "rules: {}\n"));
    await createConfigReader(octokit(), REPO, BASE_SHA, { cache }).read("repo", ".readiness.yml");
    expect(contentOf(await createConfigReader(octokit(), REPO, other, { cache }).read("repo", ".readiness.yml"))).toBe("rules: {}\n");
    scope.done();
  });

  it("keeps an organisation file for about a minute, then reads it again", async () => {
    let now = 0;
    const cache = new TtlCache({ now: () => now });
    const first = nock(API).get("/repos/acme/.github/contents/.readiness.yml").reply(200, file(".readiness.yml", "level: gold\n"));
    const reader = createConfigReader(octokit(), REPO, BASE_SHA, { cache });
    expect(contentOf(await reader.read("org", ".readiness.yml"))).toBe("level: gold\n");
    now += ORG_CONFIG_TTL_MS - 1;
    expect(contentOf(await createConfigReader(octokit(), { owner: "acme", repo: "api" }, "d".repeat(40), { cache }).read("org", ".readiness.yml"))).toBe("level: gold\n");
    first.done();
    now += 1;
    const second = nock(API).get("/repos/acme/.github/contents/.readiness.yml").reply(200, file(".readiness.yml", "level: silver\n"));
    expect(contentOf(await reader.read("org", ".readiness.yml"))).toBe("level: silver\n");
    second.done();
  });

  it("does not remember a failure", async () => {
    const cache = new TtlCache();
    const scope = nock(API)
      .get("/repos/acme/shop/contents/.readiness.yml")
      .query({ ref: BASE_SHA })
      .reply(502, { message: "Bad Gateway" })
      .get("/repos/acme/shop/contents/.readiness.yml")
      .query({ ref: BASE_SHA })
      .reply(200, file(".readiness.yml", YAML));
    const reader = createConfigReader(octokit(), REPO, BASE_SHA, { cache });
    await expect(reader.read("repo", ".readiness.yml")).rejects.toMatchObject({ status: 502 });
    expect(contentOf(await reader.read("repo", ".readiness.yml"))).toBe(YAML);
    scope.done();
  });

  it("counts the requests it makes", async () => {
    let requests = 0;
    const cache = new TtlCache();
    const scope = nock(API).get("/repos/acme/shop/contents/.readiness.yml").query({ ref: BASE_SHA }).reply(200, file(".readiness.yml", YAML));
    const reader = createConfigReader(octokit(), REPO, BASE_SHA, { cache, onRequest: () => (requests += 1) });
    await reader.read("repo", ".readiness.yml");
    await reader.read("repo", ".readiness.yml");
    scope.done();
    expect(requests).toBe(1);
  });
});
