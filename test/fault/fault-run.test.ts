/**
 * Issue 8, the fault run: 100 pull requests opened at once while a fifth of every GitHub call
 * fails transiently (server errors, 429, secondary and primary rate limits, hangs past the
 * client's timeout, connection resets). Each must end with exactly one completed check run with
 * its verdict, and at most one comment.
 */
import { afterAll, beforeAll, expect, jest, test } from "@jest/globals";
import { FaultyGitHub } from "../helpers/fault-github.js";
import { builtServer } from "../helpers/server-process.js";
import type { ServerProcess } from "../helpers/server-process.js";
import { deliver, HANG_MS, inParallel, openedEvent, outcome, seedPulls, settle, SHORT_REQUEST_TIMEOUT, startApp, summaryLine, troubles, workDir } from "./driver.js";

jest.setTimeout(420_000);

const SEED = 8;
const PULLS = 100;
/** Failing pull requests get a comment, and Probot spaces those 3 s apart: a fifth fail. */
const FAILING = 0.2;

let github: FaultyGitHub;
let app: ServerProcess | undefined;
const dir = workDir("fault-run");

beforeAll(async () => {
  await builtServer();
  github = await FaultyGitHub.start();
}, 300_000);

afterAll(async () => {
  await app?.kill("SIGKILL");
  await github?.close();
  dir.remove();
});

test("100 pull requests at a 20% fault rate: one completed check run each with the expected verdict, at most one comment", async () => {
  const pulls = seedPulls(github, PULLS, SEED, 1, FAILING);
  app = await startApp(github, dir.path, SHORT_REQUEST_TIMEOUT);
  github.inject({ seed: SEED, rate: 0.2, hangMs: HANG_MS, retryAfterSeconds: 1 });
  await inParallel(pulls, PULLS, (pull) => deliver(app!, "pull_request", openedEvent(pull)));
  await settle(github, pulls, { timeoutMs: 300_000, giveUpQuietMs: 20_000 });
  const result = outcome(github, pulls);
  console.log(summaryLine("fault run", result));
  if (result.right !== PULLS) console.log(`server warnings and errors:\n${troubles(app)}`);
  expect(app.alive()).toBe(true);
  expect(result.problems).toEqual([]);
  expect(result.right).toBe(PULLS);
});
