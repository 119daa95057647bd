/**
 * `uses:` lines of GitHub Actions workflows and composite actions, read one line at a time (an
 * added line of a diff has no YAML document around it). Linear in the line's length: plain
 * index scans and anchored patterns without nested quantifiers.
 */

/** Workflows GitHub runs (it ignores subdirectories) and action metadata files (composite actions). */
export const WORKFLOW_FILES = [".github/workflows/*.{yml,yaml}", "**/action.{yml,yaml}"] as const;

/** What a `uses:` value refers to. */
export type UsesReference =
  /** `./path`: an action or reusable workflow in the same repository, pinned by the commit itself. */
  | { readonly kind: "local" }
  /** `${{ ... }}`: decided at run time; nothing to check. */
  | { readonly kind: "expression" }
  /** `docker://image[:tag][@sha256:digest]`. */
  | { readonly kind: "docker"; readonly image: string; readonly pinned: boolean; readonly repository: string; readonly tag?: string }
  /** `owner/repo[/path]@ref`, a remote action or reusable workflow; ref is null when there is no `@`. */
  | { readonly kind: "remote"; readonly name: string; readonly owner: string; readonly repo: string; readonly ref: string | null }
  /** Not an action reference GitHub would accept (such as `checkout@v4`). */
  | { readonly kind: "invalid" };

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t";

function skipBlanks(line: string, from: number): number {
  let i = from;
  while (isBlank(line[i])) i++;
  return i;
}

/**
 * The value of a `uses:` key written on this line, unquoted, without its trailing comment or a
 * YAML anchor; null when the line holds no `uses:` key with a value on the same line. Accepts
 * `uses: x`, `- uses: x`, `"uses": x`, `uses: "x"`, `uses: 'x'` and `uses: x # comment`.
 */
export function usesValue(line: string): string | null {
  let i = skipBlanks(line, 0);
  if (line[i] === "-" && isBlank(line[i + 1])) i = skipBlanks(line, i + 1);
  const keyQuote = line[i] === '"' || line[i] === "'" ? line[i] : "";
  if (keyQuote) i++;
  if (!line.startsWith("uses", i)) return null;
  i += 4;
  if (keyQuote) {
    if (line[i] !== keyQuote) return null;
    i++;
  }
  i = skipBlanks(line, i);
  if (line[i] !== ":") return null;
  i++;
  // A plain key needs a blank after its colon ("uses:x" is one string, not a key and a value).
  if (i < line.length && !isBlank(line[i]) && line[i] !== "\r") return null;
  i = skipBlanks(line, i);
  if (line[i] === "&") {
    // An anchor ("uses: &checkout actions/checkout@v4") names the value that follows it.
    const end = line.slice(i).search(/[ \t]/);
    if (end < 0) return null;
    i = skipBlanks(line, i + end);
  }
  const quote = line[i];
  if (quote === '"' || quote === "'") {
    const close = line.indexOf(quote, i + 1);
    const value = (close < 0 ? line.slice(i + 1) : line.slice(i + 1, close)).trim();
    return value === "" ? null : value;
  }
  // A plain scalar ends where a comment starts: a # after a blank.
  let end = line.length;
  const comment = /[ \t]#/.exec(line.slice(i));
  if (comment) end = i + comment.index;
  const value = line.slice(i, end).trim();
  // Comments, block scalars (| and >), aliases (*name) and flow collections hold no checkable value here.
  if (value === "" || /^[#|>*[{]/.test(value)) return null;
  return value;
}

const FULL_SHA = /^[0-9a-f]{40}$/i;
const SHORT_SHA = /^[0-9a-f]{7,39}$/i;
const DOCKER_DIGEST = /@sha256:[0-9a-f]{64}$/i;

export const isFullSha = (ref: string): boolean => FULL_SHA.test(ref);
export const isShortSha = (ref: string): boolean => SHORT_SHA.test(ref);

function dockerReference(value: string): UsesReference {
  const image = value.slice("docker://".length);
  const at = image.indexOf("@");
  const named = at < 0 ? image : image.slice(0, at);
  // A colon after the last slash starts the tag; one before it is a registry port (localhost:5000/app).
  const colon = named.indexOf(":", named.lastIndexOf("/") + 1);
  const repository = colon < 0 ? named : named.slice(0, colon);
  const tag = colon < 0 ? undefined : named.slice(colon + 1);
  return { kind: "docker", image, pinned: DOCKER_DIGEST.test(image), repository, ...(tag ? { tag } : {}) };
}

export function parseUses(value: string): UsesReference {
  if (value.includes("${{")) return { kind: "expression" };
  if (value.startsWith("./")) return { kind: "local" };
  if (value.startsWith("docker://")) return dockerReference(value);
  const at = value.indexOf("@");
  const name = at < 0 ? value : value.slice(0, at);
  const [owner, repo] = name.split("/", 2);
  if (!owner || !repo || /\s/.test(name)) return { kind: "invalid" };
  return { kind: "remote", name, owner, repo, ref: at < 0 ? null : value.slice(at + 1) };
}
