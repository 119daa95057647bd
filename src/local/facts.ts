import type { FactsProvider } from "../pipeline.js";
import type { AlertSource, SecurityAlert, ChangedFile, Fact, FactRequest, Facts, GitRef, PullRequestInfo, RepoFile, CodeownersError } from "../engine/types.js";
import { contentKey, known, unknownFact } from "../engine/types.js";
import { CODEOWNERS_SIZE_LIMIT_BYTES } from "../codeowners/parse.js";
import { CODEOWNERS_LOCATIONS } from "../codeowners/select.js";
import { changedFiles, mergeBase } from "./diff.js";
import type { LocalChangedFile } from "./diff.js";
import { GitError, branchNameOf, gitText, repositoryRoot, resolveCommit } from "./git.js";
import { blobSizes, readBlobs } from "./objects.js";

/** Said of every fact only GitHub has: reviews, CI results, team membership, its CODEOWNERS report. */
export const GITHUB_ONLY_REASON = "not available locally (GitHub only)";

/** Fact kinds a local checkout can never supply. */
export const GITHUB_ONLY_FACTS: ReadonlySet<FactRequest["kind"]> = new Set(["reviews", "checks", "team", "codeownersErrors", "decisions", "securityAlerts"]);

/** Said of the security alerts fact: only GitHub's scanners have them. */
export const SECURITY_ALERTS_LOCAL_REASON = "only GitHub knows the repository's open security alerts: not available locally";

/** Changed files without a patch are read in full at the head only up to this size. */
export const MAX_UNPATCHED_CONTENT_BYTES = 1024 * 1024;

export const FINGERPRINT_KEY_VARIABLE = "READINESS_FINGERPRINT_KEY";

export interface LocalPullOptions {
  /** The pull request title; default: the head commit's subject. */
  readonly title?: string;
  /** The pull request description; default: empty (there is no pull request yet). */
  readonly body?: string;
  /** The author's GitHub login; default: taken from the head commit (see authorOf). */
  readonly author?: string;
  readonly labels?: readonly string[];
  readonly draft?: boolean;
}

export interface LocalFactsOptions extends LocalPullOptions {
  /** The environment, for the fingerprint key (the CLI passes its own, tests a fake). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The clock behind the `now` fact. Default: the system clock. */
  readonly now?: () => Date;
}

/** The commits a local check compares, resolved once. */
export interface LocalRefs {
  /** Top directory of the work tree; every git command runs there. */
  readonly root: string;
  readonly baseRef: string;
  readonly headRef: string;
  /** Branch names as GitHub would show them (`origin/main` → `main`). */
  readonly baseBranch: string;
  readonly headBranch: string;
  readonly baseSha: string;
  readonly headSha: string;
  readonly mergeBaseSha: string;
}

/** Resolves base and head to commits (clear errors for unknown refs) and their merge base. */
export async function resolveLocalRefs(repoDir: string, baseRef: string, headRef: string): Promise<LocalRefs> {
  const root = await repositoryRoot(repoDir);
  const [baseSha, headSha] = await Promise.all([resolveCommit(root, baseRef, "--base"), resolveCommit(root, headRef, "--head")]);
  const [baseBranch, headBranch, mergeBaseSha] = await Promise.all([
    branchNameOf(root, baseRef),
    branchNameOf(root, headRef),
    mergeBase(root, baseSha, headSha),
  ]);
  return { root, baseRef, headRef, baseBranch, headBranch, baseSha, headSha, mergeBaseSha };
}

/**
 * GitHub logins are not in commits; a GitHub noreply address carries one
 * (`12345+octocat@users.noreply.github.com`), otherwise the author's name stands in.
 */
export function authorOf(name: string, email: string): string {
  const noreply = /^(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?)@users\.noreply\.github\.com$/i.exec(email);
  return noreply?.[1] ?? name;
}

type MutableFacts = { -readonly [K in keyof Facts]?: Facts[K] };

/**
 * The facts of a would-be pull request from a local checkout: files and contents from git,
 * diffed from the merge base like GitHub; what only GitHub knows is unknown, saying so.
 */
export class LocalFactsProvider implements FactsProvider {
  private refsPromise?: Promise<LocalRefs>;
  private filesPromise?: Promise<LocalChangedFile[]>;

  constructor(
    private readonly repoDir: string,
    private readonly baseRef: string,
    private readonly headRef: string,
    private readonly opts: LocalFactsOptions = {},
  ) {}

  /** The resolved commits; rejects with a GitError when a ref or the directory is not usable. */
  refs(): Promise<LocalRefs> {
    this.refsPromise ??= resolveLocalRefs(this.repoDir, this.baseRef, this.headRef);
    return this.refsPromise;
  }

  /**
   * The fact kinds a local run can never have. (A missing fingerprint key is not one of them: it
   * is the same as a deployment without the key, and rules treat it so.)
   */
  unavailableFacts(): ReadonlySet<FactRequest["kind"]> {
    return GITHUB_ONLY_FACTS;
  }

  async gather(requests: readonly FactRequest[]): Promise<Partial<Facts>> {
    const refs = await this.refs();
    const facts: MutableFacts = {};
    const teams = new Map<string, Fact<readonly string[]>>();
    const contents = new Map<string, Fact<string | null>>();
    const trees: Partial<Record<GitRef, Fact<readonly string[]>>> = {};
    const codeownersErrors: Partial<Record<GitRef, Fact<readonly CodeownersError[]>>> = {};
    const lastCommits = new Map<string, Fact<string | null>>();
    const treeSizes: Partial<Record<GitRef, Fact<ReadonlyMap<string, number>>>> = {};
    const securityAlerts: Partial<Record<AlertSource, Fact<readonly SecurityAlert[]>>> = {};
    const contentRequests: { ref: GitRef; path: string }[] = [];
    const codeownersRefs: GitRef[] = [];
    const work: Promise<void>[] = [];

    for (const request of requests) {
      switch (request.kind) {
        case "pull":
          work.push(this.pull(refs).then((fact) => void (facts.pull = fact)));
          break;
        case "files":
          work.push(this.filesFact().then((fact) => void (facts.files = fact)));
          break;
        case "reviews":
          facts.reviews = unknownFact(GITHUB_ONLY_REASON);
          break;
        case "checks":
          facts.checks = unknownFact(GITHUB_ONLY_REASON);
          break;
        case "team":
          teams.set(request.team.toLowerCase(), unknownFact(GITHUB_ONLY_REASON));
          break;
        case "codeownersErrors":
          codeownersErrors[request.ref] = unknownFact(GITHUB_ONLY_REASON);
          break;
        case "codeowners":
          codeownersRefs.push(request.ref ?? "base");
          break;
        case "content":
          contentRequests.push({ ref: request.ref, path: request.path });
          break;
        case "tree":
          work.push(this.tree(refs, request.ref).then((fact) => void (trees[request.ref] = fact)));
          break;
        case "headContentsOfUnpatched":
          work.push(this.headContentsOfUnpatched(refs).then((fact) => void (facts.headContentsOfUnpatched = fact)));
          break;
        case "decisions":
          facts.decisions = unknownFact(`${GITHUB_ONLY_REASON}: waivers and attestations are kept by the app`);
          break;
        case "fingerprintKey": {
          const key = this.fingerprintKeyValue();
          facts.fingerprintKey = key ? known(key) : unknownFact(`no ${FINGERPRINT_KEY_VARIABLE} in the environment`);
          break;
        }
        case "lastCommit":
          work.push(this.lastCommit(refs, request.ref, request.path).then((fact) => void lastCommits.set(contentKey(request.ref, request.path), fact)));
          break;
        case "now":
          facts.now = known((this.opts.now ?? (() => new Date()))().toISOString());
          break;
        case "treeSizes":
          work.push(this.treeSizes(refs, request.ref).then((fact) => void (treeSizes[request.ref] = fact)));
          break;
        case "securityAlerts":
          securityAlerts[request.source] = unknownFact(SECURITY_ALERTS_LOCAL_REASON);
          break;
      }
    }
    if (contentRequests.length > 0 || codeownersRefs.length > 0) {
      work.push(this.readContents(refs, contentRequests, codeownersRefs, contents, facts));
    }
    await Promise.all(work);

    if (teams.size > 0) facts.teams = teams;
    if (contents.size > 0) facts.contents = contents;
    if (Object.keys(trees).length > 0) facts.trees = trees;
    if (Object.keys(codeownersErrors).length > 0) facts.codeownersErrors = codeownersErrors;
    if (lastCommits.size > 0) facts.lastCommits = lastCommits;
    if (Object.keys(treeSizes).length > 0) facts.treeSizes = treeSizes;
    if (Object.keys(securityAlerts).length > 0) facts.securityAlerts = securityAlerts;
    return facts;
  }

  private fingerprintKeyValue(): string | undefined {
    const key = this.opts.env?.[FINGERPRINT_KEY_VARIABLE];
    return key && key.length > 0 ? key : undefined;
  }

  private shaOf(refs: LocalRefs, ref: GitRef): string {
    return ref === "base" ? refs.baseSha : refs.headSha;
  }

  private files(): Promise<LocalChangedFile[]> {
    this.filesPromise ??= this.refs().then((refs) => changedFiles(refs.root, refs.mergeBaseSha, refs.headSha));
    return this.filesPromise;
  }

  private async filesFact(): Promise<Fact<readonly ChangedFile[]>> {
    return guard(async () => {
      const files = await this.files();
      return files.map(({ binary: _binary, ...file }) => file);
    });
  }

  private async pull(refs: LocalRefs): Promise<Fact<PullRequestInfo>> {
    return guard(async () => {
      const [name = "", email = "", subject = ""] = (await gitText(refs.root, ["log", "-1", "--no-show-signature", "--no-color", "--format=%an%x00%ae%x00%s", refs.headSha, "--"]))
        .replace(/\n$/, "")
        .split("\0");
      return {
        number: 0,
        title: this.opts.title ?? subject,
        body: this.opts.body ?? "",
        author: this.opts.author ?? authorOf(name, email),
        draft: this.opts.draft ?? false,
        labels: [...(this.opts.labels ?? [])],
        baseRef: refs.baseBranch,
        baseSha: refs.baseSha,
        headRef: refs.headBranch,
        headSha: refs.headSha,
        local: true,
      };
    });
  }

  private async tree(refs: LocalRefs, ref: GitRef): Promise<Fact<readonly string[]>> {
    return guard(async () => {
      const text = await gitText(refs.root, ["ls-tree", "-r", "-z", "--full-tree", "--name-only", this.shaOf(refs, ref)]);
      return text.split("\0").filter((path) => path.length > 0);
    });
  }

  /** git log -1 --format=%cI <sha> -- <path>: the committer date of the newest commit touching it. */
  private async lastCommit(refs: LocalRefs, ref: GitRef, path: string): Promise<Fact<string | null>> {
    return guard(async () => {
      const text = (await gitText(refs.root, ["log", "-1", "--no-show-signature", "--no-color", "--format=%cI", this.shaOf(refs, ref), "--", `:(literal)${path}`])).trim();
      return text === "" ? null : new Date(text).toISOString();
    });
  }

  /** `git ls-tree -l` lines: "<mode> <type> <object> <size>\t<path>", the size "-" for submodules. */
  private async treeSizes(refs: LocalRefs, ref: GitRef): Promise<Fact<ReadonlyMap<string, number>>> {
    return guard(async () => {
      const text = await gitText(refs.root, ["ls-tree", "-r", "-l", "-z", "--full-tree", this.shaOf(refs, ref)]);
      const sizes = new Map<string, number>();
      for (const entry of text.split("\0")) {
        const match = /^\d+ blob [0-9a-f]+ +(\d+)\t/.exec(entry);
        if (match) sizes.set(entry.slice(entry.indexOf("\t") + 1), Number(match[1]));
      }
      return sizes;
    });
  }

  private async readContents(
    refs: LocalRefs,
    requests: readonly { ref: GitRef; path: string }[],
    codeownersRefs: readonly GitRef[],
    contents: Map<string, Fact<string | null>>,
    facts: MutableFacts,
  ): Promise<void> {
    const specs = [
      ...requests.map((r) => `${this.shaOf(refs, r.ref)}:${r.path}`),
      ...codeownersRefs.flatMap((ref) => CODEOWNERS_LOCATIONS.map((path) => `${this.shaOf(refs, ref)}:${path}`)),
    ];
    let blobs: (Buffer | null | undefined)[];
    try {
      blobs = await readBlobs(refs.root, specs);
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      for (const r of requests) contents.set(contentKey(r.ref, r.path), unknownFact(e.message));
      for (const ref of codeownersRefs) setCodeowners(facts, ref, unknownFact(e.message));
      return;
    }
    requests.forEach((r, index) => {
      const blob = blobs[index];
      contents.set(
        contentKey(r.ref, r.path),
        blob === undefined ? unknownFact("a path with a line break cannot be read locally") : known(blob === null ? null : blob.toString("utf8")),
      );
    });
    codeownersRefs.forEach((ref, refIndex) => {
      const offset = requests.length + refIndex * CODEOWNERS_LOCATIONS.length;
      let found: RepoFile | null = null;
      for (const [i, path] of CODEOWNERS_LOCATIONS.entries()) {
        const blob = blobs[offset + i];
        if (blob) {
          // GitHub ignores a CODEOWNERS of 3 MB or more: known, empty, with its size (as on GitHub).
          found = blob.length >= CODEOWNERS_SIZE_LIMIT_BYTES ? { path, content: "", size: blob.length } : { path, content: blob.toString("utf8") };
          break;
        }
      }
      setCodeowners(facts, ref, known(found));
    });
  }

  private async headContentsOfUnpatched(refs: LocalRefs): Promise<Fact<ReadonlyMap<string, Fact<string>>>> {
    return guard(async () => {
      const unpatched = (await this.files()).filter((file) => file.patch === undefined && file.status !== "removed");
      const result = new Map<string, Fact<string>>();
      const toRead = unpatched.filter((file) => !file.binary);
      for (const file of unpatched) if (file.binary) result.set(file.path, unknownFact("binary file"));
      const specs = toRead.map((file) => `${refs.headSha}:${file.path}`);
      const sizes = await blobSizes(refs.root, specs);
      const small = specs.filter((_, index) => (sizes[index] ?? Infinity) <= MAX_UNPATCHED_CONTENT_BYTES);
      const blobs = new Map(small.map((spec, index) => [spec, index]));
      const contents = await readBlobs(refs.root, small);
      toRead.forEach((file, index) => {
        const size = sizes[index];
        const at = blobs.get(specs[index]!);
        if (size === undefined) result.set(file.path, unknownFact("a path with a line break cannot be read locally"));
        else if (size === null) result.set(file.path, unknownFact("not a regular file at the head (a submodule or directory)"));
        else if (at === undefined) result.set(file.path, unknownFact(`larger than ${MAX_UNPATCHED_CONTENT_BYTES / (1024 * 1024)} MB`));
        else result.set(file.path, known(contents[at]?.toString("utf8") ?? ""));
      });
      return result;
    });
  }
}

function setCodeowners(facts: MutableFacts, ref: GitRef, fact: Fact<RepoFile | null>): void {
  if (ref === "base") facts.codeowners = fact;
  else facts.headCodeowners = fact;
}

/** A git failure while reading one fact makes that fact unknown (with git's reason), not the run. */
async function guard<T>(read: () => Promise<T>): Promise<Fact<T>> {
  try {
    return known(await read());
  } catch (e) {
    if (e instanceof GitError) return unknownFact(e.message);
    throw e;
  }
}
