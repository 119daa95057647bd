/**
 * The rooms of the house (../shared/design/architecture.md, "Rooms"), checked in `npm test`.
 * Where today's code does not yet match the table, the rule says so (severity "warn" with the
 * reason) rather than pretending; everything else is an error.
 */
const PURE_ROOMS = "^(src/(engine|render|codeowners|secrets|config)/|rules/)";
const IO_CORE_MODULES =
  "^(node:)?(fs|fs/promises|net|http|https|http2|child_process|worker_threads|cluster|dgram|dns|tls|readline|inspector)$";
const SERVICE_ROOMS = "^src/(github|local|jobs|state|handlers|cli|web|ops)/|^src/(pipeline|server|index|cli)\\.ts$";

module.exports = {
  forbidden: [
    {
      name: "pure-rooms-no-io",
      comment:
        "engine, rules, render, codeowners, secrets and config do no I/O: no file system, network, processes or threads (the clock and the disk are facts).",
      severity: "error",
      from: { path: PURE_ROOMS },
      to: { dependencyTypes: ["core"], path: IO_CORE_MODULES },
    },
    {
      name: "pure-rooms-no-github-or-services",
      comment:
        "engine, rules, render, codeowners, secrets and config import no probot, octokit, pino, database or queue client, and nothing of the service rooms.",
      severity: "error",
      from: { path: PURE_ROOMS },
      to: {
        path: [
          SERVICE_ROOMS,
          // resolved (node_modules/...) and, where not installed, as written
          "(^|/)node_modules/(probot|@probot/|@octokit/|pino|kysely|pg|better-sqlite3|bullmq|ioredis)",
          "^(probot|@probot/|@octokit/|pino|kysely|pg|better-sqlite3|bullmq|ioredis)",
        ],
      },
    },
    {
      name: "engine-is-the-core",
      comment: "src/engine depends on no other room (rules, config, render and the domain libraries build on it).",
      severity: "error",
      from: { path: "^src/engine/" },
      to: { path: "^(src/(?!engine/)|rules/)" },
    },
    {
      name: "domain-libraries-stand-alone",
      comment: "src/codeowners and src/secrets use engine types only, never rules, render or config.",
      severity: "error",
      from: { path: "^src/(codeowners|secrets)/" },
      to: { path: "^(rules/|src/(render|config)/)" },
    },
    {
      name: "state-imports-only-its-drivers-and-engine-types",
      comment:
        "src/state holds the records and nothing else: kysely, pg, better-sqlite3, node:path and engine types; no other room, no GitHub.",
      severity: "error",
      from: { path: "^src/state/" },
      to: {
        pathNot: [
          "^src/state/",
          "^src/engine/types\\.ts$",
          "(^|/)node_modules/(kysely|pg|pg-[a-z-]+|better-sqlite3|@types/(pg|better-sqlite3))/",
          "^(node:)?path$",
        ],
      },
    },
    {
      name: "local-is-not-github",
      comment: "src/local (git facts for the CLI) neither talks to GitHub nor reaches the service rooms.",
      severity: "error",
      from: { path: "^src/local/" },
      to: {
        path: [
          "^src/(github|handlers|jobs|state|web)/",
          "(^|/)node_modules/(probot|@probot/|@octokit/)",
        ],
      },
    },
    {
      name: "github-is-not-the-service-wiring",
      comment: "src/github reads and writes GitHub; it never reaches up into handlers, the CLI or local git.",
      severity: "error",
      from: { path: "^src/github/" },
      to: { path: "^src/(handlers|cli|local|web)/|^src/(cli|server|index)\\.ts$" },
    },
    {
      name: "github-publishes-rendered-output",
      comment:
        "src/github writes what the pipeline's render step produced (src/ports.ts names its shape); it never renders, so it imports nothing of src/render.",
      severity: "error",
      from: { path: "^src/github/" },
      to: { path: "^src/render/" },
    },
    {
      name: "nothing-imports-the-entry-points",
      comment: "src/index.ts, src/server.ts and src/cli.ts wire everything; nothing imports them back.",
      severity: "error",
      from: { pathNot: "^(src/(index|server|cli)\\.ts|test/)" },
      to: { path: "^src/(index|server|cli)\\.ts$" },
    },
    {
      name: "handlers-only-enqueue",
      comment:
        "handlers decide from the payload and enqueue: they import src/jobs, engine and config types and their own modules, " +
        "never GitHub, the state store or the evaluator (the runner resolves whatever takes a read, src/jobs/resolve.ts).",
      severity: "error",
      from: { path: "^src/handlers/" },
      to: {
        pathNot: ["^src/handlers/", "^src/jobs/", "^src/engine/types\\.ts$", "^src/config/types\\.ts$", "(^|/)node_modules/zod/", "^zod$"],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "handlers-validate-payloads-in-one-place",
      comment: "the payload schemas live in src/handlers/payloads.ts; no other handler needs zod.",
      severity: "error",
      from: { path: "^src/handlers/(?!payloads\\.ts$)" },
      to: { path: ["(^|/)node_modules/zod/", "^zod$"] },
    },
    {
      name: "ops-stands-alone",
      comment:
        "src/ops (metrics, probes, the webhook edge) is reached through small ports: it imports the port types of src/ports.ts and its own modules, never the rooms it observes.",
      severity: "error",
      from: { path: "^src/ops/" },
      to: { path: "^(src/(?!ops/|ports\\.ts$)|rules/)" },
    },
    {
      name: "no-circular",
      comment: "Rooms form layers; a cycle means two rooms each think they are below the other.",
      severity: "error",
      from: { path: "^(src|rules)/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
