import { fingerprint, UNKEYED_FINGERPRINT_KEY } from "../../src/secrets/fingerprint.js";
import { hasBase62Checksum, crc32 } from "../../src/secrets/checks.js";
import { maskedPreview } from "../../src/secrets/mask.js";
import { secretsOptions } from "../../src/secrets/options.js";
import { scanContent, type ScanSettings } from "../../src/secrets/report.js";
import { BUILTIN_RULES } from "../../src/secrets/builtin-rules.js";
import { scannerFor } from "../../src/secrets/scanner.js";
import { compileAnchored, MAX_CONFIG_PROGRAM_SIZE } from "../../src/secrets/pattern.js";
import { crc32 as zlibCrc32 } from "node:zlib";
import { B62, B64, DIGITS, UPPER, badChecksum, checksummed, pick } from "./samples.js";

const settings = (options: unknown = {}, key = "test-key"): ScanSettings => ({ options: secretsOptions.parse(options), key });
const scan = (text: string, options: unknown = {}, path = "src/config.ts") => scanContent(settings(options), path, text);
const rules = (text: string, options: unknown = {}) => scan(text, options).findings.map((f) => f.rule);

const awsKey = () => "AKIA" + pick(UPPER + DIGITS, 16);
const ghToken = () => checksummed("ghp_");

describe("checksums", () => {
  test("crc32 agrees with zlib", () => {
    for (const s of ["", "a", pick(B62, 30), "The quick brown fox"]) expect(crc32(s)).toBe(zlibCrc32(s));
  });
  test("GitHub/npm base62 checksum accepts the right one and rejects a changed one", () => {
    expect(hasBase62Checksum(checksummed("ghp_"))).toBe(true);
    expect(hasBase62Checksum(badChecksum("ghp_"))).toBe(false);
  });
});

describe("placeholders", () => {
  test.each([
    ["EXAMPLE inside an AWS key id", () => `key = "AKIA${"EXAMPLE"}${pick(UPPER, 9)}"`],
    ["xxxx inside a token", () => `token = "glpat-${"x".repeat(20)}"`],
    ["${VAR} as a URL password", () => "DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal/app"],
    ["{{ }} template", () => 'password: "{{ vault_db_password1 }}"'],
    ["${{ secrets.X }}", () => "api_key: ${{ secrets.API_KEY }}"],
    ["<your-token>", () => "DATABASE_URL=postgres://app:<your-password>@db.internal/app"],
  ])("%s is not reported", (_name, text) => {
    expect(rules(text())).toEqual([]);
  });

  test("placeholders: false reports a placeholder-shaped value that matches a format", () => {
    const text = `key = "AKIA${"EXAMPLE"}${pick(UPPER, 9)}"`;
    expect(rules(text, { placeholders: false })).toEqual(["aws-access-key-id"]);
  });
});

describe("allow-lists", () => {
  test("allow.values: that exact value is not reported, others are", () => {
    const known = awsKey();
    const other = awsKey();
    const found = scan(`a = "${known}"\nb = "${other}"`, { allow: { values: [known] } }).findings;
    expect(found.map((f) => f.line)).toEqual([2]);
  });

  test("allow.patterns (RE2) veto a matching secret", () => {
    const text = `key = "${awsKey()}"`;
    expect(rules(text, { allow: { patterns: ["^AKIA"] } })).toEqual([]);
    expect(rules(text, { allow: { patterns: ["^ASIA"] } })).toEqual(["aws-access-key-id"]);
  });

  test("allow.stop-words apply to every rule, case-insensitively", () => {
    const value = "Ci" + pick(DIGITS, 4) + "Fixture" + pick(B62, 10);
    expect(rules(`DB_PASSWORD=${value}`)).toEqual(["generic-secret-assignment"]);
    expect(rules(`DB_PASSWORD=${value}`, { allow: { "stop-words": ["FIXTURE"] } })).toEqual([]);
  });
});

describe("severity", () => {
  test("provider formats block, the generic rule warns", () => {
    const found = scan(`t = "${ghToken()}"\nDB_PASSWORD=${pick(B62, 16)}`).findings;
    expect(found.map((f) => [f.rule, f.severity])).toEqual([
      ["github-classic-token", "failure"],
      ["generic-secret-assignment", "warning"],
    ]);
  });

  test("per-rule overrides: off, warning, failure", () => {
    const text = `t = "${ghToken()}"\nDB_PASSWORD=${pick(B62, 16)}`;
    const found = scan(text, { severity: { "github-classic-token": "off", "generic-secret-assignment": "failure" } }).findings;
    expect(found.map((f) => [f.rule, f.severity])).toEqual([["generic-secret-assignment", "failure"]]);
    expect(scan(text, { severity: { "github-classic-token": "warning" } }).findings[0]!.severity).toBe("warning");
  });

  test("a URL password for a local host warns instead of blocking", () => {
    const found = scan(`DATABASE_URL=postgres://app:${pick(B62, 16)}@localhost:5432/app`).findings;
    expect(found.map((f) => [f.rule, f.severity])).toEqual([["database-connection-string", "warning"]]);
  });
});

describe("inline allow marker", () => {
  const line = () => `token = "${ghToken()}" // readiness:allow-secret test fixture`;

  test("warn (default): the finding stays, as a warning that says a marker allowed it", () => {
    const [f] = scan(line()).findings;
    expect(f).toMatchObject({ rule: "github-classic-token", severity: "warning", marker: "warned" });
  });

  test("forbid: the finding keeps blocking", () => {
    const [f] = scan(line(), { "inline-markers": "forbid" }).findings;
    expect(f).toMatchObject({ rule: "github-classic-token", severity: "failure", marker: "refused" });
  });

  test("a marker on another line does not apply", () => {
    const [f] = scan(`// readiness:allow-secret\ntoken = "${ghToken()}"`).findings;
    expect(f).toMatchObject({ severity: "failure" });
    expect(f!.marker).toBeUndefined();
  });
});

describe("custom rules", () => {
  const custom = { id: "acme-internal-token", pattern: "acme_([a-z0-9]{32})", keywords: ["ACME_"] };

  test("are found like built-ins, with keywords case-folded and group 1 as the secret", () => {
    const secret = pick("abcdefghijklmnopqrstuvwxyz0123456789", 32);
    const [f] = scan(`token: acme_${secret}`, { custom: [custom] }).findings;
    expect(f).toMatchObject({ rule: "acme-internal-token", severity: "failure", provider: "Custom", preview: `${secret.slice(0, 4)}…` });
  });

  test("are searched over the whole line holding a keyword, not only from the keyword", () => {
    const secret = pick("abcdef0123456789", 24);
    const rule = { id: "acme-key", pattern: "ak=([a-f0-9]{24})", keywords: ["acme"] };
    const found = scan(`x = 1\n# acme service: ak=${secret}\nak=${pick("abcdef0123456789", 24)}`, { custom: [rule] }).findings;
    expect(found.map((f) => [f.rule, f.line])).toEqual([["acme-key", 2]]);
  });

  test("a catastrophic-backtracking pattern from config runs in linear time on re2js", () => {
    const rule = { id: "redos", pattern: "(?:a+)+b([0-9]{3}[a-z]{3})", keywords: ["aa"], "ignore-case": false };
    const hostile = "a".repeat(40 * 1024);
    expect(scan(hostile, { custom: [rule] }).findings).toEqual([]);
    expect(scan(`${hostile}\nx aaaab123xyz`, { custom: [rule] }).findings.map((f) => [f.rule, f.line, f.preview])).toEqual([["redos", 2, "1…"]]);
  });

  test("can warn", () => {
    const [f] = scan(`acme_${pick("abcdef0123456789", 32)}`, { custom: [{ ...custom, severity: "warning" }] }).findings;
    expect(f!.severity).toBe("warning");
  });

  test.each([
    ["lookahead", "acme_(?=x)[a-z]{4}", /custom\.0\.pattern|re2js cannot compile/],
    ["backreference", "(a)\\1", /re2js cannot compile/],
    ["repeat over 1000", "a{2000}", /re2js cannot compile/],
  ])("a pattern re2js cannot run (%s) is a config error naming the path", (_what, pattern, message) => {
    const result = secretsOptions.safeParse({ custom: [{ ...custom, pattern }] });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.join(".") === "custom.0.pattern");
    expect(issue?.message).toMatch(message);
    expect(issue?.message).toMatch(/linear-time engine/);
  });

  // [a-z]{1000}[0-9] searched a 1 MB line for 48 s: re2js steps through every instruction of the
  // program per character, so the program size is bounded when the config is read.
  test.each([
    ["custom pattern", { custom: [{ ...custom, pattern: "[a-z]{1000}[0-9]" }] }, "custom.0.pattern", 1003],
    ["custom pattern, ignore-case", { custom: [{ ...custom, pattern: "acme_[a-z]{10,200}", "ignore-case": true }] }, "custom.0.pattern", 397],
    ["allow pattern", { allow: { patterns: ["x{500}"] } }, "allow.patterns.0", 502],
  ])("a %s whose program exceeds the cap is a config error saying by how much", (_what, options, path, size) => {
    const result = secretsOptions.safeParse(options);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.join(".") === path);
    expect(issue?.message).toMatch(`too large to search every line with: its program has ${size} instructions`);
    expect(issue?.message).toContain(`at most ${MAX_CONFIG_PROGRAM_SIZE}`);
  });

  test("token-shaped patterns fit under the program cap", () => {
    for (const pattern of ["ghp_[A-Za-z0-9]{36}", "(?:foo|bar|baz)_[A-Za-z0-9_-]{20,100}", "acme_[a-z0-9]{24,}", "(?:a+)+b([0-9]{3}[a-z]{3})"]) {
      expect(secretsOptions.safeParse({ custom: [{ ...custom, pattern }] }).success).toBe(true);
    }
  });

  test("an id that repeats a built-in, and an unknown id under severity, are config errors", () => {
    const clash = secretsOptions.safeParse({ custom: [{ ...custom, id: "jwt" }] });
    expect(clash.error?.issues.map((i) => i.message).join()).toMatch(/built-in rule/);
    const unknownId = secretsOptions.safeParse({ severity: { "no-such-rule": "off" } });
    expect(unknownId.error?.issues[0]).toMatchObject({ path: ["severity", "no-such-rule"] });
  });

  test("options are strict: a misspelled key is an error", () => {
    expect(secretsOptions.safeParse({ placeholder: false }).success).toBe(false);
  });
});

describe("hostile input completes with the right answer", () => {
  const LINE = 40 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(LINE / unit.length)).slice(0, LINE);
  const keywords = [...new Set(BUILTIN_RULES.flatMap((r) => r.keywords ?? []))];

  test.each([
    ["AKIA repeated", fill("AKIA")],
    ["BEGIN without END", fill("-----BEGIN RSA PRIVATE KEY-----")],
    ["= run", fill("=")],
    [":// then a long run", ("https://a:" + "b".repeat(LINE)).slice(0, LINE)],
    ["password= repeated", fill("password=")],
    ["eyJ repeated", fill("eyJ")],
    ["token prefixes without bodies", fill("ghp_ xoxb- sk_live_ glpat- AIza ")],
    ["typed declarations without values", fill("var twilioToken string = ")],
    ["an XML element never closed", fill("<apiToken>abc123 ")],
    ["YAML block-scalar indicators without values", fill("token: | ")],
    ["curl -u without a password", fill("curl -u a:")],
  ])("%s, with one real token on the next line", (_name, hostile) => {
    const token = ghToken();
    const found = scan(`${hostile}\nconst t = "${token}";`).findings.filter((f) => f.severity === "failure");
    expect(found.map((f) => [f.rule, f.line])).toEqual([["github-classic-token", 2]]);
  });

  test("every keyword glued together: the real token on the next line is still found", () => {
    // Glued keywords form format-valid strings of their own (pscale_tkn_pscale_pw_...), which
    // are rightly reported on line 1; what matters is that the scan ends and misses nothing.
    // (Findings per file are capped for the check run, so this reads the scanner's raw matches.)
    const token = ghToken();
    const text = `${fill(keywords.join(""))}\nconst t = "${token}";`;
    const matches = scannerFor(secretsOptions.parse({})).scanText(text);
    const onLine2 = matches.filter((m) => m.start > LINE);
    expect(onLine2.map((m) => [m.rule.id, text.slice(m.secretStart, m.secretEnd) === token])).toEqual([["github-classic-token", true]]);
    expect(scan(text).notices.map((n) => n.reason).join()).toMatch(/more secret\(s\) in this file are not listed/);
  });

  test("a file over the cap lists the same findings, masked and fingerprinted alike, as the full list ordered failures first", () => {
    const lines = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? `DB_PASSWORD=${pick(B62, 12)}7x` : i % 3 === 1 ? `t${i} = "${checksummed("ghp_")}"` : `t${i} = "${checksummed("ghp_")}" // readiness:allow-secret`));
    const text = lines.join("\n");
    const all = scanContent({ ...settings({}), listAll: true }, "src/a.ts", text).findings;
    const capped = scan(text, {}, "src/a.ts");
    expect(all.length).toBe(60);
    const expected = [...all].sort((a, b) => (a.severity === b.severity ? a.line - b.line : a.severity === "failure" ? -1 : 1)).slice(0, 20).sort((a, b) => a.line - b.line);
    expect(capped.findings).toEqual(expected);
    expect(capped.notices.map((n) => n.reason)).toEqual(["40 more secret(s) in this file are not listed; run `readiness scan src/a.ts` to list them all"]);
  });

  test("a BEGIN line repeated without END, then a real key, finds the key", () => {
    const key = `-----BEGIN RSA PRIVATE KEY-----\n${Array.from({ length: 4 }, () => pick(B64, 64)).join("\n")}\n-----END RSA PRIVATE KEY-----`;
    const found = scan(`${fill("-----BEGIN RSA PRIVATE KEY-----\n")}\n${key}`).findings;
    expect(found.map((f) => f.rule)).toEqual(["private-key"]);
  });

  test("the same hostile lines on the re2js engine give the same findings", () => {
    const text = `${fill(keywords.join(" ") + " ")}\nconst t = "${ghToken()}";`;
    const native = scanContent({ ...settings(), engine: "native" }, "a.ts", text).findings;
    const re2 = scanContent({ ...settings(), engine: "re2" }, "a.ts", text).findings;
    expect(re2).toEqual(native);
  });
});

describe("never echo", () => {
  test("previews show at most 4 characters, and at most a quarter of a short secret", () => {
    expect(maskedPreview("ghp_abcdefghijklmnopqrstuvwxyz0123456789")).toBe("ghp_…");
    expect(maskedPreview("hunter22")).toBe("hu…");
    expect(maskedPreview("abc")).toBe("…");
    for (let n = 0; n < 60; n++) expect(maskedPreview("z".repeat(n)).length).toBeLessThanOrEqual(5);
  });

  test("findings carry neither the secret nor the line", () => {
    const token = ghToken();
    const password = pick(B62, 18);
    const text = `const t = "${token}"; // deploy\nDB_PASSWORD=${password}\nDATABASE_URL=postgres://svc:${password}x@db.internal/app`;
    const report = scan(text);
    expect(report.findings.length).toBe(3);
    const json = JSON.stringify(report);
    expect(json).not.toContain(token);
    expect(json).not.toContain(token.slice(4, 12));
    expect(json).not.toContain(password);
    expect(json).not.toContain(password.slice(0, 6));
    expect(json).not.toContain("deploy");
  });
});

describe("fingerprints", () => {
  test("same secret and key: same fingerprint, wherever it appears", () => {
    const token = ghToken();
    const a = scan(`x = "${token}"`).findings[0]!;
    const b = scanContent(settings(), "other/file.yml", `\n\ntoken: ${token}`).findings[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toBe(fingerprint(token, "test-key"));
    expect(a.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  test("depend on the key and on the secret", () => {
    const token = ghToken();
    const withKey = (key: string) => scanContent(settings({}, key), "a.ts", `x = "${token}"`).findings[0]!.fingerprint;
    expect(withKey("key-one")).not.toBe(withKey("key-two"));
    expect(withKey(UNKEYED_FINGERPRINT_KEY)).toBe(fingerprint(token, UNKEYED_FINGERPRINT_KEY));
    expect(fingerprint(token, "k")).not.toBe(fingerprint(ghToken(), "k"));
  });
});

describe("the native engine's guard", () => {
  test("refuses patterns it cannot bound: unbounded or nested quantifiers", () => {
    expect(() => compileAnchored("ab+", { engine: "native" })).toThrow(/bounded patterns/);
    expect(() => compileAnchored("(?:a{1,3}){1,3}", { engine: "native" })).toThrow(/nested quantifiers/);
    expect(compileAnchored("a{1,3}(?:bc)?", { engine: "native" }).matchAt("xaabc", 1)).toEqual([1, 5]);
  });
});

describe("text that is not ASCII", () => {
  test("line numbers and previews stay right around astral and accented characters", () => {
    const token = ghToken();
    const text = `// café ☕ 🚀🚀 naïve\nconst motd = "🎉 déjà vu"; const t = "${token}"; // ✓\n`;
    for (const engine of ["native", "re2"] as const) {
      const [f] = scanContent({ ...settings(), engine }, "a.ts", text).findings;
      expect(f).toMatchObject({ rule: "github-classic-token", line: 2, preview: "ghp_…", fingerprint: fingerprint(token, "test-key") });
    }
  });
});

describe("multi-line secrets", () => {
  test("a PEM key is one finding from its BEGIN line to its END line", () => {
    const body = Array.from({ length: 5 }, () => pick(B64, 64));
    const text = ["const a = 1;", "-----BEGIN OPENSSH PRIVATE KEY-----", ...body, "-----END OPENSSH PRIVATE KEY-----", "const b = 2;"].join("\n");
    const [f] = scan(text).findings;
    expect(f).toMatchObject({ rule: "openssh-private-key", line: 2, endLine: 8, preview: `${body[0]!.slice(0, 4)}…` });
  });
});
