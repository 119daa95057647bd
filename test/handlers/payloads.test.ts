import { describe, expect, test } from "@jest/globals";
import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import type { ApplicationFunction, Probot } from "probot";
import { HANDLED_EVENTS, payloadProblem } from "../../src/handlers/payloads.js";
import { readinessApp } from "../../src/index.js";
import { checkRunEvent, examplePayload, pullRequestEvent, reviewEvent, statusEvent } from "../helpers/app.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const require = createRequire(import.meta.url);
const definitions = require("@octokit/webhooks-examples") as WebhookDefinition[];

describe("every payload GitHub documents for a handled event and action is accepted", () => {
  const cases = definitions
    .filter((d) => HANDLED_EVENTS.has(d.name))
    .flatMap((d) =>
      (d.examples as Json[])
        .filter((e) => {
          const actions = HANDLED_EVENTS.get(d.name)!.actions;
          return actions === undefined || actions.includes(e.action);
        })
        .map((example, i) => ({ name: d.name, label: `${d.name}${example.action ? `.${example.action}` : ""} #${i}`, example })),
    );

  test("the examples cover every handled event", () => {
    // @octokit/webhooks-examples has no deployment_protection_rule payload: it is covered below.
    expect(new Set(cases.map((c) => c.name))).toEqual(new Set([...HANDLED_EVENTS.keys()].filter((name) => name !== "deployment_protection_rule")));
  });

  // GitHub's captured examples come from user accounts without an installation; deliveries to an app carry one.
  test.each(cases)("$label", ({ name, example }) => {
    expect(payloadProblem(name, { installation: { id: 1 }, ...example })).toBeUndefined();
  });
});

const pull = (change: (p: Json) => void): Json => {
  const payload = pullRequestEvent("opened");
  change(payload);
  return payload;
};

describe("a malformed payload of a handled event is refused, naming where and what was expected", () => {
  test.each([
    { label: "no installation", name: "pull_request", payload: pull((p) => delete p.installation), problem: /^installation: expected the installation the delivery is for$/ },
    { label: "installation id 0", name: "pull_request", payload: pull((p) => (p.installation.id = 0)), problem: /^installation\.id: expected a positive whole number$/ },
    { label: "no repository", name: "pull_request", payload: pull((p) => delete p.repository), problem: /^repository: expected the repository$/ },
    { label: "owner '..'", name: "pull_request", payload: pull((p) => (p.repository.owner.login = "..")), problem: /^repository\.owner\.login: expected a GitHub account name/ },
    { label: "repository '..'", name: "pull_request", payload: pull((p) => (p.repository.name = "..")), problem: /^repository\.name: expected a repository name/ },
    { label: "repository with a slash", name: "pull_request", payload: pull((p) => (p.repository.name = "shop/../../app")), problem: /^repository\.name: / },
    { label: "pull_request null", name: "pull_request", payload: pull((p) => (p.pull_request = null)), problem: /^pull_request: expected the pull request$/ },
    { label: "no head", name: "pull_request", payload: pull((p) => delete p.pull_request.head), problem: /^pull_request\.head: / },
    { label: "numeric head sha", name: "pull_request", payload: pull((p) => (p.pull_request.head.sha = 12345)), problem: /^pull_request\.head\.sha: expected a commit sha/ },
    { label: "short base sha", name: "pull_request", payload: pull((p) => (p.pull_request.base.sha = "abc")), problem: /^pull_request\.base\.sha: expected a commit sha/ },
    { label: "pull number -1", name: "pull_request", payload: pull((p) => (p.pull_request.number = -1)), problem: /^pull_request\.number: expected a positive whole number$/ },
    { label: "pull number 1.5", name: "pull_request", payload: pull((p) => (p.pull_request.number = 1.5)), problem: /^pull_request\.number: expected a positive whole number$/ },
    { label: "pull number 2^53", name: "pull_request", payload: pull((p) => (p.pull_request.number = 2 ** 53)), problem: /^pull_request\.number: / },
    { label: "pull number as a string", name: "pull_request", payload: pull((p) => (p.pull_request.number = "7")), problem: /^pull_request\.number: / },
    { label: "base ref with '..'", name: "pull_request", payload: pull((p) => (p.pull_request.base.ref = "main/../x")), problem: /^pull_request\.base\.ref: expected a git ref name/ },
    { label: "a review without its pull request", name: "pull_request_review", payload: (() => { const p = reviewEvent("submitted", { user: "bob", state: "approved" }); delete p.pull_request; return p; })(), problem: /^pull_request: / },
    { label: "a check run with a numeric sha", name: "check_run", payload: (() => { const p = checkRunEvent("completed", { name: "ci" }); p.check_run.head_sha = 1; return p; })(), problem: /^check_run\.head_sha: / },
    { label: "a check run listing a pull request numbered -1", name: "check_run", payload: (() => { const p = checkRunEvent("completed", { name: "ci" }); p.check_run.pull_requests[0].number = -1; return p; })(), problem: /^check_run\.pull_requests\[0\]\.number: / },
    { label: "a status without a sha", name: "status", payload: (() => { const p = statusEvent("ci", "success"); delete p.sha; return p; })(), problem: /^sha: / },
    { label: "a merge group with a short base sha", name: "merge_group", payload: (() => { const p = examplePayload("merge_group", "checks_requested"); p.merge_group.base_sha = "b"; return p; })(), problem: /^merge_group\.base_sha: / },
    { label: "a push without commits", name: "push", payload: (() => { const p = examplePayload("push"); delete p.commits; return p; })(), problem: /^commits: / },
    { label: "an array", name: "push", payload: [], problem: /^\(the payload\): expected a JSON object$/ },
  ])("$label", ({ name, payload, problem }) => {
    expect(payloadProblem(name, payload)).toMatch(problem);
  });

  test("the problem never quotes the value found, and names at most three problems", () => {
    const payload = pull((p) => {
      p.pull_request.head.sha = "@someone ghp_PLANTEDSECRET";
      p.pull_request.base.sha = "@someone";
      p.repository.owner.login = "@someone";
      p.repository.name = "@someone";
      p.installation.id = "@someone";
    });
    const problem = payloadProblem("pull_request", payload)!;
    expect(problem).not.toContain("@someone");
    expect(problem).not.toContain("PLANTED");
    expect(problem).not.toContain("\n");
    expect(problem).toMatch(/; and 2 more$/);
  });
});

describe("deliveries no handler runs for are left alone", () => {
  test.each([
    { label: "another event", name: "issues", payload: { action: "opened" } },
    { label: "an action the app ignores", name: "pull_request", payload: { action: "closed", pull_request: null } },
    { label: "a check suite completing", name: "check_suite", payload: { action: "completed" } },
  ])("$label", ({ name, payload }) => {
    expect(payloadProblem(name, payload)).toBeUndefined();
  });
});

test("every event and action the app subscribes to has a schema", () => {
  const subscribed: string[] = [];
  const probot = { on: (names: string | string[]) => subscribed.push(...[names].flat()), auth: async () => undefined };
  readinessApp({ checkName: "readiness", fingerprintKey: "k" })(probot as unknown as Probot, {} as Parameters<ApplicationFunction>[1]);
  expect(subscribed.length).toBeGreaterThan(0);
  const missing = subscribed.filter((key) => {
    const [name, action] = key.split(".") as [string, string | undefined];
    const handled = HANDLED_EVENTS.get(name);
    return !handled || (action === undefined ? handled.actions !== undefined : !(handled.actions ?? []).includes(action));
  });
  expect(missing).toEqual([]);
});

/** The fields of a deployment_protection_rule delivery, as GitHub's webhook reference lists them. */
const deploymentRequest = (change: (p: Json) => void = () => undefined): Json => {
  const payload: Json = {
    action: "requested",
    environment: "production",
    event: "push",
    deployment_callback_url: "https://api.github.com/repos/acme/shop/actions/runs/7/deployment_protection_rule",
    deployment: { id: 1, sha: "d".repeat(40), ref: "main", environment: "production" },
    repository: { id: 1, name: "shop", owner: { login: "acme" } },
    installation: { id: 1 },
  };
  change(payload);
  return payload;
};

describe("deployment_protection_rule.requested", () => {
  test("a well-formed request is accepted (an Enterprise Server callback under /api/v3 too)", () => {
    expect(payloadProblem("deployment_protection_rule", deploymentRequest())).toBeUndefined();
    const enterprise = deploymentRequest((p) => (p.deployment_callback_url = "https://ghe.example/api/v3/repos/acme/shop/actions/runs/7/deployment_protection_rule"));
    expect(payloadProblem("deployment_protection_rule", enterprise)).toBeUndefined();
  });

  test.each([
    { label: "no environment", payload: deploymentRequest((p) => delete p.environment), problem: /^environment: expected an environment name/ },
    { label: "a control character in the environment", payload: deploymentRequest((p) => (p.environment = "prod\nx")), problem: /^environment: / },
    { label: "a callback that is not a protection-rule endpoint", payload: deploymentRequest((p) => (p.deployment_callback_url = "https://evil.example/collect")), problem: /^deployment_callback_url: expected GitHub's callback URL/ },
    { label: "a plain-http callback", payload: deploymentRequest((p) => (p.deployment_callback_url = "http://api.github.com/repos/acme/shop/actions/runs/7/deployment_protection_rule")), problem: /^deployment_callback_url: / },
    { label: "a short deployment sha", payload: deploymentRequest((p) => (p.deployment.sha = "abc")), problem: /^deployment\.sha: expected a commit sha/ },
    { label: "no deployment", payload: deploymentRequest((p) => delete p.deployment), problem: /^deployment: expected the deployment$/ },
  ])("$label is refused", ({ payload, problem }) => {
    expect(payloadProblem("deployment_protection_rule", payload)).toMatch(problem);
  });
});
