/**
 * The grammar of `/readiness` commands in pull request and issue comments (docs/commands.md). A
 * command is a line of its own that starts with `/readiness` (up to three spaces before it);
 * lines in quotes (`>`), fenced code blocks and indented code are not commands, so quoting or
 * showing a command never runs it. One command per comment: the first one counts. Pure.
 */
import { closest } from "../config/suggest.js";
import { DURATION_HELP, parseDuration } from "../config/duration.js";

export type Command =
  | { readonly kind: "recheck" }
  | { readonly kind: "waive"; readonly rule: string; readonly reason: string; readonly untilPush: boolean; readonly forText?: string; readonly forMs?: number }
  | { readonly kind: "unwaive"; readonly rule: string }
  | { readonly kind: "attest"; readonly item: string; readonly evidence: string };

export type ParsedCommand = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly error: string };

export const COMMAND_PREFIX = "/readiness";
/** Longer reasons and evidence are refused: a decision's why is a sentence and a link. */
export const MAX_REASON_LENGTH = 500;

export const USAGE = [
  "`/readiness recheck`",
  "`/readiness waive <rule> [--for <duration>] [--until-push] <reason>`",
  "`/readiness unwaive <rule>`",
  "`/readiness attest <item> <evidence>`",
];

const VERBS = ["recheck", "waive", "unwaive", "attest"] as const;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** The first command line of a comment body, outside quotes and code; undefined when there is none. */
export function commandLine(body: string): string | undefined {
  let fence: string | undefined;
  for (const raw of body.split(/\r?\n/)) {
    const fenceMark = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fenceMark) {
      const mark = fenceMark[1]!;
      if (fence === undefined) fence = mark;
      else if (mark[0] === fence[0] && mark.length >= fence.length && raw.trim() === mark) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    // Four spaces or a tab: indented code. `>`: a quote.
    if (/^( {4}|\t)/.test(raw) || /^ {0,3}>/.test(raw)) continue;
    const line = raw.trim();
    if (line === COMMAND_PREFIX || line.startsWith(`${COMMAND_PREFIX} `) || line.startsWith(`${COMMAND_PREFIX}\t`)) return line;
  }
  return undefined;
}

const usage = (verb: string): string => USAGE.find((u) => u.startsWith(`\`/readiness ${verb}`)) ?? USAGE.join(", ");

/** Parses one command line (as commandLine returns it). */
export function parseCommand(line: string): ParsedCommand {
  const words = line.slice(COMMAND_PREFIX.length).trim().split(/\s+/).filter(Boolean);
  const verb = words.shift();
  const fail = (error: string): ParsedCommand => ({ ok: false, error });
  if (verb === undefined) return fail(`a command is missing after /readiness. Commands: ${USAGE.join(", ")}.`);
  if (!(VERBS as readonly string[]).includes(verb)) {
    const guess = closest(verb, VERBS);
    return fail(`unknown command "${verb}".${guess ? ` Did you mean \`/readiness ${guess}\`?` : ""} Commands: ${USAGE.join(", ")}.`);
  }
  switch (verb) {
    case "recheck":
      return words.length === 0 ? { ok: true, command: { kind: "recheck" } } : fail(`\`/readiness recheck\` takes nothing after it.`);
    case "unwaive": {
      const [rule, ...rest] = words;
      if (rule === undefined || !NAME.test(rule) || rest.length > 0) return fail(`expected ${usage("unwaive")}.`);
      return { ok: true, command: { kind: "unwaive", rule } };
    }
    case "attest": {
      const [item, ...rest] = words;
      if (item === undefined || !NAME.test(item)) return fail(`expected ${usage("attest")}.`);
      const evidence = rest.join(" ");
      if (evidence === "") return fail(`evidence is required: say how it was confirmed (a link, a ticket), e.g. \`/readiness attest ${item} https://wiki.example/drill-2026-03\`.`);
      if (evidence.length > MAX_REASON_LENGTH) return fail(`the evidence is too long (${evidence.length} characters, at most ${MAX_REASON_LENGTH}): link to the details instead.`);
      return { ok: true, command: { kind: "attest", item, evidence } };
    }
    default: {
      const [rule, ...rest] = words;
      if (rule === undefined || !NAME.test(rule)) return fail(`expected ${usage("waive")}.`);
      let untilPush = false;
      let forText: string | undefined;
      let forMs: number | undefined;
      while (rest[0]?.startsWith("--")) {
        const option = rest.shift()!;
        if (option === "--until-push" && !untilPush) untilPush = true;
        else if (option === "--for" && forText === undefined) {
          const value = rest.shift();
          const ms = value === undefined ? undefined : parseDuration(value);
          if (value === undefined || ms === undefined) return fail(`\`--for\` takes a duration: ${DURATION_HELP}.`);
          forText = value;
          forMs = ms;
        } else return fail(`unknown or repeated option "${option}": the options are --for <duration> and --until-push, before the reason.`);
      }
      const reason = rest.join(" ");
      if (reason === "") return fail(`a reason is required: ${usage("waive")}, e.g. \`/readiness waive ${rule} hotfix for INC-1234\`.`);
      if (reason.length > MAX_REASON_LENGTH) return fail(`the reason is too long (${reason.length} characters, at most ${MAX_REASON_LENGTH}): link to the details instead.`);
      return { ok: true, command: { kind: "waive", rule, reason, untilPush, ...(forText !== undefined && forMs !== undefined ? { forText, forMs } : {}) } };
    }
  }
}
