/** What a CLI command may touch, so commands are testable without spawning a process. */
export interface CliIO {
  /** The directory the command runs in (default for --repo). */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  err(text: string): void;
  /** Reads all of standard input (for `-` and path lists). */
  readStdin(): Promise<string>;
}

/** A subcommand: parses its own arguments, returns the process exit code (0 ok, 1 blocking findings, 2 usage or input error). */
export type CliCommand = (argv: readonly string[], io: CliIO) => Promise<number>;
