import { describe, expect, test } from "@jest/globals";
import type { ConfigDiff, ConfigPreview } from "../../src/config/diff.js";
import type { ConfigError, ConfigOrigin } from "../../src/config/types.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { renderPublication } from "../../src/render/publication.js";
import { PREVIEW_ITEMS_MAX, PROPOSED_INVALID_TITLE, diffItems, previewAnnotations, renderPreview } from "../../src/render/preview.js";
import { HOSTILE, deceptiveLinks, evaluation, foreignTags, rule, toHtml } from "./evaluations.js";

const EMPTY_DIFF: ConfigDiff = { added: [], removed: [], levelsMoved: [], optionsChanged: [], attestationsAdded: [], attestationsRemoved: [] };
const source = { paths: [".readiness.yml"], headSha: "a".repeat(40) };
const head: ConfigOrigin = { repository: "acme/shop", path: ".readiness.yml", ref: "a".repeat(40) };
const baseline: ConfigOrigin = { repository: "acme/.github", path: "readiness.yml" };

function configError(line: number, keyPath: string, message: string, at: ConfigOrigin = head): ConfigError {
  return { origin: at, line, column: 3, endLine: line, keyPath, message };
}

const valid: ConfigPreview = {
  ...source,
  kind: "valid",
  origins: [head],
  diff: {
    ...EMPTY_DIFF,
    added: [{ id: "file-exists", level: "bronze" }],
    removed: [{ id: "docs", level: "silver" }],
    levelsMoved: [{ id: "reviews", from: "bronze", to: "silver" }],
    optionsChanged: [{ id: "pr-size", keys: ["max-lines", "when"] }],
    required: { from: "silver", to: "gold" },
  },
  pull: { from: { conclusion: "success", reached: "gold", required: "silver" }, to: { conclusion: "failure", reached: null, required: "gold", blockedBy: ["file-exists"] } },
  scorecard: { ref: "main", sha: "c".repeat(40), before: "silver", after: { low: null, high: "silver" }, unjudged: ["file-exists"] },
};

const invalid: ConfigPreview = {
  ...source,
  kind: "invalid",
  origin: head,
  errors: [configError(6, "rules.revuews", 'unknown rule "revuews". Did you mean "reviews"?'), configError(2, "", "cannot read the baseline", baseline), configError(3, "level", "unknown level")],
};

describe("renderPreview", () => {
  test("a valid proposal: each change as one line, then the verdicts side by side", () => {
    const text = renderPreview(valid);
    expect(text.split("\n").filter((line) => line.startsWith("- "))).toEqual([
      "- 🎯 required level: silver → **gold**",
      "- ➕ `file-exists` added at bronze",
      "- ➖ `docs` removed (was silver)",
      "- ↕️ `reviews`: bronze → **silver**",
      "- ⚙️ `pr-size`: `max-lines`, `when` changed",
    ]);
    expect(text).toContain("| This pull request | ✅ ready: gold reached, silver required | ❌ not ready: no level reached, gold required (blocked by `file-exists`) |");
    expect(text).toContain("| Scorecard (`main` at `ccccccc`) | silver | between no level and silver, depending on `file-exists` (not yet judged on the branch) |");
    expect(text).toContain("**Verdict differences:** under the proposed configuration this pull request would be not ready (no level reached) instead of ready (gold reached); the repository's scorecard (silver now) would be between no level and silver, depending on `file-exists` (not yet judged on the branch).");
    expect(text).toContain("estimated from its latest record");
  });

  test("no change and the same verdicts: said in one line, no differences claimed", () => {
    const same = { conclusion: "success" as const, reached: "gold", required: "silver" };
    const text = renderPreview({ ...source, kind: "valid", origins: [head], diff: EMPTY_DIFF, pull: { from: same, to: same } });
    expect(text).toContain("✅ The proposed configuration is valid and changes no rule or level.");
    expect(text).not.toContain("Verdict differences");
    expect(text).not.toContain("Scorecard");
  });

  test("an invalid proposal: the errors where they are (this file's first), and that the check fails until fixed", () => {
    const text = renderPreview(invalid);
    expect(text).toContain("❌ **The proposed configuration is invalid:** `.readiness.yml` at `aaaaaaa` has 3 errors (annotated on the file).");
    expect(text).toContain("This check fails until they are fixed");
    expect(text.split("\n").filter((line) => line.startsWith("- "))).toEqual([
      "- `.readiness.yml:3:3` — `level`: unknown level",
      '- `.readiness.yml:6:3` — `rules.revuews`: unknown rule "revuews". Did you mean "reviews"?',
      "- `acme/.github:readiness.yml:2:3` — cannot read the baseline",
    ]);
  });

  test("a proposal that leaves no configuration says the repository would no longer be checked", () => {
    expect(renderPreview({ ...source, kind: "none" })).toContain("no readiness configuration:** once merged, its pull requests are no longer checked");
  });

  test("the organisation baseline is named", () => {
    expect(renderPreview({ ...valid, orgBaseline: "acme/.github" })).toContain("It changes the organisation baseline `acme/.github`");
  });

  test("long lists end in 'and N more'", () => {
    const many = Array.from({ length: PREVIEW_ITEMS_MAX + 5 }, (_, i) => ({ id: `rule-${String(i).padStart(2, "0")}`, level: "bronze" }));
    const text = renderPreview({ ...valid, diff: { ...EMPTY_DIFF, added: many } });
    expect(text.split("\n").filter((line) => line.startsWith("- ➕"))).toHaveLength(PREVIEW_ITEMS_MAX);
    expect(text).toContain("- … and 5 more");
  });

  test("user text (error messages, level names) cannot inject markup", () => {
    for (const hostile of HOSTILE) {
      const text = renderPreview({ ...invalid, errors: [configError(1, hostile, hostile)] });
      const html = toHtml(text);
      expect(foreignTags(html, ["a"])).toEqual([]);
      expect(deceptiveLinks(html)).toEqual([]);
      expect(diffItems({ ...EMPTY_DIFF, levelsMoved: [{ id: "reviews", from: hostile, to: hostile }] }).join("\n")).not.toContain("<script>");
    }
  });
});

describe("previewAnnotations", () => {
  test("one failure annotation per error in this repository's files, at its line", () => {
    expect(previewAnnotations(invalid, "acme/shop").map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      [".readiness.yml", 3, "failure"],
      [".readiness.yml", 6, "failure"],
    ]);
    expect(previewAnnotations(valid, "acme/shop")).toEqual([]);
  });
});

describe("renderPublication with a preview", () => {
  const config: ResolvedConfig = { levels: ["bronze", "silver", "gold"], required: "silver", comment: "on-failure", rules: [] };
  const passing = evaluation([rule({ id: "reviews", findings: [] })], { conclusion: "success", reached: "gold" });
  const view = { kind: "pull" as const, repository: "acme/shop", maxAnnotations: 50 };

  test("an invalid proposal fails the check, titles it so, annotates the file and always comments", () => {
    const publication = renderPublication({ kind: "evaluated", evaluation: passing, config, origins: [], preview: invalid }, view);
    expect(publication.check.conclusion).toBe("failure");
    expect(publication.check.output.title.startsWith(`${PROPOSED_INVALID_TITLE} · `)).toBe(true);
    expect(publication.check.output.annotations.map((a) => a.start_line)).toEqual([3, 6]);
    expect(publication.check.output.summary.indexOf("Configuration preview")).toBeLessThan(publication.check.output.summary.indexOf("Ready to merge"));
    expect(publication.comment?.create).toBe(true);
    expect(publication.comment?.body(undefined)).toContain("The proposed configuration is invalid");
  });

  test("a valid proposal keeps the base verdict and comments once", () => {
    const publication = renderPublication({ kind: "evaluated", evaluation: passing, config, origins: [], preview: valid }, view);
    expect(publication.check.conclusion).toBe("success");
    expect(publication.comment?.create).toBe(true);
    expect(renderPublication({ kind: "evaluated", evaluation: passing, config: { ...config, comment: "never" }, origins: [], preview: valid }, view).comment).toBeUndefined();
  });

  test("other views show no preview", () => {
    const branch = renderPublication({ kind: "evaluated", evaluation: passing, config, origins: [], preview: invalid }, { kind: "branch", repository: "acme/shop", ref: "main" });
    expect(branch.check.conclusion).toBe("success");
    expect(branch.check.output.summary).not.toContain("Configuration preview");
  });
});
