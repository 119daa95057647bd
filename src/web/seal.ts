/**
 * Cookies and links the server alone can make: sealed values (AES-256-GCM, so a cookie can be
 * neither read nor altered by its holder: it carries a GitHub user token) and per-repository
 * badge tokens (HMAC-SHA256). Both keys are derived from READINESS_SESSION_SECRET, each for its
 * own purpose, so one never works as the other.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

const IV_BYTES = 12;
const TAG_BYTES = 16;

function derivedKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "readiness-bot", purpose, 32));
}

export class Sealer {
  readonly #key: Buffer;

  constructor(secret: string) {
    this.#key = derivedKey(secret, "session-cookie-v1");
  }

  /** `purpose` binds the value to its use: a sealed OAuth state never opens as a session. */
  seal(purpose: string, value: unknown): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  /** The value, or undefined when the text was not sealed by this key for this purpose. */
  open(purpose: string, text: string): unknown {
    const raw = Buffer.from(text, "base64url");
    if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString("utf8")) as unknown;
    } catch {
      return undefined;
    }
  }
}

/** Equal strings compared in time that does not depend on where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison does not reveal the expected length.
  const a = createHmac("sha256", "compare").update(given).digest();
  const b = createHmac("sha256", "compare").update(expected).digest();
  return timingSafeEqual(a, b);
}

export class BadgeSigner {
  readonly #key: Buffer;

  constructor(secret: string) {
    this.#key = derivedKey(secret, "badge-token-v1");
  }

  /** The token of one repository's private badge (case of the name does not matter, as on GitHub). */
  token(repository: string): string {
    return createHmac("sha256", this.#key).update(repository.toLowerCase()).digest("base64url").slice(0, 32);
  }

  verify(repository: string, token: string): boolean {
    return sameSecret(token, this.token(repository));
  }
}

/** A random identifier for a session or an OAuth state. */
export function randomId(): string {
  return randomBytes(24).toString("base64url");
}
