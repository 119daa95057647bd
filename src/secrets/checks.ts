/**
 * Validations a pattern alone cannot express: checksums providers document, structure that must
 * decode, and bodies that extend a match over many lines. Each reads a bounded or monotonic part
 * of the text, so the scan stays linear.
 */
import { isLongPlaceholder, isPlaceholder, looksMadeUp } from "./placeholders.js";
import type { CheckName, SecretSeverity } from "./types.js";
import { isJsonText } from "./json-syntax.js";

export interface CheckInput {
  readonly text: string;
  readonly matchStart: number;
  readonly matchEnd: number;
  readonly secretStart: number;
  readonly secretEnd: number;
  /**
   * Kept by the caller for one text (the scanner: one scan), for checks that judge parts of it
   * they find themselves; without it they judge every part afresh.
   */
  readonly judgedParts?: JudgedParts;
}

/** A Kubernetes Secret's entry values (base64 under `data:`, plain under `stringData:`), each with what it is judged as (null: not a secret). */
export interface JudgedParts {
  readonly encoded: Map<string, string | null>;
  readonly plain: Map<string, string | null>;
}

/** What a passing check changes; null from a check means "not a secret". */
export interface CheckOutcome {
  readonly matchEnd?: number;
  readonly secretStart?: number;
  readonly secretEnd?: number;
  /** The text placeholders and stop-words are judged on, when it is not the secret (a decoded password). */
  readonly judged?: string;
  readonly severity?: SecretSeverity;
}

export type Check = (input: CheckInput) => CheckOutcome | null;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function base62(value: number, width: number): string {
  let out = "";
  let v = value;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, "0");
}

/**
 * GitHub's and npm's token formats: a 4-character prefix, 30 random base62 characters, then the
 * CRC32 of those 30 characters in 6 base62 digits. A wrong checksum is not a token they issued.
 */
export function hasBase62Checksum(token: string): boolean {
  const body = token.slice(4);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

const base62Checksum: Check = ({ text, secretStart, secretEnd }) =>
  hasBase62Checksum(text.slice(secretStart, secretEnd)) ? {} : null;

function isBase64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
}

/** The longest PEM/armor body this scanner follows before giving up on finding its END line. */
export const MAX_PEM_BODY = 64 * 1024;
const MIN_PEM_BASE64 = 64;

/**
 * A private key block: after the BEGIN line, base64 (with optional `Name: value` headers, and
 * escaped `\n` when the key sits inside a JSON or env string) up to an `-----END` line. The body
 * walk stops at the first `-----`, so a BEGIN line repeated without END costs one pass in all.
 */
const pemBody: Check = ({ text, matchEnd }) => {
  let base64 = 0;
  let other = 0;
  const limit = Math.min(text.length, matchEnd + MAX_PEM_BODY);
  for (let i = matchEnd; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 45 /* - */ && text.startsWith("-----", i)) {
      if (!text.startsWith("-----END", i)) return null;
      if (base64 < MIN_PEM_BASE64 || other > base64 / 4) return null;
      const close = text.slice(i + 8, i + 88).indexOf("-----");
      const end = close >= 0 ? i + 8 + close + 5 : i + 8;
      let secretStart = skipArmorHeaders(text, matchEnd, i);
      while (secretStart < i && !isBase64Char(text.charCodeAt(secretStart))) secretStart++;
      let secretEnd = i;
      while (secretEnd > secretStart && !isBase64Char(text.charCodeAt(secretEnd - 1))) secretEnd--;
      return { matchEnd: end, secretStart, secretEnd };
    }
    if (isBase64Char(c)) base64++;
    else if (c !== 10 && c !== 13 && c !== 32 && c !== 9 && c !== 92 /* \ */) other++;
  }
  return null;
};

/** Past `Name: value` header lines (Proc-Type, DEK-Info, PGP's Version/Comment) at the start of a body. */
function skipArmorHeaders(text: string, from: number, to: number): number {
  let at = from;
  for (let n = 0; n < 10 && at < to; n++) {
    while (at < to && (text[at] === "\n" || text[at] === "\r" || (text[at] === "\\" && text[at + 1] === "n"))) at += text[at] === "\\" ? 2 : 1;
    let lineEnd = text.indexOf("\n", at);
    if (lineEnd < 0 || lineEnd > to) lineEnd = to;
    if (!text.slice(at, lineEnd).includes(": ")) return at;
    at = lineEnd;
  }
  return at;
}

function decodeBase64(text: string): string | null {
  const normal = text.replace(/-/g, "+").replace(/_/g, "/");
  try {
    return Buffer.from(normal, "base64").toString("latin1");
  } catch {
    return null;
  }
}

/** Each base64 and base64url character's 6-bit value; -1 for anything else. */
const BASE64_VALUE = new Int8Array(128).fill(-1);
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".split("").forEach((c, v) => (BASE64_VALUE[c.charCodeAt(0)] = v));
BASE64_VALUE[45 /* - */] = 62;
BASE64_VALUE[95 /* _ */] = 63;

/**
 * `text` decoded from base64 (or base64url) when it decodes to at least one byte and every one is
 * printable ASCII, else null:
 * `isPrintable(decodeBase64(text))` without Buffer's conversions, stopping at the first byte that
 * is not printable (`Basic` followed by short random base64, line after line, decodes to binary
 * at once). Reads as Buffer does, up to the first `=` (a lone last character adds nothing);
 * other characters outside both alphabets leave it to decodeBase64.
 */
export function decodePrintableBase64(text: string): string | null {
  // Decoded bytes gather in a scratch array and become one flat string at the end (a string
  // grown byte by byte is a chain of pieces that a later hash or comparison flattens first).
  const need = Math.ceil((text.length * 3) / 4);
  if (decodedScratch.length < need) decodedScratch = new Uint16Array(Math.max(need, decodedScratch.length * 2));
  const out = decodedScratch;
  let n = 0;
  let bits = 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61 /* = */) break;
    const v = c < 128 ? BASE64_VALUE[c]! : -1;
    if (v < 0) {
      const decoded = decodeBase64(text);
      return decoded && isPrintable(decoded) ? decoded : null;
    }
    bits = (bits << 6) | v;
    count += 6;
    if (count >= 8) {
      count -= 8;
      const byte = (bits >> count) & 0xff;
      if (byte < 32 || byte > 126) return null;
      out[n++] = byte;
      bits &= (1 << count) - 1;
    }
  }
  return n === 0 ? null : String.fromCharCode.apply(null, out.subarray(0, n) as unknown as number[]);
}

/** decodePrintableBase64's bytes, reused from call to call. */
let decodedScratch = new Uint16Array(256);

function isPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c > 126) return false;
  }
  return true;
}

function isBase64UrlChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
}

/**
 * A signed JWT: header and payload decode to JSON objects, the header names an algorithm other
 * than "none", and a signature of at least 16 characters follows. The pattern reads at most
 * 1000 characters of the payload; the rest is followed here.
 */
const jwt: Check = ({ text, matchStart, matchEnd }) => {
  let i = matchEnd;
  while (i < text.length && isBase64UrlChar(text.charCodeAt(i))) i++;
  if (text[i] !== ".") return null;
  let j = i + 1;
  while (j < text.length && isBase64UrlChar(text.charCodeAt(j))) j++;
  if (j - (i + 1) < 16) return null;
  const dot = text.indexOf(".", matchStart);
  const header = decodeBase64(text.slice(matchStart, dot));
  // Read for syntax first: a header crafted not to parse would cost an exception at every hit.
  if (header === null || !isJsonText(header)) return null;
  const parsed = JSON.parse(header) as unknown;
  if (typeof parsed !== "object" || parsed === null || !("alg" in parsed)) return null;
  if (String((parsed as { alg: unknown }).alg).toLowerCase() === "none") return null;
  return { matchEnd: j, secretEnd: j };
};

/** `Basic <base64>` must decode to printable `user:password` with a non-empty password. */
const basicAuth: Check = ({ text, secretStart, secretEnd }) => {
  const decoded = decodePrintableBase64(text.slice(secretStart, secretEnd));
  if (!decoded) return null;
  const colon = decoded.indexOf(":");
  if (colon < 1 || colon === decoded.length - 1) return null;
  return { judged: decoded.slice(colon + 1) };
};

const LOCAL_HOST = /^(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|example\.(?:com|org|net)|.*\.(?:local|test|example|invalid|localhost))$/i;

/**
 * `scheme://user:password@host`: the password equal to the user name is a documentation
 * pattern (postgres:postgres); a local or reserved host makes it a warning, not a block.
 */
const urlCredentials: Check = ({ text, matchStart, secretStart, secretEnd, matchEnd }) => {
  const password = text.slice(secretStart, secretEnd);
  const schemeEnd = text.indexOf("://", matchStart);
  const user = text.slice(schemeEnd + 3, secretStart - 1);
  if (user === password) return null;
  const host = /^[^\s:/?#@"'`]{0,255}/.exec(text.slice(secretEnd + 1, secretEnd + 256))?.[0] ?? "";
  return LOCAL_HOST.test(host) ? { severity: "warning", matchEnd } : {};
};

/** Base64 that decodes to a PEM private key header. */
const base64PrivateKey: Check = ({ text, secretStart, secretEnd }) => {
  const chunk = text.slice(secretStart, Math.min(secretEnd, secretStart + 120));
  const decoded = decodeBase64(chunk.slice(0, chunk.length - (chunk.length % 4)));
  return decoded && /^-----BEGIN [A-Z ]{0,30}PRIVATE KEY/.test(decoded) ? {} : null;
};

const LOWER = 1;
const UPPER = 2;
const DIGIT = 4;
const OTHER = 8;

/** The kinds of character in `text` from `start` to `end`, as flags: LOWER, UPPER, DIGIT, OTHER (anything else, beyond ASCII too). */
export function characterKinds(text: string, start: number, end: number): number {
  let kinds = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    kinds |= c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : OTHER;
    if (kinds === 15) break;
  }
  return kinds;
}

function hasLettersAndDigits(kinds: number): boolean {
  return (kinds & DIGIT) !== 0 && (kinds & (LOWER | UPPER)) !== 0;
}

/** Words run together in camel or Pascal case (`SuperSecretValue`), as names and prose are written. */
const CAMEL_WORDS = /^[A-Z]?[a-z]+(?:[A-Z][a-z]+)*$/;
const MIXED_CASE_MIN_LENGTH = 12;

/**
 * Letters with digits; or, from 12 characters, upper and lower case mixed the way words and names
 * are not (`VvJbPAZRiNFUvBWM`): a random base62 password of 16 characters holds no digit one time
 * in sixteen.
 */
const lettersAndDigits: Check = ({ text, secretStart, secretEnd }) => {
  const kinds = characterKinds(text, secretStart, secretEnd);
  if (hasLettersAndDigits(kinds)) return {};
  const mixedCase = secretEnd - secretStart >= MIXED_CASE_MIN_LENGTH && (kinds & LOWER) !== 0 && (kinds & UPPER) !== 0 && !CAMEL_WORDS.test(text.slice(secretStart, secretEnd));
  return mixedCase ? {} : null;
};

/** The longest segment of a property path: a longer one with digits in the value is a token's part (a Discord bot token's), not a name. */
const MAX_NAME_SEGMENT = 24;

const isIdentifierStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 /* _ */ || c === 36; /* $ */
const isIdentifierPart = (c: number) => isIdentifierStart(c) || (c >= 48 && c <= 57);

/**
 * Whether the value from `start` to `end` reads as code whatever surrounds it: a property path of
 * two or more identifiers (`messages_1.Messages.Token`, `this._printNextNode`; not where it has
 * digits and a segment longer than MAX_NAME_SEGMENT), or a comment's start (`/*#__PURE__*\/`).
 * `kinds`: its characterKinds. One pass, nothing allocated.
 */
export function readsAsCode(text: string, start: number, end: number, kinds: number): boolean {
  if (end - start >= 2 && text.charCodeAt(start) === 47 /* / */ && text.charCodeAt(start + 1) === 42 /* * */) return true;
  let segments = 0;
  let segmentStart = start;
  let longest = 0;
  for (let i = start; i <= end; i++) {
    // The value's end closes its last segment as a dot would.
    const c = i < end ? text.charCodeAt(i) : 46;
    if (c === 46 /* . */) {
      if (i === segmentStart) return false;
      segments++;
      if (i - segmentStart > longest) longest = i - segmentStart;
      segmentStart = i + 1;
    } else if (i === segmentStart ? !isIdentifierStart(c) : !isIdentifierPart(c)) return false;
  }
  return segments >= 2 && ((kinds & DIGIT) === 0 || longest <= MAX_NAME_SEGMENT);
}

function isQuote(c: string | undefined): boolean {
  return c === '"' || c === "'" || c === "`";
}

/**
 * The looser separators ASSIGN allows must look like what they stand for: `,` only between
 * quoted call arguments (`set("TOKEN", "…")`), `>` only for an element that closes right after
 * the value (`<token>…</token>`), blanks only when the value ends the line (`ENV TOKEN …`).
 * The separator is the text from the match's start to the value's.
 */
export function separatorFits(text: string, matchStart: number, secretStart: number, secretEnd: number): boolean {
  let comma = false;
  let angle = false;
  for (let i = matchStart; i < secretStart; i++) {
    const c = text.charCodeAt(i);
    if (c === 61 /* = */ || c === 58 /* : */) return true;
    if (c === 44 /* , */) comma = true;
    else if (c === 62 /* > */) angle = true;
  }
  if (comma) return secretStart > matchStart && isQuote(text[secretStart - 1]);
  if (angle) return text.startsWith("</", secretEnd);
  let i = secretEnd;
  if (isQuote(text[i])) i++;
  while (text[i] === " " || text[i] === "\t" || text[i] === "\r") i++;
  return i >= text.length || text[i] === "\n";
}

/** How many of lower case, upper case, digits and other characters `kinds` (characterKinds) holds. */
function kindCount(kinds: number): number {
  return (kinds & 1) + ((kinds >> 1) & 1) + ((kinds >> 2) & 1) + ((kinds >> 3) & 1);
}

/** How many of lower case, upper case, digits and other characters a value uses. */
function characterClasses(value: string): number {
  return kindCount(characterKinds(value, 0, value.length));
}

/**
 * What the assignment checks read around a value: it is not called (`toTimestamp2(`), and the
 * separator fits its shape (separatorFits).
 */
const assignedInPlace: Check = ({ text, matchStart, secretStart, secretEnd }) =>
  (secretEnd < text.length && text.charCodeAt(secretEnd) === 40) /* ( */ || !separatorFits(text, matchStart, secretStart, secretEnd) ? null : {};

/**
 * Any assigned value (the generic rule) has letters with digits, or three character classes,
 * which words and names rarely have, and does not read as code (readsAsCode).
 */
function assignedValueAlone(text: string, start: number, end: number): boolean {
  const kinds = characterKinds(text, start, end);
  return (hasLettersAndDigits(kinds) || kindCount(kinds) >= 3) && !readsAsCode(text, start, end, kinds);
}

/** A provider's format assigned to a setting named after it: the format already says much, so two character classes suffice; nor does it read as code. */
function namedFormatAlone(text: string, start: number, end: number): boolean {
  const kinds = characterKinds(text, start, end);
  return kindCount(kinds) >= 2 && !readsAsCode(text, start, end, kinds);
}

/** The generic rule's check: the value alone first (one pass over it turns most away), then around it. */
const assignedValue: Check = (input) => (assignedValueAlone(input.text, input.secretStart, input.secretEnd) ? assignedInPlace(input) : null);

const namedFormat: Check = (input) => (namedFormatAlone(input.text, input.secretStart, input.secretEnd) ? assignedInPlace(input) : null);

/**
 * The part of a check that reads the secret alone, for the checks that have one: where it fails,
 * the check fails whatever surrounds the secret, so the scanner remembers the secret as turned
 * away by the rule and does not run the check on it again.
 */
export const SECRET_TESTS: Partial<Readonly<Record<CheckName, (text: string, start: number, end: number) => boolean>>> = {
  "assigned-value": assignedValueAlone,
  "named-format": namedFormatAlone,
};

/**
 * For each check with a SECRET_TESTS entry, the rest of it: the check is that test, then this.
 * Where the secret has passed the test (here or at an earlier occurrence), the scanner runs only
 * this.
 */
export const CONTEXT_CHECKS: Partial<Readonly<Record<CheckName, Check>>> = {
  "assigned-value": assignedInPlace,
  "named-format": assignedInPlace,
};

/**
 * Checks that read the secret alone, nothing around it, and only pass or fail it: a secret one of
 * them turns away is turned away wherever it recurs, so the scanner remembers it as it does a
 * failed secret test.
 */
export const SECRET_ONLY_CHECKS: ReadonlySet<CheckName> = new Set<CheckName>(["github-checksum", "npm-checksum", "base64-private-key", "base64-jwt", "letters-and-digits"]);

const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}/;

/** Base64 that decodes to a signed JWT (checked by the `jwt` check's own rules on the decoded text). */
const base64Jwt: Check = ({ text, secretStart, secretEnd }) => {
  const chunk = text.slice(secretStart, secretEnd);
  const decoded = decodeBase64(chunk.slice(0, chunk.length - (chunk.length % 4)));
  if (!decoded || !JWT_SHAPE.test(decoded)) return null;
  return jwt({ text: decoded, matchStart: 0, matchEnd: decoded.indexOf(".", decoded.indexOf(".") + 1), secretStart: 0, secretEnd: decoded.length }) ? {} : null;
};

/**
 * One `name: value` entry of a YAML mapping at lastIndex: its indentation (group 1) and its value
 * (group 2). Sticky, so an entry is read in place rather than from a slice of its line.
 */
const YAML_ENTRY = /([ \t]{2,8})["']?[A-Za-z0-9._-]{1,253}["']?:[ \t]{1,4}["']?([^\s"']{1,3000})/y;
const MAX_SECRET_ENTRIES = 64;
const MIN_SECRET_VALUE = 8;
const NOT_SECRET_PEM = /^-----BEGIN (?:CERTIFICATE|PUBLIC KEY|X509 CRL)/;
/** Settings a Secret often carries next to its secrets: a URL without credentials, a host name, an e-mail address, a number. */
const NOT_SECRET_SETTING = /^(?:[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]+(?::[0-9]{1,5})?(?:\/[^\s@]*)?|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::[0-9]{1,5})?|[^\s@]+@[A-Za-z0-9.-]+|[0-9.:,-]+)$/;

/** What a Secret entry holds, read as a person would: base64 of `data:` decoded when it is text. */
function secretEntryValue(value: string, encoded: boolean): string | null {
  if (!encoded) return value;
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  const decoded = Buffer.from(value, "base64").toString("latin1").trim();
  // Random bytes (a key) stay as their base64; text is judged as written.
  return isPrintable(decoded.replace(/[\n\r\t]/g, " ")) ? decoded : decoded.length >= 16 ? value : null;
}

/**
 * A Secret entry's value (base64 when `encoded`) as judged: what it reads as, where that reads as
 * a secret (secretEntryValue, isSecretValue); null otherwise. Kept in `parts` per value.
 */
function judgedEntry(value: string, encoded: boolean, parts: JudgedParts | undefined): string | null {
  // Shorter than a secret however it is read (base64 decodes shorter still), or not base64's
  // length: turned away before any lookup.
  if (value.length < MIN_SECRET_VALUE || (encoded && value.length % 4 !== 0)) return null;
  const judged = encoded ? parts?.encoded : parts?.plain;
  const known = judged?.get(value);
  if (known !== undefined) return known;
  const reading = secretEntryValue(value, encoded);
  const verdict = reading !== null && isSecretValue(reading) ? reading : null;
  judged?.set(value, verdict);
  return verdict;
}

function isSecretValue(value: string): boolean {
  if (value.length < MIN_SECRET_VALUE || NOT_SECRET_PEM.test(value) || NOT_SECRET_SETTING.test(value)) return false;
  if (value.length <= 64 ? isPlaceholder(value) : isLongPlaceholder(value)) return false;
  if (value.length <= 400 && looksMadeUp(value)) return false;
  return hasLettersAndDigits(characterKinds(value, 0, value.length)) || characterClasses(value) >= 3;
}

/**
 * A Kubernetes Secret's `data:` (base64) or `stringData:` (plain) block: the first entry whose
 * value reads as a secret (user names, certificates and template expressions do not), walking at
 * most 64 entries at the first entry's indentation. The finding is that entry's value.
 */
const kubernetesSecretValue: Check = ({ text, matchStart, secretStart, secretEnd, judgedParts }) => {
  const encoded = !text.startsWith("stringData", matchStart);
  let lineStart = text.lastIndexOf("\n", secretStart - 1) + 1;
  YAML_ENTRY.lastIndex = lineStart;
  const first = YAML_ENTRY.exec(text);
  if (!first) return null;
  const indent = first[1]!;
  let start = secretStart;
  let end = secretEnd;
  for (let n = 0; n < MAX_SECRET_ENTRIES; n++) {
    const judged = start < end ? judgedEntry(text.slice(start, end), encoded, judgedParts) : null;
    if (judged !== null) return { secretStart: start, secretEnd: end, matchEnd: end, judged };
    const lineEnd = text.indexOf("\n", end);
    if (lineEnd < 0) return null;
    lineStart = lineEnd + 1;
    // Comment lines sit between entries; each counts as an entry towards the bound.
    let blank = lineStart;
    while (blank < lineStart + 15 && (text.charCodeAt(blank) === 32 || text.charCodeAt(blank) === 9)) blank++;
    if (blank < text.length && text.charCodeAt(blank) === 35 /* # */) {
      start = end = lineStart;
      continue;
    }
    YAML_ENTRY.lastIndex = lineStart;
    const entry = YAML_ENTRY.exec(text);
    if (!entry || entry[1] !== indent) return null;
    end = lineStart + entry[0].length;
    start = end - entry[2]!.length;
  }
  return null;
};

export const CHECKS: Readonly<Record<CheckName, Check>> = {
  "kubernetes-secret-value": kubernetesSecretValue,
  "assigned-value": assignedValue,
  "named-format": namedFormat,
  "base64-jwt": base64Jwt,
  "github-checksum": base62Checksum,
  "npm-checksum": base62Checksum,
  "pem-body": pemBody,
  jwt,
  "basic-auth": basicAuth,
  "url-credentials": urlCredentials,
  "base64-private-key": base64PrivateKey,
  "letters-and-digits": lettersAndDigits,
};

/**
 * Checks whose outcome only passes or fails a match, or sets its severity: they never move the
 * secret, extend the match or name another text to judge. Where a rule has one of these (or
 * none), the scanner reads the judging memo's verdict on the secret before running the check,
 * so a value already turned away costs no check when it recurs.
 */
export const SECRET_KEEPING_CHECKS: ReadonlySet<CheckName> = new Set<CheckName>([
  "assigned-value",
  "named-format",
  "github-checksum",
  "npm-checksum",
  "letters-and-digits",
  "url-credentials",
  "base64-jwt",
  "base64-private-key",
]);

/** Per UTF-16 code unit, how often entropy() has seen it in the text at hand (zero between calls). */
const unitCounts = new Int32Array(65536);

/**
 * Shannon entropy in bits per character. The terms are summed in the order their characters
 * first occur, so the result does not depend on how the counts are kept.
 */
export function entropy(text: string): number {
  if (text.length === 0) return 0;
  const seen: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (unitCounts[c]!++ === 0) seen.push(c);
  }
  let bits = 0;
  for (const c of seen) {
    const p = unitCounts[c]! / text.length;
    unitCounts[c] = 0;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A threshold scaled for short strings, which cannot reach high per-character entropy. */
export function meetsEntropy(text: string, threshold: number): boolean {
  return entropy(text) >= Math.min(threshold, 0.85 * Math.log2(Math.max(2, text.length)));
}
