/**
 * The facts behind a configuration preview: when a pull request changes a configuration path, the
 * proposed configuration is read at its HEAD commit, resolved and validated, and this pull request
 * is judged under it too. The verdict itself stays the base configuration's (src/pipeline.ts):
 * nothing here decides it, except that an invalid proposal fails the check (src/render/preview.ts).
 *
 * Cost in GitHub requests, on top of the base evaluation:
 * - a pull request that changes no configuration path: none. The changed-file list is the one the
 *   base rules read; a configuration none of whose rules reads it (only `reviews`, say) gets no
 *   preview rather than a request on every pull request;
 * - one that does: the proposed file at the head (1 request; 2 when it is the second of CONFIG_PATHS; the
 *   organisation baseline comes from the shared cache), plus the facts only the proposed rules
 *   need (each fact is read once per evaluation, so a rule both configurations enable costs
 *   nothing more). The scorecard side reads the state store, never GitHub.
 */
import { diffConfigs, estimateBranchLevel } from "../config/diff.js";
import type { ConfigPreview, PreviewSource, RecordedStatus, ScorecardChange, VerdictSummary } from "../config/diff.js";
import { loadConfig } from "../config/load.js";
import { CONFIG_PATHS } from "../config/schema.js";
import type { ConfigFileReader } from "../config/types.js";
import { evaluate, onDate } from "../engine/evaluate.js";
import type { Evaluation, Registry } from "../engine/evaluate.js";
import { appliesTo } from "../engine/rule.js";
import type { ChangedFile, PullRequestInfo } from "../engine/types.js";
import { gatherFacts } from "../pipeline.js";
import type { EvaluateStep, FactsProvider, Logger, PreviewBase } from "../pipeline.js";
import type { TtlCache } from "./cache.js";
import { createConfigReader } from "./config-reader.js";
import type { GitHubClient, RepoCoordinates } from "./octokit.js";

/** The default branch's latest stored standing (a branch evaluation record), as the preview reads it. */
export interface RecordedStanding {
  readonly ref?: string;
  readonly headSha: string;
  readonly levelReached: string | null;
  readonly rules: readonly RecordedStatus[];
}

export interface PreviewInputs {
  readonly octokit: GitHubClient;
  readonly repo: RepoCoordinates;
  readonly pull: PullRequestInfo;
  /** The base evaluation's provider: facts it has read are not read again. */
  readonly facts: FactsProvider;
  readonly registry: Registry;
  /** The configuration file cache shared with the base reads (the organisation baseline is read once). */
  readonly cache?: TtlCache;
  readonly log?: Logger;
  readonly evaluate?: EvaluateStep;
  /** The repository's latest scorecard record; absent or undefined: no scorecard line. */
  readonly scorecard?: () => Promise<RecordedStanding | undefined>;
}

const CONFIG_PATH_SET: ReadonlySet<string> = new Set(CONFIG_PATHS);

/** The configuration paths a pull request's changed files touch (added, edited, deleted or renamed), in CONFIG_PATHS order. */
export function changedConfigPaths(files: readonly ChangedFile[]): string[] {
  const touched = new Set<string>();
  for (const file of files) {
    if (CONFIG_PATH_SET.has(file.path)) touched.add(file.path);
    if (file.previousPath !== undefined && CONFIG_PATH_SET.has(file.previousPath)) touched.add(file.previousPath);
  }
  return CONFIG_PATHS.filter((path) => touched.has(path));
}

/** Whether the repository is its organisation's `.github`: its configuration is the baseline. */
export function isOrgBaselineRepository(repo: RepoCoordinates): boolean {
  return repo.repo.toLowerCase() === ".github";
}

/**
 * Reads the proposed configuration: the repository's files at the head commit; in the
 * organisation's `.github` repository the baseline is that same file, so it is read at the head
 * too; elsewhere the baseline is the organisation's as in force.
 */
export function proposedConfigReader(octokit: GitHubClient, repo: RepoCoordinates, headSha: string, cache: TtlCache | undefined, log: Logger | undefined): ConfigFileReader {
  const head = createConfigReader(octokit, repo, headSha, { ...(cache ? { cache } : {}), ...(log ? { log } : {}) });
  const baselineHere = isOrgBaselineRepository(repo);
  return { read: (place, path) => head.read(baselineHere ? "repo" : place, path) };
}

const BLOCKS: ReadonlySet<string> = new Set(["fail", "unknown", "error"]);

function summary(evaluation: Evaluation): VerdictSummary {
  const blockedBy = evaluation.rules.filter((rule) => rule.blocking && BLOCKS.has(rule.status)).map((rule) => rule.id);
  return { conclusion: evaluation.conclusion, reached: evaluation.level.reached, required: evaluation.level.required, ...(blockedBy.length > 0 ? { blockedBy } : {}) };
}

/**
 * The preview for a pull request, or undefined when it changes no configuration path. Throws
 * when GitHub cannot be read (the job is retried, as for the base configuration).
 */
export async function previewConfig(inputs: PreviewInputs, base: PreviewBase): Promise<ConfigPreview | undefined> {
  // Planned from the list the base rules read: a pull request touching no configuration costs nothing.
  const files = base.facts.files;
  if (!files.known) return undefined;
  const paths = changedConfigPaths(files.value);
  if (paths.length === 0) return undefined;
  const { repo, pull } = inputs;
  const source: PreviewSource = {
    paths,
    headSha: pull.headSha,
    ...(isOrgBaselineRepository(repo) ? { orgBaseline: `${repo.owner}/.github` } : {}),
  };
  const loaded = await loadConfig(proposedConfigReader(inputs.octokit, repo, pull.headSha, inputs.cache, inputs.log), inputs.registry);
  if (loaded.kind === "none") return { ...source, kind: "none" };
  if (loaded.kind === "invalid") {
    inputs.log?.info({ file: loaded.origin.path, errors: loaded.errors.length }, "the proposed readiness configuration is invalid");
    return { ...source, kind: "invalid", origin: loaded.origin, errors: loaded.errors };
  }
  const proposed = onDate(loaded.config, base.now);
  const diff = diffConfigs(base.config, proposed);
  const { facts } = await gatherFacts(proposed, inputs.facts, inputs.registry, base.facts.subject);
  const underProposal = await (inputs.evaluate ?? evaluate)(proposed, facts, inputs.registry);
  const standing = inputs.scorecard ? await inputs.scorecard() : undefined;
  let scorecard: ScorecardChange | undefined;
  if (standing) {
    const judgesBranch = (id: string) => {
      const rule = inputs.registry.get(id);
      return rule !== undefined && appliesTo(rule, "branch");
    };
    const after = estimateBranchLevel(proposed, diff, standing.rules, judgesBranch);
    scorecard = { ref: standing.ref ?? "default branch", sha: standing.headSha, before: standing.levelReached, after: { low: after.low, high: after.high }, unjudged: after.unjudged };
  }
  return {
    ...source,
    kind: "valid",
    origins: loaded.origins,
    diff,
    pull: { from: summary(base.evaluation), to: summary(underProposal) },
    ...(scorecard ? { scorecard } : {}),
  };
}
