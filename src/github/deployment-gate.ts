/**
 * Answers a custom deployment protection rule: POST to the callback URL GitHub sent with the
 * `deployment_protection_rule` event (`/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule`).
 */
import type { RepoCoordinates } from "./octokit.js";

export interface DeploymentCallbackClient {
  request(route: string, parameters: Record<string, unknown>): Promise<{ status: number }>;
}

const CALLBACK_PATH = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/deployment_protection_rule$/;

/**
 * The run a callback URL names, when it is one of this repository's (a payload pointing
 * elsewhere is refused: the answer must only ever go to GitHub's own endpoint for this repository).
 */
export function callbackRun(callbackUrl: string, repo: RepoCoordinates): number | undefined {
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return undefined;
  }
  const path = url.pathname.replace(/^\/api\/v3(?=\/)/, "");
  const match = CALLBACK_PATH.exec(path);
  if (!match) return undefined;
  if (decodeURIComponent(match[1]!).toLowerCase() !== repo.owner.toLowerCase() || decodeURIComponent(match[2]!).toLowerCase() !== repo.repo.toLowerCase()) return undefined;
  return Number(match[3]);
}

export async function answerDeployment(
  client: DeploymentCallbackClient,
  repo: RepoCoordinates,
  runId: number,
  answer: { readonly environment: string; readonly state: "approved" | "rejected"; readonly comment: string },
): Promise<void> {
  await client.request("POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule", {
    owner: repo.owner,
    repo: repo.repo,
    run_id: runId,
    environment_name: answer.environment,
    state: answer.state,
    comment: answer.comment,
  });
}
