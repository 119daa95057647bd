/** app.yml subscribes to exactly the events the app handles, with exactly the permissions it uses. */
import { expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { Probot } from "probot";
import { readinessApp } from "../../src/index.js";

const manifest = parse(readFileSync(fileURLToPath(new URL("../../app.yml", import.meta.url)), "utf8")) as {
  default_events: string[];
  default_permissions: Record<string, string>;
};

function handledEvents(): string[] {
  const names: string[] = [];
  const recorder = {
    on: (name: string | string[]) => names.push(...(Array.isArray(name) ? name : [name])),
    auth: async () => {
      throw new Error("not in this test");
    },
  };
  void readinessApp({ checkName: "readiness", fingerprintKey: "k" })(recorder as unknown as Probot, { cwd: process.cwd(), addHandler: () => undefined });
  return names;
}

test("the events app.yml subscribes to are exactly those the app handles", () => {
  const handled = handledEvents();
  expect(handled.sort()).toEqual(
    [
      ...["opened", "reopened", "synchronize", "edited", "ready_for_review", "labeled", "unlabeled"].map((a) => `pull_request.${a}`),
      ...["submitted", "edited", "dismissed"].map((a) => `pull_request_review.${a}`),
      "check_run.completed",
      "check_run.rerequested",
      "check_suite.rerequested",
      "status",
      "merge_group.checks_requested",
      "push",
      "issue_comment.created",
      "installation.created",
      "installation_repositories.added",
      "deployment_protection_rule.requested",
    ].sort(),
  );
  // GitHub delivers installation events to every app: they are not subscribed to in the manifest.
  const deliveredToEveryApp = new Set(["installation", "installation_repositories"]);
  expect([...manifest.default_events].sort()).toEqual([...new Set(handled.map((name) => name.split(".")[0]!))].filter((name) => !deliveredToEveryApp.has(name)).sort());
});

test("permissions: write only for check runs, the comment, answers to commands and deployment answers, read for the rest", () => {
  expect(manifest.default_permissions).toEqual({
    checks: "write",
    pull_requests: "write",
    issues: "write",
    contents: "read",
    statuses: "read",
    members: "read",
    merge_queues: "read",
    metadata: "read",
    vulnerability_alerts: "read",
    security_events: "read",
    secret_scanning_alerts: "read",
    // The deployment gate, as GitHub's guide to custom protection rules asks.
    deployments: "write",
    actions: "read",
  });
});
