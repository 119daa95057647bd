import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fingerprint, UNKEYED_FINGERPRINT_KEY } from "../../src/secrets/fingerprint.js";
import { B62, checksummed, pick } from "../secrets/samples.js";
import { runCli } from "./run-cli.js";

/** Through the real `readiness` dispatcher, with a fake terminal. */
const scan = (argv: string[], opts: { cwd: string; stdin?: string; env?: Record<string, string> }) => runCli(["scan", ...argv], opts);

let dir: string;
const token = checksummed("ghp_");
const hidden = checksummed("ghp_");
const password = pick(B62, 18);

function write(path: string, content: string | Buffer): void {
  const full = join(dir, path);
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, content);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "readiness-scan-"));
  write("src/client.ts", `import x from "y";\n\nexport const auth = "${token}";\n`);
  write("deploy/.env", `DB_PASSWORD=${password}\n`);
  write("src/ok.ts", "export const retries = 3;\n");
  write("node_modules/pkg/index.js", `module.exports = "${hidden}";\n`);
  write(".git/config", `token = ${hidden}\n`);
  write("package-lock.json", `{"token": "${hidden}"}\n`);
  write("assets/logo.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const noSecretIn = (text: string) => {
  for (const s of [token, hidden, password, token.slice(4, 12), password.slice(0, 6)]) expect(text).not.toContain(s);
};

describe("readiness scan: text", () => {
  test("a blocking secret: exit 1, location, rule, masked preview and fingerprint, never the secret", async () => {
    const r = await scan(["src/client.ts"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`src/client.ts:3: error: GitHub classic personal access token (checksum verified) (ghp_…) found: keep it out of the repository [github-classic-token] fingerprint ${fingerprint(token, UNKEYED_FINGERPRINT_KEY)}`);
    expect(r.out).toMatch(/Do not commit it: load it at run time instead/);
    expect(r.out).toMatch(/If it was ever committed and pushed, rotate or revoke it at GitHub/);
    expect(r.out).toMatch(/1 secret\(s\) found, 1 blocking, in 1 file\(s\) scanned/);
    noSecretIn(r.out + r.err);
  });

  test("a directory: recursive, skipping .git, node_modules, lockfiles and binaries", async () => {
    const r = await scan(["."], { cwd: dir });
    expect(r.code).toBe(1);
    const located = r.out.split("\n").filter((l) => /^\S+:\d+: (error|warning)/.test(l)).map((l) => l.split(":").slice(0, 3).join(":"));
    expect(located).toEqual(["deploy/.env:1: warning", "src/client.ts:3: error"]);
    expect(r.out).toMatch(/in 3 file\(s\) scanned, 2 skipped \(binary, lockfile or too large\)/);
    noSecretIn(r.out);
  });

  test("only warnings: exit 0", async () => {
    const r = await scan(["deploy/.env"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/deploy\/\.env:1: warning: Generic/);
  });

  test("nothing found: exit 0 and a one-line summary", async () => {
    const r = await scan(["src/ok.ts"], { cwd: dir });
    expect(r).toEqual({ code: 0, out: "no secrets found in 1 file(s)\n", err: "" });
  });

  test("files named explicitly but skipped are listed with the reason", async () => {
    const r = await scan(["package-lock.json", "assets/logo.png"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toContain("package-lock.json: note: lockfile, not scanned");
    expect(r.out).toContain("assets/logo.png: note: binary file, not scanned");
  });

  test("a key store named on the command line is a finding", async () => {
    write("certs/server.p12", Buffer.from([0x30, 0x82, 0, 1, 2]));
    const r = await scan(["certs"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/certs\/server\.p12:1: error: PKCS#12 .*\[pkcs12-file\]/);
  });
});

describe("readiness scan: json and sarif", () => {
  test("json: one object per finding per line, with exactly the documented keys", async () => {
    const r = await scan([".", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { rule: "generic-secret-assignment", path: "deploy/.env", line: 1, severity: "warning", preview: `${password.slice(0, 4)}…`, fingerprint: fingerprint(password, UNKEYED_FINGERPRINT_KEY) },
      { rule: "github-classic-token", path: "src/client.ts", line: 3, severity: "failure", preview: "ghp_…", fingerprint: fingerprint(token, UNKEYED_FINGERPRINT_KEY) },
    ]);
    noSecretIn(r.out);
  });

  test("sarif: 2.1.0 with the fields GitHub code scanning reads", async () => {
    const r = await scan([".", "--format=sarif"], { cwd: dir });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.out);
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe("readiness");
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(["generic-secret-assignment", "github-classic-token"]);
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(["error", "warning"]).toContain(rule.defaultConfiguration.level);
    }
    const result = run.results[1];
    expect(result).toMatchObject({
      ruleId: "github-classic-token",
      ruleIndex: 1,
      level: "error",
      locations: [{ physicalLocation: { artifactLocation: { uri: "src/client.ts" }, region: { startLine: 3 } } }],
      partialFingerprints: { "secretFingerprint/v1": fingerprint(token, UNKEYED_FINGERPRINT_KEY) },
    });
    expect(result.message.text).toMatch(/ghp_…/);
    expect(run.results[0].level).toBe("warning");
    noSecretIn(r.out);
  });

  test("READINESS_FINGERPRINT_KEY keys the fingerprints", async () => {
    const r = await scan(["src/client.ts", "--format", "json"], { cwd: dir, env: { READINESS_FINGERPRINT_KEY: "team-key" } });
    expect(JSON.parse(r.out).fingerprint).toBe(fingerprint(token, "team-key"));
  });
});

describe("readiness scan: standard input", () => {
  test("- scans standard input as one file", async () => {
    const r = await scan(["-", "--format", "json"], { cwd: dir, stdin: `one\ntwo\nkey = "${token}"\n` });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ rule: "github-classic-token", path: "stdin", line: 3 });
  });

  test("a unified diff on standard input: added lines only, at head line numbers", async () => {
    const diff = [
      "diff --git a/src/a.ts b/src/a.ts",
      "index 1111111..2222222 100644",
      "--- a/src/a.ts",
      "+++ b/src/a.ts",
      "@@ -20,3 +20,3 @@ export function f() {",
      " context",
      `-const old = "${hidden}";`,
      `+const current = "${token}";`,
      " context",
      "diff --git a/yarn.lock b/yarn.lock",
      "--- a/yarn.lock",
      "+++ b/yarn.lock",
      "@@ -1 +1 @@",
      `+"${hidden}"`,
      "diff --git a/old.ts b/old.ts",
      "deleted file mode 100644",
      "--- a/old.ts",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      `-x = "${hidden}"`,
    ].join("\n");
    const r = await scan(["-", "--format", "json"], { cwd: dir, stdin: diff });
    expect(r.code).toBe(1);
    expect(r.out.trim().split("\n").map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ path: "src/a.ts", line: 21, rule: "github-classic-token" })]);
    noSecretIn(r.out);
  });
});

describe("readiness scan: --config", () => {
  test("takes rules.secrets options from a .readiness.yml (level and when are the engine's)", async () => {
    write(
      "ci.yml",
      ["rules:", "  secrets:", "    level: bronze", "    when: [\"src/**\"]", "    severity:", "      github-classic-token: warning", "    allow:", "      paths: []"].join("\n"),
    );
    const r = await scan(["src/client.ts", "--config", "ci.yml"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/src\/client\.ts:3: warning:/);
  });

  test("a bad custom pattern: exit 2, file:line:column and what re2js cannot do", async () => {
    write("bad.yml", ["rules:", "  secrets:", "    custom:", "      - id: acme", "        keywords: [acme_]", "        pattern: 'acme_(?=x)'"].join("\n"));
    const r = await scan(["src", "--config", "bad.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^readiness scan: bad\.yml is invalid, so nothing was scanned\.\nbad\.yml:6:\d+: rules\.secrets\.custom\[0\]\.pattern: re2js cannot compile this pattern: .*linear-time engine/);
    expect(r.out).toBe("");
  });

  test("an unknown option under rules.secrets is reported as readiness validate reports it: file:line:column, key, did you mean", async () => {
    write("typo.yml", ["rules:", "  secrets:", "    placeholder: false"].join("\n"));
    const r = await scan(["src", "--config", "typo.yml"], { cwd: dir });
    const validated = await runCli(["validate", "typo.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toBe(`readiness scan: typo.yml is invalid, so nothing was scanned.\n${validated.out}`);
    expect(r.err).toContain('typo.yml:3:5: rules.secrets.placeholder: unknown option "placeholder". Did you mean "placeholders"?');
    expect(r.err).not.toMatch(/Unrecognized key/);
  });

  test("an error elsewhere in the file (not under rules.secrets) also stops the scan, located", async () => {
    write("elsewhere.yml", ["rules:", "  secrets: bronze", "  reviewz: bronze"].join("\n"));
    const r = await scan(["src", "--config", "elsewhere.yml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/elsewhere\.yml:3:3: .*reviewz.*Did you mean "reviews"\?/);
  });

  test("allow.paths leaves files out of a directory walk, a named file and a diff on standard input", async () => {
    write("ci.yml", ["rules:", "  secrets:", "    allow:", "      paths: [\"src/client.ts\", \"deploy/**\"]"].join("\n"));
    const walked = await scan([".", "--config", "ci.yml"], { cwd: dir });
    expect(walked.code).toBe(0);
    expect(walked.out).not.toMatch(/src\/client\.ts:3|deploy\/\.env:1/);
    expect(walked.out).toMatch(/2 skipped by rules\.secrets\.allow\.paths/);

    const named = await scan(["src/client.ts", "--config", "ci.yml"], { cwd: dir });
    expect(named.code).toBe(0);
    expect(named.out).toContain("src/client.ts: note: not scanned: listed in rules.secrets.allow.paths");

    const diff = ["diff --git a/src/client.ts b/src/client.ts", "--- a/src/client.ts", "+++ b/src/client.ts", "@@ -1,0 +1,1 @@", `+const t = "${token}";`, ""].join("\n");
    const piped = await scan(["-", "--config", "ci.yml"], { cwd: dir, stdin: diff });
    expect(piped.code).toBe(0);
    expect(piped.out).toMatch(/1 skipped by rules\.secrets\.allow\.paths/);
    noSecretIn(walked.out + named.out + piped.out);
  });

  test("the value allow-lists (values, stop-words) apply too", async () => {
    write("values.yml", ["rules:", "  secrets:", "    allow:", `      values: ["${token}"]`].join("\n"));
    expect((await scan(["src/client.ts", "--config", "values.yml"], { cwd: dir })).code).toBe(0);
    write("words.yml", ["rules:", "  secrets:", "    allow:", `      stop-words: ["${password.slice(3, 9)}"]`].join("\n"));
    const r = await scan(["deploy/.env", "--config", "words.yml"], { cwd: dir });
    expect(r.out).not.toMatch(/deploy\/\.env:1: warning/);
  });

  test("YAML that does not parse, and a missing file", async () => {
    write("broken.yml", "rules:\n  secrets: [unclosed\n");
    const broken = await scan(["src", "--config", "broken.yml"], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/^readiness scan: broken\.yml is invalid, so nothing was scanned\.\nbroken\.yml:\d+:\d+: /);
    const missing = await scan(["src", "--config", "nope.yml"], { cwd: dir });
    expect(missing).toMatchObject({ code: 2, err: "readiness scan: nope.yml: no such file\n" });
  });

  test("no rules.secrets in the file: the defaults", async () => {
    write("other.yml", "rules:\n  reviews: bronze\n");
    const r = await scan(["src/client.ts", "--config", "other.yml"], { cwd: dir });
    expect(r.code).toBe(1);
  });
});

describe("readiness scan: wording", () => {
  test("a generic secret has no provider to rotate it at: the advice says so", async () => {
    const r = await scan(["deploy/.env"], { cwd: dir });
    expect(r.out).toMatch(/deploy\/\.env:1: warning: Generic /);
    expect(r.out).not.toMatch(/at Generic/);
    expect(r.out).toContain("rotate or revoke it wherever it was issued (and wherever it is accepted)");
  });

  test("every secret in a file is listed, and scan never tells you to run scan", async () => {
    const tokens = Array.from({ length: 25 }, () => checksummed("ghp_"));
    write("src/many.ts", tokens.map((t, i) => `export const t${i} = "${t}";`).join("\n"));
    const r = await scan(["src/many.ts"], { cwd: dir });
    expect(r.out.split("\n").filter((l) => /^src\/many\.ts:\d+: error: /.test(l))).toHaveLength(25);
    expect(r.out).not.toMatch(/readiness scan|locally/);
    expect(r.out.split("Do not commit it")).toHaveLength(2);
  });
});

describe("readiness scan: usage", () => {
  test("no path, an unknown format, a missing path: exit 2 with the reason", async () => {
    expect(await scan([], { cwd: dir })).toMatchObject({ code: 2, err: expect.stringMatching(/give the files or directories to scan/) });
    expect(await scan(["src", "--format", "xml"], { cwd: dir })).toMatchObject({ code: 2, err: expect.stringMatching(/--format must be one of text, json, sarif/) });
    expect(await scan(["nope.ts"], { cwd: dir })).toMatchObject({ code: 2, err: "readiness scan: nope.ts: no such file or directory\n" });
  });

  test("--help prints the usage, including the pre-commit use", async () => {
    const r = await scan(["--help"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: readiness scan PATH\.\.\./);
    expect(r.out).toMatch(/git diff --cached \| readiness scan -/);
  });
});
