/**
 * The action's entry point (bundled into action/dist/index.js by action/build.mjs): runs the
 * action in this process and sets the exit code. An unexpected error is reported as an error
 * annotation and fails the step; its stack only with RUNNER_DEBUG (the runner's debug logging).
 */
import { escapeData } from "./commands.js";
import { processActionIO, runAction } from "./main.js";

runAction(processActionIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stdout.write(`::error title=readiness::${escapeData(`internal error: ${message}. Please report it.`)}\n`);
    if (process.env.RUNNER_DEBUG === "1" && error instanceof Error && error.stack) process.stdout.write(`${error.stack}\n`);
    process.exitCode = 1;
  },
);
