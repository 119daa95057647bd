/**
 * The Probot app: which events go to which handler. Everything else GitHub sends is ignored.
 */
import type { ApplicationFunction, Context, Probot } from "probot";
import { Evaluator, settingsFromEnv } from "./github/evaluate-pull.js";
import type { AppSettings } from "./github/evaluate-pull.js";
import { budgetFromEnv, EvaluationPool } from "./engine-worker/pool.js";
import type { EvaluateStep } from "./pipeline.js";
import { onCheckRunCompleted, onStatus } from "./handlers/ci.js";
import { onMergeGroup } from "./handlers/merge-group.js";
import { payloadProblem } from "./handlers/payloads.js";
import { PULL_REQUEST_ACTIONS, REVIEW_ACTIONS, onPullRequest } from "./handlers/pull-request.js";
import { onPush } from "./handlers/push.js";
import { onCheckRunRerequested, onCheckSuiteRerequested } from "./handlers/rerequest.js";

/**
 * A handler that runs only on a well-formed payload (src/handlers/payloads.ts). The server refuses
 * malformed deliveries with 400 before Probot dispatches them; this covers every other way in.
 */
function wellFormed<C extends Context>(handler: (context: C) => Promise<void>): (context: C) => Promise<void> {
  return async (context) => {
    const problem = payloadProblem(context.name, context.payload);
    if (problem !== undefined) {
      context.log.warn(`malformed ${context.name} delivery ${context.id} ignored: ${problem}`);
      return;
    }
    await handler(context);
  };
}

export function readinessApp(settings: AppSettings, options: { readonly evaluate?: EvaluateStep } = {}): ApplicationFunction {
  return (app: Probot) => {
    const evaluator = new Evaluator(settings, { appClient: () => app.auth(), evaluate: options.evaluate });
    app.on(
      PULL_REQUEST_ACTIONS.map((action) => `pull_request.${action}` as const),
      wellFormed((context) => onPullRequest(context, evaluator)),
    );
    app.on(
      REVIEW_ACTIONS.map((action) => `pull_request_review.${action}` as const),
      wellFormed((context) => onPullRequest(context, evaluator)),
    );
    app.on("check_run.completed", wellFormed((context) => onCheckRunCompleted(context, evaluator)));
    app.on("status", wellFormed((context) => onStatus(context, evaluator)));
    app.on("check_run.rerequested", wellFormed((context) => onCheckRunRerequested(context, evaluator)));
    app.on("check_suite.rerequested", wellFormed((context) => onCheckSuiteRerequested(context, evaluator)));
    app.on("merge_group.checks_requested", wellFormed((context) => onMergeGroup(context, evaluator)));
    app.on("push", wellFormed((context) => onPush(context, evaluator)));
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
