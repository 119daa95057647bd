export { createLocalConfigReader } from "./config-reader.js";
export type { LocalConfigOptions } from "./config-reader.js";
export { LocalFactsProvider, resolveLocalRefs, authorOf, GITHUB_ONLY_FACTS, GITHUB_ONLY_REASON, FINGERPRINT_KEY_VARIABLE } from "./facts.js";
export type { LocalFactsOptions, LocalPullOptions, LocalRefs } from "./facts.js";
export { GitError, UnknownRefError, defaultBaseRef, refNames } from "./git.js";
