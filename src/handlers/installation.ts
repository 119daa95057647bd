/**
 * installation.created and installation_repositories.added: the first scorecard of every
 * repository the app can now see. One job names the installation; the runner lists its
 * repositories (the payload does not carry their default branches) and enqueues one branch job
 * per repository, spaced out within the installation's rate limits.
 */
import type { Context } from "probot";
import type { JobRepository } from "../jobs/types.js";
import { EVERY_REPOSITORY } from "../jobs/types.js";
import { enqueueFor } from "./jobs.js";
import type { HandlerDeps } from "./jobs.js";

interface ListedRepository {
  readonly full_name: string;
}

/** The account the app is installed on: a user or organisation login, or an enterprise's slug. */
function accountOf(installation: { readonly account?: unknown }): JobRepository {
  const account = (installation.account ?? {}) as { login?: unknown; slug?: unknown };
  const name = typeof account.login === "string" ? account.login : typeof account.slug === "string" ? account.slug : "";
  return { owner: name, repo: EVERY_REPOSITORY };
}

function repositoriesOf(listed: readonly ListedRepository[]): JobRepository[] {
  return listed.flatMap((r) => {
    const [owner, repo] = r.full_name.split("/");
    return owner && repo ? [{ owner, repo }] : [];
  });
}

export async function onInstallationCreated(context: Context<"installation.created">, deps: HandlerDeps): Promise<void> {
  if (deps.scorecards === false) return;
  await enqueueFor(context, accountOf(context.payload.installation), { kind: "scorecards", reevaluate: false }, deps);
}

export async function onRepositoriesAdded(context: Context<"installation_repositories.added">, deps: HandlerDeps): Promise<void> {
  if (deps.scorecards === false) return;
  const repositories = repositoriesOf(context.payload.repositories_added);
  if (repositories.length === 0) return;
  await enqueueFor(context, accountOf(context.payload.installation), { kind: "scorecards", repositories, reevaluate: false }, deps);
}
