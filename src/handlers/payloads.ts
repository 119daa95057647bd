/**
 * The shape every delivery of an event the app handles must have before any handler sees it: the
 * fields the handlers read, with the values GitHub can send. A signed payload is trusted as coming
 * from GitHub, not as well formed: names become request paths, numbers and shas become keys and
 * check runs. A payload that fails is refused whole; the problem names where and what was
 * expected, never the value found (it may be anything the sender chose).
 */
import { z } from "zod";
import { PULL_REQUEST_ACTIONS, REVIEW_ACTIONS } from "./pull-request.js";

/**
 * User and organisation names: letters, digits and hyphens on github.com (at most 39); managed
 * (enterprise) users add an underscore and a suffix.
 */
const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
/** A commenter: a user, or an app's bot account ("name[bot]"). */
const ACCOUNT_NAME_OR_BOT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}(\[bot\])?$/;
/** Repository names: letters, digits, `.`, `_`, `-`, at most 100, never `.` or `..`. */
const REPOSITORY_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;
const COMMIT_SHA = /^[0-9a-f]{40}$/;
/** A git ref name as GitHub reports it: no control characters, spaces or `..`, at most 255 bytes. */
const REF_NAME = /^(?!.*\.\.)[^\u0000-\u0020\u007f~^:?*[\\]{1,255}$/;

/** GitHub's limit for environment names; control characters would break log lines and keys. */
const ENVIRONMENT_NAME = /^[^\u0000-\u001f\u007f]{1,255}$/;
/** Where a protection rule is answered; the runner also checks it names this repository. */
const DEPLOYMENT_CALLBACK = /^https:\/\/[^/\s]+(\/api\/v3)?\/repos\/[^/\s]+\/[^/\s]+\/actions\/runs\/\d{1,16}\/deployment_protection_rule$/;

const wholeNumber = (min: number, error: string) => z.number({ error }).int({ error }).min(min, { error }).max(Number.MAX_SAFE_INTEGER, { error });
const matching = (pattern: RegExp, error: string) => z.string({ error }).regex(pattern, { error });

const id = wholeNumber(1, "expected a positive whole number");
const count = wholeNumber(0, "expected a whole number ≥ 0");
const sha = matching(COMMIT_SHA, "expected a commit sha (40 lowercase hexadecimal characters)");
const ref = matching(REF_NAME, "expected a git ref name (no control characters, spaces or '..', at most 255 characters)");
const text = z.string({ error: "expected a string" });

const installation = z.object({ id }, { error: "expected the installation the delivery is for" });
const repository = z.object(
  {
    id,
    name: matching(REPOSITORY_NAME, "expected a repository name (letters, digits, '.', '_', '-'; at most 100; not '.' or '..')"),
    owner: z.object({ login: matching(ACCOUNT_NAME, "expected a GitHub account name (letters, digits, hyphens, underscores)") }),
  },
  { error: "expected the repository" },
);

/** The pull request object of pull_request and pull_request_review events (see pullFromPayload). */
const pullRequest = z.object(
  {
    number: id,
    title: text,
    body: text.nullish(),
    user: z.object({ login: text }).nullable(),
    draft: z.boolean({ error: "expected true or false" }).optional(),
    labels: z.array(z.object({ name: text }).nullable()).optional(),
    base: z.object({ ref, sha }),
    head: z.object({ ref, sha }),
    changed_files: count.optional(),
    additions: count.optional(),
    deletions: count.optional(),
  },
  { error: "expected the pull request" },
);

/** The short pull request references check runs and suites list. */
const pullReference = z.object({ number: id, head: z.object({ sha }), base: z.object({ sha, repo: z.object({ id }).optional() }) });
const app = z.object({ id }).nullish();

const checkRun = z.object({
  name: text,
  head_sha: sha,
  app,
  pull_requests: z.array(pullReference),
  check_suite: z.object({ head_branch: ref.nullable() }),
});

const base = { installation, repository };

/** The repositories installation events list (no default branch: the runner lists them). */
const listedRepositories = z.array(
  z.object({
    name: matching(REPOSITORY_NAME, "expected a repository name (letters, digits, '.', '_', '-'; at most 100; not '.' or '..')"),
    full_name: text,
  }),
);
const accountName = matching(ACCOUNT_NAME, "expected a GitHub account name (letters, digits, hyphens, underscores)");
/** A user or organisation (login) or an enterprise (slug). */
const account = z.union([z.object({ login: accountName }), z.object({ slug: accountName })], { error: "expected the installation's account (a login or an enterprise slug)" });
const installationWithAccount = z.object({ id, account }, { error: "expected the installation the delivery is for" });

export interface HandledEvent {
  /** The actions handled; every delivery of the event when absent. */
  readonly actions?: readonly string[];
  readonly schema: z.ZodType;
}

/** Keyed by event name: the events src/index.ts hands to a handler, with the actions it handles. */
export const HANDLED_EVENTS: ReadonlyMap<string, HandledEvent> = new Map<string, HandledEvent>([
  ["pull_request", { actions: PULL_REQUEST_ACTIONS, schema: z.object({ ...base, pull_request: pullRequest }) }],
  ["pull_request_review", { actions: REVIEW_ACTIONS, schema: z.object({ ...base, pull_request: pullRequest }) }],
  ["check_run", { actions: ["completed", "rerequested"], schema: z.object({ ...base, check_run: checkRun }) }],
  ["status", { schema: z.object({ ...base, sha, state: text, context: text }) }],
  [
    "check_suite",
    {
      actions: ["rerequested"],
      schema: z.object({ ...base, check_suite: z.object({ head_sha: sha, head_branch: ref.nullable(), app: z.object({ id }), pull_requests: z.array(pullReference) }) }),
    },
  ],
  ["merge_group", { actions: ["checks_requested"], schema: z.object({ ...base, merge_group: z.object({ head_ref: ref, head_sha: sha, base_sha: sha }) }) }],
  [
    "issue_comment",
    {
      actions: ["created"],
      schema: z.object({
        ...base,
        repository: repository.extend({ default_branch: ref }),
        issue: z.object({ number: id, pull_request: z.object({}).passthrough().nullish() }),
        comment: z.object({
          id,
          body: text,
          html_url: text,
          user: z.object({ login: matching(ACCOUNT_NAME_OR_BOT, "expected a GitHub account name"), type: text }),
        }),
      }),
    },
  ],
  [
    "push",
    {
      schema: z.object({
        installation,
        repository: repository.extend({ default_branch: ref }),
        ref,
        after: sha,
        deleted: z.boolean({ error: "expected true or false" }).optional(),
        commits: z.array(z.object({ added: z.array(text).optional(), modified: z.array(text).optional(), removed: z.array(text).optional() })),
      }),
    },
  ],
  [
    "deployment_protection_rule",
    {
      actions: ["requested"],
      schema: z.object({
        ...base,
        environment: matching(ENVIRONMENT_NAME, "expected an environment name (at most 255 characters, no control characters)"),
        deployment_callback_url: matching(DEPLOYMENT_CALLBACK, "expected GitHub's callback URL (https://…/actions/runs/<id>/deployment_protection_rule)"),
        deployment: z.object({ sha, ref }, { error: "expected the deployment" }),
      }),
    },
  ],
  ["installation", { actions: ["created"], schema: z.object({ installation: installationWithAccount, repositories: listedRepositories.optional() }) }],
  ["installation_repositories", { actions: ["added"], schema: z.object({ installation: installationWithAccount, repositories_added: listedRepositories }) }],
]);

/** At most this many problems are named; one is enough to refuse. */
const PROBLEMS_SHOWN = 3;

function where(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(the payload)" : path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[");
}

/**
 * Why the delivery cannot be handled, on one line, or undefined when it can (or when no handler
 * would run for it: another event, or an action the app ignores).
 */
export function payloadProblem(name: string, payload: unknown): string | undefined {
  const handled = HANDLED_EVENTS.get(name);
  if (!handled) return undefined;
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return "(the payload): expected a JSON object";
  const action = (payload as { action?: unknown }).action;
  if (handled.actions && !(typeof action === "string" && handled.actions.includes(action))) return undefined;
  const result = handled.schema.safeParse(payload);
  if (result.success) return undefined;
  const issues = result.error.issues;
  const shown = issues.slice(0, PROBLEMS_SHOWN).map((issue) => `${where(issue.path)}: ${issue.message}`);
  const more = issues.length > PROBLEMS_SHOWN ? `; and ${issues.length - PROBLEMS_SHOWN} more` : "";
  return `${shown.join("; ")}${more}`;
}
