import { createRequire } from "node:module";
import nock from "nock";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { fetchPull, pullFromPayload } from "../../src/github/pull.js";
import type { PullRequestPayload } from "../../src/github/pull.js";
import { API, guardRequests, octokit } from "./mock-github.js";

const require = createRequire(import.meta.url);
type Example = { name: string; examples: { action?: string; pull_request?: unknown }[] };
const examples = require("@octokit/webhooks-examples") as Example[];
const example = (name: string, action: string) => {
  const found = examples.find((e) => e.name === name)?.examples.find((e) => e.action === action);
  if (!found?.pull_request) throw new Error(`no ${name}.${action} example`);
  return found.pull_request as PullRequestPayload & Record<string, unknown>;
};

guardRequests();


// The webhook payload's own type must be accepted as is (no cast in the handlers).
type WebhookPull = EmitterWebhookEvent<"pull_request.opened">["payload"]["pull_request"];
type ReviewPull = EmitterWebhookEvent<"pull_request_review.submitted">["payload"]["pull_request"];
const acceptsWebhookTypes: [(p: WebhookPull) => unknown, (p: ReviewPull) => unknown] = [pullFromPayload, pullFromPayload];
void acceptsWebhookTypes;

describe("pullFromPayload", () => {
  it("maps a real pull_request.opened payload", () => {
    const pr = example("pull_request", "opened");
    const info = pullFromPayload(pr);
    expect(info).toEqual({
      number: pr.number,
      title: pr.title,
      body: pr.body ?? "",
      author: pr.user!.login,
      draft: pr.draft,
      labels: (pr.labels ?? []).map((l) => l!.name),
      baseRef: pr.base.ref,
      baseSha: pr.base.sha,
      headRef: pr.head.ref,
      headSha: pr.head.sha,
      changedFiles: pr.changed_files,
      additions: pr.additions,
      deletions: pr.deletions,
    });
    expect([typeof info.changedFiles, typeof info.additions, typeof info.deletions]).toEqual(["number", "number", "number"]);
  });

  it("leaves GitHub's totals out when the payload has none (pull_request_review)", () => {
    const pr = example("pull_request_review", "submitted");
    expect([pr.changed_files, pr.additions, pr.deletions]).toEqual([undefined, undefined, undefined]);
    const info = pullFromPayload(pr);
    expect(["changedFiles" in info, "additions" in info, "deletions" in info]).toEqual([false, false, false]);
    expect(info.headSha).toBe(pr.head.sha);
  });

  it("keeps each total GitHub gave, zero included, and only those", () => {
    const base = { number: 7, title: "t", user: { login: "a" }, base: { ref: "main", sha: "b".repeat(40) }, head: { ref: "f", sha: "h".repeat(40) } };
    expect(pullFromPayload({ ...base, changed_files: 4200, additions: 0, deletions: 91_234 })).toMatchObject({ changedFiles: 4200, additions: 0, deletions: 91_234 });
    const partial = pullFromPayload({ ...base, additions: 12 });
    expect([partial.additions, "changedFiles" in partial, "deletions" in partial]).toEqual([12, false, false]);
  });

  it("turns a missing body into an empty string, a missing user into ghost, and keeps label names", () => {
    const info = pullFromPayload({
      number: 7,
      title: "t",
      body: null,
      user: null,
      labels: [{ name: "db" }, { name: "needs-review" }],
      base: { ref: "main", sha: "b".repeat(40) },
      head: { ref: "feature", sha: "h".repeat(40) },
    });
    expect(info).toMatchObject({ body: "", author: "ghost", draft: false, labels: ["db", "needs-review"] });
  });
});

describe("fetchPull", () => {
  it("makes exactly one GET and maps the answer", async () => {
    const pr = example("pull_request", "opened");
    const scope = nock(API).get("/repos/acme/shop/pulls/12").reply(200, pr);
    const info = await fetchPull(octokit(), { owner: "acme", repo: "shop" }, 12);
    scope.done();
    expect(info.headSha).toBe(pr.head.sha);
    expect(info.number).toBe(pr.number);
  });

  it("carries GitHub's totals for the whole pull request", async () => {
    const pr = { ...example("pull_request", "opened"), changed_files: 4200, additions: 90_000, deletions: 1234 };
    const scope = nock(API).get("/repos/acme/shop/pulls/12").reply(200, pr);
    const info = await fetchPull(octokit(), { owner: "acme", repo: "shop" }, 12);
    scope.done();
    expect(info).toMatchObject({ changedFiles: 4200, additions: 90_000, deletions: 1234 });
  });

  it("lets a 404 through to the caller", async () => {
    const scope = nock(API).get("/repos/acme/shop/pulls/99").reply(404, { message: "Not Found" });
    await expect(fetchPull(octokit(), { owner: "acme", repo: "shop" }, 99)).rejects.toMatchObject({ status: 404 });
    scope.done();
  });

  it("refuses an answer without the fields the engine needs", async () => {
    const scope = nock(API).get("/repos/acme/shop/pulls/5").reply(200, { number: 5 });
    await expect(fetchPull(octokit(), { owner: "acme", repo: "shop" }, 5)).rejects.toThrow(/unexpected shape/);
    scope.done();
  });
});
