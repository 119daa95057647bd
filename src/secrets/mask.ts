/** The only view of a secret that ever leaves the scanner. */

/** Shown characters: at most 4, and at most a quarter of the secret, so short passwords show less. */
export function maskedPreview(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…`;
}
