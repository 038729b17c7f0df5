// The waterfall and the inspector: axis labels distinct at any zoom, duration labels readable beside (or inside) their
// bars in both themes, a failure's message at the top of the inspector and in its row's tooltip, and durations in
// sensible units.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, createAccount, openPage, sendEvents } from "./fixtures.ts";

let browser: Browser;
let account: Account;
beforeAll(async () => {
  browser = await launch();
  account = await createAccount("Waterfall", true);
});
afterAll(async () => browser?.close());

const tickLabels = (page: Page) => page.locator(".ruler .tick").allTextContents();

/** Tick labels that overlap their neighbour on screen. */
const overlappingTicks = (page: Page) =>
  page.locator(".ruler .tick").evaluateAll((els) => {
    const boxes = els.map((e) => e.getBoundingClientRect()).sort((a, b) => a.left - b.left);
    return boxes.slice(1).filter((b, i) => b.left < boxes[i]!.right).length;
  });

describe("waterfall axis", () => {
  it("shows at least two distinct, non-overlapping ticks on a phone's narrow lane", async () => {
    const { page, context } = await openPage(browser, account, "/traces/demo-eval-1000", { width: 375, height: 812 });
    await page.locator("[data-event]").first().waitFor();
    await expect.poll(async () => (await tickLabels(page)).length).toBeGreaterThanOrEqual(2);
    const labels = await tickLabels(page);
    expect(new Set(labels).size, labels.join(" | ")).toBe(labels.length);
    expect(await overlappingTicks(page)).toBe(0);
    expect(labels.at(-1)).toBe("20 s");
    await context.close();
  });

  it("keeps the last label of a short trace clear of the one before it (e.g. 800 ms and 900 ms)", async () => {
    const T0 = Date.now() - 60_000;
    const traces = [930, 960, 990, 1_450].map((ms) => ({
      trace_id: `axis-${ms}-${T0}`,
      ms,
    }));
    await sendEvents(
      account,
      traces.flatMap(({ trace_id, ms }) => [
        { event_id: `${trace_id}-root`, trace_id, type: "span", name: "axis", timestamp: T0, duration_ms: ms },
        {
          event_id: `${trace_id}-call`,
          trace_id,
          parent_event_id: `${trace_id}-root`,
          type: "tool_call",
          name: "search",
          timestamp: T0 + 20,
          duration_ms: ms - 40,
        },
      ]),
    );
    for (const width of [1280, 375])
      for (const { trace_id, ms } of traces) {
        const { page, context } = await openPage(browser, account, `/traces/${trace_id}`, { width });
        await page.locator("[data-event]").first().waitFor();
        await expect.poll(async () => (await tickLabels(page)).length).toBeGreaterThanOrEqual(2);
        expect(await overlappingTicks(page), `${ms} ms at ${width} px: ${(await tickLabels(page)).join(" | ")}`).toBe(
          0,
        );
        await context.close();
      }
  });

  it("labels every tick distinctly after zooming to the last span, down to microseconds", async () => {
    const { page, context } = await openPage(browser, account, "/traces/demo-eval-1000");
    await page.locator("[data-event]").first().waitFor();
    await page.getByTestId("tree").evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = page.locator("[data-event]").last();
    await expect.poll(() => last.locator(".name").textContent()).toBe("grade");
    await last.click();
    await page.getByRole("button", { name: "Zoom to span" }).click();
    // The last span is 18 ms at 19.960 s: ticks a few ms apart, each label its own.
    await expect.poll(async () => (await tickLabels(page)).length).toBeGreaterThanOrEqual(3);
    const ms = await tickLabels(page);
    expect(new Set(ms).size, ms.join(" | ")).toBe(ms.length);
    expect(ms[0]).toMatch(/^19\.96\d* s$/);
    expect(await overlappingTicks(page)).toBe(0);
    expect(await page.locator(".zoombar").textContent()).toMatch(/Timeline 19\.960 s – 19\.978 s/);

    // Zoom in until the range is under a millisecond: still distinct.
    for (let i = 0; i < 6; i++) await page.getByRole("button", { name: "Zoom in" }).click();
    const fine = await tickLabels(page);
    expect(new Set(fine).size, fine.join(" | ")).toBe(fine.length);
    expect(fine.length).toBeGreaterThanOrEqual(2);
    expect(fine.join(" ")).toMatch(/19\.96\d{2,} s/);
    await context.close();
  });
});

/** Rows whose duration label sits on its bar without being a contrasting chip inside it. */
function unreadableLabels(page: Page) {
  return page.locator("[data-event]").evaluateAll((rows) => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const c = [r!, g!, b!].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
    };
    const contrast = (a: string, b: string) => {
      const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((m, n) => n - m);
      return (x! + 0.05) / (y! + 0.05);
    };
    const bad: string[] = [];
    for (const row of rows) {
      const bar = row.querySelector(".bar");
      const label = row.querySelector(".ms");
      if (!bar || !label) continue;
      const a = bar.getBoundingClientRect();
      const b = label.getBoundingClientRect();
      const overlaps = b.left < a.right && b.right > a.left;
      const style = getComputedStyle(label);
      const lane = getComputedStyle(row.querySelector(".lane")!.closest(".tree")!).backgroundColor;
      const behind = overlaps ? style.backgroundColor : lane;
      if (overlaps && (!label.classList.contains("inside") || style.backgroundColor === "rgba(0, 0, 0, 0)"))
        bad.push(`${row.getAttribute("data-event")}: label over its bar`);
      else if (contrast(style.color, behind) < 4.5)
        bad.push(`${row.getAttribute("data-event")}: contrast ${contrast(style.color, behind).toFixed(1)}`);
    }
    return bad;
  });
}

describe("waterfall labels", () => {
  for (const colorScheme of ["light", "dark"] as const) {
    it(`sit beside their bar, or inside it on a contrasting chip (${colorScheme})`, async () => {
      const { page, context } = await openPage(browser, account, "/traces/demo-support-agent", { colorScheme });
      await expect.poll(() => page.locator("[data-event] .ms").count()).toBeGreaterThanOrEqual(7);
      expect(await unreadableLabels(page)).toEqual([]);
      // The root spans the whole lane: its label can only go inside.
      expect(await page.locator("[data-event='demo-support-agent:root'] .ms").getAttribute("class")).toContain(
        "inside",
      );
      // Zoomed to the middle, bars cross the edges and labels move.
      await page.locator("[data-event='demo-support-agent:policy']").click();
      await page.getByRole("button", { name: "Zoom to span" }).click();
      await expect.poll(() => page.locator(".zoombar").textContent()).toMatch(/Timeline 1\.85\d* s/);
      expect(await unreadableLabels(page)).toEqual([]);
      await context.close();
    });
  }
});

describe("failed events", () => {
  it("show the error message beside the status at the top of the inspector, and in the tree row's tooltip", async () => {
    const { page, context } = await openPage(browser, account, "/traces/demo-support-agent-retry");
    const row = page.locator("[data-event='demo-support-agent-retry:refund-timeout']");
    await row.waitFor();
    expect(await row.getAttribute("title")).toContain("payments API timed out after 1.8 s");
    await row.click();
    const status = page.getByTestId("inspector-status");
    await expect.poll(() => status.textContent()).toContain("payments API timed out after 1.8 s");
    expect(await status.textContent()).toMatch(/^error/);
    // At the top: above the facts and the bodies.
    const top = (await status.boundingBox())!.y;
    expect(top).toBeLessThan((await page.getByTestId("inspector").locator("dl.facts").boundingBox())!.y);

    await page.goto(`${page.url().split("/traces/")[0]}/traces/demo-failed-run?event=demo-failed-run%3Aerror`);
    await expect
      .poll(() => page.getByTestId("inspector-status").textContent())
      .toContain('due: expected ISO-8601 date, got "next Friday"');
    expect(await page.locator("[data-event='demo-failed-run:error']").getAttribute("title")).toContain(
      "expected ISO-8601 date",
    );
    // A run that succeeded says so, with no message.
    await page.locator("[data-event='demo-failed-run:ocr']").click();
    await expect.poll(() => page.getByTestId("inspector-status").textContent()).toBe("ok");
    await context.close();
  });
});

describe("durations", () => {
  it("read in the largest sensible units on the sessions page", async () => {
    const { page, context } = await openPage(browser, account, "/sessions");
    const table = page.getByTestId("sessions-table");
    await table.locator("tbody tr").first().waitFor();
    const column = await table.locator("th").allTextContents();
    const index = column.indexOf("Span of activity");
    const spans = await table.locator(`tbody tr td:nth-child(${index + 1})`).allTextContents();
    expect(spans.length).toBeGreaterThan(5);
    for (const text of spans) expect(text).toMatch(/^(\d+(\.\d+)? (µs|ms|s)|\d+ [dhm]( \d+ [hms])?)$/);
    expect(spans.some((t) => / h/.test(t))).toBe(true); // day-long conversations read in hours, not "1296 m 1 s"
    await context.close();
  });
});
