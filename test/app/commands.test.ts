import { afterEach, expect, test } from "@jest/globals";
import { BASE_SHA, HEAD_SHA, createTestApp, examplePayload, pullRequestEvent, resetNock, yaml } from "../helpers/app.js";
import type { TestApp } from "../helpers/app.js";

afterEach(() => resetNock());

const CONFIG = yaml([
  "level: silver",
  "waivers:",
  "  allowed: [lead, acme/sre]",
  "  not-waivable: [secrets]",
  "attestations:",
  "  dr-drill:",
  "    description: Disaster-recovery plan exercised end to end",
  "    by: [acme/sre]",
  "    every: 180d",
  "    level: gold",
  "rules:",
  "  reviews:",
  "    level: bronze",
  "    approvals: 1",
  "  secrets: bronze",
]);

let commentIds = 5000;

function commentEvent(body: string, options: { author?: string; type?: string; action?: string; issue?: number; onPull?: boolean } = {}) {
  const payload = examplePayload("issue_comment", "created");
  payload.action = options.action ?? "created";
  payload.repository.default_branch = "main";
  payload.issue.number = options.issue ?? 7;
  payload.issue.pull_request = options.onPull === false ? undefined : { url: "", html_url: "" };
  if (options.onPull === false) delete payload.issue.pull_request;
  payload.comment.id = ++commentIds;
  payload.comment.body = body;
  payload.comment.html_url = `https://github.com/acme/shop/pull/${payload.issue.number}#issuecomment-${commentIds}`;
  payload.comment.user = { ...payload.comment.user, login: options.author ?? "lead", type: options.type ?? "User" };
  return payload;
}

let clock = new Date("2026-03-01T10:00:00Z");

async function appWithPull(): Promise<TestApp> {
  clock = new Date("2026-03-01T10:00:00Z");
  const app = await createTestApp({}, undefined, { now: () => clock });
  app.fake.setFile(BASE_SHA, ".readiness.yml", CONFIG);
  app.fake.addPull({ number: 7 });
  app.fake.branches.set("main", BASE_SHA);
  app.fake.teams.set("acme/sre", ["sre-sam"]);
  await app.receive("pull_request", pullRequestEvent("opened", { number: 7 }));
  app.fake.clearRequests();
  return app;
}

const run = (app: TestApp) => app.fake.ownCheckRuns(HEAD_SHA).at(-1)!;
const replies = (app: TestApp, number = 7) => (app.fake.comments.get(number) ?? []).filter((c) => !c.body.includes("readiness-bot:sticky")).map((c) => c.body);

test("an allowed person waives a rule: +1 reaction, the decision on record, the check run shows who, why and until when", async () => {
  const app = await appWithPull();
  expect(run(app).conclusion).toBe("failure");
  await app.receive("issue_comment", commentEvent("/readiness waive reviews --for 3d hotfix for INC-12"));

  expect(app.fake.reactions).toEqual([{ commentId: commentIds, content: "+1" }]);
  expect(replies(app)).toEqual([]);
  const [entry] = await app.service.store.listDecisions({ owner: "acme", repo: "shop" });
  expect(entry).toMatchObject({ kind: "waive", target: "reviews", actor: "lead", reason: "hotfix for INC-12", pullNumber: 7, sha: HEAD_SHA, expiresAt: "2026-03-04T10:00:00.000Z", commentUrl: expect.stringContaining("issuecomment-") });
  expect(run(app).output.summary).toMatch(/waived by `@lead`: hotfix for INC-12 \(expires 2026-03-04 10:00 UTC\)/);
  const sticky = app.fake.ownComments(7).find((c) => c.body.includes("readiness-bot:sticky"))!;
  expect(sticky.body).toMatch(/🏳️ \*\*reviews\*\* \(bronze\) — waived by .@lead.: hotfix for INC-12/);
});

test("a member of an allowed team may waive; anyone else is refused with who may", async () => {
  const app = await appWithPull();
  await app.receive("issue_comment", commentEvent("/readiness waive reviews pairing reviewed it", { author: "mallory" }));
  expect(app.fake.reactions).toEqual([]);
  expect(replies(app)).toEqual([expect.stringMatching(/^@mallory you may not waive rules here\. Who may: @lead, members of @acme\/sre or people with admin permission/)]);
  expect(await app.service.store.listDecisions({ owner: "acme", repo: "shop" })).toEqual([]);

  await app.receive("issue_comment", commentEvent("/readiness waive reviews pairing reviewed it", { author: "sre-sam" }));
  expect(app.fake.reactions).toHaveLength(1);
});

test("repository admins may waive by default permission", async () => {
  const app = await appWithPull();
  app.fake.permissions.set("root", "admin");
  app.fake.permissions.set("dev", "write");
  await app.receive("issue_comment", commentEvent("/readiness waive reviews release train", { author: "dev" }));
  await app.receive("issue_comment", commentEvent("/readiness waive reviews release train", { author: "root" }));
  expect(app.fake.reactions.map((r) => r.content)).toEqual(["+1"]);
  expect(replies(app)).toHaveLength(1);
});

test("a not-waivable rule, an unknown rule and a missing reason are refused with a reason", async () => {
  const app = await appWithPull();
  await app.receive("issue_comment", commentEvent("/readiness waive secrets it is a test key"));
  await app.receive("issue_comment", commentEvent("/readiness waive reveiws typo"));
  await app.receive("issue_comment", commentEvent("/readiness waive reviews"));
  expect(replies(app)).toEqual([
    expect.stringContaining("the rule secrets cannot be waived: .readiness.yml lists it under `waivers: not-waivable`".replace(".readiness", "acme/shop:.readiness")),
    expect.stringContaining('"reveiws" is not a rule enabled in this repository\'s configuration. Did you mean "reviews"?'),
    expect.stringContaining("a reason is required"),
  ]);
  expect(await app.service.store.listDecisions({ owner: "acme", repo: "shop" })).toEqual([]);
});

test("an expired waiver no longer applies and says so", async () => {
  const app = await appWithPull();
  await app.receive("issue_comment", commentEvent("/readiness waive reviews --for 1d hotfix"));
  expect(run(app).conclusion).toBe("neutral");
  clock = new Date("2026-03-02T10:00:01Z");
  await app.receive("issue_comment", commentEvent("/readiness recheck", { author: "alice" }));
  expect(app.fake.reactions.at(-1)!.content).toBe("rocket");
  expect(run(app).conclusion).toBe("failure");
  expect(run(app).output.summary).toContain("no longer applies: expired 2026-03-02 10:00 UTC");
});

test("--until-push: a new head commit revokes the waiver", async () => {
  const app = await appWithPull();
  await app.receive("issue_comment", commentEvent("/readiness waive reviews --until-push reviewed in person"));
  expect(run(app).conclusion).toBe("neutral");
  const newHead = "c".repeat(40);
  app.fake.addPull({ number: 7, headSha: newHead });
  await app.receive("pull_request", pullRequestEvent("synchronize", { number: 7, headSha: newHead }));
  const latest = app.fake.ownCheckRuns(newHead).at(-1)!;
  expect(latest.conclusion).toBe("failure");
  expect(latest.output.summary).toContain("revoked by a push");
});

test("unwaive takes a waiver back; unwaiving what is not waived is refused", async () => {
  const app = await appWithPull();
  await app.receive("issue_comment", commentEvent("/readiness unwaive reviews"));
  expect(replies(app)).toEqual([expect.stringContaining("the rule reviews is not waived on this pull request")]);
  await app.receive("issue_comment", commentEvent("/readiness waive reviews hotfix"));
  expect(run(app).conclusion).toBe("neutral");
  await app.receive("issue_comment", commentEvent("/readiness unwaive reviews"));
  expect(run(app).conclusion).toBe("failure");
  expect((await app.service.store.listDecisions({ owner: "acme", repo: "shop" })).map((d) => d.kind)).toEqual(["waive", "unwaive"]);
});

test("edited comments, bot comments, quoted and fenced commands cost no request", async () => {
  const app = await appWithPull();
  await app.receive("issue_comment", commentEvent("/readiness waive reviews hotfix", { action: "edited" }));
  await app.receive("issue_comment", commentEvent("/readiness waive reviews hotfix", { author: "helper[bot]", type: "Bot" }));
  await app.receive("issue_comment", commentEvent("> /readiness waive reviews hotfix\nquoting the lead"));
  await app.receive("issue_comment", commentEvent("Try this:\n```\n/readiness waive reviews hotfix\n```"));
  await app.receive("issue_comment", commentEvent("just a comment"));
  expect(app.fake.requests).toEqual([]);
});

test("an unknown command gets a did-you-mean", async () => {
  const app = await appWithPull();
  await app.receive("issue_comment", commentEvent("/readiness wave reviews hotfix"));
  expect(replies(app)).toEqual([expect.stringContaining("unknown command \"wave\". Did you mean `/readiness waive`?")]);
});

test("attestations: on an issue, by an allowed team member; the item passes, then expires with who attested last", async () => {
  const app = await appWithPull();
  expect(run(app).output.summary).toContain("attestation:dr-drill");
  app.fake.issues.add(40);
  await app.receive("issue_comment", commentEvent("/readiness attest dr-dril https://wiki/drill", { author: "sre-sam", issue: 40, onPull: false }));
  expect(replies(app, 40)).toEqual([expect.stringContaining('Did you mean "dr-drill"?')]);
  await app.receive("issue_comment", commentEvent("/readiness attest dr-drill https://wiki/drill", { author: "alice", issue: 40, onPull: false }));
  expect(replies(app, 40)[1]).toMatch(/you may not attest dr-drill\. Who may: members of @acme\/sre or people with admin permission/);
  await app.receive("issue_comment", commentEvent("/readiness attest dr-drill https://wiki/drill", { author: "sre-sam", issue: 40, onPull: false }));
  expect(app.fake.reactions).toEqual([{ commentId: commentIds, content: "+1" }]);

  app.fake.addReview(7, "reviewer", "APPROVED");
  await app.receive("issue_comment", commentEvent("/readiness recheck", { author: "alice" }));
  expect(run(app).output.title).toMatch(/gold/);
  expect(run(app).output.summary).toContain("last attested by `@sre-sam` on 2026-03-01 10:00 UTC (https://wiki/drill); valid until 2026-08-28 10:00 UTC");

  clock = new Date("2026-09-01T00:00:00Z");
  await app.receive("issue_comment", commentEvent("/readiness recheck", { author: "alice" }));
  expect(run(app).output.summary).toContain("**Level:** silver reached");
  expect(run(app).output.summary).toContain("the attestation expired on 2026-08-28 10:00 UTC (every 180d); last attested by `@sre-sam`");
});

test("waive on an issue is refused: waivers belong to pull requests", async () => {
  const app = await appWithPull();
  app.fake.issues.add(41);
  await app.receive("issue_comment", commentEvent("/readiness waive reviews hotfix", { issue: 41, onPull: false }));
  expect(replies(app, 41)).toEqual([expect.stringContaining("works on pull requests only")]);
});
