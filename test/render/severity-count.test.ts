import { renderMarkdown } from "../../src/render/markdown.js";
import { evaluation, rule } from "./evaluations.js";

describe("the markdown table counts warnings, never notices", () => {
  test("a pass with one notice: the notice is shown, no warning is counted", () => {
    const md = renderMarkdown(
      evaluation([rule({ id: "secrets", status: "pass", reason: "scanned 0 files; 1 notice", findings: [{ message: "lockfile, not scanned", path: "package-lock.json", severity: "notice" }] })], {
        conclusion: "success",
        reached: "gold",
      }),
    );
    const row = md.split("\n").find((line) => line.startsWith("| ✅ pass | secrets"))!;
    expect(row).toContain("lockfile, not scanned");
    expect(row).not.toMatch(/warning/);
  });

  test("a pass with a warning and a notice: 1 warning", () => {
    const md = renderMarkdown(
      evaluation(
        [rule({ id: "secrets", status: "pass", findings: [{ message: "w", path: "a", severity: "warning" }, { message: "n", path: "b", severity: "notice" }] })],
        { conclusion: "success", reached: "gold" },
      ),
    );
    expect(md).toContain("⚠️ 1 warning: `a` w");
  });
});
