/**
 * `readiness check`: the headline, the result line and the exit code tell one story, in every
 * format, whatever the outcome (all pass, a real failure, only rules GitHub decides, pending).
 */
import { z } from "zod";
import { makeCheckCommand } from "../../src/cli/check.js";
import type { LocalJsonReport } from "../../src/cli/check.js";
import type { CliIO } from "../../src/cli/io.js";
import type { Registry } from "../../src/engine/evaluate.js";
import { defineRule, type AnyRule } from "../../src/engine/rule.js";
import { pending } from "../../src/engine/types.js";
import { registry as builtin } from "../../rules/index.js";
import { repoPool } from "../local/git-repo.js";

/** Waits on CI: only GitHub can settle it. */
const waitsOnCi = defineRule({
  id: "ci-wait",
  area: "reliability", subjects: ["pull"],
  description: "CI has finished.",
  options: z.object({}).strict(),
  needs: () => [{ kind: "checks" }],
  evaluate: () => pending("waiting on CI"),
});

/** Pending for a reason a local run has too: it never settles here, so it blocks. */
const waitsLocally = defineRule({
  id: "slow",
  area: "reliability", subjects: ["pull"],
  description: "Something local has settled.",
  options: z.object({}).strict(),
  needs: () => [{ kind: "files" }],
  evaluate: () => pending("not settled"),
});

const registry: Registry = new Map<string, AnyRule>([...builtin, [waitsOnCi.id, waitsOnCi as AnyRule], [waitsLocally.id, waitsLocally as AnyRule]]);
const check = makeCheckCommand(registry);

async function run(cwd: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIO = { cwd, env: {}, out: (t) => void (out += t), err: (t) => void (err += t), readStdin: async () => "" };
  const code = await check(argv, io);
  return { code, out, err };
}

const fresh = repoPool(afterAll);

/** A repository whose base has `config`, and a branch `feature` that adds a tested, documented change (or not). */
function scenario(config: string, tested: boolean): string {
  const repo = fresh();
  repo.commit("initial", { ".readiness.yml": config, "src/a.ts": "export const a = 1;\n", "docs/guide.md": "# Guide\n" });
  repo.git("checkout", "-q", "-b", "feature");
  repo.commit("feat: b", {
    "src/a.ts": "export const a = 1;\nexport const b = 2;\n",
    ...(tested ? { "test/a.test.ts": "test('b', () => {});\n", "CHANGELOG.md": "- b\n" } : {}),
  });
  return repo.dir;
}

const SCENARIOS: readonly { name: string; config: string; tested: boolean; argv?: string[]; exit: 0 | 1; headline: RegExp }[] = [
  { name: "all pass", config: "level: silver\nrules:\n  tests: bronze\n  docs: silver\n", tested: true, exit: 0, headline: /^Ready: gold reached$/ },
  { name: "a real failure", config: "level: silver\nrules:\n  tests: bronze\n  docs: silver\n", tested: false, exit: 1, headline: /^Blocked: 2 rules fail \(tests, docs\)$/ },
  {
    name: "only rules GitHub decides",
    config: "level: bronze\nrules:\n  tests: bronze\n  reviews: bronze\n  ci-wait: bronze\n",
    tested: true,
    exit: 0,
    headline: /^Nothing that can be checked here blocks bronze; cannot be judged locally: reviews, ci-wait — GitHub decides$/,
  },
  {
    name: "only rules GitHub decides, --strict",
    config: "level: bronze\nrules:\n  tests: bronze\n  reviews: bronze\n  ci-wait: bronze\n",
    tested: true,
    argv: ["--strict"],
    exit: 1,
    headline: /^Blocked: 2 cannot be judged locally \(reviews, ci-wait; --strict counts them\)$/,
  },
  {
    name: "pending locally, and a failure",
    config: "level: bronze\nrules:\n  tests: bronze\n  slow: bronze\n  reviews: bronze\n",
    tested: false,
    exit: 1,
    headline: /^Blocked: 1 rule fails \(tests\); 1 waiting \(slow; nothing settles locally\); cannot be judged locally: reviews — GitHub decides$/,
  },
];

describe.each(SCENARIOS)("readiness check, $name: one story in text, markdown and json", ({ config, tested, argv = [], exit, headline }) => {
  let dir: string;
  beforeAll(() => {
    dir = scenario(config, tested);
  });

  test(`exit ${exit} in every format`, async () => {
    const text = await run(dir, [...argv]);
    const markdown = await run(dir, [...argv, "--format", "markdown"]);
    const json = await run(dir, [...argv, "--format", "json"]);
    expect([text.code, markdown.code, json.code]).toEqual([exit, exit, exit]);
    expect(text.err + markdown.err + json.err).toBe("");

    // text: the headline opens the report, the result line repeats it, the last line states the exit code.
    const lines = text.out.trimEnd().split("\n");
    const title = lines[3]!;
    expect(title).toMatch(headline);
    expect(lines.at(-2)).toBe(`Result: ${title}.`);
    expect(lines.at(-1)).toMatch(new RegExp(`^exit ${exit}: `));
    if (exit === 0) expect(text.out).not.toMatch(/Blocked|rules? fails?\b/);

    // markdown: the verdict is the same headline, with the exit code.
    const first = markdown.out.split("\n")[0]!;
    expect(first).toContain(`(exit ${exit}: `);
    expect(first.replace(/\\/g, "")).toContain(title);
    if (exit === 0) expect(markdown.out).not.toMatch(/Not ready to merge|blocking rules? fails?/);

    // json: failure exactly when the exit code is 1, and the same headline.
    const report = JSON.parse(json.out) as LocalJsonReport;
    expect(report.local.exitCode).toBe(exit);
    expect(report.local.headline).toBe(title);
    expect(report.conclusion === "failure").toBe(exit === 1);
    expect(report.local.blockedBy.length > 0).toBe(exit === 1);
  });
});
