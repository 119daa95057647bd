/** The workflow the README promises: it runs .ci/run, and every action it uses is pinned to a commit. */
import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { repoDockerfile, runtimeStage } from "./dockerfile.js";

const repoFile = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), "utf8");

interface Step {
  readonly uses?: string;
  readonly run?: string;
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly jobs: Record<string, { readonly container?: string | { image: string }; readonly steps: readonly Step[] }>;
}

/** A `uses:` value that names one commit (or a digest, for a docker image), or a local action. */
const isPinned = (uses: string) => /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses) || /^docker:\/\/[^@]+@sha256:[0-9a-f]{64}$/.test(uses) || uses.startsWith("./");

describe("what counts as pinned", () => {
  test.each([
    ["actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", true],
    ["github/codeql-action/init@11bd71901bbe5b1630ceea73d27597364c9af683", true],
    ["./.github/actions/setup", true],
    ["actions/checkout@v4", false],
    ["actions/checkout@v4.2.2", false],
    ["actions/checkout@11bd719", false],
    ["docker://node:20", false],
  ])("%s: %s", (uses, pinned) => {
    expect(isPinned(uses)).toBe(pinned);
  });
});

describe(".github/workflows/ci.yml", () => {
  const workflow = parse(repoFile(".github/workflows/ci.yml")) as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  test("runs on every push and pull request", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
  });

  test("runs .ci/run, the script the README names", () => {
    expect(repoFile("README.md")).toContain("[`.ci/run`](.ci/run)");
    expect(steps.some((step) => /^bash \.ci\/run$/m.test(step.run ?? ""))).toBe(true);
  });

  test("every action it uses is pinned to a full commit SHA", () => {
    const uses = steps.flatMap((step) => (step.uses === undefined ? [] : [step.uses]));
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((value) => !isPinned(value))).toEqual([]);
  });

  test("runs on the Node.js image the Dockerfile builds on", () => {
    const images = Object.values(workflow.jobs).map((job) => (typeof job.container === "string" ? job.container : job.container?.image));
    expect(images).toEqual(images.map(() => runtimeStage(repoDockerfile()).from));
  });
});
