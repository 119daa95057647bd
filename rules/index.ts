import type { AnyRule } from "../src/engine/rule.js";
import type { Registry } from "../src/engine/evaluate.js";
import codeowners from "./codeowners.js";
import docs from "./docs.js";
import reviews from "./reviews.js";
import secrets from "./secrets.js";
import tests from "./tests.js";

/** Every rule the bot ships, keyed by id (= file name = YAML key). */
export const allRules: readonly AnyRule[] = [reviews, codeowners, tests, docs, secrets] as AnyRule[];

export const registry: Registry = new Map(allRules.map((rule) => [rule.id, rule]));
