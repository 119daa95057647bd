// Prints "N passed, N failed" after a run (and writes it to $JEST_SUMMARY_FILE for .ci/run),
// so a run that executed no test is visible.
const { writeFileSync } = require("node:fs");

class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    // A suite that fails to load runs no test; count it as a failure so it cannot hide.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed`;
    process.stdout.write(`\n${line}\n`);
    if (process.env.JEST_SUMMARY_FILE) writeFileSync(process.env.JEST_SUMMARY_FILE, `${line}\n`);
  }
}
module.exports = SummaryLineReporter;
