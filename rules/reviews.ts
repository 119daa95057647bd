import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { unknown } from "../src/engine/types.js";
import type { FactRequest } from "../src/engine/types.js";
import { newOutcome, plural, settle } from "./lib/outcome.js";
import { loginKey, reviewerOpinions, shortSha } from "./lib/review-opinions.js";
import type { ReviewerOpinion } from "./lib/review-opinions.js";

const login = z
  .string()
  .regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?$/, 'expected a GitHub login such as "alice"');
const team = z
  .string()
  .regex(/^@?[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9_.-]+$/, 'expected an organisation team as "org/team-slug", such as "acme/platform"');

const options = z
  .object({
    approvals: z
      .number()
      .int()
      .min(0)
      .default(1)
      .describe("How many reviewers other than the author must approve. Approvals from the required users and teams count towards it."),
    stale: z
      .enum(["keep", "dismiss"])
      .default("keep")
      .describe("keep: an approval counts whatever commit it was given on. dismiss: only approvals given on the pull request's head commit count."),
    teams: z
      .array(team)
      .default([])
      .describe('Organisation teams ("org/team-slug") that must each approve: one approving review from a member of each. Needs the app permission members: read.'),
    users: z.array(login).default([]).describe("Logins that must each approve."),
    "changes-requested": z
      .enum(["block", "ignore"])
      .default("block")
      .describe("block: an outstanding request for changes fails the rule until the reviewer approves or the review is dismissed. ignore: only approvals matter."),
  })
  .strict();

type Options = z.output<typeof options>;

const names = (opinions: readonly ReviewerOpinion[]): string => opinions.map((o) => o.login).join(", ");
const staleNote = (o: ReviewerOpinion): string =>
  `${o.login} approved an earlier commit (${shortSha(o.commitId)}); approvals must be on the head commit`;

function approvalsReason(approved: readonly ReviewerOpinion[], required: number): string {
  if (approved.length === 0) return "no approvals required";
  if (approved.length === required) return `${approved.length} of ${plural(required, "approval")} (${names(approved)})`;
  return `${plural(approved.length, "approval")} (${names(approved)}), ${required === 0 ? "none" : required} required`;
}

export default defineRule({
  id: "reviews",
  area: "review",
  defaultLevel: "bronze",
  subjects: ["pull"],
  description: "The pull request is approved by enough reviewers (and by the required teams and people) and nobody has outstanding requested changes.",
  fix: "Ask reviewers to approve the latest commit, and address or dismiss requested changes.",
  options,
  tighten: { approvals: "at-least", stale: { order: ["keep", "dismiss"] }, teams: "superset", users: "superset", "changes-requested": { order: ["ignore", "block"] } },
  needs: (o: Options): FactRequest[] => [
    { kind: "pull" },
    { kind: "reviews" },
    ...o.teams.map((t): FactRequest => ({ kind: "team", team: loginKey(t) })),
  ],
  evaluate(facts, o) {
    if (!facts.reviews.known) return unknown(`cannot count approvals: ${facts.reviews.reason}`);
    if (!facts.pull.known) return unknown(`cannot tell who wrote the pull request or which commit is its head: ${facts.pull.reason}`);
    const pull = facts.pull.value;

    const approved: ReviewerOpinion[] = [];
    const staleApprovals: ReviewerOpinion[] = [];
    const changesRequested: ReviewerOpinion[] = [];
    for (const opinion of reviewerOpinions(facts.reviews.value, pull.author).values()) {
      if (opinion.opinion === "CHANGES_REQUESTED") changesRequested.push(opinion);
      else if (o.stale === "dismiss" && opinion.commitId !== pull.headSha) staleApprovals.push(opinion);
      else approved.push(opinion);
    }
    const approvedBy = (key: string) => approved.find((a) => loginKey(a.login) === key);
    const staleNotesFor = (keys: (key: string) => boolean) => staleApprovals.filter((s) => keys(loginKey(s.login))).map(staleNote);

    const out = newOutcome();

    if (o["changes-requested"] === "block" && changesRequested.length > 0) {
      out.findings.push({
        message: `changes requested by ${names(changesRequested)}`,
        details: [`each must approve the latest changes, or have their review dismissed`],
      });
    }

    if (approved.length < o.approvals) {
      out.findings.push({
        message: `needs ${plural(o.approvals, "approval")}, has ${approved.length === 0 ? "none" : `${approved.length} (${names(approved)})`}`,
        details: staleApprovals.map(staleNote),
      });
    } else {
      out.passed.push(approvalsReason(approved, o.approvals));
    }

    for (const user of o.users) {
      const key = loginKey(user);
      if (approvedBy(key)) continue;
      const shown = user.replace(/^@/, "");
      if (key === loginKey(pull.author)) {
        out.findings.push({
          message: `needs an approval from ${shown}, who wrote this pull request and cannot approve it`,
          details: ["ask for a waiver, or change the users option of the reviews rule"],
        });
      } else {
        out.findings.push({ message: `needs an approval from ${shown}`, details: staleNotesFor((k) => k === key) });
      }
    }

    for (const t of o.teams) {
      const shown = t.replace(/^@/, "");
      const members = facts.teams.get(loginKey(t));
      if (!members) {
        out.undecidable.push(`cannot tell whether ${shown} approved: its members were not gathered`);
        continue;
      }
      if (!members.known) {
        out.undecidable.push(`cannot tell whether ${shown} approved: its members are unknown (${members.reason})`);
        continue;
      }
      const memberKeys = new Set(members.value.map(loginKey));
      const approver = approved.find((a) => memberKeys.has(loginKey(a.login)));
      if (approver) out.passed.push(`${shown} approved by ${approver.login}`);
      else out.findings.push({ message: `needs an approval from a member of ${shown}`, details: staleNotesFor((k) => memberKeys.has(k)) });
    }

    if (o["changes-requested"] === "ignore" && changesRequested.length > 0) out.passed.push(`changes requested by ${names(changesRequested)} (ignored)`);
    return settle(out);
  },
});
