import { readFile } from "node:fs/promises";
import type { ConfigFileReader, ConfigOrigin } from "../config/types.js";
import { GitError } from "./git.js";
import { readBlobs } from "./objects.js";

export interface LocalConfigOptions {
  /** Use this file (working tree) as the repository configuration instead of the base's. */
  readonly configFile?: string;
  /** The organisation baseline; locally it is used only when given. */
  readonly orgConfigFile?: string;
  /** Read the base at this commit (the sha `baseRef` resolved to), so facts and configuration agree. */
  readonly baseSha?: string;
}

/** Where `read("repo", ".readiness.yml")` comes from when --config is given. */
const PRIMARY_CONFIG_PATH = ".readiness.yml";

async function readLocalFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new GitError(`cannot read the ${what} ${file}: ${why}`);
  }
}

/**
 * Configuration as the pull request would see it on GitHub: the repository's files at the BASE
 * ref (a branch must not weaken its own gate), unless an explicit file is given with --config.
 * The organisation baseline comes only from --org-config: locally there is no organisation.
 */
export function createLocalConfigReader(repoDir: string, baseRef: string, opts: LocalConfigOptions = {}): ConfigFileReader {
  return {
    async read(place, path) {
      if (place === "org") {
        if (opts.orgConfigFile === undefined) return null;
        const origin: ConfigOrigin = { repository: "organisation baseline (--org-config)", path: opts.orgConfigFile };
        return { content: await readLocalFile(opts.orgConfigFile, "organisation configuration (--org-config)"), origin };
      }
      if (opts.configFile !== undefined) {
        if (path !== PRIMARY_CONFIG_PATH) return null;
        const origin: ConfigOrigin = { repository: "local", path: opts.configFile };
        return { content: await readLocalFile(opts.configFile, "configuration file (--config)"), origin };
      }
      const [content] = await readBlobs(repoDir, [`${opts.baseSha ?? baseRef}:${path}`]);
      if (content === undefined || content === null) return null;
      return { content: content.toString("utf8"), origin: { repository: "local", path, ref: baseRef } };
    },
  };
}
