/**
 * A rule can report one finding per line a pull request adds (pinned-actions, per `uses:` line;
 * thousands of files each add some): every renderer must still produce its output, within
 * GitHub's limits, however many findings there are.
 */
import { renderCheckRun } from "../../src/render/check-run.js";
import { code } from "../../src/render/escape.js";
import { CHECK_RUN_OUTPUT_LIMIT } from "../../src/render/check-run.js";
import { COMMENT_LIMIT, renderComment } from "../../src/render/comment.js";
import { toJsonReport } from "../../src/render/json.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderText } from "../../src/render/text.js";
import { evaluation, rule, utf8Bytes } from "./evaluations.js";

const COUNT = 300_000;
const findings = Array.from({ length: COUNT }, (_, i) => ({ message: `evil/a${i}@v1 is not pinned to a commit`, path: ".github/workflows/ci.yml", line: i + 1 }));
const many = evaluation([rule({ id: "pinned-actions", status: "fail", findings })], { conclusion: "failure", reached: null });

describe(`${COUNT} findings in one rule`, () => {
  test("the check run: summary and text within GitHub's limit, annotations capped", () => {
    const output = renderCheckRun(many, { maxAnnotations: 150 });
    expect(utf8Bytes(output.summary)).toBeLessThanOrEqual(CHECK_RUN_OUTPUT_LIMIT);
    expect(utf8Bytes(output.text ?? "")).toBeLessThanOrEqual(CHECK_RUN_OUTPUT_LIMIT);
    expect(output.summary).toContain("evil/a0@v1 is not pinned");
    expect(output.annotations).toHaveLength(150);
  });

  test("the comment", () => {
    const body = renderComment(many, {});
    expect(utf8Bytes(body)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toContain(`and ${COUNT - 9} more findings`);
  });

  test("the terminal, markdown and JSON reports list every finding", () => {
    expect(renderText(many)).toContain(`.github/workflows/ci.yml:${COUNT}: evil/a${COUNT - 1}@v1`);
    expect(renderMarkdown(many)).toContain(`evil/a${COUNT - 1}@v1`);
    expect(toJsonReport(many).rules[0]?.findings).toHaveLength(COUNT);
  });
});

test("a code span around text with a great many backtick runs", () => {
  const text = "a`".repeat(COUNT);
  // The text ends with a backtick, so the fence is padded with a space on both sides.
  expect(code(text)).toBe(`\`\` ${text} \`\``);
});
