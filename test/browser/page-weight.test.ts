// Every page's first load stays under 20 KB of gzipped JS (issue 29): the entry, the chunks the page loads and the
// HTML's inline script, as `bench:ui` counts them. A trace link with an event open is the heaviest (the inspector's
// chunk beside the trace's); an empty project's overview loads the onboarding beside the Overview.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, base, createAccount, openPage, sendEvents } from "./fixtures.ts";
import { FIRST_LOAD_BUDGET, firstLoadJs } from "./weight.ts";

const ASSETS = "dist/ui/assets";
let browser: Browser;
let account: Account;
let empty: Account;
let sharePath: string;

beforeAll(async () => {
  browser = await launch();
  [account, empty] = await Promise.all([createAccount("Weight"), createAccount("WeightEmpty")]);
  await sendEvents(account, [
    { trace_id: "weight-trace", event_id: "w-0", type: "span", name: "root", timestamp: Date.now() - 60_000 },
    {
      trace_id: "weight-trace",
      event_id: "w-1",
      parent_event_id: "w-0",
      type: "model_response",
      name: "answer",
      model: "gpt-4o-mini",
      timestamp: Date.now() - 59_000,
      duration_ms: 800,
      body: { input: [{ role: "user", content: "hi" }], output: "hello" },
    },
  ]);
  const share = await fetch(`${base}/api/projects/${account.project}/shares`, {
    method: "POST",
    headers: { Cookie: account.cookie, Origin: base, "Content-Type": "application/json" },
    body: JSON.stringify({ trace_id: "weight-trace" }),
  });
  expect(share.status).toBe(201);
  sharePath = ((await share.json()) as { share: { path: string } }).share.path;
}, 120_000);
afterAll(async () => browser?.close());

describe("the first load of every page", () => {
  const pages = [
    "/overview",
    "/traces",
    "/traces/weight-trace",
    "/traces/weight-trace?event=w-1",
    "/sessions",
    "/users",
    "/compare?a=weight-trace&b=weight-trace",
    "/costs",
    "/alerts",
    "/settings",
    "/settings/usage",
    "/settings/data",
    "/settings/prices",
  ];
  for (const path of pages)
    it(`downloads under 20 KB of gzipped JS: ${path}`, async () => {
      const { page, context } = await openPage(browser, account, path);
      expect(await firstLoadJs(page, ASSETS)).toBeLessThan(FIRST_LOAD_BUDGET);
      await context.close();
    });

  it("downloads under 20 KB of gzipped JS: an empty project's overview (the onboarding)", async () => {
    const { page, context } = await openPage(browser, empty, "/overview");
    await page.getByText("Send your first event").waitFor();
    expect(await firstLoadJs(page, ASSETS)).toBeLessThan(FIRST_LOAD_BUDGET);
    await context.close();
  });

  for (const [name, path] of [
    ["sign-in", "/login"],
    ["a share link", ""],
  ])
    it(`downloads under 20 KB of gzipped JS: ${name} (signed out)`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}${path || sharePath}`);
      expect(await firstLoadJs(page, ASSETS)).toBeLessThan(FIRST_LOAD_BUDGET);
      await context.close();
    });
});
