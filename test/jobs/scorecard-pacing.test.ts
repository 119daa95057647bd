/**
 * The first scorecards of an installation are paced: one branch job per active repository, each
 * `scorecardSpacingMs` after the previous (the queue holds a job until its `notBefore`), so a new
 * installation of many repositories stays within GitHub's rate limits.
 */
import { expect, test } from "@jest/globals";
import nock from "nock";
import type { AppOctokit } from "../../src/github/events.js";
import { resolveTrigger, SCORECARD_SPACING_MS } from "../../src/jobs/resolve.js";
import type { ResolveContext } from "../../src/jobs/resolve.js";
import type { EvaluationJob } from "../../src/jobs/types.js";
import { MemoryStateStore } from "../../src/state/memory.js";
import { API, guardRequests, octokit } from "../github/mock-github.js";

guardRequests();

const NOW = new Date("2026-11-30T10:00:00.000Z");
const repository = (name: string, extra: Record<string, unknown> = {}) => ({ name, owner: { login: "acme" }, default_branch: name === "legacy" ? "master" : "main", private: true, ...extra });

function context(spacing?: number): ResolveContext {
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
  return {
    evaluator: {} as ResolveContext["evaluator"],
    store: new MemoryStateStore(),
    octokit: octokit() as unknown as AppOctokit,
    log: silent,
    now: () => NOW,
    ...(spacing !== undefined ? { scorecardSpacingMs: spacing } : {}),
  };
}

const trigger = (repositories?: EvaluationJob["repository"][]): EvaluationJob & { subject: { kind: "scorecards"; reevaluate: boolean } } => ({
  installationId: 7,
  repository: { owner: "acme", repo: "*" },
  subject: { kind: "scorecards", reevaluate: false, ...(repositories ? { repositories } : {}) },
  reason: "installation.created",
  requestedAt: NOW.toISOString(),
});

test("every active repository gets one branch job on its default branch, spaced by the default interval", async () => {
  nock(API)
    .get("/installation/repositories")
    .query({ per_page: 100 })
    .reply(200, { total_count: 4, repositories: [repository("shop"), repository("api"), repository("old", { archived: true }), repository("legacy")] });
  const jobs = await resolveTrigger(trigger(), context());
  expect(jobs.map((job) => [job.repository.repo, job.subject, job.notBefore])).toEqual([
    ["shop", { kind: "branch", branch: "main" }, undefined],
    ["api", { kind: "branch", branch: "main" }, new Date(NOW.getTime() + SCORECARD_SPACING_MS).toISOString()],
    ["legacy", { kind: "branch", branch: "master" }, new Date(NOW.getTime() + 2 * SCORECARD_SPACING_MS).toISOString()],
  ]);
  expect(SCORECARD_SPACING_MS * 360).toBeLessThanOrEqual(3_600_000);
});

test("repositories added to an installation: only those listed, at the configured spacing", async () => {
  nock(API)
    .get("/installation/repositories")
    .query({ per_page: 100 })
    .reply(200, { total_count: 3, repositories: [repository("shop"), repository("api"), repository("web")] });
  const jobs = await resolveTrigger(trigger([{ owner: "acme", repo: "web" }, { owner: "Acme", repo: "API" }]), context(500));
  expect(jobs.map((job) => [job.repository.repo, job.notBefore])).toEqual([
    ["api", undefined],
    ["web", "2026-11-30T10:00:00.500Z"],
  ]);
});
