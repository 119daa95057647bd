/**
 * deployment_protection_rule.requested: GitHub waits for the app's answer before deploying a
 * commit to an environment protected by it. One job per run and environment; the runner checks
 * the callback URL, evaluates the commit and answers (src/jobs/deployment.ts).
 */
import type { Context } from "probot";
import { jobFor } from "./jobs.js";
import type { HandlerDeps } from "./jobs.js";
import { repoOf } from "./jobs.js";
import type { RepositoryPayload } from "./jobs.js";

/** The fields src/handlers/payloads.ts guarantees for this event. */
interface DeploymentProtectionPayload {
  readonly environment: string;
  readonly deployment_callback_url: string;
  readonly deployment: { readonly sha: string; readonly ref: string };
  readonly repository: RepositoryPayload;
}

/** The workflow run a callback URL ends with (`.../actions/runs/<id>/deployment_protection_rule`). */
const RUN_ID = /\/actions\/runs\/(\d+)\/deployment_protection_rule$/;

export async function onDeploymentProtectionRule(context: Context<"deployment_protection_rule.requested">, deps: HandlerDeps): Promise<void> {
  const payload = context.payload as unknown as DeploymentProtectionPayload;
  const runId = Number(RUN_ID.exec(new URL(payload.deployment_callback_url).pathname)?.[1]);
  const subject = {
    kind: "deployment" as const,
    runId,
    environment: payload.environment,
    callbackUrl: payload.deployment_callback_url,
    sha: payload.deployment.sha,
    ref: payload.deployment.ref,
  };
  const job = jobFor(context, repoOf(payload.repository), subject, deps);
  if (!job) return;
  // Written before queueing: a request lost with this process is queued again by reconciliation.
  try {
    await deps.rememberDeploymentRequest?.(job);
  } catch (error) {
    // The job still runs; only a crash before its answer would now go unhealed.
    context.log.warn({ err: error }, "the deployment request could not be stored; answering it without a durable copy");
  }
  await deps.queue.enqueue(job);
}
