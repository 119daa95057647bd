/**
 * After a default branch's evaluation is recorded: compare its standing with the previous record,
 * and open, edit or close the repository's one alert issue, and post to chat, as configured.
 * The open alert is remembered in the state store (never only in memory), so a restart or a
 * second replica edits the same issue instead of opening another.
 */
import type { AlertSettings } from "../config/types.js";
import { alertIssueOpen, closeAlertIssue, editAlertIssue, openAlertIssue } from "../github/alerts.js";
import type { GitHubClient } from "../github/octokit.js";
import { postChatMessage, usableWebhookUrl } from "../ops/chat.js";
import type { Logger } from "../ports.js";
import { alertDigest, decideAlert, renderAlertIssue, renderChatMessage, renderRecoveryComment, renderRiseComment } from "../render/alert.js";
import type { AlertDecision, OpenAlert, Standing } from "../render/alert.js";
import type { RepositoryKey, StateStore } from "../state/types.js";

export interface AlertRun {
  readonly store: StateStore;
  readonly octokit: GitHubClient;
  readonly repository: RepositoryKey;
  readonly settings: AlertSettings;
  readonly previous: Standing | undefined;
  readonly current: Standing;
  /** CODEOWNERS root owners at the evaluated commit ("@acme/sre", "@lead"). */
  readonly owners: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: Logger;
  readonly now: string;
  readonly checkRunUrl?: string;
  readonly fetch?: typeof fetch;
}

export const alertKey = (repository: RepositoryKey): string => `alert:${repository.installationId}:${repository.owner}/${repository.repo}`.toLowerCase();

async function rememberedAlert(store: StateStore, repository: RepositoryKey): Promise<OpenAlert | undefined> {
  const entry = await store.getBookkeeping(alertKey(repository));
  if (!entry || entry.value === "") return undefined;
  try {
    const parsed = JSON.parse(entry.value) as OpenAlert;
    return typeof parsed.issueNumber === "number" && typeof parsed.digest === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function recipients(setting: AlertSettings["mention"], owners: readonly string[]): string[] {
  if (setting === "none") return [];
  const names = setting === "codeowners" ? owners : setting;
  return [...new Set(names.map((name) => (name.startsWith("@") ? name : `@${name}`)))];
}

/** Only users can be assigned (not teams): "@lead" → "lead". */
function assignees(setting: AlertSettings["assign"], owners: readonly string[]): string[] {
  return recipients(setting, owners)
    .filter((name) => !name.includes("/"))
    .map((name) => name.slice(1))
    .slice(0, 10);
}

export async function alertOnStanding(run: AlertRun): Promise<AlertDecision> {
  if (!run.settings.enabled) return { kind: "none" };
  const repo = { owner: run.repository.owner, repo: run.repository.repo };
  let open = await rememberedAlert(run.store, run.repository);
  let decision = decideAlert(run.previous, run.current, open, { announceRises: run.settings.announceRises });
  // A person may have closed the issue by hand: then the alert is not open any more.
  if (open && open.issueNumber > 0 && (decision.kind === "update" || decision.kind === "close") && !(await alertIssueOpen(run.octokit, repo, open.issueNumber))) {
    open = undefined;
    await forget(run);
    decision = decideAlert(run.previous, run.current, undefined, { announceRises: run.settings.announceRises });
  }
  const mention = recipients(run.settings.mention, run.owners);
  const commitUrl = `https://github.com/${repo.owner}/${repo.repo}/commit/${run.current.sha}`;
  switch (decision.kind) {
    case "none":
      return decision;
    case "open": {
      let issueNumber = 0;
      let issueUrl: string | undefined;
      if (run.settings.issue) {
        const text = renderAlertIssue(decision.before, run.current, { mention, commitUrl, ...(run.checkRunUrl ? { checkRunUrl: run.checkRunUrl } : {}) });
        const opened = await openAlertIssue(run.octokit, repo, { ...text, labels: run.settings.labels, assignees: assignees(run.settings.assign, run.owners) });
        issueNumber = opened.number;
        issueUrl = opened.url;
      }
      await remember(run, { issueNumber, before: decision.before, digest: alertDigest(run.current) });
      const dropped = (run.previous?.reached ?? null) !== run.current.reached;
      await chat(run, renderChatMessage(dropped ? "dropped" : "below-required", run.previous, run.current, issueUrl));
      run.log.info({ repository: `${repo.owner}/${repo.repo}`, issue: issueNumber || undefined, reached: run.current.reached }, "readiness alert opened");
      return decision;
    }
    case "update": {
      if (open && open.issueNumber > 0) {
        const text = renderAlertIssue(open.before, run.current, { mention, commitUrl, ...(run.checkRunUrl ? { checkRunUrl: run.checkRunUrl } : {}) });
        const comment = decision.rose && run.settings.announceRises && run.previous ? renderRiseComment(run.previous, run.current) : undefined;
        await editAlertIssue(run.octokit, repo, open.issueNumber, text, comment);
      }
      if (open) await remember(run, { ...open, digest: alertDigest(run.current) });
      if (decision.rose && run.settings.announceRises) await chat(run, renderChatMessage("rose", run.previous, run.current));
      return decision;
    }
    case "close": {
      if (open && open.issueNumber > 0) await closeAlertIssue(run.octokit, repo, open.issueNumber, renderRecoveryComment(run.current));
      await forget(run);
      await chat(run, renderChatMessage("recovered", run.previous, run.current));
      run.log.info({ repository: `${repo.owner}/${repo.repo}`, issue: open?.issueNumber || undefined, reached: run.current.reached }, "readiness alert closed: the level is back");
      return decision;
    }
    case "announce-rise":
      await chat(run, renderChatMessage("rose", run.previous, run.current));
      return decision;
  }
}

async function remember(run: AlertRun, alert: OpenAlert): Promise<void> {
  await run.store.setBookkeeping({ key: alertKey(run.repository), value: JSON.stringify(alert), updatedAt: run.now });
}

async function forget(run: AlertRun): Promise<void> {
  await run.store.setBookkeeping({ key: alertKey(run.repository), value: "", updatedAt: run.now });
}

/** One chat message, when a webhook is configured; a failure is logged (never the URL) and does not fail the job. */
async function chat(run: AlertRun, message: { readonly text: string }): Promise<void> {
  const variable = run.settings.chatWebhookEnv ?? "READINESS_CHAT_WEBHOOK_URL";
  const raw = run.settings.chatWebhookEnv ? run.env[run.settings.chatWebhookEnv] : run.env.READINESS_CHAT_WEBHOOK_URL;
  if (!raw) return;
  const url = usableWebhookUrl(raw);
  if (!url) {
    run.log.warn({ variable }, "the chat webhook URL is not an https URL; no chat message sent");
    return;
  }
  const result = await postChatMessage(url, message, run.fetch);
  if (!result.ok) run.log.warn({ variable, reason: result.reason }, "chat message not delivered");
}
