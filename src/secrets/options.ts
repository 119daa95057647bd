/**
 * The `secrets` rule's options, shared by the rule (from the base branch's .readiness.yml) and
 * `readiness scan --config`. Patterns from config are checked here with re2js, so a pattern the
 * linear-time engine cannot run is a config error with its path, never a runtime surprise.
 */
import { z } from "zod";
import { globs } from "../engine/globs.js";
import { BUILTIN_RULES } from "./builtin-rules.js";
import { DEFAULT_LOCKFILES } from "./files.js";
import { checkConfigPattern } from "./pattern.js";

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const customRule = z
  .object({
    id: z.string().regex(RULE_ID, "use kebab-case: lower-case letters, digits and single dashes").describe("Name shown in findings; must not repeat a built-in rule's id."),
    provider: z.string().min(1).default("Custom").describe("Who issues the credential, shown in findings."),
    description: z.string().min(1).default("custom secret pattern").describe("What the credential is."),
    pattern: z
      .string()
      .min(1)
      .describe("RE2 regular expression, searched on each line that contains one of the keywords (linear time, one line at a time). Group 1, if present, is the secret."),
    keywords: z
      .array(z.string().min(2).regex(/^[\x20-\x7e]+$/, "keywords are printable ASCII"))
      .min(1)
      .transform((list) => list.map((k) => k.toLowerCase()))
      .describe("Literal strings (case-insensitive); the pattern runs only on lines that contain one."),
    severity: z.enum(["failure", "warning"]).default("failure").describe("failure blocks the merge; warning is listed but does not block."),
    "ignore-case": z.boolean().default(false).describe("Match the pattern case-insensitively."),
  })
  .strict();

export const secretsOptions = z
  .object({
    "inline-markers": z
      .enum(["warn", "forbid"])
      .default("warn")
      .describe(
        "What a `readiness:allow-secret` comment on the secret's line does. warn: the finding becomes a warning, listed in the check run (never silent). forbid: the finding keeps blocking.",
      ),
    placeholders: z
      .boolean()
      .default(true)
      .describe("Ignore values that are placeholders: EXAMPLE, xxxx, ${VAR}, {{ var }}, ${{ secrets.X }}, <your-token> ..."),
    allow: z
      .object({
        paths: globs.default([]).describe("Files not scanned at all (test fixtures ...), as path globs."),
        values: z.array(z.string().min(1)).default([]).describe("Exact values that are not secrets (published test keys)."),
        patterns: z
          .array(z.string().min(1))
          .default([])
          .describe("RE2 regular expressions; a secret matching one anywhere is not reported."),
        "stop-words": z
          .array(z.string().min(2))
          .default([])
          .transform((list) => list.map((w) => w.toLowerCase()))
          .describe("Words (case-insensitive) that, contained in a value, mean it is not a secret; apply to every rule."),
      })
      .strict()
      .prefault({})
      .describe("Allow-lists; read from the base branch's config only."),
    severity: z
      .record(z.string(), z.enum(["off", "warning", "failure"]))
      .default({})
      .describe("Per-rule severity by rule id: off disables a rule, warning stops it blocking, failure makes it block."),
    custom: z.array(customRule).default([]).describe("Extra rules: id, pattern, keywords, severity."),
    lockfiles: globs
      .default([...DEFAULT_LOCKFILES])
      .describe("Lockfiles, skipped with a notice (integrity hashes look like secrets)."),
    "max-file-bytes": z
      .number()
      .int()
      .positive()
      .default(5_000_000)
      .describe("Files larger than this (whole content, for files without a patch) are listed as not scanned."),
  })
  .strict()
  .superRefine((o, ctx) => {
    const builtin = new Set(BUILTIN_RULES.map((r) => r.id));
    const seen = new Set<string>();
    o.custom.forEach((c, i) => {
      if (builtin.has(c.id)) {
        ctx.addIssue({ code: "custom", path: ["custom", i, "id"], message: `"${c.id}" is a built-in rule; pick another id (use severity: to change a built-in rule)` });
      }
      if (seen.has(c.id)) ctx.addIssue({ code: "custom", path: ["custom", i, "id"], message: `"${c.id}" is defined twice` });
      seen.add(c.id);
      const problem = checkConfigPattern(c.pattern, c["ignore-case"]);
      if (problem) ctx.addIssue({ code: "custom", path: ["custom", i, "pattern"], message: problem });
    });
    o.allow.patterns.forEach((p, i) => {
      const problem = checkConfigPattern(p);
      if (problem) ctx.addIssue({ code: "custom", path: ["allow", "patterns", i], message: problem });
    });
    for (const id of Object.keys(o.severity)) {
      if (!builtin.has(id) && !seen.has(id)) {
        ctx.addIssue({
          code: "custom",
          path: ["severity", id],
          message: `no secret rule "${id}"; the ids are listed in docs/secrets.md (or define it under custom:)`,
        });
      }
    }
  });

export type SecretsOptions = z.output<typeof secretsOptions>;
export type CustomRuleOptions = z.output<typeof customRule>;
