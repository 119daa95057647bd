/** What a resolved configuration actually enforces, for the warning `validate` and `check` print. */
import type { ResolvedConfig } from "../engine/evaluate.js";

/**
 * A sentence when the configuration blocks no pull request: no rule enabled, or every enabled
 * rule above the required level (advisory). Null when some rule can block.
 */
export function enforcesNothing(config: ResolvedConfig, shown: string): string | null {
  if (config.rules.length === 0) {
    return `warning: ${shown} enforces nothing: no rule is enabled, so every pull request passes. Enable rules under \`rules:\` (see docs/configuration.md), e.g. \`rules: { tests: bronze }\`.`;
  }
  const requiredIndex = config.levels.indexOf(config.required);
  if (config.rules.every((rule) => config.levels.indexOf(rule.level) > requiredIndex)) {
    return `warning: ${shown} blocks nothing: every enabled rule is above the required level ${config.required}, so all of them are advisory. Lower a rule's level or raise \`level:\`.`;
  }
  return null;
}
