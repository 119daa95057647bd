import secrets from "../../rules/secrets.js";
import { evaluate } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known, unknownFact, type ChangedFile, type Fact } from "../../src/engine/types.js";
import { fingerprint, UNKEYED_FINGERPRINT_KEY } from "../../src/secrets/fingerprint.js";
import { BINARY_CONTENT_REASON } from "../../src/secrets/files.js";
import { MAX_FINDINGS_PER_FILE } from "../../src/secrets/report.js";
import { ruleTester } from "../helpers/rule-tester.js";
import { B62, B64, checksummed, pick } from "../secrets/samples.js";

const token = checksummed("ghp_");
const otherToken = checksummed("ghp_");
const password = pick(B62, 18);
const pemBody = Array.from({ length: 4 }, () => pick(B64, 64));

/** A unified diff adding `lines` at head line `at` of a file that had context around them. */
function patchAdding(at: number, lines: string[], removed: string[] = []): string {
  return [`@@ -${at - 1},${2 + removed.length} +${at - 1},${2 + lines.length} @@`, " before", ...removed.map((l) => `-${l}`), ...lines.map((l) => `+${l}`), " after"].join("\n");
}

const file = (path: string, patch: string | undefined, status: ChangedFile["status"] = "modified"): ChangedFile => ({
  path,
  status,
  additions: 1,
  deletions: 0,
  ...(patch !== undefined ? { patch } : {}),
});

const facts = (files: ChangedFile[], unpatched: Fact<ReadonlyMap<string, Fact<string>>> = known(new Map()), key: Fact<string> = known("deployment-key")) => ({
  files: known(files),
  headContentsOfUnpatched: unpatched,
  fingerprintKey: key,
});

ruleTester(secrets, {
  valid: [
    { name: "ordinary code", facts: facts([file("src/a.ts", patchAdding(10, ["const retries = 3;", "export function go() {}"]))]) },
    { name: "a secret only in removed lines", facts: facts([file("src/a.ts", patchAdding(10, ["const token = process.env.GITHUB_TOKEN;"], [`const token = "${token}";`]))]) },
    { name: "a removed key store", facts: facts([file("certs/old.p12", undefined, "removed")]) },
    {
      name: "a pure rename adds nothing, even when its content was fetched",
      facts: facts(
        [{ path: "config/new-name.yml", previousPath: "config/old-name.yml", status: "renamed", additions: 0, deletions: 0 }],
        known(new Map([["config/new-name.yml", known(`token: ${otherToken}\n`)]])),
      ),
    },
    {
      name: "a file under allow.paths",
      options: { allow: { paths: ["test/fixtures/**"] } },
      facts: facts([file("test/fixtures/tokens.ts", patchAdding(1, [`export const t = "${token}";`]))]),
    },
    {
      name: "generic secret-like assignment: a warning, not a block",
      facts: facts([file("deploy/.env", patchAdding(4, [`DB_PASSWORD=${password}`]))]),
      findings: [{ message: /Generic secret-looking value.*is in the pushed commits/, path: "deploy/.env", line: 4, severity: "warning" }],
    },
    {
      name: "an inline marker added by the pull request: listed as a warning, never silent",
      facts: facts([file("src/a.ts", patchAdding(7, [`const t = "${token}"; // readiness:allow-secret rotated test token`]))]),
      findings: [{ message: /allowed by an inline readiness:allow-secret marker added in this change/, line: 7, severity: "warning" }],
    },
    {
      name: "lockfiles are skipped, and said so",
      facts: facts([file("package-lock.json", patchAdding(3, [`"integrity": "sha512-${pick(B64, 86)}=="`, `"token": "${token}"`]))]),
      findings: [{ message: /lockfile, not scanned/, path: "package-lock.json", severity: "notice" }],
    },
    {
      name: "binary files are skipped, and said so",
      facts: facts([file("assets/logo.png", undefined, "added")]),
      findings: [{ message: "binary file, not scanned", path: "assets/logo.png", severity: "notice" }],
    },
    {
      name: "a file the fetcher found binary is skipped, and said so",
      facts: facts([file("vendor/blob", undefined)], known(new Map([["vendor/blob", unknownFact<string>(BINARY_CONTENT_REASON)]]))),
      findings: [{ message: "binary file, not scanned", path: "vendor/blob", severity: "notice" }],
    },
    {
      name: "an unscannable file under allow.paths does not hold the check",
      options: { allow: { paths: ["data/**"] } },
      facts: facts([file("data/big.sql", undefined)], known(new Map([["data/big.sql", unknownFact<string>("larger than the 1 MB fetch cap")]]))),
    },
  ],
  invalid: [
    {
      name: "a token on an added line, at its head line number",
      facts: facts([file("src/client.ts", patchAdding(41, ["import x from 'y';", `const auth = "${token}";`]))]),
      findings: [{ message: /GitHub classic personal access token \(checksum verified\) \(ghp_…\) is in the pushed commits: rotate it now \[github-classic-token\]/, path: "src/client.ts", line: 42, severity: "failure" }],
    },
    {
      name: "a PEM private key across added lines, reported from its BEGIN line",
      facts: facts([
        file("deploy/key.pem", ["@@ -0,0 +1,6 @@", "+-----BEGIN RSA PRIVATE KEY-----", ...pemBody.map((l) => `+${l}`), "+-----END RSA PRIVATE KEY-----"].join("\n"), "added"),
      ]),
      findings: [{ message: /PEM private key/, path: "deploy/key.pem", line: 1, severity: "failure" }],
    },
    {
      name: "a file without a patch, scanned from its fetched head content",
      facts: facts([file("config/huge.yml", undefined)], known(new Map([["config/huge.yml", known(`a: 1\nb: 2\ntoken: ${token}\n`)]]))),
      findings: [{ message: /GitHub classic personal access token/, path: "config/huge.yml", line: 3 }],
    },
    {
      name: "a PKCS#12 key store added",
      facts: facts([file("certs/server.p12", undefined, "added")]),
      findings: [{ message: /PKCS#12 key store file.*the file itself holds secrets/, path: "certs/server.p12", severity: "failure" }],
    },
    {
      name: "inline-markers: forbid keeps the marker's finding blocking",
      options: { "inline-markers": "forbid" },
      facts: facts([file("src/a.ts", patchAdding(7, [`const t = "${token}"; // readiness:allow-secret`]))]),
      findings: [{ message: /inline readiness:allow-secret markers are not accepted here/, line: 7, severity: "failure" }],
    },
    {
      name: "a blocking secret next to files not scanned: both are listed",
      facts: facts([file("src/a.ts", patchAdding(2, [`t = "${token}"`])), file("yarn.lock", patchAdding(2, ["x"]))]),
      findings: [{ message: /GitHub classic/, severity: "failure" }, { message: /lockfile/, path: "yarn.lock", severity: "notice" }],
    },
    {
      name: "custom rule from config",
      options: { custom: [{ id: "acme-token", provider: "Acme", description: "internal API token", pattern: "acme_[a-z0-9]{24}", keywords: ["acme_"] }] },
      facts: facts([file("src/a.ts", patchAdding(2, [`key = acme_${pick("abcdefghijklmnopqrstuvwxyz0123456789", 24)}`]))]),
      findings: [{ message: /Acme internal API token \(acme…\).*\[acme-token\]/, line: 2, severity: "failure" }],
    },
  ],
  unknown: [
    { name: "the file list is unknown", facts: { files: unknownFact("more than 3000 files") }, reason: /cannot tell what the pull request adds: more than 3000 files/ },
    {
      name: "a file without a patch whose content could not be fetched cannot pass: what and why are said",
      facts: facts([file("data/big.sql", undefined)], known(new Map([["data/big.sql", unknownFact<string>("larger than the 1 MB fetch cap")]]))),
      reason: /^1 file could not be scanned \(data\/big\.sql\); scanned the added lines of 0 files\. Split the pull request .* rules\.secrets\.allow\.paths/,
    },
    {
      name: "no contents fact at all: every patch-less file is unscanned",
      facts: facts([file("data/big.sql", undefined)], unknownFact("not gathered")),
      reason: /1 file could not be scanned \(data\/big\.sql\)/,
    },
    {
      name: "past the download cap: the files not downloaded hold the check, named, next to the clean ones",
      facts: facts(
        [...Array.from({ length: 52 }, (_, i) => file(`gen/f${i}.txt`, undefined, "added"))],
        known(
          new Map(
            Array.from({ length: 52 }, (_, i): [string, Fact<string>] => [
              `gen/f${i}.txt`,
              i < 50 ? known(`line ${i}\n`) : unknownFact<string>("not downloaded: more than 50 changed files have no diff"),
            ]),
          ),
        ),
      ),
      reason: /^2 files could not be scanned \(gen\/f50\.txt, gen\/f51\.txt\); scanned the added lines of 50 files/,
    },
    {
      name: "a diff that cannot be read is not a pass",
      facts: facts([file("src/a.ts", "not a unified diff at all")]),
      reason: /1 file could not be scanned \(src\/a\.ts\)/,
    },
  ],
});

const LOCAL_PULL = { number: 0, title: "t", body: "", author: "dev", draft: false, labels: [], baseRef: "main", baseSha: "b".repeat(40), headRef: "feature", headSha: "h".repeat(40) };

describe("secrets rule", () => {
  test("declares the facts it reads", () => {
    expect(secrets.needs(secrets.options.parse({}))).toEqual([{ kind: "pull" }, { kind: "files" }, { kind: "headContentsOfUnpatched" }, { kind: "fingerprintKey" }]);
  });

  test("findings tell the author to rotate first, then clean history, and carry the keyed fingerprint (in the message: the advice is the same for every secret of a kind)", () => {
    const verdict = secrets.evaluate(makeFacts(facts([file("src/a.ts", patchAdding(2, [`t = "${token}"`]))])), secrets.options.parse({}));
    const details = verdict.findings[0]!.details!.join("\n");
    expect(details).toMatch(/Rotate or revoke it at GitHub first: it is already pushed/);
    expect(details).toMatch(/git filter-repo --replace-text/);
    expect(details).toMatch(/squash/);
    expect(verdict.findings[0]!.message).toContain(`fingerprint ${fingerprint(token, "deployment-key")}`);
  });

  test("on a local branch (the CLI) the advice starts with rewriting unpushed commits", () => {
    const local = { ...makeFacts(facts([file("src/a.ts", patchAdding(2, [`t = "${token}"`]))])), pull: known({ ...LOCAL_PULL, local: true }) };
    const finding = secrets.evaluate(local, secrets.options.parse({})).findings[0]!;
    expect(finding.message).toContain("is committed on this branch: remove it before you push, rotate it if it was ever pushed");
    expect(finding.details![0]).toMatch(/^Not pushed yet: rewrite the commits that added it/);
    expect(finding.details!.join("\n")).toMatch(/Already pushed \(to any remote\): rotate or revoke it at GitHub first/);
  });

  test("without the deployment key, the documented fallback key is used", () => {
    const verdict = secrets.evaluate(
      makeFacts(facts([file("src/a.ts", patchAdding(2, [`t = "${token}"`]))], known(new Map()), unknownFact("no key configured"))),
      secrets.options.parse({}),
    );
    expect(verdict.findings[0]!.message).toContain(fingerprint(token, UNKEYED_FINGERPRINT_KEY));
  });

  test("never echoes a secret or its line in the verdict", () => {
    const lines = [`const a = "${token}"; // primary`, `DB_PASSWORD=${password}`, `url = "postgres://svc:${password}@db.internal/app"`];
    const verdict = secrets.evaluate(makeFacts(facts([file("src/a.ts", patchAdding(2, lines))])), secrets.options.parse({}));
    expect(verdict.findings.length).toBe(3);
    const json = JSON.stringify(verdict);
    for (const s of [token, token.slice(4, 10), password, password.slice(0, 5), "primary"]) expect(json).not.toContain(s);
  });

  test("findings per file are capped with a notice, blocking ones listed first", () => {
    const many = Array.from({ length: MAX_FINDINGS_PER_FILE + 5 }, (_, i) => (i === 0 ? `DB_PASSWORD=${password}` : `t${i} = "${checksummed("ghp_")}"`));
    const verdict = secrets.evaluate(makeFacts(facts([file("src/a.ts", patchAdding(2, many))])), secrets.options.parse({}));
    expect(verdict.status).toBe("fail");
    const listed = verdict.findings.filter((f) => f.severity !== "notice");
    expect(listed.length).toBe(MAX_FINDINGS_PER_FILE);
    expect(listed.every((f) => f.severity === "failure")).toBe(true);
    expect(verdict.findings.find((f) => f.severity === "notice")?.message).toMatch(/^5 more secret\(s\) in this file are not listed/);
  });

  test("through the engine: a pull request with only warnings passes, with a secret it fails", () => {
    const config = { levels: ["bronze"], required: "bronze", comment: "never" as const, rules: [{ id: "secrets", level: "bronze", options: secrets.options.parse({}) }] };
    const registry = new Map([["secrets", secrets]]);
    const warnOnly = evaluate(config, makeFacts(facts([file("a.env", patchAdding(2, [`DB_PASSWORD=${password}`]))])), registry);
    expect(warnOnly.conclusion).toBe("success");
    expect(warnOnly.rules[0]!.findings.length).toBe(1);
    const blocked = evaluate(config, makeFacts(facts([file("a.ts", patchAdding(2, [`t = "${otherToken}"`]))])), registry);
    expect(blocked.conclusion).toBe("failure");
  });
});
