import { describe, expect, test } from "@jest/globals";
import { resolveConfigText } from "../../src/config/load.js";
import type { ConfigFileReader, ConfigLoadResult, ConfigOrigin } from "../../src/config/types.js";
import { evaluate, onDate } from "../../src/engine/evaluate.js";
import type { ResolvedConfig } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { renderCheckRun } from "../../src/render/check-run.js";
import { renderText } from "../../src/render/text.js";
import { toJsonReport } from "../../src/render/json.js";
import { registry } from "../../rules/index.js";

const origin: ConfigOrigin = { repository: "acme/shop", path: ".readiness.yml", ref: "main" };

function readerOf(org: Record<string, string> = {}): ConfigFileReader {
  return {
    async read(place, path) {
      if (place === "repo") return null;
      const content = org[path];
      return content === undefined ? null : { content, origin: { repository: "acme/.github", path, ref: "main" } };
    },
  };
}

const resolve = (text: string, org: Record<string, string> = {}) => resolveConfigText(text, origin, readerOf(org), registry);

function ok(result: ConfigLoadResult) {
  if (result.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}
function invalid(result: ConfigLoadResult) {
  if (result.kind !== "invalid") throw new Error(`expected invalid, got ${JSON.stringify(result)}`);
  return result.errors.map((e) => `${e.line}:${e.column} ${e.keyPath}: ${e.message}`);
}

const DATED = 'level:\n  required: silver\n  from: "2027-03-01"\n  until-then: bronze\nrules:\n  file-exists:\n    level: bronze\n    paths: [README.md]\n  runbook: silver\n';

describe("dated targets", () => {
  test("resolved without a clock: bronze required, silver targeted from the day", async () => {
    const { config } = ok(await resolve(DATED));
    expect(config.required).toBe("bronze");
    expect(config.target).toEqual({ level: "silver", from: "2027-03-01" });
  });

  test.each([
    ["the day before", "2027-02-28T23:59:59Z", "bronze", 1],
    ["91 days before", "2026-11-30T08:00:00Z", "bronze", 91],
    ["on the day", "2027-03-01T00:00:00Z", "silver", undefined],
    ["after the day", "2027-06-01T12:00:00Z", "silver", undefined],
  ])("%s: %s requires %s", async (_name, now, required, daysLeft) => {
    const { config } = ok(await resolve(DATED));
    const today = onDate(config, now);
    expect(today.required).toBe(required);
    expect(today.upcoming?.daysLeft).toBe(daysLeft);
  });

  test("without until-then the lowest level is required until the day", async () => {
    const { config } = ok(await resolve('level: { required: gold, from: "2027-03-01" }\n'));
    expect(config.required).toBe("bronze");
  });

  test("a later plain level replaces an extended dated target, and a dated target replaces an extended plain level", async () => {
    const baseline = { ".readiness.yml": 'level: { required: silver, from: "2027-03-01", until-then: bronze }\n' };
    const plain = ok(await resolve("extends: acme/.github\nlevel: gold\n", baseline)).config;
    expect(plain).toMatchObject({ required: "gold" });
    expect(plain.target).toBeUndefined();
    const dated = ok(await resolve("extends: acme/.github\n", baseline)).config;
    expect(dated.target).toEqual({ level: "silver", from: "2027-03-01" });
  });

  test.each([
    ['level: { required: platinum, from: "2027-03-01" }\n', 'unknown level "platinum"'],
    ['level: { required: silver, from: "2027-03-01", until-then: gold }\n', 'the dated target "silver" is not above the level required until then ("gold")'],
    ['level: { required: bronze, from: "2027-03-01" }\n', "is not above"],
    ['level: { required: silver, from: "March 2027" }\n', 'a date is written "YYYY-MM-DD"'],
    ['level: { required: silver, from: "2027-02-30" }\n', "not a calendar date"],
    ['level: { required: silver, from: "2027-03-01", until: bronze }\n', 'unknown key "until"'],
  ])("%s is refused: %s", async (text, message) => {
    const errors = invalid(await resolve(text));
    expect(errors.join("\n")).toContain(message);
    expect(errors[0]).toMatch(/^1:\d+ level/);
  });
});

describe("progress toward an upcoming target", () => {
  const files = (present: string[]) => ({
    ...makeFacts(),
    trees: { base: { known: true as const, value: present }, head: { known: true as const, value: present } },
    contents: new Map([
      ["head:docs/runbook.md", { known: true as const, value: present.includes("docs/runbook.md") ? "# Runbook\n## Alerts\nPage the on-call.\n## Escalation\nCall the lead.\n## Rollback\nRevert the deploy.\n" : null }],
    ]),
  });

  async function evaluatedOn(now: string, present: string[]) {
    const { config } = ok(await resolve(DATED));
    const today: ResolvedConfig = onDate(config, now);
    return evaluate(today, files(present), registry);
  }

  test("before the day: advisory, the check run says when and what is missing", async () => {
    const evaluation = await evaluatedOn("2026-11-30T08:00:00Z", ["README.md"]);
    expect(evaluation.level.required).toBe("bronze");
    expect(evaluation.level.target).toMatchObject({ level: "silver", from: "2027-03-01", daysLeft: 91, met: false });
    expect(evaluation.level.target?.missing).toContain("runbook");
    const run = renderCheckRun(evaluation, {});
    expect(run.summary).toContain("silver is required from 1 March 2027 (in 91 days): missing runbook");
    expect(renderText(evaluation)).toContain("Upcoming: silver is required from 1 March 2027 (in 91 days): missing runbook.");
    expect(toJsonReport(evaluation).level.target).toEqual({ level: "silver", from: "2027-03-01", daysLeft: 91, met: false, missing: ["runbook"] });
  });

  test("on the day: required, no longer announced as upcoming", async () => {
    const evaluation = await evaluatedOn("2027-03-01T00:00:00Z", ["README.md"]);
    expect(evaluation.level.required).toBe("silver");
    expect(evaluation.level.target).toBeUndefined();
    expect(evaluation.conclusion).toBe("failure");
    expect(renderCheckRun(evaluation, {}).summary).not.toContain("Upcoming");
  });

  test("a repository that already reaches the target is told so", async () => {
    const evaluation = await evaluatedOn("2027-02-28T10:00:00Z", ["README.md", "docs/runbook.md"]);
    expect(evaluation.rules.map((r) => [r.id, r.status, r.reason])).toEqual([["file-exists", "pass", expect.anything()], ["runbook", "pass", expect.anything()]]);
    expect(evaluation.level.target).toMatchObject({ met: true, missing: [], daysLeft: 1 });
    expect(renderCheckRun(evaluation, {}).summary).toContain("silver is required from 1 March 2027 (in 1 day): already reached.");
  });
});

describe("environments and alerts", () => {
  test("environments resolve in file order, merged by name across extends; alerts default on when a level is set", async () => {
    const result = ok(await resolve('extends: acme/.github\nenvironments:\n  production: gold\n  "staging-*": bronze\n', { ".readiness.yml": "level: silver\nenvironments:\n  production: silver\n  qa: bronze\n" }));
    expect(result.settings.environments).toEqual([
      { pattern: "production", level: "gold" },
      { pattern: "qa", level: "bronze" },
      { pattern: "staging-*", level: "bronze" },
    ]);
    expect(result.settings.alerts).toEqual({ enabled: true, issue: true, labels: ["readiness"], mention: "codeowners", assign: "none", announceRises: false });
  });

  test("no level set anywhere: alerts stay off unless asked for; `alerts: off` silences", async () => {
    expect(ok(await resolve("rules:\n  runbook: silver\n")).settings.alerts.enabled).toBe(false);
    expect(ok(await resolve("alerts: { labels: [ops] }\n")).settings.alerts).toMatchObject({ enabled: true, labels: ["ops"] });
    expect(ok(await resolve("level: silver\nalerts: off\n")).settings.alerts.enabled).toBe(false);
  });

  test("a repository overrides the baseline's alert fields one by one", async () => {
    const result = ok(await resolve("extends: acme/.github\nalerts:\n  assign: [\"@lead\"]\n  announce-rises: true\n", { ".readiness.yml": "level: silver\nalerts:\n  labels: [readiness, sre]\n  chat: { webhook-env: READINESS_CHAT_WEBHOOK_SRE }\n" }));
    expect(result.settings.alerts).toEqual({
      enabled: true,
      issue: true,
      labels: ["readiness", "sre"],
      mention: "codeowners",
      assign: ["@lead"],
      announceRises: true,
      chatWebhookEnv: "READINESS_CHAT_WEBHOOK_SRE",
    });
  });

  test.each([
    ["environments:\n  production: platinum\n", 'unknown level "platinum"', "2:3 environments.production"],
    ["alerts:\n  chat: { webhook-env: https://hooks.example/abc }\n", "an environment variable name in capitals", "2:11 alerts.chat.webhook-env"],
    ["alerts:\n  mention: [not a login]\n", "a GitHub login (@user) or team (@org/team)", "2:13 alerts.mention[0]"],
    ["alerts: on\n", 'expected "off" or a mapping with issue, labels', "1:1 alerts"],
  ])("%s is refused", async (text, message, where) => {
    const errors = invalid(await resolve(text));
    expect(errors.join("\n")).toContain(message);
    expect(errors.join("\n")).toContain(where);
  });
});
