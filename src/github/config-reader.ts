/**
 * Reads configuration files for the loader: the repository's at the pull request's BASE commit
 * (a pull request must not weaken its own gate), the organisation's from its `.github`
 * repository at the default branch.
 */
import { ConfigFileRefused } from "../config/types.js";
import type { ConfigFileReader, ConfigOrigin } from "../config/types.js";
import type { Logger } from "../pipeline.js";
import type { TtlCache } from "./cache.js";
import { readRepoFile, statusOf, INLINE_CONTENT_LIMIT } from "./octokit.js";
import type { GitHubClient, RepoCoordinates, RepoFileRead } from "./octokit.js";

/** The organisation baseline may change at any time; re-read it after this long. */
export const ORG_CONFIG_TTL_MS = 60_000;

/** A configuration file larger than this is refused (the loader bounds the YAML itself too). */
export const MAX_CONFIG_BYTES = INLINE_CONTENT_LIMIT;

type ReadResult = { content: string; origin: ConfigOrigin } | null;

export interface ConfigReaderOptions {
  /**
   * Shared across evaluations of one installation. Reads at a commit sha never change, so they
   * stay until pushed out; organisation reads (default branch) live ORG_CONFIG_TTL_MS.
   */
  readonly cache?: TtlCache;
  readonly log?: Logger;
  /** Called once per request made (for counting reads per evaluation). */
  readonly onRequest?: () => void;
}

function describeRefusal(read: Exclude<RepoFileRead, { kind: "file" } | { kind: "missing" }>, where: string): string {
  switch (read.kind) {
    case "not-a-file":
      return `${where} is a ${read.type === "dir" ? "directory" : read.type}, not a file: the configuration must be a YAML file`;
    case "too-large":
      return `${where} is ${read.size} bytes; a configuration file must be under ${MAX_CONFIG_BYTES} bytes (1 MB)`;
    case "binary":
      return `${where} is not a text file (it contains NUL bytes): the configuration must be UTF-8 YAML`;
  }
}

export function createConfigReader(
  octokit: GitHubClient,
  repo: RepoCoordinates,
  baseSha: string,
  opts: ConfigReaderOptions = {},
): ConfigFileReader {
  const orgRepo: RepoCoordinates = { owner: repo.owner, repo: ".github" };

  async function readAt(target: RepoCoordinates, path: string, ref: string | undefined): Promise<ReadResult> {
    const repository = `${target.owner}/${target.repo}`;
    const where = `${repository}:${path}${ref === undefined ? "" : ` at ${ref.slice(0, 12)}`}`;
    const read = await readRepoFile(octokit, target, path, ref, { maxBytes: MAX_CONFIG_BYTES, onRequest: opts.onRequest });
    if (read.kind === "missing") return null;
    const origin: ConfigOrigin = { repository, path, ...(ref === undefined ? {} : { ref }) };
    if (read.kind !== "file") throw new ConfigFileRefused(origin, describeRefusal(read, where));
    return { content: read.content, origin };
  }

  async function cached(key: string, ttlMs: number, load: () => Promise<ReadResult>): Promise<ReadResult> {
    const cache = opts.cache;
    if (!cache) return load();
    const hit = cache.get(key) as Promise<ReadResult> | undefined;
    if (hit) return hit;
    const pending = load();
    cache.set(key, pending, ttlMs);
    // A failed read is not remembered: the next evaluation tries again.
    pending.catch(() => cache.delete(key));
    return pending;
  }

  return {
    read(place, path) {
      if (place === "repo") {
        return cached(`config:${repo.owner}/${repo.repo}@${baseSha}:${path}`, Number.POSITIVE_INFINITY, () => readAt(repo, path, baseSha));
      }
      return cached(`org-config:${repo.owner}:${path}`, ORG_CONFIG_TTL_MS, async () => {
        try {
          return await readAt(orgRepo, path, undefined);
        } catch (error) {
          // An installation limited to selected repositories may not see `.github`: no baseline.
          if (statusOf(error) === 403) {
            opts.log?.warn({ repository: `${repo.owner}/.github`, path }, "cannot read the organisation's .github repository (403); no organisation baseline");
            return null;
          }
          throw error;
        }
      });
    },
  };
}
