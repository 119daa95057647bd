/** What the image does that no test can see by running it here (there is no Docker): read it. */
import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseDockerfile, repoDockerfile, runtimeStage } from "./dockerfile.js";

/** A base image that cannot change under the same Dockerfile: a digest, or an exact x.y.z release. */
const isPinned = (image: string) => /@sha256:[0-9a-f]{64}$/.test(image) || /^[^:@]+:\d+\.\d+\.\d+(?:-[a-z0-9.-]+)?$/.test(image);
/**
 * Pinned by digest and still readable: an exact x.y.z release tag (which Node.js it is, for a
 * person and for an update tool) and the index digest (what is pulled, the same on every platform).
 */
const isDigestPinned = (image: string) => /^[^:@\s]+:\d+\.\d+\.\d+(?:-[a-z0-9.-]+)?@sha256:[0-9a-f]{64}$/.test(image);

describe("the Dockerfile reader", () => {
  test.each([
    ["ENV HOST=0.0.0.0 PORT=3000", [["HOST", "0.0.0.0"], ["PORT", "3000"]]],
    ['ENV A="x y" B=z', [["A", "x y"], ["B", "z"]]],
    ["ENV HOST 0.0.0.0", [["HOST", "0.0.0.0"]]],
    ["ENV A=1 \\\n  B=2", [["A", "1"], ["B", "2"]]],
  ])("%j", (line, pairs) => {
    expect([...runtimeStage(parseDockerfile(`FROM node:20.20.2-bookworm-slim\n${line}\n`)).env]).toEqual(pairs);
  });
  test("stages in order, with their names", () => {
    const stages = parseDockerfile("FROM a:1.2.3 AS build\n# FROM commented:latest\nFROM --platform=linux/amd64 b:4.5.6\n");
    expect(stages.map((s) => [s.from, s.name])).toEqual([["a:1.2.3", "build"], ["b:4.5.6", undefined]]);
  });
  test.each([
    ["node:20.20.2-bookworm-slim", true],
    ["node:20.20.2-bookworm-slim@sha256:" + "a".repeat(64), true],
    ["node@sha256:" + "0".repeat(64), true],
    ["node:20-bookworm-slim", false],
    ["node:20.20-bookworm-slim", false],
    ["node:lts", false],
    ["node", false],
  ])("%s pinned: %s", (image, pinned) => {
    expect(isPinned(image)).toBe(pinned);
  });
  test.each([
    ["node:20.20.2-bookworm-slim@sha256:" + "0123456789abcdef".repeat(4), true],
    ["node:20.20.2-bookworm-slim", false],
    ["node@sha256:" + "0".repeat(64), false],
    ["node:20-bookworm-slim@sha256:" + "a".repeat(64), false],
    ["node:20.20.2-bookworm-slim@sha256:" + "a".repeat(63), false],
    ["node:20.20.2-bookworm-slim@sha256:" + "A".repeat(64), false],
    ["node:20.20.2-bookworm-slim@sha512:" + "a".repeat(64), false],
  ])("%s pinned by digest with its release tag: %s", (image, pinned) => {
    expect(isDigestPinned(image)).toBe(pinned);
  });
});

describe("the image", () => {
  const stages = repoDockerfile();

  test("listens on all interfaces: the runtime stage sets HOST=0.0.0.0 (Probot's default, localhost, is unreachable from outside a container)", () => {
    expect(runtimeStage(stages).env.get("HOST")).toBe("0.0.0.0");
  });

  test("every base image is pinned to an exact release or a digest, so a rebuild gets the same Node.js", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      if (stages.some((other) => other.name === stage.from)) continue;
      expect({ image: stage.from, pinned: isPinned(stage.from) }).toEqual({ image: stage.from, pinned: true });
    }
  });

  test("every base image is pinned by digest, with the exact release tag it was published as (tag@sha256:<64 hex>)", () => {
    const bases = stages.filter((stage) => !stages.some((other) => other.name === stage.from)).map((stage) => stage.from);
    expect(bases.length).toBeGreaterThanOrEqual(2);
    expect(bases.filter((image) => !isDigestPinned(image))).toEqual([]);
  });

  test("builds and runs on the same base image", () => {
    expect(new Set(stages.map((s) => s.from)).size).toBe(1);
  });
});

describe("README's Deployment section", () => {
  const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
  // The section headed exactly "## Deployment" (not "## Deployment gate").
  const start = readme.indexOf("\n## Deployment\n") + 1;
  const deployment = readme.slice(start, readme.indexOf("\n## ", start + 1));

  test("says what HOST does: its default, and that a container needs 0.0.0.0", () => {
    const row = deployment.split("\n").find((line) => /^\| `HOST` \|/.test(line));
    expect(row).toMatch(/default `localhost`/);
    expect(row).toMatch(/container[^|]*`0\.0\.0\.0`/);
  });

  test("names the base image the Dockerfile uses", () => {
    expect(deployment).toContain(`\`${runtimeStage(repoDockerfile()).from}\``);
  });
});

describe("the image runs as an unprivileged user, with a health check on /healthz", () => {
  const runtime = runtimeStage(repoDockerfile());

  test("the runtime stage switches to the image's `node` user (not root) before its CMD", () => {
    expect(runtime.user).toBe("node");
  });

  test("HEALTHCHECK probes /healthz with Node's fetch (the slim image has no curl) on the port the server listens on", () => {
    expect(runtime.healthcheck).toBeDefined();
    const check = runtime.healthcheck!;
    expect(check).toMatch(/CMD node -e /);
    expect(check).toContain("/healthz");
    expect(check).toMatch(/fetch\('http:\/\/127\.0\.0\.1:' \+ \(process\.env\.PORT \|\| 3000\)/);
    expect(check).not.toMatch(/\bcurl\b|\bwget\b/);
    expect(check).toMatch(/--interval=\d+s/);
    expect(check).toMatch(/--timeout=\d+s/);
  });

  test("the reader sees USER, HEALTHCHECK and CMD per stage, continuation lines joined", () => {
    const [build, run] = parseDockerfile("FROM a:1.2.3 AS build\nUSER root\nFROM a:1.2.3\nUSER node\nHEALTHCHECK --interval=5s \\\n  CMD node -e \"x\"\nCMD [\"node\", \"s.js\"]\n");
    expect([build!.user, build!.healthcheck]).toEqual(["root", undefined]);
    expect([run!.user, run!.healthcheck, run!.cmd]).toEqual(["node", '--interval=5s CMD node -e "x"', '["node", "s.js"]']);
  });
});
