/**
 * Charts as SVG drawn on the server: no script, no library, nothing to load, and the page
 * renders complete without JavaScript. Each chart carries a title and description for screen
 * readers, and the page gives its numbers as a table beside it. Colours have at least 3:1
 * contrast against white (WCAG 1.4.11) and every series is named in a legend in text.
 */
import { html, type Html } from "./html.js";
import { NO_LEVEL, type DayLevels } from "./scorecard-view.js";

const KNOWN_COLOURS: Readonly<Record<string, string>> = {
  [NO_LEVEL]: "#cf222e",
  bronze: "#9a4d1c",
  silver: "#57606a",
  gold: "#9a6700",
};
const OTHER_COLOURS = ["#0969da", "#8250df", "#1a7f37", "#bc4c00"];

/** The colour of each level (and of "none"), stable for a ladder. */
export function levelColours(ladder: readonly string[]): Map<string, string> {
  const colours = new Map<string, string>();
  let other = 0;
  for (const level of [NO_LEVEL, ...ladder]) {
    colours.set(level, KNOWN_COLOURS[level] ?? OTHER_COLOURS[other++ % OTHER_COLOURS.length]!);
  }
  return colours;
}

export function levelLabel(level: string): string {
  return level === NO_LEVEL ? "no level" : level;
}

const WIDTH = 760;
const HEIGHT = 240;
const LEFT = 44;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 28;

function niceMax(value: number): number {
  if (value <= 5) return Math.max(1, value);
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

/** Where a day's bar goes on the shared plot: its left edge, its width, and the height scale. */
interface BarFrame {
  readonly x: number;
  readonly barWidth: number;
  readonly y: (count: number) => number;
}

/**
 * The frame every daily bar chart shares: horizontal grid lines with their counts, one bar a day
 * (drawn by `bar`), the first and last day under the axis.
 */
function dailyBarChart<Day extends { readonly day: string; readonly total: number }>(
  days: readonly Day[],
  id: string,
  title: string,
  description: (first: string, last: string) => string,
  bar: (day: Day, frame: BarFrame) => Html,
): Html {
  const max = niceMax(Math.max(0, ...days.map((day) => day.total)));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(1, slot * 0.8);
  const y = (count: number) => TOP + plotHeight - (count / max) * plotHeight;
  const ticks = [0, max / 2, max].map((tick) => Math.round(tick));
  const first = days[0]?.day ?? "";
  const last = days.at(-1)?.day ?? "";
  const bars = days.map((day, i) => bar(day, { x: LEFT + i * slot + (slot - barWidth) / 2, barWidth, y }));
  return html`<svg id="${id}" class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" preserveAspectRatio="xMidYMid meet">
<title id="${id}-title">${title}</title>
<desc id="${id}-desc">${description(first, last)}</desc>
${ticks.map((tick) => html`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#d0d7de"/><text x="${LEFT - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="#24292f">${tick}</text>`)}
${bars}
<text x="${LEFT}" y="${HEIGHT - 8}" font-size="12" fill="#24292f">${first}</text>
<text x="${WIDTH - RIGHT}" y="${HEIGHT - 8}" font-size="12" text-anchor="end" fill="#24292f">${last}</text>
</svg>`;
}

/** Stacked bars: repositories per level, one bar a day, "no level" at the bottom. */
export function distributionChart(days: readonly DayLevels[], ladder: readonly string[], id: string): Html {
  const colours = levelColours(ladder);
  const series = [NO_LEVEL, ...ladder].filter((level) => days.some((day) => (day.counts[level] ?? 0) > 0));
  return dailyBarChart(
    days,
    id,
    "Repositories by level reached, per day",
    (first, last) => `Stacked bars from ${first} to ${last}; the table below the chart gives the same numbers.`,
    (day, { x, barWidth, y }) => {
      let base = 0;
      const parts = series.map((level) => {
        const count = day.counts[level] ?? 0;
        if (count === 0) return "";
        const top = y(base + count);
        const height = y(base) - top;
        base += count;
        return html`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${colours.get(level)!}"/>`;
      });
      const summary = series.map((level) => `${levelLabel(level)} ${day.counts[level] ?? 0}`).join(", ");
      return html`<g class="bar"><title>${day.day}: ${summary}</title>${parts}</g>`;
    },
  );
}

/** The legend, as a list a screen reader and a person in high-contrast mode can read. */
export function legend(ladder: readonly string[]): Html {
  const colours = levelColours(ladder);
  return html`<ul class="legend">${[NO_LEVEL, ...ladder].map(
    (level) => html`<li><svg width="12" height="12" aria-hidden="true" focusable="false"><rect width="12" height="12" fill="${colours.get(level)!}"/></svg> ${levelLabel(level)}</li>`,
  )}</ul>`;
}

/** One repository's level per day: a strip of cells, one a day, "no record" left blank. */
export function historyStrip(days: readonly { readonly day: string; readonly level: string | undefined }[], ladder: readonly string[], id: string): Html {
  const colours = levelColours(ladder);
  const cell = 8;
  const width = days.length * cell;
  return html`<svg id="${id}" class="strip" viewBox="0 0 ${width} 24" role="img" aria-labelledby="${id}-title">
<title id="${id}-title">Level reached per day, ${days[0]?.day ?? ""} to ${days.at(-1)?.day ?? ""}; the table below lists each evaluation</title>
${days.map(
  (day, i) =>
    html`<rect x="${i * cell}" y="0" width="${cell - 1}" height="24" fill="${day.level === undefined ? "#ffffff" : colours.get(day.level) ?? "#24292f"}" stroke="#d0d7de" stroke-width="0.5"><title>${day.day}: ${day.level === undefined ? "not evaluated" : levelLabel(day.level)}</title></rect>`,
)}
</svg>`;
}

/**
 * A dated target's trend: one bar a day, the repositories reaching the target's level drawn in
 * its colour inside an outlined bar of all the target's repositories that had a standing.
 */
export function targetTrendChart(days: readonly { readonly day: string; readonly reaching: number; readonly total: number }[], level: string, ladder: readonly string[], id: string): Html {
  const colour = levelColours(ladder.includes(level) ? ladder : [...ladder, level]).get(level)!;
  return dailyBarChart(
    days,
    id,
    `Repositories reaching ${level}, per day`,
    (first, last) => `Bars from ${first} to ${last}: filled, the repositories reaching ${level}; outlined, all the target's repositories evaluated by then. The table below gives the same numbers.`,
    (day, frame) => {
      const x = frame.x.toFixed(1);
      const width = frame.barWidth.toFixed(1);
      const { y } = frame;
      const total = day.total > 0 ? html`<rect x="${x}" y="${y(day.total).toFixed(1)}" width="${width}" height="${(y(0) - y(day.total)).toFixed(1)}" fill="#ffffff" stroke="#8c959f" stroke-width="0.5"/>` : "";
      const reaching = day.reaching > 0 ? html`<rect x="${x}" y="${y(day.reaching).toFixed(1)}" width="${width}" height="${(y(0) - y(day.reaching)).toFixed(1)}" fill="${colour}"/>` : "";
      return html`<g class="bar"><title>${day.day}: ${day.reaching} of ${day.total} reach ${level}</title>${total}${reaching}</g>`;
    },
  );
}
