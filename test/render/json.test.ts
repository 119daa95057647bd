import { toJsonReport, type JsonReport } from "../../src/render/json.js";
import { evaluation, rule } from "./evaluations.js";

describe("toJsonReport: the stable --format json shape", () => {
  const e = evaluation(
    [
      rule({ id: "reviews", status: "fail", reason: "r", description: "d", findings: [{ message: "needs approval", details: ["x"], severity: "failure" }], fix: "f" }),
      rule({ id: "docs", level: "silver", status: "pass", findings: [{ message: "warn", path: "CHANGELOG.md", line: 4, endLine: 9, severity: "warning" }] }),
      rule({ id: "slo", level: "gold", blocking: false, status: "unknown", reason: "no data" }),
      rule({ id: "runbook", status: "waived" }),
    ],
    { conclusion: "failure", reached: null },
  );

  test("exactly the documented fields, nothing more", () => {
    const expected: JsonReport = {
      conclusion: "failure",
      level: { reached: null, required: "silver" },
      rules: [
        { id: "reviews", status: "fail", level: "bronze", blocking: true, findings: [{ message: "needs approval", path: null, line: null, severity: "failure" }] },
        { id: "docs", status: "pass", level: "silver", blocking: true, findings: [{ message: "warn", path: "CHANGELOG.md", line: 4, severity: "warning" }] },
        { id: "slo", status: "unknown", level: "gold", blocking: false, findings: [] },
        { id: "runbook", status: "waived", level: "bronze", blocking: true, findings: [] },
      ],
    };
    expect(toJsonReport(e)).toStrictEqual(expected);
  });

  test("serialises with keys in the documented order and nulls, never undefined", () => {
    const json = JSON.stringify(toJsonReport(evaluation([rule({ id: "docs", status: "fail", findings: [{ message: "m" }] })], { conclusion: "failure", reached: "bronze" })));
    expect(json).toBe(
      '{"conclusion":"failure","level":{"reached":"bronze","required":"silver"},"rules":[{"id":"docs","status":"fail","level":"bronze","blocking":true,"findings":[{"message":"m","path":null,"line":null,"severity":"failure"}]}]}',
    );
  });

  test.each([
    ["success", "success"],
    ["neutral", "neutral"],
    ["failure", "failure"],
    ["pending", "failure"],
  ] as const)("conclusion %s is reported as %s (locally nothing settles)", (conclusion, reported) => {
    expect(toJsonReport(evaluation([], { conclusion, reached: "gold" })).conclusion).toBe(reported);
  });

  test("every finding carries its severity; a finding without one is a failure", () => {
    const report = toJsonReport(
      evaluation(
        [rule({ id: "secrets", status: "pass", findings: [{ message: "n", path: "package-lock.json", severity: "notice" }, { message: "w", severity: "warning" }, { message: "f" }] })],
        { conclusion: "success", reached: "gold" },
      ),
    );
    expect(report.rules[0]?.findings.map((f) => f.severity)).toEqual(["notice", "warning", "failure"]);
  });

  test("a line that is not a positive whole number is null", () => {
    const report = toJsonReport(
      evaluation([rule({ id: "docs", status: "fail", findings: [{ message: "a", path: "a", line: 0 }, { message: "b", path: "b", line: 1.5 }] })], { conclusion: "failure", reached: null }),
    );
    expect(report.rules[0]?.findings.map((f) => f.line)).toEqual([null, null]);
  });
});
