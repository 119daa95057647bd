/**
 * Rules every store implementation shares: times are normalised to one ISO-8601 UTC form so they
 * compare as text, and ordering of evaluation records is newest first (time, then insertion).
 */
import type { EvaluationQuery, PublicationRecord } from "./types.js";

export const DEFAULT_EVALUATION_LIMIT = 100;

/** `2026-01-02T03:04:05Z` and `2026-01-02T03:04:05.000Z` name the same instant and must compare equal. */
export function normaliseTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (typeof value !== "string" || Number.isNaN(ms)) {
    throw new TypeError(`state store: ${field} must be an ISO-8601 time, got ${JSON.stringify(value)}`);
  }
  return new Date(ms).toISOString();
}

export function evaluationLimit(query: EvaluationQuery): number {
  const limit = query.limit ?? DEFAULT_EVALUATION_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`state store: limit must be a positive integer, got ${String(query.limit)}`);
  }
  return limit;
}

/** The merge `savePublication` performs: fields the new record leaves undefined keep their stored value. */
export function mergePublication(stored: PublicationRecord | undefined, update: PublicationRecord): PublicationRecord {
  if (!stored) return { ...update };
  return {
    ...update,
    checkRunId: update.checkRunId ?? stored.checkRunId,
    checkDigest: update.checkDigest ?? stored.checkDigest,
    commentId: update.commentId ?? stored.commentId,
    commentDigest: update.commentDigest ?? stored.commentDigest,
  };
}
