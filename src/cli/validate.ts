/**
 * `readiness validate [FILE]`: every error in a configuration file, compiler-style, or a one-line
 * summary of what it enables.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { resolveConfigText } from "../config/load.js";
import { CONFIG_PATHS } from "../config/schema.js";
import type { ConfigFileReader, ConfigOrigin } from "../config/types.js";
import type { Registry } from "../engine/evaluate.js";
import { renderConfigErrorsText } from "../render/config-errors.js";
import { registry as defaultRegistry } from "../../rules/index.js";
import { HELP_OPTION, parseOrExit } from "./args.js";
import { enforcesNothing } from "./enforcement.js";
import type { CliCommand } from "./io.js";

export const VALIDATE_USAGE = `Usage: readiness validate [FILE] [options]

Checks a readiness configuration: YAML syntax, known rules and options, levels, extends.
FILE defaults to .readiness.yml, else .github/readiness.yml, in the current directory; "-"
reads standard input (shown as <stdin>). Every error in the file is reported in one run.

Options:
  --org-config FILE   the organisation baseline the file extends (otherwise that part is not checked)
  -h, --help          show this help

Exit codes: 0 valid (also when it enforces nothing: that is a warning), 1 invalid,
            2 usage error (no such file, unknown option).
`;

const OPTIONS = { ...HELP_OPTION, "org-config": { type: "string" } } as const;

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

const describeError = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : e instanceof Error ? e.message : String(e);
};

export function makeValidateCommand(registry: Registry = defaultRegistry): CliCommand {
  return async (argv, io) => {
    const parsed = parseOrExit("validate", VALIDATE_USAGE, argv, OPTIONS, { max: 1, name: "file" }, io);
    if (typeof parsed === "number") return parsed;

    let shown: string;
    let content: string | null = null;
    const given = parsed.positionals[0];
    try {
      if (given === "-") {
        shown = "<stdin>";
        content = await io.readStdin();
      } else if (given !== undefined) {
        shown = given;
        content = await readOrNull(resolve(io.cwd, given));
        if (content === null) {
          io.err(`readiness validate: ${given}: no such file\n`);
          return 2;
        }
      } else {
        shown = "";
        for (const path of CONFIG_PATHS) {
          content = await readOrNull(resolve(io.cwd, path));
          if (content !== null) {
            shown = path;
            break;
          }
        }
        if (content === null) {
          io.err(`readiness validate: no ${CONFIG_PATHS.join(" or ")} in ${io.cwd}; give the file to check: readiness validate FILE\n`);
          return 2;
        }
      }
    } catch (e) {
      io.err(`readiness validate: cannot read ${given ?? "the configuration"}: ${describeError(e)}\n`);
      return 2;
    }

    const orgFile = parsed.values["org-config"];
    let orgText: string | null = null;
    if (orgFile !== undefined) {
      try {
        orgText = await readOrNull(resolve(io.cwd, orgFile));
      } catch (e) {
        io.err(`readiness validate: cannot read --org-config ${orgFile}: ${describeError(e)}\n`);
        return 2;
      }
      if (orgText === null) {
        io.err(`readiness validate: --org-config ${orgFile}: no such file\n`);
        return 2;
      }
    }

    const origin: ConfigOrigin = { repository: "local", path: shown };
    // Without --org-config an extended organisation baseline stands in as empty, and we say so.
    // Both files are local files here, so their errors read as `file:line:column` alike.
    let orgAsked = false;
    const reader: ConfigFileReader = {
      async read(place) {
        if (place !== "org") return null;
        orgAsked = true;
        const orgOrigin: ConfigOrigin = { repository: "local", path: orgFile ?? "<org>/.github" };
        return { content: orgText ?? "", origin: orgOrigin };
      },
    };
    const resolved = await resolveConfigText(content, origin, reader, registry);
    if (resolved.kind !== "ok") {
      const errors = resolved.kind === "invalid" ? resolved.errors : [];
      io.out(renderConfigErrorsText(origin, errors).replace(/; no rule was checked\.\n$/, ".\n"));
      return 1;
    }
    const { config } = resolved;
    const ids = config.rules.map((rule) => rule.id);
    const lines = [
      `${shown}: valid. ${ids.length} rule${ids.length === 1 ? "" : "s"} enabled${ids.length > 0 ? ` (${ids.join(", ")})` : ""}; level ${config.required} required (levels: ${config.levels.join(" < ")}).`,
    ];
    const nothing = enforcesNothing(config, shown);
    if (nothing) lines.push(nothing);
    if (orgAsked && orgFile === undefined) {
      lines.push(`${shown} extends the organisation baseline, which was not checked: pass --org-config FILE to include it.`);
    }
    io.out(`${lines.join("\n")}\n`);
    return 0;
  };
}

export const validateCommand: CliCommand = makeValidateCommand();
