import { renderText } from "../../src/render/text.js";
import { evaluation, rule } from "./evaluations.js";

const e = evaluation(
  [
    rule({ id: "codeowners", status: "pass", reason: "every file has an owner" }),
    rule({ id: "slo", level: "gold", blocking: false, status: "fail", findings: [{ message: "no SLO file", path: "svc/slo.yaml", line: 3 }] }),
    rule({
      id: "reviews",
      status: "fail",
      reason: "needs 2 approvals, has 1",
      findings: [{ message: "one more approval needed", details: ["can approve: alice, bob"] }],
      fix: "Ask a reviewer.",
    }),
    rule({ id: "tests", status: "pending", reason: "ci / test has not finished" }),
    rule({ id: "secrets", status: "skip", reason: "nothing to scan" }),
    rule({
      id: "documentation",
      level: "silver",
      status: "fail",
      findings: [
        { message: "src/ changed but docs/ did not", path: "src/cart.ts", line: 12 },
        { message: "consider a changelog entry", path: "CHANGELOG.md", severity: "warning" },
      ],
      fix: "Update docs/.",
    }),
  ],
  { conclusion: "failure", reached: "bronze" },
);
const out = renderText(e);
const lines = out.split("\n");

describe("renderText: the terminal report", () => {
  test("the verdict, then the level line with the ladder", () => {
    expect(lines[0]).toBe("Blocked: 2 rules fail (reviews, documentation); 1 waiting (tests)");
    expect(lines[1]).toBe("Level: bronze reached, silver required (ladder: bronze -> silver -> gold)");
  });

  test("a table of rules in the check run's order, with aligned columns", () => {
    const table = lines.slice(3, 10);
    expect(table[0]).toMatch(/^ {2}STATUS +RULE +LEVEL +ENFORCEMENT +NOTE$/);
    expect(table.map((l) => l.trim().split(/\s{2,}/)[1])).toEqual(["RULE", "reviews", "documentation", "tests", "slo", "codeowners", "secrets"]);
    for (const column of ["RULE", "LEVEL", "ENFORCEMENT", "NOTE"]) {
      const at = table[0]!.indexOf(column);
      for (const row of table.slice(1)) {
        expect(row[at - 1]).toBe(" ");
        expect(row[at]).not.toBe(" ");
        expect(row[at - 2]).toBe(" ");
      }
    }
    expect(table[1]).toMatch(/^ {2}fail +reviews +bronze +blocking +one more approval needed$/);
    expect(table[2]).toMatch(/^ {2}fail +documentation +silver +blocking +src\/ changed but docs\/ did not \(\+1 more\)$/);
    expect(table[3]).toMatch(/^ {2}pending +tests +bronze +blocking +ci \/ test has not finished$/);
    expect(table[4]).toMatch(/^ {2}fail +slo +gold +advisory +no SLO file$/);
    expect(table[6]).toMatch(/^ {2}skipped +secrets +bronze +blocking +nothing to scan$/);
  });

  test("then each rule's findings as path:line: message, details indented, and the fix", () => {
    expect(out).toContain(
      [
        "reviews: fail (bronze, blocking) - needs 2 approvals, has 1",
        "  one more approval needed",
        "      can approve: alice, bob",
        "  fix: Ask a reviewer.",
        "",
        "documentation: fail (silver, blocking) - 2 findings",
        "  src/cart.ts:12: src/ changed but docs/ did not",
        "  CHANGELOG.md: warning: consider a changelog entry",
        "  fix: Update docs/.",
        "",
        "tests: pending (bronze, blocking) - ci / test has not finished",
        "",
        "slo: fail (gold, advisory) - 1 finding",
        "  svc/slo.yaml:3: no SLO file",
        "",
      ].join("\n"),
    );
    expect(out).not.toContain("codeowners: pass");
    expect(out.endsWith("\n")).toBe(true);
  });

  test("no markdown and no emoji", () => {
    expect(out).not.toMatch(/\*\*|<br>|\| ---|[✅❌⏳❔⚠⏭🏳]/u);
  });

  test("user text cannot move the cursor, clear the screen or add lines", () => {
    const hostile = renderText(
      evaluation([rule({ id: "docs", status: "fail", findings: [{ message: "a\u001b[2J\nb\u0007", path: "x\u001b]0;pwned\u0007.ts", line: 1, details: ["d\u001b[1A"] }] })], {
        conclusion: "failure",
        reached: null,
      }),
    );
    expect(hostile).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(hostile).toContain("  x\uFFFD]0;pwned\uFFFD.ts:1: a\uFFFD[2J b\uFFFD");
  });

  test("no rules: says so", () => {
    expect(renderText(evaluation([], { conclusion: "success", reached: "gold" }))).toBe(
      "Ready: gold reached\nLevel: gold reached, silver required (ladder: bronze -> silver -> gold)\n\nNo rules are enabled.\n",
    );
  });
});
