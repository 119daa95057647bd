export * from "./parse.js";
export * from "./pattern.js";
export * from "./match.js";
export * from "./select.js";
export * from "./root.js";
