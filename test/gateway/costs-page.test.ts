// The dashboard's Costs page shows what the gateway cache saved, after real calls through the gateway (Chromium).
import OpenAI from "openai";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "../browser/browser.ts";
import { base, providerKey, storedEvent } from "./helpers.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

describe("Costs page", () => {
  it("shows the cache savings of gateway cache hits", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/signup`);
    await page.getByLabel("Name").fill("Saver");
    await page.getByLabel("Email").fill(`saver-${crypto.randomUUID()}@example.com`);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL(/\/p\/prj_[^/]+\/traces$/);
    const project = page.url().match(/\/p\/(prj_[^/]+)\//)![1]!;
    const ingestKey = await page.getByLabel("Ingest key").inputValue();

    const openai = new OpenAI({
      apiKey: providerKey("costs-page"),
      baseURL: `${base}/gateway/openai/v1`,
      maxRetries: 0,
      defaultHeaders: { "WatchLLM-Auth": `Bearer ${ingestKey}`, "WatchLLM-Cache": "true" },
    });
    const params = { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: "What does caching save?" }] };
    const miss = await openai.chat.completions.create(params).asResponse();
    const missEvent = await storedEvent(project, miss.headers.get("WatchLLM-Event-Id")!);
    const hit = await openai.chat.completions.create(params).asResponse();
    expect(hit.headers.get("WatchLLM-Cache")).toBe("HIT");
    await storedEvent(project, hit.headers.get("WatchLLM-Event-Id")!);

    await page.goto(`${base}/p/${project}/costs`);
    const savings = page.getByTestId("cache-savings");
    await expect.poll(() => savings.textContent(), { timeout: 15_000 }).toContain("(1 hit)");
    expect(await savings.textContent()).toContain("Saved by cache");
    // The saving is the price of the call the hit replaced: the same as the miss's cost, as the page formats it.
    const missCost = await page
      .getByTestId("cost-totals")
      .locator("div", { hasText: /^Cost/ })
      .locator("dd")
      .textContent();
    expect(await savings.locator("dd").textContent()).toContain(missCost!);
    expect(missEvent.cost_usd).toBeGreaterThan(0);
    await page.close();
  });
});
