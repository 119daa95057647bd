/**
 * The repository page's table by area × level, from the stored record alone (the same matrix the
 * check runs show, as HTML). Pure.
 */
import { areaLevelMatrix, cellText } from "../render/area-levels.js";
import type { CellState } from "../render/area-levels.js";
import type { StoredEvaluation } from "../state/types.js";
import { html, type Html } from "./html.js";

const CELL_CLASS: Readonly<Record<CellState, string>> = { pass: "pass", fail: "fail", unknown: "unknown", pending: "unknown", none: "none" };

/** A section with the table; empty when the record has no rules. Columns: the ladder's levels the record's rules use. */
export function areaLevelSection(record: StoredEvaluation, ladder: readonly string[]): Html | string {
  const levels = ladder.filter((level) => record.rules.some((rule) => rule.level === level));
  const rows = areaLevelMatrix(record.rules, levels);
  if (rows.length === 0) return "";
  return html`<section aria-labelledby="areas-heading">
<h2 id="areas-heading">By area and level</h2>
<div class="table-wrap"><table id="areas">
<caption>Rules met out of those enabled, for each area at each level</caption>
<thead><tr><th scope="col">Area</th>${levels.map((level) => html`<th scope="col">${level}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr><th scope="row">${row.title}</th>${row.cells.map((cell) => html`<td class="area ${CELL_CLASS[cell.state]}">${cellText(cell)}</td>`)}</tr>`)}</tbody></table></div>
</section>`;
}
