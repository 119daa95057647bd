/**
 * What arrives at the webhook route (issue 15, items 2, 5 and 6): bodies too large to read,
 * signed payloads of the wrong shape, configuration files that are not configuration.
 */
import { yaml } from "../../helpers/app.js";
import { MEGABYTE, PLANTED_LOGIN, PLANTED_SECRET } from "../harness.js";
import type { HostileCase } from "../harness.js";
import { opened } from "./pulls.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A signed pull_request delivery of the wrong shape: 400, one log line, not one API request. */
function malformed(name: string, change: (payload: Json) => void): HostileCase {
  return {
    name: `malformed payload: ${name}`,
    evaluations: 0,
    setup: (fake, ids) => {
      fake.setFile(ids.baseSha, ".readiness.yml", yaml(["rules:", "  reviews: bronze"]));
      fake.addPull({ number: ids.number, baseSha: ids.baseSha, headSha: ids.headSha });
    },
    send: (bot, ids) => bot.deliver("pull_request", opened(ids, change), { delivery: ids.delivery }),
    expect: (ids) => ({ status: 400, noRequests: true, log: new RegExp(`malformed pull_request delivery ${ids.delivery} refused: `) }),
  };
}

/** A base configuration file the loader cannot read: the check fails, saying why. */
function unreadableConfig(name: string, content: string): HostileCase {
  return {
    name: `configuration ${name}`,
    setup: (fake, ids) => {
      fake.setFile(ids.baseSha, ".readiness.yml", content);
      fake.addPull({ number: ids.number, baseSha: ids.baseSha, headSha: ids.headSha });
    },
    send: (bot, ids) => bot.deliver("pull_request", opened(ids)),
    expect: (ids) => ({ status: [200, 202], checkRun: { sha: ids.headSha, title: "Invalid .readiness.yml", conclusion: "failure" } }),
  };
}

const THIRTY_MB = 30 * MEGABYTE;
const SIXTY_MB = 60 * MEGABYTE;

export const EDGE_CASES: readonly HostileCase[] = [
  {
    name: "a 30 MB body declared in Content-Length is refused before it is read",
    evaluations: 0,
    send: (bot) => bot.post({ bytes: THIRTY_MB, contentLength: THIRTY_MB }),
    expect: () => ({ status: 413, noRequests: true, answeredBeforeBodySent: THIRTY_MB }),
  },
  {
    name: "a 60 MB chunked body is refused once it passes 25 MB",
    evaluations: 0,
    send: (bot) => bot.post({ bytes: SIXTY_MB }),
    expect: () => ({ status: 413, noRequests: true, answeredBeforeBodySent: SIXTY_MB }),
  },
  {
    name: "five 60 MB chunked bodies at once: each refused (413, or 503 beyond the concurrent reads), memory bounded",
    evaluations: 0,
    send: (bot) => Promise.all(Array.from({ length: 5 }, () => bot.post({ bytes: SIXTY_MB }))),
    // Refusal while streaming is held by the single-body case above; with five senders on a loaded
    // machine a sender can finish writing before it reads its answer, so here the bound is memory.
    expect: () => ({ status: [413, 503], noRequests: true, rssGrowthLimitMb: 200 }),
  },
  {
    name: "a delivery signed with another secret",
    evaluations: 0,
    send: (bot, ids) => bot.deliver("pull_request", opened(ids), { secret: "not-the-secret" }),
    expect: () => ({ status: 400, noRequests: true }),
  },
  malformed("no installation", (p) => delete p.installation),
  malformed("no repository", (p) => delete p.repository),
  malformed("no head", (p) => delete p.pull_request.head),
  malformed("pull_request: null", (p) => (p.pull_request = null)),
  malformed("a numeric head sha", (p) => (p.pull_request.head.sha = 1234567890)),
  malformed("pull request number -1", (p) => (p.pull_request.number = -1)),
  malformed("pull request number 1.5", (p) => (p.pull_request.number = 1.5)),
  malformed("owner '..'", (p) => (p.repository.owner.login = "..")),
  malformed("repository '../../app/installations'", (p) => (p.repository.name = "../../app/installations")),
  malformed("a planted mention and secret in a malformed payload", (p) => {
    p.pull_request.title = `@${PLANTED_LOGIN} ${PLANTED_SECRET}`;
    p.pull_request.head.sha = `@${PLANTED_LOGIN}`;
  }),
  unreadableConfig("over 1 MB", `# ${"x".repeat(1_100_000)}\nrules: {}\n`),
  unreadableConfig("with a NUL byte", "rules:\n  reviews:\0 bronze\n"),
  {
    name: "a well-formed pull request whose title and body plant a mention and a secret",
    setup: (fake, ids) => {
      fake.setFile(ids.baseSha, ".readiness.yml", yaml(["rules:", "  rollback-plan: bronze"]));
      fake.addPull({ number: ids.number, baseSha: ids.baseSha, headSha: ids.headSha, title: `Ping @${PLANTED_LOGIN}`, body: `@${PLANTED_LOGIN} ${PLANTED_SECRET}` });
      fake.setPullFiles(ids.number, [{ filename: "src/app.ts" }]);
    },
    send: (bot, ids) =>
      bot.deliver(
        "pull_request",
        opened(ids, (p) => {
          p.pull_request.title = `Ping @${PLANTED_LOGIN}`;
          p.pull_request.body = `@${PLANTED_LOGIN} ${PLANTED_SECRET}`;
        }),
      ),
    expect: (ids) => ({ status: [200, 202], checkRun: { sha: ids.headSha, title: /./ } }),
  },
];
