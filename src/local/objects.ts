import { GitError, gitWithInput } from "./git.js";

/**
 * Reads many `rev:path` blobs with one `git cat-file --batch`. Each answer is the content, null
 * when there is no such file at that revision (or it is a directory or submodule), or undefined
 * when the name cannot be asked for in batch mode (it contains a line break).
 */
export async function readBlobs(repoDir: string, specs: readonly string[]): Promise<(Buffer | null | undefined)[]> {
  const askable = specs.filter((spec) => !/[\r\n]/.test(spec));
  if (askable.length === 0) return specs.map(() => undefined);
  const output = await gitWithInput(repoDir, ["cat-file", "--batch"], askable.map((spec) => `${spec}\n`).join(""));
  const answers = new Map<string, Buffer | null>();
  let offset = 0;
  for (const spec of askable) {
    const end = output.indexOf(0x0a, offset);
    if (end < 0) throw new GitError(`git cat-file ended early while reading ${spec}`);
    const header = output.toString("utf8", offset, end);
    offset = end + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      answers.set(spec, null);
      continue;
    }
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) throw new GitError(`git cat-file answered ${JSON.stringify(header)} for ${spec}`);
    const size = Number(match[2]);
    const content = output.subarray(offset, offset + size);
    offset += size + 1;
    answers.set(spec, match[1] === "blob" ? Buffer.from(content) : null);
  }
  return specs.map((spec) => answers.get(spec));
}

/** Sizes of `rev:path` objects with one `git cat-file --batch-check`: null when missing or not a blob. */
export async function blobSizes(repoDir: string, specs: readonly string[]): Promise<(number | null | undefined)[]> {
  const askable = specs.filter((spec) => !/[\r\n]/.test(spec));
  if (askable.length === 0) return specs.map(() => undefined);
  const output = (await gitWithInput(repoDir, ["cat-file", "--batch-check"], askable.map((spec) => `${spec}\n`).join(""))).toString("utf8");
  const lines = output.split("\n");
  const sizes = new Map<string, number | null>();
  askable.forEach((spec, index) => {
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(lines[index] ?? "");
    sizes.set(spec, match && match[1] === "blob" ? Number(match[2]) : null);
  });
  return specs.map((spec) => sizes.get(spec));
}
