/** Jest runs the TypeScript sources as ESM (Probot 14 is ESM-only). */
export default {
  preset: "ts-jest/presets/default-esm",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }],
  },
  testTimeout: 30000,
  // One worker per core, not Jest's default of one fewer: on a 2-core machine that default is one
  // worker, and the suites that mostly wait on a server process (test/fault, test/e2e, the pack
  // install) would hold the whole run while a core stays idle.
  maxWorkers: "100%",
  reporters: ["default", "<rootDir>/test/summary-reporter.cjs"],
};
