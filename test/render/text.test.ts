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

describe("renderText: counting and repeated advice", () => {
  test("a notice is not counted as a warning; warnings are", () => {
    const noticeOnly = renderText(
      evaluation([rule({ id: "secrets", status: "pass", reason: "scanned 0 files; 1 notice", findings: [{ message: "lockfile, not scanned", path: "package-lock.json", severity: "notice" }] })], {
        conclusion: "success",
        reached: "gold",
      }),
    );
    expect(noticeOnly).toMatch(/pass\s+secrets\s+bronze\s+blocking\s+scanned 0 files; 1 notice\n/);
    expect(noticeOnly).not.toMatch(/warning/);
    const mixed = renderText(
      evaluation(
        [
          rule({
            id: "secrets",
            status: "pass",
            reason: "scanned 2 files",
            findings: [
              { message: "n", path: "a", severity: "notice" },
              { message: "w", path: "b", severity: "warning" },
            ],
          }),
        ],
        { conclusion: "success", reached: "gold" },
      ),
    );
    expect(mixed).toMatch(/scanned 2 files; 1 warning\n/);
  });

  test("advice shared by several findings of a rule is printed once, under the first", () => {
    const advice = ["Rotate or revoke it at GitHub first.", "Then remove it from history."];
    const findings = Array.from({ length: 50 }, (_, i) => ({ message: `GitHub token ${i} [github-token]`, path: "a.ts", line: i + 1, details: advice }));
    const other = { message: "AWS key [aws-access-key]", path: "b.ts", line: 1, details: ["Rotate or revoke it at Amazon Web Services first.", "Then remove it from history."] };
    const out = renderText(evaluation([rule({ id: "secrets", status: "fail", findings: [...findings, other] })], { conclusion: "failure", reached: null }));
    expect(out.split("Rotate or revoke it at GitHub first.")).toHaveLength(2);
    expect(out.split("Rotate or revoke it at Amazon Web Services first.")).toHaveLength(2);
    expect(out.split("Then remove it from history.")).toHaveLength(2);
    for (let i = 0; i < 50; i++) expect(out).toContain(`a.ts:${i + 1}: GitHub token ${i} [github-token]`);
    expect(out).toContain("b.ts:1: AWS key [aws-access-key]");
  });
});
