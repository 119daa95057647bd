import { defineRule } from "../src/engine/rule.js";
import { fail, pass, unknown } from "../src/engine/types.js";
import type { Finding } from "../src/engine/types.js";
import { secretsOptions } from "../src/secrets/options.js";
import { headline, keyFrom, remedy, scanChangedFiles } from "../src/secrets/report.js";
import type { Exposure } from "../src/secrets/report.js";
import { listed, plural } from "./lib/outcome.js";

export default defineRule({
  id: "secrets",
  area: "security",
  defaultLevel: "bronze",
  subjects: ["pull"],
  description: "The pull request adds no credentials: no tokens, keys, passwords or key stores in the added lines.",
  options: secretsOptions,
  tighten: { "inline-markers": { order: ["warn", "forbid"] }, custom: "superset", lockfiles: "subset", "max-file-bytes": "at-least" },
  // pull: only to tell a pull request on GitHub (already pushed) from a local branch (the advice differs).
  needs: () => [{ kind: "pull" }, { kind: "files" }, { kind: "headContentsOfUnpatched" }, { kind: "fingerprintKey" }],
  fix: "Rotate the secret at its provider, remove it from the branch's history, and load it at run time instead.",
  evaluate(facts, options) {
    if (!facts.files.known) return unknown(`cannot tell what the pull request adds: ${facts.files.reason}`);
    const report = scanChangedFiles(facts.files.value, facts.headContentsOfUnpatched, {
      options,
      // Without the deployment's key the fingerprint falls back to a public one (see fingerprint.ts).
      key: keyFrom(facts.fingerprintKey),
    });

    const exposure: Exposure = facts.pull.known && facts.pull.value.local ? "committed" : "pushed";
    const findings: Finding[] = [
      ...report.findings.map(
        (f): Finding => ({
          message: `${headline(f, exposure)} [${f.rule}] fingerprint ${f.fingerprint}`,
          path: f.path,
          line: f.line,
          ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
          severity: f.severity,
          details: remedy(f, exposure),
        }),
      ),
      ...report.unscanned.map((n): Finding => ({ message: n.reason, path: n.path, severity: "warning" })),
      ...report.notices.map((n): Finding => ({ message: n.reason, path: n.path, severity: "notice" })),
    ];

    const parts = [`scanned the added lines of ${plural(report.scanned, "file")}`];
    if (report.allowListed > 0) parts.push(`${plural(report.allowListed, "file")} skipped by allow.paths`);
    if (report.notices.length > 0) parts.push(`${plural(report.notices.length, "notice")}`);
    const reason = parts.join("; ");

    if (report.findings.some((f) => f.severity === "failure")) {
      const blocking = report.findings.filter((f) => f.severity === "failure").length;
      return fail(findings, `${plural(blocking, "secret")} found; ${reason}`);
    }
    // A file whose added text could not be read may hold a secret: the check cannot pass on it.
    if (report.unscanned.length > 0) {
      return unknown(
        `${plural(report.unscanned.length, "file")} could not be scanned (${listed(report.unscanned.map((n) => n.path))}); ${reason}. ` +
          "Split the pull request so GitHub sends a diff for every file, or, if these files hold no secrets, list them under rules.secrets.allow.paths in the base branch's configuration",
        findings,
      );
    }
    return pass(reason, findings);
  },
});
