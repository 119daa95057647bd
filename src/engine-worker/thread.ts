/**
 * One evaluation worker: imports the rule registry named in workerData, says "ready", then
 * evaluates each { id, config, facts } it is sent. Before each rule it says which rule runs, so
 * a pool that ends a runaway evaluation can name the rule.
 */
import { parentPort, workerData } from "node:worker_threads";
import { evaluate, type Registry } from "../engine/evaluate.js";
import type { AnyRule } from "../engine/rule.js";
import type { EvaluationRequest, WorkerMessage } from "./protocol.js";

const port = parentPort;
if (!port) throw new Error("the evaluation worker runs only as a worker thread");

const { registryModule } = workerData as { registryModule: string };
const { registry } = (await import(registryModule)) as { registry: Registry };

let current = -1;
const say = (message: WorkerMessage) => port.postMessage(message);

/** The same rules, announcing themselves before they evaluate. */
const watched: Registry = new Map(
  [...registry].map(([id, rule]): [string, AnyRule] => [
    id,
    {
      ...rule,
      evaluate(facts, options) {
        say({ kind: "running", id: current, rule: id });
        return rule.evaluate(facts, options);
      },
    },
  ]),
);

port.on("message", (request: EvaluationRequest) => {
  current = request.id;
  try {
    say({ kind: "done", id: request.id, evaluation: evaluate(request.config, request.facts, watched) });
  } catch (error) {
    // Only the kind: the message may quote what a rule was reading.
    say({ kind: "failed", id: request.id, errorName: error instanceof Error ? error.name : typeof error });
  }
});

say({ kind: "ready" });
