/**
 * Evaluations off the event loop, each within a time budget. A small pool of worker threads
 * (reused) runs `evaluate`; an evaluation that runs past its budget ends with a failing verdict
 * that says so and names the rule that was running, its worker is terminated and replaced, and
 * nothing else waits on it: webhooks, other repositories and health checks go on in the main
 * thread. The engine stays pure; this module is wiring.
 */
import { Worker } from "node:worker_threads";
import { interruptedEvaluation } from "../engine/evaluate.js";
import type { Evaluation, Registry, ResolvedConfig } from "../engine/evaluate.js";
import type { Facts } from "../engine/types.js";
import type { Logger } from "../pipeline.js";
import type { EvaluationRequest, WorkerMessage } from "./protocol.js";

export const DEFAULT_EVALUATION_BUDGET_MS = 20_000;
export const DEFAULT_POOL_SIZE = 2;
/** Heap of one worker: an evaluation that needs more is ended like one that runs too long. */
const WORKER_HEAP_MB = 1024;

/** READINESS_EVALUATION_BUDGET_MS, a positive whole number of milliseconds; else the default. */
export function budgetFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.READINESS_EVALUATION_BUDGET_MS?.trim();
  const value = raw ? Number(raw) : NaN;
  return Number.isSafeInteger(value) && value > 0 ? value : DEFAULT_EVALUATION_BUDGET_MS;
}

/** Running from TypeScript sources (tests, tsx, dev dependencies installed): workers load them through tsx too. */
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const EXTENSION = FROM_SOURCE ? "ts" : "js";
const THREAD = new URL(`./thread.${EXTENSION}`, import.meta.url);
/** The rules the app runs (rules/index), as the worker imports them. */
export const DEFAULT_REGISTRY_MODULE = new URL(`../../rules/index.${EXTENSION}`, import.meta.url);

export interface EvaluationPoolOptions {
  readonly size?: number;
  readonly budgetMs?: number;
  /** A module exporting `registry`: the worker imports it; it must hold the rules the caller passes. */
  readonly registryModule?: URL;
  readonly log?: Pick<Logger, "warn">;
}

interface Job {
  readonly id: number;
  readonly config: ResolvedConfig;
  readonly facts: Facts;
  readonly registry: Registry;
  readonly resolve: (evaluation: Evaluation) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | undefined;
  runningRule: string | undefined;
  timer: NodeJS.Timeout | undefined;
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

export class EvaluationPool {
  readonly budgetMs: number;
  readonly #size: number;
  readonly #registryModule: URL;
  readonly #log: Pick<Logger, "warn"> | undefined;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  readonly #readyWaiters: (() => void)[] = [];
  #nextId = 0;
  #closed = false;

  constructor(options: EvaluationPoolOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_EVALUATION_BUDGET_MS;
    this.#size = Math.max(1, options.size ?? DEFAULT_POOL_SIZE);
    this.#registryModule = options.registryModule ?? DEFAULT_REGISTRY_MODULE;
    this.#log = options.log;
  }

  /** The pipeline's evaluate step (see EvaluateStep); `registry` describes rules on a timeout. */
  readonly evaluate = (config: ResolvedConfig, facts: Facts, registry: Registry): Promise<Evaluation> => {
    if (this.#closed) return Promise.reject(new Error("the evaluation pool is closed"));
    return new Promise<Evaluation>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, config, facts, registry, resolve, reject });
      this.#fill();
      this.#dispatch();
    });
  };

  /** Starts every worker; resolves once all of them can take an evaluation. */
  ready(): Promise<void> {
    this.#fill();
    if (this.#slots.every((slot) => slot.ready)) return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  #fill(): void {
    while (this.#slots.length < this.#size) this.#slots.push(this.#spawn());
  }

  /** Ends every worker; queued and running evaluations are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error("the evaluation pool is closed"));
    const slots = this.#slots.splice(0);
    for (const slot of slots) {
      clearTimeout(slot.timer);
      slot.job?.reject(new Error("the evaluation pool is closed"));
      slot.job = undefined;
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  #spawn(): Slot {
    const options = { workerData: { registryModule: this.#registryModule.href }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } };
    // From sources, tsx's loader is registered inside the worker before the thread module loads
    // (`execArgv: ["--import", "tsx"]` does not reach a worker's entry module on Node 20).
    const worker = FROM_SOURCE
      ? new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD.href)}); });`, { ...options, eval: true })
      : new Worker(THREAD, options);
    // An idle pool never keeps the process alive; a running evaluation's timer does.
    worker.unref();
    const slot: Slot = { worker, ready: false, job: undefined, runningRule: undefined, timer: undefined };
    worker.on("message", (message: WorkerMessage) => this.#onMessage(slot, message));
    worker.on("error", (error) => this.#onWorkerLost(slot, `its worker failed (${error.name})`));
    worker.on("exit", (code) => this.#onWorkerLost(slot, `its worker exited (code ${code})`));
    return slot;
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (!slot.ready || slot.job) continue;
      const job = this.#queue.shift();
      if (!job) return;
      slot.job = job;
      slot.runningRule = undefined;
      slot.timer = setTimeout(() => this.#onTimeout(slot), this.budgetMs);
      let request: EvaluationRequest;
      try {
        request = { id: job.id, config: job.config, facts: job.facts };
        slot.worker.postMessage(request);
      } catch (error) {
        // Facts that cannot be cloned are a bug in a facts provider: say so rather than hang.
        this.#finish(slot);
        job.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  #onMessage(slot: Slot, message: WorkerMessage): void {
    if (message.kind === "ready") {
      slot.ready = true;
      if (this.#slots.every((s) => s.ready)) for (const resolve of this.#readyWaiters.splice(0)) resolve();
      this.#dispatch();
      return;
    }
    const job = slot.job;
    if (!job || message.id !== job.id) return;
    if (message.kind === "running") {
      slot.runningRule = message.rule;
      return;
    }
    this.#finish(slot);
    if (message.kind === "done") job.resolve(message.evaluation);
    else job.resolve(interruptedEvaluation(job.config, job.registry, `the evaluation failed with ${message.errorName}`, slot.runningRule, job.facts.subject.kind));
    this.#dispatch();
  }

  #finish(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
  }

  #onTimeout(slot: Slot): void {
    const job = slot.job;
    if (!job) return;
    const running = slot.runningRule;
    const reason = `evaluation exceeded its budget of ${seconds(this.budgetMs)}`;
    this.#log?.warn({ budgetMs: this.budgetMs, rule: running }, "evaluation exceeded its budget; its worker is replaced");
    this.#finish(slot);
    this.#replace(slot);
    job.resolve(interruptedEvaluation(job.config, job.registry, reason, running, job.facts.subject.kind));
  }

  #onWorkerLost(slot: Slot, why: string): void {
    if (!this.#slots.includes(slot)) return;
    const job = slot.job;
    const running = slot.runningRule;
    this.#finish(slot);
    if (!slot.ready && !job) {
      // It never started (a broken installation): evaluations cannot run here at all.
      this.#slots.splice(this.#slots.indexOf(slot), 1);
      this.#log?.warn({ why }, "an evaluation worker could not start");
      if (this.#slots.every((s) => !s.ready)) for (const queued of this.#queue.splice(0)) queued.reject(new Error(`evaluation worker could not start: ${why}`));
      return;
    }
    this.#replace(slot);
    if (job) job.resolve(interruptedEvaluation(job.config, job.registry, `the evaluation ended early: ${why}`, running, job.facts.subject.kind));
  }

  /** Swaps a fresh worker in for this slot's, which is terminated. */
  #replace(slot: Slot): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    void slot.worker.terminate();
    const fresh = this.#spawn();
    this.#slots[index] = fresh;
  }
}
