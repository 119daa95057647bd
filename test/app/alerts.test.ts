/**
 * Alerts through the app: pushes to the default branch that lower its standing open one issue in
 * the repository, a further change edits it, recovery closes it, and `alerts: off` writes nothing.
 */
import { afterEach, expect, test } from "@jest/globals";
import { createTestApp, examplePayload, resetNock, yaml } from "../helpers/app.js";

afterEach(() => resetNock());

const RUNBOOK = yaml(["# Runbook", "## Alerts", "page the on-call", "## Escalation", "call the lead", "## Rollback", "revert the deploy"]);

function pushEvent(after: string) {
  const payload = examplePayload("push", undefined, (e) => Array.isArray(e.commits) && e.commits.length > 0);
  payload.ref = "refs/heads/main";
  payload.after = after;
  payload.deleted = false;
  payload.repository.default_branch = "main";
  payload.repository.name = "shop";
  payload.repository.full_name = "acme/shop";
  payload.commits = [{ ...payload.commits[0], id: after, added: [], modified: ["docs/runbook.md"], removed: [] }];
  return payload;
}

type App = Awaited<ReturnType<typeof createTestApp>>;

/** The commit `sha` of acme/shop: README always, the runbook when `runbook`, the configuration given. */
function commit(app: App, sha: string, config: string[], files: { readme?: boolean; runbook?: boolean }): void {
  app.fake.setFile(sha, ".readiness.yml", yaml(config));
  app.fake.setFile(sha, ".github/CODEOWNERS", "* @acme/platform @lead\n");
  if (files.readme !== false) app.fake.setFile(sha, "README.md", "# shop\n");
  if (files.runbook) app.fake.setFile(sha, "docs/runbook.md", RUNBOOK);
}

async function pushTo(app: App, sha: string): Promise<void> {
  app.fake.branches.set("main", sha);
  await app.receive("push", pushEvent(sha));
}

const HELD = ["level: silver", "alerts:", "  assign: codeowners", "rules:", "  file-exists:", "    level: bronze", "    paths: [README.md]", "  runbook: silver"];
const [A, B, C, D] = ["a", "b", "c", "d"].map((c) => c.repeat(40)) as [string, string, string, string];

test("a drop opens one issue, a further drop edits it, the level back closes it with a comment", async () => {
  const app = await createTestApp();
  commit(app, A, HELD, { runbook: true });
  commit(app, B, HELD, { runbook: false });
  commit(app, C, HELD, { runbook: false, readme: false });
  commit(app, D, HELD, { runbook: true });

  await pushTo(app, A);
  expect(app.fake.openedIssues.size).toBe(0);

  await pushTo(app, B);
  expect(app.fake.openedIssues.size).toBe(1);
  const [[number, issue]] = [...app.fake.openedIssues.entries()] as [[number, { title: string; body: string; state: string; labels: string[]; assignees: string[] }]];
  expect(issue.title).toBe("Readiness dropped: gold → bronze");
  expect(issue.body).toContain("| runbook | silver |");
  expect(issue.body).toContain(`commit [\`${B.slice(0, 7)}\`]`);
  expect(issue.body).toContain("Owners: @acme/platform @lead");
  expect(issue.labels).toEqual(["readiness"]);
  expect(issue.assignees).toEqual(["lead"]);

  await pushTo(app, C);
  expect(app.fake.openedIssues.size).toBe(1);
  expect(app.fake.openedIssues.get(number)!.title).toBe("Readiness dropped: gold → none");
  expect(app.fake.openedIssues.get(number)!.body).toContain("| file-exists | bronze |");

  await pushTo(app, D);
  expect(app.fake.openedIssues.size).toBe(1);
  expect(app.fake.openedIssues.get(number)!.state).toBe("closed");
  expect(app.fake.comments.get(number)?.map((c) => c.body).join("\n")).toContain("Readiness is back: **gold** reached");
  expect(app.fake.unmatched).toEqual([]);
});

test("alerts: off never touches issues", async () => {
  const app = await createTestApp();
  const silenced = [...HELD, "alerts: off"].filter((line, i, all) => !(line.startsWith("alerts:") && i < all.length - 1) && line !== "  assign: codeowners");
  commit(app, A, silenced, { runbook: true });
  commit(app, B, silenced, { runbook: false });
  await pushTo(app, A);
  await pushTo(app, B);
  expect(app.fake.openedIssues.size).toBe(0);
  expect(app.fake.apiCalls().filter((call) => call.includes("/issues"))).toEqual([]);
});
