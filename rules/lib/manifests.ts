/**
 * Dependency manifests: which package ecosystem a file belongs to (Dependabot's names for them)
 * and which lockfiles pin what it declares. Judged by file name alone, so a tree listing is enough.
 */

/** Dependabot's `package-ecosystem` values for the manifests below. */
export type Ecosystem =
  | "npm"
  | "pip"
  | "gomod"
  | "cargo"
  | "bundler"
  | "maven"
  | "gradle"
  | "composer"
  | "docker"
  | "github-actions"
  | "nuget"
  | "mix"
  | "pub"
  | "swift"
  | "terraform";

interface ManifestKind {
  readonly ecosystem: Ecosystem;
  /** Whole file names (lower case) or a test on the lower-case name. */
  readonly matches: (name: string) => boolean;
}

const named =
  (...names: string[]) =>
  (name: string): boolean =>
    names.includes(name);

const MANIFEST_KINDS: readonly ManifestKind[] = [
  { ecosystem: "npm", matches: named("package.json") },
  { ecosystem: "pip", matches: (n) => n === "pyproject.toml" || n === "pipfile" || n === "setup.py" || /^requirements[\w.-]*\.(?:txt|in)$/.test(n) },
  { ecosystem: "gomod", matches: named("go.mod") },
  { ecosystem: "cargo", matches: named("cargo.toml") },
  { ecosystem: "bundler", matches: (n) => n === "gemfile" || n.endsWith(".gemspec") },
  { ecosystem: "maven", matches: named("pom.xml") },
  { ecosystem: "gradle", matches: named("build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts") },
  { ecosystem: "composer", matches: named("composer.json") },
  { ecosystem: "docker", matches: (n) => n === "dockerfile" || n.startsWith("dockerfile.") || n.endsWith(".dockerfile") },
  { ecosystem: "nuget", matches: (n) => n.endsWith(".csproj") || n.endsWith(".fsproj") || n.endsWith(".vbproj") || n === "packages.config" || n === "directory.packages.props" },
  { ecosystem: "mix", matches: named("mix.exs") },
  { ecosystem: "pub", matches: named("pubspec.yaml") },
  { ecosystem: "swift", matches: named("package.swift") },
  { ecosystem: "terraform", matches: (n) => n.endsWith(".tf") },
];

export const fileName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
export const directoryOf = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;

/** The ecosystem a file is a manifest of; undefined when it is none. Workflows are github-actions. */
export function ecosystemOf(path: string): Ecosystem | undefined {
  if (WORKFLOW.test(path)) return "github-actions";
  const name = fileName(path).toLowerCase();
  return MANIFEST_KINDS.find((kind) => kind.matches(name))?.ecosystem;
}

/** Directories from the file's own up to the root ("" is the root): where its lockfile may be. */
export function ancestors(directory: string): string[] {
  const out = [directory];
  let dir = directory;
  while (dir !== "") {
    dir = directoryOf(dir);
    out.push(dir);
  }
  return out;
}

export const joinPath = (directory: string, name: string): string => (directory === "" ? name : `${directory}/${name}`);

/**
 * Manifest file name to the lockfiles that pin it, the default of the lockfile rule. A workspace
 * keeps one lockfile at its root, so a lockfile in the manifest's directory or any above counts.
 * Maven and Gradle have no lockfile unless a project opts in, so they are not listed.
 */
export const DEFAULT_LOCKFILES_BY_MANIFEST: Readonly<Record<string, readonly string[]>> = {
  "package.json": ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb"],
  "pyproject.toml": ["poetry.lock", "uv.lock", "pdm.lock", "pylock.toml"],
  Pipfile: ["Pipfile.lock"],
  "go.mod": ["go.sum"],
  "Cargo.toml": ["Cargo.lock"],
  Gemfile: ["Gemfile.lock"],
  "composer.json": ["composer.lock"],
  "mix.exs": ["mix.lock"],
  "pubspec.yaml": ["pubspec.lock"],
  "Package.swift": ["Package.resolved"],
};
