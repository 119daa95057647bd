/**
 * The state store in memory, for unit tests and one-off runs: the same contract as the SQL store
 * (records are copied in and out, times normalised, newest first), nothing survives the process.
 */
import { evaluationLimit, mergePublication, normaliseTime } from "./records.js";
import type {
  BookkeepingEntry,
  DecisionQuery,
  DecisionRecord,
  StoredDecision,
  BranchHistoryQuery,
  DailyBranchLevel,
  EvaluationQuery,
  EvaluationRecord,
  PendingGroupRecord,
  PublicationRecord,
  RepositoryKey,
  StateStore,
  StoredEvaluation,
  SubjectKey,
} from "./types.js";

function repositoryId(repository: RepositoryKey): string {
  return `${repository.installationId}:${repository.owner}/${repository.repo}`;
}

function pendingKey(repository: RepositoryKey, pullNumber: number): string {
  return `${repositoryId(repository)}#${pullNumber}`;
}

function publicationKey(subjectKey: SubjectKey, headSha: string): string {
  return `${subjectKey}\u0000${headSha}`;
}

function copyEvaluation(stored: StoredEvaluation): StoredEvaluation {
  return {
    ...stored,
    rules: stored.rules.map((rule) => ({ ...rule })),
    ...(stored.target ? { target: { ...stored.target, missing: [...stored.target.missing] } } : {}),
    ...(stored.components ? { components: stored.components.map((c) => ({ ...c })) } : {}),
  };
}

function newestFirst(a: StoredEvaluation, b: StoredEvaluation): number {
  if (a.evaluatedAt !== b.evaluatedAt) return a.evaluatedAt < b.evaluatedAt ? 1 : -1;
  return b.id - a.id;
}

function byRepository(a: StoredEvaluation, b: StoredEvaluation): number {
  if (a.owner !== b.owner) return a.owner < b.owner ? -1 : 1;
  if (a.repo !== b.repo) return a.repo < b.repo ? -1 : 1;
  return 0;
}

export class MemoryStateStore implements StateStore {
  private nextId = 1;
  private readonly evaluations: StoredEvaluation[] = [];
  private readonly pending = new Map<string, PendingGroupRecord>();
  private readonly publications = new Map<string, PublicationRecord>();
  private readonly bookkeeping = new Map<string, BookkeepingEntry>();
  private readonly decisions: StoredDecision[] = [];
  private nextDecisionId = 1;

  async migrate(): Promise<void> {}

  async recordEvaluation(record: EvaluationRecord): Promise<StoredEvaluation> {
    const stored: StoredEvaluation = copyEvaluation({
      ...record,
      durationMs: Math.round(record.durationMs),
      evaluatedAt: normaliseTime(record.evaluatedAt, "evaluatedAt"),
      id: this.nextId++,
    });
    this.evaluations.push(stored);
    return copyEvaluation(stored);
  }

  async latestEvaluation(subjectKey: SubjectKey, headSha?: string): Promise<StoredEvaluation | undefined> {
    const [newest] = await this.listEvaluations({ subjectKey, headSha, limit: 1 });
    return newest;
  }

  async listEvaluations(query: EvaluationQuery): Promise<StoredEvaluation[]> {
    const limit = evaluationLimit(query);
    return this.evaluations
      .filter(
        (e) =>
          (query.owner === undefined || e.owner === query.owner) &&
          (query.repo === undefined || e.repo === query.repo) &&
          (query.subjectKind === undefined || e.subjectKind === query.subjectKind) &&
          (query.subjectKey === undefined || e.subjectKey === query.subjectKey) &&
          (query.headSha === undefined || e.headSha === query.headSha),
      )
      .sort(newestFirst)
      .slice(0, limit)
      .map(copyEvaluation);
  }

  async latestBranchEvaluations(options: { readonly before?: string } = {}): Promise<StoredEvaluation[]> {
    const before = options.before === undefined ? undefined : normaliseTime(options.before, "before");
    const newest = new Map<string, StoredEvaluation>();
    for (const e of [...this.evaluations].sort(newestFirst)) {
      if (e.subjectKind !== "branch" || e.outcome === "error" || (before !== undefined && e.evaluatedAt >= before)) continue;
      const key = `${e.owner}/${e.repo}`;
      if (!newest.has(key)) newest.set(key, e);
    }
    return [...newest.values()].sort(byRepository).map(copyEvaluation);
  }

  async branchHistory(query: BranchHistoryQuery): Promise<StoredEvaluation[]> {
    const limit = evaluationLimit(query);
    const since = query.since === undefined ? undefined : normaliseTime(query.since, "since");
    return this.evaluations
      .filter((e) => e.subjectKind === "branch" && e.owner === query.owner && e.repo === query.repo && (since === undefined || e.evaluatedAt >= since))
      .sort(newestFirst)
      .slice(0, limit)
      .map(copyEvaluation);
  }

  async dailyBranchLevels(from: string, to: string): Promise<DailyBranchLevel[]> {
    const start = normaliseTime(from, "from");
    const end = normaliseTime(to, "to");
    const lastOfDay = new Map<string, StoredEvaluation>();
    for (const e of [...this.evaluations].sort(newestFirst)) {
      if (e.subjectKind !== "branch" || e.outcome === "error" || e.evaluatedAt < start || e.evaluatedAt >= end) continue;
      const key = `${e.evaluatedAt.slice(0, 10)}\u0000${e.owner}\u0000${e.repo}`;
      if (!lastOfDay.has(key)) lastOfDay.set(key, e);
    }
    return [...lastOfDay.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => ({
        installationId: e.installationId,
        owner: e.owner,
        repo: e.repo,
        day: e.evaluatedAt.slice(0, 10),
        levelReached: e.levelReached,
        levelRequired: e.levelRequired,
      }));
  }

  async savePendingGroup(group: PendingGroupRecord): Promise<void> {
    this.pending.set(pendingKey(group, group.pullNumber), {
      ...group,
      createdAt: normaliseTime(group.createdAt, "createdAt"),
      expiresAt: normaliseTime(group.expiresAt, "expiresAt"),
    });
  }

  async pendingGroupFor(repository: RepositoryKey, pullNumber: number, now: string): Promise<PendingGroupRecord | undefined> {
    const at = normaliseTime(now, "now");
    const group = this.pending.get(pendingKey(repository, pullNumber));
    return group && group.expiresAt > at ? { ...group } : undefined;
  }

  async deletePendingGroup(repository: RepositoryKey, pullNumber: number, groupHeadSha?: string): Promise<void> {
    const key = pendingKey(repository, pullNumber);
    const group = this.pending.get(key);
    if (group && (groupHeadSha === undefined || group.groupHeadSha === groupHeadSha)) this.pending.delete(key);
  }

  async expirePendingGroups(now: string): Promise<number> {
    const at = normaliseTime(now, "now");
    let removed = 0;
    for (const [key, group] of this.pending) {
      if (group.expiresAt <= at) {
        this.pending.delete(key);
        removed++;
      }
    }
    return removed;
  }

  async publication(subjectKey: SubjectKey, headSha: string): Promise<PublicationRecord | undefined> {
    const record = this.publications.get(publicationKey(subjectKey, headSha));
    return record && { ...record };
  }

  async savePublication(record: PublicationRecord): Promise<void> {
    const key = publicationKey(record.subjectKey, record.headSha);
    const update = { ...record, updatedAt: normaliseTime(record.updatedAt, "updatedAt") };
    this.publications.set(key, mergePublication(this.publications.get(key), update));
  }

  async appendDecision(record: DecisionRecord): Promise<StoredDecision> {
    const { untilPush, ...written } = record;
    // A field written as undefined is not stored, as in the SQL store.
    const rest = Object.fromEntries(Object.entries(written).filter(([, value]) => value !== undefined)) as typeof written;
    const stored: StoredDecision = {
      ...rest,
      ...(untilPush ? { untilPush } : {}),
      createdAt: normaliseTime(record.createdAt, "createdAt"),
      ...(record.expiresAt !== undefined ? { expiresAt: normaliseTime(record.expiresAt, "expiresAt") } : {}),
      id: this.nextDecisionId++,
    };
    this.decisions.push(stored);
    return { ...stored };
  }

  async listDecisions(query: DecisionQuery): Promise<StoredDecision[]> {
    const since = query.since === undefined ? undefined : normaliseTime(query.since, "since");
    return this.decisions
      .filter(
        (d) =>
          d.owner === query.owner &&
          d.repo === query.repo &&
          (query.kind === undefined || d.kind === query.kind) &&
          (query.pullNumber === undefined || d.pullNumber === query.pullNumber) &&
          (since === undefined || d.createdAt >= since),
      )
      .sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : a.id - b.id))
      .map((d) => ({ ...d }));
  }

  async getBookkeeping(key: string): Promise<BookkeepingEntry | undefined> {
    const entry = this.bookkeeping.get(key);
    return entry && { ...entry };
  }

  async setBookkeeping(entry: BookkeepingEntry): Promise<void> {
    this.bookkeeping.set(entry.key, { ...entry, updatedAt: normaliseTime(entry.updatedAt, "updatedAt") });
  }

  async claimBookkeeping(expected: string | undefined, next: BookkeepingEntry): Promise<boolean> {
    if (this.bookkeeping.get(next.key)?.value !== expected) return false;
    await this.setBookkeeping(next);
    return true;
  }

  async listBookkeeping(prefix: string, limit: number): Promise<BookkeepingEntry[]> {
    return [...this.bookkeeping.values()]
      .filter((entry) => entry.key.startsWith(prefix))
      .sort((a, b) => (a.updatedAt !== b.updatedAt ? (a.updatedAt < b.updatedAt ? -1 : 1) : a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, limit)
      .map((entry) => ({ ...entry }));
  }

  async deleteBookkeeping(key: string): Promise<void> {
    this.bookkeeping.delete(key);
  }

  async close(): Promise<void> {}
}
