export type { Annotation, CheckRunOutput, RenderContext } from "./types.js";
export { renderCheckRun, CHECK_RUN_OUTPUT_LIMIT, ANNOTATION_TITLE_MAX, ANNOTATION_MESSAGE_MAX } from "./check-run.js";
export { renderComment, COMMENT_MARKER, COMMENT_LIMIT } from "./comment.js";
export { renderConfigErrors, renderConfigErrorsComment, renderConfigErrorsText, CONFIG_ERRORS_TITLE } from "./config-errors.js";
export { renderText } from "./text.js";
export { renderMarkdown } from "./markdown.js";
export { toJsonReport, type JsonReport, type JsonRule, type JsonFinding } from "./json.js";
export { renderPublication, mergeGroupLead, type Judged } from "./publication.js";
export type { Publication, PublicationView, RenderedCheck, RenderedComment } from "./types.js";
