import { expect, test } from "@jest/globals";
import type { ConfigFileReader } from "../../src/config/types.js";
import type { Evaluation } from "../../src/engine/evaluate.js";
import { runPipeline } from "../../src/pipeline.js";
import type { RenderStep } from "../../src/pipeline.js";
import type { Publication, PublicationView, Publisher } from "../../src/ports.js";
import { renderPublication } from "../../src/render/publication.js";
import { registry } from "../engine-worker/fixtures/registry.js";

const reader = (content: string): ConfigFileReader => ({
  read: async (place, path) => (place === "repo" && path === ".readiness.yml" ? { content, origin: { repository: "acme/shop", path } } : null),
});

/** A publisher that keeps what it is handed. */
function recordingPublisher(view: PublicationView): Publisher & { readonly published: Publication[] } {
  const published: Publication[] = [];
  return { view, published, publish: async (publication) => void published.push(publication) };
}

/** The real render step, counted, with what it was asked to render. */
function countedRender(): RenderStep & { readonly calls: Parameters<RenderStep>[] } {
  const calls: Parameters<RenderStep>[] = [];
  return Object.assign((...args: Parameters<RenderStep>) => {
    calls.push(args);
    return renderPublication(...args);
  }, { calls });
}

const cases: { name: string; config: string; kind: "evaluated" | "invalid-config" }[] = [
  { name: "an evaluation", config: "comment: always\nrules:\n  quick: bronze\n", kind: "evaluated" },
  { name: "configuration errors", config: "rules:\n  quick: {level: platinum}\n", kind: "invalid-config" },
];

test.each(cases)("$name: rendered exactly once, for the publisher's view, and the publisher gets that output", async ({ config, kind }) => {
  const publisher = recordingPublisher({ kind: "pull", repository: "acme/shop" });
  const render = countedRender();
  const outcome = await runPipeline({ configReader: reader(config), facts: { gather: async () => ({}) }, publisher, render, registry });
  expect(outcome.kind).toBe(kind);
  expect(render.calls).toHaveLength(1);
  expect(render.calls[0]![0].kind).toBe(kind);
  expect(render.calls[0]![1]).toBe(publisher.view);
  expect(publisher.published).toHaveLength(1);
  const expected = renderPublication(render.calls[0]![0], publisher.view);
  expect(publisher.published[0]!.check).toEqual(expected.check);
  expect(publisher.published[0]!.comment?.body(undefined)).toBe(expected.comment?.body(undefined));
});

test("a merge group's publisher gets the group's variant: the lead and the title prefix, and no comment", async () => {
  const publisher = recordingPublisher({ kind: "merge-group", repository: "acme/shop", pullNumber: 12, base: "main" });
  await runPipeline({ configReader: reader("comment: always\nrules:\n  quick: bronze\n"), facts: { gather: async () => ({}) }, publisher, registry });
  const [publication] = publisher.published;
  expect(publication!.check.output.title).toMatch(/^#12: /);
  expect(publication!.check.output.summary).toContain("Merge queue: the verdict of pull request #12, queued to merge into `main`.");
  expect(publication!.comment).toBeUndefined();
});

test("without a publisher nothing is rendered (the CLI renders its own formats)", async () => {
  const render = countedRender();
  const outcome = await runPipeline({ configReader: reader("rules:\n  quick: bronze\n"), facts: { gather: async () => ({}) }, render, registry });
  expect(outcome.kind).toBe("evaluated");
  expect((outcome as { evaluation: Evaluation }).evaluation.conclusion).toBe("success");
  expect(render.calls).toHaveLength(0);
});
