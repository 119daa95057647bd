import { afterEach, expect, test } from "@jest/globals";
import { BASE_SHA, HEAD_SHA, createTestApp, pullRequestEvent, resetNock, yaml } from "../helpers/app.js";

afterEach(() => resetNock());

// The repository requires silver (one approval); the payments component only bronze.
const MONOREPO_CONFIG = yaml([
  "level: silver",
  "rules:",
  "  reviews:",
  "    level: silver",
  "    approvals: 1",
  "components:",
  "  payments:",
  '    paths: ["services/payments/**"]',
  "    level: bronze",
]);

test("a pull request touching one component is judged at that component's level, with its own section in the check run", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", MONOREPO_CONFIG);
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, [{ filename: "services/payments/charge.ts" }]);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 1 }));

  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  // Without its component the missing approval would block (silver required): bronze asks less.
  expect(run!.conclusion).not.toBe("failure");
  expect(run!.output.summary).toContain("**Components**");
  expect(run!.output.summary).toContain("| payments | `services/payments/**` · 1 changed file | bronze reached · bronze required | ✅ ready (advisory rules open) |");
  expect(run!.output.summary).toContain("Every changed file is in a component");
  expect(run!.output.summary).toMatch(/\| payments › reviews \| silver \| advisory \|/);
  expect(app.fake.unmatched).toEqual([]);
});

test("a pull request touching a component and other files is judged by both; the worst decides", async () => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", MONOREPO_CONFIG);
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, [{ filename: "services/payments/charge.ts" }, { filename: "src/cart.ts" }]);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 2 }));

  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run!.conclusion).toBe("failure");
  expect(run!.output.title).toBe("Blocked: 1 rule fails (reviews)");
  expect(run!.output.summary).toContain("| (repository) | files in no component · 1 changed file | bronze reached · silver required | ❌ blocked |");
  expect(run!.output.summary).toContain("| payments |");
  const comment = app.fake.ownComments(7)[0]!.body;
  expect(comment).toContain("**Components**");
});
