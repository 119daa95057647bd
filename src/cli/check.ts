/**
 * `readiness check`: the pull request the current branch would open, judged by the same pipeline
 * as on GitHub, with facts from git and the configuration from the BASE.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { closest } from "../config/suggest.js";
import type { Evaluation, Registry } from "../engine/evaluate.js";
import { createLocalConfigReader } from "../local/config-reader.js";
import { LocalFactsProvider } from "../local/facts.js";
import type { LocalRefs } from "../local/facts.js";
import { GitError, UnknownRefError, defaultBaseRef, refNames, repositoryRoot } from "../local/git.js";
import { readBlobs } from "../local/objects.js";
import { runPipeline } from "../pipeline.js";
import type { PipelineOutcome } from "../pipeline.js";
import { renderConfigErrorsText } from "../render/config-errors.js";
import { toJsonReport } from "../render/json.js";
import type { JsonReport } from "../render/json.js";
import { renderMarkdown } from "../render/markdown.js";
import { renderText } from "../render/text.js";
import { md } from "../render/escape.js";
import { registry as defaultRegistry } from "../../rules/index.js";
import { HELP_OPTION, parseOrExit } from "./args.js";
import { PULL_ONLY_OPTIONS, checkBranch, describeOrigin } from "./check-branch.js";
import { enforcesNothing } from "./enforcement.js";
import { localOutcome, localVerdict, neededKinds } from "./local-verdict.js";
import type { LocalOutcome, LocalVerdict } from "./local-verdict.js";
import type { CliCommand, CliIO } from "./io.js";

export { localOutcome, localVerdict, neededKinds } from "./local-verdict.js";
export type { LocalOutcome, LocalVerdict } from "./local-verdict.js";

export const CHECK_USAGE = `Usage: readiness check [options]

Judges the pull request your branch would open, with the same rules as the GitHub check:
files and contents from git (diffed from the merge base, like GitHub), the configuration
from the BASE branch (a branch cannot weaken its own gate). Reviews, CI results and team
membership exist only on GitHub: rules that need them are reported as decided on GitHub.

Options:
  --repo DIR            the repository (default: the current directory)
  --base REF            the branch the pull request targets
                        (default: origin/HEAD, else main, else master)
  --head REF            the commit to check (default: HEAD; uncommitted changes are not seen)
  --config FILE         use this configuration file instead of the base's
  --org-config FILE     the organisation baseline (the org's .github readiness.yml)
  --format FORMAT       text (default), json or markdown
  --strict              rules only GitHub can decide block the exit code too
  --title TEXT          the pull request title (default: the head commit's subject)
  --body-file FILE      the pull request description, "-" for standard input
                        (default: empty)
  --author LOGIN        the pull request author's GitHub login
  --label NAME          a label the pull request will carry (repeatable)
  -h, --help            show this help

Usage: readiness check --branch [REF] [--repo DIR] [--config FILE] [--org-config FILE]
                       [--format FORMAT] [--strict]

  --branch [REF]        judge REF's standing instead (default: the current branch,
                        HEAD), as the app's scorecard does: rules about the repository's
                        state at that one commit, with the configuration and CODEOWNERS
                        from that commit (or --config); rules about a change are not judged.
                        --format json prints one scorecard entry, as GET /api/scorecards.

Exit codes: 0 nothing that can be checked here blocks the required level,
            1 the required level is not reached, 2 usage, git or configuration error,
            or nothing to compare (head has no commit the base lacks).
`;

const OPTIONS = {
  ...HELP_OPTION,
  repo: { type: "string" },
  base: { type: "string" },
  head: { type: "string" },
  config: { type: "string" },
  "org-config": { type: "string" },
  format: { type: "string", choices: ["text", "json", "markdown"] },
  strict: { type: "boolean" },
  title: { type: "string" },
  "body-file": { type: "string" },
  author: { type: "string" },
  label: { type: "string", multiple: true },
  branch: { type: "boolean" },
} as const;

/** `readiness check --format json`: the stable report plus what only a local run knows. */
export interface LocalJsonReport extends JsonReport {
  readonly local: {
    /** The verdict in one line, as the text and markdown formats open with it. */
    readonly headline: string;
    /** The exit code of this run (0 or 1); `conclusion` is `failure` exactly when it is 1. */
    readonly exitCode: 0 | 1;
    readonly base: { readonly ref: string; readonly sha: string };
    readonly head: { readonly ref: string; readonly sha: string };
    readonly mergeBase: string;
    /** Rules that came out unknown or pending because they need facts only GitHub has. */
    readonly githubOnly: readonly string[];
    readonly strict: boolean;
    /** Blocking rules that hold up the exit code (all unsatisfied blocking rules under --strict). */
    readonly blockedBy: readonly string[];
  };
}

const short = (sha: string): string => sha.slice(0, 7);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

async function readBody(file: string, io: CliIO): Promise<string> {
  if (file === "-") return io.readStdin();
  try {
    return await readFile(resolve(io.cwd, file), "utf8");
  } catch (e) {
    throw new GitError(`cannot read --body-file ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
}

/** Head has no commit the base lacks: GitHub would refuse the pull request ("nothing to compare"). */
function nothingToCompare(refs: LocalRefs): string {
  const head = `${refs.headRef} (${short(refs.headSha)})`;
  const where = refs.headSha === refs.baseSha ? `is the same commit as ${refs.baseRef}` : `is already contained in ${refs.baseRef} (${short(refs.baseSha)})`;
  return `nothing to compare: ${head} ${where}, so a pull request from it would have no changes and no rule was checked. Commit your change on a branch, or name the commits with --head and --base.`;
}

async function explainUnknownRef(error: UnknownRefError, root: string): Promise<string> {
  const names = await refNames(root).catch(() => []);
  const guess = closest(error.ref, names);
  return `${error.option} ${error.ref}: no branch, tag or commit of that name.${guess ? ` Did you mean "${guess}"?` : ""}${
    error.option === "--base" ? " (A remote branch may need `git fetch` first.)" : ""
  }`;
}

async function noConfigMessage(outcome: Extract<PipelineOutcome, { kind: "no-config" }>, refs: LocalRefs, orgGiven: boolean): Promise<string> {
  const [addedHere] = await readBlobs(refs.root, [`${refs.headSha}:.readiness.yml`]).catch(() => [null]);
  const repoPaths = outcome.looked.filter((path) => !path.startsWith("<org>"));
  const lines = [
    `readiness check: no readiness configuration: looked for ${repoPaths.join(" and ")} at ${refs.baseRef} (the base: a pull request is judged by its base's configuration)${
      orgGiven ? " and in the --org-config file" : "; no organisation baseline was given (--org-config FILE)"
    }.`,
  ];
  if (addedHere) {
    lines.push(`Your branch adds .readiness.yml: it applies once merged into ${refs.baseBranch}. To try it now: readiness check --config .readiness.yml`);
  } else {
    lines.push(
      "To start, commit a .readiness.yml to the base branch (see docs/configuration.md), for example:",
      "",
      "  level: bronze",
      "  rules:",
      "    tests: bronze",
      "    docs: silver",
      "",
      "or try one before merging it: readiness check --config FILE",
    );
  }
  return `${lines.join("\n")}\n`;
}

function githubOnlyLine(verdict: LocalVerdict): string {
  return `Cannot be judged locally: ${verdict.githubOnly.map((r) => `${r.id}${r.blocking ? "" : " (advisory)"}`).join(", ")} — GitHub decides (${
    verdict.githubOnly.length === 1 ? "it needs" : "they need"
  } reviews, CI results, team membership or GitHub's CODEOWNERS report; a local checkout has none of them).`;
}

function textReport(
  evaluation: Evaluation,
  outcome: Extract<PipelineOutcome, { kind: "evaluated" }>,
  refs: LocalRefs,
  verdict: LocalVerdict,
  local: LocalOutcome,
  notes: { bodyMissing: boolean; fileCount?: number },
): string {
  const files = notes.fileCount === undefined ? "" : `, ${plural(notes.fileCount, "changed file")}`;
  const header = [
    `Checked locally: ${refs.headBranch} (${short(refs.headSha)}) against ${refs.baseRef} (${short(refs.baseSha)}), merge base ${short(refs.mergeBaseSha)}${files}.`,
    `Configuration: ${outcome.origins.map(describeOrigin).join(", ")}.`,
    "",
  ];
  const footer: string[] = [];
  if (verdict.githubOnly.length > 0) footer.push(githubOnlyLine(verdict));
  if (notes.bodyMissing) footer.push("The pull request description is empty here: pass --body-file FILE to check the one you will write.");
  footer.push(`Result: ${local.headline}.`, `${local.exitNote}.`);
  return `${header.join("\n")}\n${renderText(evaluation, { title: local.headline })}\n${footer.join("\n")}\n`;
}

function markdownReport(evaluation: Evaluation, outcome: Extract<PipelineOutcome, { kind: "evaluated" }>, verdict: LocalVerdict, local: LocalOutcome): string {
  const icon = local.exitCode === 1 ? "❌" : verdict.githubOnly.some((r) => r.blocking) ? "❔" : "✅";
  let text = renderMarkdown(evaluation, {
    configSources: outcome.origins.map(describeOrigin),
    verdict: `${icon} **${md(local.headline)}** (${md(local.exitNote)})`,
  });
  if (verdict.githubOnly.length > 0) text += `\n_${md(githubOnlyLine(verdict))}_\n`;
  return text;
}

export function makeCheckCommand(registry: Registry = defaultRegistry): CliCommand {
  return async (argv, io) => {
    // `--branch=REF` is `--branch REF`: the option's value is optional, so it is the positional.
    const args = argv.flatMap((arg) => (arg.startsWith("--branch=") ? ["--branch", arg.slice("--branch=".length)] : [arg]));
    const branchGiven = args.includes("--branch");
    const parsed = parseOrExit("check", CHECK_USAGE, args, OPTIONS, branchGiven ? { max: 1, name: "branch (REF)" } : { max: 0 }, io);
    if (typeof parsed === "number") return parsed;
    const options = parsed.values;
    if (options.branch) {
      const pullOnly = PULL_ONLY_OPTIONS.filter((name) => options[name] !== undefined);
      if (pullOnly.length > 0) {
        io.err(`readiness check: --branch judges a branch's standing, not a pull request: ${pullOnly.map((name) => `--${name}`).join(", ")} cannot be used with it.\nRun readiness check --help for the options.\n`);
        return 2;
      }
      return checkBranch(parsed.positionals[0], options, io, registry);
    }
    const format = options.format ?? "text";
    const strict = options.strict ?? false;

    let refs: LocalRefs;
    let provider: LocalFactsProvider;
    let outcome: PipelineOutcome;
    let root = resolve(io.cwd, options.repo ?? ".");
    try {
      root = await repositoryRoot(root);
      const body = options["body-file"] !== undefined ? await readBody(options["body-file"], io) : undefined;
      const base = options.base ?? (await defaultBaseRef(root));
      provider = new LocalFactsProvider(root, base, options.head ?? "HEAD", {
        env: io.env,
        ...(options.title !== undefined ? { title: options.title } : {}),
        ...(body !== undefined ? { body } : {}),
        ...(options.author !== undefined ? { author: options.author } : {}),
        ...(options.label !== undefined ? { labels: options.label } : {}),
      });
      refs = await provider.refs();
      const configReader = createLocalConfigReader(root, base, {
        baseSha: refs.baseSha,
        ...(options.config !== undefined ? { configFile: resolve(io.cwd, options.config) } : {}),
        ...(options["org-config"] !== undefined ? { orgConfigFile: resolve(io.cwd, options["org-config"]) } : {}),
      });
      outcome = await runPipeline({ configReader, facts: provider, registry });
    } catch (e) {
      if (e instanceof UnknownRefError) {
        io.err(`readiness check: ${await explainUnknownRef(e, root)}\n`);
        return 2;
      }
      if (e instanceof GitError) {
        io.err(`readiness check: ${e.message}\n`);
        return 2;
      }
      throw e;
    }

    if (outcome.kind === "no-config") {
      io.err(await noConfigMessage(outcome, refs, options["org-config"] !== undefined));
      return 2;
    }
    if (outcome.kind === "invalid-config") {
      const hints: string[] = [];
      if (options["org-config"] === undefined && outcome.errors.some((e) => e.keyPath.startsWith("extends"))) {
        hints.push("Locally the organisation baseline is read only from --org-config FILE.");
      }
      if (outcome.origin.ref !== undefined) {
        hints.push(`It was read from the base (${outcome.origin.ref}), as on GitHub: fix it there. To try a corrected file first: readiness check --config FILE`);
      }
      io.err(`readiness check: the configuration is invalid, so no rule was checked.\n${renderConfigErrorsText(outcome.origin, outcome.errors)}${hints.map((h) => `${h}\n`).join("")}`);
      return 2;
    }

    // Configuration problems come first: they need fixing whatever is compared.
    if (refs.headSha === refs.mergeBaseSha) {
      io.err(`readiness check: ${nothingToCompare(refs)}\n`);
      return 2;
    }
    const { evaluation, config } = outcome;
    const nothing = enforcesNothing(config, `the configuration (${outcome.origins.map(describeOrigin).join(", ")})`);
    if (nothing) io.err(`readiness check: ${nothing}\n`);
    const needs = neededKinds(config, registry);
    const verdict = localVerdict(evaluation, needs, provider.unavailableFacts(), strict);
    const local = localOutcome(evaluation, verdict, strict);
    if (format === "json") {
      const report: LocalJsonReport = {
        ...toJsonReport(evaluation),
        conclusion: local.conclusion,
        local: {
          headline: local.headline,
          exitCode: local.exitCode,
          base: { ref: refs.baseRef, sha: refs.baseSha },
          head: { ref: refs.headRef, sha: refs.headSha },
          mergeBase: refs.mergeBaseSha,
          githubOnly: verdict.githubOnly.map((r) => r.id),
          strict,
          blockedBy: verdict.blockedBy.map((r) => r.id),
        },
      };
      io.out(`${JSON.stringify(report, null, 2)}\n`);
    } else if (format === "markdown") {
      io.out(markdownReport(evaluation, outcome, verdict, local));
    } else {
      // The description is empty unless given: worth a line when a failing rule reads it.
      const bodyMissing = options["body-file"] === undefined && evaluation.rules.some((r) => r.status === "fail" && needs.get(r.id)?.has("pull"));
      const fileCount = outcome.requests.includes("files") ? (await provider.gather([{ kind: "files" }])).files : undefined;
      io.out(
        textReport(evaluation, outcome, refs, verdict, local, {
          bodyMissing,
          ...(fileCount?.known ? { fileCount: fileCount.value.length } : {}),
        }),
      );
    }
    return local.exitCode;
  };
}

export const checkCommand: CliCommand = makeCheckCommand();
