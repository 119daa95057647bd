import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_RULES } from "../../src/secrets/builtin-rules.js";
import { secretsOptions } from "../../src/secrets/options.js";
import { SecretScanner } from "../../src/secrets/scanner.js";
import { buildCorpus, measure, renderCorpusReport, SHAPES, withCorpusReport, type CorpusCase, type Finding } from "./corpus.js";

const scanner = new SecretScanner(secretsOptions.parse({}), "native");
const scan = (text: string): Finding[] =>
  scanner.scanText(text).map((m) => ({ rule: m.rule.id, severity: m.severity, secret: text.slice(m.secretStart, m.secretEnd) }));

const cases = buildCorpus();
const result = measure(cases, scan);
const describeCase = (c: { rule: string; shape: string; text: string }) => `${c.rule} / ${c.shape}: ${c.text.length > 160 ? `${c.text.slice(0, 160)}…` : c.text}`;

describe("labelled corpus", () => {
  test("covers every content rule with true and false cases, and every shape", () => {
    const contentRules = BUILTIN_RULES.filter((r) => r.pattern !== undefined);
    for (const rule of contentRules) {
      expect([rule.id, cases.filter((c) => c.rule === rule.id && c.positive).length > 0]).toEqual([rule.id, true]);
      expect([rule.id, cases.filter((c) => c.rule === rule.id && !c.positive).length > 0]).toEqual([rule.id, true]);
    }
    for (const shape of SHAPES) expect(result.byShape.get(shape.name)?.positives ?? 0).toBeGreaterThan(contentRules.length / 2);
  });

  test("a rule's cases do not depend on the rules listed before it", () => {
    const [first, ...rest] = BUILTIN_RULES;
    const lines = (list: readonly CorpusCase[]) => list.map((c) => `${c.rule} / ${c.shape} / ${c.positive}: ${c.text}`);
    expect(lines(buildCorpus(rest))).toEqual(lines(cases.filter((c) => c.rule !== first!.id)));
    const byRule = (list: readonly CorpusCase[]) => lines([...list].sort((a, b) => a.rule.localeCompare(b.rule)));
    expect(byRule(buildCorpus([...rest.slice(0, 5), first!, ...rest.slice(5)]))).toEqual(byRule(cases));
  });

  test("recall is at least 97% overall and in every provider family and shape", () => {
    const recall = (t: { found: number; positives: number }) => t.found / t.positives;
    const weak = [...result.byFamily, ...result.byShape].filter(([, t]) => t.positives > 0 && recall(t) < 0.97).map(([k, t]) => `${k}: ${t.found}/${t.positives}`);
    expect({ recall: recall(result.total) >= 0.97, weak, misses: result.misses.slice(0, 15).map(describeCase) }).toEqual({ recall: true, weak: [], misses: expect.any(Array) });
  });

  test("blocking false positives stay at or below 1%", () => {
    const rate = result.total.blocked / result.total.negatives;
    expect({ rate: rate <= 0.01, falseAlarms: result.falseAlarms.slice(0, 15).map(describeCase) }).toEqual({ rate: true, falseAlarms: expect.any(Array) });
  });

  test("docs/secrets.md shows these numbers (UPDATE_DOCS=1 rewrites them)", () => {
    const path = join(process.cwd(), "docs", "secrets.md");
    const current = readFileSync(path, "utf8");
    const providers = new Set(BUILTIN_RULES.map((r) => r.provider)).size;
    const fresh = withCorpusReport(current, renderCorpusReport(result, BUILTIN_RULES.length, providers));
    if (process.env.UPDATE_DOCS === "1" && fresh !== current) writeFileSync(path, fresh);
    else expect(current).toBe(fresh);
  });
});
