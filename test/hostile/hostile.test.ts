/**
 * Issue 15's hostile suite: each case in ./cases against one real server, one after another, each
 * held to its expected outcome and to the suite's invariants (see ./harness.ts). The last test
 * prints what the suite measured.
 */
import { afterAll, beforeAll, expect, jest, test } from "@jest/globals";
import { HOSTILE_CASES } from "./cases/index.js";
import { EVALUATION_BUDGET_MS, HostileBot } from "./harness.js";
import type { CaseReport } from "./harness.js";

jest.setTimeout(120_000);

let bot: HostileBot;
const reports: CaseReport[] = [];

beforeAll(async () => {
  bot = await HostileBot.start({ env: { READINESS_EVALUATION_BUDGET_MS: String(EVALUATION_BUDGET_MS) } });
}, 150_000);

afterAll(async () => {
  await bot?.stop();
});

test.each(HOSTILE_CASES.map((c) => ({ name: c.name, hostile: c })))("$name", async ({ hostile }) => {
  reports.push(await bot.run(hostile));
});

test("the suite ran every case", () => {
  expect(reports.map((r) => r.name)).toEqual(HOSTILE_CASES.map((c) => c.name));
  const slowest = Math.max(...reports.map((r) => r.slowestPingMs));
  const peak = Math.max(...reports.map((r) => r.rssPeakMb));
  // Requests of the cases that run exactly one evaluation: the others' counts are not per evaluation.
  const mostRequests = Math.max(0, ...reports.filter((r) => r.evaluations === 1).map((r) => r.requests));
  const lines = reports.map((r) => `  ${r.name}: ${r.statuses.join("/")}; /ping ≤ ${r.slowestPingMs} ms; RSS ${r.rssBeforeMb} → ${r.rssPeakMb} MB; ${r.requests} requests`);
  // The longest /ping is the stall measure: the harness polls it every 100 ms throughout each case.
  process.stdout.write(`${lines.join("\n")}\nhostile: ${reports.length} cases, longest /ping ${slowest} ms, peak RSS ${peak} MB, most requests in one evaluation ${mostRequests}\n`);
});
