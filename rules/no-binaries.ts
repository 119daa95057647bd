import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import { fail, pass, skip, unknown } from "../src/engine/types.js";
import type { ChangedFile, FactRequest, Facts, Finding } from "../src/engine/types.js";
import { BINARY_CONTENT_REASON, hasBinaryExtension, looksBinary } from "../src/secrets/files.js";
import { listed, plural } from "./lib/outcome.js";

const UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)$/i;

const size = z
  .string()
  .regex(SIZE, { message: 'write a size with its unit: "500KB", "5MB" or "1GB"' });

const bytesOf = (text: string): number => {
  const match = SIZE.exec(text)!;
  return Math.round(Number(match[1]) * UNITS[match[2]!.toUpperCase()]!);
};

const options = z
  .object({
    binaries: z.boolean().default(true).describe("Flag added binary files (images, archives, executables ...): recognised by GitHub sending no diff for them, with their extension or a NUL byte in their content."),
    "max-size": size
      .nullable()
      .default("5MB")
      .describe('Largest size of an added or changed file ("500KB", "5MB"); null: no limit. GitHub refuses files over 100 MB and warns from 50 MB; large files belong in Git LFS or a release asset.'),
    allow: globs.default([]).describe('Files that may be binary or large, such as ["docs/images/**", "**/*.png"].'),
  })
  .strict();

type Options = z.output<typeof options>;

/** Files the pull request brings in or rewrites at the head (a removal or a pure rename adds nothing). */
const judged = (file: ChangedFile, allowed: (path: string) => boolean): boolean =>
  file.status !== "removed" && file.status !== "unchanged" && !allowed(file.path) && !(file.status === "renamed" && file.additions === 0 && file.deletions === 0 && file.patch === undefined);

/** New binary content: a new file (or a copy) GitHub gave no diff for. */
const addsBinaryCandidate = (file: ChangedFile): boolean => (file.status === "added" || file.status === "copied") && file.patch === undefined;

type Binary = "yes" | "no" | { readonly unknown: string };

function isBinary(facts: Facts, file: ChangedFile): Binary {
  if (hasBinaryExtension(file.path)) return "yes";
  if (!facts.headContentsOfUnpatched.known) return { unknown: facts.headContentsOfUnpatched.reason };
  const content = facts.headContentsOfUnpatched.value.get(file.path);
  if (content === undefined) return { unknown: "its content was not read" };
  if (content.known) return looksBinary(content.value) ? "yes" : "no";
  if (content.reason === BINARY_CONTENT_REASON || content.reason === "binary file") return "yes";
  // Too large to download: the size limit judges it.
  return "no";
}

const human = (bytes: number): string => (bytes >= 1024 ** 2 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(0)} KB` : `${bytes} bytes`);

export default defineRule({
  id: "no-binaries",
  area: "security",
  defaultLevel: "bronze",
  subjects: ["pull"],
  description: "The pull request adds no binary files and no file over the size limit, except those allowed: binaries cannot be reviewed and bloat every clone.",
  fix: "Remove the listed files from the pull request (build them in CI, or keep them in Git LFS or a release), or add them to allow.",
  options,
  tighten: { binaries: "true-stays", allow: "subset" },
  needs: (o: Options): FactRequest[] => [{ kind: "files" }, ...(o["max-size"] !== null ? [{ kind: "treeSizes", ref: "head" } as const] : [])],
  followUp(facts, o: Options): FactRequest[] {
    if (!o.binaries || !facts.files.known) return [];
    const allowed = globMatcher(o.allow);
    return facts.files.value.some((f) => judged(f, allowed) && addsBinaryCandidate(f) && !hasBinaryExtension(f.path)) ? [{ kind: "headContentsOfUnpatched" }] : [];
  },
  evaluate(facts, o: Options) {
    if (!facts.files.known) return unknown(`cannot tell which files changed: ${facts.files.reason}`);
    const allowed = globMatcher(o.allow);
    const files = facts.files.value.filter((f) => judged(f, allowed));
    if (files.length === 0) return skip("no file added or changed outside allow");
    const findings: Finding[] = [];
    const undecided: string[] = [];

    if (o.binaries) {
      for (const file of files.filter(addsBinaryCandidate)) {
        const binary = isBinary(facts, file);
        if (binary === "yes") {
          findings.push({ message: `${file.path} is a binary file: remove it from the pull request (build it, or store it in Git LFS or a release), or add it to allow`, path: file.path });
        } else if (binary !== "no") {
          undecided.push(`whether ${file.path} is binary (${binary.unknown})`);
        }
      }
    }

    const limitText = o["max-size"];
    if (limitText !== null) {
      const limit = bytesOf(limitText);
      const sizes = facts.treeSizes.head;
      if (!sizes) undecided.push("file sizes (not gathered)");
      else if (!sizes.known) undecided.push(`file sizes (${sizes.reason})`);
      else {
        for (const file of files) {
          const bytes = sizes.value.get(file.path);
          if (bytes !== undefined && bytes > limit) {
            findings.push({
              message: `${file.path} is ${human(bytes)}, over the ${limitText} limit: keep it out of the repository (Git LFS, a release asset, or generate it in CI), or add it to allow`,
              path: file.path,
            });
          }
        }
      }
    }

    if (findings.length > 0) {
      return fail([...findings, ...undecided.map((what): Finding => ({ message: `not checked: ${what}`, severity: "notice" }))]);
    }
    if (undecided.length > 0) return unknown(`cannot tell ${undecided.join("; ")}`);
    return pass(`${plural(files.length, "added or changed file")} checked${o.allow.length > 0 ? `; allowed: ${listed(o.allow)}` : ""}`);
  },
});
