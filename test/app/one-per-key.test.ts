import { expect, test } from "@jest/globals";
import { OnePerKey } from "../../src/github/evaluate-pull.js";
import type { PipelineOutcome } from "../../src/pipeline.js";

const outcome = (looked: string): PipelineOutcome => ({ kind: "no-config", looked: [looked] });

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

test("one evaluation at a time per key; a waiting request is replaced by a newer one, whose outcome the callers share", async () => {
  const queue = new OnePerKey();
  const ran: string[] = [];
  const first = gate();
  const request = (name: string, force = false, wait?: Promise<void>) => ({
    forceCheckWrite: force,
    run: async (forced: boolean) => {
      ran.push(`${name}${forced ? " (forced)" : ""}`);
      await wait;
      return outcome(name);
    },
  });

  const a = queue.run("pull:acme/shop#7", request("a", false, first.opened));
  const b = queue.run("pull:acme/shop#7", request("b", true));
  const c = queue.run("pull:acme/shop#7", request("c"));
  const other = queue.run("pull:acme/shop#8", request("other"));
  await other;
  expect(ran).toEqual(["a", "other"]);

  first.open();
  expect(await a).toEqual(outcome("a"));
  expect(await b).toEqual(outcome("c"));
  expect(await c).toEqual(outcome("c"));
  // b never ran; c ran once, keeping b's forced check write.
  expect(ran).toEqual(["a", "other", "c (forced)"]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(queue.size).toBe(0);
});

test("a failed evaluation does not block the next one for the same key", async () => {
  const queue = new OnePerKey();
  const failing = queue.run("k", { forceCheckWrite: false, run: async () => Promise.reject(new Error("GitHub answered 502")) });
  const next = queue.run("k", { forceCheckWrite: false, run: async () => outcome("next") });
  await expect(failing).rejects.toThrow("502");
  expect(await next).toEqual(outcome("next"));
});
