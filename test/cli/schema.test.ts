import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { registry } from "../../rules/index.js";
import { runCli } from "./run-cli.js";

describe("readiness schema", () => {
  test("prints the JSON Schema of .readiness.yml with every registered rule", async () => {
    const run = await runCli(["schema"], { cwd: "/" });
    expect(run.code).toBe(0);
    expect(run.err).toBe("");
    expect(run.out.endsWith("}\n")).toBe(true);
    const schema = JSON.parse(run.out) as { $schema: string; type: string; properties: { rules: { properties: Record<string, unknown>; additionalProperties: boolean } } };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual([...registry.keys()].sort());
    expect(Object.keys(schema.properties.rules.properties)).toEqual(expect.arrayContaining(["tests", "docs", "reviews"]));
    expect(schema.properties.rules.additionalProperties).toBe(false);
    // Pretty-printed, so it can be committed and diffed.
    expect(run.out).toMatch(/^\{\n {2}"\$schema"/);
  });

  test("--help, and no stray arguments", async () => {
    expect((await runCli(["schema", "--help"], { cwd: "/" })).out).toContain("Usage: readiness schema");
    const stray = await runCli(["schema", "out.json"], { cwd: "/" });
    expect(stray).toEqual({ code: 2, out: "", err: 'readiness schema: unexpected argument "out.json"\nRun readiness schema --help for the options.\n' });
  });
});

test("--help and docs/cli.md give the same commands for where the schema goes", async () => {
  const cliDoc = readFileSync(fileURLToPath(new URL("../../docs/cli.md", import.meta.url)), "utf8");
  const start = cliDoc.indexOf("## `readiness schema`");
  const section = cliDoc.slice(start, cliDoc.indexOf("\n## ", start + 1));
  const documented = [...section.matchAll(/```\w*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n").map((line) => line.trim()).filter(Boolean));
  expect(documented).toEqual(["readiness schema > .github/readiness.schema.json", "# yaml-language-server: $schema=.github/readiness.schema.json"]);
  const help = (await runCli(["schema", "--help"], { cwd: "/" })).out;
  const helpLines = help.split("\n").map((line) => line.trim());
  for (const line of documented) expect(helpLines).toContain(line);
});
