/**
 * The publication ledger of one subject at one head commit, kept in the state store: shared by
 * every process that shares the store.
 */
import type { PublicationLedger, PublishedIds } from "../ports.js";
import type { RepositoryKey, StateStore, SubjectKey } from "../state/types.js";

export function storeLedger(store: StateStore, repository: RepositoryKey, subjectKey: SubjectKey, headSha: string, now: () => Date): PublicationLedger {
  return {
    async recall(): Promise<PublishedIds | undefined> {
      const record = await store.publication(subjectKey, headSha);
      if (!record) return undefined;
      return {
        ...(record.checkRunId !== undefined ? { checkRunId: record.checkRunId } : {}),
        ...(record.checkDigest !== undefined ? { checkDigest: record.checkDigest } : {}),
        ...(record.commentId !== undefined ? { commentId: record.commentId } : {}),
        ...(record.commentDigest !== undefined ? { commentDigest: record.commentDigest } : {}),
      };
    },
    async keep(ids: PublishedIds): Promise<void> {
      await store.savePublication({ ...repository, subjectKey, headSha, ...ids, updatedAt: now().toISOString() });
    },
  };
}
