/** `readiness schema`: the JSON Schema of .readiness.yml, for editors and CI. */
import { schemaFileText } from "../config/reference.js";
import type { Registry } from "../engine/evaluate.js";
import { registry as defaultRegistry } from "../../rules/index.js";
import { HELP_OPTION, parseOrExit } from "./args.js";
import type { CliCommand } from "./io.js";

export const SCHEMA_USAGE = `Usage: readiness schema

Prints the JSON Schema of .readiness.yml (draft 2020-12), generated from the same schemas that
validate it. Commit it and point your editor at it:

  readiness schema > .github/readiness.schema.json

and, as the first line of .readiness.yml (the YAML language server reads the path relative to it):

  # yaml-language-server: $schema=.github/readiness.schema.json

Exit codes: 0 printed, 2 usage error.
`;

export function makeSchemaCommand(registry: Registry = defaultRegistry): CliCommand {
  return async (argv, io) => {
    const parsed = parseOrExit("schema", SCHEMA_USAGE, argv, HELP_OPTION, { max: 0 }, io);
    if (typeof parsed === "number") return parsed;
    io.out(schemaFileText(registry));
    return 0;
  };
}

export const schemaCommand: CliCommand = makeSchemaCommand();
