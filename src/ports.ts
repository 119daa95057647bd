/**
 * The ports the pipeline runs through: where facts come from, where verdicts go, where lines are
 * logged. The GitHub App, the CLI and tests differ only in what they plug in here.
 */
import type { ConfigError, ConfigOrigin } from "./config/types.js";
import type { Evaluation, ResolvedConfig } from "./engine/evaluate.js";
import type { FactRequest, Facts } from "./engine/types.js";

/** Gathers the requested facts, each once; returns only those it was asked for. */
export interface FactsProvider {
  gather(requests: readonly FactRequest[], soFar: Facts): Promise<Partial<Facts>>;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

/** A logger that can carry bindings (pino's child): every line of a job names the job. */
export interface BindableLogger extends Logger {
  child?(bindings: Record<string, unknown>): Logger;
}

export interface Publisher {
  /** The configuration could not be used: a failing check that lists every error. */
  publishConfigErrors(origin: ConfigOrigin, errors: readonly ConfigError[]): Promise<void>;
  publishEvaluation(evaluation: Evaluation, config: ResolvedConfig, origins: readonly ConfigOrigin[]): Promise<void>;
}
