/**
 * The dashboard's pages, rendered on the server as complete HTML: no script at all (the
 * filters are a GET form, the charts inline SVG), landmarks, a skip link, table headers with
 * scope, labelled controls, visible focus and text beside every colour.
 */
import { auditRows } from "../decisions/audit.js";
import { ATTESTATION_PREFIX } from "../engine/decisions.js";
import { dayInWords } from "../render/verdict.js";
import type { StoredDecision, StoredEvaluation } from "../state/types.js";
import { distributionChart, historyStrip, legend, levelLabel, targetTrendChart } from "./chart.js";
import { areaLevelSection } from "./area-levels.js";
import { html, raw, type Html } from "./html.js";
import {
  areaCell,
  meetsRequired,
  NO_LEVEL,
  repositoryName,
  SCORECARD_AREAS,
  type BlockingRule,
  type DayLevels,
  type Filters,
} from "./scorecard-view.js";
import { targetSentence, targetWhen, type TargetProgressView } from "./targets-view.js";

export const STYLE_TEXT = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d0d7de; --bg: #ffffff; --accent: #0550ae; --pass: #116329; --fail: #a40e26; --warn: #7d4e00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, select:focus-visible, summary:focus-visible, input:focus-visible, main:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip:focus { left: 1rem; z-index: 1; }
header[role=banner] { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); }
header nav a { font-weight: 600; text-decoration: none; color: var(--fg); }
header form { display: flex; gap: .5rem; align-items: center; margin: 0; }
main { padding: 1rem 1.5rem 3rem; max-width: 90rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
.summary { color: var(--muted); }
form.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; }
form.filters label { display: flex; flex-direction: column; font-weight: 600; font-size: .9rem; }
select, button, input { font: inherit; padding: .3rem .5rem; border: 1px solid #6e7781; border-radius: 6px; background: #fff; color: var(--fg); }
button { cursor: pointer; background: #f6f8fa; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f6f8fa; font-size: .85rem; }
td.area { text-align: center; white-space: nowrap; font-size: .85rem; }
.pass { color: var(--pass); } .fail { color: var(--fail); font-weight: 600; } .unknown { color: var(--warn); } .none { color: var(--muted); }
.level { font-weight: 600; }
.chart { width: 100%; max-width: 60rem; height: auto; display: block; }
.strip { width: 100%; max-width: 60rem; height: 2rem; display: block; }
ul.legend { list-style: none; display: flex; gap: 1rem; padding: 0; flex-wrap: wrap; }
ul.findings { margin: .25rem 0; padding-left: 1.2rem; }
code { font: .85rem ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa; padding: .1rem .3rem; border-radius: 4px; word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
.notice { border-left: 4px solid var(--accent); padding: .5rem 1rem; background: #f6f8fa; }
.button { display: inline-block; padding: .5rem 1rem; border-radius: 6px; background: #1f2328; color: #fff; text-decoration: none; font-weight: 600; }
`;
/** The page's one style sheet; the Content-Security-Policy allows it by its hash. */
const STYLE = raw(STYLE_TEXT);

export interface Viewer {
  /** The signed-in GitHub login. */
  readonly login: string;
  /** For the sign-out form. */
  readonly csrf: string;
}

function layout(title: string, body: Html, viewer?: Viewer): string {
  return `<!doctype html>\n${html`<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · readiness</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header role="banner">
<nav aria-label="Dashboard"><a href="/dashboard">Readiness scorecards</a></nav>
${viewer ? html`<form method="post" action="/dashboard/sign-out"><span>Signed in as <strong>${viewer.login}</strong></span><input type="hidden" name="csrf" value="${viewer.csrf}"><button type="submit">Sign out</button></form>` : ""}
</header>
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`.text}`;
}

function levelText(level: string | null): Html {
  return level === null ? html`<span class="none">none</span>` : html`<span class="level">${level}</span>`;
}

const AREA_TEXT: Record<string, string> = { pass: "pass", unknown: "unknown", none: "—" };

function areaTd(record: StoredEvaluation, area: string): Html {
  const cell = areaCell(record, area);
  const text = cell.state === "fail" ? `${cell.failing} failing` : AREA_TEXT[cell.state]!;
  const label = cell.state === "none" ? html` aria-label="no rule"` : "";
  return html`<td class="area ${cell.state}"${label}>${text}</td>`;
}

function selectField(name: string, label: string, options: readonly { value: string; text: string }[], selected: string | undefined): Html {
  return html`<label for="filter-${name}">${label}<select id="filter-${name}" name="${name}">
<option value="">Any</option>
${options.map((option) => html`<option value="${option.value}"${option.value === selected ? raw(" selected") : ""}>${option.text}</option>`)}
</select></label>`;
}

export interface OrganisationView {
  readonly viewer: Viewer;
  /** Every repository the viewer may see. */
  readonly total: number;
  readonly meeting: number;
  /** After the filters. */
  readonly records: readonly StoredEvaluation[];
  readonly filters: Filters;
  readonly ladder: readonly string[];
  readonly owners: readonly string[];
  readonly blocking: readonly BlockingRule[];
  readonly distribution: readonly DayLevels[];
  /** Today (UTC, from the web layer's clock): dated targets count their days from it. */
  readonly today?: string;
  /** Dated targets still ahead among the repositories the viewer may see. */
  readonly targets?: readonly TargetProgressView[];
}

export function repositoryPath(record: { readonly owner: string; readonly repo: string }): string {
  return `/dashboard/repositories/${encodeURIComponent(record.owner)}/${encodeURIComponent(record.repo)}`;
}

export function organisationPage(view: OrganisationView): string {
  const { filters, ladder } = view;
  const levelOptions = [
    { value: "below", text: "Below required level" },
    { value: NO_LEVEL, text: "No level reached" },
    ...ladder.map((level) => ({ value: level, text: `Reached ${level}` })),
  ];
  const filtered = filters.level !== undefined || filters.area !== undefined || filters.owner !== undefined;
  const body = html`<h1>Readiness scorecards</h1>
<p class="summary">${view.total} ${view.total === 1 ? "repository" : "repositories"} you can see; ${view.meeting} meet their required level.</p>
<section aria-labelledby="filters-heading">
<h2 id="filters-heading">Filters</h2>
<form class="filters" method="get" action="/dashboard" role="search" aria-label="Filter repositories">
${selectField("level", "Level", levelOptions, filters.level)}
${selectField("area", "Failing in area", SCORECARD_AREAS.map((area) => ({ value: area, text: area })), filters.area)}
${selectField("owner", "Owner (CODEOWNERS)", view.owners.map((owner) => ({ value: owner, text: owner })), filters.owner)}
<button type="submit">Apply filters</button>
${filtered ? html`<a href="/dashboard">Clear filters</a>` : ""}
</form>
</section>
<section aria-labelledby="repositories-heading">
<h2 id="repositories-heading">Repositories</h2>
<div class="table-wrap">
<table id="repositories">
<caption>${view.records.length} of ${view.total} repositories${filtered ? " (filtered)" : ""}: level reached and required, and the state of each area</caption>
<thead><tr><th scope="col">Repository</th><th scope="col">Level reached</th><th scope="col">Required</th>${SCORECARD_AREAS.map((area) => html`<th scope="col">${area}</th>`)}<th scope="col">Evaluated</th></tr></thead>
<tbody>
${view.records.map(
  (record) => html`<tr><th scope="row"><a href="${repositoryPath(record)}">${repositoryName(record)}</a></th><td>${levelText(record.levelReached)}${meetsRequired(record) ? "" : html` <span class="fail">(below)</span>`}</td><td>${record.levelRequired ?? "—"}${requiredTargetNote(record, view.today)}</td>${SCORECARD_AREAS.map((area) => areaTd(record, area))}<td><time datetime="${record.evaluatedAt}">${record.evaluatedAt.slice(0, 16).replace("T", " ")}</time></td></tr>`,
)}
</tbody>
</table>
</div>
${view.records.length === 0 ? html`<p>No repository matches these filters.</p>` : ""}
</section>
${targetsSummary(view.targets ?? [], view.today)}
<section aria-labelledby="blocking-heading">
<h2 id="blocking-heading">Rules blocking most repositories</h2>
${
  view.blocking.length === 0
    ? html`<p>No rule keeps a repository below its required level.</p>`
    : html`<table id="blocking"><caption>Rules at or below the required level that do not pass, by repositories blocked</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Area</th><th scope="col">Repositories blocked</th></tr></thead>
<tbody>${view.blocking.map((rule) => html`<tr><th scope="row">${rule.id}</th><td>${rule.area || "—"}</td><td>${rule.repositories}</td></tr>`)}</tbody></table>`
}
</section>
<section aria-labelledby="distribution-heading">
<h2 id="distribution-heading">Levels over the last ${view.distribution.length} days</h2>
${distributionChart(view.distribution, ladder, "distribution")}
${legend(ladder)}
<details><summary>The numbers per day</summary>
<div class="table-wrap"><table id="distribution-table"><caption>Repositories per level reached at the end of each day (UTC)</caption>
<thead><tr><th scope="col">Day</th>${[NO_LEVEL, ...ladder].map((level) => html`<th scope="col">${levelLabel(level)}</th>`)}</tr></thead>
<tbody>${[...view.distribution].reverse().map((day) => html`<tr><th scope="row">${day.day}</th>${[NO_LEVEL, ...ladder].map((level) => html`<td>${day.counts[level] ?? 0}</td>`)}</tr>`)}</tbody></table></div>
</details>
</section>`;
  return layout("Readiness scorecards", body, view.viewer);
}

export interface RepositoryView {
  readonly viewer: Viewer;
  readonly record: StoredEvaluation;
  readonly history: readonly StoredEvaluation[];
  readonly historyDays: readonly { readonly day: string; readonly level: string | undefined }[];
  readonly ladder: readonly string[];
  /** The badge's address (with its token for a private repository). */
  readonly badgeUrl: string;
  /** Today (UTC, from the web layer's clock): a dated target counts its days from it. */
  readonly today?: string;
}

const STATUS_ORDER = ["fail", "error", "unknown", "pending", "waived", "pass", "skip"];

function statusRank(status: string): number {
  const index = STATUS_ORDER.indexOf(status);
  return index === -1 ? STATUS_ORDER.length : index;
}

function ruleDetails(rule: StoredEvaluation["rules"][number]): Html {
  const findings = rule.findings ?? [];
  const more = (rule.findingCount ?? findings.length) - findings.length;
  return html`${rule.reason ? html`<p>${rule.reason}</p>` : ""}
${findings.length > 0 ? html`<ul class="findings">${findings.map((finding) => html`<li>${finding.path ? html`<code>${finding.path}${finding.line ? `:${finding.line}` : ""}</code> ` : ""}${finding.message}</li>`)}${more > 0 ? html`<li>and ${more} more</li>` : ""}</ul>` : ""}
${rule.fix && rule.status !== "pass" ? html`<p><strong>How to fix:</strong> ${rule.fix}</p>` : ""}`;
}

/** A monorepo's components (`components:`), each with its own level; nothing without them. */
function componentsSection(record: StoredEvaluation): Html | string {
  const components = record.components ?? [];
  if (components.length === 0) return "";
  return html`<section aria-labelledby="components-heading">
<h2 id="components-heading">Components</h2>
<div class="table-wrap"><table id="components">
<caption>Each component of the repository, judged with its own level and rules (their rules are named "component › rule" below)</caption>
<thead><tr><th scope="col">Component</th><th scope="col">Level reached</th><th scope="col">Required</th><th scope="col">Result</th></tr></thead>
<tbody>${components.map(
  (component) => html`<tr><th scope="row">${component.name}</th><td>${levelText(component.reached)}</td><td>${component.required}</td><td class="${component.conclusion === "failure" ? "fail" : component.conclusion === "success" ? "pass" : "unknown"}">${component.conclusion === "failure" ? "below its required level" : component.conclusion === "success" ? "ready" : component.conclusion}</td></tr>`,
)}</tbody></table></div>
</section>`;
}

export function repositoryPage(view: RepositoryView): string {
  const { record } = view;
  const name = repositoryName(record);
  const rules = [...record.rules].sort((a, b) => Number(b.blocking) - Number(a.blocking) || statusRank(a.status) - statusRank(b.status) || a.id.localeCompare(b.id));
  const body = html`<nav aria-label="Breadcrumb"><a href="/dashboard">All repositories</a> › ${name}</nav>
<h1>${name}</h1>
<dl class="facts">
<dt>Level reached</dt><dd>${levelText(record.levelReached)}</dd>
<dt>Required</dt><dd>${record.levelRequired ?? "—"} ${meetsRequired(record) ? html`<span class="pass">(met)</span>` : html`<span class="fail">(not met)</span>`}</dd>
${record.target && view.today ? html`<dt>Dated target</dt><dd id="target">${targetSentence(record.target, view.today)} <a href="/dashboard/targets">All targets</a></dd>` : ""}
<dt>Branch</dt><dd>${record.ref ?? "—"} at <code>${record.headSha.slice(0, 12)}</code></dd>
<dt>Evaluated</dt><dd><time datetime="${record.evaluatedAt}">${record.evaluatedAt}</time></dd>
<dt>Owners</dt><dd>${(record.owners ?? []).length > 0 ? (record.owners ?? []).join(", ") : "—"}</dd>
</dl>
${componentsSection(record)}
${areaLevelSection(record, view.ladder)}
<section aria-labelledby="rules-heading">
<h2 id="rules-heading">Rules</h2>
<div class="table-wrap"><table id="rules">
<caption>Each rule at this commit: blocking rules that do not pass first, with their findings and how to fix them</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Area</th><th scope="col">Level</th><th scope="col">Blocking</th><th scope="col">Status</th><th scope="col">Findings and fix</th></tr></thead>
<tbody>${rules.map(
  (rule) => html`<tr><th scope="row">${rule.component !== undefined ? `${rule.component} › ` : ""}${rule.id}</th><td>${rule.area ?? "—"}</td><td>${rule.level}</td><td>${rule.blocking ? "yes" : "no (advisory)"}</td><td class="${PASSING_CLASS[rule.status] ?? "unknown"}">${rule.status}</td><td>${ruleDetails(rule)}</td></tr>`,
)}</tbody></table></div>
</section>
<section aria-labelledby="history-heading">
<h2 id="history-heading">Level history</h2>
${historyStrip(view.historyDays, view.ladder, "history")}
${legend(view.ladder)}
<div class="table-wrap"><table id="history-table"><caption>Evaluations of the last ${view.historyDays.length} days, newest first</caption>
<thead><tr><th scope="col">Evaluated</th><th scope="col">Commit</th><th scope="col">Level reached</th><th scope="col">Required</th><th scope="col">Outcome</th></tr></thead>
<tbody>${view.history.map((item) => html`<tr><th scope="row"><time datetime="${item.evaluatedAt}">${item.evaluatedAt.slice(0, 16).replace("T", " ")}</time></th><td><code>${item.headSha.slice(0, 12)}</code></td><td>${levelText(item.levelReached)}</td><td>${item.levelRequired ?? "—"}</td><td>${item.outcome}${item.error ? `: ${item.error}` : ""}</td></tr>`)}</tbody></table></div>
</section>
<section aria-labelledby="badge-heading">
<h2 id="badge-heading">Badge</h2>
<p><img src="${view.badgeUrl}" alt="readiness: ${record.levelReached ?? "none"}"></p>
<p><label for="badge-markdown">Markdown for a README${record.visibility === "public" ? "" : " (the link carries this repository's badge token: it shows the level to whoever has it)"}</label></p>
<p><input id="badge-markdown" readonly size="80" value="${`![readiness](${view.badgeUrl})`}"></p>
<p><a href="/api/scorecards/${encodeURIComponent(record.owner)}/${encodeURIComponent(record.repo)}">This scorecard as JSON</a></p>
</section>
<section aria-labelledby="audit-link-heading">
<h2 id="audit-link-heading">Decisions</h2>
<p><a href="${auditPath(record)}">Audit log</a>: every waiver, unwaiver and attestation on record for this repository: who, what, when, why, on which commit, from which comment.</p>
</section>`;
  return layout(name, body, view.viewer);
}

const PASSING_CLASS: Record<string, string> = { pass: "pass", waived: "pass", skip: "none", fail: "fail", error: "fail" };

/** A page that only says something (sign in, not configured, not found). */
export function messagePage(title: string, paragraphs: readonly (string | Html)[], action?: { readonly href: string; readonly text: string }): string {
  return layout(
    title,
    html`<h1>${title}</h1>
${paragraphs.map((text) => html`<p class="notice">${text}</p>`)}
${action ? html`<p><a class="button" href="${action.href}">${action.text}</a></p>` : ""}`,
  );
}

/** Beside a repository's required level: the dated target still ahead, in words. */
function requiredTargetNote(record: StoredEvaluation, today: string | undefined): Html | "" {
  return record.target && today ? html`<br><span class="summary">${targetWhen(record.target, today)}</span>` : "";
}

function targetAnchor(target: Pick<TargetProgressView, "level" | "from">): string {
  return `target-${target.from}-${target.level.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/** The organisation page's short list of dated targets, linking to their progress. */
function targetsSummary(targets: readonly TargetProgressView[], today: string | undefined): Html | "" {
  if (targets.length === 0 || today === undefined) return "";
  return html`<section aria-labelledby="targets-heading">
<h2 id="targets-heading">Dated targets</h2>
<ul id="targets-summary">${targets.map(
    (target) => html`<li><a href="/dashboard/targets#${targetAnchor(target)}">${targetWhen(target, today)}</a>: ${target.reaching.length} of ${target.repositories.length} ${target.repositories.length === 1 ? "repository reaches" : "repositories reach"} it.</li>`,
  )}</ul>
</section>`;
}

export interface TargetsView {
  readonly viewer: Viewer;
  readonly targets: readonly TargetProgressView[];
  readonly ladder: readonly string[];
  /** Today (UTC, from the web layer's clock). */
  readonly today: string;
}

/** Each dated target still ahead: who reaches it, what blocks the rest, and the trend toward its day. */
export function targetsPage(view: TargetsView): string {
  const sections = view.targets.map((target, index) => {
    const anchor = targetAnchor(target);
    const behind = target.repositories.filter((name) => !target.reaching.includes(name));
    return html`<section id="${anchor}" aria-labelledby="${anchor}-heading">
<h2 id="${anchor}-heading">${targetWhen(target, view.today)}</h2>
<p class="summary">${target.reaching.length} of ${target.repositories.length} ${target.repositories.length === 1 ? "repository" : "repositories"} already ${target.repositories.length === 1 ? "reaches" : "reach"} ${target.level}; ${behind.length} ${behind.length === 1 ? "does" : "do"} not yet.</p>
${
  target.blocking.length === 0
    ? html`<p>No rule keeps a repository below ${target.level}.</p>`
    : html`<div class="table-wrap"><table id="target-blocking-${index}"><caption>Rules keeping repositories below ${target.level}, by repositories</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Repositories missing it</th></tr></thead>
<tbody>${target.blocking.map((rule) => html`<tr><th scope="row">${rule.id}</th><td>${rule.repositories}</td></tr>`)}</tbody></table></div>`
}
<h3>Repositories</h3>
<div class="table-wrap"><table id="target-repositories-${index}"><caption>The repositories with this target and whether they reach it</caption>
<thead><tr><th scope="col">Repository</th><th scope="col">Reaches ${target.level}</th></tr></thead>
<tbody>${target.repositories.map((name) => {
      const [owner, repo] = [name.slice(0, name.indexOf("/")), name.slice(name.indexOf("/") + 1)];
      return html`<tr><th scope="row"><a href="${repositoryPath({ owner, repo })}">${name}</a></th><td>${target.reaching.includes(name) ? html`<span class="pass">yes</span>` : html`<span class="fail">not yet</span>`}</td></tr>`;
    })}</tbody></table></div>
<h3>Trend toward ${dayInWords(target.from)}</h3>
${targetTrendChart(target.trend, target.level, view.ladder, `target-trend-${index}`)}
<p class="summary">Filled: repositories reaching ${target.level} at the end of the day; outlined: all of the target's repositories evaluated by then.</p>
<details><summary>The numbers per day</summary>
<div class="table-wrap"><table id="target-trend-table-${index}"><caption>Repositories reaching ${target.level} at the end of each day (UTC), of the target's repositories evaluated by then</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Reaching ${target.level}</th><th scope="col">Of</th></tr></thead>
<tbody>${[...target.trend].reverse().map((day) => html`<tr><th scope="row">${day.day}</th><td>${day.reaching}</td><td>${day.total}</td></tr>`)}</tbody></table></div>
</details>
</section>`;
  });
  const body = html`<nav aria-label="Breadcrumb"><a href="/dashboard">All repositories</a> › Dated targets</nav>
<h1>Dated targets</h1>
<p class="summary">A configuration may raise its required level on a day (<code>level: { required: silver, from: "2027-03-01", until-then: bronze }</code>). Until then the higher level is advisory; on the day it becomes required. Targets of the repositories you can see, soonest first.</p>
${view.targets.length === 0 ? html`<p id="no-targets">No dated target is ahead for the repositories you can see.</p>` : sections}`;
  return layout("Dated targets", body, view.viewer);
}

export function auditPath(record: { readonly owner: string; readonly repo: string }): string {
  return `${repositoryPath(record)}/audit`;
}

export interface AuditView {
  readonly viewer: Viewer;
  /** The repository's standing (its attestation items' state). */
  readonly record: StoredEvaluation;
  /** The audit log of the repository, oldest first, as the store returns it. */
  readonly entries: readonly StoredDecision[];
  /** ISO time from the web layer's clock: which waivers have expired. */
  readonly now: string;
}

const KIND_TEXT: Record<string, string> = { waive: "waived", unwaive: "unwaived", attest: "attested" };

/** A comment address from the log is linked only when it is an http(s) address. */
function commentLink(url: string, text: string): Html | string {
  return /^https?:\/\//i.test(url) ? html`<a href="${url}">${text}</a>` : text;
}

function shortTime(iso: string): Html {
  return html`<time datetime="${iso}">${iso.slice(0, 16).replace("T", " ")}</time>`;
}

/** The waivers in force: the newest waive or unwaive of each rule on each pull request, when it is a waive not yet expired. */
function waiversInForce(entries: readonly StoredDecision[], now: string): StoredDecision[] {
  const newest = new Map<string, StoredDecision>();
  for (const entry of entries) {
    if (entry.kind === "attest" || entry.pullNumber === undefined) continue;
    newest.set(`${entry.pullNumber}\u0000${entry.target}`, entry);
  }
  return [...newest.values()].filter((entry) => entry.kind === "waive" && (entry.expiresAt === undefined || entry.expiresAt > now));
}

/** Every repository's audit page: what is in force, then the whole log, newest first, and its exports. */
export function auditPage(view: AuditView): string {
  const { record } = view;
  const name = repositoryName(record);
  const api = `/api/audit/${encodeURIComponent(record.owner)}/${encodeURIComponent(record.repo)}`;
  const rows = auditRows(view.entries);
  const waivers = waiversInForce(view.entries, view.now);
  const latestAttestation = new Map<string, StoredDecision>();
  for (const entry of view.entries) if (entry.kind === "attest") latestAttestation.set(entry.target, entry);
  const items = new Map<string, StoredEvaluation["rules"][number]>();
  for (const rule of record.rules) if (rule.id.startsWith(ATTESTATION_PREFIX)) items.set(rule.id.slice(ATTESTATION_PREFIX.length), rule);
  const itemIds = [...new Set([...items.keys(), ...latestAttestation.keys()])].sort((a, b) => a.localeCompare(b));
  const body = html`<nav aria-label="Breadcrumb"><a href="/dashboard">All repositories</a> › <a href="${repositoryPath(record)}">${name}</a> › Audit log</nav>
<h1>Audit log of ${name}</h1>
<p class="summary">Decisions people recorded with <code>/readiness</code> commands, append-only: entries are never changed or deleted. Export for auditors: <a href="${api}.csv">CSV</a>, <a href="${api}.json">JSON</a>.</p>
<section aria-labelledby="waivers-heading">
<h2 id="waivers-heading">Waivers in force</h2>
${
  waivers.length === 0
    ? html`<p id="no-waivers">No waiver is in force.</p>`
    : html`<div class="table-wrap"><table id="waivers"><caption>The newest waiver of each rule on each pull request, not unwaived and not expired</caption>
<thead><tr><th scope="col">Rule</th><th scope="col">Pull request</th><th scope="col">By</th><th scope="col">Reason</th><th scope="col">Since</th><th scope="col">Expires</th></tr></thead>
<tbody>${waivers.map(
        (entry) =>
          html`<tr><th scope="row">${entry.target}</th><td>#${entry.pullNumber ?? ""}</td><td>@${entry.actor}</td><td>${entry.reason}</td><td>${shortTime(entry.createdAt)}</td><td>${entry.expiresAt ? shortTime(entry.expiresAt) : entry.untilPush ? "at the next push" : "never"}${entry.expiresAt && entry.untilPush ? ", or at the next push" : ""}</td></tr>`,
      )}</tbody></table></div>`
}
</section>
<section aria-labelledby="attestations-heading">
<h2 id="attestations-heading">Attestations</h2>
${
  itemIds.length === 0
    ? html`<p id="no-attestations">No attestation item is configured or on record.</p>`
    : html`<div class="table-wrap"><table id="attestations"><caption>Each attestation item: its standing at the last evaluation (with its expiry) and the last attestation on record</caption>
<thead><tr><th scope="col">Item</th><th scope="col">Standing</th><th scope="col">Last attested by</th><th scope="col">When</th><th scope="col">Evidence</th></tr></thead>
<tbody>${itemIds.map((id) => {
        const rule = items.get(id);
        const last = latestAttestation.get(id);
        const standing = rule ? html`<span class="${PASSING_CLASS[rule.status] ?? "unknown"}">${rule.status}</span>${rule.reason ? html`: ${rule.reason}` : ""}${rule.findings?.[0] ? html`: ${rule.findings[0].message}` : ""}` : html`<span class="none">not configured at the last evaluation</span>`;
        return html`<tr><th scope="row">${id}</th><td>${standing}</td><td>${last ? `@${last.actor}` : "—"}</td><td>${last ? commentLink(last.commentUrl, last.createdAt.slice(0, 16).replace("T", " ")) : "never"}</td><td>${last?.reason ?? "—"}</td></tr>`;
      })}</tbody></table></div>`
}
</section>
<section aria-labelledby="log-heading">
<h2 id="log-heading">Every decision</h2>
${
  rows.length === 0
    ? html`<p id="no-decisions">No decision on record for this repository.</p>`
    : html`<div class="table-wrap"><table id="audit-log"><caption>${rows.length} ${rows.length === 1 ? "entry" : "entries"}, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Why</th><th scope="col">Commit</th><th scope="col">Where</th><th scope="col">Expires</th></tr></thead>
<tbody>${[...rows].reverse().map(
        (row) =>
          html`<tr><th scope="row">${shortTime(row.createdAt)}</th><td>@${row.actor}</td><td>${KIND_TEXT[row.kind] ?? row.kind} <code>${row.target}</code>${row.pullNumber !== null ? ` on #${row.pullNumber}` : ""}</td><td>${row.reason || "—"}</td><td>${row.sha ? html`<code>${row.sha.slice(0, 12)}</code>` : "—"}</td><td>${commentLink(row.commentUrl, `comment on #${row.issueNumber}`)}</td><td>${row.expiresAt ? shortTime(row.expiresAt) : row.untilPush ? "at the next push" : "—"}${row.expiresAt && row.untilPush ? ", or at the next push" : ""}</td></tr>`,
      )}</tbody></table></div>`
}
</section>`;
  return layout(`Audit log of ${name}`, body, view.viewer);
}
