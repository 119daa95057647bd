import nock from "nock";
import type { ConfigError, ConfigOrigin } from "../../src/config/types.js";
import type { Conclusion, Evaluation, ResolvedConfig } from "../../src/engine/evaluate.js";
import { TtlCache } from "../../src/github/cache.js";
import { createPublisher, fitText } from "../../src/github/publisher.js";
import type { PublisherOptions } from "../../src/github/publisher.js";
import { COMMENT_MARKER } from "../../src/render/comment.js";
import { renderPublication } from "../../src/render/publication.js";
import type { Annotation, CheckRunOutput, Publication, RenderContext } from "../../src/render/types.js";
import { storeCommentLedger, storeLedger } from "../../src/jobs/ledger.js";
import { MemoryStateStore } from "../../src/state/memory.js";
import { API, guardRequests, HEAD_SHA, octokit, pageLink } from "./mock-github.js";

const TARGET = { owner: "acme", repo: "shop", headSha: HEAD_SHA, pullNumber: 12 };
const RUNS = `/repos/acme/shop/commits/${HEAD_SHA}/check-runs`;
const RUN_QUERY = { check_name: "readiness", filter: "latest" };
const COMMENTS = "/repos/acme/shop/issues/12/comments";
const RUN_URL = "https://github.com/acme/shop/runs/77";

guardRequests();


function evaluation(conclusion: Conclusion, findings = 0): Evaluation {
  return {
    conclusion,
    level: { reached: conclusion === "success" ? "bronze" : null, required: "bronze", ladder: ["bronze"] },
    rules: [
      {
        id: "docs",
        area: "documentation",
        description: "Docs change with code.",
        level: "bronze",
        blocking: true,
        status: conclusion === "success" ? "pass" : conclusion === "pending" ? "pending" : "fail",
        findings: Array.from({ length: findings }, (_, i) => ({ message: `finding ${i}`, path: `src/f${i}.ts`, line: i + 1 })),
      },
    ],
  };
}
const config = (comment: ResolvedConfig["comment"]): ResolvedConfig => ({ levels: ["bronze"], required: "bronze", comment, rules: [] });

/** Stands in for the render step, with output easy to predict; the real one is exercised at the end. */
interface TestRender {
  checkRun(evaluation: Evaluation, ctx?: RenderContext): CheckRunOutput;
  comment(evaluation: Evaluation, ctx: RenderContext): string;
  configErrors(origin: ConfigOrigin, errors: readonly ConfigError[]): CheckRunOutput;
  configErrorsComment(origin: ConfigOrigin, errors: readonly ConfigError[], ctx?: RenderContext): string;
}

const render: TestRender = {
  checkRun: (e) => ({
    title: `Readiness: ${e.conclusion}`,
    summary: `summary ${e.conclusion}`,
    annotations: e.rules.flatMap((r) =>
      r.findings.map((f): Annotation => ({ path: f.path!, start_line: f.line!, end_line: f.line!, annotation_level: "failure", message: f.message })),
    ),
  }),
  comment: (e, ctx) => `${COMMENT_MARKER}\nverdict: ${e.conclusion}${ctx.checkRunUrl ? ` (${ctx.checkRunUrl})` : ""}`,
  configErrors: (origin, errors) => ({ title: "Invalid .readiness.yml", summary: `${errors.length} errors in ${origin.path}`, annotations: [] }),
  configErrorsComment: (origin, errors, ctx) => `${COMMENT_MARKER}\n${errors.length} errors in ${origin.path}${ctx?.checkRunUrl ? ` (${ctx.checkRunUrl})` : ""}`,
};
const link = (url: string | undefined): RenderContext => (url ? { checkRunUrl: url } : {});

/**
 * A publisher, with the render step in front of it as the pipeline runs it: `render: "real"` is
 * src/render's; otherwise a TestRender (the comment policy applied as the real step applies it).
 */
const publisher = (opts: Partial<PublisherOptions> & { render?: TestRender | "real" } = {}, target: Parameters<typeof createPublisher>[1] = TARGET) => {
  const { render: step = render, ...rest } = opts;
  const p = createPublisher(octokit(), target, { appSlug: "readiness-bot", ...rest });
  const publishEvaluation = (e: Evaluation, c: ResolvedConfig, origins: readonly ConfigOrigin[]): Promise<void> => {
    if (step === "real") return p.publish(renderPublication({ kind: "evaluated", evaluation: e, config: c, origins }, p.view));
    const publication: Publication = {
      check: { conclusion: e.conclusion, output: step.checkRun(e, { maxAnnotations: p.view.maxAnnotations ?? 150 }) },
      ...(c.comment === "never"
        ? {}
        : { comment: { marker: COMMENT_MARKER, create: c.comment === "always" || e.conclusion === "failure", body: (url: string | undefined) => step.comment(e, link(url)) } }),
    };
    return p.publish(publication);
  };
  const publishConfigErrors = (origin: ConfigOrigin, errors: readonly ConfigError[]): Promise<void> => {
    if (step === "real") return p.publish(renderPublication({ kind: "invalid-config", origin, errors }, p.view));
    return p.publish({
      check: { conclusion: "failure", output: step.configErrors(origin, errors) },
      comment: { marker: COMMENT_MARKER, create: true, body: (url) => step.configErrorsComment(origin, errors, link(url)) },
    });
  };
  return {
    get readCount() {
      return p.readCount;
    },
    get writeCount() {
      return p.writeCount;
    },
    publishEvaluation,
    publishConfigErrors,
  };
};

const ourRun = (output: { title: string; summary: string; text?: string | null; annotations_count?: number }, status = "completed", conclusion: string | null = "failure") => ({
  id: 77,
  name: "readiness",
  head_sha: HEAD_SHA,
  status,
  conclusion,
  html_url: RUN_URL,
  app: { slug: "readiness-bot" },
  output: { text: null, annotations_count: 0, ...output },
});
const otherAppRun = { id: 5, name: "readiness", status: "completed", conclusion: "success", html_url: "x", app: { slug: "impostor" }, output: { title: "x", summary: "x", annotations_count: 0 } };
const botComment = (id: number, body: string, login = "readiness-bot[bot]") => ({ id, body, user: { login, type: login.endsWith("[bot]") ? "Bot" : "User" } });

describe("check run", () => {
  it("is created when the head commit has none, with the verdict as conclusion", async () => {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [otherAppRun] })
      .post("/repos/acme/shop/check-runs", {
        name: "readiness",
        head_sha: HEAD_SHA,
        status: "completed",
        conclusion: "failure",
        output: { title: "Readiness: failure", summary: "summary failure" },
      })
      .reply(201, ourRun({ title: "Readiness: failure", summary: "summary failure" }));
    const p = publisher();
    await p.publishEvaluation(evaluation("failure"), config("never"), []);
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([1, 1]);
  });

  it("is updated in place when it exists (and another app's run of the same name is left alone)", async () => {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 2, check_runs: [otherAppRun, ourRun({ title: "Readiness: failure", summary: "summary failure" })] })
      .patch("/repos/acme/shop/check-runs/77", { status: "completed", conclusion: "success", output: { title: "Readiness: success", summary: "summary success" } })
      .reply(200, ourRun({ title: "Readiness: success", summary: "summary success" }, "completed", "success"));
    const p = publisher();
    await p.publishEvaluation(evaluation("success"), config("never"), []);
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([1, 1]);
  });

  it("is not written at all when it already shows the same verdict", async () => {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: failure", summary: "summary failure" })] });
    const p = publisher();
    await p.publishEvaluation(evaluation("failure"), config("never"), []);
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([1, 0]);
  });

  it("is written even when unchanged after a re-run was requested (GitHub reset the suite)", async () => {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: failure", summary: "summary failure" })] })
      .patch("/repos/acme/shop/check-runs/77", { status: "completed", conclusion: "failure", output: { title: "Readiness: failure", summary: "summary failure" } })
      .reply(200, ourRun({ title: "Readiness: failure", summary: "summary failure" }));
    const p = publisher({ forceCheckWrite: true });
    await p.publishEvaluation(evaluation("failure"), config("never"), []);
    scope.done();
    expect(p.writeCount).toBe(1);
  });

  it("a pending verdict is an in-progress run, without a conclusion", async () => {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs", { name: "readiness", head_sha: HEAD_SHA, status: "in_progress", output: { title: "Readiness: pending", summary: "summary pending" } })
      .reply(201, ourRun({ title: "Readiness: pending", summary: "summary pending" }, "in_progress", null));
    await publisher().publishEvaluation(evaluation("pending"), config("never"), []);
    scope.done();
  });

  it("a pending verdict after a completed one starts a new run instead of reopening it", async () => {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: success", summary: "summary success" }, "completed", "success")] })
      .post("/repos/acme/shop/check-runs", (body: { status?: string; conclusion?: string }) => body.status === "in_progress" && body.conclusion === undefined)
      .reply(201, ourRun({ title: "Readiness: pending", summary: "summary pending" }, "in_progress", null));
    const p = publisher();
    await p.publishEvaluation(evaluation("pending"), config("never"), []);
    scope.done();
    expect(p.writeCount).toBe(1);
  });

  it("an in-progress run is completed in place", async () => {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: pending", summary: "summary pending" }, "in_progress", null)] })
      .patch("/repos/acme/shop/check-runs/77", (body: { status?: string; conclusion?: string }) => body.status === "completed" && body.conclusion === "neutral")
      .reply(200, ourRun({ title: "Readiness: neutral", summary: "summary neutral" }, "completed", "neutral"));
    await publisher().publishEvaluation(evaluation("neutral"), config("never"), []);
    scope.done();
  });

  it("120 annotations go out 50 per request: the create, then two appending updates", async () => {
    const sizes: number[] = [];
    type Body = { output?: { summary: string; text?: string; annotations?: { title?: string }[] } };
    const record = (body: Body) => {
      const output = body.output!;
      sizes.push(output.annotations?.length ?? 0);
      expect(output.summary.length).toBeLessThanOrEqual(65_535);
      expect((output.text ?? "").length).toBeLessThanOrEqual(65_535);
      for (const a of output.annotations ?? []) expect((a.title ?? "").length).toBeLessThanOrEqual(255);
      return true;
    };
    const longRender: TestRender = {
      ...render,
      checkRun: (e) => {
        const base = render.checkRun(e);
        return { ...base, summary: "s".repeat(70_000), text: "t".repeat(70_000), annotations: base.annotations.map((a) => ({ ...a, title: "x".repeat(300) })) };
      },
    };
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs", record)
      .reply(201, ourRun({ title: "t", summary: "s" }))
      .patch("/repos/acme/shop/check-runs/77", record)
      .reply(200, {})
      .patch("/repos/acme/shop/check-runs/77", record)
      .reply(200, {});
    const p = publisher({ render: longRender });
    await p.publishEvaluation(evaluation("failure", 120), config("never"), []);
    scope.done();
    expect(sizes).toEqual([50, 50, 20]);
    expect([p.readCount, p.writeCount]).toEqual([1, 3]);
  });

  it("sends at most maxAnnotations and has the renderer say so in the summary", async () => {
    let summary = "";
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs", (body: { output: { summary: string; annotations: unknown[] } }) => {
        summary = body.output.summary;
        return body.output.annotations.length === 10;
      })
      .reply(201, ourRun({ title: "t", summary: "s" }));
    await publisher({ maxAnnotations: 10, render: "real" }).publishEvaluation(evaluation("failure", 30), config("never"), []);
    scope.done();
    expect(summary).toMatch(/10 of 30 findings are annotated/);
  });

  it("different annotations on a run that already has some make a new run (GitHub would append them)", async () => {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: failure", summary: "summary failure", annotations_count: 3 })] })
      .post("/repos/acme/shop/check-runs", (body: { output: { annotations: unknown[] } }) => body.output.annotations.length === 2)
      .reply(201, ourRun({ title: "Readiness: failure", summary: "summary failure", annotations_count: 2 }));
    const p = publisher();
    await p.publishEvaluation(evaluation("failure", 2), config("never"), []);
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([1, 1]);
  });

  it("the same annotations are read back and not sent again; only the changed output is", async () => {
    const annotations = [0, 1].map((i) => ({
      path: `src/f${i}.ts`,
      start_line: i + 1,
      end_line: i + 1,
      start_column: null,
      end_column: null,
      annotation_level: "failure",
      title: null,
      message: `finding ${i}`,
      raw_details: null,
      blob_href: "x",
    }));
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: failure", summary: "old summary", annotations_count: 2 })] })
      .get("/repos/acme/shop/check-runs/77/annotations")
      .query({ per_page: 100, page: 1 })
      .reply(200, annotations.reverse())
      .patch("/repos/acme/shop/check-runs/77", { status: "completed", conclusion: "failure", output: { title: "Readiness: failure", summary: "summary failure" } })
      .reply(200, {});
    const p = publisher();
    await p.publishEvaluation(evaluation("failure", 2), config("never"), []);
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([2, 1]);
  });

  it("a failed write says what failed and which permission is missing", async () => {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs")
      .reply(403, { message: "Resource not accessible by integration" });
    const error = await publisher().publishEvaluation(evaluation("failure"), config("never"), []).catch((e: unknown) => e);
    scope.done();
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('could not create the check run "readiness" on hhhhhhh: GitHub answered 403 (the app needs the permission checks: write)');
  });
});

describe("sticky comment", () => {
  const existingRun = () => nock(API).get(RUNS).query(RUN_QUERY).reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: failure", summary: "summary failure" })] });
  const passingRun = () =>
    nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: success", summary: "summary success" }, "completed", "success")] });
  const FAILING_BODY = `${COMMENT_MARKER}\nverdict: failure (${RUN_URL})`;
  const PASSING_BODY = `${COMMENT_MARKER}\nverdict: success (${RUN_URL})`;

  it("never: no comment request at all", async () => {
    const runs = existingRun();
    const p = publisher();
    await p.publishEvaluation(evaluation("failure"), config("never"), []);
    runs.done();
    expect([p.readCount, p.writeCount]).toEqual([1, 0]);
  });

  it("on-failure: created when failing, linking the check run", async () => {
    const runs = existingRun();
    const comments = nock(API)
      .get(COMMENTS)
      .query({ per_page: 100, page: 1 })
      .reply(200, [{ id: 1, body: "LGTM", user: { login: "bob", type: "User" } }])
      .post(COMMENTS, { body: FAILING_BODY })
      .reply(201, { id: 500, body: FAILING_BODY });
    const p = publisher();
    await p.publishEvaluation(evaluation("failure"), config("on-failure"), []);
    runs.done();
    comments.done();
    expect([p.readCount, p.writeCount]).toEqual([2, 1]);
  });

  it("on-failure: nothing is created for a passing pull request", async () => {
    const runs = passingRun();
    const comments = nock(API).get(COMMENTS).query(true).reply(200, []);
    const p = publisher();
    await p.publishEvaluation(evaluation("success"), config("on-failure"), []);
    runs.done();
    comments.done();
    expect(p.writeCount).toBe(0);
  });

  it("on-failure: an existing comment is updated once the pull request passes, so it says ready", async () => {
    const runs = passingRun();
    const comments = nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [botComment(500, FAILING_BODY)])
      .patch("/repos/acme/shop/issues/comments/500", { body: PASSING_BODY })
      .reply(200, { id: 500 });
    const p = publisher();
    await p.publishEvaluation(evaluation("success"), config("on-failure"), []);
    runs.done();
    comments.done();
    expect([p.readCount, p.writeCount]).toEqual([2, 1]);
  });

  it("always: created for a passing pull request too", async () => {
    const runs = passingRun();
    const comments = nock(API).get(COMMENTS).query(true).reply(200, []).post(COMMENTS, { body: PASSING_BODY }).reply(201, { id: 9 });
    await publisher().publishEvaluation(evaluation("success"), config("always"), []);
    runs.done();
    comments.done();
  });

  it("an unchanged comment is not written", async () => {
    const runs = existingRun();
    const comments = nock(API).get(COMMENTS).query(true).reply(200, [botComment(500, FAILING_BODY)]);
    const p = publisher();
    await p.publishEvaluation(evaluation("failure"), config("always"), []);
    runs.done();
    comments.done();
    expect([p.readCount, p.writeCount]).toEqual([2, 0]);
  });

  it("a comment with the marker by a person or another app is not ours: ours is created beside it", async () => {
    const runs = existingRun();
    const comments = nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [botComment(1, FAILING_BODY, "mallory"), botComment(2, FAILING_BODY, "other-app[bot]")])
      .post(COMMENTS, { body: FAILING_BODY })
      .reply(201, { id: 3 });
    await publisher().publishEvaluation(evaluation("failure"), config("on-failure"), []);
    runs.done();
    comments.done();
  });

  it("walks the comment pages only until it finds ours", async () => {
    const runs = passingRun();
    const comments = nock(API)
      .get(COMMENTS)
      .query({ per_page: 100, page: 1 })
      .reply(200, [{ id: 1, body: "hi", user: { login: "bob", type: "User" } }], { link: pageLink("/issues/12/comments", 2, 3) })
      .get(COMMENTS)
      .query({ per_page: 100, page: 2 })
      .reply(200, [botComment(700, FAILING_BODY)], { link: pageLink("/issues/12/comments", 3, 3) })
      .patch("/repos/acme/shop/issues/comments/700", { body: PASSING_BODY })
      .reply(200, {});
    const p = publisher();
    await p.publishEvaluation(evaluation("success"), config("on-failure"), []);
    runs.done();
    comments.done();
    expect([p.readCount, p.writeCount]).toEqual([3, 1]);
  });

  it("adds the marker when the renderer forgot it, and keeps the body within GitHub's limit", async () => {
    let posted = "";
    const runs = existingRun();
    const comments = nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [])
      .post(COMMENTS, (body: { body: string }) => {
        posted = body.body;
        return true;
      })
      .reply(201, { id: 1 });
    await publisher({ render: { ...render, comment: () => "x".repeat(70_000) } }).publishEvaluation(evaluation("failure"), config("on-failure"), []);
    runs.done();
    comments.done();
    expect(posted.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(posted.length).toBeLessThanOrEqual(65_536);
  });
});

describe("in-process cache", () => {
  it("a repeated evaluation with the same result makes no request; a changed one skips both lookups", async () => {
    const cache = new TtlCache();
    const first = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs")
      .reply(201, ourRun({ title: "Readiness: failure", summary: "summary failure" }))
      .get(COMMENTS)
      .query(true)
      .reply(200, [])
      .post(COMMENTS)
      .reply(201, { id: 500 });
    const one = publisher({ cache });
    await one.publishEvaluation(evaluation("failure"), config("on-failure"), []);
    first.done();
    expect([one.readCount, one.writeCount]).toEqual([2, 2]);

    const two = publisher({ cache });
    await two.publishEvaluation(evaluation("failure"), config("on-failure"), []);
    expect([two.readCount, two.writeCount]).toEqual([0, 0]);

    const third = nock(API)
      .patch("/repos/acme/shop/check-runs/77", (body: { conclusion?: string }) => body.conclusion === "success")
      .reply(200, {})
      .patch("/repos/acme/shop/issues/comments/500", (body: { body: string }) => body.body.includes("verdict: success"))
      .reply(200, {});
    const three = publisher({ cache });
    await three.publishEvaluation(evaluation("success"), config("on-failure"), []);
    third.done();
    expect([three.readCount, three.writeCount]).toEqual([0, 2]);
  });

  it("falls back to listing when a remembered comment was deleted (404)", async () => {
    const cache = new TtlCache();
    cache.set("comment:acme/shop#12", { id: 500, body: "old" });
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: failure", summary: "summary failure" })] })
      .patch("/repos/acme/shop/issues/comments/500")
      .reply(404, { message: "Not Found" })
      .get(COMMENTS)
      .query(true)
      .reply(200, [])
      .post(COMMENTS, (body: { body: string }) => body.body.includes("verdict: failure"))
      .reply(201, { id: 501 });
    const p = publisher({ cache });
    await p.publishEvaluation(evaluation("failure"), config("on-failure"), []);
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([2, 2]);
  });
});

describe("publication ledger (the state store shared by processes)", () => {
  const REPOSITORY = { installationId: 1, owner: "acme", repo: "shop" };
  const SUBJECT = "acme/shop#12";
  const clock = () => new Date("2026-01-01T00:00:00Z");
  const ledgerOf = (store: MemoryStateStore) => storeLedger(store, REPOSITORY, SUBJECT, HEAD_SHA, clock);

  /** The first process: nothing recorded, so it lists, creates, and records the ids. */
  async function firstProcess(store: MemoryStateStore): Promise<void> {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs")
      .reply(201, ourRun({ title: "Readiness: failure", summary: "summary failure" }))
      .get(COMMENTS)
      .query(true)
      .reply(200, [])
      .post(COMMENTS)
      .reply(201, { id: 500 });
    await publisher({ ledger: ledgerOf(store) }).publishEvaluation(evaluation("failure"), config("on-failure"), []);
    scope.done();
  }

  it("records the check run and comment it created", async () => {
    const store = new MemoryStateStore();
    await firstProcess(store);
    expect(await store.publication(SUBJECT, HEAD_SHA)).toMatchObject({ ...REPOSITORY, checkRunId: 77, commentId: 500 });
  });

  it("a second process with the same store lists nothing and updates the recorded run and comment in place", async () => {
    const store = new MemoryStateStore();
    await firstProcess(store);
    // A new publisher without the first one's in-process cache, as after a restart or on another replica.
    const scope = nock(API)
      .patch("/repos/acme/shop/check-runs/77", { status: "completed", conclusion: "success", output: { title: "Readiness: success", summary: "summary success" } })
      .reply(200, ourRun({ title: "Readiness: success", summary: "summary success" }, "completed", "success"))
      .patch("/repos/acme/shop/issues/comments/500", (body: { body: string }) => body.body.includes("verdict: success"))
      .reply(200, { id: 500 });
    const p = publisher({ ledger: ledgerOf(store) });
    await p.publishEvaluation(evaluation("success"), config("on-failure"), []);
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([0, 2]);
  });

  it("a second process with the same store and the same verdict makes no request at all", async () => {
    const store = new MemoryStateStore();
    await firstProcess(store);
    const p = publisher({ ledger: ledgerOf(store) });
    await p.publishEvaluation(evaluation("failure"), config("on-failure"), []);
    expect([p.readCount, p.writeCount]).toEqual([0, 0]);
  });

  it("a recorded run deleted on GitHub (404) is looked up once, created again, and the new id recorded", async () => {
    const store = new MemoryStateStore();
    await firstProcess(store);
    const scope = nock(API)
      .patch("/repos/acme/shop/check-runs/77")
      .reply(404, { message: "Not Found" })
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs", (body: { conclusion?: string }) => body.conclusion === "success")
      .reply(201, { ...ourRun({ title: "Readiness: success", summary: "summary success" }, "completed", "success"), id: 78 });
    await publisher({ ledger: ledgerOf(store) }).publishEvaluation(evaluation("success"), config("never"), []);
    scope.done();
    expect(await store.publication(SUBJECT, HEAD_SHA)).toMatchObject({ checkRunId: 78, commentId: 500 });

    // The next process finds the new run from the record.
    const next = nock(API).patch("/repos/acme/shop/check-runs/78").reply(200, {});
    await publisher({ ledger: ledgerOf(store) }).publishEvaluation(evaluation("failure"), config("never"), []);
    next.done();
  });

  it("a run found by listing is recorded, so the next process needs no listing", async () => {
    const store = new MemoryStateStore();
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: failure", summary: "summary failure" })] });
    await publisher({ ledger: ledgerOf(store) }).publishEvaluation(evaluation("failure"), config("never"), []);
    scope.done();
    const p = publisher({ ledger: ledgerOf(store) });
    await p.publishEvaluation(evaluation("failure"), config("never"), []);
    expect([p.readCount, p.writeCount]).toEqual([0, 0]);
  });

  it("a completed run recorded in the store is not reopened: a pending verdict is a new run", async () => {
    const store = new MemoryStateStore();
    await firstProcess(store);
    const scope = nock(API)
      .post("/repos/acme/shop/check-runs", (body: { status?: string }) => body.status === "in_progress")
      .reply(201, { ...ourRun({ title: "Readiness: pending", summary: "summary pending" }, "in_progress", null), id: 79 });
    await publisher({ ledger: ledgerOf(store) }).publishEvaluation(evaluation("pending"), config("never"), []);
    scope.done();
    expect(await store.publication(SUBJECT, HEAD_SHA)).toMatchObject({ checkRunId: 79 });
  });

  it("a store that fails to answer falls back to the listing", async () => {
    const failing = { recall: () => Promise.reject(new Error("database is down")), keep: () => Promise.reject(new Error("database is down")) };
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: failure", summary: "summary failure" })] });
    const p = publisher({ ledger: failing });
    await p.publishEvaluation(evaluation("failure"), config("never"), []);
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([1, 0]);
  });
});

describe("configuration errors", () => {
  const origin: ConfigOrigin = { repository: "acme/shop", path: ".readiness.yml", ref: "b".repeat(40) };
  const errors: ConfigError[] = [
    { origin, line: 3, column: 5, endLine: 3, keyPath: "rules.reviews.approvals", message: 'expected a whole number ≥ 0, got "two"' },
  ];

  it("fail the check with the errors output and comment (the policy itself could not be read)", async () => {
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs", {
        name: "readiness",
        head_sha: HEAD_SHA,
        status: "completed",
        conclusion: "failure",
        output: { title: "Invalid .readiness.yml", summary: "1 errors in .readiness.yml" },
      })
      .reply(201, ourRun({ title: "Invalid .readiness.yml", summary: "1 errors in .readiness.yml" }))
      .get(COMMENTS)
      .query(true)
      .reply(200, [])
      .post(COMMENTS, { body: `${COMMENT_MARKER}\n1 errors in .readiness.yml (${RUN_URL})` })
      .reply(201, { id: 1 });
    const p = publisher();
    await p.publishConfigErrors(origin, errors);
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([2, 2]);
  });
});

describe("check only (merge queues)", () => {
  it("publishes the check on another commit and never reads or writes comments", async () => {
    const groupSha = "m".repeat(40);
    const scope = nock(API)
      .get(`/repos/acme/shop/commits/${groupSha}/check-runs`)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs", (body: { head_sha: string }) => body.head_sha === groupSha)
      .reply(201, ourRun({ title: "t", summary: "s" }));
    const p = createPublisher(octokit(), { owner: "acme", repo: "shop", headSha: groupSha }, { appSlug: "readiness-bot" });
    await p.publish({ check: { conclusion: "failure", output: { title: "t", summary: "s", annotations: [] } } });
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([1, 1]);
  });

  it("a publisher without a pull request number publishes no comment whatever the policy", async () => {
    const scope = nock(API).get(RUNS).query(RUN_QUERY).reply(200, { total_count: 1, check_runs: [ourRun({ title: "Readiness: failure", summary: "summary failure" })] });
    const p = publisher({}, { owner: "acme", repo: "shop", headSha: HEAD_SHA });
    await p.publishEvaluation(evaluation("failure"), config("always"), []);
    scope.done();
    expect([p.readCount, p.writeCount]).toEqual([1, 0]);
  });
});

describe("with the real renderers", () => {
  it("publishes within GitHub's limits and the comment carries the marker and the run's link", async () => {
    let output: CheckRunOutput | undefined;
    let comment = "";
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs", (body: { output: CheckRunOutput }) => {
        output = body.output;
        return true;
      })
      .reply(201, ourRun({ title: "t", summary: "s" }))
      .patch("/repos/acme/shop/check-runs/77")
      .reply(200, {})
      .get(COMMENTS)
      .query(true)
      .reply(200, [])
      .post(COMMENTS, (body: { body: string }) => {
        comment = body.body;
        return true;
      })
      .reply(201, { id: 1 });
    const origins: ConfigOrigin[] = [{ repository: "acme/shop", path: ".readiness.yml" }, { repository: "acme/.github", path: ".readiness.yml" }];
    await publisher({ render: "real" }).publishEvaluation(evaluation("failure", 60), config("on-failure"), origins);
    scope.done();
    expect(output!.summary.length).toBeLessThanOrEqual(65_535);
    expect(output!.annotations).toHaveLength(50);
    expect(output!.summary).toContain("acme/.github:.readiness.yml");
    expect(comment).toContain(COMMENT_MARKER);
    expect(comment).toContain(RUN_URL);
  });
});

describe("fitText (the byte limit GitHub enforces)", () => {
  it("keeps text within the limit in UTF-8 bytes, cut at a line, never inside a character", () => {
    const text = Array.from({ length: 5000 }, (_, i) => `❌ finding ${i} — ünïcødé`).join("\n");
    const fitted = fitText(text, 65_535);
    expect(Buffer.byteLength(fitted, "utf8")).toBeLessThanOrEqual(65_535);
    expect(fitted).toMatch(/\n\n… \(cut to fit GitHub's size limit\)$/);
    expect(fitted).not.toContain("\uFFFD");
    expect(fitted.split("\n\n…")[0]!.split("\n").every((line) => /^❌ finding \d+ — ünïcødé$/.test(line))).toBe(true);
  });
  it("leaves text within the limit alone", () => {
    expect(fitText("ok ✅", 10)).toBe("ok ✅");
  });
});

describe("the pull request's comment in the state store (across head commits)", () => {
  const REPOSITORY = { installationId: 1, owner: "acme", repo: "shop" };
  const SUBJECT = "pull:acme/shop#12";
  const NEXT_HEAD = "c".repeat(40);
  const clock = () => new Date("2026-01-01T00:00:00Z");
  const at = (store: MemoryStateStore, headSha: string) => ({ ledger: storeLedger(store, REPOSITORY, SUBJECT, headSha, clock) });
  const runsAt = (sha: string) => `/repos/acme/shop/commits/${sha}/check-runs`;

  it("a listing that found none is remembered: a new head creates its comment without listing, and the next edits it in place", async () => {
    const store = new MemoryStateStore();
    const first = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs")
      .reply(201, ourRun({ title: "Readiness: success", summary: "summary success" }, "completed", "success"))
      .get(COMMENTS)
      .query(true)
      .reply(200, [botComment(9, "someone else's comment", "alice")]);
    await publisher(at(store, HEAD_SHA)).publishEvaluation(evaluation("success"), config("on-failure"), []);
    first.done();

    const failing = nock(API)
      .get(runsAt(NEXT_HEAD))
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs")
      .reply(201, { ...ourRun({ title: "Readiness: failure", summary: "summary failure" }), id: 78 })
      .post(COMMENTS)
      .reply(201, { id: 500 });
    const p = publisher(at(store, NEXT_HEAD), { ...TARGET, headSha: NEXT_HEAD });
    await p.publishEvaluation(evaluation("failure"), config("on-failure"), []);
    failing.done();
    expect([p.readCount, p.writeCount]).toEqual([1, 2]);

    const third = "e".repeat(40);
    const passing = nock(API)
      .get(runsAt(third))
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs")
      .reply(201, { ...ourRun({ title: "Readiness: success", summary: "summary success" }, "completed", "success"), id: 79 })
      .patch("/repos/acme/shop/issues/comments/500", (body: { body: string }) => body.body.includes("verdict: success"))
      .reply(200, { id: 500 });
    await publisher(at(store, third), { ...TARGET, headSha: third }).publishEvaluation(evaluation("success"), config("on-failure"), []);
    passing.done();
  });

  it("a remembered comment deleted on GitHub (404) is looked for again, and its replacement remembered", async () => {
    const store = new MemoryStateStore();
    await storeCommentLedger(store, REPOSITORY, SUBJECT, clock).keep({ id: 500, digest: "stale" });
    const scope = nock(API)
      .get(RUNS)
      .query(RUN_QUERY)
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/shop/check-runs")
      .reply(201, ourRun({ title: "Readiness: failure", summary: "summary failure" }))
      .patch("/repos/acme/shop/issues/comments/500")
      .reply(404, { message: "Not Found" })
      .get(COMMENTS)
      .query(true)
      .reply(200, [])
      .post(COMMENTS)
      .reply(201, { id: 501 });
    await publisher(at(store, HEAD_SHA)).publishEvaluation(evaluation("failure"), config("on-failure"), []);
    scope.done();
    expect(await storeCommentLedger(store, REPOSITORY, SUBJECT, clock).recall()).toMatchObject({ id: 501 });
  });

  it("a listing that found none never overwrites a comment another process recorded meanwhile", async () => {
    const store = new MemoryStateStore();
    const mine = storeCommentLedger(store, REPOSITORY, SUBJECT, clock);
    expect(await mine.recall()).toBeUndefined();
    await storeCommentLedger(store, REPOSITORY, SUBJECT, clock).keep({ id: 600, digest: "d" });
    await mine.keepNone();
    expect(await mine.recall()).toEqual({ id: 600, digest: "d" });
    // Nothing recorded by anyone else: "none" is kept, for this installation only.
    const fresh = storeCommentLedger(store, REPOSITORY, "pull:acme/shop#13", clock);
    await fresh.keepNone();
    expect(await fresh.recall()).toBe("none");
    expect(await storeCommentLedger(store, { ...REPOSITORY, installationId: 2 }, "pull:acme/shop#13", clock).recall()).toBeUndefined();
  });
});
