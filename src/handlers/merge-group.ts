/**
 * merge_group.checks_requested: a required check must be posted on the group's head commit or
 * the queue waits and then fails. The group's branch names the one queued pull request it tests
 * (see parseMergeGroupRef); its verdict, evaluated against the configuration of the commit it
 * merges into, is posted there.
 */
import type { Context } from "probot";
import { parseMergeGroupRef } from "../jobs/triggers.js";
import { enqueueFor } from "./jobs.js";
import type { HandlerDeps } from "./jobs.js";

export async function onMergeGroup(context: Context<"merge_group.checks_requested">, deps: HandlerDeps): Promise<void> {
  const group = context.payload.merge_group;
  const entry = parseMergeGroupRef(group.head_ref);
  if (!entry) {
    context.log.warn({ ref: group.head_ref }, "merge group branch does not name a pull request; no check posted");
    return;
  }
  await enqueueFor(context, context.repo(), { kind: "merge-group", headSha: group.head_sha, baseSha: group.base_sha, ...entry }, deps);
}
