/**
 * The render step of the pipeline: a judged subject (its evaluation, or its configuration's
 * errors) becomes what the subject's publisher writes, as the subject's view asks. Pure.
 */
import type { ConfigError, ConfigOrigin } from "../config/types.js";
import type { Evaluation, ResolvedConfig } from "../engine/evaluate.js";
import { renderBranchCheckRun } from "./branch.js";
import { renderCheckRun } from "./check-run.js";
import { COMMENT_MARKER, renderComment } from "./comment.js";
import { renderConfigErrors, renderConfigErrorsComment } from "./config-errors.js";
import { clip, code } from "./escape.js";
import type { ConfigPreview } from "../config/diff.js";
import { PROPOSED_INVALID_TITLE, previewAnnotations, previewFails, renderPreview } from "./preview.js";
import { TITLE_MAX } from "./verdict.js";
import type { CheckRunOutput, Publication, PublicationView } from "./types.js";

/** What the render step is given: the outcomes of the pipeline that have something to show. */
export type Judged =
  | { readonly kind: "invalid-config"; readonly origin: ConfigOrigin; readonly errors: readonly ConfigError[] }
  | {
      readonly kind: "evaluated";
      readonly evaluation: Evaluation;
      readonly config: ResolvedConfig;
      readonly origins: readonly ConfigOrigin[];
      /** The pull request changes the configuration: what the proposed one would change (pull view only). */
      readonly preview?: ConfigPreview;
    };

export function renderPublication(judged: Judged, view: PublicationView): Publication {
  if (judged.kind === "evaluated" && judged.preview && view.kind === "pull") return withPreview(renderEvaluated(judged.evaluation, judged.config, judged.origins, view, renderPreview(judged.preview)), judged.preview, view);
  return judged.kind === "evaluated" ? renderEvaluated(judged.evaluation, judged.config, judged.origins, view) : renderInvalid(judged.origin, judged.errors, view);
}

/**
 * The base verdict with a configuration preview: the section leads the check run and the comment
 * (created for it, unless comments are off); an invalid proposal fails the check, annotated on the
 * proposed file.
 */
function withPreview(publication: Publication, preview: ConfigPreview, view: PublicationView): Publication {
  const { check, comment } = publication;
  // A change of the gate is worth a comment whatever the verdict (unless comments are off).
  if (!previewFails(preview)) return comment ? { check, comment: { ...comment, create: true } } : publication;
  const annotations = [...previewAnnotations(preview, view.repository), ...check.output.annotations];
  const output = {
    ...check.output,
    title: clip(`${PROPOSED_INVALID_TITLE} · ${check.output.title}`, TITLE_MAX),
    annotations: view.maxAnnotations !== undefined ? annotations.slice(0, view.maxAnnotations) : annotations,
  };
  return { check: { conclusion: "failure", output }, ...(comment ? { comment: { ...comment, create: true } } : {}) };
}

/** The merge queue's lead: names the queued pull request at the top of the group's check. */
export function mergeGroupLead(pullNumber: number, base: string): string {
  return `Merge queue: the verdict of pull request #${pullNumber}, queued to merge into ${code(base)}.`;
}

function renderEvaluated(evaluation: Evaluation, config: ResolvedConfig, origins: readonly ConfigOrigin[], view: PublicationView, preamble?: string): Publication {
  const configSources = origins.map((o) => (o.repository === view.repository ? o.path : `${o.repository}:${o.path}`));
  const limit = view.maxAnnotations !== undefined ? { maxAnnotations: view.maxAnnotations } : {};
  if (view.kind === "branch") {
    return { check: { conclusion: evaluation.conclusion, output: renderBranchCheckRun(evaluation, { ref: view.ref, configSources, ...limit }) } };
  }
  if (view.kind === "merge-group") {
    // The lead goes in as the renderer's preamble, so the summary still fits GitHub's limit whole.
    const output = renderCheckRun(evaluation, { configSources, ...limit, preamble: mergeGroupLead(view.pullNumber, view.base) });
    return { check: { conclusion: evaluation.conclusion, output: { ...output, title: `#${view.pullNumber}: ${output.title}` } } };
  }
  const lead = preamble !== undefined ? { preamble } : {};
  const check = { conclusion: evaluation.conclusion, output: renderCheckRun(evaluation, { configSources, ...limit, ...lead }) };
  if (config.comment === "never") return { check };
  return {
    check,
    comment: {
      marker: COMMENT_MARKER,
      create: config.comment === "always" || evaluation.conclusion === "failure",
      body: (checkRunUrl) => renderComment(evaluation, { ...(checkRunUrl ? { checkRunUrl } : {}), configSources, ...lead }),
    },
  };
}

function renderInvalid(origin: ConfigOrigin, errors: readonly ConfigError[], view: PublicationView): Publication {
  const rendered = renderConfigErrors(origin, errors);
  // Annotations attach to paths of this repository: errors in the organisation's baseline have none here.
  const here = origin.repository.toLowerCase() === view.repository.toLowerCase();
  const output: CheckRunOutput = here ? rendered : { ...rendered, annotations: [] };
  if (view.kind === "branch") return { check: { conclusion: "failure", output } };
  if (view.kind === "merge-group") {
    // Configuration errors are short; the publisher's byte-limit guard covers the rest.
    const lead = mergeGroupLead(view.pullNumber, view.base);
    return { check: { conclusion: "failure", output: { ...output, title: `#${view.pullNumber}: ${output.title}`, summary: `${lead}\n\n${output.summary}` } } };
  }
  return {
    check: { conclusion: "failure", output },
    // The comment policy lives in the configuration that failed to load: treat it as on-failure.
    comment: { marker: COMMENT_MARKER, create: true, body: (checkRunUrl) => renderConfigErrorsComment(origin, errors, checkRunUrl ? { checkRunUrl } : {}) },
  };
}
