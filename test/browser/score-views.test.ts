// Scores on the Overview, Sessions and Users pages (demo data: end users' thumbs, an SDK's groundedness, an intent
// label). The Overview: a chart per score name, the mean over time for numbers and booleans, stacked counts per label
// for categorical ones; a bucket opens the trace list filtered by the score. Sessions and users: a column per score
// name with each row's mean. Laid out at 1280 and 375 px, light and dark (screenshots in test/browser/.shots).
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, base, createAccount, openPage, VIEWS } from "./fixtures.ts";

let browser: Browser;
let demo: Account;
const SHOTS = "test/browser/.shots";
beforeAll(async () => {
  browser = await launch();
  demo = await createAccount("ScoreOverseer", true);
  mkdirSync(SHOTS, { recursive: true });
  // The demo data (events and scores through the queue) takes a while on a busy machine.
}, 180_000);
afterAll(async () => browser?.close());

const scoresLoaded = async (page: Page) => {
  await page.getByTestId("overview-scores").locator(".metric-chart").first().waitFor();
};

function layout(page: Page) {
  return page.evaluate(() => {
    const section = document.querySelector("[data-testid=overview-scores]")!;
    const charts = Array.from(section.querySelectorAll(".metric-chart")).map((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, id: el.getAttribute("data-testid") };
    });
    const legend = Array.from(section.querySelectorAll(".stacked-bars .legend")).map((el) => {
      const r = el.getBoundingClientRect();
      return { right: r.right };
    });
    const above = document.querySelector("[data-testid=overview-charts]")!.getBoundingClientRect();
    return {
      pageWidth: document.documentElement.scrollWidth,
      sectionTop: section.getBoundingClientRect().top,
      chartsBottom: above.bottom,
      charts,
      legend,
      overlaps: charts.some((a, i) =>
        charts.some(
          (b, j) =>
            i < j && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1,
        ),
      ),
    };
  });
}

describe("Overview: scores", () => {
  for (const view of VIEWS) {
    it(`shows a chart per score name below the others at ${view.width} px (${view.colorScheme})`, async () => {
      const { page, context } = await openPage(browser, demo, "/overview?range=30d", view);
      await scoresLoaded(page);
      const l = await layout(page);
      expect(l.pageWidth).toBeLessThanOrEqual(view.width);
      expect(l.charts.map((c) => c.id).sort()).toEqual([
        "score-chart-groundedness",
        "score-chart-intent",
        "score-chart-thumbs",
      ]);
      expect(l.overlaps).toBe(false);
      expect(l.sectionTop).toBeGreaterThanOrEqual(l.chartsBottom);
      for (const c of l.charts) expect(c.right).toBeLessThanOrEqual(view.width);
      for (const g of l.legend) expect(g.right).toBeLessThanOrEqual(view.width);
      const rowOf = (top: number) => l.charts.filter((c) => Math.abs(c.top - top) < 2).length;
      if (view.width >= 1280) expect(rowOf(l.charts[0]!.top)).toBeGreaterThanOrEqual(2);
      else expect(rowOf(l.charts[0]!.top)).toBe(1);
      await page
        .getByTestId("overview-scores")
        .screenshot({ path: `${SHOTS}/overview-scores-${view.width}-${view.colorScheme}.png` });
      await context.close();
    });
  }

  it("draws the mean as a line, booleans as a share, labels as stacked bars, and a bucket opens its scored traces", async () => {
    const { page, context } = await openPage(browser, demo, "/overview?range=30d");
    await scoresLoaded(page);
    const grounded = page.getByTestId("score-chart-groundedness");
    expect(await grounded.locator("figcaption").textContent()).toMatch(/groundedness · avg 0\.\d+ · \d+ scores/);
    expect(await grounded.locator("path").count()).toBe(1);
    expect(await page.getByTestId("score-chart-thumbs").locator("figcaption").textContent()).toMatch(/\d+% true/);
    const intent = page.getByTestId("score-chart-intent");
    expect(await intent.locator(".legend span").allTextContents()).toEqual(
      expect.arrayContaining(["how-to", "billing", "bug", "feature request"]),
    );
    // One bar segment per label for each day with scores.
    expect(await intent.locator("svg > g > rect").count()).toBeGreaterThanOrEqual(4 * 20);
    const plot = intent.locator(".chart-plot");
    await plot.focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    const readout = intent.getByTestId("chart-readout");
    expect(await readout.textContent()).toMatch(/how-to\s*\d+/);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/traces\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get("score")).toBe("intent");
    expect(Number(url.searchParams.get("to")) - Number(url.searchParams.get("from"))).toBe(86_400_000);
    await expect.poll(() => page.locator("table tbody tr").count()).toBeGreaterThan(0);
    await context.close();
  });

  it("follows the page's user filter", async () => {
    const { page, context } = await openPage(browser, demo, "/overview?range=30d&user_id=nobody-at-all");
    await page.getByTestId("overview-scores").getByText("No scores in this range").waitFor();
    await context.close();
  });
});

describe("Sessions and users: scores per row", () => {
  type Row = { scores: Array<{ name: string; count: number; avg: number | null }> } & Record<string, unknown>;
  const api = async (path: string) =>
    (await (
      await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${demo.keys.secret}` } })
    ).json()) as Record<string, Row[]>;

  for (const view of VIEWS) {
    it(`shows a column per score name with each row's mean at ${view.width} px (${view.colorScheme})`, async () => {
      const { page, context } = await openPage(browser, demo, "/sessions", view);
      const table = page.getByTestId("sessions-table");
      await table.locator("tbody tr").first().waitFor();
      const l = await page.evaluate(() => {
        const t = document.querySelector("table[data-testid=sessions-table]")!.getBoundingClientRect();
        const heads = Array.from(document.querySelectorAll("table[data-testid=sessions-table] th"))
          .filter((th) => (th as HTMLElement).offsetParent !== null && th.getBoundingClientRect().width > 0)
          .map((th) => th.textContent);
        return { pageWidth: document.documentElement.scrollWidth, right: t.right, heads };
      });
      expect(l.pageWidth).toBeLessThanOrEqual(view.width);
      expect(l.right).toBeLessThanOrEqual(view.width);
      if (view.width >= 1280) {
        expect(l.heads).toEqual(expect.arrayContaining(["groundedness", "intent", "thumbs"]));
        // The first row's cells are the API's means.
        const [first] = (await api("/api/v1/sessions?limit=50")).sessions!;
        const heads = await table.locator("th").allTextContents();
        const cells = await table.locator("tbody tr").first().locator("td").allTextContents();
        const mean = first!.scores.find((s) => s.name === "groundedness")!.avg!;
        expect(cells[heads.indexOf("groundedness")]).toBe(String(Math.round(mean * 100) / 100));
        const intent = first!.scores.find((s) => s.name === "intent")!;
        expect(cells[heads.indexOf("intent")]).toBe(`${intent.count}×`);
      }
      await page.screenshot({ path: `${SHOTS}/sessions-scores-${view.width}-${view.colorScheme}.png` });
      await context.close();
    });
  }

  it("shows users' means too", async () => {
    const { page, context } = await openPage(browser, demo, "/users");
    const table = page.getByTestId("users-table");
    await table.locator("tbody tr").first().waitFor();
    const heads = await table.locator("th").allTextContents();
    expect(heads).toEqual(expect.arrayContaining(["groundedness", "thumbs"]));
    const users = (await api("/api/v1/users?limit=50")).users!;
    const rows = await table.locator("tbody tr").count();
    expect(rows).toBe(users.length);
    const cells = await table.locator("tbody tr").first().locator("td").allTextContents();
    const thumbs = users[0]!.scores.find((s) => s.name === "thumbs")!.avg!;
    expect(cells[heads.indexOf("thumbs")]).toBe(String(Math.round(thumbs * 100) / 100));
    await context.close();
  });
});
