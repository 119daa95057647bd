import { BUILTIN_RULES } from "../../src/secrets/builtin-rules.js";
import { secretsOptions } from "../../src/secrets/options.js";
import { analyzePattern, checkRe2Syntax, type EngineName } from "../../src/secrets/pattern.js";
import { SecretScanner } from "../../src/secrets/scanner.js";
import { FILE_SAMPLES, SAMPLES } from "./samples.js";

const defaults = secretsOptions.parse({});
const scanners: Record<EngineName, SecretScanner> = {
  native: new SecretScanner(defaults, "native"),
  re2: new SecretScanner(defaults, "re2"),
};

const contentRules = BUILTIN_RULES.filter((r) => r.pattern !== undefined);
const fileRules = BUILTIN_RULES.filter((r) => r.files !== undefined);

describe("built-in rule data", () => {
  test("covers at least 60 distinct providers", () => {
    const providers = new Set(BUILTIN_RULES.map((r) => r.provider));
    expect(providers.size).toBeGreaterThanOrEqual(60);
  });

  test("ids are unique kebab-case", () => {
    const ids = BUILTIN_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  test("the providers the issue names are all covered", () => {
    const text = BUILTIN_RULES.map((r) => `${r.provider} ${r.description} ${r.id}`).join("\n").toLowerCase();
    for (const name of [
      "amazon web services", "access key id", "secret access key", "service-account", "google", "api key", "azure", "storage",
      "connection string", "github", "fine-grained", "oauth", "gitlab", "bitbucket", "npm", "pypi", "rubygems", "docker",
      "slack", "webhook", "discord", "telegram", "sendgrid", "mailgun", "twilio", "stripe", "datadog", "new relic", "sentry",
      "pagerduty", "heroku", "shopify", "openai", "anthropic", "pem", "openssh", "pgp", "pkcs#12", "url", "database", "jwt",
      "basic", "generic",
    ]) {
      expect(text).toContain(name);
    }
  });

  // Every content rule also has generated true and false cases in every shape (corpus.test.ts);
  // these handwritten ones pin formats and near misses for the first catalogue.
  test("handwritten sample sets have true and false cases and name a rule", () => {
    for (const r of contentRules.filter((rule) => SAMPLES[rule.id])) {
      expect(SAMPLES[r.id]!.positives.length).toBeGreaterThan(0);
      expect(SAMPLES[r.id]!.negatives.length).toBeGreaterThan(0);
    }
    for (const r of fileRules) expect(FILE_SAMPLES[r.id]?.positivePaths.length ?? 0).toBeGreaterThan(0);
    const ids = new Set(BUILTIN_RULES.map((r) => r.id));
    for (const id of [...Object.keys(SAMPLES), ...Object.keys(FILE_SAMPLES)]) expect(ids).toContain(id);
  });

  test("generic and low-confidence rules warn, provider formats block", () => {
    const severity = (id: string) => BUILTIN_RULES.find((r) => r.id === id)?.severity;
    expect(severity("generic-secret-assignment")).toBe("warning");
    expect(severity("jwt")).toBe("warning");
    expect(severity("github-classic-token")).toBe("failure");
    expect(severity("private-key")).toBe("failure");
  });

  describe.each(contentRules.map((r) => [r.id, r] as const))("pattern of %s", (_id, rule) => {
    test("compiles on re2js (linear time) and is bounded without nested quantifiers", () => {
      expect(checkRe2Syntax(rule.pattern!, rule.ignoreCase)).toBeNull();
      const shape = analyzePattern(rule.pattern!);
      expect(shape.nestedQuantifier).toBe(false);
      expect(shape.maxLength).toBeLessThanOrEqual(4096);
      expect(shape.groupCount).toBeLessThanOrEqual(1);
    });

    test("has lower-case ASCII keywords", () => {
      expect(rule.keywords?.length ?? 0).toBeGreaterThan(0);
      for (const k of rule.keywords ?? []) expect(k).toMatch(/^[\x20-\x7e]+$/);
      for (const k of rule.keywords ?? []) expect(k).toBe(k.toLowerCase());
    });
  });
});

describe.each(["native", "re2"] as const)("samples on the %s engine", (engine) => {
  const scanner = scanners[engine];
  const cases = Object.entries(SAMPLES).flatMap(([id, s]) => [
    ...s.positives.map((text, i) => ["finds", id, i, text] as const),
    ...s.negatives.map((text, i) => ["ignores", id, i, text] as const),
  ]);

  test.each(cases)("%s %s sample %i", (kind, id, _i, text) => {
    const matches = scanner.scanText(text);
    if (kind === "finds") {
      expect(matches.map((m) => m.rule.id)).toEqual([id]);
      const m = matches[0]!;
      expect(m.secretEnd).toBeGreaterThan(m.secretStart);
    } else {
      expect(matches.map((m) => m.rule.id)).not.toContain(id);
    }
  });
});

describe("file rules", () => {
  const scanner = scanners.native;
  test.each(Object.entries(FILE_SAMPLES))("%s matches its paths and no others", (id, s) => {
    for (const p of s.positivePaths) expect(scanner.fileRulesFor(p).map((r) => r.id)).toEqual([id]);
    for (const p of s.negativePaths) expect(scanner.fileRulesFor(p).map((r) => r.id)).not.toContain(id);
  });
});
