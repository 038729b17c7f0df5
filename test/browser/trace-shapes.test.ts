// Awkward traces on the trace page: a chain 40 spans deep and rows crowded with badges keep their names readable at
// 1280 and 375 px; a deep link far down a big tree scrolls to its row; Escape closes the inspector from inside it.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, createAccount, openPage, sendEvents, VIEWS } from "./fixtures.ts";

let browser: Browser;
let account: Account;
const T0 = Date.now() - 600_000;
const DEEP = 40;
const WIDE = 600;

beforeAll(async () => {
  browser = await launch();
  account = await createAccount("Shapes");
  await sendEvents(account, [
    ...Array.from({ length: DEEP }, (_, i) => ({
      trace_id: "deep-chain",
      event_id: `deep-${i}`,
      parent_event_id: i ? `deep-${i - 1}` : null,
      type: i === DEEP - 1 ? "model_response" : "span",
      name: `deep-${i}`,
      ...(i === DEEP - 1 ? { model: "text-embedding-3-small-with-a-long-name", first_token_ms: 120 } : {}),
      timestamp: T0 + i,
      duration_ms: 1000 - i,
    })),
    ...Array.from({ length: WIDE }, (_, i) => ({
      trace_id: "wide-trace",
      event_id: `wide-${i}`,
      parent_event_id: i ? "wide-0" : null,
      type: i ? "tool_call" : "span",
      name: i ? `call-${i}` : "wide-root",
      timestamp: T0 + i,
      duration_ms: i ? 5 : WIDE + 5,
    })),
  ]);
}, 120_000);
afterAll(async () => browser?.close());

/** Rows on screen whose name shows less than `px` pixels. */
const hiddenNames = (page: Page, px: number) =>
  page
    .locator("[data-event]")
    .evaluateAll(
      (rows, min) =>
        rows
          .filter((r) => (r.querySelector(".name") as HTMLElement).getBoundingClientRect().width < min)
          .map((r) => r.getAttribute("data-event")),
      px,
    );

describe("awkward traces", () => {
  for (const view of VIEWS) {
    it(`keep every name readable 40 spans deep and beside long badges (${view.width} px, ${view.colorScheme})`, async () => {
      const { page, context } = await openPage(browser, account, "/traces/deep-chain", view);
      // Names were 0 px wide from about depth 15 at 375 px (the indent took the column), and a model badge
      // squeezed its row's name to "e.". The rows on screen, then the rest (the deepest) after a scroll to the end.
      await page.locator('[data-event="deep-0"]').waitFor();
      expect(await hiddenNames(page, 30)).toEqual([]);
      await page.getByTestId("tree").evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.locator('[data-event="deep-39"]').waitFor();
      expect(await hiddenNames(page, 30)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      await page.screenshot({ path: `/tmp/watchllm-deep-${view.width}-${view.colorScheme}.png` });
      await context.close();
    });
  }

  it("scrolls a deep link's row into view when the rest of a big tree arrives", async () => {
    const { page, context } = await openPage(browser, account, "/traces/wide-trace?event=wide-520");
    await page.getByTestId("inspector").waitFor();
    const row = page.locator('[data-event="wide-520"]');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const [tree, box] = await Promise.all([page.getByTestId("tree").boundingBox(), row.boundingBox()]);
    expect(box!.y).toBeGreaterThanOrEqual(tree!.y);
    expect(box!.y + box!.height).toBeLessThanOrEqual(tree!.y + tree!.height + 1);
    await context.close();
  });

  it("closes the inspector with Escape from inside it", async () => {
    const { page, context } = await openPage(browser, account, "/traces/deep-chain?event=deep-3");
    const inspector = page.getByTestId("inspector");
    await inspector.getByRole("button").first().focus();
    await page.keyboard.press("Escape");
    await page.waitForURL((url) => !url.searchParams.has("event"));
    expect(await inspector.count()).toBe(0);

    await context.close();
  });
});
