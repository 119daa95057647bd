/**
 * Composition for the GitHub App: given an installation's client, a repository and a subject
 * (a pull request, a merge group), build the configuration reader (base commit), the facts
 * provider and the publisher chosen by the subject's kind, and run the one pipeline. Holds the
 * process-wide caches of what never changes for a commit (configuration, files) and the short ones
 * the handlers consult before deciding to spend API requests. Ordering, retries and what must
 * survive the process belong to src/jobs and src/state.
 */
import { createHmac } from "node:crypto";
import type { ResolvedConfig } from "../engine/evaluate.js";
import type { DecisionsFact, Fact, FactRequest, Facts, PullRequestInfo } from "../engine/types.js";
import { loadConfig } from "../config/load.js";
import type { ConfigLoadResult } from "../config/types.js";
import { runPipeline } from "../pipeline.js";
import type { EvaluateStep, FactsProvider, Logger, PipelineOutcome, Publisher } from "../pipeline.js";
import type { CheckRunOutput, PhaseTimer, Publication, PublicationLedger, PublicationView } from "../ports.js";
import { registry } from "../../rules/index.js";
import { TtlCache } from "./cache.js";
import { createConfigReader, ORG_CONFIG_TTL_MS } from "./config-reader.js";
import { COMMIT_FACT_TTL_MS, GitHubFactsProvider, TEAM_TTL_MS } from "./facts.js";
import { BranchFactsProvider } from "./branch-facts.js";
import type { BranchAt } from "./branch-facts.js";
import { parseCodeowners } from "../codeowners/parse.js";
import { rootOwners } from "../codeowners/root.js";
import { groupFacts } from "./group-facts.js";
import { previewConfig } from "./config-preview.js";
import type { RecordedStanding } from "./config-preview.js";
import { createPublisher, DEFAULT_MAX_ANNOTATIONS } from "./publisher.js";
import type { GitHubPublisher, PublishTarget } from "./publisher.js";
import type { AppOctokit, MergeGroupEntry, RepoRef } from "./events.js";
import type { GitHubClient } from "./octokit.js";

/** How this deployment is set up, from its environment. */
export interface AppSettings {
  /** The check run's name: what rulesets and branch protection require. */
  readonly checkName: string;
  /** Key for fingerprinting findings; never shown. */
  readonly fingerprintKey: string;
  /** The app's id, to recognise events about its own check runs without an API call. */
  readonly appId?: number;
  /** The app's slug; without it, one GET /app per process finds it. */
  readonly appSlug?: string;
}

export const DEFAULT_CHECK_NAME = "readiness";
const FINGERPRINT_LABEL = "readiness-bot/finding-fingerprint/v1";
/** Probot's own default when WEBHOOK_SECRET is unset (development only). */
const DEVELOPMENT_SECRET = "development";

/**
 * READINESS_CHECK_NAME (default "readiness"); READINESS_FINGERPRINT_KEY, or else a key derived
 * from WEBHOOK_SECRET (an HMAC under a fixed label, so the secret itself never reaches a rule);
 * APP_ID; APP_SLUG (optional, saves one request per process).
 */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): AppSettings {
  const appId = Number(env.APP_ID);
  const explicitKey = env.READINESS_FINGERPRINT_KEY?.trim();
  return {
    checkName: env.READINESS_CHECK_NAME?.trim() || DEFAULT_CHECK_NAME,
    fingerprintKey: explicitKey || createHmac("sha256", env.WEBHOOK_SECRET || DEVELOPMENT_SECRET).update(FINGERPRINT_LABEL).digest("hex"),
    ...(Number.isSafeInteger(appId) && appId > 0 ? { appId } : {}),
    ...(env.APP_SLUG?.trim() ? { appSlug: env.APP_SLUG.trim() } : {}),
  };
}

/** A configuration as last resolved at one base commit: null when there is none, "invalid" when it does not load. */
export type KnownConfig = ResolvedConfig | null | "invalid";

/** An open pull request with a given head commit, as the evaluator last saw it. */
export interface KnownHeadPull {
  readonly number: number;
  readonly baseSha: string;
}

export interface EvaluatorOptions {
  /** An app-authenticated client (not an installation's), for GET /app when APP_SLUG is unset. */
  readonly appClient?: () => Promise<AppOctokit>;
  /**
   * How long a resolved configuration is trusted. Repository files at a commit never change; the
   * organisation baseline may, so the default is the config reader's own TTL for it. After it,
   * the configuration is resolved again from the reader's cache (no request for repository files).
   */
  readonly configTtlMs?: number;
  /** The evaluate step (default: in this thread); the app passes the worker pool's. */
  readonly evaluate?: EvaluateStep;
  /** Times the pipeline's phases (the app's metrics). */
  readonly timePhase?: PhaseTimer;
}

/** Which open pull requests have a given head: short, since pull requests open and close. */
const HEADS_TTL_MS = 2 * 60_000;
/**
 * Approximate bytes of facts read at a commit kept per process (file lists with their patches,
 * trees, contents): re-evaluations of the same commits within the hour read none of them again.
 */
export const COMMIT_FACTS_MAX_BYTES = 32 * 1024 * 1024;

/** What a publisher writes for: the subject's kind chooses the publisher. */
export type PublishSubject =
  | { readonly kind: "pull"; readonly headSha: string; readonly pullNumber: number }
  | { readonly kind: "merge-group"; readonly headSha: string; readonly pullNumber: number; readonly base: string }
  | { readonly kind: "branch"; readonly headSha: string; readonly ref: string };

/**
 * Publishers by subject kind, in one place: a pull request gets its check run and sticky comment;
 * a merge group a check run on the group's head only (no pull request number: no comment is read
 * or written), led by the queued pull request.
 */
export function publisherFor(repo: RepoRef, subject: PublishSubject): { readonly target: PublishTarget; readonly view: PublicationView } {
  const repository = `${repo.owner}/${repo.repo}`;
  const maxAnnotations = DEFAULT_MAX_ANNOTATIONS;
  switch (subject.kind) {
    case "pull":
      return { target: { ...repo, headSha: subject.headSha, pullNumber: subject.pullNumber }, view: { kind: "pull", repository, maxAnnotations } };
    case "merge-group":
      return {
        target: { ...repo, headSha: subject.headSha },
        view: { kind: "merge-group", repository, pullNumber: subject.pullNumber, base: subject.base, maxAnnotations },
      };
    case "branch":
      // No pull request number: no comment is read or written.
      return { target: { ...repo, headSha: subject.headSha }, view: { kind: "branch", repository, ref: subject.ref, maxAnnotations } };
  }
}

/** A branch's evaluation: the outcome, and the CODEOWNERS root owners at the commit (null: not known). */
export interface BranchEvaluation {
  readonly outcome: PipelineOutcome;
  readonly owners: readonly string[] | null;
}

export interface MergeGroupTarget {
  readonly headSha: string;
  readonly baseSha: string;
  readonly entry: MergeGroupEntry;
}

export interface PublishOptions {
  /** After a re-run request GitHub has reset the run: it is written even when nothing changed. */
  readonly forceCheckWrite?: boolean;
  /**
   * Asked just before the first write: false when a newer evaluation of the subject has already
   * published, so an older head never overwrites what a newer one showed.
   */
  readonly mayPublish?: () => Promise<boolean>;
  /** What was published for the subject at this head, shared across processes (the state store). */
  readonly ledger?: PublicationLedger;
  /** Reads the decisions fact (waivers, attestations) from the state store; without it the fact is unknown. */
  readonly decisions?: () => Promise<Fact<DecisionsFact>>;
  /** The repository's latest scorecard record, for a configuration preview (pull requests only). */
  readonly scorecard?: () => Promise<RecordedStanding | undefined>;
  /** The installation the client acts for: part of every process-wide cache key of what it reads. */
  readonly installationId?: number;
}

/** A provider that answers the decisions request itself and passes every other request on. */
export function withDecisions(provider: FactsProvider, decisions: (() => Promise<Fact<DecisionsFact>>) | undefined): FactsProvider {
  if (!decisions) return provider;
  return {
    async gather(requests: readonly FactRequest[], soFar: Facts): Promise<Partial<Facts>> {
      const rest = requests.filter((request) => request.kind !== "decisions");
      const [gathered, decided] = await Promise.all([
        rest.length > 0 ? provider.gather(rest, soFar) : {},
        rest.length < requests.length ? decisions() : undefined,
      ]);
      return decided ? { ...gathered, decisions: decided } : gathered;
    },
  };
}

/** A pull request's evaluation, with the facts provider it read through (a merge group reuses it). */
export interface SubjectEvaluation {
  readonly outcome: PipelineOutcome;
  readonly facts: FactsProvider;
}

/** The check run shown when no verdict could be computed. */
export function unavailableOutput(reason: string): CheckRunOutput {
  return {
    title: "Could not evaluate: retrying automatically",
    summary: [
      `readiness could not compute a verdict for this commit: ${reason}.`,
      "",
      "It keeps retrying on its own and replaces this result when it succeeds. Use **Re-run** on this check to retry now.",
    ].join("\n"),
    annotations: [],
  };
}

export interface MergeGroupOptions {
  /** After a re-run request GitHub has reset the run: it is written even when nothing changed. */
  readonly forceCheckWrite?: boolean;
  /** The facts provider of the pull request's own evaluation just made: what it read is not read again. */
  readonly pullFacts?: FactsProvider;
  /** What was published for the group at its head, shared across processes (the state store). */
  readonly ledger?: PublicationLedger;
  /** The queued pull request's decisions (waivers, attestations), from the state store. */
  readonly decisions?: () => Promise<Fact<DecisionsFact>>;
  /** The installation the client acts for: part of every process-wide cache key of what it reads. */
  readonly installationId?: number;
}

/** The one place the app's pipelines are composed; one instance per process. */
export class Evaluator {
  readonly settings: AppSettings;
  readonly #appClient: (() => Promise<AppOctokit>) | undefined;
  /** Configuration files by repository, ref and path (for the config reader). */
  readonly #configFiles: TtlCache<unknown>;
  readonly #teams: TtlCache<unknown>;
  /** Resolved configuration by repository and base commit. */
  readonly #configs: TtlCache<KnownConfig>;
  /** Open pull requests by repository and head commit, learnt from events and listings. */
  readonly #pullsByHead: TtlCache<readonly KnownHeadPull[]>;
  /** The check runs and comments last written, so an unchanged verdict costs no request. */
  readonly #published: TtlCache;
  /** Facts read at a commit, which no later event can change (the facts provider's commitCache). */
  readonly #commitFacts: TtlCache;
  #slug: Promise<string> | undefined;
  #knownSlug: string | undefined;

  readonly #evaluate: EvaluateStep | undefined;
  readonly #timePhase: PhaseTimer | undefined;

  constructor(settings: AppSettings, options: EvaluatorOptions = {}) {
    this.settings = settings;
    this.#evaluate = options.evaluate;
    this.#timePhase = options.timePhase;
    this.#appClient = options.appClient;
    const configTtlMs = options.configTtlMs ?? ORG_CONFIG_TTL_MS;
    this.#configFiles = new TtlCache({ maxEntries: 5000 });
    this.#teams = new TtlCache({ ttlMs: TEAM_TTL_MS, maxEntries: 2000 });
    this.#configs = new TtlCache({ ttlMs: configTtlMs, maxEntries: 1000 });
    this.#pullsByHead = new TtlCache({ ttlMs: HEADS_TTL_MS, maxEntries: 5000 });
    this.#published = new TtlCache({ maxEntries: 5000 });
    this.#commitFacts = new TtlCache({ ttlMs: COMMIT_FACT_TTL_MS, maxEntries: 5000, maxWeight: COMMIT_FACTS_MAX_BYTES });
  }

  /**
   * Evaluates one pull request at the head and base given and publishes its check run and
   * comment. The caller (the job runner) runs one evaluation per subject at a time.
   */
  async evaluatePull(octokit: GitHubClient, repo: RepoRef, pull: PullRequestInfo, log: Logger, options: PublishOptions = {}): Promise<SubjectEvaluation> {
    const facts = withDecisions(this.#factsProvider(octokit, repo, pull, log, options.installationId), options.decisions);
    const outcome = await runPipeline({
      configReader: createConfigReader(octokit, repo, pull.baseSha, { cache: this.#configFiles, log }),
      facts,
      publisher: this.#subjectPublisher(octokit, repo, { kind: "pull", headSha: pull.headSha, pullNumber: pull.number }, log, options),
      log,
      registry,
      evaluate: this.#evaluate,
      timePhase: this.#timePhase,
      preview: (base) =>
        previewConfig({ octokit, repo, pull, facts, registry, cache: this.#configFiles, log, ...(this.#evaluate ? { evaluate: this.#evaluate } : {}), ...(options.scorecard ? { scorecard: options.scorecard } : {}) }, base),
    });
    this.#remember(repo, pull, outcome);
    return { outcome, facts };
  }

  /**
   * A merge group's check: the verdict of the queued pull request, evaluated as it would be on
   * the pull request itself but against the configuration of the commit it merges into, and
   * published on the group's head commit only (no comment, nothing on the pull request's head).
   */
  async evaluateMergeGroup(
    octokit: GitHubClient,
    repo: RepoRef,
    group: MergeGroupTarget,
    pull: PullRequestInfo,
    log: Logger,
    options: MergeGroupOptions = {},
  ): Promise<PipelineOutcome> {
    const queued: PullRequestInfo = { ...pull, baseSha: group.baseSha };
    const atGroupBase = withDecisions(this.#factsProvider(octokit, repo, queued, log, options.installationId), options.decisions);
    const outcome = await runPipeline({
      configReader: createConfigReader(octokit, repo, queued.baseSha, { cache: this.#configFiles, log }),
      facts: options.pullFacts ? groupFacts(options.pullFacts, atGroupBase) : atGroupBase,
      publisher: this.#subjectPublisher(octokit, repo, { kind: "merge-group", headSha: group.headSha, pullNumber: pull.number, base: group.entry.base }, log, options),
      log,
      registry,
      evaluate: this.#evaluate,
      timePhase: this.#timePhase,
    });
    this.#rememberConfig(repo, queued.baseSha, outcome);
    this.#rememberHead(repo, pull);
    return outcome;
  }

  /**
   * A branch's standing at one commit (the scorecard): configuration and CODEOWNERS at that
   * commit, the tree read once, each needed file once; the check run on the commit, no comment.
   */
  async evaluateBranch(octokit: GitHubClient, repo: RepoRef, at: BranchAt, log: Logger, options: PublishOptions = {}): Promise<BranchEvaluation> {
    const facts = new BranchFactsProvider(octokit, repo, at, {
      teamCache: this.#teams,
      fingerprintKey: this.settings.fingerprintKey,
      checkName: this.settings.checkName,
      log,
    });
    const outcome = await runPipeline({
      configReader: createConfigReader(octokit, repo, at.configSha ?? at.sha, { cache: this.#configFiles, log }),
      // A branch has no waivers; its attestation items are judged from the same record.
      facts: withDecisions(facts, options.decisions),
      publisher: this.#subjectPublisher(octokit, repo, { kind: "branch", headSha: at.sha, ref: at.ref }, log, options),
      log,
      registry,
      evaluate: this.#evaluate,
      subject: { kind: "branch", ref: at.ref },
    });
    this.#rememberConfig(repo, at.configSha ?? at.sha, outcome);
    // Only an evaluated repository has a record worth an owner; no configuration costs nothing more.
    const codeowners = outcome.kind === "evaluated" ? await facts.codeowners() : undefined;
    const owners = codeowners?.known ? (codeowners.value ? rootOwners(parseCodeowners(codeowners.value.content, codeowners.value.path, codeowners.value.size)) : []) : null;
    return { outcome, owners };
  }

  /**
   * Completes the subject's check run as failed with an explanation when no verdict could be
   * computed, so the required check never stays missing or in progress for good; the job that
   * gave up keeps being retried (queue, reconciliation) and a verdict replaces this in place.
   */
  async publishUnavailable(octokit: GitHubClient, target: PublishTarget, reason: string, log: Logger, ledger?: PublicationLedger): Promise<void> {
    const publisher = await this.#publisher(octokit, target, undefined, log, false, ledger);
    await publisher.publishUnavailable(unavailableOutput(reason));
  }

  /** The configuration at a commit with its repository settings (the deployment gate's environments). */
  async loadConfigAt(octokit: GitHubClient, repo: RepoRef, sha: string): Promise<ConfigLoadResult> {
    return loadConfig(createConfigReader(octokit, repo, sha, { cache: this.#configFiles }), registry);
  }

  /** The configuration at a base commit, from the cache when known, else read (and cached). */
  async configAt(octokit: GitHubClient, repo: RepoRef, baseSha: string): Promise<KnownConfig> {
    const cached = this.#configs.get(configKey(repo, baseSha));
    if (cached !== undefined) return cached;
    const loaded = await loadConfig(createConfigReader(octokit, repo, baseSha, { cache: this.#configFiles }), registry);
    const known: KnownConfig = loaded.kind === "ok" ? loaded.config : loaded.kind === "none" ? null : "invalid";
    this.#configs.set(configKey(repo, baseSha), known);
    return known;
  }

  /** Open pull requests known to have this head commit; undefined when not known. */
  knownPullsWithHead(repo: RepoRef, headSha: string): readonly KnownHeadPull[] | undefined {
    return this.#pullsByHead.get(headKey(repo, headSha));
  }

  rememberPullsWithHead(repo: RepoRef, headSha: string, pulls: readonly KnownHeadPull[]): void {
    this.#pullsByHead.set(headKey(repo, headSha), pulls);
  }

  #remember(repo: RepoRef, pull: PullRequestInfo, outcome: PipelineOutcome): void {
    this.#rememberConfig(repo, pull.baseSha, outcome);
    this.#rememberHead(repo, pull);
  }

  /** The pull request is open with this head: a CI result on it needs no listing to find it. */
  #rememberHead(repo: RepoRef, pull: PullRequestInfo): void {
    const others = (this.knownPullsWithHead(repo, pull.headSha) ?? []).filter((known) => known.number !== pull.number);
    this.rememberPullsWithHead(repo, pull.headSha, [...others, { number: pull.number, baseSha: pull.baseSha }]);
  }

  #rememberConfig(repo: RepoRef, baseSha: string, outcome: PipelineOutcome): void {
    const known: KnownConfig = outcome.kind === "evaluated" ? outcome.config : outcome.kind === "no-config" ? null : "invalid";
    this.#configs.set(configKey(repo, baseSha), known);
  }

  #factsProvider(octokit: GitHubClient, repo: RepoRef, pull: PullRequestInfo, log: Logger, installationId: number | undefined): GitHubFactsProvider {
    return new GitHubFactsProvider(octokit, repo, pull, {
      teamCache: this.#teams,
      commitCache: this.#commitFacts,
      ...(installationId !== undefined ? { installationId } : {}),
      fingerprintKey: this.settings.fingerprintKey,
      checkName: this.settings.checkName,
      ...(this.#knownSlug ? { appSlug: this.#knownSlug } : {}),
      log,
    });
  }

  async #publisher(
    octokit: GitHubClient,
    target: PublishTarget,
    view: PublicationView | undefined,
    log: Logger,
    forceCheckWrite: boolean,
    ledger: PublicationLedger | undefined,
  ): Promise<GitHubPublisher> {
    const appSlug = await this.appSlug();
    return createPublisher(octokit, target, {
      checkName: this.settings.checkName,
      ...(appSlug ? { appSlug } : {}),
      log,
      ...(view ? { view, ...(view.maxAnnotations !== undefined ? { maxAnnotations: view.maxAnnotations } : {}) } : {}),
      cache: this.#published,
      forceCheckWrite,
      ...(ledger ? { ledger } : {}),
    });
  }

  /**
   * The subject's publisher, built only when something is published (no configuration costs no
   * request), and not at all when a newer evaluation of the subject has published already.
   */
  #subjectPublisher(octokit: GitHubClient, repo: RepoRef, subject: PublishSubject, log: Logger, options: PublishOptions): Publisher {
    const { target, view } = publisherFor(repo, subject);
    const publish = async (publication: Publication): Promise<void> => {
      if (options.mayPublish && !(await options.mayPublish())) {
        log.info({}, "not published: a newer evaluation of this subject has published already");
        return;
      }
      const publisher = await this.#publisher(octokit, target, view, log, options.forceCheckWrite ?? false, options.ledger);
      await publisher.publish(publication);
    };
    return { view, publish };
  }

  /** APP_SLUG, else GET /app once per process; undefined when neither is available. */
  async appSlug(): Promise<string | undefined> {
    if (this.settings.appSlug) return this.settings.appSlug;
    if (!this.#appClient) return undefined;
    this.#slug ??= this.#appClient()
      .then((client) => client.rest.apps.getAuthenticated())
      .then((response) => {
        const slug = response.data?.slug;
        if (!slug) throw new Error("GET /app returned no slug");
        this.#knownSlug = slug;
        return slug;
      });
    // A failed lookup is retried on the next evaluation rather than cached.
    return this.#slug.catch((error: unknown) => {
      this.#slug = undefined;
      throw error;
    });
  }
}

function configKey(repo: RepoRef, sha: string): string {
  return `${repo.owner}/${repo.repo}@${sha}`.toLowerCase();
}

function headKey(repo: RepoRef, sha: string): string {
  return `${repo.owner}/${repo.repo}#${sha}`.toLowerCase();
}
