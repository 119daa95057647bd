/**
 * issue_comment.created: a `/readiness` command on a pull request or issue becomes a command job;
 * every other comment costs nothing. Edited comments (GitHub sends them as `edited`) are not
 * handled, so changing a comment never re-runs or changes a decision; comments of bots
 * (this app's own replies included) are ignored. Who may, and what the command does, the runner
 * decides (src/jobs/command.ts).
 */
import type { Context } from "probot";
import { commandLine } from "../jobs/commands.js";
import { enqueueFor, repoOf } from "./jobs.js";
import type { HandlerDeps } from "./jobs.js";

export async function onIssueComment(context: Context<"issue_comment.created">, deps: HandlerDeps): Promise<void> {
  const { comment, issue, repository } = context.payload;
  const user = comment.user;
  if (!user) return;
  if (user.type === "Bot" || user.login.endsWith("[bot]")) {
    context.log.debug({ author: user.login }, "ignored: a comment by a bot");
    return;
  }
  const line = commandLine(comment.body);
  if (line === undefined) return;
  await enqueueFor(
    context,
    repoOf(repository),
    {
      kind: "command",
      commentId: comment.id,
      commentUrl: comment.html_url,
      issueNumber: issue.number,
      onPull: issue.pull_request !== undefined && issue.pull_request !== null,
      author: user.login,
      line,
      defaultBranch: repository.default_branch,
    },
    deps,
  );
}
