/**
 * Presets shipped with the bot, named `readiness:<name>` in `extends`. They are configuration
 * text like any other file, so they are validated by the same code.
 */
export const PRESETS: Readonly<Record<string, string>> = {
  recommended: `# readiness:recommended: a sensible gate for most services.
level: silver
rules:
  secrets: bronze
  reviews:
    level: bronze
    approvals: 1
  tests: bronze
  codeowners:
    level: silver
    coverage: true
  docs: silver
  pinned-actions: silver
  rollback-plan: silver
  pr-size: gold
`,
  strict: `# readiness:strict: for services on call around the clock.
extends: readiness:recommended
level: gold
rules:
  reviews:
    level: bronze
    approvals: 2
    stale: dismiss
  codeowners:
    level: silver
    coverage: true
    approval: true
  docs:
    level: gold
    pr-body:
      sections: ["## Testing"]
  pr-size: silver
  runbook: gold
`,
};
