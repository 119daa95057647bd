/**
 * A seeded organisation of repositories with daily branch records, for the dashboard's tests,
 * its browser test and bench/dashboard: deterministic (one seed, one store), with every area,
 * level, owner and visibility represented, and levels that drift from day to day.
 */
import type { EvaluationRecord, RecordedRule, StateStore, StoredEvaluation } from "../../src/state/types.js";
import { prng } from "./prng.js";

export const SEEDED_OWNER = "acme";
export const SEEDED_INSTALLATION = 7;
export const SEEDED_LEVELS = ["bronze", "silver", "gold"] as const;

const RULES: readonly { id: string; area: string; level: string; fix: string; finding: (n: number) => { message: string; path?: string; line?: number } }[] = [
  { id: "secrets", area: "security", level: "bronze", fix: "Remove the secret, rotate it, and keep it in the secret store.", finding: (n) => ({ message: "A token-like value is committed.", path: `config/settings-${n}.yml`, line: 3 + n }) },
  { id: "codeowners", area: "ownership", level: "bronze", fix: "Add an owner for the uncovered paths to CODEOWNERS.", finding: (n) => ({ message: "No CODEOWNERS entry covers this path.", path: `src/module-${n}/` }) },
  { id: "readme", area: "documentation", level: "bronze", fix: "Add a README.md that says what the service does and how to run it.", finding: () => ({ message: "README.md is missing.", path: "README.md" }) },
  { id: "tests", area: "testing", level: "bronze", fix: "Add a test suite and run it in CI.", finding: () => ({ message: "No test files found." }) },
  { id: "pinned-actions", area: "security", level: "silver", fix: "Pin each action to a full commit SHA.", finding: (n) => ({ message: "actions/checkout@v4 is not pinned to a commit.", path: ".github/workflows/ci.yml", line: 10 + n }) },
  { id: "runbook", area: "incident", level: "silver", fix: "Write docs/runbook.md with on-call steps and keep it current.", finding: () => ({ message: "The runbook was last changed more than 180 days ago.", path: "docs/runbook.md" }) },
  { id: "health-endpoint", area: "observability", level: "silver", fix: "Expose /healthz and declare it in the service manifest.", finding: () => ({ message: "No health endpoint declared." }) },
  { id: "backups", area: "reliability", level: "silver", fix: "Declare the backup policy of every data store.", finding: () => ({ message: "The database has no backup policy." }) },
  { id: "alerts", area: "observability", level: "gold", fix: "Route alerts to the owning team's on-call.", finding: () => ({ message: "No alert routing for the service." }) },
  { id: "slo", area: "reliability", level: "gold", fix: "Define an SLO with an error budget.", finding: () => ({ message: "No SLO is defined." }) },
  { id: "docs", area: "documentation", level: "gold", fix: "Document the service's API in docs/.", finding: () => ({ message: "docs/ has no API reference." }) },
];

const OWNERS = ["@acme/sre", "@acme/payments", "@acme/platform", "@acme/web", "@acme-lead"];
const DAY_MS = 86_400_000;

export interface SeedOptions {
  readonly repositories: number;
  readonly days: number;
  /** The last day seeded is the day of `now`. */
  readonly now: Date;
  readonly seed?: number;
}

export function seededRepositoryName(index: number): string {
  return `service-${String(index + 1).padStart(3, "0")}`;
}

/** Every fifth repository is private, every seventh (not fifth) internal, the rest public. */
export function seededVisibility(index: number): "public" | "private" | "internal" {
  if (index % 5 === 0) return "private";
  if (index % 7 === 0) return "internal";
  return "public";
}

/** The records, oldest first: one per repository per day, at a repository's own minute. */
export function seededRecords(options: SeedOptions): EvaluationRecord[] {
  const random = prng(options.seed ?? 9);
  const today = Date.parse(`${options.now.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const repositories = Array.from({ length: options.repositories }, (_, index) => ({
    index,
    repo: seededRepositoryName(index),
    required: index % 4 === 0 ? "gold" : index % 9 === 0 ? "bronze" : "silver",
    skill: 0.45 + random() * 0.5,
    owners: [OWNERS[index % OWNERS.length]!, ...(index % 3 === 0 ? [OWNERS[(index + 2) % OWNERS.length]!] : [])],
  }));
  const records: EvaluationRecord[] = [];
  for (let day = options.days - 1; day >= 0; day--) {
    for (const repository of repositories) {
      const at = today - day * DAY_MS + (3 * 60 + (repository.index % 120)) * 60_000;
      if (at > options.now.getTime()) continue;
      const progress = (options.days - day) / options.days;
      const requiredIndex = SEEDED_LEVELS.indexOf(repository.required as (typeof SEEDED_LEVELS)[number]);
      const rules: RecordedRule[] = RULES.map((rule, n) => {
        const passes = random() < repository.skill + progress * 0.25 - SEEDED_LEVELS.indexOf(rule.level as (typeof SEEDED_LEVELS)[number]) * 0.08;
        const blocking = SEEDED_LEVELS.indexOf(rule.level as (typeof SEEDED_LEVELS)[number]) <= requiredIndex;
        if (passes) return { id: rule.id, area: rule.area, level: rule.level, blocking, status: "pass", findingCount: 0 };
        const findings = [rule.finding(n), rule.finding(n + 1)].slice(0, 1 + (repository.index % 2));
        return { id: rule.id, area: rule.area, level: rule.level, blocking, status: "fail", reason: findings[0]!.message, fix: rule.fix, findings, findingCount: findings.length };
      });
      let reached: string | null = null;
      for (const level of SEEDED_LEVELS) {
        const atOrBelow = rules.filter((rule) => SEEDED_LEVELS.indexOf(rule.level as (typeof SEEDED_LEVELS)[number]) <= SEEDED_LEVELS.indexOf(level));
        if (atOrBelow.every((rule) => rule.status === "pass")) reached = level;
        else break;
      }
      const meets = reached !== null && SEEDED_LEVELS.indexOf(reached as (typeof SEEDED_LEVELS)[number]) >= requiredIndex;
      const sha = Math.floor(random() * 0xffffffff).toString(16).padStart(8, "0").repeat(5);
      records.push({
        installationId: SEEDED_INSTALLATION,
        owner: SEEDED_OWNER,
        repo: repository.repo,
        subjectKind: "branch",
        subjectKey: `branch:${SEEDED_OWNER}/${repository.repo}:main`,
        headSha: sha,
        outcome: meets ? "success" : "failure",
        levelReached: reached,
        levelRequired: repository.required,
        rules,
        reason: "schedule",
        durationMs: 120,
        apiRequests: 6,
        evaluatedAt: new Date(at).toISOString(),
        ref: "main",
        owners: repository.owners,
        visibility: seededVisibility(repository.index),
      });
    }
  }
  return records;
}

export async function seedScorecards(store: StateStore, options: SeedOptions): Promise<EvaluationRecord[]> {
  const records = seededRecords(options);
  for (const record of records) await store.recordEvaluation(record);
  return records;
}

/** One stored branch record of `acme/<repo>` (bronze reached, silver required), for page and view tests. */
export function storedBranchRecord(repo: string, rules: RecordedRule[], overrides: Partial<StoredEvaluation> = {}): StoredEvaluation {
  return {
    id: 1,
    installationId: SEEDED_INSTALLATION,
    owner: SEEDED_OWNER,
    repo,
    subjectKind: "branch",
    subjectKey: `branch:${SEEDED_OWNER}/${repo}:main`,
    headSha: "a".repeat(40),
    outcome: "failure",
    levelReached: "bronze",
    levelRequired: "silver",
    rules,
    reason: "schedule",
    durationMs: 1,
    apiRequests: 1,
    evaluatedAt: "2026-03-31T03:00:00.000Z",
    ...overrides,
  };
}
