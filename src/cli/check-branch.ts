/**
 * `readiness check --branch [REF]`: a local branch's standing (the scorecard), judged by the same
 * pipeline as the app's branch evaluation, with the tree, files, configuration and CODEOWNERS all
 * read from git at the one commit REF names.
 */
import { basename, resolve } from "node:path";
import type { ConfigOrigin } from "../config/types.js";
import type { Evaluation, Registry } from "../engine/evaluate.js";
import { createLocalConfigReader } from "../local/config-reader.js";
import { LocalFactsProvider } from "../local/facts.js";
import { GitError, UnknownRefError, branchNameOf, git, refNames, repositoryRoot, resolveCommit } from "../local/git.js";
import { closest } from "../config/suggest.js";
import { runPipeline } from "../pipeline.js";
import type { PipelineOutcome } from "../pipeline.js";
import { renderBranchMarkdown, renderBranchText } from "../render/branch.js";
import { renderConfigErrorsText } from "../render/config-errors.js";
import { md } from "../render/escape.js";
import { scorecardEntry } from "../render/scorecard-entry.js";
import type { ScorecardEntry } from "../render/scorecard-entry.js";
import { localOutcome, localVerdict, neededKinds } from "./local-verdict.js";
import type { LocalOutcome, LocalVerdict } from "./local-verdict.js";
import { enforcesNothing } from "./enforcement.js";
import type { CliIO } from "./io.js";

export interface BranchCheckOptions {
  readonly repo?: string;
  readonly config?: string;
  readonly "org-config"?: string;
  readonly format?: string;
  readonly strict?: boolean;
}

/** The options of `check` that describe a pull request, meaningless for a branch's standing. */
export const PULL_ONLY_OPTIONS = ["base", "head", "title", "body-file", "author", "label"] as const;

/** The repository name as the scorecard API shows it: "owner/name" of the origin remote, else "local/<directory>". */
export async function repositoryName(root: string): Promise<string> {
  const result = await git(root, ["remote", "get-url", "origin"], { okCodes: [1, 2, 128] });
  const fromOrigin = result.code === 0 ? ownerAndName(result.stdout.toString("utf8").trim()) : null;
  return fromOrigin ?? `local/${basename(root)}`;
}

/**
 * "owner/name" from a remote URL with a host (`https://host/owner/name.git`,
 * `ssh://git@host/owner/name`, `git@host:owner/name.git`); null for a path on disk, a file://
 * URL or a path that is not exactly two segments.
 */
export function ownerAndName(url: string): string | null {
  let path: string | undefined;
  const withScheme = /^(?:https?|ssh|git):\/\/[^/]+\/(.+)$/i.exec(url);
  const scpLike = /^[^/:@]+@[^/:]+:(.+)$/.exec(url);
  if (withScheme) path = withScheme[1];
  else if (scpLike) path = scpLike[1];
  if (path === undefined) return null;
  const segments = path.replace(/\/+$/, "").replace(/\.git$/, "").split("/");
  if (segments.length !== 2 || segments.some((s) => !/^[A-Za-z0-9._-]+$/.test(s) || s === "." || s === "..")) return null;
  return segments.join("/");
}

/** A configuration source as the reports name it: "path at ref", or a preset's name. */
export function describeOrigin(origin: ConfigOrigin): string {
  if (origin.repository === "readiness-bot") return origin.path;
  return origin.ref ? `${origin.path} at ${origin.ref}` : origin.path;
}

function githubOnlyLine(verdict: LocalVerdict): string {
  return `Cannot be judged locally: ${verdict.githubOnly.map((r) => `${r.id}${r.blocking ? "" : " (advisory)"}`).join(", ")} — GitHub decides (${
    verdict.githubOnly.length === 1 ? "it needs" : "they need"
  } security alerts, CI results, waivers or attestations, or GitHub's CODEOWNERS report; a local checkout has none of them).`;
}

/** The JSON of `--format json`: exactly one scorecard entry, as `GET /api/scorecards` lists them. */
export function branchScorecardEntry(evaluation: Evaluation, at: { repository: string; ref: string; sha: string; evaluatedAt: string }, local: LocalOutcome): ScorecardEntry {
  const slash = at.repository.indexOf("/");
  return scorecardEntry({
    owner: at.repository.slice(0, slash),
    repo: at.repository.slice(slash + 1),
    ref: at.ref,
    headSha: at.sha,
    outcome: local.conclusion,
    levelReached: evaluation.level.reached,
    levelRequired: evaluation.level.required,
    evaluatedAt: at.evaluatedAt,
    rules: evaluation.rules.map((rule) => ({ id: rule.id, status: rule.status, level: rule.level, area: rule.area, ...(rule.component !== undefined ? { component: rule.component } : {}) })),
    ...(evaluation.level.target ? { target: evaluation.level.target } : {}),
    ...(evaluation.components ? { components: evaluation.components.map((c) => ({ name: c.name, reached: c.level.reached, required: c.level.required, conclusion: c.conclusion })) } : {}),
  });
}

async function explainUnknownRef(ref: string, root: string): Promise<string> {
  const guess = closest(ref, await refNames(root).catch(() => []));
  return `--branch ${ref}: no branch, tag or commit of that name.${guess ? ` Did you mean "${guess}"?` : ""}`;
}

export async function checkBranch(ref: string | undefined, options: BranchCheckOptions, io: CliIO, registry: Registry): Promise<number> {
  const format = options.format ?? "text";
  const strict = options.strict ?? false;
  const evaluatedAt = new Date();
  let root = resolve(io.cwd, options.repo ?? ".");
  let name: string;
  let sha: string;
  let provider: LocalFactsProvider;
  let outcome: PipelineOutcome;
  try {
    root = await repositoryRoot(root);
    const given = ref ?? "HEAD";
    sha = await resolveCommit(root, given, "--branch");
    name = await branchNameOf(root, given);
    // Base and head are the one commit: the standing state at REF, with no change to diff.
    provider = new LocalFactsProvider(root, sha, sha, { env: io.env, now: () => evaluatedAt });
    const configReader = createLocalConfigReader(root, name, {
      baseSha: sha,
      ...(options.config !== undefined ? { configFile: resolve(io.cwd, options.config) } : {}),
      ...(options["org-config"] !== undefined ? { orgConfigFile: resolve(io.cwd, options["org-config"]) } : {}),
    });
    outcome = await runPipeline({ configReader, facts: provider, registry, now: () => evaluatedAt, subject: { kind: "branch", ref: name } });
  } catch (e) {
    if (e instanceof UnknownRefError) {
      io.err(`readiness check: ${await explainUnknownRef(e.ref, root)}\n`);
      return 2;
    }
    if (e instanceof GitError) {
      io.err(`readiness check: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  if (outcome.kind === "no-config") {
    const looked = outcome.looked.filter((path) => !path.startsWith("<org>")).join(" and ");
    io.err(
      `readiness check: no readiness configuration: looked for ${looked} at ${name} (${sha.slice(0, 7)})${
        options["org-config"] !== undefined ? " and in the --org-config file" : "; no organisation baseline was given (--org-config FILE)"
      }.\nCommit a .readiness.yml on the branch (see docs/configuration.md), or try one first: readiness check --branch --config FILE\n`,
    );
    return 2;
  }
  if (outcome.kind === "invalid-config") {
    const hint = options["org-config"] === undefined && outcome.errors.some((e) => e.keyPath.startsWith("extends")) ? "Locally the organisation baseline is read only from --org-config FILE.\n" : "";
    io.err(`readiness check: the configuration is invalid, so no rule was checked.\n${renderConfigErrorsText(outcome.origin, outcome.errors)}${hint}`);
    return 2;
  }

  const { evaluation, config } = outcome;
  const sources = outcome.origins.map(describeOrigin);
  const nothing = enforcesNothing(config, `the configuration (${sources.join(", ")})`);
  if (nothing) io.err(`readiness check: ${nothing}\n`);
  const verdict = localVerdict(evaluation, neededKinds(config, registry), provider.unavailableFacts(), strict);
  const local = localOutcome(evaluation, verdict, strict);
  const footer: string[] = [];
  if (verdict.githubOnly.length > 0) footer.push(githubOnlyLine(verdict));

  if (format === "json") {
    io.out(`${JSON.stringify(branchScorecardEntry(evaluation, { repository: await repositoryName(root), ref: name, sha, evaluatedAt: evaluatedAt.toISOString() }, local), null, 2)}\n`);
  } else if (format === "markdown") {
    const icon = local.exitCode === 1 ? "❌" : verdict.githubOnly.some((r) => r.blocking) ? "❔" : "✅";
    footer.push(`${icon} **${md(local.headline)}** (${md(local.exitNote)})`);
    io.out(`${renderBranchMarkdown(evaluation, { ref: name, configSources: sources })}\n${footer.map((line) => `${line}\n`).join("\n")}`);
  } else {
    footer.push(`Result: ${local.headline}.`, `${local.exitNote}.`);
    io.out(`Checked locally: the branch ${name} at ${sha.slice(0, 7)} (its standing state, as the scorecard judges it).\nConfiguration: ${sources.join(", ")}.\n\n${renderBranchText(evaluation, { ref: name, sha })}\n${footer.join("\n")}\n`);
  }
  return local.exitCode;
}
