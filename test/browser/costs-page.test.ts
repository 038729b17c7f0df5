// The costs page and compare: a chart with one bar per bucket, axes and a readout; one cost format (unknown is
// "no price", never $0); a model's names grouped under its price; a safe CSV; and compare's A/B columns.
import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, createAccount, openPage, parseCsv, sendEvents } from "./fixtures.ts";

let browser: Browser;
let demo: Account;
beforeAll(async () => {
  browser = await launch();
  demo = await createAccount("Coster", true);
});
afterAll(async () => browser?.close());

describe("cost chart", () => {
  it("draws one bar per bucket with a dollar axis, a date axis and a readout on hover", async () => {
    const { page, context } = await openPage(browser, demo, "/costs");
    const chart = page.getByTestId("cost-chart");
    await chart.waitFor();
    expect(await chart.locator(".bucket").count()).toBe(30);
    const dollars = await chart.locator(".y-axis text").allTextContents();
    expect(dollars.length).toBeGreaterThanOrEqual(3);
    for (const d of dollars) expect(d).toMatch(/^\$\d+(\.\d+)?$/);
    expect(new Set(dollars).size).toBe(dollars.length);
    const dates = await chart.locator(".x-axis text").allTextContents();
    expect(dates.length).toBeGreaterThanOrEqual(4);
    for (const d of dates) expect(d).toMatch(/^[A-Z][a-z]{2} \d{1,2}$/);

    // The latest bar with calls reads out its date, total and models.
    const latest = chart.locator(".bucket:has(rect)").last();
    const day = Number(await latest.getAttribute("data-bucket"));
    const bar = (await latest.locator("rect").first().boundingBox())!;
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    const readout = page.getByTestId("chart-readout");
    await readout.waitFor();
    const text = (await readout.textContent())!;
    expect(text).toContain(
      new Date(day).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" }),
    );
    expect(text).toMatch(/\$0\.\d+/);
    expect(await readout.locator("li").count()).toBeGreaterThan(0);
    await page.mouse.move(0, 0);
    await expect.poll(() => readout.count()).toBe(0);

    for (const [range, bars] of [
      ["24h", 24],
      ["7d", 7],
      ["90d", 90],
    ] as const) {
      await page.getByLabel("Range").selectOption(range);
      await expect.poll(() => chart.locator(".bucket").count(), { message: range }).toBe(bars);
    }
    await context.close();
  });
});

describe("cost formatting", () => {
  it("says 'no price' for unpriced models and never shows $0.00000 or $0 for them", async () => {
    const { page, context } = await openPage(browser, demo, "/costs");
    const byModel = page.getByTestId("by-model");
    await byModel.locator("tbody tr").first().waitFor();
    const unpriced = byModel.locator("tr", { hasText: "ft:gpt-4o-mini:acme:support-v2" });
    expect(await unpriced.locator("td").nth(1).textContent()).toBe("no price");
    const body = (await page.locator("main").textContent())!;
    expect(body).not.toMatch(/\$0\.00000(?!\d)/);
    expect(body).not.toMatch(/\$0(?![.\d])/);
    expect(await page.getByTestId("cost-totals").textContent()).toMatch(/Cost\$\d+\.\d+ \+ 2 unpriced/);

    // A trace without model calls has no cost; a trace list never says $0 for it.
    await page.goto(page.url().replace("/costs", "/traces"));
    const table = page.getByTestId("trace-table");
    await table.locator("tbody tr").first().waitFor();
    expect(await table.textContent()).not.toMatch(/\$0(?![.\d])|\$0\.00000(?!\d)/);
    await context.close();
  });
});

describe("costs by model and CSV", () => {
  let tenant: Account;
  beforeAll(async () => {
    tenant = await createAccount("Csv");
    const now = Date.now() - 60_000;
    const call = (i: number, model: string, cost_usd?: number) => ({
      event_id: crypto.randomUUID(),
      trace_id: `csv-${i}`,
      type: "model_response",
      name: "call",
      model,
      provider: "openai",
      timestamp: now + i,
      usage: { input_tokens: 1000, output_tokens: 100 },
      ...(cost_usd !== undefined && { cost_usd }),
    });
    await sendEvents(tenant, [
      call(1, "gpt-4o-mini"),
      call(2, "gpt-4o-mini-2024-07-18"),
      call(3, 'x",=2+3,"', 0.1),
      call(4, 'x",=2+3,"', 0.2),
      call(5, '=HYPERLINK("http://example.com")', 0.5),
      call(6, "@SUM(1+1)", 0.25),
    ]);
  });

  it("groups a model's dated and undated names under the price they matched, listing the names", async () => {
    const { page, context } = await openPage(browser, tenant, "/costs");
    const byModel = page.getByTestId("by-model");
    await byModel.locator("tbody tr").first().waitFor();
    const rows = byModel.locator("tbody tr", { hasText: "gpt-4o-mini" });
    expect(await rows.count()).toBe(1);
    expect(await rows.locator("td").first().textContent()).toBe("gpt-4o-minias gpt-4o-mini, gpt-4o-mini-2024-07-18");
    expect(await rows.locator("td").nth(2).textContent()).toBe("2");
    await context.close();
  });

  it("exports quoted, formula-safe cells with costs rounded to 10 significant digits", async () => {
    const { page, context } = await openPage(browser, tenant, "/costs");
    await page.getByTestId("by-model").locator("tbody tr").first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    const text = await readFile((await download.path())!, "utf8");
    const rows = parseCsv(text);
    expect(rows[0]!.slice(0, 3)).toEqual(["model", "cost_usd", "calls"]);
    const byName = new Map(rows.slice(1).map((r) => [r[0], r]));
    // 0.1 + 0.2 is 0.30000000000000004 in floating point.
    expect(byName.get('x",=2+3,"')?.[1]).toBe("0.3");
    expect(text).toContain('"x"",=2+3,"""');
    expect(byName.get('\'=HYPERLINK("http://example.com")')?.[1]).toBe("0.5");
    expect(byName.get("'@SUM(1+1)")?.[1]).toBe("0.25");
    expect(byName.get("gpt-4o-mini")?.at(-1)).toBe("gpt-4o-mini; gpt-4o-mini-2024-07-18");
    for (const r of rows.slice(1)) {
      expect(r[0]).not.toMatch(/^[=+\-@]/);
      expect(r[1]!.replace(/^0\.0*|\./g, "").length, r[1]).toBeLessThanOrEqual(10);
    }
    await context.close();
  });
});

describe("compare", () => {
  it("names its columns A and B with each trace's name and start, and shows no cost delta without a price", async () => {
    const { page, context } = await openPage(browser, demo, "/compare?a=demo-support-agent&b=demo-support-agent-retry");
    const totals = page.getByTestId("compare-totals");
    await totals.locator("tbody tr").first().waitFor();
    for (const table of [totals, page.getByTestId("compare-spans")]) {
      const [a, b] = await Promise.all([
        table.locator("th").nth(1).textContent(),
        table.locator("th").nth(2).textContent(),
      ]);
      expect(a).toMatch(/^A\s*support-agent.*\d{1,2}:\d{2}/);
      expect(b).toMatch(/^B\s*support-agent.*\d{1,2}:\d{2}/);
      expect(a!.slice(1)).not.toBe(b!.slice(1));
    }
    const costRow = totals.locator("tbody tr", { hasText: "Cost" });
    expect(await costRow.locator("td").last().textContent()).toBe("no price");
    expect(await costRow.locator(".better, .worse").count()).toBe(0);
    expect(await costRow.textContent()).toContain("+ 1 unpriced");
    const answer = page.getByTestId("compare-spans").locator("tbody tr", { hasText: "answer" });
    expect(await answer.locator("td").last().textContent()).toBe("no price");
    expect(await answer.locator("td").nth(2).textContent()).toContain("no price");
    await context.close();
  });
});
