/**
 * The GitHub Action (action.yml at the repository root runs the bundle of this file,
 * action/dist/index.js): on a pull_request (or pull_request_target, pull_request_review) event, the pull request judged by the same pipeline
 * and the same GitHub facts provider as the app, through the workflow's token. The configuration
 * and CODEOWNERS come from the BASE commit; reviews and CI results from the API.
 *
 * It writes the verdict to the job summary (markdown), annotations on the findings' lines, the
 * outputs `conclusion`, `level` and `required-level`, and exits 1 when the required level is not
 * reached (a blocking rule fails or still waits), so the step fails and can be required.
 *
 * No store, no queue, no Probot: nothing here needs a native module, so the bundle runs on the
 * runner's Node 20 without an install step.
 */
import { appendFile, readFile } from "node:fs/promises";
import { Octokit } from "@octokit/rest";
import type { ConfigOrigin } from "../config/types.js";
import type { PullRequestInfo } from "../engine/types.js";
import { createConfigReader } from "../github/config-reader.js";
import { GitHubFactsProvider } from "../github/facts.js";
import type { GitHubClient } from "../github/octokit.js";
import { pullFromPayload } from "../github/pull.js";
import type { PullRequestPayload } from "../github/pull.js";
import { timedFetch } from "../github/requests.js";
import { runPipeline } from "../pipeline.js";
import type { PipelineOutcome } from "../pipeline.js";
import { annotationsFor } from "../render/check-run.js";
import { renderConfigErrors } from "../render/config-errors.js";
import { cutToBytes } from "../render/escape.js";
import { renderMarkdown } from "../render/markdown.js";
import { verdictTitle } from "../render/verdict.js";
import type { Annotation } from "../render/types.js";
import { registry } from "../../rules/index.js";
import { annotationCommand, capAnnotations, escapeData, outputBlock } from "./commands.js";

type Env = Readonly<Record<string, string | undefined>>;

/** What the action may touch, so it is testable without a runner. */
export interface ActionIO {
  readonly env: Env;
  /** Standard output: workflow commands and the log. */
  out(line: string): void;
  readFile(path: string): Promise<string>;
  appendFile(path: string, text: string): Promise<void>;
}

/** Events whose payload carries the pull request (a review changes the verdict of the reviews rule). */
const PULL_EVENTS = new Set(["pull_request", "pull_request_target", "pull_request_review"]);
/** GitHub refuses a step summary over 1 MiB. */
const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 1024;
const REQUEST_TIMEOUT_MS = 10_000;

/** An input as the runner passes it: INPUT_ and the name in upper case, spaces as underscores. */
export function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

class ActionError extends Error {}

function isPullPayload(value: unknown): value is PullRequestPayload {
  if (typeof value !== "object" || value === null) return false;
  const pull = value as Record<string, unknown>;
  const ref = (v: unknown) => typeof v === "object" && v !== null && typeof (v as Record<string, unknown>).sha === "string" && typeof (v as Record<string, unknown>).ref === "string";
  return typeof pull.number === "number" && typeof pull.title === "string" && ref(pull.base) && ref(pull.head);
}

interface Target {
  readonly owner: string;
  readonly repo: string;
  readonly pull: PullRequestInfo;
}

async function readTarget(io: ActionIO): Promise<Target> {
  const event = io.env.GITHUB_EVENT_NAME ?? "";
  if (!PULL_EVENTS.has(event)) {
    throw new ActionError(
      `readiness judges pull requests: this run is for the "${event || "(unknown)"}" event. Trigger the workflow on pull_request (and pull_request_review to re-judge after a review); see the workflow example in the README.`,
    );
  }
  const path = io.env.GITHUB_EVENT_PATH;
  if (!path) throw new ActionError("GITHUB_EVENT_PATH is not set: the action must run on a GitHub Actions runner (or an emulation that provides the event file).");
  let payload: unknown;
  try {
    payload = JSON.parse(await io.readFile(path));
  } catch (error) {
    throw new ActionError(`cannot read the event payload at ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = payload as { pull_request?: unknown; repository?: { name?: unknown; owner?: { login?: unknown } } };
  if (!isPullPayload(body.pull_request)) throw new ActionError(`the ${event} event payload at ${path} has no pull request with a number, title, base and head.`);
  const [envOwner, envRepo] = (io.env.GITHUB_REPOSITORY ?? "").split("/");
  const owner = typeof body.repository?.owner?.login === "string" ? body.repository.owner.login : envOwner;
  const repo = typeof body.repository?.name === "string" ? body.repository.name : envRepo;
  if (!owner || !repo) throw new ActionError("cannot tell which repository the pull request is in: the payload has no repository and GITHUB_REPOSITORY is not set.");
  return { owner, repo, pull: pullFromPayload(body.pull_request) };
}

function describeOrigin(origin: ConfigOrigin): string {
  return origin.ref ? `${origin.path} at ${origin.ref.slice(0, 12)}` : `${origin.path} (${origin.repository})`;
}

export interface ActionResult {
  readonly exitCode: 0 | 1;
  readonly conclusion: string;
  readonly level: string;
  readonly requiredLevel: string;
  readonly summary: string;
  readonly annotations: readonly Annotation[];
  /** One line for the log. */
  readonly headline: string;
}

/** What the outcome of the pipeline shows in a workflow run. */
export function actionResult(outcome: PipelineOutcome, pull: PullRequestInfo): ActionResult {
  switch (outcome.kind) {
    case "no-config": {
      const headline = `No readiness configuration at the base commit ${pull.baseSha.slice(0, 7)} (looked for ${outcome.looked.join(", ")}): nothing to check.`;
      return {
        exitCode: 0,
        conclusion: "neutral",
        level: "",
        requiredLevel: "",
        summary: `## readiness\n\n${headline}\n\nCommit a \`.readiness.yml\` to the base branch to turn the checklist on (a pull request is judged by its base's configuration, so adding one here takes effect once merged).\n`,
        annotations: [],
        headline,
      };
    }
    case "invalid-config": {
      const rendered = renderConfigErrors(outcome.origin, outcome.errors);
      return {
        exitCode: 1,
        conclusion: "failure",
        level: "",
        requiredLevel: "",
        summary: `## readiness\n\n${rendered.summary}\n`,
        annotations: rendered.annotations,
        headline: `${rendered.title}: no rule was checked (${outcome.errors.length} error${outcome.errors.length === 1 ? "" : "s"} in ${describeOrigin(outcome.origin)}).`,
      };
    }
    case "evaluated": {
      const { evaluation } = outcome;
      const reached = evaluation.conclusion === "success" || evaluation.conclusion === "neutral";
      const waiting = evaluation.conclusion === "pending" ? "\n\n_Some blocking rules wait for results that are not in yet (reviews, CI): re-run this job once they are._" : "";
      return {
        exitCode: reached ? 0 : 1,
        conclusion: evaluation.conclusion,
        level: evaluation.level.reached ?? "",
        requiredLevel: evaluation.level.required,
        summary: `## readiness\n\n${renderMarkdown(evaluation, { configSources: outcome.origins.map(describeOrigin) })}${waiting}\n`,
        annotations: annotationsFor(evaluation),
        headline: `${verdictTitle(evaluation)} (${evaluation.level.reached ?? "no level"} reached, ${evaluation.level.required} required)`,
      };
    }
  }
}

/** Runs the action; returns the exit code. Never throws for bad input: it says what to fix. */
export async function runAction(io: ActionIO): Promise<number> {
  let target: Target;
  try {
    target = await readTarget(io);
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    io.out(`::error title=readiness::${escapeData(error.message)}`);
    return 1;
  }
  const token = input(io.env, "token");
  if (!token) {
    io.out(`::error title=readiness::${escapeData("the token input is empty: leave it unset (the default is the workflow's github.token) or pass a token that can read the repository's contents, pull requests, checks and statuses.")}`);
    return 1;
  }
  const octokit = new Octokit({
    auth: token,
    baseUrl: (io.env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, ""),
    userAgent: "readiness-action",
    request: { fetch: timedFetch(REQUEST_TIMEOUT_MS) },
  });
  const client = octokit as unknown as GitHubClient;
  const repo = { owner: target.owner, repo: target.repo };
  const fingerprintKey = input(io.env, "fingerprint-key");
  const checkName = input(io.env, "check-name") || io.env.GITHUB_JOB || "readiness";
  const outcome = await runPipeline({
    configReader: createConfigReader(client, repo, target.pull.baseSha),
    facts: new GitHubFactsProvider(client, repo, target.pull, { checkName, ...(fingerprintKey ? { fingerprintKey } : {}) }),
    registry,
  });
  const result = actionResult(outcome, target.pull);

  const { shown, omitted } = capAnnotations(result.annotations);
  for (const annotation of shown) io.out(annotationCommand(annotation));
  const omittedNote = omitted > 0 ? `\n_${omitted} more finding${omitted === 1 ? " is" : "s are"} not annotated (GitHub shows 10 of each kind per step); all of them are listed above._\n` : "";
  const summaryPath = io.env.GITHUB_STEP_SUMMARY;
  if (summaryPath) await io.appendFile(summaryPath, cutToBytes(result.summary + omittedNote, SUMMARY_LIMIT_BYTES));
  const outputPath = io.env.GITHUB_OUTPUT;
  if (outputPath) {
    await io.appendFile(outputPath, outputBlock("conclusion", result.conclusion) + outputBlock("level", result.level) + outputBlock("required-level", result.requiredLevel));
  }
  io.out(`readiness: pull request #${target.pull.number} at ${target.pull.headSha.slice(0, 7)}: ${result.headline}`);
  if (result.exitCode === 1) io.out(`::error title=readiness::${escapeData(result.headline)}`);
  return result.exitCode;
}

export function processActionIO(): ActionIO {
  return {
    env: process.env,
    out: (line) => void process.stdout.write(`${line}\n`),
    readFile: (path) => readFile(path, "utf8"),
    appendFile: (path, text) => appendFile(path, text, "utf8"),
  };
}
