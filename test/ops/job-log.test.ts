/**
 * Every line a job logs names the job: its delivery, repository, subject and the head commit it
 * evaluates, whichever part of the job wrote it (the runner, the pipeline, the publisher, a give-up).
 */
import { afterEach, expect, test } from "@jest/globals";
import { BASE_SHA, FakeGitHub, HEAD_SHA, createTestApp, pullRequestEvent, resetNock, yaml } from "../helpers/app.js";
import type { LogLine } from "../helpers/app.js";

afterEach(() => resetNock());

const OLDER_HEAD = "c".repeat(40);

/** The bindings each line lacks, by message. */
function missingBindings(lines: readonly LogLine[], expected: Record<string, unknown>): { msg: string; missing: string[] }[] {
  return lines.flatMap((line) => {
    const missing = Object.entries(expected).filter(([key, value]) => line[key] !== value).map(([key]) => `${key}=${String(line[key])}`);
    return missing.length > 0 ? [{ msg: line.msg, missing }] : [];
  });
}

function setup(): FakeGitHub {
  const fake = new FakeGitHub();
  fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews:", "    approvals: 1"]));
  fake.addPull({ number: 7 });
  return fake;
}

test("a job that finds the pull request moved on: every line after that names the head it evaluates", async () => {
  const app = await createTestApp({}, setup());
  await app.receive("pull_request", pullRequestEvent("synchronize", { number: 7, headSha: OLDER_HEAD }));
  const messages = app.logs.map((line) => line.msg);
  expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/moved on since the event/), "evaluated"]));
  const jobLines = app.logs.filter((line) => /moved on since the event|^evaluated$/.test(line.msg));
  expect(jobLines).toHaveLength(2);
  expect(missingBindings(jobLines, { deliveryId: "delivery-1", repository: "acme/shop", subject: "pull:acme/shop#7", headSha: HEAD_SHA, attempt: 1 })).toEqual([]);
});

test("a job that fails and gives up: each attempt's lines and the give-up name the delivery, repository, subject and head", async () => {
  const fake = setup();
  fake.failures.set("/repos/acme/shop/check-runs", 500);
  fake.failures.set(`/repos/acme/shop/commits/${HEAD_SHA}/check-runs`, 500);
  const app = await createTestApp({}, fake);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7 }));
  // The job's lines: the runner's, the pipeline's and the queue's about it carry its attempt.
  const jobLines = app.logs.filter((line) => line.attempt !== undefined);
  expect(jobLines.map((line) => [line.attempt, line.msg.replace(/:.*/, "")])).toEqual([
    [1, "evaluated"],
    [1, "job failed; retrying in 1 ms"],
    [2, "evaluated"],
    [2, "job gave up after 2 attempts"],
    [2, "could not mark the check run as not evaluated; reconciliation retries"],
  ]);
  expect(missingBindings(jobLines, { deliveryId: "delivery-1", repository: "acme/shop", subject: "pull:acme/shop#7", headSha: HEAD_SHA })).toEqual([]);
});
