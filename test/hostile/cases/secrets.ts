/**
 * The secrets rule against what it cannot or must not run (issue 15, items 10 and 11): files it
 * could not scan make it unknown rather than a pass, and a custom pattern too large to search
 * with is a configuration error.
 */
import { PLANTED_SECRET } from "../harness.js";
import type { HostileCase } from "../harness.js";
import { deliverOpened, openPull } from "./pulls.js";

/** One more than the 50 files without a patch downloaded per evaluation, and then some. */
const UNPATCHED_FILES = 60;
const unpatched = (i: number): string => `vendor/notes-${String(i).padStart(2, "0")}.txt`;
const PLANTED_FILE = unpatched(UNPATCHED_FILES);

export const SECRETS_CASES: readonly HostileCase[] = [
  {
    name: "60 added files without a patch, a token in one past the download cap: the check is blocked, naming files not scanned",
    setup: (fake, ids) => {
      const files = Array.from({ length: UNPATCHED_FILES }, (_, i) => ({ filename: unpatched(i + 1), status: "added", patch: undefined }));
      openPull(fake, ids, ["rules:", "  secrets: bronze"], files);
      for (const { filename } of files) fake.setFile(ids.headSha, filename, filename === PLANTED_FILE ? `token = "${PLANTED_SECRET}"\n` : "nothing to see\n");
    },
    send: (bot, ids) => deliverOpened(bot, ids),
    expect: (ids) => ({
      status: [200, 202],
      checkRun: { sha: ids.headSha, title: /./, conclusion: "failure" },
      verify: ({ fake }) => {
        const run = fake.ownCheckRuns(ids.headSha)[0]!;
        const said = `${run.output.title}\n${run.output.summary}\n${run.output.text}`;
        const secretsRow = said.split("\n").find((line) => line.includes("| secrets |"));
        if (!secretsRow || /✅/u.test(secretsRow)) return `the secrets rule is not reported as unknown:\n${said.slice(0, 2_000)}`;
        if (!/could not be scanned/.test(said)) return `the check run does not say which files were not scanned:\n${said.slice(0, 2_000)}`;
        return said.includes(unpatched(UNPATCHED_FILES - 1)) || said.includes("vendor/") ? undefined : "the files not scanned are not named";
      },
    }),
  },
  {
    name: "a custom secret pattern '[a-z]{1000}[0-9]' in the base configuration is refused, named",
    setup: (fake, ids) =>
      openPull(fake, ids, ["rules:", "  secrets:", "    level: bronze", "    custom:", "      - id: huge", "        pattern: '[a-z]{1000}[0-9]'", "        keywords: [tok_]"], [
        { filename: "src/app.ts" },
      ]),
    send: (bot, ids) => deliverOpened(bot, ids),
    expect: (ids) => ({
      status: [200, 202],
      checkRun: { sha: ids.headSha, title: "Invalid .readiness.yml", conclusion: "failure" },
      verify: ({ fake }) => {
        const summary = fake.ownCheckRuns(ids.headSha)[0]!.output.summary ?? "";
        return /rules\.secrets\.custom\[0\]\.pattern`?: this pattern is too large/.test(summary) ? undefined : `the error does not name the pattern:\n${summary.slice(0, 2_000)}`;
      },
    }),
  },
];
