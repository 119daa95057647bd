/**
 * The Probot app: which events go to which handler. Everything else GitHub sends is ignored.
 */
import type { ApplicationFunction, Probot } from "probot";
import { Evaluator, settingsFromEnv } from "./github/evaluate-pull.js";
import type { AppSettings } from "./github/evaluate-pull.js";
import { budgetFromEnv, EvaluationPool } from "./engine-worker/pool.js";
import type { EvaluateStep } from "./pipeline.js";
import { onCheckRunCompleted, onStatus } from "./handlers/ci.js";
import { onMergeGroup } from "./handlers/merge-group.js";
import { PULL_REQUEST_ACTIONS, REVIEW_ACTIONS, onPullRequest } from "./handlers/pull-request.js";
import { onPush } from "./handlers/push.js";
import { onCheckRunRerequested, onCheckSuiteRerequested } from "./handlers/rerequest.js";

export function readinessApp(settings: AppSettings, options: { readonly evaluate?: EvaluateStep } = {}): ApplicationFunction {
  return (app: Probot) => {
    const evaluator = new Evaluator(settings, { appClient: () => app.auth(), evaluate: options.evaluate });
    app.on(PULL_REQUEST_ACTIONS.map((action) => `pull_request.${action}` as const), (context) => onPullRequest(context, evaluator));
    app.on(REVIEW_ACTIONS.map((action) => `pull_request_review.${action}` as const), (context) => onPullRequest(context, evaluator));
    app.on("check_run.completed", (context) => onCheckRunCompleted(context, evaluator));
    app.on("status", (context) => onStatus(context, evaluator));
    app.on("check_run.rerequested", (context) => onCheckRunRerequested(context, evaluator));
    app.on("check_suite.rerequested", (context) => onCheckSuiteRerequested(context, evaluator));
    app.on("merge_group.checks_requested", (context) => onMergeGroup(context, evaluator));
    app.on("push", (context) => onPush(context, evaluator));
  };
}

/**
 * The app as `npm start` runs it, configured from the environment when Probot loads it.
 * Evaluations run in a worker pool within READINESS_EVALUATION_BUDGET_MS, off the event loop.
 */
const app: ApplicationFunction = (probot, options) => {
  const pool = new EvaluationPool({ budgetMs: budgetFromEnv(process.env), log: probot.log });
  return readinessApp(settingsFromEnv(process.env), { evaluate: pool.evaluate })(probot, options);
};
export default app;
