import { branchTitle, renderBranchCheckRun, renderBranchMarkdown, renderBranchText, rulesByArea } from "../../src/render/branch.js";
import { renderPublication } from "../../src/render/publication.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { evaluation, rule, toHtml } from "./evaluations.js";

const ranked = evaluation(
  [
    rule({ id: "runbook", area: "incident", status: "fail", level: "silver", findings: [{ message: "docs/runbook.md does not exist: add a runbook" }], fix: "Add the runbook." }),
    rule({ id: "codeowners", area: "ownership" }),
    rule({ id: "pinned-actions", area: "security", level: "gold", blocking: false }),
    rule({ id: "file-exists", area: "documentation" }),
  ],
  { conclusion: "failure", reached: "bronze", required: "silver" },
);
const onBranch = { ...ranked, subject: "branch" as const, notApplicable: ["reviews", "tests"] };

describe("a branch's check run", () => {
  test("the title says the level reached against the level required", () => {
    expect(branchTitle(onBranch, "main")).toBe("main: bronze reached · silver required");
    expect(branchTitle({ ...onBranch, level: { ...onBranch.level, reached: null } }, "main")).toBe("main: no level reached · silver required");
  });

  test("the rule table is grouped by area, in the scorecard's order, and names the rules left out", () => {
    const output = renderBranchCheckRun(onBranch, { ref: "main", configSources: [".github/readiness.yml"] });
    const headings = [...output.summary.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(["Security", "Ownership", "Incident management", "Documentation", "Details"]);
    expect(output.summary).toContain("❌ `main` reaches **bronze**; **silver** is required: 1 rule falls short (runbook).");
    expect(output.summary).toContain("2 enabled rules apply to pull requests only and are not judged on a branch: reviews, tests.");
    expect(output.summary).toContain("Configuration: `.github/readiness.yml`");
    expect(toHtml(output.summary)).toContain("<table>");
  });

  test("rulesByArea keeps each rule once", () => {
    expect(rulesByArea(onBranch.rules).flatMap((group) => group.rules.map((r) => r.id)).sort()).toEqual(["codeowners", "file-exists", "pinned-actions", "runbook"]);
  });

  test("the publication for a branch is a check run only (no comment), however the comment policy is set", () => {
    const config: ResolvedConfig = { levels: ["bronze", "silver", "gold"], required: "silver", comment: "always", rules: [] };
    const publication = renderPublication({ kind: "evaluated", evaluation: onBranch, config, origins: [] }, { kind: "branch", repository: "acme/api", ref: "main" });
    expect(publication.comment).toBeUndefined();
    expect(publication.check).toMatchObject({ conclusion: "failure", output: { title: "main: bronze reached · silver required" } });
  });

  test("markdown and text for the CLI carry the same standing", () => {
    expect(renderBranchMarkdown(onBranch, { ref: "main" })).toContain("### Incident management");
    const text = renderBranchText(onBranch, { ref: "main", sha: "0123456789abcdef" });
    expect(text.split("\n")[0]).toBe("main: bronze reached · silver required (0123456)");
    expect(text).toContain("not judged on a branch: reviews, tests");
  });
});
