/**
 * Deliveries that reach the app without passing the server's edge (probot.receive, a proxy):
 * a malformed payload runs no handler, makes no request and leaves one warning line.
 */
import { afterEach, expect, test } from "@jest/globals";
import { BASE_SHA, createTestApp, examplePayload, pullRequestEvent, resetNock, yaml } from "../helpers/app.js";

afterEach(() => resetNock());

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pull = (change: (p: Json) => void): Json => {
  const payload = pullRequestEvent("opened", { number: 7 });
  change(payload);
  return payload;
};

test.each([
  { label: "no installation", name: "pull_request", payload: pull((p) => delete p.installation) },
  { label: "pull_request null", name: "pull_request", payload: pull((p) => (p.pull_request = null)) },
  { label: "no head", name: "pull_request", payload: pull((p) => delete p.pull_request.head) },
  { label: "pull number 1.5", name: "pull_request", payload: pull((p) => (p.pull_request.number = 1.5)) },
  { label: "owner '..'", name: "pull_request", payload: pull((p) => (p.repository.owner.login = "..")) },
  { label: "a push with a numeric after", name: "push", payload: (() => { const p = examplePayload("push"); p.after = 5; return p; })() },
])("$label: no request, no handler error, one warning naming the delivery and the field", async ({ name, payload }) => {
  const app = await createTestApp();
  app.fake.setFile(BASE_SHA, ".readiness.yml", yaml(["rules:", "  reviews: bronze"]));
  app.fake.addPull({ number: 7 });
  await app.receive(name, payload);

  expect(app.fake.requests).toEqual([]);
  const warnings = app.logs.filter((line) => line.level >= 40);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]!.msg).toMatch(new RegExp(`^malformed ${name} delivery delivery-1 ignored: \\S`));
  expect(warnings[0]!.msg).not.toContain("\n");
});
