// The SDK in a real browser: events still queued when the page is hidden or left are handed to keepalive fetch and
// arrive at the Worker.
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let bundle: string;
let keys: { ingest: string; secret: string };

beforeAll(async () => {
  browser = await launch();
  const out = await build({
    entryPoints: ["sdk/js/src/index.ts"],
    bundle: true,
    format: "iife",
    globalName: "WatchLLM",
    platform: "browser",
    write: false,
  });
  bundle = out.outputFiles[0]!.text;
  const res = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({
      email: `sdk-browser-${Date.now()}@example.com`,
      password: "correct horse battery",
      name: "Browser",
    }),
  });
  keys = ((await res.json()) as { keys: typeof keys }).keys;
});
afterAll(async () => browser?.close());

const spanCount = async (traceId: string) => {
  const res = await fetch(`${base}/api/v1/traces/${traceId}`, { headers: { Authorization: `Bearer ${keys.secret}` } });
  return res.ok ? ((await res.json()) as { trace: { span_count: number } }).trace.span_count : 0;
};

describe("SDK in the browser", () => {
  it("delivers queued events when the page is hidden, and when it is left", async () => {
    // The SDK is injected as an inline script, which the dashboard's CSP rightly refuses: this page is the app's
    // origin standing in for a customer's page, so the test's context bypasses CSP.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(`${base}/login`);
    await page.addScriptTag({ content: bundle });
    // A long interval and a big batch: nothing is sent unless the page-exit path sends it.
    const record = (name: string) =>
      page.evaluate(
        ([key, url, traceName]) => {
          const w = window as unknown as {
            WatchLLM: typeof import("../../sdk/js/src/index.ts");
            client?: ReturnType<typeof import("../../sdk/js/src/index.ts").createClient>;
          };
          w.client ??= w.WatchLLM.createClient({ apiKey: key, baseUrl: url, flushAt: 1000, flushIntervalMs: 600_000 });
          const trace = w.client.trace({ name: traceName! });
          trace.log("from the browser");
          trace.modelResponse({ model: "gpt-4o-mini", usage: { input_tokens: 5, output_tokens: 1 } });
          trace.end();
          return { traceId: trace.traceId, queued: w.client.queued };
        },
        [keys.ingest, base, name] as const,
      );

    const hidden = await record("hidden");
    expect(hidden.queued).toBe(3);
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
      document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
    });
    await expect.poll(() => spanCount(hidden.traceId), { timeout: 15_000 }).toBe(3);

    await page.evaluate(() =>
      Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true }),
    );
    const left = await record("left");
    expect(left.queued).toBe(3);
    await page.goto("about:blank"); // pagehide
    await expect.poll(() => spanCount(left.traceId), { timeout: 15_000 }).toBe(3);
    await page.close();
  });
});
