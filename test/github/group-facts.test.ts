import { describe, expect, test } from "@jest/globals";
import { makeFacts } from "../../src/engine/facts.js";
import { contentKey, known } from "../../src/engine/types.js";
import type { FactRequest, Facts } from "../../src/engine/types.js";
import { groupFacts, readsGroupBase } from "../../src/github/group-facts.js";
import type { FactsProvider } from "../../src/pipeline.js";

/** A provider that answers every request with a fact naming itself, and records what it was asked. */
function recording(name: string): FactsProvider & { asked: FactRequest["kind"][] } {
  const asked: FactRequest["kind"][] = [];
  return {
    asked,
    async gather(requests) {
      const out: { -readonly [K in keyof Facts]?: Facts[K] } = {};
      for (const request of requests) {
        asked.push(request.kind);
        if (request.kind === "content") out.contents = new Map([...(out.contents ?? []), [contentKey(request.ref, request.path), known(`${name}:${request.path}`)]]);
        else if (request.kind === "tree") out.trees = { ...out.trees, [request.ref]: known([name]) };
        else if (request.kind === "files") out.files = known([]);
        else if (request.kind === "checks") out.checks = known([]);
        else if (request.kind === "codeowners") out.codeowners = known({ path: "CODEOWNERS", content: name });
        else if (request.kind === "pull") out.pull = known({ number: 12, title: name, body: "", author: "a", draft: false, labels: [], baseRef: "main", baseSha: name, headRef: "f", headSha: "h" });
      }
      return out;
    },
  };
}

describe("groupFacts", () => {
  test("the pull request's facts come from its own evaluation's provider; the base's and the pull object from the group's", async () => {
    const pull = recording("pull");
    const base = recording("group-base");
    const facts = await groupFacts(pull, base).gather(
      [
        { kind: "files" },
        { kind: "checks" },
        { kind: "pull" },
        { kind: "codeowners" },
        { kind: "content", ref: "base", path: "README.md" },
        { kind: "content", ref: "head", path: "README.md" },
        { kind: "tree", ref: "base" },
        { kind: "tree", ref: "head" },
      ],
      makeFacts(),
    );
    expect(pull.asked).toEqual(["files", "checks", "content", "tree"]);
    expect(base.asked).toEqual(["pull", "codeowners", "content", "tree"]);
    expect(facts.pull).toMatchObject({ known: true, value: { baseSha: "group-base" } });
    // Keyed facts from both sides are kept side by side.
    expect(facts.contents).toEqual(new Map([[contentKey("base", "README.md"), known("group-base:README.md")], [contentKey("head", "README.md"), known("pull:README.md")]]));
    expect(facts.trees).toEqual({ base: known(["group-base"]), head: known(["pull"]) });
    expect(Object.keys(facts).sort()).toEqual(["checks", "codeowners", "contents", "files", "pull", "trees"]);
  });

  test("a side with nothing to read is not asked", async () => {
    const pull = recording("pull");
    const base = recording("group-base");
    await groupFacts(pull, base).gather([{ kind: "reviews" }, { kind: "fingerprintKey" }], makeFacts());
    expect(base.asked).toEqual([]);
    expect(pull.asked).toEqual(["reviews", "fingerprintKey"]);
  });

  test.each<[FactRequest, boolean]>([
    [{ kind: "codeowners" }, true],
    [{ kind: "codeowners", ref: "head" }, false],
    [{ kind: "codeownersErrors", ref: "base" }, true],
    [{ kind: "codeownersErrors", ref: "head" }, false],
    [{ kind: "team", team: "acme/payments" }, false],
    [{ kind: "headContentsOfUnpatched" }, false],
    [{ kind: "reviews" }, false],
    [{ kind: "securityAlerts", source: "dependabot" }, false],
    [{ kind: "treeSizes", ref: "base" }, true],
    [{ kind: "treeSizes", ref: "head" }, false],
  ])("%j reads the group's base: %s", (request, expected) => {
    expect(readsGroupBase(request)).toBe(expected);
  });
});
