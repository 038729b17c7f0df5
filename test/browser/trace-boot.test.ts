// A deep link to a trace shows its first rows without waiting for the session check (the trace's own read proves
// access), and still sends the signed-out to sign-in and another tenant's link to the user's own projects.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, base, createAccount, openPage, sendEvents, VIEWS } from "./fixtures.ts";

let browser: Browser;
let owner: Account;
let outsider: Account;
const T0 = Date.now() - 3_600_000;

beforeAll(async () => {
  browser = await launch();
  [owner, outsider] = await Promise.all([createAccount("BootOwner"), createAccount("BootOutsider")]);
  await sendEvents(
    owner,
    Array.from({ length: 120 }, (_, i) => ({
      trace_id: "boot-trace",
      event_id: `boot-${i}`,
      parent_event_id: i ? "boot-0" : null,
      type: i === 0 ? "span" : "tool_call",
      name: i === 0 ? "boot-root" : `step-${i}`,
      timestamp: T0 + i * 10,
      duration_ms: i === 0 ? 1_200 : 8,
    })),
  );
}, 300_000);
afterAll(async () => browser?.close());

describe("a deep link to a trace", () => {
  for (const view of VIEWS)
    it(`shows its first rows while the session check is still out, then fills the frame without reloading them (${view.width} px, ${view.colorScheme})`, async () => {
      const { page, context } = await openPage(browser, owner, "/overview", view);
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route("**/api/auth/session", async (route) => {
        await held;
        await route.continue();
      });
      const asked: string[] = [];
      page.on("request", (r) => asked.push(new URL(r.url()).pathname + new URL(r.url()).search));
      await page.goto(`${base}/p/${owner.project}/traces/boot-trace`);
      const first = page.locator("[data-event]").first();
      await expect.poll(() => first.locator(".name").textContent()).toBe("boot-root");
      // The frame is there (tabs link the project), its project switcher empty until the session answers.
      expect(await page.locator(".switcher option").count()).toBe(0);
      await expect.poll(() => page.locator("nav.tabs a").count()).toBe(7);
      await page.screenshot({ path: `/tmp/watchllm-trace-boot-before-session-${view.width}-${view.colorScheme}.png` });
      const row = await first.elementHandle();
      const top = () => page.locator("[data-testid=tree]").evaluate((el) => Math.round(el.getBoundingClientRect().top));
      const before = await top();
      release();
      await expect.poll(() => page.locator(".switcher option").count()).toBeGreaterThan(0);
      // The owner's Annotate button appears where its place was kept: the tree doesn't move.
      await expect.poll(() => page.getByRole("button", { name: "Annotate" }).first().isVisible()).toBe(true);
      expect(await top()).toBe(before);
      // Nothing remounted: the same row element, and the first screen read once.
      expect(await row!.evaluate((el) => el.isConnected)).toBe(true);
      await page.locator("[data-testid=tree]:not([aria-busy=true])").waitFor();
      expect(asked.filter((p) => p.includes("/boot-trace?format=columns&head="))).toHaveLength(1);
      expect(asked.filter((p) => p === "/api/auth/session")).toHaveLength(1);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= innerWidth)).toBe(true);
      await page.screenshot({ path: `/tmp/watchllm-trace-boot-loaded-${view.width}-${view.colorScheme}.png` });
      await context.close();
    });

  it("reads a trace whose id the path escapes once, as the page's boot started it", async () => {
    await sendEvents(owner, [
      { trace_id: "boot trace:ä", event_id: "odd-0", type: "span", name: "odd-root", timestamp: T0, duration_ms: 5 },
    ]);
    const { page, context } = await openPage(browser, owner, "/overview");
    const asked: string[] = [];
    page.on("request", (r) => asked.push(new URL(r.url()).pathname + new URL(r.url()).search));
    await page.goto(`${base}/p/${owner.project}/traces/${encodeURIComponent("boot trace:ä")}`);
    await expect.poll(() => page.locator("[data-event] .name").first().textContent()).toBe("odd-root");
    expect(asked.filter((p) => p.includes("format=columns&head="))).toHaveLength(1);
    await context.close();
  });

  it("opens its ?event= inspector at once", async () => {
    const { page, context } = await openPage(browser, owner, "/traces/boot-trace?event=boot-3");
    await expect.poll(() => page.getByTestId("inspector").textContent()).toContain("step-3");
    await context.close();
  });

  it("sends a signed-out visitor to sign-in, without showing the refused read", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    await page.exposeFunction("sawError", (text: string) => errors.push(text));
    await context.addInitScript(() => {
      new MutationObserver(() => {
        const note = document.querySelector(".error-note");
        if (note) (window as unknown as { sawError: (t: string) => void }).sawError(note.textContent ?? "");
      }).observe(document, { subtree: true, childList: true });
    });
    await page.goto(`${base}/p/${owner.project}/traces/boot-trace`);
    await page.waitForURL(`${base}/login`);
    await page.getByRole("button", { name: /log in/i }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("sends another tenant's link to the user's own projects, showing none of the trace", async () => {
    const { page, context } = await openPage(browser, outsider, "/overview");
    await page.goto(`${base}/p/${owner.project}/traces/boot-trace`);
    await page.waitForURL(`${base}/p/${outsider.project}/overview`);
    expect(await page.locator("[data-event]").count()).toBe(0);
    await context.close();
  });
});
