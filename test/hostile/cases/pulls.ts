/** What the cases that open a pull request share: its delivery and its setup on the fake GitHub. */
import { pullRequestEvent, yaml } from "../../helpers/app.js";
import type { FakeFile, FakeGitHub } from "../../helpers/app.js";
import type { Bot, CaseIds, HttpAnswer } from "../harness.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A pull_request.opened for the case's own pull request and commits, changed by `change`. */
export function opened(ids: CaseIds, change: (payload: Json) => void = () => undefined): Json {
  const payload = pullRequestEvent("opened", { number: ids.number, baseSha: ids.baseSha, headSha: ids.headSha });
  change(payload);
  return payload;
}

/**
 * Delivers pull_request.opened for the case's pull request as the fake GitHub holds it: the
 * payload's changed_files is the number of files the fake lists (the bot checks the two agree).
 */
export function deliverOpened(bot: Bot, ids: CaseIds, change: (payload: Json) => void = () => undefined): Promise<HttpAnswer> {
  const stored = bot.fake.pulls.get(ids.number);
  return bot.deliver(
    "pull_request",
    opened(ids, (payload) => {
      if (stored) payload.pull_request.changed_files = stored.changed_files;
      change(payload);
    }),
  );
}

/** The case's pull request with this base configuration (lines of YAML) and these changed files. */
export function openPull(fake: FakeGitHub, ids: CaseIds, config: readonly string[], files: readonly (Partial<FakeFile> & { filename: string })[]): void {
  fake.setFile(ids.baseSha, ".readiness.yml", yaml(config));
  fake.addPull({ number: ids.number, baseSha: ids.baseSha, headSha: ids.headSha });
  fake.setPullFiles(ids.number, files);
}

/** A patch adding these lines to a new file. */
export function addedPatch(lines: readonly string[]): string {
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join("\n")}`;
}
