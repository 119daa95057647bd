import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import { contentKey, fail, pass, skip, unknown } from "../src/engine/types.js";
import type { ChangedFile, FactRequest, Facts, Finding } from "../src/engine/types.js";
import { addedRuns } from "../src/secrets/patch.js";
import { listed, plural } from "./lib/outcome.js";
import { isFullSha, isShortSha, parseUses, usesValue, WORKFLOW_FILES } from "./lib/workflow-uses.js";
import type { UsesReference } from "./lib/workflow-uses.js";

const DEFAULT_ALLOW = ["actions/*", "github/*"];

/** Values are quoted into messages; a hostile line must not become a hostile message. */
const MAX_SHOWN = 120;

const ownerGlob = z
  .string()
  .min(1)
  .refine((s) => !s.includes("@"), { message: 'allow lists owners or owner/repo names without a version, such as "actions" or "docker/*"' });

const options = z
  .object({
    allow: z
      .union([ownerGlob, z.array(ownerGlob)])
      .transform((v) => (typeof v === "string" ? [v] : v))
      .default(DEFAULT_ALLOW)
      .describe(
        'Actions that may be used by tag or branch: an owner ("actions", any of its repositories) or owner/repo glob ("docker/*", "aws-actions/configure-aws-credentials"), case-insensitive. The default trusts the actions/ and github/ organisations: GitHub maintains them, and a workflow on GitHub-hosted runners already trusts GitHub. Set [] to require a commit SHA for every action.',
      ),
    docker: z
      .enum(["digest", "any"])
      .default("digest")
      .describe("docker:// images: digest requires docker://image@sha256:<digest>, since a tag can be pushed again with other contents; any accepts tags."),
  })
  .strict();

type Options = z.output<typeof options>;

const isWorkflowFile = globMatcher(WORKFLOW_FILES);

/**
 * Workflow and action files read on a branch (one request each): past this, the rest are not
 * checked and the rule cannot pass.
 */
export const MAX_BRANCH_WORKFLOW_FILES = 100;

/** A file to check: its path and how to get its lines. */
interface Judged {
  readonly path: string;
  readonly lines: () => Lines;
}

/** On a branch: every workflow and action file of the tree, each read whole. */
function branchWorkflowFiles(facts: Facts): readonly string[] | null {
  const tree = facts.trees.head;
  if (!tree?.known) return null;
  return tree.value.filter((path) => isWorkflowFile(path));
}

function wholeFile(facts: Facts, path: string): Lines {
  const content = facts.contents.get(contentKey("head", path));
  if (content === undefined) return { unreadable: `${path} was not read` };
  if (!content.known) return { unreadable: `${path} could not be read (${content.reason})` };
  if (content.value === null) return { unreadable: `${path} is not at this commit` };
  return { lines: content.value.split(/\r\n|\r|\n/).map((text, i) => ({ line: i + 1, text })) };
}

/** What the subject asks to check: the workflow files a change adds lines to, or every workflow file of a branch. */
function judgedFiles(facts: Facts): { files: Judged[]; unread: string[] } | { unknown: string } | { none: string } {
  if (facts.subject.kind === "branch") {
    const paths = branchWorkflowFiles(facts);
    if (paths === null) return { unknown: `cannot list the workflow files of the repository: ${facts.trees.head?.known === false ? facts.trees.head.reason : "the file tree was not gathered"}` };
    if (paths.length === 0) return { none: `the repository has no workflow or action file (${WORKFLOW_FILES.join(", ")})` };
    const read = paths.slice(0, MAX_BRANCH_WORKFLOW_FILES);
    const unread = paths.length > read.length ? [`${plural(paths.length - read.length, "more workflow file")} past the first ${MAX_BRANCH_WORKFLOW_FILES} were not read`] : [];
    return { files: read.map((path) => ({ path, lines: () => wholeFile(facts, path) })), unread };
  }
  if (!facts.files.known) return { unknown: `cannot tell which workflow files changed: ${facts.files.reason}` };
  const files = facts.files.value.filter(adds);
  if (files.length === 0) return { none: `no workflow or action file (${WORKFLOW_FILES.join(", ")}) was added or changed` };
  return { files: files.map((file) => ({ path: file.path, lines: () => addedLines(facts, file) })), unread: [] };
}

/** A changed workflow or action file that adds lines at the head. */
function adds(file: ChangedFile): boolean {
  if (file.status === "removed" || file.status === "unchanged" || !isWorkflowFile(file.path)) return false;
  // A pure rename or copy adds nothing (GitHub sends no diff and counts no lines).
  return !((file.status === "renamed" || file.status === "copied") && file.patch === undefined && file.additions === 0 && file.deletions === 0);
}

const shown = (text: string): string => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);

interface AddedLine {
  readonly line: number;
  readonly text: string;
}

type Lines = { readonly lines: AddedLine[] } | { readonly unreadable: string };

/** The lines this file adds: the + lines of its diff, or every line when GitHub sent no diff. */
function addedLines(facts: Facts, file: ChangedFile): Lines {
  if (file.patch !== undefined) {
    const runs = addedRuns(file.patch);
    if (runs === null) return file.patch.trim() === "" ? { lines: [] } : { unreadable: `the diff of ${file.path} could not be read` };
    return { lines: runs.flatMap((run) => run.text.split("\n").map((text, i) => ({ line: run.startLine + i, text }))) };
  }
  const content = facts.contents.get(contentKey("head", file.path));
  if (content === undefined) return { unreadable: `GitHub sent no diff for ${file.path} and its content was not gathered` };
  if (!content.known) return { unreadable: `GitHub sent no diff for ${file.path} and its content could not be read (${content.reason})` };
  if (content.value === null) return { unreadable: `GitHub sent no diff for ${file.path} and it is not at the head commit` };
  return { lines: content.value.split(/\r\n|\r|\n/).map((text, i) => ({ line: i + 1, text })) };
}

interface Judgement {
  readonly finding?: Omit<Finding, "path" | "line">;
  /** An owner/repo exempted by allow. */
  readonly allowed?: string;
}

function judge(value: string, reference: UsesReference, o: Options, isAllowed: (name: string) => boolean): Judgement {
  switch (reference.kind) {
    case "local":
      return {};
    case "expression":
      return {
        finding: {
          message: `uses: ${shown(value)} cannot be checked: an expression decides which action runs; name the action and pin it to a commit`,
          severity: "warning",
        },
      };
    case "invalid":
      return {
        finding: {
          message: `uses: ${shown(value)} is not an action reference: write owner/repo@<40-character commit SHA>, ./path for an action in this repository, or docker://image@sha256:<digest>`,
        },
      };
    case "docker": {
      if (reference.pinned || o.docker === "any") return {};
      const suffix = reference.tag ? ` # ${shown(reference.tag)}` : "";
      return {
        finding: {
          message: `docker://${shown(reference.image)} is not pinned to a digest: use docker://${shown(reference.repository)}@sha256:<64-character digest>${suffix}`,
          details: [`docker buildx imagetools inspect ${shown(reference.image)} prints the digest; a tag can be pushed again with other contents, a digest cannot`],
        },
      };
    }
    case "remote": {
      const { name, owner, repo, ref } = reference;
      const ownerRepo = `${owner}/${repo}`;
      if (isAllowed(ownerRepo.toLowerCase()) || isAllowed(name.toLowerCase())) return { allowed: ownerRepo };
      if (ref !== null && isFullSha(ref)) return {};
      const pinned = `${shown(name)}@<40-character commit SHA>`;
      if (ref === null || ref === "") {
        return { finding: { message: `${shown(name)} has no version: use ${pinned}` } };
      }
      if (isShortSha(ref)) {
        return { finding: { message: `${shown(name)}@${ref} uses a shortened commit SHA: use the full 40-character SHA, ${pinned}` } };
      }
      return {
        finding: {
          message: `${shown(name)}@${shown(ref)} is not pinned to a commit: use ${pinned} # ${shown(ref)}`,
          details: [
            `git ls-remote https://github.com/${shown(ownerRepo)} ${shown(ref)} prints the commit (for an annotated tag, the line ending in ^{})`,
            `a tag or branch can be moved to other code by whoever controls ${shown(ownerRepo)}; a commit SHA cannot`,
          ],
        },
      };
    }
  }
}

export default defineRule({
  id: "pinned-actions",
  area: "security",
  defaultLevel: "gold",
  subjects: ["pull", "branch"],
  description:
    "Workflow steps and reusable workflows that the pull request adds (on a branch: every workflow and action file) pin third-party actions to a full commit SHA and docker:// images to a digest, so moving a tag cannot change the code a workflow runs.",
  fix: "Replace each tag or branch after @ with the full 40-character commit SHA it points to, keeping the tag as a comment (owner/repo@<sha> # v4).",
  defaultWhen: [...WORKFLOW_FILES],
  options,
  tighten: { allow: "subset", docker: { order: ["any", "digest"] } },
  needs: (_o, subject): FactRequest[] => (subject === "branch" ? [{ kind: "tree", ref: "head" }] : [{ kind: "files" }]),
  followUp(facts): FactRequest[] {
    if (facts.subject.kind === "branch") {
      return (branchWorkflowFiles(facts) ?? []).slice(0, MAX_BRANCH_WORKFLOW_FILES).map((path) => ({ kind: "content", ref: "head", path }));
    }
    if (!facts.files.known) return [];
    return facts.files.value.filter((f) => adds(f) && f.patch === undefined).map((f) => ({ kind: "content", ref: "head", path: f.path }));
  },
  evaluate(facts, o: Options) {
    const judged = judgedFiles(facts);
    if ("unknown" in judged) return unknown(judged.unknown);
    if ("none" in judged) return skip(judged.none);
    const { files } = judged;
    const onBranch = facts.subject.kind === "branch";

    const isAllowed = globMatcher(o.allow.map((p) => (p.includes("/") ? p : `${p}/*`).toLowerCase()));
    const failures: Finding[] = [];
    const warnings: Finding[] = [];
    const unreadable: string[] = [...judged.unread];
    const allowed = new Set<string>();
    let checked = 0;

    for (const file of files) {
      const lines = file.lines();
      if ("unreadable" in lines) {
        unreadable.push(lines.unreadable);
        continue;
      }
      for (const { line, text } of lines.lines) {
        const value = usesValue(text);
        if (value === null) continue;
        checked++;
        const judgement = judge(value, parseUses(value), o, isAllowed);
        if (judgement.allowed) allowed.add(judgement.allowed);
        if (!judgement.finding) continue;
        const finding: Finding = { ...judgement.finding, path: file.path, line };
        (finding.severity === "warning" ? warnings : failures).push(finding);
      }
    }

    const notices = unreadable.map((message): Finding => ({ message: `not checked: ${message}`, severity: "notice" }));
    if (failures.length > 0) {
      return fail([...failures, ...warnings, ...notices], `${plural(failures.length, "action reference")} not pinned`);
    }
    // A file that could not be read may hold an unpinned action: the rule cannot pass for it.
    if (unreadable.length > 0) return unknown(`cannot check every workflow file: ${unreadable.join("; ")}`, warnings);
    const parts = [`checked ${plural(checked, onBranch ? "action reference" : "added action reference")} in ${plural(files.length, onBranch ? "workflow file" : "file")}`];
    if (allowed.size > 0) parts.push(`${listed([...allowed].sort())} allowed by allow`);
    return pass(parts.join("; "), warnings);
  },
});
