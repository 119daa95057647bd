import { describe, expect, test } from "@jest/globals";
import { changedConfigPaths, isOrgBaselineRepository, proposedConfigReader } from "../../src/github/config-preview.js";
import type { GitHubClient } from "../../src/github/octokit.js";
import type { ChangedFile } from "../../src/engine/types.js";

const file = (path: string, extra: Partial<ChangedFile> = {}): ChangedFile => ({ path, status: "modified", additions: 1, deletions: 0, ...extra });

describe("changedConfigPaths", () => {
  test("edited, added, deleted and renamed configuration files count; others and nested copies do not", () => {
    expect(changedConfigPaths([file("src/a.ts"), file("sub/.readiness.yml"), file("docs/readiness.yml")])).toEqual([]);
    expect(changedConfigPaths([file(".readiness.yml", { status: "removed" })])).toEqual([".readiness.yml"]);
    expect(changedConfigPaths([file("old.yml", { status: "renamed", previousPath: ".github/readiness.yml" }), file(".readiness.yml")])).toEqual([".readiness.yml", ".github/readiness.yml"]);
  });
});

describe("proposedConfigReader", () => {
  /** Answers every contents read with its path and ref, recording the request. */
  function client(calls: string[]): GitHubClient {
    const getContent = async (params: { owner: string; repo: string; path: string; ref?: string }) => {
      calls.push(`${params.owner}/${params.repo}:${params.path}@${params.ref ?? "default"}`);
      const content = `# ${params.path}\n`;
      return { status: 200, headers: {}, data: { type: "file", size: content.length, encoding: "base64", content: Buffer.from(content).toString("base64") } };
    };
    return { rest: { repos: { getContent } } } as unknown as GitHubClient;
  }

  test("a repository's files are read at the head; the organisation baseline as in force", async () => {
    const calls: string[] = [];
    const reader = proposedConfigReader(client(calls), { owner: "acme", repo: "shop" }, "h".repeat(40), undefined, undefined);
    await reader.read("repo", ".readiness.yml");
    await reader.read("org", ".readiness.yml");
    expect(calls).toEqual([`acme/shop:.readiness.yml@${"h".repeat(40)}`, "acme/.github:.readiness.yml@default"]);
  });

  test("in the organisation's .github repository the baseline is the proposed file itself, read at the head", async () => {
    const calls: string[] = [];
    expect(isOrgBaselineRepository({ owner: "acme", repo: ".GitHub" })).toBe(true);
    const reader = proposedConfigReader(client(calls), { owner: "acme", repo: ".github" }, "h".repeat(40), undefined, undefined);
    await reader.read("org", ".github/readiness.yml");
    expect(calls).toEqual([`acme/.github:.github/readiness.yml@${"h".repeat(40)}`]);
  });
});
