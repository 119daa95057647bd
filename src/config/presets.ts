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
  service: `# readiness:service: a deployed service (an API, a worker): owned, operable, observable.
# bronze: the basics every repository needs. silver: what on-call needs to run it.
# gold: the whole readiness review. Paths default to the common layouts (see docs/rules.md).
level: silver
rules:
  secrets: bronze
  reviews:
    level: bronze
    approvals: 1
  tests: bronze
  codeowners:
    level: bronze
    coverage: true
  security-policy: bronze
  lockfile: bronze
  no-binaries: bronze
  service-descriptor: silver
  on-call: silver
  runbook: silver
  monitoring: silver
  rollback-plan: silver
  migrations: silver
  workflow-permissions: silver
  dependency-updates: silver
  slo: gold
  health-probes: gold
  pinned-actions: gold
  vulnerabilities: gold
  coverage: gold
`,
  library: `# readiness:library: a package others depend on: reviewed, tested, documented, safe to upgrade.
# No service checks (descriptor, on-call, runbook, probes): a library is not deployed on its own.
level: silver
rules:
  secrets: bronze
  reviews:
    level: bronze
    approvals: 1
  tests: bronze
  security-policy: bronze
  lockfile: bronze
  no-binaries: bronze
  codeowners:
    level: silver
    coverage: true
  docs:
    level: silver
    when: ["src/**", "lib/**", "pkg/**", "internal/**"]
    require: ["CHANGELOG.md", "CHANGES.md", "HISTORY.md", "changelog.d/**", ".changeset/*.md", "docs/**", "README.md"]
  dependency-updates: silver
  workflow-permissions: silver
  pinned-actions: gold
  vulnerabilities: gold
  coverage: gold
  pr-size: gold
`,
  infrastructure: `# readiness:infrastructure: infrastructure as code (Terraform, Helm, Kubernetes manifests), applied with
# powerful credentials: every change owned, reviewed, reversible, and CI that cannot be hijacked.
level: silver
rules:
  secrets: bronze
  reviews:
    level: bronze
    approvals: 1
  codeowners:
    level: bronze
    coverage: true
  security-policy: bronze
  no-binaries: bronze
  workflow-permissions: silver
  pinned-actions: silver
  rollback-plan: silver
  dependency-updates: silver
  changed-together:
    level: silver
    pairs:
      - when: "charts/*/templates/**"
        require: "charts/*/Chart.yaml"
        message: "bump the chart's version in its Chart.yaml"
  health-probes: gold
  vulnerabilities: gold
  pr-size: gold
`,
};
