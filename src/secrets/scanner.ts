/**
 * The scanner: rules compiled once per options, then one keyword pass per text and a bounded
 * pattern attempt at each keyword hit. Returns offsets only; report.ts turns them into findings
 * with masked previews and fingerprints, so nothing here can leak a secret into output.
 */
import { globMatcher, type PathMatcher } from "../engine/globs.js";
import { BUILTIN_RULES } from "./builtin-rules.js";
import { CHECKS, CONTEXT_CHECKS, meetsEntropy, SECRET_KEEPING_CHECKS, SECRET_ONLY_CHECKS, SECRET_TESTS, type Check, type JudgedParts } from "./checks.js";
import { ASSIGN, ASSIGN_UNTYPED_AFTER_NAME, assignmentCanStart, assignmentMayFollow, assignmentReading, BLANK_SEPARATED_REACH, MAX_NAME_REST, NAME_REST, nameRunEnd, NO_OPERATOR, ONLY_BLANK_OPERATOR, OPERATOR, plainEqualsReach, TYPE_EQUALS_AFTER_NAME, TypedDeclaration, TYPED_OPERATOR, VALUE_LEAD, valueFloor, valueReach } from "./assignment.js";
import { KeywordIndex } from "./keywords.js";
import type { SecretsOptions } from "./options.js";
import { analyzePattern, compileAnchored, compileLineSearch, type AnchoredPattern, type EngineName, type LineSearch, type MatchOffsets } from "./pattern.js";
import { containsStopWord, isLongPlaceholder, isPlaceholder, looksMadeUp, STOP_WORDS } from "./placeholders.js";
import { RE2JS } from "re2js";
import type { SecretRuleSpec, SecretSeverity } from "./types.js";

/**
 * Engine for the built-in rules. bench/secrets measures both on the same inputs; native V8 is
 * faster per attempt, and the built-in patterns are proven bounded (see pattern.ts), so it meets
 * the hostile-input target. Custom rules always run on re2js.
 */
export const DEFAULT_ENGINE: EngineName = "native";

/** The marker that turns a finding on its line into a warning (or not, under `inline-markers: forbid`). */
export const ALLOW_MARKER = "readiness:allow-secret";

/** Placeholder shapes are judged on values up to this long; longer ones (key bodies) are random enough that a word inside means nothing. */
const PLACEHOLDER_MAX_LENGTH = 100;

const DEFAULT_BOUNDARY = "A-Za-z0-9";

/** Bodies up to this long are checked for runs and sequences; longer ones are key material. */
const RANDOM_BODY_MAX_LENGTH = 300;

/**
 * `\n`, `\t`, `\r` written out inside a serialised string (JSON, an env file's quoted value): the
 * letter before a token is then an escape's, not part of a longer word.
 */
function afterEscape(text: string, start: number): boolean {
  if (start < 2 || text.charCodeAt(start - 2) !== 92 /* \ */) return false;
  const c = text[start - 1];
  return c === "n" || c === "t" || c === "r";
}

export interface CompiledRule {
  readonly index: number;
  readonly id: string;
  readonly provider: string;
  readonly description: string;
  readonly severity: SecretSeverity;
  readonly custom: boolean;
  /** Built-in content rules: tried where a keyword occurs. */
  readonly pattern: AnchoredPattern | null;
  /** Custom rules: searched over each line holding a keyword. */
  readonly search: LineSearch | null;
  readonly prefix: { readonly chars: Uint8Array; readonly min: number; readonly max: number } | null;
  readonly afterKeyword: boolean;
  readonly before: Uint8Array | null;
  readonly after: Uint8Array | null;
  /** Keyword ids, one of which must be present in the text. */
  readonly requires: readonly number[] | null;
  readonly check: Check | null;
  readonly minEntropy: number;
  readonly stopWords: boolean;
  readonly files: PathMatcher | null;
  /**
   * The literal text every match starts with (case-sensitive rules without a prefix), compared
   * before the pattern runs; and the length of it that the made-up-body filter skips.
   */
  readonly literal: string;
  /** Whether a body made of runs, repeats or alphabet sequences vetoes a match (see looksMadeUp). */
  readonly randomBody: boolean;
  /** The pattern starts with ASSIGN: assignmentCanStart is tested first. */
  readonly assignment: boolean;
  /** Assignment rules: the pattern without ASSIGN's name rest, tried where the name ends (matchAfterName). */
  readonly afterName: AnchoredPattern | null;
  /** Assignment rules: afterName without ASSIGN's alternative of a type (ASSIGN_UNTYPED_AFTER_NAME), tried where no `=` can end a type. */
  readonly afterNameUntyped: AnchoredPattern | null;
  /** Assignment rules: the fewest characters of their value, none of them whitespace (valueFloor); 0 when unknown. */
  readonly valueFloor: number;
  /**
   * Assignment rules with a floor (and no `i` flag): the pattern's value lead and value, and its
   * value alone, tried at the two places of a typed declaration (matchTypedDeclaration).
   */
  readonly typedDeclaration: { readonly afterOperator: AnchoredPattern; readonly atType: AnchoredPattern } | null;
  /** Rules with a literal start: the characters a match has at the offsets after it (afterLiteralShape). */
  readonly afterLiteral: AfterLiteral | null;
  /** Text every match holds, starting within `distance` of the pattern's start (SecretRuleSpec.needs), and its slot in scanText's search cache. */
  readonly needs: { readonly text: string; readonly slot: number; readonly distance: number } | null;
  /** Patterns that are a literal start and one repeated class (`ghp_[A-Za-z0-9]{36}`): matched without the regular expression (runMatch). */
  readonly run: LiteralRun | null;
  /**
   * Rules whose check is letters-and-digits, which passes no secret without an ASCII digit or
   * upper-case letter: the pattern's longest match, within which one must occur from where the
   * pattern starts (0: no such rule).
   */
  readonly digitOrUpperWithin: number;
  /** No check, or one of SECRET_KEEPING_CHECKS: the judging memo's verdict on the secret may be read before the check runs. */
  readonly keepsSecret: boolean;
  /** The check's test of the secret alone (SECRET_TESTS), or null. */
  readonly secretTest: ((text: string, start: number, end: number) => boolean) | null;
  /** With a secretTest: the rest of the check (CONTEXT_CHECKS), run where the secret has passed the test. */
  readonly contextCheck: Check | null;
  /** The check reads the secret alone (SECRET_ONLY_CHECKS): a secret it turns away is remembered as turned away. */
  readonly secretOnly: boolean;
}

/** A pattern `literal[class]{min,max}`: the literal's length, the class (ASCII flags) and the repeat's bounds. */
export interface LiteralRun {
  readonly from: number;
  readonly chars: Uint8Array;
  readonly min: number;
  readonly max: number;
}

const LITERAL_RUN = /^((?:[A-Za-z0-9_-]|\\[-.])+)\[([A-Za-z0-9_.+\/=~-]+)\]\{(\d+)(?:,(\d+))?\}$/;

/** The LiteralRun a pattern is, or null (anything more than a literal, one class and one bounded repeat). */
export function literalRunOf(pattern: string): LiteralRun | null {
  const m = LITERAL_RUN.exec(pattern);
  if (!m) return null;
  const min = Number(m[3]);
  return { from: literalStart(pattern).length, chars: classTable(m[2]!), min, max: m[4] === undefined ? min : Number(m[4]) };
}

/**
 * The match of a LiteralRun at `start`, whose literal the caller has compared: the repeat is
 * greedy and nothing follows it, so the match takes every class character up to `max`. The same
 * offsets as the regular expression's (test/secrets compares them), without its call and result.
 * `checked`: how many characters after the literal the caller has found in the class already
 * (the rule's afterLiteral offsets, at most `min`), which are not read again.
 */
export function runMatch(run: LiteralRun, text: string, start: number, checked = 0): MatchOffsets | null {
  const from = start + run.from;
  const limit = Math.min(text.length, from + run.max);
  const chars = run.chars;
  let end = from + checked;
  while (end < limit) {
    const c = text.charCodeAt(end);
    if (c >= 128 || chars[c] !== 1) break;
    end++;
  }
  return end - from >= run.min ? [start, end] : null;
}

/**
 * A setting name written in another notation: `dd_api_key` is also `dd.api.key` (.properties),
 * `dd-api-key` and `ddapikey` (camelCase, once case is folded). Only inner underscores vary, so
 * `_auth` stays itself.
 */
export function settingNameVariants(keywords: readonly string[]): string[] {
  const out = new Set<string>();
  for (const k of keywords) {
    out.add(k);
    const inner = /^(_*)(.*?)(_*)$/.exec(k)!;
    if (!inner[2]!.includes("_")) continue;
    for (const joiner of [".", "-", ""]) out.add(inner[1] + inner[2]!.replace(/_/g, joiner) + inner[3]);
  }
  return [...out];
}

/** Checks whose secrets are long structured bodies (key blocks, JWT payloads), where runs are normal. */
const STRUCTURED_CHECKS = new Set(["pem-body", "base64-private-key", "jwt", "base64-jwt"]);

/** The characters a pattern matches literally at its start (`ghp_` of `ghp_[A-Za-z0-9]{36}`). */
export function literalStart(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break;
      out += next;
      i++;
      continue;
    }
    if ("[](){}|?*+^$.".includes(c)) {
      // A quantifier applies to the last literal character, which is then not fixed.
      if ("?*{".includes(c)) out = out.slice(0, -1);
      break;
    }
    out += c;
  }
  return out;
}

/** The characters a match has at fixed offsets right after its literal start (afterLiteralShape). */
export interface AfterLiteral {
  /** Characters of the literal start. */
  readonly offset: number;
  /** How many offsets are known. */
  readonly length: number;
  /**
   * 128 bits per offset (4 words), bit `c` set where ASCII character `c` is allowed there
   * (nothing beyond ASCII is); see admitsAt. 16 bytes per offset rather than 128, since
   * keyword-dense text tests many rules' tables one after another.
   */
  readonly bits: Int32Array;
}

/** At most this many offsets after a literal are read and checked. */
const AFTER_LITERAL_PROBE = 12;

const PLAIN_CHAR = /^(?:\\[^A-Za-z0-9]|[^\\[\](){}|?*+^$.])/;

/**
 * What a pattern requires right after its literal start, offset by offset, up to the first atom
 * whose length or presence varies: classes (`[A-Za-z0-9]`), characters, `{n}` repeats (a `{n,m}`
 * or `+` repeat gives its first n and ends the reading), and a group of plain alternatives
 * (`(?:pt|st|scim)`, read as the union of their characters at each offset up to the shortest).
 * Negated classes, escapes such as `\d`, optional atoms and anything else end it. Null when
 * nothing follows the literal that way. `pat` followed by `h.` of `path.`, or `do` followed by
 * `_`, then costs a few lookups instead of a pattern attempt.
 */
export function afterLiteralShape(pattern: string): AfterLiteral | null {
  let i = 0;
  let literal = 0;
  let chars = 0;
  for (; i < pattern.length; i++, chars++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break;
      i++;
      literal = i + 1;
      continue;
    }
    if ("[](){}|?*+^$.".includes(c)) break;
    literal = i + 1;
  }
  // literalStart gives a quantified last character back; then nothing after it is fixed.
  if ("?*{+".includes(pattern[i] ?? "") || i !== literal || i === 0) return null;
  const tables: Uint8Array[] = [];
  const charTable = (ch: string) => classTable(ch.length === 2 ? ch[1]! : ch);
  while (i < pattern.length && tables.length < AFTER_LITERAL_PROBE) {
    let atom: Uint8Array[];
    let atomEnd: number;
    let sameLength = true;
    if (pattern[i] === "[") {
      const close = pattern.indexOf("]", i + 1);
      const body = pattern.slice(i + 1, close);
      if (close < 0 || body.length === 0 || body.startsWith("^") || body.includes("\\") || body.includes("[")) break;
      atom = [classTable(body)];
      atomEnd = close + 1;
    } else if (pattern.startsWith("(?:", i)) {
      const close = pattern.indexOf(")", i);
      if (close < 0) break;
      const alternatives = pattern.slice(i + 3, close).split("|");
      const parsed = alternatives.map((alt) => {
        const out: string[] = [];
        let rest = alt;
        while (rest.length > 0) {
          const m = PLAIN_CHAR.exec(rest);
          if (!m) return null;
          out.push(m[0]);
          rest = rest.slice(m[0].length);
        }
        return out;
      });
      if (parsed.some((p) => p === null || p.length === 0)) break;
      const shortest = Math.min(...parsed.map((p) => p!.length));
      sameLength = parsed.every((p) => p!.length === shortest);
      atom = [];
      for (let k = 0; k < shortest; k++) {
        const table = new Uint8Array(128);
        for (const p of parsed) charTable(p![k]!).forEach((flag, code) => flag === 1 && (table[code] = 1));
        atom.push(table);
      }
      atomEnd = close + 1;
    } else {
      const m = PLAIN_CHAR.exec(pattern.slice(i));
      if (!m) break;
      atom = [charTable(m[0])];
      atomEnd = i + m[0].length;
    }
    const quantifier = /^(?:\{(\d+)(,\d*)?\}|[?*+])?/.exec(pattern.slice(atomEnd))!;
    const q = quantifier[0];
    if (q === "?" || q === "*" || /^\{0[,}]/.test(q)) break;
    const times = quantifier[1] === undefined ? 1 : Number(quantifier[1]);
    if (q !== "" && atom.length !== 1) break;
    for (let n = 0; n < times && tables.length < AFTER_LITERAL_PROBE; n++) tables.push(...atom.slice(0, AFTER_LITERAL_PROBE - tables.length));
    if (q === "+" || quantifier[2] !== undefined || !sameLength) break;
    i = atomEnd + q.length;
  }
  if (tables.length === 0) return null;
  const bits = new Int32Array(tables.length * 4);
  tables.forEach((t, k) => packClass(bits, k, t));
  return { offset: chars, length: tables.length, bits };
}

/**
 * An assignment rule's match at `at` (a keyword's end), read from where the run of name
 * characters from `at` ends (`runEnd`, nameRunEnd) with the pattern less its name rest: the
 * same match, since the name rest is greedy and what follows it cannot start with a name
 * character, but `.=` (PHP), whose `.` the name rest gives back. The regular expression then
 * does not retry the rest of the pattern after every shorter name (six tries for `twilioToken`
 * read from `twilio`). Offsets as matchAt's, the match starting at the name's end.
 */
export function matchAfterName(afterName: AnchoredPattern, text: string, at: number, runEnd: number, attempts: LastAttempt = NO_MEMO): MatchOffsets | null {
  const m = runEnd - at <= MAX_NAME_REST ? attempts.matchAt(afterName, text, runEnd) : null;
  if (m !== null || runEnd === at || text.charCodeAt(runEnd - 1) !== 46 /* . */ || text.charCodeAt(runEnd) !== 61 /* = */) return m;
  return runEnd - 1 - at <= MAX_NAME_REST ? attempts.matchAt(afterName, text, runEnd - 1) : null;
}

/**
 * A pattern's last attempt within one text. Rules anchored at one keyword often share a pattern
 * (compiled once per source: the three rules of `password` have one value format), and each
 * then asks it at the same place: the second reads the first's answer. `remember` false keeps
 * nothing (calls outside a scan).
 */
export class LastAttempt {
  private pattern: AnchoredPattern | null = null;
  private at = -1;
  private result: MatchOffsets | null = null;

  constructor(private readonly remember = true) {}

  matchAt(pattern: AnchoredPattern, text: string, at: number): MatchOffsets | null {
    if (pattern === this.pattern && at === this.at) return this.result;
    const result = pattern.matchAt(text, at);
    if (this.remember) {
      this.pattern = pattern;
      this.at = at;
      this.result = result;
    }
    return result;
  }
}

const NO_MEMO = new LastAttempt(false);

/**
 * matchAfterName where the name's run (ending at `runEnd`, the declaration read there) ends in a
 * typed declaration's commonest shape: ASSIGN can then take the value only after the operator or
 * at the type (TypedDeclaration), and its backtracking tries them in that order (every other way
 * through it puts the value's first character on a blank, which a value with a floor cannot
 * take, or needs a `value` type or a case-insensitive pattern, which have no such match). So
 * this tries the value lead and value at the operator's end, then the value alone at the type
 * where the run there fits the value's floor: the same match, read without retrying every
 * shorter type and operator. After the operator no run is counted first: the pattern turns a
 * short value away in about the time counting it takes, and a long one is read once, not twice.
 * Offsets as matchAt's, the match starting at the name's end. Checked against matchAfterName in
 * test/secrets.
 */
export function matchTypedDeclaration(rule: CompiledRule, text: string, declaration: TypedDeclaration, runEnd: number, attempts: LastAttempt = NO_MEMO): MatchOffsets | null {
  const floor = rule.valueFloor;
  const patterns = rule.typedDeclaration!;
  let m = attempts.matchAt(patterns.afterOperator, text, declaration.operatorEnd);
  if (m === null && declaration.reachAtType(floor) >= floor) m = attempts.matchAt(patterns.atType, text, declaration.typeStart);
  return m === null ? null : [runEnd, m[1]!, m[2]!, m[3]!];
}

/** Whether `shape` allows the character with code `c` at offset `k` after the literal. */
export function admitsAt(shape: AfterLiteral, k: number, c: number): boolean {
  return c < 128 && ((shape.bits[(k << 2) | (c >> 5)]! >>> (c & 31)) & 1) === 1;
}

function afterLiteralOf(pattern: string | undefined, excluded: boolean): AfterLiteral | null {
  if (pattern === undefined || excluded) return null;
  const literal = literalStart(pattern);
  const after = afterLiteralShape(pattern);
  return literal.length > 0 && after !== null && after.offset === literal.length ? after : null;
}

/** A match before masking: offsets into the scanned text. */
export interface RawMatch {
  readonly rule: CompiledRule;
  readonly start: number;
  readonly end: number;
  readonly secretStart: number;
  readonly secretEnd: number;
  readonly severity: SecretSeverity;
}

/** 128 flags for the ASCII characters of a class body like "A-Za-z0-9_-". */
export function classTable(body: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < body.length; i++) {
    const from = body.charCodeAt(i);
    if (body[i + 1] === "-" && i + 2 < body.length) {
      const to = body.charCodeAt(i + 2);
      for (let c = from; c <= to && c < 128; c++) table[c] = 1;
      i += 2;
    } else if (from < 128) table[from] = 1;
  }
  return table;
}

/** Sets, in `bits`, the 128 bits (4 words) at `slot` for the ASCII characters a classTable-style `table` flags. */
function packClass(bits: Int32Array, slot: number, table: Uint8Array): void {
  table.forEach((flag, c) => flag === 1 && (bits[(slot << 2) | (c >> 5)]! |= 1 << (c & 31)));
}

function inClass(table: Uint8Array | null, c: number): boolean {
  return table !== null && c < 128 && table[c] === 1;
}

/** What may follow a value that ends its line: blanks, a closing quote, a carriage return. */
const BLANK_OR_QUOTE = new Uint8Array(65536);
for (const c of " \t\r\"'`") BLANK_OR_QUOTE[c.charCodeAt(0)] = 1;

/** Numbers distinct strings 0, 1, 2 ... in the order they are first seen. */
function numbering(): { readonly ids: Map<string, number>; readonly of: (key: string) => number } {
  const ids = new Map<string, number>();
  return {
    ids,
    of(key) {
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      return id;
    },
  };
}

/** CandidateTests.flags bits: which of scanText's tests up to the assignment apply to a rule. */
const SEARCHED = 1;
const REQUIRES = 2;
const PREFIXED = 4;
const LITERAL = 8;
const BEFORE = 16;
const NEEDS_AT_START = 32;
const AFTER_LITERAL = 64;
const AFTER_KEYWORD = 128;
const ASSIGNMENT = 256;

/**
 * The per-candidate tests of every rule in a few dense typed arrays indexed by rule: keyword-dense
 * text tries thousands of candidates, and reading these instead of each rule object and its
 * separate tables keeps them in the first-level cache (cachegrind: about 13 first-level misses per
 * candidate before). Each mirrors the CompiledRule field it stands for.
 */
interface CandidateTests {
  readonly flags: Uint16Array;
  /** rule.literal. */
  readonly literals: readonly string[];
  /** rule.before as 128 bits (4 words) per rule. */
  readonly beforeBits: Int32Array;
  /** rule.afterLiteral: where its bits start in afterBits, and how many offsets it has. */
  readonly afterFrom: Int32Array;
  readonly afterLength: Uint8Array;
  readonly afterBits: Int32Array;
}

function candidateTests(rules: readonly CompiledRule[]): CandidateTests {
  const flags = new Uint16Array(rules.length);
  const beforeBits = new Int32Array(rules.length * 4);
  const afterFrom = new Int32Array(rules.length);
  const afterLength = new Uint8Array(rules.length);
  const afterBits: number[] = [];
  for (const rule of rules) {
    const r = rule.index;
    let f = 0;
    if (rule.search !== null) f |= SEARCHED;
    if (rule.requires !== null) f |= REQUIRES;
    if (rule.prefix !== null) f |= PREFIXED;
    if (rule.literal.length > 0) f |= LITERAL;
    if (rule.before !== null) {
      f |= BEFORE;
      packClass(beforeBits, r, rule.before);
    }
    if (rule.needs !== null && !rule.afterKeyword) f |= NEEDS_AT_START;
    if (rule.afterKeyword) f |= AFTER_KEYWORD;
    if (rule.assignment) f |= ASSIGNMENT;
    if (rule.afterLiteral !== null) {
      f |= AFTER_LITERAL;
      afterFrom[r] = afterBits.length;
      afterLength[r] = rule.afterLiteral.length;
      afterBits.push(...rule.afterLiteral.bits);
    }
    flags[r] = f;
  }
  return { flags, literals: rules.map((rule) => rule.literal), beforeBits, afterFrom, afterLength, afterBits: Int32Array.from(afterBits) };
}

/** How many name ends a PausedReach passes without reading once it failed to turn a rule away. */
const REACH_PAUSE = 16;

/**
 * A value's reach read before keyed patterns, for one kind of name end within one scan (after a
 * type in a shape other than TypedDeclaration's: valueReach; after a plain `=`: plainEqualsReach,
 * -1 where it cannot tell). Kept for
 * the last name end asked, read up to the largest floor asked there (exact below it). A reach is
 * a filter: reading it or not finds the same matches. It pays where values are short and is
 * wasted where they are long, so once it turns no rule away it is not read for the next
 * REACH_PAUSE name ends (`pausedAt`: the last one passed).
 */
class PausedReach {
  private at = -1;
  private enough = 0;
  private reach = -1;
  private pause = 0;
  private pausedAt = -1;

  constructor(private readonly read: (text: string, runEnd: number, enough: number) => number) {}

  /** Whether the reach at `runEnd` shows that no value of `floor` characters follows (the rule cannot match); false while paused or where it cannot tell. */
  turnsAway(text: string, runEnd: number, floor: number): boolean {
    if (this.pause > 0 && this.at !== runEnd) {
      if (this.pausedAt !== runEnd) {
        this.pausedAt = runEnd;
        this.pause--;
      }
      return false;
    }
    if (floor <= 0) return false;
    if (this.at !== runEnd || (this.reach >= this.enough && this.enough < floor)) {
      this.at = runEnd;
      this.enough = floor;
      this.reach = this.read(text, runEnd, floor);
      if (this.reach < 0 || this.reach >= floor) this.pause = REACH_PAUSE;
    }
    return this.reach >= 0 && this.reach < floor;
  }
}

/** KeywordGates.kinds bits: which of the characters around a hit the keyword's gate reads. */
const GATE_BEFORE = 1;
const GATE_AFTER = 2;
const GATE_EXACT = 4;
/** Every rule of the keyword is keyed: the run of name characters after the hit ends within ASSIGN's name (scanText reads it, with its cache of runs). */
const GATE_NAME = 8;

/** How many characters after a hit a keyword's gate reads at most. */
const GATE_AFTER_DEPTH = 3;

/**
 * What every rule anchored at a keyword needs around a hit, read before any of them is tried: the
 * character before it, up to GATE_AFTER_DEPTH characters right after it (which must exist), the
 * case every rule's literal start spells a letter of the keyword in, and for keyed rules a name
 * that ASSIGN can read. A hit failing its keyword's gate fails each rule's own tests (the
 * boundary before, the literal, the characters after the literal, a prefix, the start of an
 * assignment), so it is skipped whole; keyword-dense text has thousands of such hits (`sk` of
 * `task`, `akia` in lower case). Each part is the union over the keyword's rules, and a rule that
 * allows anything there (a custom rule, a prefix that may be empty, a pattern starting with a
 * group) turns that part off.
 */
export interface KeywordGates {
  /** Per keyword: GATE_BEFORE | GATE_AFTER | GATE_EXACT | GATE_NAME, the parts that apply. */
  readonly kinds: Uint8Array;
  /** Per keyword, 128 bits (4 words): the ASCII characters allowed right before the hit. */
  readonly before: Int32Array;
  /** Per keyword with GATE_AFTER: how many characters after the hit are read (1 to GATE_AFTER_DEPTH). */
  readonly afterDepth: Uint8Array;
  /** Per keyword and offset after the hit, 128 bits: the ASCII characters allowed there, at ((k * GATE_AFTER_DEPTH + d) << 2). */
  readonly after: Int32Array;
  /**
   * Per keyword with GATE_EXACT: one letter of it as every rule's literal spells it, its offset in
   * the keyword and its code; the first upper-case one where there is one (`J` of `eyJ`), since
   * text that spells a keyword in another case mostly writes it in lower case.
   */
  readonly exactOffset: Uint8Array;
  readonly exactCode: Uint16Array;
}

/** The gates of `keywords` given the content rules anchored at each (see KeywordGates). */
export function keywordGates(keywords: readonly string[], rulesOf: (keyword: number) => readonly CompiledRule[]): KeywordGates {
  const n = keywords.length;
  const kinds = new Uint8Array(n);
  const beforeBits = new Int32Array(n * 4);
  const afterBits = new Int32Array(n * GATE_AFTER_DEPTH * 4);
  const afterDepth = new Uint8Array(n);
  const exactOffset = new Uint8Array(n);
  const exactCode = new Uint16Array(n);
  keywords.forEach((keyword, k) => {
    const rules = rulesOf(k);
    const before = new Uint8Array(128);
    const after = Array.from({ length: GATE_AFTER_DEPTH }, () => new Uint8Array(128));
    let anyBefore = rules.length === 0;
    // The offsets after the hit where every rule so far needs one of a known set of characters.
    let depth = rules.length === 0 ? 0 : GATE_AFTER_DEPTH;
    // undefined: no rule read yet; null: the rules disagree, or one has no literal covering the keyword.
    let exact: string | null | undefined;
    let allKeyed = rules.length > 0;
    const q = keyword.length;
    for (const rule of rules) {
      // The character before the hit (scanText: the prefix, then BEFORE with its escape exception).
      if (rule.search !== null || (rule.prefix !== null && rule.prefix.min === 0)) anyBefore = true;
      else if (rule.prefix !== null) rule.prefix.chars.forEach((flag, c) => flag === 1 && (before[c] = 1));
      else if (rule.before !== null) {
        rule.before.forEach((flag, c) => flag === 0 && (before[c] = 1));
        // `\n`, `\t`, `\r` written out: the letter is an escape's (afterEscape).
        for (const c of "ntr") before[c.charCodeAt(0)] = 1;
      } else anyBefore = true;
      // The characters right after the hit, and the keyword's own letters.
      let ruleExact: string | null = null;
      if (rule.search !== null || rule.prefix !== null) {
        depth = 0;
      } else if (rule.afterKeyword) {
        if (rule.assignment) {
          for (let c = 0; c < 128; c++) if (assignmentMayFollow(c)) after[0]![c] = 1;
          depth = Math.min(depth, 1);
        } else depth = 0;
      } else if (rule.literal.length > 0) {
        const literal = rule.literal;
        if (literal.length >= q) ruleExact = literal.slice(0, q);
        for (let d = 0; d < depth; d++) {
          const offset = q + d;
          if (offset < literal.length) after[d]![literal.charCodeAt(offset)] = 1;
          else if (rule.afterLiteral !== null && offset - literal.length < rule.afterLiteral.length) {
            for (let c = 0; c < 128; c++) if (admitsAt(rule.afterLiteral, offset - literal.length, c)) after[d]![c] = 1;
          } else depth = d;
        }
      } else depth = 0;
      exact = exact === undefined || exact === ruleExact ? ruleExact : null;
      // Keyed (assignment) rules are built-in rules anchored after their keyword.
      if (!rule.assignment || rule.prefix !== null) allKeyed = false;
    }
    let kind = 0;
    if (!anyBefore) {
      kind |= GATE_BEFORE;
      packClass(beforeBits, k, before);
    }
    if (depth > 0) {
      kind |= GATE_AFTER;
      afterDepth[k] = depth;
      for (let d = 0; d < depth; d++) packClass(afterBits, k * GATE_AFTER_DEPTH + d, after[d]!);
    }
    // One letter suffices to turn away text in another case; the rules' literal test reads the rest.
    const letter = typeof exact === "string" ? (/[A-Z]/.exec(exact) ?? /[a-z]/.exec(exact)) : null;
    if (letter !== null) {
      kind |= GATE_EXACT;
      exactOffset[k] = letter.index;
      exactCode[k] = letter[0].charCodeAt(0);
    }
    if (allKeyed) kind |= GATE_NAME;
    kinds[k] = kind;
  });
  return { kinds, before: beforeBits, afterDepth, after: afterBits, exactOffset, exactCode };
}

/**
 * Whether a hit of keyword `k` at [start, end) in `text` passes the keyword's gate (KeywordGates),
 * but for GATE_NAME, which scanText reads with its cache of name runs (nameGateHolds).
 */
export function passesGate(gates: KeywordGates, k: number, text: string, start: number, end: number): boolean {
  const kind = gates.kinds[k]!;
  if ((kind & GATE_BEFORE) !== 0 && start > 0) {
    const c = text.charCodeAt(start - 1);
    if (c < 128 && ((gates.before[(k << 2) | (c >> 5)]! >>> (c & 31)) & 1) === 0) return false;
  }
  if ((kind & GATE_AFTER) !== 0) {
    const depth = gates.afterDepth[k]!;
    // Every rule reads a character at each of these offsets.
    if (end + depth > text.length) return false;
    for (let d = 0; d < depth; d++) {
      const c = text.charCodeAt(end + d);
      if (c < 128 && ((gates.after[((k * GATE_AFTER_DEPTH + d) << 2) | (c >> 5)]! >>> (c & 31)) & 1) === 0) return false;
    }
  }
  return (kind & GATE_EXACT) === 0 || text.charCodeAt(start + gates.exactOffset[k]!) === gates.exactCode[k];
}

/**
 * GATE_NAME: ASSIGN's name rest is at most MAX_NAME_REST characters (one more where `.=` follows),
 * so the run of name characters after a keyed keyword (`runEnd`, nameRunEnd from `end`) must end
 * within that: keyword-dense text glues names far longer.
 */
export function nameGateHolds(end: number, runEnd: number): boolean {
  return runEnd - end <= MAX_NAME_REST + 1;
}

/** How many characters nextEquals reads itself before it asks indexOf. */
const EQUALS_NEAR = 8;

/**
 * The first `=` at or after `from`, or -1: the next few characters are read here, since where
 * names and `=` alternate (`token = token = …`) the search starts anew at every name and a call
 * of indexOf costs more than reading them; beyond those, indexOf.
 */
export function nextEquals(text: string, from: number): number {
  const near = Math.min(text.length, from + EQUALS_NEAR);
  for (let i = from; i < near; i++) if (text.charCodeAt(i) === 61 /* = */) return i;
  return near < text.length ? text.indexOf("=", near) : -1;
}

/** The first ASCII digit or upper-case letter at or after `from`, or -1. */
export function nextDigitOrUpper(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90)) return i;
  }
  return -1;
}

export class SecretScanner {
  readonly rules: readonly CompiledRule[];
  readonly contentRules: readonly CompiledRule[];
  readonly fileRules: readonly CompiledRule[];
  private readonly index: KeywordIndex;
  /** The indices of the content rules anchored at keyword k: keywordRules[keywordRuleStart[k] .. keywordRuleStart[k + 1]). */
  private readonly keywordRuleStart: Int32Array;
  private readonly keywordRules: Int32Array;
  /** What scanText tests for each candidate before reading its rule, per rule index (CandidateTests). */
  private readonly tests: CandidateTests;
  /**
   * What every rule of a keyword needs around a hit (KeywordGates); null: each hit goes to its
   * rules. The constructor's `gates: false` also turns off digitOrUpperWithin: tests compare
   * scans with and without these shortcuts.
   */
  private readonly gates: KeywordGates | null;
  private readonly keywordLengths: Int32Array;
  private readonly allowValues: ReadonlySet<string>;
  private readonly allowPatterns: readonly RE2JS[];
  private readonly userStopWords: readonly string[];
  private readonly builtinStopWords: readonly string[];
  private readonly anyFileRule: PathMatcher;
  /** How many distinct texts rules need (SecretRuleSpec.needs), each given a slot. */
  private readonly needSlots: number;
  /** Lockfiles are skipped with a notice (their integrity hashes look like secrets). */
  readonly isLockfile: PathMatcher;

  constructor(
    readonly options: SecretsOptions,
    readonly engine: EngineName = DEFAULT_ENGINE,
    { gates = true }: { readonly gates?: boolean } = {},
  ) {
    const { ids: keywordIds, of: keywordId } = numbering();
    const anchored = new Map<number, CompiledRule[]>();

    // Custom rules first: where a custom match overlaps a built-in one, the custom rule wins.
    const specs: (SecretRuleSpec & { custom: boolean })[] = [
      ...options.custom.map((c) => ({
        id: c.id,
        provider: c.provider,
        description: c.description,
        severity: c.severity,
        keywords: c.keywords,
        pattern: c.pattern,
        ignoreCase: c["ignore-case"],
        before: null,
        after: null,
        custom: true,
      })),
      ...BUILTIN_RULES.map((r) => ({ ...r, custom: false })),
    ];

    const { ids: needSlots, of: needSlot } = numbering();
    const rules: CompiledRule[] = [];
    for (const spec of specs) {
      const override = options.severity[spec.id];
      if (override === "off") continue;
      // A built-in keyed rule: its pattern starts with ASSIGN after the keyword.
      const keyed = !spec.custom && spec.afterKeyword === true && spec.pattern !== undefined && spec.pattern.startsWith(ASSIGN);
      const value = keyed ? spec.pattern!.slice(ASSIGN.length) : "";
      const floor = keyed ? valueFloor(value) : 0;
      const rule: CompiledRule = {
        index: rules.length,
        id: spec.id,
        provider: spec.provider,
        description: spec.description,
        severity: override ?? spec.severity,
        custom: spec.custom,
        pattern: spec.pattern && !spec.custom ? compileAnchored(spec.pattern, { engine, ignoreCase: spec.ignoreCase === true }) : null,
        search: spec.pattern && spec.custom ? compileLineSearch(spec.pattern, spec.ignoreCase === true) : null,
        afterKeyword: spec.afterKeyword === true,
        prefix: spec.prefix ? { chars: classTable(spec.prefix.chars), min: spec.prefix.min, max: spec.prefix.max } : null,
        before: spec.before === null ? null : classTable(spec.before ?? DEFAULT_BOUNDARY),
        after: spec.after === null ? null : classTable(spec.after ?? DEFAULT_BOUNDARY),
        requires: spec.requires ? spec.requires.map(keywordId) : null,
        check: spec.check ? CHECKS[spec.check] : null,
        minEntropy: spec.minEntropy ?? 0,
        stopWords: spec.stopWords === true,
        files: spec.files ? globMatcher(spec.files) : null,
        literal: spec.pattern && !spec.custom && !spec.prefix && !spec.afterKeyword && spec.ignoreCase !== true ? literalStart(spec.pattern) : "",
        afterLiteral: afterLiteralOf(spec.pattern, spec.custom || spec.prefix !== undefined || spec.afterKeyword === true || spec.ignoreCase === true),
        randomBody: !spec.custom && !(spec.check && STRUCTURED_CHECKS.has(spec.check)),
        assignment: keyed,
        afterName:
          keyed
            ? compileAnchored(spec.pattern.slice(NAME_REST.length), { engine, ignoreCase: spec.ignoreCase === true })
            : null,
        afterNameUntyped: keyed ? compileAnchored(ASSIGN_UNTYPED_AFTER_NAME + value, { engine, ignoreCase: spec.ignoreCase === true }) : null,
        valueFloor: floor,
        typedDeclaration:
          floor > 0 && spec.ignoreCase !== true
            ? { afterOperator: compileAnchored(VALUE_LEAD + value, { engine }), atType: compileAnchored(value, { engine }) }
            : null,
        needs: spec.needs && !spec.custom ? { text: spec.needs.text, slot: needSlot(spec.needs.text), distance: spec.needs.distance } : null,
        // Only where the scanner compares the literal first (rule.literal) and reads from it.
        run: spec.pattern && !spec.custom && !spec.prefix && !spec.afterKeyword && spec.ignoreCase !== true ? literalRunOf(spec.pattern) : null,
        digitOrUpperWithin: spec.check === "letters-and-digits" && spec.pattern && !spec.custom && gates ? analyzePattern(spec.pattern).maxLength : 0,
        keepsSecret: spec.check === undefined || SECRET_KEEPING_CHECKS.has(spec.check),
        secretTest: spec.check === undefined ? null : (SECRET_TESTS[spec.check] ?? null),
        contextCheck: spec.check === undefined ? null : (CONTEXT_CHECKS[spec.check] ?? null),
        secretOnly: spec.check !== undefined && SECRET_ONLY_CHECKS.has(spec.check),
      };
      rules.push(rule);
      for (const k of spec.afterKeyword ? settingNameVariants(spec.keywords ?? []) : (spec.keywords ?? [])) {
        const id = keywordId(k);
        const list = anchored.get(id) ?? [];
        list.push(rule);
        anchored.set(id, list);
      }
    }

    this.rules = rules;
    this.needSlots = needSlots.size;
    this.contentRules = rules.filter((r) => r.pattern !== null || r.search !== null);
    this.fileRules = rules.filter((r) => r.files !== null);
    this.anyFileRule = globMatcher(specs.filter((r) => r.files && options.severity[r.id] !== "off").flatMap((r) => r.files ?? []));
    this.isLockfile = globMatcher(options.lockfiles);
    this.index = new KeywordIndex(
      [...keywordIds.keys()],
      new Set([...keywordIds.values()].filter((id) => !anchored.has(id))),
    );
    const byKeyword = [...keywordIds.values()].map((id) => anchored.get(id) ?? []);
    this.keywordRuleStart = new Int32Array(byKeyword.length + 1);
    byKeyword.forEach((list, k) => (this.keywordRuleStart[k + 1] = this.keywordRuleStart[k]! + list.length));
    this.keywordRules = Int32Array.from(byKeyword.flat(), (rule) => rule.index);
    this.tests = candidateTests(rules);
    this.gates = gates ? keywordGates([...keywordIds.keys()], (k) => byKeyword[k]!) : null;
    this.keywordLengths = Int32Array.from(keywordIds.keys(), (k) => k.length);
    this.allowValues = new Set(options.allow.values);
    this.allowPatterns = options.allow.patterns.map((p) => RE2JS.compile(p));
    this.userStopWords = options.allow["stop-words"];
    this.builtinStopWords = STOP_WORDS;
  }

  /** File rules (key stores) that a path matches. */
  fileRulesFor(path: string): CompiledRule[] {
    if (!this.anyFileRule(path)) return [];
    return this.fileRules.filter((r) => r.files!(path));
  }

  /** Every secret in `text`, overlapping matches resolved in favour of the more specific rule. */
  scanText(original: string): RawMatch[] {
    const hits = this.index.find(original);
    const count = hits.count;
    if (count === 0) return [];
    const text = hits.text;
    const starts = hits.starts;
    const keywordIds = hits.keywords;
    const present = hits.present;
    const rules = this.rules;
    const keywordRuleStart = this.keywordRuleStart;
    const keywordRules = this.keywordRules;
    const { flags, literals, beforeBits, afterFrom, afterLength, afterBits } = this.tests;
    const keywordLengths = this.keywordLengths;
    const nextAllowed = new Int32Array(this.rules.length);
    /** Per rule: 0 not yet known, 1 one of its required keywords is in the text, 2 none is. */
    const requiresMet = new Uint8Array(this.rules.length);
    // assignmentCanStart at the last offset asked, since rules anchored at one keyword share it.
    let assignmentAt = -1;
    let assignmentOk = false;
    // assignmentReading at the last name end read (`readingFor`): every keyword inside one name
    // (`twilio` and `token` of `twilioToken`) shares its end.
    let readingFor = -1;
    let reading = NO_OPERATOR;
    // Whether an `=` lies within TYPE_EQUALS_AFTER_NAME of that name end: else ASSIGN's alternative of a type cannot match there.
    let typeMayEnd = true;
    // The first `=` at or after `equalsFrom` (-1: none; an `equalsFrom` of -1: not looked for
    // yet), for assignmentReading: searches move forward through the text.
    let equalsFrom = -1;
    let equalsAt = -1;
    // Typed declarations in their commonest shape are read once per name end; other shapes
    // after a type by valueReach.
    const declaration = new TypedDeclaration();
    const attempts = new LastAttempt();
    const typedReach = new PausedReach(valueReach);
    const plainReach = new PausedReach(plainEqualsReach);
    // The end of the content of the line holding `lineFrom` (its last character that is not a
    // blank, a quote or a carriage return), kept while keyword offsets stay on that line.
    let lineFrom = -1;
    let lineBreak = -1;
    let contentEnd = -1;
    // The last run of name characters measured, [runFrom, runEnd): any offset inside it ends
    // there too, so runs are read once however many keywords they hold.
    let runFrom = -1;
    let runEnd = -1;
    const judging = new JudgingMemo();
    const cuts = new ValueCuts(text);
    const judgedParts: JudgedParts = { encoded: new Map(), plain: new Map() };
    // Per needed text (its slot): the next occurrence at or after `needFrom` (-1: none; a
    // `needFrom` of -1: not looked for yet).
    const needFrom = new Int32Array(this.needSlots).fill(-1);
    const needAt = new Int32Array(this.needSlots);
    const found: RawMatch[] = [];
    // The next ASCII digit or upper-case letter at or after `kindFrom` (-1: none; a `kindFrom` of
    // -1: not looked for yet), for digitOrUpperWithin: searches move forward through the text.
    let kindFrom = -1;
    let kindAt = -1;

    const gates = this.gates;
    const gated = gates?.kinds;
    for (let h = 0; h < count; h++) {
      const keywordStart = starts[h]!;
      const keyword = keywordIds[h]!;
      if (gated !== undefined) {
        const kind = gated[keyword]!;
        if (kind !== 0) {
          const end = keywordStart + keywordLengths[keyword]!;
          if (!passesGate(gates!, keyword, text, keywordStart, end)) continue;
          if ((kind & GATE_NAME) !== 0) {
            // The run cache the assignment test below reads too.
            if (end < runFrom || end > runEnd) {
              runFrom = end;
              runEnd = nameRunEnd(text, end);
            }
            if (!nameGateHolds(end, runEnd)) continue;
          }
        }
      }
      for (let j = keywordRuleStart[keyword]!; j < keywordRuleStart[keyword + 1]!; j++) {
        // Up to the assignment test, everything is read from the dense per-rule arrays of
        // CandidateTests; the rule object only where a rare test needs it or a pattern runs.
        const r = keywordRules[j]!;
        const tested = flags[r]!;
        if ((tested & SEARCHED) !== 0) {
          if (keywordStart >= nextAllowed[r]!) nextAllowed[r] = this.searchLine(rules[r]!, text, keywordStart, found);
          continue;
        }
        if ((tested & REQUIRES) !== 0) {
          let met = requiresMet[r]!;
          if (met === 0) {
            met = 2;
            for (const k of rules[r]!.requires!) if (present[k] === 1) met = 1;
            requiresMet[r] = met;
          }
          if (met === 2) continue;
        }
        let start = keywordStart;
        if ((tested & PREFIXED) !== 0) {
          const { chars, min, max } = rules[r]!.prefix!;
          let n = 0;
          while (n < max && start - n - 1 >= 0 && inClass(chars, text.charCodeAt(start - n - 1))) n++;
          if (n < min) continue;
          start -= n;
        }
        if (start < nextAllowed[r]!) continue;
        if ((tested & LITERAL) !== 0 && !text.startsWith(literals[r]!, start)) continue;
        if ((tested & BEFORE) !== 0 && start > 0) {
          const c = text.charCodeAt(start - 1);
          if (c < 128 && ((beforeBits[(r << 2) | (c >> 5)]! >>> (c & 31)) & 1) === 1 && !afterEscape(text, start)) continue;
        }
        // Cheapest first: one character before, then a needed text within reach (one cached
        // search per text), then the characters after the literal one by one.
        if ((tested & NEEDS_AT_START) !== 0 && !this.needFound(rules[r]!.needs!, text, start, needFrom, needAt)) continue;
        if ((tested & AFTER_LITERAL) !== 0) {
          const from = start + literals[r]!.length;
          const length = afterLength[r]!;
          if (from + length > text.length) continue;
          const bits = afterFrom[r]!;
          // admitsAt, on the rule's bits within afterBits.
          let k = 0;
          while (k < length) {
            const c = text.charCodeAt(from + k);
            if (c >= 128 || ((afterBits[bits + ((k << 2) | (c >> 5))]! >>> (c & 31)) & 1) === 0) break;
            k++;
          }
          if (k < length) continue;
        }
        const at = (tested & AFTER_KEYWORD) !== 0 ? start + keywordLengths[keyword]! : start;
        let declared = false;
        if ((tested & ASSIGNMENT) !== 0) {
          if (at !== assignmentAt) {
            assignmentAt = at;
            if (at < runFrom || at > runEnd) {
              runFrom = at;
              runEnd = nameRunEnd(text, at);
            }
            assignmentOk = assignmentCanStart(text, at, runEnd);
            if (assignmentOk) {
              if (readingFor !== runEnd) {
                readingFor = runEnd;
                if (equalsFrom < 0 || runEnd < equalsFrom || (equalsAt >= 0 && equalsAt < runEnd)) {
                  equalsFrom = runEnd;
                  // nextEquals, its first characters read in place (V8 rarely inlines it here).
                  const near = Math.min(text.length, runEnd + EQUALS_NEAR);
                  let equals = runEnd;
                  while (equals < near && text.charCodeAt(equals) !== 61 /* = */) equals++;
                  equalsAt = equals < near ? equals : nextEquals(text, near);
                }
                reading = assignmentReading(text, runEnd, equalsAt, declaration);
                typeMayEnd = equalsAt >= 0 && equalsAt - runEnd <= TYPE_EQUALS_AFTER_NAME;
              }
              if (reading === NO_OPERATOR) assignmentOk = false;
              else if (reading === ONLY_BLANK_OPERATOR) {
                if (at < lineFrom || at > lineBreak) {
                  lineFrom = at;
                  lineBreak = text.indexOf("\n", at);
                  if (lineBreak < 0) lineBreak = text.length;
                  contentEnd = lineBreak;
                  while (contentEnd > at && BLANK_OR_QUOTE[text.charCodeAt(contentEnd - 1)] === 1) contentEnd--;
                }
                assignmentOk = contentEnd - at <= BLANK_SEPARATED_REACH;
              }
            }
          }
          if (!assignmentOk) continue;
          if (reading === TYPED_OPERATOR) {
            declared = rules[r]!.typedDeclaration !== null && declaration.read(text, runEnd);
            if (!declared && typedReach.turnsAway(text, runEnd, rules[r]!.valueFloor)) continue;
          } else if (reading === OPERATOR && plainReach.turnsAway(text, runEnd, rules[r]!.valueFloor)) continue;
        }
        const rule = rules[r]!;
        if (rule.needs !== null && rule.afterKeyword && !this.needFound(rule.needs, text, at, needFrom, needAt)) continue;
        if (rule.digitOrUpperWithin > 0) {
          if (kindFrom < 0 || at < kindFrom || (kindAt >= 0 && kindAt < at)) {
            kindFrom = at;
            kindAt = nextDigitOrUpper(text, at);
          }
          if (kindAt < 0 || kindAt - at >= rule.digitOrUpperWithin) continue;
        }
        const m = declared
          ? matchTypedDeclaration(rule, text, declaration, runEnd, attempts)
          : rule.afterName !== null
            ? matchAfterName(typeMayEnd ? rule.afterName : rule.afterNameUntyped!, text, at, runEnd, attempts)
            : rule.run !== null
              ? runMatch(rule.run, text, at, (tested & AFTER_LITERAL) !== 0 ? afterLength[r]! : 0)
              : rule.pattern!.matchAt(text, at);
        if (!m) continue;
        let end = m[1]!;
        const matchStart = start;
        nextAllowed[rule.index] = end;
        let secretStart = m[2] !== undefined && m[2] >= 0 ? m[2] : m[0]!;
        let secretEnd = m[3] !== undefined && m[3] >= 0 ? m[3] : end;
        let severity = rule.severity;
        let judged: string | undefined;
        // A value this rule turned away before, which no check here can move or reread.
        let kept: string | undefined;
        // The check, or only its part around the secret where the secret has passed its test.
        let check = rule.check;
        if (rule.keepsSecret) {
          kept = cuts.cut(secretStart, secretEnd);
          const known = judging.verdict(rule.index, kept);
          if (known === false) continue;
          if (rule.secretTest !== null) {
            if (known === undefined && !judging.passedTest(rule.index, kept)) {
              if (!rule.secretTest(text, secretStart, secretEnd)) {
                judging.remember(rule.index, kept, false);
                continue;
              }
              judging.notePassedTest(rule.index, kept);
            }
            check = rule.contextCheck;
          }
        }

        if (check !== null) {
          const outcome = check({ text, matchStart, matchEnd: end, secretStart, secretEnd, judgedParts });
          if (!outcome) {
            if (rule.secretOnly) judging.remember(rule.index, kept!, false);
            continue;
          }
          end = outcome.matchEnd ?? end;
          secretStart = outcome.secretStart ?? secretStart;
          secretEnd = outcome.secretEnd ?? secretEnd;
          judged = outcome.judged;
          if (outcome.severity === "warning") severity = "warning";
          nextAllowed[rule.index] = Math.max(nextAllowed[rule.index]!, end);
        }
        if (end < text.length && inClass(rule.after, text.charCodeAt(end))) continue;

        const secret = kept ?? cuts.cut(secretStart, secretEnd);
        if (!this.acceptable(rule, secret, judged ?? secret, secretStart, judging)) continue;
        found.push({ rule, start, end, secretStart, secretEnd, severity });
      }
    }
    return resolveOverlaps(found);
  }

  /**
   * Whether `needs.text` starts within `needs.distance` of `at`. `needFrom`/`needAt` cache, per
   * needed text's slot, where the last search started and what it found (-1: nothing; a `needFrom`
   * of -1: not searched yet), so searches move forward through the text once.
   */
  private needFound(needs: NonNullable<CompiledRule["needs"]>, text: string, at: number, needFrom: Int32Array, needAt: Int32Array): boolean {
    const slot = needs.slot;
    const from = needFrom[slot]!;
    let next = needAt[slot]!;
    if (from < 0 || at < from || (next >= 0 && next < at)) {
      next = text.indexOf(needs.text, at);
      needFrom[slot] = at;
      needAt[slot] = next;
    }
    return next >= 0 && next - at <= needs.distance;
  }

  /**
   * A custom rule on the line around `offset`: every match of its pattern there. Returns the end
   * of the line, so later keyword hits on the same line do not search it again.
   */
  private searchLine(rule: CompiledRule, text: string, offset: number, found: RawMatch[]): number {
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    let lineEnd = text.indexOf("\n", offset);
    if (lineEnd < 0) lineEnd = text.length;
    for (const m of rule.search!.findAll(text.slice(lineStart, lineEnd))) {
      const secretStart = lineStart + (m[2] !== undefined && m[2] >= 0 ? m[2] : m[0]!);
      const secretEnd = lineStart + (m[3] !== undefined && m[3] >= 0 ? m[3] : m[1]!);
      const secret = text.slice(secretStart, secretEnd);
      if (!this.acceptable(rule, secret, secret)) continue;
      found.push({ rule, start: lineStart + m[0]!, end: lineStart + m[1]!, secretStart, secretEnd, severity: rule.severity });
    }
    return lineEnd + 1;
  }

  /**
   * Whether a matched value is reported: not a placeholder, an allowed value or pattern, a value
   * holding a stop-word, too little entropy for the rule, or a made-up body. Within one scan
   * (`memo`), a value is judged once per rule however often it recurs: the verdict depends on the
   * rule, the value and what it is judged as (a check's `judged`, as the password decoded from
   * Basic credentials), so that is the memo's key.
   */
  private acceptable(rule: CompiledRule, secret: string, judged: string, secretStart = -1, memo: JudgingMemo | null = null): boolean {
    if (memo === null) return this.judge(rule, secret, judged, secretStart, memo);
    const known = memo.verdict(rule.index, secret, judged);
    if (known !== undefined) return known;
    const verdict = this.judge(rule, secret, judged, secretStart, memo);
    memo.remember(rule.index, secret, verdict, judged);
    return verdict;
  }

  private judge(rule: CompiledRule, secret: string, judged: string, secretStart: number, memo: JudgingMemo | null): boolean {
    if (secret.length === 0) return false;
    if (this.options.placeholders && (judged.length <= PLACEHOLDER_MAX_LENGTH ? isPlaceholder(judged) : isLongPlaceholder(judged))) return false;
    if (this.allowValues.has(secret) || this.allowValues.has(judged)) return false;
    if (this.allowPatterns.some((p) => p.test(secret))) return false;
    if (containsStopWord(judged, this.userStopWords)) return false;
    if (rule.stopWords && containsStopWord(judged, this.builtinStopWords)) return false;
    if (rule.minEntropy > 0 && !meetsEntropy(secret, rule.minEntropy)) return false;
    if (rule.randomBody && secret.length <= RANDOM_BODY_MAX_LENGTH) {
      const skip = secret.startsWith(rule.literal) ? rule.literal.length : 0;
      const body = skip > 0 ? secret.slice(skip) : secret;
      if (memo === null || secretStart < 0) return !looksMadeUp(body);
      return !memo.madeUp(body, secretStart + skip);
    }
    return true;
  }
}

/**
 * The values cut from one scanned text, the last two distinct ones kept as strings: a value cut
 * at the same offsets as one of them, or equal to it, is that same string. JudgingMemo compares a
 * value with what each rule judged last two or three times per rule, and V8 compares two strings
 * cut from a text (views into it, from 13 characters) character by character in a runtime call,
 * about 30 ns for a 20-40 character value; the same string compares by identity. So a value
 * recurring line after line is compared where it is cut, however many rules then judge it. Two,
 * since rules sharing a keyword often take two values at one place (a URL, and the password in it).
 */
export class ValueCuts {
  private from = -1;
  private to = -1;
  private last = "";
  private otherFrom = -1;
  private otherTo = -1;
  private other = "";

  constructor(private readonly text: string) {}

  /** The characters of the text from `start` to `end`. */
  cut(start: number, end: number): string {
    if (start === this.from && end === this.to) return this.last;
    if (start === this.otherFrom && end === this.otherTo) return this.swap();
    let value = this.text.slice(start, end);
    if (value.length === this.last.length && value === this.last) value = this.last;
    else if (value.length === this.other.length && value === this.other) {
      this.swap();
      value = this.last;
    } else {
      this.otherFrom = this.from;
      this.otherTo = this.to;
      this.other = this.last;
    }
    this.from = start;
    this.to = end;
    this.last = value;
    return value;
  }

  /** Makes the other value the last one; returns it. */
  private swap(): string {
    const from = this.from;
    const to = this.to;
    const last = this.last;
    this.from = this.otherFrom;
    this.to = this.otherTo;
    this.last = this.other;
    this.otherFrom = from;
    this.otherTo = to;
    this.other = last;
    return this.last;
  }
}

/**
 * What one scan has judged already: the verdict per value and rule, and which bodies look made
 * up. Judging is a pure function of the value (and the rule), so a memo returns what judging
 * again would.
 */
export class JudgingMemo {
  /** Per value, the rules that judged it with their verdicts, `rule * 2 + (verdict ? 1 : 0)` each: mostly one (a typed array per value cost an allocation outside the heap). */
  private readonly verdicts = new Map<string, number[]>();
  /** The same for values judged as another text, keyed by both (the value's length first, so the pair reads one way only). */
  private readonly verdictsAsJudged = new Map<string, number[]>();
  private readonly madeUpBodies = new Map<string, boolean>();
  /** Text offsets of the last body found not made up ([-1, -1) before any). */
  private plainFrom = -1;
  private plainTo = -1;

  /**
   * Per rule, the last value it judged, what it was judged as, and the verdict: a value recurring
   * line after line is then compared, not hashed (a value cut from the text is a slice, whose hash
   * reads it through the text first).
   */
  private readonly lastValue: (string | undefined)[] = [];
  /** Per rule, the last value that passed its check's secret test (SECRET_TESTS). */
  private readonly lastTested: (string | undefined)[] = [];
  private readonly lastJudged: (string | undefined)[] = [];
  private readonly lastVerdict: boolean[] = [];

  /** The verdict of `rule` on `value` judged as `judged` (a check's reading of it; the value itself by default), if given before. */
  verdict(rule: number, value: string, judged = value): boolean | undefined {
    if (this.lastValue[rule] === value && this.lastJudged[rule] === judged) return this.lastVerdict[rule];
    const entries = judged === value ? this.verdicts.get(value) : this.verdictsAsJudged.get(`${value.length}:${value}${judged}`);
    if (entries === undefined) return undefined;
    for (const entry of entries) {
      if (entry >> 1 !== rule) continue;
      const verdict = (entry & 1) === 1;
      this.keepLast(rule, value, judged, verdict);
      return verdict;
    }
    return undefined;
  }

  /** Whether `value` is the last value that passed `rule`'s secret test (notePassedTest). */
  passedTest(rule: number, value: string): boolean {
    return this.lastTested[rule] === value;
  }

  notePassedTest(rule: number, value: string): void {
    this.lastTested[rule] = value;
  }

  private keepLast(rule: number, value: string, judged: string, verdict: boolean): void {
    this.lastValue[rule] = value;
    this.lastJudged[rule] = judged;
    this.lastVerdict[rule] = verdict;
  }

  remember(rule: number, value: string, verdict: boolean, judged = value): void {
    this.keepLast(rule, value, judged, verdict);
    const entry = rule * 2 + (verdict ? 1 : 0);
    const map = judged === value ? this.verdicts : this.verdictsAsJudged;
    const key = judged === value ? value : `${value.length}:${value}${judged}`;
    const entries = map.get(key);
    if (entries === undefined) map.set(key, [entry]);
    else entries.push(entry);
  }

  /**
   * looksMadeUp for `body`, found at offset `at` of the scanned text. A run, repeat or sequence in
   * a part of a body is one in the body, so a part of a body found not made up (the overlapping
   * matches of rules sharing a keyword, `glpat-…` and `gldt-…` within it) is not made up either.
   */
  madeUp(body: string, at: number): boolean {
    if (at >= this.plainFrom && at + body.length <= this.plainTo) return false;
    let verdict = this.madeUpBodies.get(body);
    if (verdict === undefined) {
      verdict = looksMadeUp(body);
      this.madeUpBodies.set(body, verdict);
    }
    if (!verdict) {
      this.plainFrom = at;
      this.plainTo = at + body.length;
    }
    return verdict;
  }
}

/**
 * Where two matches overlap, the rule listed first wins (custom rules, then provider rules, then
 * the generic ones); matches that do not overlap are all kept.
 */
function resolveOverlaps(found: RawMatch[]): RawMatch[] {
  if (found.length < 2) return found;
  const byPriority = [...found].sort((a, b) => a.rule.index - b.rule.index || a.secretStart - b.secretStart);
  const kept: RawMatch[] = [];
  for (const m of byPriority) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.secretStart < m.secretStart) lo = mid + 1;
      else hi = mid;
    }
    const prev = kept[lo - 1];
    const next = kept[lo];
    if (prev && prev.secretEnd > m.secretStart) continue;
    if (next && next.secretStart < m.secretEnd) continue;
    kept.splice(lo, 0, m);
  }
  return kept;
}

const compiled = new WeakMap<SecretsOptions, Map<EngineName, SecretScanner>>();

/** One scanner per parsed options object and engine (rules are evaluated once per pull request). */
export function scannerFor(options: SecretsOptions, engine: EngineName = DEFAULT_ENGINE): SecretScanner {
  let byEngine = compiled.get(options);
  if (!byEngine) {
    byEngine = new Map();
    compiled.set(options, byEngine);
  }
  let scanner = byEngine.get(engine);
  if (!scanner) {
    scanner = new SecretScanner(options, engine);
    byEngine.set(engine, scanner);
  }
  return scanner;
}
