/** Where GitHub looks for CODEOWNERS, in order (rule 1): the first that exists is used, the others are ignored. */
export const CODEOWNERS_LOCATIONS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

export type CodeownersLocation = (typeof CODEOWNERS_LOCATIONS)[number];

export function isCodeownersLocation(path: string): path is CodeownersLocation {
  return (CODEOWNERS_LOCATIONS as readonly string[]).includes(path);
}

/** The file GitHub uses among the paths that exist, or null when none of the locations does. Never merged. */
export function selectCodeownersFile(existingPaths: Iterable<string>): CodeownersLocation | null {
  const existing = new Set(existingPaths);
  return CODEOWNERS_LOCATIONS.find((location) => existing.has(location)) ?? null;
}
