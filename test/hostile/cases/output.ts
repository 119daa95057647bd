/**
 * What the bot writes back (issue 15, items 7 and 8): names a pull request chooses (an action
 * reference, a file name) must not ping anyone from the comment or the check run, and bidi
 * controls must not reach annotations, where they would make a message read differently.
 */
import { PLANTED_LOGIN } from "../harness.js";
import type { HostileCase } from "../harness.js";
import { addedPatch, deliverOpened, openPull } from "./pulls.js";

const workflow = (uses: string): string =>
  addedPatch(["on: push", "jobs:", "  build:", "    runs-on: ubuntu-latest", "    steps:", `      - uses: ${uses}`]);

/** U+202A–U+202E and U+2066–U+2069: embeddings, overrides and isolates. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;

export const OUTPUT_CASES: readonly HostileCase[] = [
  {
    name: "an action reference '@x/y@login' and a file 'src/@x@login' ping nobody from the comment or check run",
    setup: (fake, ids) => {
      openPull(
        fake,
        ids,
        ["comment: always", "rules:", "  pinned-actions: bronze", "  codeowners:", "    level: bronze", "    coverage: true"],
        [
          { filename: ".github/workflows/ci.yml", status: "added", patch: workflow(`'@x/y@${PLANTED_LOGIN}'`) },
          { filename: `src/@x@${PLANTED_LOGIN}`, status: "added" },
        ],
      );
      fake.setFile(ids.baseSha, ".github/CODEOWNERS", "/docs/ @acme/docs\n");
    },
    send: (bot, ids) => deliverOpened(bot, ids),
    expect: (ids) => ({
      status: [200, 202],
      checkRun: { sha: ids.headSha, title: /./, conclusion: "failure" },
      // The harness scans every request body for a pinging mention; this makes sure there was
      // something to scan: both names reached the comment and the check run.
      verify: ({ fake }) => {
        const run = fake.ownCheckRuns(ids.headSha)[0]!;
        const comment = fake.ownComments(ids.number)[0];
        if (!comment) return "no comment was posted";
        for (const [where, text] of [["check run", `${run.output.summary}\n${run.output.text}`], ["comment", comment.body]] as const) {
          if (!text.includes(`@x/y@${PLANTED_LOGIN}`)) return `the ${where} does not show the action reference:\n${text.slice(0, 3_000)}`;
          if (!text.includes(`@x@${PLANTED_LOGIN}`)) return `the ${where} does not show the file name:\n${text.slice(0, 3_000)}`;
        }
        return undefined;
      },
    }),
  },
  {
    name: "bidi overrides in an action reference reach no check run neutralised",
    setup: (fake, ids) =>
      openPull(fake, ids, ["rules:", "  pinned-actions: bronze"], [
        { filename: ".github/workflows/ci.yml", status: "added", patch: workflow("someone-else/deploy@v4\u202Egnp.tcejorp\u202C\u2066x\u2069") },
      ]),
    send: (bot, ids) => deliverOpened(bot, ids),
    expect: (ids) => ({
      status: [200, 202],
      checkRun: { sha: ids.headSha, title: /./, conclusion: "failure" },
      verify: ({ requests, fake }) => {
        const annotations = fake.ownCheckRuns(ids.headSha)[0]!.annotations;
        if (!annotations.some((a) => String(a.message).includes("someone-else/deploy@v4"))) return "the finding was not annotated";
        const writes = requests.filter((r) => r.path.includes("/check-runs") && r.method !== "GET");
        const leaking = writes.find((r) => BIDI.test(JSON.stringify(r.body)));
        return leaking ? `a bidi control reached ${leaking.method} ${leaking.path}` : undefined;
      },
    }),
  },
];
