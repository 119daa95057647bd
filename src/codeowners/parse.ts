/**
 * CODEOWNERS lines as GitHub reads them (the shared design notes (shared/design/codeowners.md), rules 3-8 and 10):
 * one pattern, then owners, then an optional ` # comment`. An invalid line is skipped and
 * reported; the rest of the file still applies. No network, no file system.
 */
import { utf8ByteLength } from "../engine/text.js";

export type OwnerKind = "user" | "team" | "email";

export interface Owner {
  readonly kind: OwnerKind;
  /** Login for a user, "org/slug" for a team (both without "@", as written), the address for an e-mail. */
  readonly value: string;
  /** 1-based column of the owner token on its line. */
  readonly column: number;
}

export interface CodeownersRule {
  /** 1-based line number in the file. */
  readonly line: number;
  /** The pattern exactly as written (escapes included). */
  readonly pattern: string;
  /** Empty when the line names no owner: a file whose last match is this line has no owner. */
  readonly owners: readonly Owner[];
}

export interface CodeownersParseError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ParsedCodeowners {
  /** Repository-relative path of the file ("" when parsed without one). */
  readonly path: string;
  /** Valid lines, in file order. */
  readonly rules: readonly CodeownersRule[];
  readonly errors: readonly CodeownersParseError[];
  /** The file is 3 MB or larger: GitHub ignores it, nothing has an owner. */
  readonly tooLarge: boolean;
}

/** GitHub ignores a CODEOWNERS file of 3 MB or more (rule 3); MB taken as 2^20 bytes. */
export const CODEOWNERS_SIZE_LIMIT_BYTES = 3 * 1024 * 1024;

/** The owner as it is written in CODEOWNERS and shown to people: "@login", "@org/team", "a@b.c". */
export function formatOwner(owner: Pick<Owner, "kind" | "value">): string {
  return owner.kind === "email" ? owner.value : `@${owner.value}`;
}

function isAtLeastSizeLimit(content: string): boolean {
  // A UTF-16 unit encodes to 1-3 UTF-8 bytes (a surrogate pair to 4), which bounds the answer cheaply.
  if (content.length >= CODEOWNERS_SIZE_LIMIT_BYTES) return true;
  if (content.length * 3 < CODEOWNERS_SIZE_LIMIT_BYTES) return false;
  return utf8ByteLength(content) >= CODEOWNERS_SIZE_LIMIT_BYTES;
}

const isBlank = (ch: string | undefined): boolean => ch === " " || ch === "\t";

/**
 * 1-based columns of token starts on one line, counting characters (a surrogate pair is one).
 * Asked in increasing order; each answer continues from the last, so a line of a million owners
 * costs one pass, not a million.
 */
function columnCounter(line: string): (index: number) => number {
  let at = 0;
  let column = 1;
  return (index) => {
    for (; at < index; at++) {
      const code = line.charCodeAt(at);
      if (code >= 0xd800 && code <= 0xdbff && at + 1 < index) at++;
      column++;
    }
    return column;
  };
}

const USER = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const ORG = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const TEAM_SLUG = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

const OWNER_FORMS = "write @login for a user, @org/team for a team, or an e-mail address";

/** The owner a token names, or why it names none. */
function readOwner(token: string, column: number): Owner | string {
  if (token.startsWith("@")) {
    const name = token.slice(1);
    if (name === "") return `"@" alone is not an owner: ${OWNER_FORMS}`;
    const slash = name.indexOf("/");
    if (slash < 0) return USER.test(name) ? { kind: "user", value: name, column } : `"${token}" is not a valid user name: ${OWNER_FORMS}`;
    if (ORG.test(name.slice(0, slash)) && TEAM_SLUG.test(name.slice(slash + 1))) return { kind: "team", value: name, column };
    return `"${token}" is not a valid team: ${OWNER_FORMS}`;
  }
  const at = token.indexOf("@");
  if (at > 0 && at === token.lastIndexOf("@")) {
    const dot = token.lastIndexOf(".");
    if (dot > at + 1 && dot < token.length - 1) return { kind: "email", value: token, column };
    return `"${token}" is not a valid e-mail address: ${OWNER_FORMS}`;
  }
  if (USER.test(token)) return `"${token}" is not a valid owner: did you mean @${token}? (${OWNER_FORMS})`;
  return `"${token}" is not a valid owner: ${OWNER_FORMS}`;
}

/** Index just past the pattern token starting at `start`: a backslash escapes the next character. */
function patternEnd(line: string, start: number): number {
  let i = start;
  while (i < line.length && !isBlank(line[i])) i += line[i] === "\\" ? 2 : 1;
  return Math.min(i, line.length);
}

function patternProblem(pattern: string): string | null {
  if (pattern.startsWith("!")) {
    return `"${pattern}": negation with "!" is not supported in CODEOWNERS, so this line is ignored; list the owners of the files you meant instead`;
  }
  if (pattern.startsWith("\\#")) {
    return `"${pattern}": a pattern cannot start with "#" (GitHub does not honour the "\\#" escape), so this line is ignored`;
  }
  let trailingBackslashes = 0;
  for (let i = pattern.length - 1; i >= 0 && pattern[i] === "\\"; i--) trailingBackslashes++;
  if (trailingBackslashes % 2 === 1) {
    return `"${pattern}" ends with a lone "\\": a backslash escapes the next character (write "\\ " for a space in a path)`;
  }
  return null;
}

/** Reads one line into `rules`, or its problems into `errors` (an invalid line yields no rule). */
function parseLine(text: string, lineNumber: number, rules: CodeownersRule[], errors: CodeownersParseError[]): void {
  let start = 0;
  while (isBlank(text[start])) start++;
  if (start >= text.length || text[start] === "#") return;

  const columnOf = columnCounter(text);
  const end = patternEnd(text, start);
  const pattern = text.slice(start, end);
  const errorsBefore = errors.length;
  const problem = patternProblem(pattern);
  if (problem) errors.push({ line: lineNumber, column: columnOf(start), message: problem });

  const owners: Owner[] = [];
  let i = end;
  for (;;) {
    while (isBlank(text[i])) i++;
    // A "#" that begins a token starts the trailing comment (rule 4).
    if (i >= text.length || text[i] === "#") break;
    const tokenStart = i;
    while (i < text.length && !isBlank(text[i])) i++;
    const column = columnOf(tokenStart);
    const owner = readOwner(text.slice(tokenStart, i), column);
    if (typeof owner === "string") errors.push({ line: lineNumber, column, message: owner });
    else owners.push(owner);
  }
  if (errors.length === errorsBefore) rules.push({ line: lineNumber, pattern, owners });
}

/**
 * Reads a CODEOWNERS file. Lines are split on LF or CRLF; a leading byte-order mark is ignored.
 * A file of 3 MB or more yields no rules and one error saying so; `sizeBytes` gives the size of
 * a file whose content was not downloaded for that reason.
 */
export function parseCodeowners(content: string, path: string, sizeBytes?: number): ParsedCodeowners {
  if ((sizeBytes !== undefined && sizeBytes >= CODEOWNERS_SIZE_LIMIT_BYTES) || isAtLeastSizeLimit(content)) {
    const megabytes = ((sizeBytes ?? utf8ByteLength(content)) / (1024 * 1024)).toFixed(1);
    return {
      path,
      rules: [],
      errors: [
        {
          line: 1,
          column: 1,
          message: `${path || "CODEOWNERS"} is ${megabytes} MB: GitHub ignores a CODEOWNERS file of 3 MB or more, so no file has an owner; use fewer, broader patterns`,
        },
      ],
      tooLarge: true,
    };
  }
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const rules: CodeownersRule[] = [];
  const errors: CodeownersParseError[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index]!;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    parseLine(line, index + 1, rules, errors);
  }
  return { path, rules, errors, tooLarge: false };
}
