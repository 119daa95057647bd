#!/usr/bin/env node
/**
 * The `readiness` command: routes a subcommand to its module (loaded only when used, so
 * `--help` stays fast) and maps failures to exit codes: 0 ok, 1 blocked/invalid, 2 usage or input.
 */
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { didYouMean } from "./config/suggest.js";
import type { CliCommand, CliIO } from "./cli/io.js";

interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<CliCommand>;
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  check: {
    summary: "judge your branch as the pull request it would open, with the base's configuration; --branch: its standing level",
    load: async () => (await import("./cli/check.js")).checkCommand,
  },
  validate: {
    summary: "check a .readiness.yml for errors (file:line:column: message)",
    load: async () => (await import("./cli/validate.js")).validateCommand,
  },
  owners: {
    summary: "who owns these paths, according to CODEOWNERS",
    load: async () => (await import("./cli/owners.js")).ownersCommand,
  },
  scan: {
    summary: "look for secrets in files, directories, standard input or a diff",
    load: async () => (await import("./cli/scan.js")).scanCommand,
  },
  schema: {
    summary: "print the JSON Schema of .readiness.yml",
    load: async () => (await import("./cli/schema.js")).schemaCommand,
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return `Usage: readiness <command> [options]

Production readiness for pull requests: the same rules as the readiness GitHub check,
run on a local git checkout.

Commands:
${Object.entries(COMMANDS)
  .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`)
  .join("\n")}
  ${"help".padEnd(width)}  show the help of a command: readiness help check

Options:
  -h, --help     show this help
  -v, --version  print the version

Exit codes: 0 ready or valid, 1 blocked or invalid, 2 usage, input or configuration error.
`;
}

/** The version in the package.json next to this module (src/ or dist/src/). */
export function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "readiness-bot" && pkg.version) return pkg.version;
    } catch {
      // not here; look one directory up
    }
    dir = dirname(dir);
  }
  return "unknown";
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(usage());
    return 2;
  }
  if (name === "--help" || name === "-h") {
    io.out(usage());
    return 0;
  }
  if (name === "--version" || name === "-v") {
    io.out(`${version()}\n`);
    return 0;
  }
  if (name === "help") {
    const topic = rest[0];
    if (topic === undefined) {
      io.out(usage());
      return 0;
    }
    const entry = COMMANDS[topic];
    if (!entry) {
      io.err(`readiness: no help for "${topic}": there is no such command.${didYouMean(topic, Object.keys(COMMANDS))}\n`);
      return 2;
    }
    return (await entry.load())(["--help"], io);
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const what = name.startsWith("-") ? `unknown option ${name}` : `unknown command "${name}"`;
    io.err(`readiness: ${what}.${didYouMean(name, Object.keys(COMMANDS))}\nRun readiness --help for the list of commands.\n`);
    return 2;
  }
  try {
    return await (await entry.load())(rest, io);
  } catch (e) {
    // A bug, not bad input: say so plainly; the stack only on request.
    const message = e instanceof Error ? e.message : String(e);
    io.err(`readiness ${name}: internal error: ${message}\n`);
    if (io.env.READINESS_DEBUG && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    else io.err("Set READINESS_DEBUG=1 for the stack trace, and please report it.\n");
    return 2;
  }
}

/** The real process: standard streams, working directory and environment. */
export function processIO(): CliIO {
  return {
    cwd: process.cwd(),
    env: process.env,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  // `readiness check | head`: a reader that stops early is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  // exitCode, not exit(): standard output is flushed before the process ends.
  void main(process.argv.slice(2), processIO()).then((code) => {
    process.exitCode = code;
  });
}
