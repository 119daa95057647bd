import { z } from "zod";
import { defineRule } from "../../src/engine/rule.js";
import { globMatcher, globs } from "../../src/engine/globs.js";
import { contentKey, fail, pass, unknown } from "../../src/engine/types.js";
import type { FactRequest, Facts, Finding } from "../../src/engine/types.js";
import { listed, plural } from "../lib/outcome.js";
import { entries, field, isMap, isScalar, items, readYaml, scalarText } from "../lib/yaml-nodes.js";
import type { YamlFile } from "../lib/yaml-nodes.js";
import { expressionsIn, namesPullRequestCode, untrustedContext } from "./expressions.js";

/** Workflows read per evaluation; a repository with more is judged on these and says so. */
export const MAX_WORKFLOWS = 100;

/** Triggers that run with the base repository's secrets and a write token whoever opened the pull request. */
const PRIVILEGED_TRIGGERS = ["pull_request_target", "workflow_run"] as const;

const options = z
  .object({
    workflows: globs.default([".github/workflows/*.{yml,yaml}"]).describe("The workflow files to check, in the tree at the head commit."),
    permissions: z
      .boolean()
      .default(true)
      .describe("Every workflow declares `permissions:` at the top level or in every job, and none grants write-all; without it GITHUB_TOKEN gets the repository's default, often write to everything."),
    "untrusted-input": z
      .boolean()
      .default(true)
      .describe("Flag `${{ }}` expressions with text an outsider controls (titles, bodies, comments, branch names, commit messages) written into `run:` scripts or github-script code, where they become code."),
    "privileged-checkout": z
      .boolean()
      .default(true)
      .describe("Flag pull_request_target and workflow_run workflows that check out or fetch the pull request's code: they run it with secrets and a write token."),
  })
  .strict();

type Options = z.output<typeof options>;

function workflowPaths(facts: Facts, o: Options): readonly string[] | undefined {
  const tree = facts.trees.head;
  if (!tree?.known) return undefined;
  return tree.value.filter(globMatcher(o.workflows)).sort();
}

const shown = (text: string, max = 80): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The triggers named by `on:` (a name, a list of names, or a map keyed by name). */
function triggersOf(root: unknown): string[] {
  const on = field(root, "on")?.value;
  const single = scalarText(on);
  if (single !== undefined) return [single];
  const listedNames = items(on).map(scalarText).filter((t): t is string => t !== undefined);
  return listedNames.length > 0 ? listedNames : entries(on).map(([name]) => name);
}

/** The line within a scalar where `offset` falls: block scalars start on the line after their indicator. */
function lineInScalar(file: YamlFile, node: unknown, offset: number): number | undefined {
  const start = file.lineOf(node);
  if (start === undefined || !isScalar(node)) return start;
  const value = scalarText(node) ?? "";
  if (node.type === "BLOCK_FOLDED") return start + 1;
  const base = node.type === "BLOCK_LITERAL" ? start + 1 : start;
  let newlines = 0;
  for (let i = value.indexOf("\n"); i >= 0 && i < offset; i = value.indexOf("\n", i + 1)) newlines++;
  return base + newlines;
}

function isGithubScript(uses: string | undefined): boolean {
  return uses !== undefined && uses.toLowerCase().startsWith("actions/github-script@");
}

function isCheckout(uses: string | undefined): boolean {
  return uses !== undefined && uses.toLowerCase().startsWith("actions/checkout@");
}

/** Shell commands that bring another commit's code into the workspace. */
const FETCHES_CODE = /\b(?:git\s+(?:checkout|fetch|switch|pull|clone)|gh\s+pr\s+checkout)\b/;

function checkWorkflow(path: string, text: string, o: Options): Finding[] {
  const file = readYaml(text);
  if (file.error) {
    return [{ message: `${path} is not valid YAML (line ${file.error.line}: ${file.error.message}): fix it; GitHub cannot run it either`, path, line: file.error.line }];
  }
  if (!isMap(file.root)) return [{ message: `${path} is not a workflow (its top level is not a map of on:, jobs: ...): fix or remove it`, path, line: 1 }];
  const findings: Finding[] = [];
  const root = file.root;
  const jobs = entries(field(root, "jobs")?.value);
  const topPermissions = field(root, "permissions");

  if (o.permissions) {
    const writeAll = (entry: { key: unknown; value: unknown } | undefined, where: string) => {
      if (entry && scalarText(entry.value)?.trim() === "write-all") {
        findings.push({
          message: `${where} in ${path} grants permissions: write-all: list only the scopes it needs instead, such as permissions: { contents: read }`,
          path,
          line: file.lineOf(entry.key),
        });
      }
    };
    writeAll(topPermissions, "the workflow");
    for (const [name, , job] of jobs) writeAll(field(job, "permissions"), `job ${name}`);
    if (!topPermissions) {
      const bare = jobs.filter(([, , job]) => !field(job, "permissions"));
      if (jobs.length === 0 || bare.length === jobs.length) {
        findings.push({
          message: `${path} declares no permissions, so GITHUB_TOKEN gets the repository's default (often write access to everything): add permissions: at the top level, starting from contents: read, and grant more per job only where needed`,
          path,
          line: 1,
        });
      } else {
        for (const [name, key] of bare) {
          findings.push({
            message: `job ${name} in ${path} declares no permissions and the workflow sets none at the top level: add permissions: to the job, or at the top level`,
            path,
            line: file.lineOf(key),
          });
        }
      }
    }
  }

  const privileged = PRIVILEGED_TRIGGERS.filter((t) => triggersOf(root).includes(t));
  for (const [jobName, , job] of jobs) {
    for (const step of items(field(job, "steps")?.value)) {
      const uses = scalarText(field(step, "uses")?.value)?.trim();
      const withMap = field(step, "with")?.value;
      const run = field(step, "run")?.value;
      const scripts: unknown[] = [];
      if (run !== undefined) scripts.push(run);
      if (isGithubScript(uses)) {
        const script = field(withMap, "script")?.value;
        if (script !== undefined) scripts.push(script);
      }

      if (o["untrusted-input"]) {
        for (const script of scripts) {
          const source = scalarText(script);
          if (source === undefined) continue;
          for (const expression of expressionsIn(source)) {
            const context = untrustedContext(expression.text);
            if (context === undefined) continue;
            const variable = context.slice(context.lastIndexOf(".") + 1).toUpperCase().replace(/[^A-Z0-9]/g, "_");
            findings.push({
              message: `${shown(expression.text)} in job ${jobName} of ${path} writes ${context}, text anyone can set, into a script, where it runs as code: pass it through an environment variable (env: ${variable}: \${{ ${context} }}) and use "$${variable}"`,
              path,
              line: lineInScalar(file, script, expression.offset),
            });
          }
        }
      }

      if (o["privileged-checkout"] && privileged.length > 0) {
        const trigger = privileged.join(" and ");
        const risk = `a ${trigger} workflow runs with the base repository's secrets and a write token, so the pull request's code would run with them too: build untrusted code in an on: pull_request workflow, and let a privileged one only read its results`;
        if (isCheckout(uses)) {
          const ref = field(withMap, "ref");
          const repository = field(withMap, "repository");
          const named = [ref, repository].find((entry) => entry && namesPullRequestCode(scalarText(entry.value) ?? ""));
          if (named) {
            findings.push({
              message: `job ${jobName} in ${path} checks out the pull request's code (${shown(scalarText(named.value) ?? "")}): ${risk}`,
              path,
              line: file.lineOf(named.key),
            });
          }
        }
        const source = scalarText(run);
        if (source !== undefined && FETCHES_CODE.test(source) && namesPullRequestCode(source)) {
          findings.push({
            message: `job ${jobName} in ${path} fetches the pull request's code in a run: script: ${risk}`,
            path,
            line: file.lineOf(run),
          });
        }
      }
    }
  }
  return findings;
}

export default defineRule({
  id: "workflow-permissions",
  area: "security",
  defaultLevel: "silver",
  subjects: ["pull", "branch"],
  description:
    "GitHub Actions workflows declare the permissions of their token (never write-all), do not run a pull request's code in pull_request_target or workflow_run workflows, and never write untrusted event text into scripts.",
  fix: "Add permissions: (start from contents: read) to each workflow, check out only the base in privileged workflows, and pass event text to scripts through env: variables.",
  options,
  tighten: { workflows: "superset", permissions: "true-stays", "untrusted-input": "true-stays", "privileged-checkout": "true-stays" },
  needs: (): FactRequest[] => [{ kind: "tree", ref: "head" }],
  followUp(facts, o: Options): FactRequest[] {
    return (workflowPaths(facts, o) ?? []).slice(0, MAX_WORKFLOWS).map((path) => ({ kind: "content", ref: "head", path }));
  },
  evaluate(facts, o: Options) {
    const tree = facts.trees.head;
    if (!tree) return unknown("cannot list the workflows: the file tree was not gathered");
    if (!tree.known) return unknown(`cannot list the workflows: ${tree.reason}`);
    const paths = workflowPaths(facts, o) ?? [];
    if (paths.length === 0) return pass("no GitHub Actions workflow in the repository");
    const findings: Finding[] = [];
    const unreadable: string[] = [];
    for (const path of paths.slice(0, MAX_WORKFLOWS)) {
      const content = facts.contents.get(contentKey("head", path));
      if (content === undefined || !content.known || content.value === null) {
        unreadable.push(`${path} (${content === undefined ? "not gathered" : content.known ? "not found" : content.reason})`);
        continue;
      }
      findings.push(...checkWorkflow(path, content.value, o));
    }
    const notices: Finding[] = unreadable.map((what) => ({ message: `not checked: ${what}`, severity: "notice" }));
    if (paths.length > MAX_WORKFLOWS) {
      notices.push({ message: `only the first ${MAX_WORKFLOWS} of ${paths.length} workflows were checked`, severity: "notice" });
    }
    if (findings.length > 0) return fail([...findings, ...notices], `${plural(findings.length, "problem")} in ${listed([...new Set(findings.map((f) => f.path!))])}`);
    if (unreadable.length > 0) return unknown(`cannot read every workflow: ${unreadable.join("; ")}`);
    if (paths.length > MAX_WORKFLOWS) return unknown(`only the first ${MAX_WORKFLOWS} of ${paths.length} workflows were checked`);
    return pass(`${plural(Math.min(paths.length, MAX_WORKFLOWS), "workflow")} checked`);
  },
});
