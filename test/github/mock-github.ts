/**
 * GitHub for src/github tests: nock on api.github.com with the network closed, and a guard that
 * fails the test on any request no interceptor expected. Code under test turns failed reads into
 * unknown facts, so an unexpected request would otherwise pass unnoticed; interceptors answer
 * once, so the guard also catches a request made twice.
 */
import nock from "nock";
import { ProbotOctokit } from "probot";
import type { PullRequestInfo } from "../../src/engine/types.js";

export const API = "https://api.github.com";

/** The repository every src/github test reads from and writes to, and its pull request's commits. */
export const REPO = { owner: "acme", repo: "shop" };
export const BASE_SHA = "b".repeat(40);
export const HEAD_SHA = "h".repeat(40);

/** Pull request #12 of acme/shop as the webhook payload gives it. */
export const pullRequest = (over: Partial<PullRequestInfo> = {}): PullRequestInfo => ({
  number: 12,
  title: "Add cart",
  body: "",
  author: "alice",
  draft: false,
  labels: [],
  baseRef: "main",
  baseSha: BASE_SHA,
  headRef: "cart",
  headSha: HEAD_SHA,
  ...over,
});

/** Probot's client as handlers get it, without retries or throttling (tests count requests). */
export const octokit = () => new ProbotOctokit({ auth: { token: "test" }, retry: { enabled: false }, throttle: { enabled: false } });

/** Installs the hooks for the current test file. */
export function guardRequests(): void {
  const unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; path?: string; href?: string }) => unmatched.push(`${req.method} ${req.path ?? req.href}`);
  beforeAll(() => nock.disableNetConnect());
  beforeEach(() => {
    unmatched.length = 0;
    nock.emitter.on("no match", onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    nock.cleanAll();
    expect(unmatched).toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());
}

/** A Link header naming the next (and optionally last) page, as GitHub sends it. */
export function pageLink(path: string, next: number, last?: number): string {
  const url = (page: number) => `<${API}/repositories/1${path}?per_page=100&page=${page}>`;
  return [`${url(next)}; rel="next"`, ...(last ? [`${url(last)}; rel="last"`] : [])].join(", ");
}

/** A contents-API answer for a small text file. */
export function contentFile(path: string, content: string) {
  return { type: "file", path, size: Buffer.byteLength(content), encoding: "base64", content: Buffer.from(content).toString("base64") };
}
