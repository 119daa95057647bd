/**
 * .pre-commit-hooks.yaml: every hook runs a `readiness` subcommand that exists, from this package
 * (language: node installs the repository through npm pack, so the package's bin and prepack must
 * be right: test/package/pack.test.ts installs the same tarball and runs it).
 */
import { expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { main } from "../../src/cli.js";
import { CONFIG_PATHS } from "../../src/config/schema.js";
import { ROOT } from "../helpers/server-process.js";

interface Hook {
  readonly id: string;
  readonly entry: string;
  readonly language: string;
  readonly files?: string;
  readonly pass_filenames?: boolean;
}

const hooks = parse(readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string>; scripts: Record<string, string>; files: string[] };

test("the hooks: scan of staged files and validate of the configuration", () => {
  expect(hooks.map((h) => [h.id, h.entry])).toEqual([
    ["readiness-scan", "readiness scan"],
    ["readiness-validate", "readiness validate"],
  ]);
});

test.each(hooks.map((h) => [h.id, h] as const))("%s runs a readiness subcommand that exists, from this package", async (_id, hook) => {
  const [command, subcommand] = hook.entry.split(" ");
  expect(hook.language).toBe("node");
  expect(Object.keys(manifest.bin)).toContain(command);
  expect(manifest.files).toContain(manifest.bin[command!]!.replace(/[^/]+$/, ""));
  expect(manifest.scripts.prepack).toBe("npm run build");
  let out = "";
  const code = await main([subcommand!, "--help"], { cwd: ROOT, env: {}, out: (text) => void (out += text), err: () => undefined, readStdin: async () => "" });
  expect(code).toBe(0);
  expect(out).toMatch(new RegExp(`^Usage: readiness ${subcommand}`));
});

test("readiness-validate runs when, and only when, a configuration the bot reads is staged", () => {
  const hook = hooks.find((h) => h.id === "readiness-validate")!;
  const files = new RegExp(hook.files!);
  for (const path of CONFIG_PATHS) expect(files.test(path)).toBe(true);
  for (const path of ["docs/.readiness.yml", "readiness.yml", ".readiness.yml.bak", ".github/readiness.yaml.orig"]) expect(files.test(path)).toBe(false);
  // validate takes at most one file: it finds the configuration itself.
  expect(hook.pass_filenames).toBe(false);
});
