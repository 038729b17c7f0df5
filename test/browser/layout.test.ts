// Every page at 1280 × 800 and 375 × 812: tables fit their box (no clipped columns, no cut headers, every cut cell
// has a tooltip), the page never scrolls sideways, the trace page scrolls once per pane, and the trace list's filters
// are one row with the active ones as removable chips.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, apiGet, createAccount, openPage, SCROLLERS_OF } from "./fixtures.ts";

let browser: Browser;
let account: Account;
beforeAll(async () => {
  browser = await launch();
  account = await createAccount("Layout", true);
});
afterAll(async () => browser?.close());

const SIZES = [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
] as const;

/** Pages with tables, and how many tables each shows once loaded. */
const PAGES: Array<[string, number]> = [
  ["/overview", 4],
  ["/traces", 1],
  ["/sessions", 1],
  ["/users", 1],
  ["/sessions/chat-1042", 1],
  ["/costs", 4],
  ["/compare?a=demo-support-agent&b=demo-support-agent-retry", 2],
  ["/settings", 2],
  ["/settings/usage", 2],
];

/**
 * Tables wider than their box, headers cut short, and cut cells without a tooltip. A cell's text is cut when its
 * content is wider than the cell's inside: measured on a hidden copy sized to its content, since an ellipsis makes
 * the cell itself report no overflow.
 */
function tableProblems(page: Page, whole: string[] = []) {
  return page.evaluate((whole) => {
    const problems: string[] = [];
    const cut = (cell: HTMLElement) => {
      const probe = document.createElement("div");
      probe.style.cssText = "position:absolute;visibility:hidden;display:inline-block;white-space:nowrap;width:auto";
      for (const child of Array.from(cell.childNodes)) probe.appendChild(child.cloneNode(true));
      cell.appendChild(probe);
      const natural = probe.getBoundingClientRect().width;
      probe.remove();
      const style = getComputedStyle(cell);
      return natural > cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) + 0.5;
    };
    const name = (t: Element) => t.getAttribute("data-testid") ?? t.querySelector("th")?.textContent ?? "table";
    for (const table of Array.from(document.querySelectorAll("table"))) {
      const box = table.closest(".table-wrap") ?? table.parentElement!;
      if (table.getBoundingClientRect().width > box.clientWidth + 1)
        problems.push(`${name(table)}: ${Math.round(table.getBoundingClientRect().width)} px in ${box.clientWidth} px`);
      for (const cell of Array.from(table.querySelectorAll<HTMLElement>("th, td"))) {
        // Wrapping cells and form controls (sized to their cell by CSS) are never cut.
        if (!cell.offsetParent || cell.classList.contains("wrap") || cell.querySelector("select, input, button"))
          continue;
        if (!cut(cell)) continue;
        const column = table.querySelectorAll("th")[(cell as HTMLTableCellElement).cellIndex]?.textContent ?? "";
        if (whole.includes(column)) problems.push(`${name(table)}: ${column} "${cell.textContent}" cut`);
        else if (cell.tagName === "TH") problems.push(`${name(table)}: header "${cell.textContent}" cut`);
        else if (!cell.title) problems.push(`${name(table)}: cell "${cell.textContent}" cut without a tooltip`);
      }
    }
    if (document.documentElement.scrollWidth > innerWidth)
      problems.push(`page ${document.documentElement.scrollWidth} px wide`);
    return problems;
  }, whole);
}

describe("tables fit their box", () => {
  for (const size of SIZES) {
    it(`at ${size.width} px: no table wider than its box, no cut header, a tooltip on every cut cell`, async () => {
      for (const [path, tables] of PAGES) {
        const { page, context } = await openPage(browser, account, path, size);
        await expect.poll(() => page.locator("table tbody tr").count(), { message: path }).toBeGreaterThan(0);
        await expect.poll(() => page.locator("table").count(), { message: path }).toBe(tables);
        await expect.poll(() => page.locator("[aria-busy=true]").count(), { message: path }).toBe(0);
        expect(await tableProblems(page), `${path} at ${size.width}`).toEqual([]);
        await context.close();
      }
    });
  }

  it("shows the trace list's User and Session columns at 1280, with full values in tooltips", async () => {
    const { page, context } = await openPage(browser, account, "/traces");
    const table = page.getByTestId("trace-table");
    await table.locator("tbody tr").first().waitFor();
    const headers = await table
      .locator("th")
      .evaluateAll((ths) => ths.filter((th) => (th as HTMLElement).offsetParent).map((th) => th.textContent));
    expect(headers).toEqual(expect.arrayContaining(["User", "Session", "Models", "Cost"]));
    const row = table.locator("tr[data-trace=demo-eval-1000]");
    expect(await row.locator("td", { hasText: "nightly-2026-11-24" }).getAttribute("title")).toBe("nightly-2026-11-24");
    await context.close();
  });
});

describe("the trace list's columns at 1280", () => {
  it("show every start, duration and cost whole; with three score columns the names keep room", async () => {
    const { page, context } = await openPage(browser, account, "/traces?sort=cost");
    const table = page.getByTestId("trace-table");
    await table.locator("tbody tr").first().waitFor();
    expect(await tableProblems(page, ["Start", "Duration", "Cost"])).toEqual([]);
    await page.goto(`${page.url().split("?")[0]}?score_columns=groundedness,thumbs,intent`);
    await table.locator("tbody tr").first().waitFor();
    expect(await tableProblems(page, ["Start", "Duration", "Cost", "Session"])).toEqual([]);
    const nameWidth = await table
      .locator("th", { hasText: /^Name$/ })
      .evaluate((th) => th.getBoundingClientRect().width);
    expect(nameWidth).toBeGreaterThan(150);
    await context.close();
  });
});

describe("the trace list's columns on a phone", () => {
  it("keep the name readable: start and duration read under it, the cost whole", async () => {
    const { page, context } = await openPage(browser, account, "/traces", { width: 375, height: 812 });
    const table = page.getByTestId("trace-table");
    await table.locator("tbody tr").first().waitFor();
    const nameWidth = await table
      .locator("th", { hasText: /^Name$/ })
      .evaluate((th) => th.getBoundingClientRect().width);
    expect(nameWidth).toBeGreaterThan(150);
    expect(await table.locator("tbody tr .sub").first().textContent()).toMatch(/ · \d/);
    expect(await tableProblems(page, ["Cost"])).toEqual([]);
    await context.close();
  });
});

describe("the trace page scrolls once per pane", () => {
  for (const size of SIZES) {
    it(`at ${size.width} px: the page stays put; the tree and the inspector each scroll on their own`, async () => {
      const path = `/traces/demo-eval-1000?event=${encodeURIComponent("demo-eval-1000:case-0-llm-0")}`;
      const { page, context } = await openPage(browser, account, path, size);
      const inspector = page.getByTestId("inspector");
      await expect.poll(() => inspector.textContent()).toContain("case 0 step 0");
      // Enough inspector content to overflow it: open every section.
      await inspector.locator("details:not([open]) > summary").evaluateAll((els) => {
        for (const s of els) (s as HTMLElement).click();
      });
      expect(await inspector.locator("pre").last().evaluate(SCROLLERS_OF)).toBe(1);
      expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= innerHeight + 1)).toBe(true);
      if (size.width < 900) await page.getByRole("button", { name: "Close inspector" }).click();
      const row = page.locator("[data-event]").first();
      await row.waitFor();
      expect(await row.evaluate(SCROLLERS_OF)).toBe(1);
      await page.getByTestId("tree").evaluate((el) => (el.scrollTop = el.scrollHeight));
      await expect.poll(() => page.locator("[data-event]").last().locator(".name").textContent()).toBe("grade");
      expect(await page.evaluate(() => scrollY)).toBe(0);
      await context.close();
    });
  }
});

describe("trace list filters", () => {
  it("are one row at 1280, with the active filters as chips that remove them", async () => {
    const { page, context } = await openPage(browser, account, "/traces?model=gpt-4o&user_id=user-1");
    await page.getByTestId("trace-table").locator("tbody tr").first().waitFor();
    const bar = (await page.getByRole("search").boundingBox())!;
    expect(bar.height).toBeLessThan(60);

    const chips = page.getByRole("list", { name: "Active filters" }).locator(".chip");
    expect(await chips.allTextContents()).toEqual([
      expect.stringContaining("Model: gpt-4o"),
      expect.stringContaining("User: user-1"),
    ]);
    const both = (await apiGet<{ traces: unknown[] }>(account, "/api/v1/traces?model=gpt-4o&user_id=user-1")).traces;
    const user = (await apiGet<{ traces: unknown[] }>(account, "/api/v1/traces?user_id=user-1")).traces;
    expect(user.length).toBeGreaterThan(both.length);
    const rows = () => page.getByTestId("trace-table").locator("tbody tr").count();
    await expect.poll(rows).toBe(both.length);

    await page.getByRole("button", { name: "Remove Model: gpt-4o" }).click();
    await page.waitForURL((url) => !url.searchParams.has("model") && url.searchParams.get("user_id") === "user-1");
    await expect.poll(rows).toBe(user.length);
    expect(await chips.allTextContents()).toEqual([expect.stringContaining("User: user-1")]);

    // The folded filters open under the row, already filled in.
    await page.getByRole("button", { name: /^Filters/ }).click();
    expect(await page.getByLabel("User", { exact: true }).inputValue()).toBe("user-1");
    await page.getByRole("button", { name: "Clear all" }).click();
    await page.waitForURL((url) => !url.searchParams.has("user_id"));
    expect(await chips.count()).toBe(0);
    await context.close();
  });
});
