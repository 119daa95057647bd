/**
 * UTF-8 size of a string, which is how GitHub measures its limits (check-run text, CODEOWNERS).
 * A lone surrogate counts 3 bytes: it encodes as U+FFFD.
 */
export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
