/**
 * Reads configuration files for the loader: the repository's at the pull request's BASE commit
 * (a pull request must not weaken its own gate), the organisation's from its `.github`
 * repository at the default branch.
 */
import type { ConfigFile, ConfigFileReader, ConfigOrigin, RefusedConfigFile } from "../config/types.js";
import type { Logger } from "../pipeline.js";
import type { TtlCache } from "./cache.js";
import { readRepoFile, statusOf, INLINE_CONTENT_LIMIT } from "./octokit.js";
import type { GitHubClient, RepoCoordinates, RepoFileRead } from "./octokit.js";

/** The organisation baseline may change at any time; re-read it after this long. */
export const ORG_CONFIG_TTL_MS = 60_000;

/** A configuration file larger than this is refused (the loader bounds the YAML itself too). */
export const MAX_CONFIG_BYTES = INLINE_CONTENT_LIMIT;

type ReadResult = ConfigFile | RefusedConfigFile | null;

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

/** Why a file that exists is not usable as configuration; the loader reports it as the configuration's error. */
function describeRefusal(read: Exclude<RepoFileRead, { kind: "file" } | { kind: "missing" }>): string {
  switch (read.kind) {
    case "not-a-file":
      return `is a ${read.type === "dir" ? "directory" : read.type}, not a file: the configuration must be a YAML file`;
    case "too-large":
      return `is too large (${read.size} bytes, limit ${MAX_CONFIG_BYTES} bytes): a readiness configuration is a short YAML file`;
    case "binary":
      return `is not a text file (it contains NUL bytes): the configuration must be UTF-8 YAML`;
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
    const origin: ConfigOrigin = { repository, path, ...(ref === undefined ? {} : { ref }) };
    const read = await readRepoFile(octokit, target, path, ref, { maxBytes: MAX_CONFIG_BYTES, onRequest: opts.onRequest });
    if (read.kind === "missing") return null;
    if (read.kind !== "file") return { origin, refused: `the file ${describeRefusal(read)}` };
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
