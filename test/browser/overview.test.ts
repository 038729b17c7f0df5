// The Overview page (the project's home): stats with their change against the previous period, six charts with axes
// and a readout, tables by model and name, a range picker in the URL, clicks that open the filtered trace list, the
// onboarding for an empty project; laid out at 1280 and 375 px, light and dark (screenshots in test/browser/.shots).
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, createAccount, openPage, VIEWS } from "./fixtures.ts";

let browser: Browser;
let demo: Account;
const SHOTS = "test/browser/.shots";
beforeAll(async () => {
  browser = await launch();
  demo = await createAccount("Overseer", true);
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => browser?.close());

const loaded = async (page: Page) => {
  await page.getByTestId("overview-charts").waitFor();
  await expect.poll(() => page.locator("[aria-busy=true]").count()).toBe(0);
};

/** Boxes of the page's parts: nothing wider than the window, charts side by side only when there is room. */
function layout(page: Page) {
  return page.evaluate(() => {
    const box = (el: Element) => el.getBoundingClientRect();
    const charts = Array.from(document.querySelectorAll("[data-testid=overview-charts] .metric-chart")).map(box);
    const stats = Array.from(document.querySelectorAll("[data-testid=overview-stats] > div")).map(box);
    return {
      pageWidth: document.documentElement.scrollWidth,
      charts: charts.map((r) => ({ left: r.left, right: r.right, top: r.top, width: r.width })),
      stats: stats.map((r) => ({ left: r.left, right: r.right, top: r.top })),
      tables: document.querySelectorAll(".group-table table").length,
      overlaps: charts.some((a, i) =>
        charts.some(
          (b, j) =>
            i < j && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1,
        ),
      ),
    };
  });
}

describe("Overview", () => {
  for (const view of VIEWS) {
    it(`lays out stats, six charts and four tables at ${view.width} px (${view.colorScheme})`, async () => {
      const { page, context } = await openPage(browser, demo, "/overview", view);
      await loaded(page);
      const l = await layout(page);
      expect(l.pageWidth).toBeLessThanOrEqual(view.width);
      expect(l.charts).toHaveLength(6);
      expect(l.overlaps).toBe(false);
      for (const c of l.charts) expect(c.right).toBeLessThanOrEqual(view.width);
      // Several charts a row on a desktop, one on a phone.
      const rowOf = (top: number) => l.charts.filter((c) => Math.abs(c.top - top) < 2).length;
      if (view.width >= 1280) expect(rowOf(l.charts[0]!.top)).toBeGreaterThanOrEqual(2);
      else expect(rowOf(l.charts[0]!.top)).toBe(1);
      expect(l.stats.length).toBeGreaterThanOrEqual(6);
      expect(l.tables).toBe(4);
      const stats = await page.getByTestId("overview-stats").textContent();
      expect(stats).toMatch(/Traces\s*\d+/);
      expect(stats).toMatch(/Model calls\s*\d+/);
      expect(stats).toMatch(/Cost\s*\$\d/);
      await page.screenshot({ path: `${SHOTS}/overview-${view.width}-${view.colorScheme}.png`, fullPage: true });
      await context.close();
    });
  }

  it("draws axes and reads a bucket out on hover; clicking it opens the trace list for that hour", async () => {
    const { page, context } = await openPage(browser, demo, "/overview?range=24h");
    await loaded(page);
    const chart = page.getByTestId("chart-volume");
    expect(await chart.locator("path").count()).toBe(2);
    const values = await chart.locator("svg > g > text").allTextContents();
    expect(values.length).toBeGreaterThanOrEqual(2);
    const plot = chart.locator(".chart-plot");
    expect(await plot.getAttribute("aria-valuemax")).toBe("23");
    const box = (await chart.locator("svg").boundingBox())!;
    await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
    const readout = page.getByTestId("chart-readout");
    await readout.waitFor();
    expect(await readout.textContent()).toMatch(/traces\s*\d+.*model calls\s*\d+/);
    // The latest hour with traces, found with the arrow keys, then clicked.
    await page.mouse.move(0, 0);
    await plot.focus();
    let at = 24;
    for (; at > 0; at--) {
      await page.keyboard.press("ArrowLeft");
      if (/traces\s*[1-9]/.test((await readout.textContent()) ?? "")) break;
    }
    expect(at).toBeGreaterThan(0);
    const bucket = (await chart.locator("rect.hover").boundingBox())!;
    await page.mouse.click(bucket.x + bucket.width / 2, bucket.y + bucket.height / 2);
    await page.waitForURL(/\/traces\?from=\d+&to=\d+/);
    const url = new URL(page.url());
    expect(Number(url.searchParams.get("to")) - Number(url.searchParams.get("from"))).toBe(3_600_000);
    await expect.poll(() => page.locator("table tbody tr").count()).toBeGreaterThan(0);
    await context.close();
  });

  it("shows the share of failed traces beside the model calls' errors, and a name's row opens its traces", async () => {
    const { page, context } = await openPage(browser, demo, "/overview?range=30d");
    await loaded(page);
    // The demo's failures are mostly tools and steps, not model calls: the traces' rate is the one that moves.
    await expect.poll(() => page.getByTestId("overview-stats").textContent()).toMatch(/Failed traces\s*[1-9][\d.]*%/);
    expect(await page.getByTestId("chart-errors").locator("path").count()).toBe(2);
    // A name is any event's (a model call's, a tool's), as the metrics group them: its row lists the traces with it.
    const table = page.getByTestId("table-costliest-names");
    const name = (await table.locator("tbody tr a").first().textContent())!;
    await table.getByRole("link", { name, exact: true }).click();
    await page.waitForURL(/\/traces\?/);
    expect(new URL(page.url()).searchParams.get("event_name")).toBe(name);
    await expect.poll(() => page.locator("[data-testid=trace-table] tbody tr[data-trace]").count()).toBeGreaterThan(0);
    expect(await page.locator(".chips").textContent()).toContain(`Event name: ${name}`);
    expect(await page.locator(".chips").textContent()).toMatch(/From: [A-Z][a-z]{2} \d+, \d\d:\d\d [AP]M/);
    await context.close();
  });

  it("draws an empty chart with its zero line only, no scale above it", async () => {
    const { page, context } = await openPage(browser, demo, "/overview?model=no-such-model");
    await loaded(page);
    const charts = page.locator("[data-testid=overview-charts] .metric-chart");
    await expect.poll(() => charts.filter({ hasText: "None in this range" }).count()).toBe(6);
    const ticks = await charts.evaluateAll((figures) =>
      figures.map((f) => Array.from(f.querySelectorAll(".y-axis text")).map((t) => t.textContent)),
    );
    expect(ticks).toHaveLength(6);
    for (const axis of ticks) expect(axis).toHaveLength(1); // "0", "0 ms", "$0", "0%" (it read "500 µs" above)
    await context.close();
  });

  it("says when a custom range in the URL can't be read, and which range it shows instead", async () => {
    const { page, context } = await openPage(browser, demo, "/overview?range=custom&from=2026-12-05&to=2026-12-01");
    await loaded(page);
    expect(await page.getByRole("status").filter({ hasText: "custom range" }).textContent()).toContain(
      "showing the last 24 h",
    );
    expect(await page.getByRole("button", { name: "24 h", exact: true }).getAttribute("aria-pressed")).toBe("false");
    await context.close();
  });

  it("keeps the range in the URL, and a model's row opens its traces", async () => {
    const { page, context } = await openPage(browser, demo, "/overview");
    await loaded(page);
    await page.getByRole("button", { name: "1 h", exact: true }).click();
    await page.waitForURL(/range=1h/);
    await expect
      .poll(() => page.getByTestId("chart-volume").locator(".chart-plot").getAttribute("aria-valuemax"))
      .toBe("59");
    await page.getByRole("button", { name: "24 h", exact: true }).click();
    await page.waitForURL(/range=24h/);
    await loaded(page);
    // The row is found again by its model when clicked: the table may still re-render with the 24 h answer (a run
    // at load ~3 read the 1 h table's first model, then clicked the 24 h table's first row).
    const model = (await page.getByTestId("table-by-model").locator("tbody tr a").first().textContent())!;
    await page.getByTestId("table-by-model").getByRole("link", { name: model, exact: true }).click();
    await page.waitForURL(/\/traces\?/);
    expect(new URL(page.url()).searchParams.get("model")).toBe(model);
    await context.close();
  });

  it("filters by environment through the URL, and explains how to send a first event when the project is empty", async () => {
    const { page, context } = await openPage(browser, demo, "/overview");
    await loaded(page);
    await page.getByLabel("Environment").fill("nowhere");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/environment=nowhere/);
    await expect.poll(() => page.getByTestId("overview-stats").textContent()).toMatch(/Model calls\s*0/);
    await context.close();

    const empty = await createAccount("Newcomer");
    const fresh = await openPage(browser, empty, "/overview");
    await fresh.page.getByRole("heading", { name: "Send your first event" }).waitFor();
    await fresh.context.close();
  });
});
