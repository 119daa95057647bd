/**
 * From scanner offsets to findings a person can act on, for pull requests (runs of added lines,
 * or whole content for files without a patch) and for local files (the CLI). This is the one
 * place a secret's text is read after the scan, and only to mask and fingerprint it.
 */
import type { ChangedFile, Fact } from "../engine/types.js";
import { globMatcher } from "../engine/globs.js";
import { fingerprint as hmac, UNKEYED_FINGERPRINT_KEY } from "./fingerprint.js";
import { BINARY_CONTENT_REASON, hasBinaryExtension, looksBinary } from "./files.js";
import { maskedPreview } from "./mask.js";
import type { SecretsOptions } from "./options.js";
import { addedRuns } from "./patch.js";
import { ALLOW_MARKER, scannerFor, type CompiledRule, type RawMatch, type SecretScanner } from "./scanner.js";
import type { EngineName } from "./pattern.js";
import type { ScanNotice, ScanReport, SecretFinding, TextRun } from "./types.js";

/** Findings listed per file; the rest are counted in a notice (failures are listed first). */
export const MAX_FINDINGS_PER_FILE = 20;

export interface ScanSettings {
  readonly options: SecretsOptions;
  /** The fingerprint key; UNKEYED_FINGERPRINT_KEY when the deployment has none. */
  readonly key: string;
  readonly engine?: EngineName;
  /** List every finding (`readiness scan`); otherwise a file's findings stop at MAX_FINDINGS_PER_FILE. */
  readonly listAll?: boolean;
}

function lineIndex(text: string): (offset: number) => number {
  let newlines: number[] | null = null;
  return (offset) => {
    if (!newlines) {
      newlines = [];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) newlines.push(i);
    }
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function fileFinding(rule: CompiledRule, path: string, key: string): SecretFinding {
  return {
    rule: rule.id,
    provider: rule.provider,
    description: rule.description,
    severity: rule.severity,
    path,
    line: 1,
    preview: "",
    fingerprint: hmac(`file:${path}`, key),
  };
}

/** A match placed in its file, before its secret is read to mask and fingerprint it. */
interface Placed {
  readonly match: RawMatch;
  readonly text: string;
  readonly line: number;
  readonly endLine: number;
  readonly severity: SecretFinding["severity"];
  readonly marker: SecretFinding["marker"];
}

/** The matches in runs of text (added lines, or a whole file as one run starting at line 1), placed by line. */
function placeMatches(scanner: SecretScanner, settings: ScanSettings, runs: readonly TextRun[]): Placed[] {
  const placed: Placed[] = [];
  for (const run of runs) {
    const matches = scanner.scanText(run.text);
    if (matches.length === 0) continue;
    const lineOf = lineIndex(run.text);
    const markerOnLine = new Map<number, boolean>();
    for (const m of matches) {
      const lineInRun = lineOf(m.start);
      let marked = markerOnLine.get(lineInRun);
      if (marked === undefined) {
        const lineStart = run.text.lastIndexOf("\n", m.start - 1) + 1;
        let lineEnd = run.text.indexOf("\n", m.start);
        if (lineEnd < 0) lineEnd = run.text.length;
        marked = run.text.slice(lineStart, lineEnd).includes(ALLOW_MARKER);
        markerOnLine.set(lineInRun, marked);
      }
      let severity = m.severity;
      let marker: SecretFinding["marker"];
      if (marked) {
        if (settings.options["inline-markers"] === "forbid") marker = "refused";
        else {
          marker = "warned";
          severity = "warning";
        }
      }
      placed.push({ match: m, text: run.text, line: run.startLine + lineInRun, endLine: run.startLine + lineOf(Math.max(m.start, m.end - 1)), severity, marker });
    }
  }
  return placed;
}

/**
 * Findings for placed matches: the one place a secret is read, to mask it and fingerprint it.
 * A file may repeat a secret: each distinct one is fingerprinted once.
 */
function findingsOf(placed: readonly Placed[], settings: ScanSettings, path: string): SecretFinding[] {
  const fingerprints = new Map<string, string>();
  return placed.map(({ match: m, text, line, endLine, severity, marker }) => {
    const secret = text.slice(m.secretStart, m.secretEnd);
    let fingerprint = fingerprints.get(secret);
    if (fingerprint === undefined) {
      fingerprint = hmac(secret, settings.key);
      fingerprints.set(secret, fingerprint);
    }
    return {
      rule: m.rule.id,
      provider: m.rule.provider,
      description: m.rule.description,
      severity,
      path,
      line,
      ...(endLine > line ? { endLine } : {}),
      preview: maskedPreview(secret),
      fingerprint,
      ...(marker ? { marker } : {}),
    };
  });
}

/** Findings in runs of text (added lines, or a whole file as one run starting at line 1), every one listed. */
export function scanRuns(scanner: SecretScanner, settings: ScanSettings, path: string, runs: readonly TextRun[]): SecretFinding[] {
  return findingsOf(placeMatches(scanner, settings, runs), settings, path);
}

interface FileOutcome {
  findings: SecretFinding[];
  notices: ScanNotice[];
  scanned: boolean;
  /** Text over max-file-bytes: not read, though it may hold secrets. */
  tooLarge?: boolean;
}

/**
 * A file's findings, at most MAX_FINDINGS_PER_FILE unless `listAll` (failures first, then by
 * line), the rest counted in a notice. Only listed findings are masked and fingerprinted: a file
 * dense with distinct secrets would otherwise cost an HMAC for each one nobody sees.
 */
function cappedFindings(scanner: SecretScanner, settings: ScanSettings, path: string, runs: readonly TextRun[]): FileOutcome {
  const placed = placeMatches(scanner, settings, runs);
  if (settings.listAll || placed.length <= MAX_FINDINGS_PER_FILE) return { findings: findingsOf(placed, settings, path), notices: [], scanned: true };
  const ordered = [...placed].sort((a, b) => (a.severity === b.severity ? a.line - b.line : a.severity === "failure" ? -1 : 1));
  const shown = ordered.slice(0, MAX_FINDINGS_PER_FILE).sort((a, b) => a.line - b.line);
  const hidden = placed.length - shown.length;
  return {
    findings: findingsOf(shown, settings, path),
    notices: [{ path, reason: `${hidden} more secret(s) in this file are not listed; run \`readiness scan ${path}\` to list them all` }],
    scanned: true,
  };
}

/** Whether `allow.paths` leaves a (repository-relative) path out of the scan entirely. */
export function allowListedPath(options: SecretsOptions): (path: string) => boolean {
  return globMatcher(options.allow.paths);
}

/** Findings for a path that is itself a secret (a key store), whatever its content. */
export function keyStoreFindings(settings: ScanSettings, path: string): SecretFinding[] {
  return scannerFor(settings.options, settings.engine)
    .fileRulesFor(path)
    .map((rule) => fileFinding(rule, path, settings.key));
}

/** A whole file's content (the CLI, or a changed file without a patch). */
export function scanContent(settings: ScanSettings, path: string, content: string): FileOutcome {
  const scanner = scannerFor(settings.options, settings.engine);
  const byPath = keyStoreFindings(settings, path);
  if (byPath.length > 0) return { findings: byPath, notices: [], scanned: true };
  if (scanner.isLockfile(path)) {
    return { findings: [], notices: [{ path, reason: "lockfile, not scanned (its integrity hashes look like secrets)" }], scanned: false };
  }
  if (hasBinaryExtension(path) || looksBinary(content)) {
    return { findings: [], notices: [{ path, reason: "binary file, not scanned" }], scanned: false };
  }
  if (content.length > settings.options["max-file-bytes"]) {
    return { findings: [], notices: [{ path, reason: `not scanned: larger than max-file-bytes (${settings.options["max-file-bytes"]})` }], scanned: false, tooLarge: true };
  }
  return cappedFindings(scanner, settings, path, [{ startLine: 1, text: content }]);
}

/**
 * The pull request's added text: `+` lines of each patch, or, for files GitHub gives no patch
 * for, the head content when it could be fetched. Removed files add nothing.
 */
export function scanChangedFiles(
  files: readonly ChangedFile[],
  unpatched: Fact<ReadonlyMap<string, Fact<string>>>,
  settings: ScanSettings,
): ScanReport {
  const scanner = scannerFor(settings.options, settings.engine);
  const allowListed = allowListedPath(settings.options);
  const findings: SecretFinding[] = [];
  const notices: ScanNotice[] = [];
  const unscanned: ScanNotice[] = [];
  let scanned = 0;
  let skippedByAllowList = 0;

  for (const file of files) {
    if (file.status === "removed" || file.status === "unchanged") continue;
    // A pure rename or copy adds nothing (GitHub counts 0 added and 0 removed lines and sends no diff).
    if ((file.status === "renamed" || file.status === "copied") && file.patch === undefined && file.additions === 0 && file.deletions === 0) continue;
    if (allowListed(file.path)) {
      skippedByAllowList++;
      continue;
    }
    const byPath = scanner.fileRulesFor(file.path);
    if (byPath.length > 0) {
      findings.push(...byPath.map((rule) => fileFinding(rule, file.path, settings.key)));
      continue;
    }
    if (scanner.isLockfile(file.path)) {
      notices.push({ path: file.path, reason: "lockfile, not scanned (its integrity hashes look like secrets)" });
      continue;
    }
    if (file.patch !== undefined) {
      const runs = addedRuns(file.patch);
      if (runs === null) {
        if (file.patch.trim() !== "") unscanned.push({ path: file.path, reason: "not scanned: the diff could not be read" });
        continue;
      }
      const outcome = cappedFindings(scanner, settings, file.path, runs);
      findings.push(...outcome.findings);
      notices.push(...outcome.notices);
      scanned++;
      continue;
    }
    if (hasBinaryExtension(file.path)) {
      notices.push({ path: file.path, reason: "binary file, not scanned" });
      continue;
    }
    if (!unpatched.known) {
      unscanned.push({ path: file.path, reason: `not scanned: GitHub sent no diff and the content is unavailable (${unpatched.reason})` });
      continue;
    }
    const content = unpatched.value.get(file.path);
    if (!content) {
      unscanned.push({ path: file.path, reason: "not scanned: GitHub sent no diff and the content was not fetched" });
      continue;
    }
    if (!content.known) {
      if (content.reason === BINARY_CONTENT_REASON) notices.push({ path: file.path, reason: "binary file, not scanned" });
      else unscanned.push({ path: file.path, reason: `not scanned: ${content.reason}` });
      continue;
    }
    const outcome = scanContent(settings, file.path, content.value);
    findings.push(...outcome.findings);
    if (outcome.tooLarge) unscanned.push(...outcome.notices);
    else notices.push(...outcome.notices);
    if (outcome.scanned) scanned++;
  }
  return { findings, notices, unscanned, scanned, allowListed: skippedByAllowList };
}

export function keyFrom(fact: Fact<string>): string {
  return fact.known && fact.value !== "" ? fact.value : UNKEYED_FINGERPRINT_KEY;
}

/**
 * How far a secret may have travelled, which decides what to do first: `pushed` (a pull
 * request: it is on GitHub), `committed` (a local branch: maybe not pushed yet), `uncommitted`
 * (files scanned before a commit).
 */
export type Exposure = "pushed" | "committed" | "uncommitted";

/** The finding's headline: what, where it came from, and the masked preview. Never the secret. */
export function headline(f: SecretFinding, exposure: Exposure = "pushed"): string {
  const what = `${f.provider} ${f.description}`;
  const shown = f.preview === "" ? "" : ` (${f.preview})`;
  if (f.marker === "warned") return `${what}${shown} allowed by an inline ${ALLOW_MARKER} marker added in this change; a reviewer should confirm it is not a real secret`;
  if (f.marker === "refused") return `${what}${shown}: inline ${ALLOW_MARKER} markers are not accepted here (inline-markers: forbid)`;
  if (f.preview === "") return `${what}: the file itself holds secrets; remove it from the repository`;
  switch (exposure) {
    case "pushed":
      return `${what}${shown} is in the pushed commits: rotate it now`;
    case "committed":
      return `${what}${shown} is committed on this branch: remove it before you push, rotate it if it was ever pushed`;
    case "uncommitted":
      return `${what}${shown} found: keep it out of the repository`;
  }
}

/** Rule "providers" that name a kind of secret, not who issued it: no one to rotate it "at". */
const NOT_AN_ISSUER: ReadonlySet<string> = new Set([
  "Generic",
  "Custom",
  "Credentials in a URL",
  "Database connection string",
  "HTTP Authorization header",
  "JSON Web Token",
  "Java KeyStore",
  "KeePass",
  "OpenSSH",
  "PEM private key",
  "PGP",
  "PKCS#12",
  "PuTTY",
  "age",
]);

/** "at GitHub", or "wherever it was issued (and wherever it is accepted)" for a kind of secret. */
function where(f: SecretFinding): string {
  return NOT_AN_ISSUER.has(f.provider) ? "wherever it was issued (and wherever it is accepted)" : `at ${f.provider}`;
}

/**
 * What to do, in order: once it has left the machine, rotate first, then clean history. The
 * same for every secret of a kind (no fingerprint, no path), so a report can say it once.
 */
export function remedy(f: SecretFinding, exposure: Exposure = "pushed"): string[] {
  const rotate = `Rotate or revoke it ${where(f)} first: it is already pushed, so removing it from the code does not make it safe.`;
  const history = "Then remove it from history: if the branch was never shared, squash or rebase the commit away before merging; otherwise `git filter-repo --replace-text <file-of-secrets>` and force-push.";
  const instead = "Load it at run time instead (environment, secret manager). Not a secret? Add it under rules.secrets.allow in the base branch's .readiness.yml.";
  switch (exposure) {
    case "pushed":
      return [rotate, history, instead];
    case "committed":
      return [
        "Not pushed yet: rewrite the commits that added it (`git commit --amend`, or `git rebase -i` for an earlier commit) and it never leaves this machine.",
        `Already pushed (to any remote): rotate or revoke it ${where(f)} first, then remove it from history with \`git filter-repo --replace-text <file-of-secrets>\` and force-push.`,
        instead,
      ];
    case "uncommitted":
      return [
        "Do not commit it: load it at run time instead (environment, secret manager), and keep local credential files in .gitignore.",
        `If it was ever committed and pushed, rotate or revoke it ${where(f)}: removing it from the code does not make it safe. Not a secret? Allow it under rules.secrets.allow (--config).`,
      ];
  }
}
