/** The project follows its own checklist: .readiness.yml is valid, strict, and .ci/run enforces it before the tests. */
import { expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { runCli } from "../cli/run-cli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const repoFile = (path: string) => readFileSync(`${ROOT}/${path}`, "utf8");

test(".readiness.yml at the root is valid, by the project's own validate", async () => {
  const run = await runCli(["validate", ".readiness.yml"], { cwd: ROOT });
  expect(run).toEqual(expect.objectContaining({ code: 0 }));
  expect(run.out).toMatch(/valid\..*level gold required/);
});

test("it builds on the strictest preset, readiness:strict", () => {
  expect((parse(repoFile(".readiness.yml")) as { extends: string }).extends).toBe("readiness:strict");
});

test("its runbook is docs/operations.md, and each section it requires is there with text", () => {
  const runbook = (parse(repoFile(".readiness.yml")) as { rules: { runbook: { path: string; sections: string[] } } }).rules.runbook;
  expect(runbook.path).toBe("docs/operations.md");
  const doc = repoFile(runbook.path);
  for (const section of runbook.sections) expect(doc).toMatch(new RegExp(`^#+ ${section}\\n\\n\\S`, "m"));
});

test(".ci/run validates it, and judges the branch when the CLI can, before `npm test`; a failure stops CI with a message", () => {
  const script = repoFile(".ci/run");
  const lines = script.split("\n");
  const validate = lines.findIndex((line) => /^readiness validate \.readiness\.yml \|\| \{$/.test(line));
  const check = lines.findIndex((line) => /^\s+readiness check --branch \|\| \{$/.test(line));
  const npmTest = lines.findIndex((line) => line === "npm test");
  expect(validate).toBeGreaterThan(0);
  expect(check).toBeGreaterThan(validate);
  expect(npmTest).toBeGreaterThan(check);
  for (const at of [validate, check]) expect(lines.slice(at + 1, at + 4).join("\n")).toMatch(/echo "CI: [^"]+" >&2\n\s*exit 1/);
});
