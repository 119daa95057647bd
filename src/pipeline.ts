/**
 * The one pipeline, for one subject: load configuration (base branch) → gather facts → evaluate →
 * render → publish (the job runner records the outcome). The only place that sequences I/O and evaluation; the GitHub App
 * and the CLI differ only in the ports they pass.
 */
import type { ConfigFileReader, ConfigLoadResult, ConfigOrigin, ConfigError, RepositorySettings } from "./config/types.js";
import { loadConfig } from "./config/load.js";
import type { ConfigPreview } from "./config/diff.js";
import { evaluate, onDate, planFacts, planFollowUp, requestKey } from "./engine/evaluate.js";
import type { Evaluation, Registry, ResolvedConfig } from "./engine/evaluate.js";
import { makeFacts, mergeFacts } from "./engine/facts.js";
import type { FactRequest, Facts, JudgedSubject } from "./engine/types.js";
import type { FactsProvider, Logger, PhaseTimer, Publication, PublicationView, Publisher } from "./ports.js";
import { renderPublication } from "./render/publication.js";
import type { Judged } from "./render/publication.js";
import { registry as defaultRegistry } from "../rules/index.js";

export type { FactsProvider, Logger, Publication, PublicationView, Publisher } from "./ports.js";

export interface GatherResult {
  readonly facts: Facts;
  /** Every fact request made, in the order the rounds made them (for counting and tests). */
  readonly requests: readonly FactRequest[];
}

/**
 * Plans the facts the enabled rules that apply to the subject need, gathers them in at most two
 * rounds. The snapshot names the subject (default: a change).
 */
export async function gatherFacts(config: ResolvedConfig, provider: FactsProvider, registry: Registry = defaultRegistry, subject: JudgedSubject = { kind: "pull" }): Promise<GatherResult> {
  const first = planFacts(config, registry, subject.kind);
  const empty = makeFacts({ subject });
  let facts = mergeFacts(empty, { ...(await provider.gather(first, empty)), subject });
  const second = planFollowUp(config, registry, facts, first);
  if (second.length > 0) facts = mergeFacts(facts, await provider.gather(second, facts));
  return { facts, requests: [...first, ...second] };
}

export type PipelineOutcome =
  | { readonly kind: "no-config"; readonly looked: readonly string[] }
  | { readonly kind: "invalid-config"; readonly origin: ConfigOrigin; readonly errors: readonly ConfigError[] }
  | {
      readonly kind: "evaluated";
      readonly evaluation: Evaluation;
      /** As in force on the evaluation's day (a dated target resolved). */
      readonly config: ResolvedConfig;
      readonly origins: readonly ConfigOrigin[];
      readonly requests: readonly string[];
      /** Alerts and the deployment gate, as configured. */
      readonly settings: RepositorySettings;
      /** The pull request changes the configuration: what the proposed one would change. */
      readonly preview?: ConfigPreview;
    };

/**
 * The evaluate step: `evaluate` in this thread by default; the app passes a worker pool
 * (src/engine-worker) that runs it off the event loop within a time budget.
 */
export type EvaluateStep = (config: ResolvedConfig, facts: Facts, registry: Registry) => Evaluation | Promise<Evaluation>;

/** The render step: pure; what the publisher writes, for the view of the publisher's subject. */
export type RenderStep = (judged: Judged, view: PublicationView) => Publication;

export interface PipelinePorts {
  readonly configReader: ConfigFileReader;
  readonly facts: FactsProvider;
  /** Without one, nothing is rendered or published (the CLI renders its own formats). */
  readonly publisher?: Publisher;
  readonly render?: RenderStep;
  readonly log?: Logger;
  readonly registry?: Registry;
  readonly evaluate?: EvaluateStep;
  /** The clock, read once per run: which dated targets are in force. Default: the system clock. */
  readonly now?: () => Date;
  /** Times each phase (config, facts, evaluate, publish); untimed without one. */
  readonly timePhase?: PhaseTimer;
  /** What is judged; absent: a change (a pull request or a merge group). */
  readonly subject?: JudgedSubject;
  /**
   * A pull request that changes its own configuration: the preview of the proposed one, made after
   * the base verdict (which it never changes) and published with it. Absent or undefined: none.
   */
  readonly preview?: (base: PreviewBase) => Promise<ConfigPreview | undefined>;
}

/** What a preview compares the proposed configuration with: the verdict under the one in force. */
export interface PreviewBase {
  readonly config: ResolvedConfig;
  readonly evaluation: Evaluation;
  readonly facts: Facts;
  /** The evaluation's clock reading (ISO): dated targets of the proposal are resolved on it. */
  readonly now: string;
}

const untimed: PhaseTimer = (_phase, work) => work();

export async function runPipeline(ports: PipelinePorts): Promise<PipelineOutcome> {
  const registry = ports.registry ?? defaultRegistry;
  const time = ports.timePhase ?? untimed;
  const loaded: ConfigLoadResult = await time("config", () => loadConfig(ports.configReader, registry));
  if (loaded.kind === "none") {
    ports.log?.info({ looked: loaded.looked }, "no readiness configuration; nothing to check");
    return { kind: "no-config", looked: loaded.looked };
  }
  if (loaded.kind === "invalid") {
    ports.log?.warn({ file: loaded.origin.path, errors: loaded.errors.length }, "invalid readiness configuration");
    await time("publish", () => publish(ports, { kind: "invalid-config", origin: loaded.origin, errors: loaded.errors }));
    return { kind: "invalid-config", origin: loaded.origin, errors: loaded.errors };
  }
  const now = (ports.now?.() ?? new Date()).toISOString();
  const config = onDate(loaded.config, now);
  const { facts, requests } = await time("facts", () => gatherFacts(config, ports.facts, registry, ports.subject));
  const evaluation = await time("evaluate", async () => (ports.evaluate ?? evaluate)(config, facts, registry));
  if (evaluation.interrupted) ports.log?.warn({ interrupted: evaluation.interrupted }, "evaluation interrupted");
  ports.log?.info({ conclusion: evaluation.conclusion, reached: evaluation.level.reached, required: evaluation.level.required }, "evaluated");
  const preview = ports.preview ? await ports.preview({ config, evaluation, facts, now }) : undefined;
  await time("publish", () => publish(ports, { kind: "evaluated", evaluation, config, origins: loaded.origins, ...(preview ? { preview } : {}) }));
  return { kind: "evaluated", evaluation, config, origins: loaded.origins, requests: requests.map(requestKey), settings: loaded.settings, ...(preview ? { preview } : {}) };
}

/** render → publish: rendered once, for the publisher's view; written by the publisher as given. */
async function publish(ports: PipelinePorts, judged: Judged): Promise<void> {
  if (!ports.publisher) return;
  const publication = (ports.render ?? renderPublication)(judged, ports.publisher.view);
  await ports.publisher.publish(publication);
}
