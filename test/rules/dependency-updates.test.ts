import dependencyUpdates from "../../rules/dependency-updates.js";
import { contentKey, known, unknownFact } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";
import { ruleTester } from "../helpers/rule-tester.js";

const repo = (paths: string[], files: Record<string, string> = {}): Partial<Facts> => ({
  trees: { head: known([...paths, ...Object.keys(files)]) },
  contents: new Map(Object.entries(files).map(([path, text]) => [contentKey("head", path), known<string | null>(text)])),
});

const MANIFESTS = ["package.json", "package-lock.json", "services/worker/go.mod", "Dockerfile", ".github/workflows/ci.yml", "test/fixtures/app/package.json"];

const DEPENDABOT = `version: 2
updates:
  - package-ecosystem: npm
    directory: /
    schedule: { interval: weekly }
  - package-ecosystem: gomod
    directory: /services/worker
    schedule: { interval: weekly }
  - package-ecosystem: docker
    directory: "/"
    schedule: { interval: weekly }
  - package-ecosystem: github-actions
    directory: /
    schedule: { interval: weekly }
`;

ruleTester(dependencyUpdates, {
  valid: [
    { name: "Dependabot covers every ecosystem and directory (fixtures are ignored)", facts: repo(MANIFESTS, { ".github/dependabot.yml": DEPENDABOT }) },
    { name: "Renovate finds the managers itself", facts: repo(MANIFESTS, { "renovate.json": '{ "extends": ["config:recommended"] }' }) },
    { name: "Renovate's JSON5 file counts", facts: repo(MANIFESTS, { ".github/renovate.json5": "{ extends: ['config:recommended'] }" }) },
    {
      name: "directories given as a glob",
      facts: repo(["services/a/package.json", "services/b/package.json"], {
        ".github/dependabot.yaml": "version: 2\nupdates:\n  - package-ecosystem: npm\n    directories: ['/services/*']\n    schedule: { interval: daily }\n",
      }),
    },
  ],
  invalid: [
    {
      name: "nothing configured",
      facts: repo(MANIFESTS),
      findings: [{ message: "no dependency updates are configured: add .github/dependabot.yml or a Renovate configuration (renovate.json) covering npm, gomod, docker, github-actions" }],
    },
    {
      name: "an ecosystem and a directory left out",
      facts: repo([...MANIFESTS, "web/package.json"], {
        ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: { interval: weekly }\n  - package-ecosystem: github-actions\n    directory: /\n  - package-ecosystem: docker\n    directory: /\n",
      }),
      findings: [
        { message: ".github/dependabot.yml does not cover the npm manifests in /web: add an updates: entry with package-ecosystem: npm and directory: /web", path: ".github/dependabot.yml" },
        { message: "does not cover the gomod manifests in /services/worker" },
      ],
    },
    {
      name: "Renovate turned off and no Dependabot",
      facts: repo(MANIFESTS, { "renovate.json": '{ "enabled": false }' }),
      findings: [{ message: "renovate.json turns Renovate off" }],
    },
    {
      name: "a Dependabot file that is not YAML",
      facts: repo(MANIFESTS, { ".github/dependabot.yml": "version: 2\nupdates: [\n" }),
      findings: [{ message: ".github/dependabot.yml is not valid YAML" }],
    },
  ],
  unknown: [
    { name: "the tree is unknown", facts: { trees: { head: unknownFact("truncated") } }, reason: "cannot list the repository's files: truncated" },
    {
      name: "the Dependabot file cannot be read",
      facts: { trees: { head: known([".github/dependabot.yml", "package.json"]) }, contents: new Map([[contentKey("head", ".github/dependabot.yml"), unknownFact("GitHub answered 500")]]) },
      reason: "cannot read .github/dependabot.yml: GitHub answered 500",
    },
  ],
});
