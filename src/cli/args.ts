/**
 * Argument parsing for the `readiness` subcommands: node:util parseArgs, with errors a person can
 * act on (which option, what it expects, did you mean) instead of Node's generic messages.
 */
import { parseArgs } from "node:util";
import { didYouMean } from "../config/suggest.js";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** A string option that may be given several times (values collected in order). */
  readonly multiple?: boolean;
  /** For string options: the accepted values. */
  readonly choices?: readonly string[];
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S["type"] extends "boolean" ? boolean : S["multiple"] extends true ? string[] : string;

export type ParsedValues<S extends OptionSpecs> = { [K in keyof S]?: ValueOf<S[K]> };

export type ParseResult<S extends OptionSpecs> =
  | { readonly ok: true; readonly values: ParsedValues<S>; readonly positionals: string[] }
  | { readonly ok: false; readonly message: string };

/** `--help`/`-h` is accepted by every command; callers check `values.help`. */
export const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const satisfies OptionSpecs;

export function parseCommandArgs<S extends OptionSpecs>(
  argv: readonly string[],
  specs: S,
  positionals: { readonly max: number; readonly name?: string },
): ParseResult<S> {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, unknown> = {};
  const given: string[] = [];
  const known = Object.keys(specs).map((name) => `--${name}`);

  for (const token of tokens) {
    if (token.kind !== "option") {
      if (token.kind === "positional") given.push(token.value);
      continue;
    }
    const spec = specs[token.name];
    if (!spec) {
      return { ok: false, message: `unknown option ${token.rawName}.${didYouMean(`--${token.name}`, known)}` };
    }
    if (spec.type === "boolean") {
      if (token.value !== undefined) return { ok: false, message: `${token.rawName} takes no value (got "${token.value}")` };
      values[token.name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith("-") && value !== "-")) {
      const expected = spec.choices ? `one of ${spec.choices.join(", ")}` : "a value";
      return { ok: false, message: `${token.rawName} needs ${expected}` };
    }
    if (spec.choices && !spec.choices.includes(value)) {
      return { ok: false, message: `${token.rawName} must be one of ${spec.choices.join(", ")}, got "${value}".${didYouMean(value, spec.choices).replace(/ Expected one of.*$/, "")}` };
    }
    if (spec.multiple) values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), value];
    else if (values[token.name] !== undefined) return { ok: false, message: `${token.rawName} is given twice` };
    else values[token.name] = value;
  }
  if (given.length > positionals.max) {
    const extra = given.slice(positionals.max).map((p) => JSON.stringify(p)).join(" ");
    return {
      ok: false,
      message: positionals.max === 0 ? `unexpected argument ${extra}` : `expected at most ${positionals.max} ${positionals.name ?? "argument"}${positionals.max === 1 ? "" : "s"}, got also ${extra}`,
    };
  }
  return { ok: true, values: values as ParsedValues<S>, positionals: given };
}

/**
 * The preamble every subcommand shares: parse; on a usage error say so on standard error (exit
 * 2); on --help print the usage (exit 0). Returns the parsed arguments, or the exit code.
 */
export function parseOrExit<S extends OptionSpecs>(
  command: string,
  usage: string,
  argv: readonly string[],
  specs: S,
  positionals: { readonly max: number; readonly name?: string },
  io: { out(text: string): void; err(text: string): void },
): { readonly values: ParsedValues<S>; readonly positionals: string[] } | number {
  const parsed = parseCommandArgs(argv, specs, positionals);
  if (!parsed.ok) {
    io.err(`readiness ${command}: ${parsed.message}\nRun readiness ${command} --help for the options.\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(usage);
    return 0;
  }
  return parsed;
}
