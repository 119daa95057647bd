/**
 * Runs one `/readiness` command: parses it, reads the configuration in force (the pull request's
 * BASE, or the default branch for an issue), checks who may, appends the decision to the audit
 * log, answers on the comment (a reaction when accepted, a reply saying why and who may when
 * not) and re-evaluates the pull request.
 */
import type { AttestationItem, RepositoryPermission, ResolvedConfig } from "../engine/evaluate.js";
import { DEFAULT_WAIVER_POLICY, REPOSITORY_PERMISSIONS } from "../engine/evaluate.js";
import { didYouMean } from "../config/suggest.js";
import { branchHead, react, reply, repositoryPermission, teamMembers } from "../github/decisions.js";
import type { RequestingClient } from "../github/decisions.js";
import type { Evaluator } from "../github/evaluate-pull.js";
import type { GitHubClient } from "../github/octokit.js";
import { fetchPullState } from "../github/pull.js";
import type { Logger } from "../ports.js";
import type { DecisionRecord, StateStore } from "../state/types.js";
import { parseCommand, USAGE } from "./commands.js";
import type { Command } from "./commands.js";
import type { CommandSubject, EvaluationJob } from "./types.js";

export interface CommandContext {
  readonly job: EvaluationJob & { readonly subject: CommandSubject };
  readonly octokit: GitHubClient & RequestingClient;
  readonly evaluator: Evaluator;
  readonly store: StateStore;
  readonly log: Logger;
  readonly now: Date;
  readonly enqueue: (job: EvaluationJob) => Promise<void>;
}

/** Who may decide: people and teams named, or a repository permission at least this high. */
interface Authority {
  readonly named: readonly string[];
  readonly permission: RepositoryPermission;
}

const rank = (permission: RepositoryPermission | "none"): number => (permission === "none" ? -1 : REPOSITORY_PERMISSIONS.indexOf(permission));

function describeAuthority(authority: Authority): string {
  const named = authority.named.map((who) => (who.includes("/") ? `members of @${who}` : `@${who}`));
  return [...named, `people with ${authority.permission} permission on this repository`].join(", ").replace(/, ([^,]*)$/, " or $1");
}

async function mayDecide(context: CommandContext, authority: Authority): Promise<boolean> {
  const actor = context.job.subject.author.toLowerCase();
  const repo = context.job.repository;
  if (authority.named.some((who) => !who.includes("/") && who.toLowerCase() === actor)) return true;
  for (const team of authority.named.filter((who) => who.includes("/"))) {
    const members = await teamMembers(context.octokit, team);
    if (members?.includes(actor)) return true;
  }
  return rank(await repositoryPermission(context.octokit, repo, context.job.subject.author)) >= rank(authority.permission);
}

type Where = { readonly config: ResolvedConfig; readonly sha: string; readonly pull?: { readonly number: number; readonly headSha: string } };

/** The configuration in force where the command was made, or the reason there is none. */
async function configInForce(context: CommandContext): Promise<Where | string> {
  const { subject, repository } = context.job;
  let baseSha: string;
  let pull: Where["pull"];
  if (subject.onPull) {
    const fresh = await fetchPullState(context.octokit, repository, subject.issueNumber);
    if (!fresh.open) return `pull request #${subject.issueNumber} is ${fresh.state}: decisions are made on open pull requests`;
    baseSha = fresh.pull.baseSha;
    pull = { number: fresh.pull.number, headSha: fresh.pull.headSha };
  } else {
    const head = await branchHead(context.octokit, repository, subject.defaultBranch);
    if (!head) return `the default branch ${subject.defaultBranch} could not be read`;
    baseSha = head;
  }
  const config = await context.evaluator.configAt(context.octokit, repository, baseSha);
  if (config === null) return "this repository has no readiness configuration (.readiness.yml) on its base branch";
  if (config === "invalid") return "the readiness configuration on the base branch is invalid; fix it first (the check run lists its errors)";
  return { config, sha: pull?.headSha ?? baseSha, ...(pull ? { pull } : {}) };
}

export async function runCommand(context: CommandContext): Promise<void> {
  const { subject } = context.job;
  const parsed = parseCommand(subject.line);
  if (!parsed.ok) return refuse(context, parsed.error);
  const command = parsed.command;
  if (command.kind !== "attest" && !subject.onPull) return refuse(context, `\`/readiness ${command.kind}\` works on pull requests only; attestations (\`/readiness attest\`) may be made on issues.`);
  if (command.kind === "recheck") {
    await react(context.octokit, context.job.repository, subject.commentId, "rocket");
    await reevaluate(context, subject.issueNumber, "recheck");
    return;
  }
  const where = await configInForce(context);
  if (typeof where === "string") return refuse(context, where);
  switch (command.kind) {
    case "waive":
    case "unwaive":
      return waiverCommand(context, command, where);
    case "attest":
      return attestCommand(context, command, where);
  }
}

async function waiverCommand(context: CommandContext, command: Extract<Command, { kind: "waive" | "unwaive" }>, where: Where): Promise<void> {
  const policy = where.config.waivers ?? DEFAULT_WAIVER_POLICY;
  const rules = where.config.rules.map((rule) => rule.id);
  if (!rules.includes(command.rule)) {
    return refuse(context, `"${command.rule}" is not a rule enabled in this repository's configuration.${didYouMean(command.rule, rules)}`);
  }
  const forbidden = policy.notWaivable.find((entry) => entry.rule === command.rule);
  if (forbidden && command.kind === "waive") {
    const why = forbidden.locked ? `the organisation baseline ${forbidden.by} locks it (\`locked: true\`), and locked rules hold for every pull request` : `${forbidden.by} lists it under \`waivers: not-waivable\``;
    return refuse(context, `the rule ${command.rule} cannot be waived: ${why}.`);
  }
  const authority: Authority = { named: policy.allowed, permission: policy.permission };
  if (!(await mayDecide(context, authority))) {
    return refuse(context, `you may not ${command.kind} rules here. Who may: ${describeAuthority(authority)} (\`waivers:\` in the base branch's configuration).`);
  }
  if (command.kind === "unwaive") {
    const entries = await context.store.listDecisions({ owner: context.job.repository.owner, repo: context.job.repository.repo, pullNumber: where.pull!.number });
    const newest = entries.filter((e) => e.target === command.rule && e.kind !== "attest").at(-1);
    if (newest?.kind !== "waive") return refuse(context, `the rule ${command.rule} is not waived on this pull request.`);
  }
  await record(context, {
    kind: command.kind,
    target: command.rule,
    reason: command.kind === "waive" ? command.reason : "",
    pullNumber: where.pull!.number,
    sha: where.sha,
    ...(command.kind === "waive" && command.untilPush ? { untilPush: true } : {}),
    ...(command.kind === "waive" && command.forMs !== undefined ? { expiresAt: new Date(context.now.getTime() + command.forMs).toISOString() } : {}),
  });
  await react(context.octokit, context.job.repository, context.job.subject.commentId, "+1");
  await reevaluate(context, where.pull!.number, command.kind);
}

async function attestCommand(context: CommandContext, command: Extract<Command, { kind: "attest" }>, where: Where): Promise<void> {
  const items: readonly AttestationItem[] = where.config.attestations ?? [];
  const item = items.find((candidate) => candidate.id === command.item);
  if (!item) {
    const known = items.map((candidate) => candidate.id);
    const hint = known.length === 0 ? " This repository's configuration declares no `attestations:`." : didYouMean(command.item, known);
    return refuse(context, `"${command.item}" is not an attestation item of this repository.${hint}`);
  }
  const authority: Authority = { named: item.by, permission: item.permission };
  if (!(await mayDecide(context, authority))) return refuse(context, `you may not attest ${item.id}. Who may: ${describeAuthority(authority)} (\`attestations: ${item.id}\` in the configuration).`);
  await record(context, { kind: "attest", target: item.id, reason: command.evidence, sha: where.sha, ...(where.pull ? { pullNumber: where.pull.number } : {}) });
  await react(context.octokit, context.job.repository, context.job.subject.commentId, "+1");
  if (where.pull) await reevaluate(context, where.pull.number, "attest");
}

async function record(context: CommandContext, decision: Pick<DecisionRecord, "kind" | "target" | "reason" | "sha" | "pullNumber" | "untilPush" | "expiresAt">): Promise<void> {
  const { job } = context;
  await context.store.appendDecision({
    installationId: job.installationId,
    owner: job.repository.owner,
    repo: job.repository.repo,
    ...decision,
    actor: job.subject.author,
    issueNumber: job.subject.issueNumber,
    commentId: job.subject.commentId,
    commentUrl: job.subject.commentUrl,
    createdAt: context.now.toISOString(),
  });
  context.log.info({ decision: decision.kind, target: decision.target, actor: job.subject.author }, "decision recorded");
}

async function refuse(context: CommandContext, why: string): Promise<void> {
  const { subject } = context.job;
  context.log.info({ author: subject.author, command: subject.line.split(/\s+/)[1] }, "command refused");
  const body = [`@${subject.author} ${why}`, "", `Commands: ${USAGE.join(" · ")} — see docs/commands.md.`].join("\n");
  await reply(context.octokit, context.job.repository, subject.issueNumber, body);
}

async function reevaluate(context: CommandContext, number: number, why: string): Promise<void> {
  const { job } = context;
  await context.enqueue({
    installationId: job.installationId,
    repository: job.repository,
    subject: { kind: "pull", number },
    reason: `command.${why}`,
    ...(job.deliveryId ? { deliveryId: job.deliveryId } : {}),
    requestedAt: context.now.toISOString(),
  });
}
