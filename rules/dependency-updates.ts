import { z } from "zod";
import { defineRule } from "../src/engine/rule.js";
import { globMatcher, globs } from "../src/engine/globs.js";
import { contentKey, fail, pass, unknown } from "../src/engine/types.js";
import type { FactRequest, Facts, Finding } from "../src/engine/types.js";
import { directoryOf, ecosystemOf } from "./lib/manifests.js";
import type { Ecosystem } from "./lib/manifests.js";
import { listed } from "./lib/outcome.js";
import { field, items, readYaml, scalarText } from "./lib/yaml-nodes.js";

const DEPENDABOT_PATHS = [".github/dependabot.yml", ".github/dependabot.yaml"];
/** Renovate's configuration files, in the order Renovate reads them. */
const RENOVATE_PATHS = [
  "renovate.json",
  "renovate.json5",
  ".github/renovate.json",
  ".github/renovate.json5",
  ".gitlab/renovate.json",
  ".gitlab/renovate.json5",
  ".renovaterc",
  ".renovaterc.json",
  ".renovaterc.json5",
];

const options = z
  .object({
    tools: z
      .array(z.enum(["dependabot", "renovate"]))
      .min(1)
      .default(["dependabot", "renovate"])
      .describe("The update tools that count: Dependabot (.github/dependabot.yml) and Renovate (renovate.json, .github/renovate.json, .renovaterc ...)."),
    ignore: globs
      .default(["**/node_modules/**", "**/vendor/**", "**/fixtures/**", "**/testdata/**", "**/examples/**"])
      .describe("Manifests that need no updates (vendored code, test fixtures, examples)."),
    ecosystems: z
      .array(z.string().min(1))
      .optional()
      .describe("Ecosystems that must be covered, as Dependabot names them (npm, pip, gomod, docker, github-actions ...). Default: every ecosystem whose manifests the repository has."),
  })
  .strict();

type Options = z.output<typeof options>;

/** Directories holding manifests of each ecosystem, as Dependabot writes them ("/", "/services/api"). */
function manifestDirectories(tree: readonly string[], o: Options): Map<Ecosystem | string, Set<string>> {
  const ignored = globMatcher(o.ignore);
  const found = new Map<string, Set<string>>();
  for (const path of tree) {
    if (ignored(path)) continue;
    const ecosystem = ecosystemOf(path);
    if (ecosystem === undefined) continue;
    // Dependabot reads workflows from the root's .github/workflows with directory "/".
    const directory = ecosystem === "github-actions" ? "/" : `/${directoryOf(path)}`;
    if (!found.has(ecosystem)) found.set(ecosystem, new Set());
    found.get(ecosystem)!.add(directory);
  }
  if (o.ecosystems) for (const e of [...found.keys()]) if (!o.ecosystems.includes(e)) found.delete(e);
  for (const e of o.ecosystems ?? []) if (!found.has(e)) found.set(e, new Set(["/"]));
  return found;
}

const normalDirectory = (d: string): string => `/${d.trim().replace(/^\.?\/+/, "").replace(/\/+$/, "")}`;

interface DependabotUpdate {
  readonly ecosystem: string;
  /** Directories (or globs over them) without the leading slash; "" is the root. */
  readonly directories: readonly string[];
}

type Parsed = { readonly updates: DependabotUpdate[] } | { readonly problem: Finding };

function parseDependabot(path: string, text: string): Parsed {
  const file = readYaml(text);
  if (file.error) return { problem: { message: `${path} is not valid YAML (line ${file.error.line}: ${file.error.message}): fix it; Dependabot ignores it`, path, line: file.error.line } };
  const updates = field(file.root, "updates");
  if (!updates) return { problem: { message: `${path} has no updates: list: add one entry per ecosystem (package-ecosystem, directory, schedule)`, path, line: 1 } };
  const out: DependabotUpdate[] = [];
  for (const entry of items(updates.value)) {
    const ecosystem = scalarText(field(entry, "package-ecosystem")?.value);
    if (!ecosystem) continue;
    const single = scalarText(field(entry, "directory")?.value);
    const many = items(field(entry, "directories")?.value).map(scalarText).filter((d): d is string => d !== undefined);
    const directories = [...(single !== undefined ? [single] : []), ...many].map((d) => normalDirectory(d).slice(1));
    out.push({ ecosystem: ecosystem.trim(), directories });
  }
  return { updates: out };
}

/** Dependabot's docker-compose and uv entries also cover what docker and pip name. */
const ALSO_COVERS: Readonly<Record<string, string>> = { uv: "pip", "docker-compose": "docker" };

function uncovered(needed: Map<string, Set<string>>, updates: readonly DependabotUpdate[]): Map<string, string[]> {
  const missing = new Map<string, string[]>();
  for (const [ecosystem, directories] of needed) {
    const relevant = updates.filter((u) => u.ecosystem === ecosystem || ALSO_COVERS[u.ecosystem] === ecosystem);
    const matchers = relevant.map((u) => globMatcher(u.directories.filter((d) => d !== "")));
    const lacking = [...directories].filter((dir) => {
      const bare = dir.slice(1);
      return !relevant.some((u, i) => u.directories.includes(bare) || (bare !== "" && matchers[i]!(bare)));
    });
    if (lacking.length > 0) missing.set(ecosystem, lacking.sort());
  }
  return missing;
}

interface Located {
  readonly dependabot?: string;
  readonly renovate?: string;
}

function locate(tree: readonly string[], o: Options): Located {
  const present = new Set(tree);
  return {
    ...(o.tools.includes("dependabot") ? { dependabot: DEPENDABOT_PATHS.find((p) => present.has(p)) } : {}),
    ...(o.tools.includes("renovate") ? { renovate: RENOVATE_PATHS.find((p) => present.has(p)) } : {}),
  };
}

function headTree(facts: Facts) {
  return facts.trees.head;
}

/** Renovate reads every manager unless enabledManagers narrows it, or enabled: false turns it off. */
function renovateProblem(path: string, text: string): Finding | undefined {
  if (path.endsWith(".json5")) return undefined;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return { message: `${path} is not valid JSON: fix it; Renovate cannot read it`, path };
  }
  if (typeof config === "object" && config !== null && (config as { enabled?: unknown }).enabled === false) {
    return { message: `${path} turns Renovate off (enabled: false): remove that, or configure Dependabot`, path };
  }
  return undefined;
}

export default defineRule({
  id: "dependency-updates",
  area: "security",
  defaultLevel: "silver",
  subjects: ["pull", "branch"],
  description: "Dependabot or Renovate keeps dependencies up to date, covering every ecosystem (and directory) whose manifests the repository has.",
  fix: "Add .github/dependabot.yml with one updates: entry per ecosystem and directory listed, or a Renovate configuration.",
  options,
  needs: (): FactRequest[] => [{ kind: "tree", ref: "head" }],
  followUp(facts, o: Options): FactRequest[] {
    const tree = headTree(facts);
    if (!tree?.known) return [];
    const { dependabot, renovate } = locate(tree.value, o);
    return [dependabot, renovate].filter((p): p is string => p !== undefined).map((path) => ({ kind: "content", ref: "head", path }));
  },
  evaluate(facts, o: Options) {
    const tree = headTree(facts);
    if (!tree) return unknown("cannot list the repository's files: the file tree was not gathered");
    if (!tree.known) return unknown(`cannot list the repository's files: ${tree.reason}`);
    const needed = manifestDirectories(tree.value, o);
    const { dependabot, renovate } = locate(tree.value, o);
    const read = (path: string) => facts.contents.get(contentKey("head", path));

    if (renovate !== undefined) {
      const content = read(renovate);
      if (content === undefined || !content.known) return unknown(`cannot read ${renovate}: ${content === undefined ? "not gathered" : content.reason}`);
      const problem = content.value === null ? undefined : renovateProblem(renovate, content.value);
      if (!problem) return pass(`Renovate is configured (${renovate}); it finds every ecosystem's manifests itself`);
      if (dependabot === undefined) return fail([problem]);
    }
    if (dependabot === undefined) {
      const ecosystems = [...needed.keys()];
      const tools = o.tools.map((t) => (t === "dependabot" ? ".github/dependabot.yml" : "a Renovate configuration (renovate.json)")).join(" or ");
      return fail([
        {
          message: `no dependency updates are configured: add ${tools}${ecosystems.length > 0 ? ` covering ${ecosystems.join(", ")}` : ""}`,
          details: [...needed].map(([e, dirs]) => `package-ecosystem: ${e}, directory: ${[...dirs].sort().join(", ")}`),
        },
      ]);
    }
    const content = read(dependabot);
    if (content === undefined || !content.known) return unknown(`cannot read ${dependabot}: ${content === undefined ? "not gathered" : content.reason}`);
    if (content.value === null) return unknown(`${dependabot} is listed in the tree but could not be read`);
    const parsed = parseDependabot(dependabot, content.value);
    if ("problem" in parsed) return fail([parsed.problem]);
    const missing = uncovered(needed, parsed.updates);
    if (missing.size === 0) {
      const covered = [...needed.keys()];
      return pass(covered.length > 0 ? `${dependabot} covers ${covered.join(", ")}` : `${dependabot} exists; the repository has no manifests it could update`);
    }
    return fail(
      [...missing].map(([ecosystem, dirs]) => ({
        message: `${dependabot} does not cover the ${ecosystem} manifests in ${listed(dirs, 5)}: add an updates: entry with package-ecosystem: ${ecosystem} and ${dirs.length === 1 ? `directory: ${dirs[0]}` : `directories: [${dirs.join(", ")}]`}`,
        path: dependabot,
      })),
    );
  },
});

