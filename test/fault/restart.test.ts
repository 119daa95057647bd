/**
 * Issue 8, the restart: the server is killed (SIGKILL) in the middle of a burst, a quarter of the
 * pull requests' webhooks are never delivered (as in a GitHub or network outage), and the server
 * is started again on the same working directory (the same state file). Every pull request must
 * still get its verdict, through reconciliation at start, with no duplicate.
 */
import { afterAll, beforeAll, expect, jest, test } from "@jest/globals";
import { FaultyGitHub } from "../helpers/fault-github.js";
import { builtServer } from "../helpers/server-process.js";
import type { ServerProcess } from "../helpers/server-process.js";
import { prng } from "../helpers/prng.js";
import { deliver, inParallel, openedEvent, outcome, seedPulls, settle, startApp, summaryLine, workDir } from "./driver.js";

jest.setTimeout(300_000);

const SEED = 20;
const PULLS = 24;

let github: FaultyGitHub;
let first: ServerProcess | undefined;
let second: ServerProcess | undefined;
const dir = workDir("restart");

beforeAll(async () => {
  await builtServer();
  github = await FaultyGitHub.start();
}, 300_000);

afterAll(async () => {
  await first?.kill("SIGKILL");
  await second?.kill("SIGKILL");
  await github?.close();
  dir.remove();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("killed mid-burst with a quarter of the webhooks never delivered: after a restart every pull request gets its verdict", async () => {
  const pulls = seedPulls(github, PULLS, SEED);
  const random = prng(SEED);
  const delivered = pulls.filter(() => random() >= 0.25);
  first = await startApp(github, dir.path);
  const burst = inParallel(delivered, delivered.length, (pull) => deliver(first!, "pull_request", openedEvent(pull)));
  // Killed once the first verdicts are being written: some done, some in flight, most waiting.
  const deadline = Date.now() + 60_000;
  while (github.fake.ownCheckRuns().length < 3 && Date.now() < deadline) await sleep(50);
  await first.kill("SIGKILL");
  await burst;
  const beforeRestart = outcome(github, pulls);

  second = await startApp(github, dir.path);
  await settle(github, pulls, { timeoutMs: 180_000, giveUpQuietMs: 20_000 });
  const result = outcome(github, pulls);
  console.log(
    `${summaryLine("restart", result)} (webhooks delivered ${delivered.length} of ${pulls.length}; right verdicts before the restart ${beforeRestart.right})`,
  );
  expect(second.alive()).toBe(true);
  expect(result.problems).toEqual([]);
  expect(result.right).toBe(PULLS);
});
