export * from "./types.js";
export * from "./rule.js";
export * from "./evaluate.js";
export * from "./facts.js";
export * from "./globs.js";
