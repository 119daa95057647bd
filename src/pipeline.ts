/**
 * The one pipeline, for one pull request: load configuration (base branch) → gather facts →
 * evaluate → render → publish. The only place that sequences I/O and evaluation; the GitHub App
 * and the CLI differ only in the ports they pass.
 */
import type { ConfigFileReader, ConfigLoadResult, ConfigOrigin, ConfigError } from "./config/types.js";
import { loadConfig } from "./config/load.js";
import { evaluate, planFacts, planFollowUp, requestKey } from "./engine/evaluate.js";
import type { Evaluation, Registry, ResolvedConfig } from "./engine/evaluate.js";
import { makeFacts, mergeFacts } from "./engine/facts.js";
import type { FactRequest, Facts } from "./engine/types.js";
import type { FactsProvider, Logger, Publisher } from "./ports.js";
import { registry as defaultRegistry } from "../rules/index.js";

export type { FactsProvider, Logger, Publisher } from "./ports.js";

export interface GatherResult {
  readonly facts: Facts;
  /** Every fact request made, in the order the rounds made them (for counting and tests). */
  readonly requests: readonly FactRequest[];
}

/** Plans the facts the enabled rules need, gathers them in at most two rounds. */
export async function gatherFacts(config: ResolvedConfig, provider: FactsProvider, registry: Registry = defaultRegistry): Promise<GatherResult> {
  const first = planFacts(config, registry);
  let facts = mergeFacts(makeFacts(), await provider.gather(first, makeFacts()));
  const second = planFollowUp(config, registry, facts, first);
  if (second.length > 0) facts = mergeFacts(facts, await provider.gather(second, facts));
  return { facts, requests: [...first, ...second] };
}

export type PipelineOutcome =
  | { readonly kind: "no-config"; readonly looked: readonly string[] }
  | { readonly kind: "invalid-config"; readonly origin: ConfigOrigin; readonly errors: readonly ConfigError[] }
  | { readonly kind: "evaluated"; readonly evaluation: Evaluation; readonly config: ResolvedConfig; readonly origins: readonly ConfigOrigin[]; readonly requests: readonly string[] };

export interface PipelinePorts {
  readonly configReader: ConfigFileReader;
  readonly facts: FactsProvider;
  readonly publisher?: Publisher;
  readonly log?: Logger;
  readonly registry?: Registry;
}

export async function runPipeline(ports: PipelinePorts): Promise<PipelineOutcome> {
  const registry = ports.registry ?? defaultRegistry;
  const loaded: ConfigLoadResult = await loadConfig(ports.configReader, registry);
  if (loaded.kind === "none") {
    ports.log?.info({ looked: loaded.looked }, "no readiness configuration; nothing to check");
    return { kind: "no-config", looked: loaded.looked };
  }
  if (loaded.kind === "invalid") {
    ports.log?.warn({ file: loaded.origin.path, errors: loaded.errors.length }, "invalid readiness configuration");
    await ports.publisher?.publishConfigErrors(loaded.origin, loaded.errors);
    return { kind: "invalid-config", origin: loaded.origin, errors: loaded.errors };
  }
  const { facts, requests } = await gatherFacts(loaded.config, ports.facts, registry);
  const evaluation = evaluate(loaded.config, facts, registry);
  ports.log?.info({ conclusion: evaluation.conclusion, reached: evaluation.level.reached, required: evaluation.level.required }, "evaluated");
  await ports.publisher?.publishEvaluation(evaluation, loaded.config, loaded.origins);
  return { kind: "evaluated", evaluation, config: loaded.config, origins: loaded.origins, requests: requests.map(requestKey) };
}
