/**
 * Work that used to stall the server (issue 15, items 1, 3, 4 and 9): globs and CODEOWNERS
 * patterns that backtrack, a custom secret pattern over a line of megabytes, and a second
 * installation waiting behind a hostile one. Each ends with a verdict while /ping keeps answering
 * (the harness polls it every 100 ms: a blocked event loop shows as a slow /ping).
 */
import type { FakeGitHub } from "../../helpers/app.js";
import { completedCheckRun, until } from "../harness.js";
import type { CaseIds, HostileCase } from "../harness.js";
import { addedPatch, deliverOpened, openPull } from "./pulls.js";

const BACKTRACKING_GLOB = "*a*a*a*a*a*a*a*a*b";
/** Six file names of a's, 50 to 200 characters: each a near-miss for BACKTRACKING_GLOB. */
const NEAR_MISSES = [50, 80, 110, 140, 170, 200].map((n) => ({ filename: "a".repeat(n) }));

/** 100,000 lines of a pattern that backtracks on names of a's, about 2 MB (GitHub reads up to 3 MB). */
const HOSTILE_CODEOWNERS = Array.from({ length: 100_000 }, (_, i) => `*a*a*a*a*b${i} @o`).join("\n") + "\n";
const THREE_HUNDRED_FILES = Array.from({ length: 300 }, (_, i) => ({ filename: `src/${"a".repeat(60)}${i}` }));

function openHostileCodeowners(fake: FakeGitHub, ids: CaseIds): void {
  openPull(fake, ids, ["rules:", "  codeowners:", "    level: bronze", "    coverage: true"], THREE_HUNDRED_FILES);
  fake.setFile(ids.baseSha, ".github/CODEOWNERS", HOSTILE_CODEOWNERS);
}

const CALM_INSTALLATION = 424_242;
const calmIds = (ids: CaseIds): CaseIds => ({
  number: ids.number + 500_000,
  baseSha: `c${ids.baseSha.slice(1)}`,
  headSha: `d${ids.headSha.slice(1)}`,
  delivery: `${ids.delivery}-calm`,
});

/** A custom pattern just under the 250-instruction cap, and a 2 MB added line holding its keyword. */
const NEAR_CAP_PATTERN = "[a-z]{245}[0-9]";
const TWO_MB_LINE = `tok_${"a".repeat(2 * 1024 * 1024)}`;

/**
 * A pull request whose secrets scan runs far past the suite's evaluation budget (over 20 s
 * unbounded, measured): no literal prefix lets the search skip ahead, so it steps through the
 * program's ~250 states at each of the line's 2 million characters.
 */
function openRunaway(fake: FakeGitHub, ids: CaseIds): void {
  openPull(
    fake,
    ids,
    ["rules:", "  secrets:", "    level: bronze", "    custom:", "      - id: near-cap", `        pattern: '${NEAR_CAP_PATTERN}'`, "        keywords: [tok_]"],
    [{ filename: "src/blob.txt", status: "added", additions: 1, changes: 1, patch: addedPatch([TWO_MB_LINE]) }],
  );
}

export const STALL_CASES: readonly HostileCase[] = [
  {
    name: "backtracking globs in a rule's when and options against six near-miss file names",
    setup: (fake, ids) =>
      openPull(
        fake,
        ids,
        [
          "rules:",
          "  docs:",
          "    level: bronze",
          `    when: ['${BACKTRACKING_GLOB}']`,
          `    require: ['${BACKTRACKING_GLOB}']`,
          "  tests:",
          "    level: bronze",
          `    source: ['${BACKTRACKING_GLOB}']`,
          `    tests: ['${BACKTRACKING_GLOB}']`,
        ],
        NEAR_MISSES,
      ),
    send: (bot, ids) => deliverOpened(bot, ids),
    expect: (ids) => ({ status: [200, 202], checkRun: { sha: ids.headSha, title: /./ } }),
  },
  {
    name: "a 100,000-line backtracking CODEOWNERS against 300 changed files",
    setup: openHostileCodeowners,
    send: (bot, ids) => deliverOpened(bot, ids),
    expect: (ids) => ({
      status: [200, 202],
      checkRun: { sha: ids.headSha, title: /./, conclusion: "failure" },
      // Measured: about 270 MB at the peak (the 2 MB file parsed, compiled and handed to a worker).
      rssGrowthLimitMb: 400,
      verify: ({ fake }) => {
        const run = fake.ownCheckRuns(ids.headSha)[0]!;
        const said = `${run.output.summary}\n${run.output.text}`;
        return /cannot tell who owns|codeowners/i.test(said) ? undefined : `the check run does not say why the owners are unknown:\n${said.slice(0, 2_000)}`;
      },
    }),
  },
  {
    name: "a custom secret pattern just under the program cap over a 2 MB added line ends with the budget verdict",
    setup: openRunaway,
    send: (bot, ids) => deliverOpened(bot, ids),
    expect: (ids) => ({ status: [200, 202], checkRun: { sha: ids.headSha, title: /exceeded its budget of/, conclusion: "failure" } }),
  },
  anotherInstallationBehindARunaway(),
];

/**
 * A calm pull request of another installation, delivered right behind a runaway one (which runs
 * for the whole evaluation budget): its verdict arrives while the runaway is still running.
 */
function anotherInstallationBehindARunaway(): HostileCase {
  let runawayDoneBeforeCalm = true;
  return {
    name: "another installation's pull request delivered right behind a runaway one gets its verdict first",
    evaluations: 2,
    setup: (fake, ids) => {
      openRunaway(fake, ids);
      openPull(fake, calmIds(ids), ["rules:", "  pr-size: bronze"], [{ filename: "src/cart.ts" }]);
    },
    send: async (bot, ids) => {
      const calm = calmIds(ids);
      // The answer to a delivery may wait for its evaluation: the calm one is sent as soon as the
      // runaway one has read its files, without waiting for that answer.
      const runaway = deliverOpened(bot, ids);
      await until(() => bot.fake.requests.some((r) => r.path.endsWith(`/pulls/${ids.number}/files`)));
      const calmAnswer = deliverOpened(bot, calm, (p) => (p.installation.id = CALM_INSTALLATION));
      await completedCheckRun(bot.fake, calm.headSha);
      runawayDoneBeforeCalm = bot.fake.ownCheckRuns(ids.headSha).some((r) => r.status === "completed");
      return Promise.all([runaway, calmAnswer]);
    },
    expect: (ids) => ({
      status: [200, 202],
      checkRun: { sha: ids.headSha, title: /exceeded its budget of/, conclusion: "failure" },
      verify: ({ requests }) => {
        if (runawayDoneBeforeCalm) return "the calm pull request's verdict came only after the runaway one had ended";
        const ownToken = requests.some((r) => r.path === `/app/installations/${CALM_INSTALLATION}/access_tokens`);
        return ownToken ? undefined : "the calm pull request was not evaluated as its own installation";
      },
    }),
  };
}
