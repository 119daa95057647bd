/**
 * The rooms of ../shared/design/architecture.md, checked: the project is cruised with
 * .dependency-cruiser.cjs and must show no error-level violation; and each rule is shown to catch
 * the violation it exists for, on a small tree written to a temporary directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { cruise, type ICruiseResult, type IViolation } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

const root = resolve(".");

async function cruiseTree(baseDir: string, entries: string[]): Promise<IViolation[]> {
  const options = await extractDepcruiseOptions(join(root, ".dependency-cruiser.cjs"));
  const tsConfig = extractTSConfig(join(root, "tsconfig.json"));
  const result = await cruise(entries, { ...options, baseDir, validate: true, outputType: "json" }, {}, { tsConfig });
  const output = (typeof result.output === "string" ? JSON.parse(result.output) : result.output) as ICruiseResult;
  return output.summary.violations;
}

function describeViolations(violations: readonly IViolation[]): string {
  return violations.map((v) => `${v.rule.severity} ${v.rule.name}: ${v.from} → ${v.to}`).join("\n");
}

describe("architecture: dependency rules", () => {
  test("src/ and rules/ break no error-level rule", async () => {
    const violations = await cruiseTree(root, ["src", "rules"]);
    const errors = violations.filter((v) => v.rule.severity === "error");
    expect(describeViolations(errors)).toBe("");
  });

  describe("each rule catches its violation", () => {
    let dir: string;
    let found: IViolation[];

    const files: Record<string, string> = {
      "src/github/client.ts": `export const client = 1;\n`,
      "src/jobs/queue.ts": `export const queue = 1;\n`,
      "src/engine/types.ts": `export type Level = string;\n`,
      "src/engine/reads-disk.ts": `import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n`,
      "src/render/calls-github.ts": `import { client } from "../github/client.js";\nexport const x = client;\n`,
      "src/engine/uses-rules.ts": `import { rule } from "../../rules/some-rule.js";\nexport const x = rule;\n`,
      "rules/some-rule.ts": `import type { Level } from "../src/engine/types.js";\nexport const rule: Level = "bronze";\n`,
      "src/secrets/uses-config.ts": `import { config } from "../config/config.js";\nexport const x = config;\n`,
      "src/config/config.ts": `export const config = 1;\n`,
      "src/config/uses-probot.ts": `import { Probot } from "probot";\nexport const x = Probot;\n`,
      "src/state/reads-github.ts": `import { client } from "../github/client.js";\nexport const x = client;\n`,
      "src/state/ok.ts": `import type { Level } from "../engine/types.js";\nexport const level: Level = "gold";\n`,
      "src/local/calls-github.ts": `import { client } from "../github/client.js";\nexport const x = client;\n`,
      "src/github/uses-handlers.ts": `import { handler } from "../handlers/enqueue.js";\nexport const x = handler;\n`,
      "src/handlers/enqueue.ts": `import { queue } from "../jobs/queue.js";\nimport { client } from "../github/client.js";\nexport const handler = [queue, client];\n`,
      "src/handlers/parses.ts": `import { z } from "zod";\nexport const x = z;\n`,
      "src/cycle-a/a.ts": `import { b } from "./b.js";\nexport const a = () => b;\n`,
      "src/cycle-a/b.ts": `import { a } from "./a.js";\nexport const b = () => a;\n`,
      "src/render/imports-entry.ts": `import { app } from "../index.js";\nexport const x = app;\n`,
      "src/index.ts": `export const app = 1;\n`,
      "src/render/comment.ts": `export const marker = "<!-- x -->";\n`,
      "src/github/renders.ts": `import { marker } from "../render/comment.js";\nexport const x = marker;\n`,
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "readiness-rooms-"));
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      found = await cruiseTree(dir, ["src", "rules"]);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const pairs = (rule: string) => found.filter((v) => v.rule.name === rule).map((v) => `${v.from} → ${v.to}`);

    test.each([
      ["pure-rooms-no-io", "src/engine/reads-disk.ts → fs"],
      ["pure-rooms-no-github-or-services", "src/render/calls-github.ts → src/github/client.ts"],
      ["pure-rooms-no-github-or-services", "src/config/uses-probot.ts → probot"],
      ["engine-is-the-core", "src/engine/uses-rules.ts → rules/some-rule.ts"],
      ["domain-libraries-stand-alone", "src/secrets/uses-config.ts → src/config/config.ts"],
      ["state-imports-only-its-drivers-and-engine-types", "src/state/reads-github.ts → src/github/client.ts"],
      ["local-is-not-github", "src/local/calls-github.ts → src/github/client.ts"],
      ["github-is-not-the-service-wiring", "src/github/uses-handlers.ts → src/handlers/enqueue.ts"],
      ["github-publishes-rendered-output", "src/github/renders.ts → src/render/comment.ts"],
      ["nothing-imports-the-entry-points", "src/render/imports-entry.ts → src/index.ts"],
      ["handlers-only-enqueue", "src/handlers/enqueue.ts → src/github/client.ts"],
      ["handlers-validate-payloads-in-one-place", "src/handlers/parses.ts → zod"],
      ["no-circular", "src/cycle-a/a.ts → src/cycle-a/b.ts"],
    ])("%s flags %s", (rule, pair) => {
      expect(pairs(rule)).toContain(pair);
    });

    test("allowed imports are not flagged", () => {
      const flagged = found.map((v) => `${v.from} → ${v.to}`);
      expect(flagged).not.toContain("src/state/ok.ts → src/engine/types.ts");
      expect(flagged).not.toContain("src/handlers/enqueue.ts → src/jobs/queue.ts");
      expect(flagged).not.toContain("rules/some-rule.ts → src/engine/types.ts");
    });
  });
});
