/**
 * The dashboard in a real browser: headless Chromium (Debian's `chromium`, driven by
 * puppeteer-core) signs in through the fake GitHub on loopback and reads the organisation and a
 * repository page of a seeded store (50 repositories, 90 days), as a person would: the table, the
 * chart, the filters (a GET form, no script), the keyboard's skip link, and no console errors.
 * Screenshots go to test-output/browser/ (git-ignored).
 *
 * Chromium is found at READINESS_CHROMIUM_PATH or /usr/bin/chromium (.ci/run installs it).
 * Without it the test is reported as skipped, never passed, and under CI that fails.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, jest, test } from "@jest/globals";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { openSqliteStateStore } from "../../src/state/sql.js";
import type { EvaluationRecord, StateStore } from "../../src/state/types.js";
import { seedScorecards, SEEDED_INSTALLATION, seededVisibility } from "../helpers/scorecards.js";
import { serveWeb, type ServedWeb } from "../helpers/web.js";

const CHROMIUM = process.env.READINESS_CHROMIUM_PATH || "/usr/bin/chromium";
const OUTPUT = join(process.cwd(), "test-output", "browser");
const NOW = new Date("2026-03-31T12:00:00Z");
const REPOSITORIES = 50;
const DAYS = 90;

const available = existsSync(CHROMIUM);

if (!available && process.env.CI === "true") {
  test("CI installs Chromium, so the dashboard is tested in a browser (.ci/run installs it)", () => {
    throw new Error(`Chromium is not at ${CHROMIUM} under CI: the browser test did not run`);
  });
} else if (!available) {
  describe.skip(`the dashboard in Chromium (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`, () => {
    test("the dashboard in a browser", () => {});
  });
} else {
  describe("the dashboard in Chromium", () => {
    jest.setTimeout(120_000);
    let store: StateStore;
    let web: ServedWeb;
    let browser: Browser;
    let page: Page;
    const problems: string[] = [];
    let latest: EvaluationRecord[];
    /** Every repository but the first (private): the person cannot see that one. */
    let visibleNames: string[];

    beforeAll(async () => {
      mkdirSync(OUTPUT, { recursive: true });
      store = openSqliteStateStore(":memory:");
      await store.migrate();
      const records = await seedScorecards(store, { repositories: REPOSITORIES, days: DAYS, now: NOW });
      const newest = new Map<string, EvaluationRecord>();
      for (const record of records) newest.set(record.repo, record);
      latest = [...newest.values()];
      expect(seededVisibility(0)).toBe("private");
      visibleNames = latest.map((record) => `${record.owner}/${record.repo}`).filter((name) => name !== "acme/service-001");
      web = await serveWeb(store, {}, NOW);
      web.github.signInAs = { id: 5, login: "octo-person", repositories: new Map([[SEEDED_INSTALLATION, visibleNames]]) };
      browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), "--disable-gpu", "--disable-dev-shm-usage"],
      });
      page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 1000 });
      page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warn") problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${String(error)}`));
    });

    afterAll(async () => {
      await browser?.close();
      await web?.close();
      await store?.close();
    });

    test("signing in leads to the organisation page: every visible repository, the matrix, the blocking rules and the chart", async () => {
      await page.goto(`${web.url}/dashboard`);
      expect(await page.$eval("h1", (h) => h.textContent)).toBe("Sign in to see the scorecards");
      await Promise.all([page.waitForNavigation(), page.click("a.button")]);
      expect(new URL(page.url()).pathname).toBe("/dashboard");
      expect(await page.$eval("h1", (h) => h.textContent)).toBe("Readiness scorecards");
      expect(await page.$eval("header", (h) => h.textContent)).toContain("Signed in as octo-person");
      // The sign-in page is answered with 401, which Chromium reports; nothing else may be.
      expect(problems.splice(0)).toEqual(["error: Failed to load resource: the server responded with a status of 401 (Unauthorized)"]);

      const rows = await page.$$eval("#repositories tbody tr", (trs) => trs.map((tr) => tr.querySelector("th")!.textContent));
      expect(rows).toEqual(visibleNames);
      expect(rows).not.toContain("acme/service-001");
      const headers = await page.$$eval("#repositories thead th", (ths) => ths.map((th) => [th.textContent, th.getAttribute("scope")]));
      expect(headers.map(([text]) => text)).toEqual(["Repository", "Level reached", "Required", "security", "reliability", "observability", "ownership", "incident", "testing", "documentation", "Evaluated"]);
      expect(headers.every(([, scope]) => scope === "col")).toBe(true);
      const firstRow = await page.$$eval("#repositories tbody tr:first-child td", (tds) => tds.map((td) => td.textContent));
      const first = latest.find((record) => record.repo === "service-002")!;
      expect(firstRow[0]).toContain(first.levelReached ?? "none");
      expect(firstRow[1]).toBe(first.levelRequired);

      expect(await page.$$eval("#blocking tbody tr", (trs) => trs.length)).toBeGreaterThan(0);
      const bars = await page.$$eval("#distribution g.bar", (groups) => groups.length);
      expect(bars).toBe(DAYS);
      const box = await page.$eval("#distribution", (svg) => svg.getBoundingClientRect().toJSON() as { width: number; height: number });
      expect(box.width).toBeGreaterThan(400);
      expect(box.height).toBeGreaterThan(100);
      // The last day's bar counts every visible repository.
      expect(await page.$eval("#distribution g.bar:last-of-type title", (title) => title.textContent)).toMatch(/^2026-03-31: /);
      const lastDay = await page.$$eval("#distribution-table tbody tr:first-child td", (tds) => tds.map((td) => Number(td.textContent)));
      expect(lastDay.reduce((sum, count) => sum + count, 0)).toBe(visibleNames.length);

      await page.screenshot({ path: join(OUTPUT, "organisation.png"), fullPage: true });
      expect(problems).toEqual([]);
    });

    test("the filters are a form that works without script: level, area and owner narrow the table", async () => {
      expect(await page.$$eval("script", (scripts) => scripts.length)).toBe(0);
      const visible = latest.filter((record) => visibleNames.includes(`${record.owner}/${record.repo}`));

      await page.select("#filter-level", "below");
      await Promise.all([page.waitForNavigation(), page.click("form.filters button[type=submit]")]);
      expect(new URL(page.url()).searchParams.get("level")).toBe("below");
      const below = visible.filter((record) => record.outcome === "failure").map((record) => `${record.owner}/${record.repo}`);
      expect(await page.$$eval("#repositories tbody tr th", (ths) => ths.map((th) => th.textContent))).toEqual(below);

      await page.select("#filter-level", "");
      await page.select("#filter-owner", "@acme/sre");
      await page.select("#filter-area", "security");
      await Promise.all([page.waitForNavigation(), page.click("form.filters button[type=submit]")]);
      const expected = visible
        .filter((record) => record.owners!.includes("@acme/sre"))
        .filter((record) => record.rules.some((rule) => rule.area === "security" && rule.status === "fail"))
        .map((record) => `${record.owner}/${record.repo}`);
      expect(expected.length).toBeGreaterThan(0);
      expect(await page.$$eval("#repositories tbody tr th", (ths) => ths.map((th) => th.textContent))).toEqual(expected);
      // The form shows the filters in force.
      expect(await page.$eval("#filter-owner", (select) => (select as unknown as { value: string }).value)).toBe("@acme/sre");
      const labels = await page.$$eval("form.filters label", (elements) =>
        elements.map((label) => [label.firstChild?.textContent?.trim(), label.getAttribute("for"), label.querySelector("select")?.id]),
      );
      expect(labels).toEqual([
        ["Level", "filter-level", "filter-level"],
        ["Failing in area", "filter-area", "filter-area"],
        ["Owner (CODEOWNERS)", "filter-owner", "filter-owner"],
      ]);
      await Promise.all([page.waitForNavigation(), page.click("a[href='/dashboard']:not(nav a)")]);
      expect(await page.$$eval("#repositories tbody tr", (trs) => trs.length)).toBe(visibleNames.length);
      expect(problems).toEqual([]);
    });

    test("the keyboard reaches the skip link first, and it leads to the main content", async () => {
      await page.keyboard.press("Tab");
      expect(await page.$eval(":focus", (element) => element.textContent)).toBe("Skip to content");
      await page.keyboard.press("Enter");
      expect(await page.$eval(":focus", (element) => element.id)).toBe("main");
      expect(await page.$$eval("header[role=banner], main, nav", (elements) => elements.length)).toBeGreaterThanOrEqual(3);
    });

    test("a repository page shows its rules with findings and fixes, its level history and its badge", async () => {
      await Promise.all([page.waitForNavigation(), page.click("#repositories tbody tr:nth-child(4) th a")]);
      const name = visibleNames[3]!;
      expect(await page.$eval("h1", (h) => h.textContent)).toBe(name);
      const record = latest.find((item) => `${item.owner}/${item.repo}` === name)!;
      const rules = await page.$$eval("#rules tbody tr", (trs) => trs.map((tr) => [tr.querySelector("th")!.textContent, tr.children[4]!.textContent] as [string, string]));
      expect(new Map(rules)).toEqual(new Map(record.rules.map((rule) => [rule.id, rule.status])));
      const failing = record.rules.find((rule) => rule.status === "fail");
      if (failing) {
        const text = await page.$eval("#rules", (table) => table.textContent);
        expect(text).toContain(failing.findings![0]!.message);
        expect(text).toContain(`How to fix: ${failing.fix}`);
      }
      expect(await page.$$eval("#history rect", (cells) => cells.length)).toBe(DAYS);
      expect(await page.$$eval("#history-table tbody tr", (trs) => trs.length)).toBe(DAYS);
      const badge = await page.$eval("section[aria-labelledby=badge-heading] img", (img) => ({ width: (img as unknown as { naturalWidth: number }).naturalWidth, alt: img.getAttribute("alt") }));
      expect(badge.width).toBeGreaterThan(50);
      expect(badge.alt).toBe(`readiness: ${record.levelReached ?? "none"}`);
      await page.screenshot({ path: join(OUTPUT, "repository.png"), fullPage: true });
      expect(problems).toEqual([]);
    });

    test("a repository the person cannot see is not found (the only console message: its 404)", async () => {
      const response = await page.goto(`${web.url}/dashboard/repositories/acme/service-001`);
      expect(response?.status()).toBe(404);
      expect(await page.content()).not.toContain("service-001</h1>");
      expect(problems).toEqual(["error: Failed to load resource: the server responded with a status of 404 (Not Found)"]);
    });
  });
}
