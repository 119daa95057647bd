import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { runCli } from "./run-cli.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("the readiness dispatcher", () => {
  test("--help lists every command; exit 0", async () => {
    const run = await runCli(["--help"], { cwd: "/" });
    expect(run.code).toBe(0);
    for (const command of ["check", "validate", "owners", "scan", "schema", "help"]) expect(run.out).toMatch(new RegExp(`^  ${command}\\s+\\S`, "m"));
    expect(run.out).toContain("Exit codes: 0 ready or valid, 1 blocked or invalid, 2 usage, input or configuration error.");
  });

  test("no command: the usage on standard error, exit 2", async () => {
    const run = await runCli([], { cwd: "/" });
    expect(run.code).toBe(2);
    expect(run.out).toBe("");
    expect(run.err).toContain("Usage: readiness <command>");
  });

  test("--version prints the package version", async () => {
    expect(await runCli(["--version"], { cwd: "/" })).toEqual({ code: 0, out: `${VERSION}\n`, err: "" });
  });

  test("an unknown command suggests the nearest one, exit 2", async () => {
    const run = await runCli(["chek"], { cwd: "/" });
    expect(run).toEqual({ code: 2, out: "", err: 'readiness: unknown command "chek". Did you mean "check"?\nRun readiness --help for the list of commands.\n' });
    const option = await runCli(["--verbose"], { cwd: "/" });
    expect(option.code).toBe(2);
    expect(option.err).toContain("readiness: unknown option --verbose.");
    const inherited = await runCli(["toString"], { cwd: "/" });
    expect(inherited.code).toBe(2);
  });

  test("help COMMAND shows that command's usage", async () => {
    const run = await runCli(["help", "validate"], { cwd: "/" });
    expect(run.code).toBe(0);
    expect(run.out).toContain("Usage: readiness validate [FILE]");
    const unknown = await runCli(["help", "valdate"], { cwd: "/" });
    expect(unknown).toEqual({ code: 2, out: "", err: 'readiness: no help for "valdate": there is no such command. Did you mean "validate"?\n' });
  });

  test.each([
    ["owners", "Usage: readiness owners"],
    ["scan", "Usage: readiness scan"],
    ["check", "Usage: readiness check"],
    ["schema", "Usage: readiness schema"],
  ])("routes %s to its command", async (command, usage) => {
    const run = await runCli([command, "--help"], { cwd: "/" });
    expect(run.code).toBe(0);
    expect(run.out.startsWith(usage)).toBe(true);
  });

  test("the bin runs as a process (node --import tsx src/cli.ts)", async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli.ts"), "--help"], { cwd: ROOT, timeout: 20_000, env: { ...process.env, NODE_OPTIONS: "" } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end();
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: readiness <command> [options]");
  });
});
