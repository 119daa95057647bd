/**
 * Durations as people write them in configuration and commands: a whole number and a unit,
 * `12h`, `3d`, `2w` (hours, days, weeks). Nothing else is accepted, so `3 days` or `1.5d` is an
 * error a person is told about rather than a guess.
 */
export const DURATION_PATTERN = /^([1-9][0-9]{0,4})([hdw])$/;

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export const DURATION_HELP = "a whole number and a unit: 12h (hours), 3d (days) or 2w (weeks)";
