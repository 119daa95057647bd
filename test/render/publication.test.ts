import { expect, test } from "@jest/globals";
import type { ConfigError, ConfigOrigin } from "../../src/config/types.js";
import type { Conclusion, ResolvedConfig } from "../../src/engine/evaluate.js";
import { COMMENT_MARKER } from "../../src/render/comment.js";
import { renderPublication } from "../../src/render/publication.js";
import type { PublicationView } from "../../src/render/types.js";
import { evaluation, rule } from "./evaluations.js";

const PULL: PublicationView = { kind: "pull", repository: "acme/shop" };
const GROUP: PublicationView = { kind: "merge-group", repository: "acme/shop", pullNumber: 12, base: "main" };
const config = (comment: ResolvedConfig["comment"]): ResolvedConfig => ({ levels: ["bronze"], required: "bronze", comment, rules: [] });
const judged = (conclusion: Conclusion, comment: ResolvedConfig["comment"]) => ({
  kind: "evaluated" as const,
  evaluation: evaluation([rule({ id: "docs", status: conclusion === "failure" ? "fail" : "pass" })], { conclusion, reached: conclusion === "success" ? "bronze" : null }),
  config: config(comment),
  origins: [{ repository: "acme/shop", path: ".readiness.yml" }],
});

const policy: { comment: ResolvedConfig["comment"]; conclusion: Conclusion; view: PublicationView; expected: "none" | "create" | "keep current" }[] = [
  { comment: "never", conclusion: "failure", view: PULL, expected: "none" },
  { comment: "on-failure", conclusion: "failure", view: PULL, expected: "create" },
  { comment: "on-failure", conclusion: "success", view: PULL, expected: "keep current" },
  { comment: "always", conclusion: "success", view: PULL, expected: "create" },
  { comment: "always", conclusion: "failure", view: GROUP, expected: "none" },
];

test.each(policy)("comment $comment, $conclusion, $view.kind: $expected", ({ comment, conclusion, view, expected }) => {
  const { check, comment: rendered } = renderPublication(judged(conclusion, comment), view);
  expect(check.conclusion).toBe(conclusion);
  expect(rendered === undefined ? "none" : rendered.create ? "create" : "keep current").toBe(expected);
  if (rendered) {
    expect(rendered.marker).toBe(COMMENT_MARKER);
    expect(rendered.body("https://github.com/acme/shop/runs/7")).toContain("[Full report in the readiness check](https://github.com/acme/shop/runs/7)");
    expect(rendered.body(undefined)).not.toContain("Full report");
  }
});

test("the merge group's check is led by the queued pull request, its title prefixed", () => {
  const pull = renderPublication(judged("failure", "never"), PULL).check.output;
  const group = renderPublication(judged("failure", "never"), GROUP).check.output;
  expect(group.title).toBe(`#12: ${pull.title}`);
  expect(group.summary.startsWith("Merge queue: the verdict of pull request #12, queued to merge into `main`.")).toBe(true);
});

test("the view's maxAnnotations limits the annotations and the summary says so", () => {
  const findings = Array.from({ length: 30 }, (_, i) => ({ message: `finding ${i}`, path: `src/f${i}.ts`, line: i + 1 }));
  const many = { ...judged("failure", "never"), evaluation: evaluation([rule({ id: "docs", status: "fail", findings })], { conclusion: "failure", reached: null }) };
  const { output } = renderPublication(many, { ...PULL, maxAnnotations: 10 }).check;
  expect(output.annotations).toHaveLength(10);
  expect(output.summary).toMatch(/10 of 30 findings are annotated/);
});

const errorsIn = (origin: ConfigOrigin): ConfigError[] => [{ origin, line: 2, column: 1, endLine: 2, keyPath: "level", message: "unknown level" }];

test.each([
  { where: "this repository", origin: { repository: "acme/shop", path: ".readiness.yml" }, annotated: true },
  { where: "the organisation baseline", origin: { repository: "acme/.github", path: ".readiness.yml" }, annotated: false },
])("configuration errors in $where: failing check, annotated: $annotated; the comment is created", ({ origin, annotated }) => {
  const { check, comment } = renderPublication({ kind: "invalid-config", origin, errors: errorsIn(origin) }, PULL);
  expect(check.conclusion).toBe("failure");
  expect(check.output.annotations.length > 0).toBe(annotated);
  expect(comment?.create).toBe(true);
  const group = renderPublication({ kind: "invalid-config", origin, errors: errorsIn(origin) }, GROUP);
  expect(group.comment).toBeUndefined();
  expect(group.check.output.title).toBe(`#12: ${check.output.title}`);
  expect(group.check.output.summary.startsWith("Merge queue: the verdict of pull request #12")).toBe(true);
});
