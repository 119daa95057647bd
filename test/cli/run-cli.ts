/** Runs the `readiness` command in-process with a fake terminal. */
import { main } from "../../src/cli.js";
import type { CliIO } from "../../src/cli/io.js";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(argv: readonly string[], opts: { cwd: string; env?: Record<string, string | undefined>; stdin?: string }): Promise<CliRun> {
  let out = "";
  let err = "";
  const io: CliIO = {
    cwd: opts.cwd,
    env: opts.env ?? {},
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    readStdin: async () => opts.stdin ?? "",
  };
  const code = await main(argv, io);
  return { code, out, err };
}
