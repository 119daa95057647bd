/** The Dockerfile read as data: its stages, base images and the environment each stage sets. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface DockerStage {
  readonly from: string;
  readonly name: string | undefined;
  readonly env: ReadonlyMap<string, string>;
  /** The last USER instruction of the stage. */
  readonly user: string | undefined;
  /** The last HEALTHCHECK instruction's arguments (options and CMD), continuation lines joined. */
  readonly healthcheck: string | undefined;
  /** The last CMD instruction's arguments. */
  readonly cmd: string | undefined;
}

const unquote = (value: string) => value.replace(/^"(.*)"$/s, "$1").replace(/^'(.*)'$/s, "$1");

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
function instructions(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, " ");
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

export function parseDockerfile(text: string): DockerStage[] {
  const stages: { from: string; name: string | undefined; env: Map<string, string>; user: string | undefined; healthcheck: string | undefined; cmd: string | undefined }[] = [];
  for (const line of instructions(text)) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    if (keyword.toUpperCase() === "FROM") {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!match) throw new Error(`unreadable FROM line: ${line}`);
      stages.push({ from: match[1]!, name: match[2], env: new Map(), user: undefined, healthcheck: undefined, cmd: undefined });
    } else if (["USER", "HEALTHCHECK", "CMD"].includes(keyword.toUpperCase())) {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`${keyword} before FROM: ${line}`);
      const field = ({ USER: "user", HEALTHCHECK: "healthcheck", CMD: "cmd" } as const)[keyword.toUpperCase() as "USER" | "HEALTHCHECK" | "CMD"];
      stage[field] = args.replace(/\s+/g, " ");
    } else if (keyword.toUpperCase() === "ENV") {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`ENV before FROM: ${line}`);
      if (!args.includes("=")) {
        const [key = "", ...value] = args.split(/\s+/);
        stage.env.set(key, unquote(value.join(" ")));
        continue;
      }
      for (const pair of args.match(/[^\s=]+=(?:"[^"]*"|'[^']*'|\S*)/g) ?? []) {
        const at = pair.indexOf("=");
        stage.env.set(pair.slice(0, at), unquote(pair.slice(at + 1)));
      }
    }
  }
  return stages;
}

export const repoDockerfile = (): DockerStage[] => parseDockerfile(readFileSync(fileURLToPath(new URL("../../Dockerfile", import.meta.url)), "utf8"));

/** The stage the image runs: the last one. */
export function runtimeStage(stages: readonly DockerStage[]): DockerStage {
  const last = stages.at(-1);
  if (!last) throw new Error("the Dockerfile has no FROM");
  return last;
}
