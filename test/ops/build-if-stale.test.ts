/** `npm start`'s build step decides from a hash of the build's inputs whether to compile. */
import { expect, test } from "@jest/globals";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error: plain JavaScript (it runs before anything is compiled), without declarations
import { sourceHash } from "../../scripts/build-if-stale.mjs";

const hashOf = sourceHash as (root: string) => string;

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "readiness-build-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test("the hash follows the sources, the rules, the tsconfig files and the lockfile, and nothing else", () => {
  const base = { "src/a.ts": "export const a = 1;\n", "rules/r.ts": "export {};\n", "tsconfig.json": "{}", "tsconfig.build.json": "{}", "package-lock.json": "{}" };
  const roots: string[] = [];
  const hash = (files: Record<string, string>) => {
    const root = project(files);
    roots.push(root);
    return hashOf(root);
  };
  try {
    const original = hash(base);
    expect(hash(base)).toBe(original);
    expect(hash({ ...base, "README.md": "docs change nothing" })).toBe(original);
    expect(hash({ ...base, "test/x.test.ts": "tests change nothing" })).toBe(original);
    for (const [path, text] of Object.entries({ "src/a.ts": "export const a = 2;\n", "rules/r.ts": "export const r = 1;\n", "tsconfig.build.json": '{"x":1}', "package-lock.json": '{"v":2}' })) {
      expect({ path, changed: hash({ ...base, [path]: text }) !== original }).toEqual({ path, changed: true });
    }
    expect(hash({ ...base, "src/b.ts": "" })).not.toBe(original);
    const { ["src/a.ts"]: _removed, ...withoutA } = base;
    expect(hash({ ...withoutA, "src/b.ts": "export const a = 1;\n" })).not.toBe(original);
  } finally {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  }
});
