import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import { answerDeployment, callbackRun } from "../../src/github/deployment-gate.js";
import { environmentNotListed, environmentRequirement, gateAnswer, gateUnavailable } from "../../src/render/deployment.js";
import { API, guardRequests, octokit } from "../github/mock-github.js";

guardRequests();

const ENVIRONMENTS = [
  { pattern: "production", level: "gold" },
  { pattern: "staging-*", level: "bronze" },
  { pattern: "*", level: "silver" },
];
const LADDER = ["bronze", "silver", "gold"];
const SHA = "c".repeat(40);

describe("which level an environment requires", () => {
  test.each([
    ["production", "gold"],
    ["staging-eu", "bronze"],
    ["qa", "silver"],
  ])("%s requires %s (the first match decides)", (environment, level) => {
    expect(environmentRequirement(ENVIRONMENTS, environment)?.level).toBe(level);
  });

  test("an environment no entry names is not gated, and says so", () => {
    expect(environmentRequirement(ENVIRONMENTS.slice(0, 2), "qa")).toBeUndefined();
    expect(environmentNotListed("qa")).toEqual({ state: "approved", comment: 'readiness: the environment "qa" has no required level in environments: of the configuration, so it is not gated.' });
  });
});

describe("the answer", () => {
  test("a commit at the environment's level is approved, with the levels in the comment", () => {
    expect(gateAnswer("production", { pattern: "production", level: "gold" }, { sha: SHA, reached: "gold", ladder: LADDER, failing: [] })).toEqual({
      state: "approved",
      comment: "readiness: ccccccc reaches gold; production requires gold. Approved.",
    });
  });

  test("below it: rejected, naming the rules at or below the required level that block", () => {
    const answer = gateAnswer("staging-eu", { pattern: "staging-*", level: "silver" }, {
      sha: SHA,
      reached: "bronze",
      ladder: LADDER,
      failing: [{ id: "runbook", level: "silver" }, { id: "slo", level: "gold" }],
    });
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toBe("readiness: ccccccc reaches bronze; staging-eu requires silver. Blocking: runbook. Run `readiness check --branch` on this commit to see every finding.");
  });

  test("when nothing could be evaluated the deployment is rejected, never approved by default", () => {
    expect(gateUnavailable("production", "GitHub answered 502 three times")).toMatchObject({ state: "rejected" });
    expect(gateUnavailable("production", "x".repeat(5000)).comment.length).toBeLessThanOrEqual(1000);
  });
});

describe("answering GitHub", () => {
  const REPO = { owner: "acme", repo: "shop" };
  test.each([
    ["https://api.github.com/repos/acme/shop/actions/runs/4242/deployment_protection_rule", 4242],
    ["https://ghe.example/api/v3/repos/Acme/Shop/actions/runs/7/deployment_protection_rule", 7],
    ["https://api.github.com/repos/other/shop/actions/runs/4242/deployment_protection_rule", undefined],
    ["https://api.github.com/repos/acme/shop/actions/runs/4242/approve", undefined],
    ["not a url", undefined],
  ])("callback %s names run %s", (url, run) => {
    expect(callbackRun(url, REPO)).toBe(run);
  });

  test("the answer is one POST with the environment, state and comment", async () => {
    let body: unknown;
    nock(API)
      .post("/repos/acme/shop/actions/runs/4242/deployment_protection_rule", (b) => ((body = b), true))
      .reply(204);
    await answerDeployment(octokit(), REPO, 4242, { environment: "production", state: "rejected", comment: "readiness: no" });
    expect(body).toEqual({ environment_name: "production", state: "rejected", comment: "readiness: no" });
  });
});
