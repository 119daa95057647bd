/**
 * A pull request that adds credentials, end to end through the app: what the bot writes to
 * GitHub (check run, annotations, comment) and what it logs name the secrets' rule, place and a
 * masked preview, never the secrets themselves.
 */
import { afterEach, expect, test } from "@jest/globals";
import { B62, checksummed, pick } from "../secrets/samples.js";
import { BASE_SHA, HEAD_SHA, createTestApp, pullRequestEvent, resetNock, yaml } from "../helpers/app.js";

afterEach(() => resetNock());

test("secrets added in a pull request never reach the check run, its annotations, the comment or the log", async () => {
  const token = checksummed("ghp_");
  const unpatchedToken = checksummed("ghp_");
  const password = pick(B62, 18);
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["comment: always", "rules:", "  secrets: bronze"]));
  app.fake.addPull({ number: 7 });
  app.fake.setPullFiles(7, [
    { filename: "src/client.ts", status: "added", patch: `@@ -0,0 +1,2 @@\n+import x from "y";\n+export const auth = "${token}"; // primary key` },
    { filename: "deploy/.env", status: "added", patch: `@@ -0,0 +1 @@\n+DB_PASSWORD=${password}` },
    // GitHub sends no patch for large diffs: the head content is read and scanned instead.
    { filename: "config/settings.yml", status: "added", additions: 4000, patch: undefined },
  ]);
  app.fake.setFile(HEAD_SHA, "config/settings.yml", `${"padding: true\n".repeat(3)}token: ${unpatchedToken}\n`);

  await app.receive("pull_request", pullRequestEvent("opened", { number: 7, changedFiles: 3 }));

  const [run] = app.fake.ownCheckRuns(HEAD_SHA);
  expect(run).toEqual(expect.objectContaining({ conclusion: "failure" }));
  expect(run!.annotations.map((a) => `${a.path}:${a.start_line}`).sort()).toEqual(["config/settings.yml:4", "deploy/.env:1", "src/client.ts:2"]);
  const [comment] = app.fake.ownComments(7);
  expect(comment!.body).toContain("(ghp\\_…)");

  const everything = JSON.stringify({ writes: app.fake.writes(), runs: app.fake.checkRuns, comments: [...app.fake.comments.values()], logs: app.logs });
  for (const secret of [token, unpatchedToken, password]) {
    // Any part longer than the four characters a preview may show would be a leak.
    for (let start = 0; start + 5 <= secret.length; start++) expect(everything).not.toContain(secret.slice(start, start + 5));
  }
  expect(everything).not.toContain("primary key");
});
