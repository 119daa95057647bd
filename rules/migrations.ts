import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import { fail, pass, skip, unknown } from "../src/engine/types.js";
import type { ChangedFile, FactRequest, Facts, Finding } from "../src/engine/types.js";
import { listed, plural } from "./lib/outcome.js";
import { baseName, directoryOf, headText, joinPath } from "./lib/repository-files.js";

const FRAMEWORKS = ["rails", "django", "alembic", "flyway", "liquibase", "golang-migrate", "prisma", "knex", "typeorm"] as const;
type Framework = (typeof FRAMEWORKS)[number];

/** Where each framework keeps its migrations by default. A file is judged by the first framework whose paths match and whose content it has. */
const DEFAULT_PATHS: Readonly<Record<Framework, readonly string[]>> = {
  rails: ["**/db/migrate/*.rb"],
  alembic: ["**/versions/*.py"],
  django: ["**/migrations/[0-9]*.py"],
  flyway: ["**/db/migration/**/V*__*.sql", "**/flyway/**/V*__*.sql"],
  liquibase: ["**/{changelog,changelogs,changes}/**/*.{xml,yaml,yml,sql}", "**/db.changelog*.{xml,yaml,yml,sql}"],
  "golang-migrate": ["**/*.up.sql"],
  prisma: ["**/prisma/migrations/*/migration.sql"],
  typeorm: ["**/migrations/*.{ts,js}", "**/migration/*.{ts,js}"],
  knex: ["**/migrations/*.{js,ts,cjs,mjs}"],
};
const ORDER: readonly Framework[] = ["rails", "alembic", "django", "flyway", "liquibase", "golang-migrate", "prisma", "typeorm", "knex"];

const options = z
  .object({
    frameworks: z.array(z.enum(FRAMEWORKS)).default([...FRAMEWORKS]).describe(`The migration frameworks judged: ${FRAMEWORKS.join(", ")}.`),
    paths: z
      .partialRecord(z.enum(FRAMEWORKS), globs)
      .default({})
      .describe(`Where a framework's migrations are, replacing its default globs, such as { flyway: ["src/main/resources/db/migration/V*__*.sql"] }. Defaults: ${ORDER.map((f) => `${f} ${DEFAULT_PATHS[f].join(", ")}`).join("; ")}.`),
    "prisma-rollback": z
      .array(z.string().min(1))
      .default(["down.sql", "rollback.sql", "ROLLBACK.md", "rollback.md"])
      .describe("Prisma writes no down migrations: an added Prisma migration folder must hold one of these files, the documented rollback (such as the output of prisma migrate diff --script into down.sql)."),
  })
  .strict();

type Options = z.output<typeof options>;

const pathsOf = (o: Options, f: Framework): readonly string[] => o.paths[f] ?? DEFAULT_PATHS[f];

/** Added (or, for Liquibase changelogs, modified) migration files with their framework. */
function migrationCandidates(files: readonly ChangedFile[], o: Options): { file: ChangedFile; frameworks: Framework[] }[] {
  const enabled = ORDER.filter((f) => o.frameworks.includes(f));
  const matchers = enabled.map((f) => [f, globMatcher(pathsOf(o, f))] as const);
  return files.flatMap((file) => {
    if (file.status === "removed" || file.status === "unchanged") return [];
    const frameworks = matchers.filter(([f, match]) => match(file.path) && (file.status === "added" || file.status === "copied" || f === "liquibase")).map(([f]) => f);
    return frameworks.length > 0 ? [{ file, frameworks }] : [];
  });
}

type Judgement = { readonly framework: Framework; readonly finding?: Omit<Finding, "path"> } | undefined;

/** Text of a Python function's body: the indented lines after `def name(...):`. */
function pythonBody(text: string, name: string): string[] | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => new RegExp(`^def ${name}\\s*\\(`).test(l));
  if (start < 0) return undefined;
  let i = start;
  while (i < lines.length && !/\)\s*(->\s*[^:]+)?:\s*(#.*)?$/.test(lines[i]!)) i++;
  const body: string[] = [];
  for (i += 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() !== "" && !/^\s/.test(line)) break;
    body.push(line);
  }
  return body;
}

const isEmptyPythonBody = (body: readonly string[]): boolean => {
  const code = body.map((l) => l.replace(/#.*$/, "").trim()).filter((l) => l !== "");
  const joined = code.join("\n").replace(/^("""|''')[\s\S]*?\1\s*/, "");
  return joined === "" || joined === "pass" || joined === "..." || /^raise NotImplementedError/.test(joined);
};

/** The text of each call `name(...)`, parentheses balanced, strings skipped. */
function calls(text: string, name: string): { args: string; line: number }[] {
  const out: { args: string; line: number }[] = [];
  let from = 0;
  for (;;) {
    const index = text.indexOf(`${name}(`, from);
    if (index < 0) return out;
    let depth = 0;
    let quote: string | null = null;
    let end = index + name.length;
    for (; end < text.length; end++) {
      const c = text[end]!;
      if (quote) {
        if (c === "\\") end++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === "(") depth++;
      else if (c === ")" && --depth === 0) break;
    }
    out.push({ args: text.slice(index + name.length + 1, end), line: text.slice(0, index).split("\n").length });
    from = end + 1;
  }
}

/** Top-level positional arguments and keyword names of a Python call's argument text. */
function argumentsOf(args: string): { positional: number; keywords: Set<string> } {
  let depth = 0;
  let quote: string | null = null;
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    if (quote) {
      if (c === "\\") current += c + (args[++i] ?? "");
      else {
        if (c === quote) quote = null;
        current += c;
      }
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if ("([{".includes(c)) depth++;
    if (")]}".includes(c)) depth--;
    if (c === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  if (current.trim() !== "") parts.push(current);
  const keywords = new Set<string>();
  let positional = 0;
  for (const part of parts) {
    const keyword = /^\s*([A-Za-z_]\w*)\s*=(?!=)/.exec(part);
    if (keyword) keywords.add(keyword[1]!);
    else if (part.trim() !== "") positional++;
  }
  return { positional, keywords };
}

function judgeFile(framework: Framework, path: string, text: string, tree: ReadonlySet<string>, o: Options, addedLines: ReadonlySet<number> | undefined): Judgement {
  switch (framework) {
    case "rails": {
      if (!/class\s+\w+\s*<\s*ActiveRecord::Migration/.test(text)) return undefined;
      if (/raise\s+ActiveRecord::IrreversibleMigration/.test(text)) return { framework, finding: { message: `${path} raises ActiveRecord::IrreversibleMigration: write a def down that undoes def up` } };
      if (/^\s*def\s+down\b/m.test(text)) return { framework };
      if (/^\s*def\s+up\b/m.test(text)) return { framework, finding: { message: `${path} has def up but no def down: add def down that undoes it, or use def change with reversible commands` } };
      if (/^\s*def\s+change\b/m.test(text)) {
        if (/\breversible\s+do\b/.test(text)) return { framework };
        const irreversible = /^\s*(execute|change_column|remove_columns?\s+:\w+\s*,\s*:\w+\s*$|drop_table\s+:\w+\s*$)/m.exec(text);
        if (irreversible) {
          const line = text.slice(0, irreversible.index).split("\n").length + (text[irreversible.index] === "\n" ? 1 : 0);
          return { framework, finding: { message: `${path}: ${irreversible[1]!.split(/\s/)[0]} in def change cannot be reversed by Rails: wrap it in reversible do |dir| with dir.up and dir.down, or write def up and def down`, line } };
        }
        return { framework };
      }
      return { framework, finding: { message: `${path} defines neither change nor up/down: add def down (or use def change)` } };
    }
    case "alembic": {
      if (!/^def upgrade\s*\(/m.test(text)) return undefined;
      const body = pythonBody(text, "downgrade");
      if (body === undefined) return { framework, finding: { message: `${path} has no downgrade(): add def downgrade() that undoes upgrade()` } };
      if (isEmptyPythonBody(body)) {
        const line = text.split(/\r?\n/).findIndex((l) => /^def downgrade\s*\(/.test(l)) + 1;
        return { framework, finding: { message: `${path}: downgrade() does nothing: write the operations that undo upgrade()`, line } };
      }
      return { framework };
    }
    case "django": {
      if (!/class\s+Migration\s*\(\s*migrations\.Migration\s*\)/.test(text)) return undefined;
      for (const [call, reverse] of [["RunPython", "reverse_code"], ["RunSQL", "reverse_sql"]] as const) {
        for (const c of calls(text, `migrations.${call}`)) {
          const { positional, keywords } = argumentsOf(c.args);
          if (positional < 2 && !keywords.has(reverse)) {
            return { framework, finding: { message: `${path}: migrations.${call} without ${reverse} cannot be unapplied: pass ${reverse}=${call === "RunPython" ? "a function that undoes it (or migrations.RunPython.noop)" : '"SQL that undoes it" (or migrations.RunSQL.noop)'}`, line: c.line } };
          }
        }
      }
      return { framework };
    }
    case "flyway": {
      const version = /^V([^_]+)__/.exec(baseName(path))?.[1];
      if (version === undefined) return undefined;
      const undo = [...tree].some((p) => baseName(p).startsWith(`U${version}__`) && p.endsWith(".sql"));
      return undo ? { framework } : { framework, finding: { message: `${path} has no undo migration: add ${joinPath(directoryOf(path), `U${version}__${baseName(path).slice(`V${version}__`.length)}`)} that reverts it` } };
    }
    case "golang-migrate": {
      const down = path.replace(/\.up\.sql$/, ".down.sql");
      return tree.has(down) ? { framework } : { framework, finding: { message: `${path} has no down migration: add ${down} that reverts it` } };
    }
    case "prisma": {
      const folder = directoryOf(path);
      const found = o["prisma-rollback"].some((name) => tree.has(joinPath(folder, name)));
      return found
        ? { framework }
        : { framework, finding: { message: `${folder} has no documented rollback: Prisma writes no down migrations, so add ${listed(o["prisma-rollback"].map((n) => joinPath(folder, n)), 1)} (prisma migrate diff --from-schema-datamodel … --to-schema-datasource … --script writes one)` } };
    }
    case "typeorm": {
      if (!/MigrationInterface|QueryRunner/.test(text)) return undefined;
      const down = /\bdown\s*\(\s*queryRunner[^)]*\)\s*:\s*Promise<\s*void\s*>\s*\{([\s\S]*?)\n\s*\}/.exec(text) ?? /\bdown\s*\(\s*queryRunner[^)]*\)\s*\{([\s\S]*?)\n\s*\}/.exec(text);
      if (!down) return { framework, finding: { message: `${path} has no down(queryRunner) method: add one that undoes up()` } };
      if (down[1]!.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "").trim() === "") return { framework, finding: { message: `${path}: down() is empty: write the queries that undo up()` } };
      return { framework };
    }
    case "knex": {
      if (!/\bexports\.up\b|export\s+(async\s+)?function\s+up\b|export\s+const\s+up\b|\bup\s*[:(]/.test(text)) return undefined;
      const hasDown = /\bexports\.down\b|export\s+(async\s+)?function\s+down\b|export\s+const\s+down\b|\bdown\s*[:(]/.test(text);
      return hasDown ? { framework } : { framework, finding: { message: `${path} exports up but no down: add exports.down (or export async function down) that undoes it` } };
    }
    case "liquibase": {
      const sets = changeSets(path, text);
      if (sets === undefined) return undefined;
      const judged = addedLines ? sets.filter((s) => addedLines.has(s.line)) : sets;
      const missing = judged.find((s) => !s.rollback && !s.autoRollback);
      return missing
        ? { framework, finding: { message: `${path}: changeSet ${missing.id} has no rollback: add a rollback to it (Liquibase cannot undo ${missing.kinds.join(", ") || "it"} by itself)`, line: missing.line } }
        : { framework };
    }
  }
}

/** Change types Liquibase can roll back by itself. */
const AUTO_ROLLBACK = new Set(["createTable", "addColumn", "createIndex", "renameColumn", "renameTable", "renameView", "createView", "createSequence", "addForeignKeyConstraint", "addPrimaryKey", "addUniqueConstraint", "addNotNullConstraint", "addDefaultValue", "addLookupTable", "tagDatabase", "addAutoIncrement", "dropNotNullConstraint"]);

interface ChangeSet {
  readonly id: string;
  readonly line: number;
  readonly rollback: boolean;
  readonly autoRollback: boolean;
  readonly kinds: string[];
}

function changeSets(path: string, text: string): ChangeSet[] | undefined {
  const lineAt = (index: number) => text.slice(0, index).split("\n").length;
  if (path.endsWith(".xml")) {
    if (!text.includes("<databaseChangeLog")) return undefined;
    return [...text.matchAll(/<changeSet\b([^>]*)>([\s\S]*?)<\/changeSet>/g)].map((m) => {
      const kinds = [...m[2]!.matchAll(/<([A-Za-z]+)\b/g)].map((k) => k[1]!).filter((k) => k !== "rollback" && k !== "comment" && k !== "column" && k !== "constraints" && k !== "preConditions");
      return { id: /\bid="([^"]*)"/.exec(m[1]!)?.[1] ?? "?", line: lineAt(m.index!), rollback: /<rollback\b/.test(m[2]!), autoRollback: kinds.length > 0 && kinds.every((k) => AUTO_ROLLBACK.has(k)), kinds: [...new Set(kinds)] };
    });
  }
  if (path.endsWith(".sql")) {
    if (!/^--\s*liquibase formatted sql/m.test(text)) return undefined;
    const starts = [...text.matchAll(/^--\s*changeset\s+(\S+)/gm)];
    return starts.map((m, i) => {
      const body = text.slice(m.index!, starts[i + 1]?.index ?? text.length);
      return { id: m[1]!, line: lineAt(m.index!), rollback: /^--\s*rollback\b/m.test(body), autoRollback: false, kinds: ["sql"] };
    });
  }
  if (!/databaseChangeLog\s*:/.test(text)) return undefined;
  const starts = [...text.matchAll(/^\s*-\s*changeSet\s*:/gm)];
  return starts.map((m, i) => {
    const body = text.slice(m.index!, starts[i + 1]?.index ?? text.length);
    const kinds = [...body.matchAll(/^\s*-\s*([A-Za-z]+)\s*:/gm)].map((k) => k[1]!).filter((k) => k !== "changeSet" && k !== "column");
    return { id: /\bid\s*:\s*["']?([^\s"']+)/.exec(body)?.[1] ?? "?", line: lineAt(m.index!) + (text[m.index!] === "\n" ? 1 : 0), rollback: /^\s*rollback\s*:/m.test(body), autoRollback: kinds.length > 0 && kinds.every((k) => AUTO_ROLLBACK.has(k)), kinds: [...new Set(kinds)] };
  });
}

/** New-file line numbers the diff adds; undefined when there is no diff to read (judge all). */
function addedLineNumbers(file: ChangedFile): Set<number> | undefined {
  if (file.status === "added" || file.patch === undefined) return undefined;
  const lines = new Set<number>();
  let next = 0;
  for (const line of file.patch.split("\n")) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) next = Number(hunk[1]);
    else if (line.startsWith("+")) lines.add(next++);
    else if (!line.startsWith("-") && !line.startsWith("\\")) next++;
  }
  return lines;
}

export default defineRule({
  id: "migrations",
  area: "reliability",
  defaultLevel: "silver",
  subjects: ["pull"],
  description:
    "Every database migration the pull request adds can be rolled back: a down or undo counterpart for Rails, Django, Alembic, Flyway, Liquibase, golang-migrate, Knex and TypeORM, and a documented rollback for Prisma, which has none.",
  fix: "Add the down migration, undo file or rollback each finding names, next to the migration it reverts.",
  options,
  needs: (): FactRequest[] => [{ kind: "files" }, { kind: "tree", ref: "head" }],
  followUp(facts: Facts, o: Options): FactRequest[] {
    if (!facts.files.known) return [];
    return migrationCandidates(facts.files.value, o)
      .filter(({ frameworks }) => frameworks.some((f) => f !== "flyway" && f !== "golang-migrate" && f !== "prisma"))
      .map(({ file }) => ({ kind: "content", ref: "head", path: file.path }));
  },
  evaluate(facts, o: Options) {
    if (!facts.files.known) return unknown(`cannot tell which migrations were added: ${facts.files.reason}`);
    const candidates = migrationCandidates(facts.files.value, o);
    if (candidates.length === 0) return skip("the pull request adds no database migration");
    const head = facts.trees.head;
    if (!head?.known) return unknown(`cannot look for the rollback files: ${head ? head.reason : "the file tree was not gathered"}`);
    const tree = new Set(head.value);
    const findings: Finding[] = [];
    const unreadable: string[] = [];
    const judged: string[] = [];
    for (const { file, frameworks } of candidates) {
      const needsText = frameworks.some((f) => f !== "flyway" && f !== "golang-migrate" && f !== "prisma");
      const read = needsText ? headText(facts, file.path) : { text: "" };
      if ("unreadable" in read) {
        unreadable.push(read.unreadable);
        continue;
      }
      if ("missing" in read) continue;
      for (const framework of frameworks) {
        const judgement = judgeFile(framework, file.path, read.text, tree, o, addedLineNumbers(file));
        if (!judgement) continue;
        judged.push(`${file.path} (${framework})`);
        if (judgement.finding) findings.push({ ...judgement.finding, path: file.path });
        break;
      }
    }
    if (findings.length > 0) return fail([...findings, ...unreadable.map((message): Finding => ({ message, severity: "notice" }))], `${plural(findings.length, "migration")} without a rollback`);
    if (unreadable.length > 0) return unknown(`cannot read every added migration: ${unreadable.join("; ")}`);
    if (judged.length === 0) return skip("no added file under the migration paths is a migration of an enabled framework");
    return pass(`${plural(judged.length, "migration")} with a rollback: ${listed(judged)}`);
  },
});
