import { addedRuns } from "../../src/secrets/patch.js";

describe("addedRuns", () => {
  test("numbers added lines from the hunk header and ignores context and removed lines", () => {
    const patch = ["@@ -10,4 +10,5 @@ function main() {", " context 10", "-removed", "+added 11", "+added 12", " context 13", "+added 14"].join("\n");
    expect(addedRuns(patch)).toEqual([
      { startLine: 11, text: "added 11\nadded 12" },
      { startLine: 14, text: "added 14" },
    ]);
  });

  test("several hunks, each restarting the head line count", () => {
    const patch = ["@@ -1,2 +1,3 @@", " a", "+b", " c", "@@ -40,2 +41,3 @@ section", " x", "+y", "+z"].join("\n");
    expect(addedRuns(patch)).toEqual([
      { startLine: 2, text: "b" },
      { startLine: 42, text: "y\nz" },
    ]);
  });

  test("removed lines between added lines do not break a run (they are not in the head file)", () => {
    const patch = ["@@ -5,3 +5,2 @@", "-old one", "+new one", "-old two", "+new two"].join("\n");
    expect(addedRuns(patch)).toEqual([{ startLine: 5, text: "new one\nnew two" }]);
  });

  test("a new file is one run from line 1; a multi-line PEM block stays whole", () => {
    const body = ["-----BEGIN RSA PRIVATE KEY-----", "MIIEow", "-----END RSA PRIVATE KEY-----"];
    const patch = ["@@ -0,0 +1,3 @@", ...body.map((l) => `+${l}`)].join("\n");
    expect(addedRuns(patch)).toEqual([{ startLine: 1, text: body.join("\n") }]);
  });

  test("header counts without a comma, CRLF lines, and the no-newline marker", () => {
    const patch = "@@ -1 +1 @@\r\n-a\r\n+b\r\n\\ No newline at end of file";
    expect(addedRuns(patch)).toEqual([{ startLine: 1, text: "b" }]);
  });

  test("an added line that itself starts with + or - keeps its content", () => {
    const patch = ["@@ -1,0 +1,2 @@", "++1", "+--flag"].join("\n");
    expect(addedRuns(patch)).toEqual([{ startLine: 1, text: "+1\n--flag" }]);
  });

  test("only removals give no runs; text without a hunk header is not a patch", () => {
    expect(addedRuns("@@ -1,2 +0,0 @@\n-a\n-b")).toEqual([]);
    expect(addedRuns("Binary files differ")).toBeNull();
  });
});
