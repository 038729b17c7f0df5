// A 5,000-span trace on the trace page: read as columns, first rows on screen, only what is visible rendered, a
// scroll to its end, at desktop and phone width in both themes.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, base, createAccount, openPage, until, VIEWS } from "./fixtures.ts";

const SPANS = 5_000;
const T0 = Date.now() - 3_600_000;
let browser: Browser;
let account: Account;

const events = Array.from({ length: SPANS }, (_, i) => ({
  trace_id: "big-trace",
  event_id: `big-${i}`,
  parent_event_id: i ? "big-0" : null,
  type: i === 0 ? "span" : i % 3 ? "tool_call" : "model_response",
  name: i === 0 ? "batch-eval" : i === SPANS - 1 ? "last-step" : `step-${i}`,
  timestamp: T0 + i * 10,
  duration_ms: i === 0 ? SPANS * 10 : 8,
  ...(i % 3 === 0 && i ? { model: "gpt-4o-mini", usage: { input_tokens: 50, output_tokens: 5 } } : {}),
  body: { input: `case ${i}`, output: `answer ${i}` },
}));

beforeAll(async () => {
  browser = await launch();
  account = await createAccount("BigTrace");
  for (let i = 0; i < SPANS; i += 1_000) {
    const res = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${account.keys.ingest}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events: events.slice(i, i + 1_000) }),
    });
    expect(res.status).toBe(202);
  }
  await until(
    async () => {
      const res = await fetch(`${base}/api/v1/traces/big-trace`, {
        headers: { Authorization: `Bearer ${account.keys.secret}` },
      });
      return res.ok && ((await res.json()) as { trace: { span_count: number } }).trace.span_count === SPANS;
    },
    `a trace of ${SPANS} spans`,
    240_000,
  );
}, 300_000);
afterAll(async () => browser?.close());

describe("a 5,000-span trace", () => {
  it("asks for its page's code, the session and the trace's first screen once each while the HTML parses, paints its first rows with their labels, then reads the rest once", async () => {
    const { page, context } = await openPage(browser, account, "/traces/big-trace");
    // The first load's reads all made (the whole tree's last) before counting the reload's.
    await page.locator("[data-testid=tree]:not([aria-busy=true])").waitFor();
    const asked: string[] = [];
    page.on("request", (r) => asked.push(new URL(r.url()).pathname + new URL(r.url()).search));
    await context.addInitScript(() => {
      // In the first frame after the first rows are in the document: how many duration labels it paints.
      const seen = new MutationObserver(() => {
        if (!document.querySelector("[data-event]")) return;
        seen.disconnect();
        requestAnimationFrame(() => {
          (window as { labelsAtFirstPaint?: number }).labelsAtFirstPaint =
            document.querySelectorAll(".lane .ms").length;
        });
      });
      seen.observe(document, { subtree: true, childList: true });
    });
    await page.reload();
    await page.waitForFunction(() => (window as { labelsAtFirstPaint?: number }).labelsAtFirstPaint !== undefined);
    expect(await page.evaluate(() => (window as { labelsAtFirstPaint?: number }).labelsAtFirstPaint)).toBeGreaterThan(
      0,
    );
    // Asked for before the parser finished, so before the entry's code ran: not one round trip after it.
    const early = await page.evaluate(() => {
      const parsed = (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).domInteractive;
      const page = document.querySelector<HTMLMetaElement>('meta[name="watchllm-trace-page"]')!.content.split(" ");
      return (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
        .map((e) => ({
          path: new URL(e.name).pathname + new URL(e.name).search,
          early: e.startTime < parsed,
          page: page.includes(new URL(e.name).pathname),
        }))
        .filter((e) => e.page || e.path === "/api/auth/session" || e.path.includes("big-trace?format=columns&head="));
    });
    expect(early.filter((e) => e.page).length).toBeGreaterThan(0);
    expect(early.map((e) => e.path).sort()).toEqual([...new Set(early.map((e) => e.path))].sort());
    expect(early.filter((e) => !e.early)).toEqual([]);
    expect(early.filter((e) => e.path.includes("&head=")).length).toBe(1);
    expect(asked.filter((p) => p === "/api/auth/session")).toHaveLength(1);
    expect(asked.filter((p) => p === "/api/v1/traces/big-trace?format=columns&head=60")).toHaveLength(1);
    await page.locator("[data-testid=tree]:not([aria-busy=true])").waitFor();
    expect(asked.filter((p) => p === "/api/v1/traces/big-trace?format=columns")).toHaveLength(1);
    // Nothing else competes with them: the icon is inline, not a /favicon.ico answered with the page.
    await page.waitForLoadState("load");
    const icon = () => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/favicon.ico")).length;
    expect(await page.evaluate(icon)).toBe(0);
    await context.close();
  });

  for (const view of VIEWS)
    it(`shows its first screen, at the whole tree's height, before the rest of the tree has arrived (${view.width} px, ${view.colorScheme})`, async () => {
      const { page, context } = await openPage(browser, account, "/traces/big-trace", { ...view, height: 800 });
      // The rest of the tree is held until the first screen has been checked.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route(
        (url) => url.pathname === "/api/v1/traces/big-trace" && url.search === "?format=columns",
        async (route) => {
          await held;
          await route.continue();
        },
      );
      await page.reload();
      const tree = page.getByTestId("tree");
      await page.locator("[data-event]").first().waitFor();
      expect(await tree.getAttribute("aria-busy")).toBe("true");
      expect(await page.locator("[data-event]").first().locator(".name").textContent()).toBe("batch-eval");
      expect(await page.getByTestId("totals").textContent()).toContain("5000");
      expect(await tree.evaluate((el) => el.scrollHeight)).toBe(SPANS * 28);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= innerWidth)).toBe(true);
      await page.screenshot({ path: `/tmp/watchllm-big-trace-first-screen-${view.width}-${view.colorScheme}.png` });
      release();
      await page.locator("[data-testid=tree]:not([aria-busy=true])").waitFor();
      await tree.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await expect.poll(() => page.locator("[data-event]").last().locator(".name").textContent()).toBe("last-step");
      await context.close();
    });

  for (const width of [1280, 375])
    it(`builds its first rows once, then follows the box when it changes size (${width} px)`, async () => {
      const { page, context } = await openPage(browser, account, "/traces/big-trace", { width, height: 800 });
      // Every tree row the page takes out of the document, from its first script on.
      await context.addInitScript(() => {
        const w = window as { removedRows?: number };
        w.removedRows = 0;
        new MutationObserver((changes) => {
          for (const c of changes)
            for (const n of c.removedNodes) if ((n as Element).getAttribute?.("role") === "treeitem") w.removedRows!++;
        }).observe(document, { childList: true, subtree: true });
      });
      // The rest of the tree stays out: only the first screen's own renders are watched.
      await page.route(
        (url) => url.pathname === "/api/v1/traces/big-trace" && url.search === "?format=columns",
        () => {},
      );
      await page.reload();
      const rows = page.locator("[data-event]");
      await rows.first().waitFor();
      const frames = () =>
        page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await frames();
      const count = await rows.count();
      // The box is shorter than the 600 px guessed before the first render: the rows built for the guess stay (the
      // resize observer's first call, with the size just measured, changes nothing), not built, styled and laid out
      // twice before the first paint.
      const height = await page.getByTestId("tree").evaluate((el) => el.clientHeight);
      expect(height).toBeLessThan(600);
      expect(await page.evaluate(() => (window as { removedRows?: number }).removedRows)).toBe(0);
      await frames();
      expect(await rows.count()).toBe(count);
      // A window shorter by half the box: the tree keeps only the rows its box now shows (plus overscan).
      await page.setViewportSize({ width, height: 800 - Math.round(height / 2) });
      await expect.poll(() => rows.count()).toBeLessThan(count);
      await context.close();
    });

  for (const view of VIEWS) {
    it(`reads columns, shows its first rows, renders only the visible ones and scrolls to its end (${view.width} px, ${view.colorScheme})`, async () => {
      const { page, context } = await openPage(browser, account, "/traces/big-trace", { ...view, height: 800 });
      const reads: string[] = [];
      page.on("request", (r) => r.url().includes("/api/v1/traces/big-trace") && reads.push(r.url()));
      await page.reload();
      const first = page.locator("[data-event]").first();
      await first.waitFor();
      expect(await first.locator(".name").textContent()).toBe("batch-eval");
      expect(reads.every((url) => url.includes("format=columns"))).toBe(true);
      expect(await page.getByTestId("totals").textContent()).toContain("5000");
      expect(await page.locator("[data-event]").count()).toBeLessThan(100);
      // Nothing wider than the screen: the page never scrolls sideways.
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= innerWidth)).toBe(true);
      const tree = page.getByTestId("tree");
      const box = (await tree.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(view.width);
      await page.screenshot({ path: `/tmp/watchllm-big-trace-${view.width}-${view.colorScheme}.png` });
      await tree.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await expect.poll(() => page.locator("[data-event]").last().locator(".name").textContent()).toBe("last-step");
      expect(await page.locator("[data-event]").count()).toBeLessThan(100);
      await context.close();
    });
  }
});
