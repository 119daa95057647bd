/**
 * The publication ledger of one subject at one head commit, kept in the state store: shared by
 * every process that shares the store.
 */
import type { CommentLedger, CommentRecord, PublicationLedger, PublishedIds } from "../ports.js";
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
    ...(subjectKey.startsWith("pull:") ? { comment: storeCommentLedger(store, repository, subjectKey, now) } : {}),
  };
}

const NO_COMMENT = "none";

/** The bookkeeping key of a pull request's sticky comment; the installation keeps installations apart. */
export function commentBookkeepingKey(repository: RepositoryKey, subjectKey: SubjectKey): string {
  return `sticky-comment:${repository.installationId}:${subjectKey}`;
}

function parseComment(value: string | undefined): CommentRecord | "none" | undefined {
  if (value === undefined) return undefined;
  if (value === NO_COMMENT) return "none";
  try {
    const parsed = JSON.parse(value) as { id?: unknown; digest?: unknown };
    if (typeof parsed.id === "number" && Number.isSafeInteger(parsed.id) && typeof parsed.digest === "string") return { id: parsed.id, digest: parsed.digest };
  } catch {
    // Not ours to read: as if nothing were known, so the comment is found by listing.
  }
  return undefined;
}

/** A pull request's sticky comment, in the store's bookkeeping (one entry per pull request). */
export function storeCommentLedger(store: StateStore, repository: RepositoryKey, subjectKey: SubjectKey, now: () => Date): CommentLedger {
  const key = commentBookkeepingKey(repository, subjectKey);
  /** The entry's value as last read or written here; null: not read yet. */
  let seen: string | undefined | null = null;
  const read = async (): Promise<string | undefined> => (seen = (await store.getBookkeeping(key))?.value);
  return {
    async recall() {
      return parseComment(await read());
    },
    async keep(comment: CommentRecord) {
      const value = JSON.stringify({ id: comment.id, digest: comment.digest });
      await store.setBookkeeping({ key, value, updatedAt: now().toISOString() });
      seen = value;
    },
    async keepNone() {
      const expected = seen === null ? await read() : seen;
      if (expected === NO_COMMENT) return;
      if (await store.claimBookkeeping(expected, { key, value: NO_COMMENT, updatedAt: now().toISOString() })) seen = NO_COMMENT;
    },
  };
}
