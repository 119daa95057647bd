/**
 * `readiness scan [PATH...] [--format text|json|sarif] [--config FILE]`: the secrets rule's
 * scanner on local files, directories, or standard input (`-`; a unified diff on standard input,
 * such as `git diff --cached`, is scanned for its added lines only). Output never contains a
 * secret: a masked preview and a keyed fingerprint stand for it.
 */
import { lstat, readdir, readFile, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { resolveConfigText, validateConfigText } from "../config/load.js";
import type { ConfigError, ConfigFileReader, ConfigOrigin } from "../config/types.js";
import type { Registry } from "../engine/evaluate.js";
import { renderConfigErrorsText } from "../render/config-errors.js";
import { registry as defaultRegistry } from "../../rules/index.js";
import { BUILTIN_RULES } from "../secrets/builtin-rules.js";
import { UNKEYED_FINGERPRINT_KEY } from "../secrets/fingerprint.js";
import { secretsOptions, type SecretsOptions } from "../secrets/options.js";
import { addedRuns } from "../secrets/patch.js";
import { allowListedPath, headline, keyStoreFindings, remedy, scanContent, scanRuns, type ScanSettings } from "../secrets/report.js";
import { scannerFor } from "../secrets/scanner.js";
import type { ScanNotice, SecretFinding } from "../secrets/types.js";
import { HELP_OPTION, parseOrExit } from "./args.js";
import type { CliCommand, CliIO } from "./io.js";

export const SCAN_USAGE = `Usage: readiness scan PATH... [options]

Looks for secrets (tokens, keys, passwords, key stores) in files and directories, the same way
the secrets rule checks a pull request's added lines. Directories are walked recursively,
skipping .git, node_modules and binary files. "-" reads standard input; a unified diff there
(git diff --cached | readiness scan -) is scanned for its added lines only.

Options:
  --format text|json|sarif  text (default); json: one object per finding per line; sarif: SARIF 2.1.0
                            for GitHub code scanning
  --config FILE             take the options of rules.secrets from this .readiness.yml, allow-lists
                            included (allow.paths match paths as shown, relative to the current
                            directory: run from the repository's root)
  -h, --help                show this help

Fingerprints are HMAC-SHA256 under READINESS_FINGERPRINT_KEY when set (use the deployment's key to
match the bot's), else under a public fallback key.

Exit codes: 0 nothing blocking, 1 blocking secrets found, 2 usage or input error.
`;

const OPTIONS = {
  ...HELP_OPTION,
  format: { type: "string", choices: ["text", "json", "sarif"] },
  config: { type: "string" },
} as const;

/** Directory names never walked into. */
const SKIPPED_DIRECTORIES = new Set([".git", "node_modules", ".hg", ".svn"]);

class InputError extends Error {}

interface Collected {
  findings: SecretFinding[];
  notices: ScanNotice[];
  scanned: number;
  skipped: number;
  /** Files left out by rules.secrets.allow.paths. */
  allowListed: number;
}

const toSlash = (p: string) => p.split(sep).join("/");

/**
 * `rules.secrets` of a .readiness.yml, read and validated exactly as `readiness validate` and
 * `readiness check` do (every error, file:line:column, did-you-mean). An organisation baseline it
 * extends stands in as empty: scan has no --org-config.
 */
export async function loadSecretsOptions(io: CliIO, file: string, registry: Registry = defaultRegistry): Promise<SecretsOptions> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message}`);
  }
  const origin: ConfigOrigin = { repository: "local", path: file };
  const invalid = (errors: readonly ConfigError[]) =>
    new InputError(`${file} is invalid, so nothing was scanned.\n${renderConfigErrorsText(origin, errors).replace(/; no rule was checked\.\n$/, ".")}`);
  const ownErrors = validateConfigText(text, origin, registry);
  if (ownErrors.length > 0) throw invalid(ownErrors);
  const emptyOrgBaseline: ConfigFileReader = {
    read: async (place) => (place === "org" ? { content: "", origin: { repository: "organisation baseline", path: "<org>/.github" } } : null),
  };
  const resolved = await resolveConfigText(text, origin, emptyOrgBaseline, registry);
  if (resolved.kind !== "ok") throw invalid(resolved.kind === "invalid" ? resolved.errors : []);
  const enabled = resolved.config.rules.find((rule) => rule.id === "secrets");
  // The rule's options were parsed by its own schema (secretsOptions) while resolving.
  return enabled ? (enabled.options as SecretsOptions) : secretsOptions.parse({});
}

async function walk(root: string, shown: string, settings: ScanSettings, out: Collected, explicit: boolean, allowListed: (path: string) => boolean): Promise<void> {
  let info;
  try {
    // Named paths follow symbolic links; inside directories links are not followed (no loops).
    info = explicit ? await stat(root) : await lstat(root);
  } catch (e) {
    if (explicit) throw new InputError(`${shown}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
    return;
  }
  if (info.isDirectory()) {
    const entries = (await readdir(root)).sort();
    for (const entry of entries) {
      if (SKIPPED_DIRECTORIES.has(entry)) continue;
      await walk(join(root, entry), shown === "." ? entry : `${shown}/${entry}`, settings, out, false, allowListed);
    }
    return;
  }
  if (!info.isFile()) return;
  if (allowListed(shown)) {
    out.allowListed++;
    if (explicit) out.notices.push({ path: shown, reason: "not scanned: listed in rules.secrets.allow.paths" });
    return;
  }
  if (info.size > settings.options["max-file-bytes"]) {
    out.skipped++;
    if (explicit) out.notices.push({ path: shown, reason: `not scanned: larger than max-file-bytes (${settings.options["max-file-bytes"]})` });
    return;
  }
  const result = scanContent(settings, shown, await readFile(root, "utf8"));
  out.findings.push(...result.findings);
  if (result.scanned) {
    out.scanned++;
    out.notices.push(...result.notices);
  } else {
    out.skipped++;
    // Skips are listed for files named on the command line; inside directories they are counted.
    if (explicit) out.notices.push(...result.notices);
  }
}

/** A unified diff (git diff): each file's added lines, with head line numbers. */
function scanDiff(text: string, settings: ScanSettings, out: Collected): void {
  const scanner = scannerFor(settings.options, settings.engine);
  const allowListed = allowListedPath(settings.options);
  const sections = text.split(/^(?=diff --git )/m);
  for (const section of sections) {
    const target = /^\+\+\+ (?:b\/)?(.+?)\t?$/m.exec(section)?.[1];
    if (!target) {
      const binary = /^Binary files .* and b\/(.+) differ$/m.exec(section)?.[1];
      if (binary) out.notices.push({ path: binary, reason: "binary file, not scanned" });
      continue;
    }
    if (target === "/dev/null") continue;
    if (allowListed(target)) {
      out.allowListed++;
      continue;
    }
    const keyStores = keyStoreFindings(settings, target);
    if (keyStores.length > 0) {
      out.findings.push(...keyStores);
      continue;
    }
    if (scanner.isLockfile(target)) {
      out.notices.push({ path: target, reason: "lockfile, not scanned (its integrity hashes look like secrets)" });
      out.skipped++;
      continue;
    }
    const hunks = section.indexOf("\n@@");
    const runs = hunks >= 0 ? addedRuns(section.slice(hunks + 1)) : null;
    if (runs === null) continue;
    out.findings.push(...scanRuns(scanner, settings, target, runs));
    out.scanned++;
  }
}

const isDiff = (text: string) => /^(?:diff --git |--- \S)/.test(text);

function renderText(c: Collected, io: CliIO): void {
  for (const f of c.findings) {
    io.out(`${f.path}:${f.line}: ${f.severity === "failure" ? "error" : "warning"}: ${headline(f, "uncommitted")} [${f.rule}] fingerprint ${f.fingerprint}\n`);
  }
  for (const n of c.notices) io.out(`${n.path}: note: ${n.reason}\n`);
  const blocking = c.findings.filter((f) => f.severity === "failure");
  const first = blocking[0] ?? c.findings[0];
  if (first) {
    io.out("\n");
    for (const line of remedy(first, "uncommitted")) io.out(`${line}\n`);
  }
  const skipped =
    (c.skipped > 0 ? `, ${c.skipped} skipped (binary, lockfile or too large)` : "") +
    (c.allowListed > 0 ? `, ${c.allowListed} skipped by rules.secrets.allow.paths` : "");
  const summary =
    c.findings.length === 0
      ? `no secrets found in ${c.scanned} file(s)${skipped}`
      : `${c.findings.length} secret(s) found, ${blocking.length} blocking, in ${c.scanned} file(s) scanned${skipped}`;
  io.out(`${first ? "\n" : ""}${summary}\n`);
}

function renderJson(c: Collected, io: CliIO): void {
  for (const f of c.findings) {
    io.out(`${JSON.stringify({ rule: f.rule, path: f.path, line: f.line, severity: f.severity, preview: f.preview, fingerprint: f.fingerprint })}\n`);
  }
}

/** SARIF 2.1.0 as GitHub code scanning accepts it for upload. */
export function toSarif(c: Collected): object {
  const used = [...new Set(c.findings.map((f) => f.rule))];
  const rules = used.map((id) => {
    const f = c.findings.find((x) => x.rule === id)!;
    const builtin = BUILTIN_RULES.find((r) => r.id === id);
    return {
      id,
      name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, ch: string) => ch.toUpperCase()),
      shortDescription: { text: `${f.provider} ${f.description}` },
      fullDescription: { text: `${f.provider} ${f.description}: a credential committed to the repository.` },
      help: { text: remedy({ ...f, fingerprint: "(see the result)" }, "uncommitted").join("\n") },
      defaultConfiguration: { level: (builtin?.severity ?? f.severity) === "failure" ? "error" : "warning" },
      properties: { tags: ["security", "secret"], precision: "high" },
    };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "readiness", rules } },
        results: c.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: used.indexOf(f.rule),
          level: f.severity === "failure" ? "error" : "warning",
          message: { text: headline(f, "uncommitted") },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.path },
                region: { startLine: f.line, ...(f.endLine !== undefined ? { endLine: f.endLine } : {}) },
              },
            },
          ],
          partialFingerprints: { "secretFingerprint/v1": f.fingerprint },
        })),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: c.notices.map((n) => ({
              level: "note",
              message: { text: n.reason },
              locations: [{ physicalLocation: { artifactLocation: { uri: n.path } } }],
            })),
          },
        ],
      },
    ],
  };
}

export const scanCommand: CliCommand = async (argv, io) => {
  const parsed = parseOrExit("scan", SCAN_USAGE, argv, OPTIONS, { max: Number.POSITIVE_INFINITY, name: "path" }, io);
  if (typeof parsed === "number") return parsed;
  const paths = parsed.positionals;
  if (paths.length === 0) {
    io.err("readiness scan: give the files or directories to scan, or - for standard input.\nRun readiness scan --help for the options.\n");
    return 2;
  }
  const format = parsed.values.format ?? "text";

  const collected: Collected = { findings: [], notices: [], scanned: 0, skipped: 0, allowListed: 0 };
  try {
    const options = parsed.values.config ? await loadSecretsOptions(io, parsed.values.config) : secretsOptions.parse({});
    // Without a configured key the public fallback keeps fingerprints stable (see fingerprint.ts).
    const key = io.env.READINESS_FINGERPRINT_KEY || UNKEYED_FINGERPRINT_KEY;
    const settings: ScanSettings = { options, key, listAll: true };
    let stdinRead = false;
    for (const path of paths) {
      if (path === "-") {
        if (stdinRead) throw new InputError("- (standard input) is given twice");
        stdinRead = true;
        const text = await io.readStdin();
        if (isDiff(text)) scanDiff(text, settings, collected);
        else {
          const result = scanContent(settings, "stdin", text);
          collected.findings.push(...result.findings);
          collected.notices.push(...result.notices);
          if (result.scanned) collected.scanned++;
          else collected.skipped++;
        }
        continue;
      }
      const absolute = resolve(io.cwd, path);
      const shown = toSlash(relative(io.cwd, absolute)) || ".";
      await walk(absolute, shown.startsWith("../") ? toSlash(path) : shown, settings, collected, true, allowListedPath(options));
    }
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`readiness scan: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  if (format === "json") renderJson(collected, io);
  else if (format === "sarif") io.out(`${JSON.stringify(toSarif(collected), null, 2)}\n`);
  else renderText(collected, io);
  return collected.findings.some((f) => f.severity === "failure") ? 1 : 0;
};
