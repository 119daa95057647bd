/**
 * Keyed fingerprints: HMAC-SHA256 of the secret under the deployment's key (the
 * `fingerprintKey` fact), so the same secret is recognised across runs and pull requests
 * without the fingerprint revealing it to anyone who does not hold the key.
 */
import { createHmac } from "node:crypto";

/**
 * Used when no key is available (the fact is unknown, or the CLI runs without
 * READINESS_FINGERPRINT_KEY). Fingerprints stay stable across runs, but since this key is public,
 * anyone who guesses a weak secret can confirm the guess against its fingerprint; deployments
 * should configure a key.
 */
export const UNKEYED_FINGERPRINT_KEY = "readiness-bot/secrets/unkeyed-fingerprint/v1";

/** 32 hex characters (128 bits) of HMAC-SHA256. */
export function fingerprint(secret: string, key: string): string {
  return createHmac("sha256", key).update(secret, "utf8").digest("hex").slice(0, 32);
}
