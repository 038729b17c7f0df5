// The Alerts page in Chromium: create a rule with a live preview, see its signing secret once, send a test to a local
// receiver and find the delivery in the history; the list, the rule page and the form fit 1280 and 375 px, light and
// dark (with WATCHLLM_SHOTS=<folder>, screenshots of each for a look).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver } from "../worker/receiver.ts";
import { launch } from "./browser.ts";
import { type Account, base, createAccount, openPage, VIEWS } from "./fixtures.ts";

let browser: Browser;
let account: Account;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  browser = await launch();
  receiver = await startReceiver();
  account = await createAccount("Alerter", true);
});
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
});

/** Whatever sticks out: the page scrolling sideways, or an element wider than the window. */
function overflow(page: Page) {
  return page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth}px`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>("main *"))) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > innerWidth + 1 && !el.closest(".table-wrap"))
        out.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(r.right)}px`);
    }
    return out.slice(0, 5);
  });
}

describe("alerts page", () => {
  let alertPath = "";

  it("creates a rule with a preview, shows the secret once, sends a test and shows it in the history", async () => {
    const hook = `${receiver.url}/hook/${crypto.randomUUID()}`;
    const { page, context } = await openPage(browser, account, "/alerts");
    await page.getByRole("button", { name: "New alert" }).click();
    const form = page.getByTestId("alert-form");
    await form.getByLabel("Name", { exact: true }).fill("Demo spend");
    await form.getByLabel("Window").selectOption("1440");
    await form.getByLabel("Threshold").fill("0.000001");
    await form.getByRole("button", { name: "Add channel" }).click();
    await form.getByLabel("URL").fill(hook);
    // The demo data spent money in the last days: the preview says the rule would have fired.
    const preview = page.getByTestId("alert-preview");
    await expect.poll(() => preview.textContent(), { timeout: 20_000 }).toMatch(/Would have fired [1-9]\d* times?/);
    expect(await preview.getByTestId("threshold-chart").count()).toBe(1);
    await form.getByRole("button", { name: "Create alert" }).click();
    const secret = page.getByTestId("signing-secret");
    await secret.waitFor();
    expect(await secret.getByRole("textbox").inputValue()).toMatch(/^whsec_/);
    alertPath = new URL(page.url()).pathname.replace(`/p/${account.project}`, "");
    const hooks = async () =>
      ((await (await fetch(`${receiver.url}/log?path=/hook`)).json()) as Array<{ body: string }>).map(
        (r) => JSON.parse(r.body) as { state: string },
      );
    // The minute's evaluation (what the Cron Trigger runs): the demo's spend fires the rule.
    await fetch(`${base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("* * * * *")}`);
    await expect.poll(async () => (await hooks()).map((h) => h.state), { timeout: 20_000 }).toEqual(["firing"]);
    await page.getByRole("button", { name: "Send test" }).click();
    await expect.poll(async () => (await hooks()).map((h) => h.state)).toEqual(["firing", "test"]);
    // The history shows the test delivery, delivered with the receiver's 200.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId("alert-history").waitFor();
          return page.getByTestId("alert-history").textContent();
        },
        { timeout: 20_000 },
      )
      .toMatch(/test notification via webhook.*delivered: 200/);
    expect(await page.getByTestId("alert-history").textContent()).toContain("ok → firing");
    expect(await page.locator(".state-badge").first().textContent()).toMatch(/^firing since/);
    // Reads never show the secret again.
    await page.reload();
    await page.getByRole("heading", { name: "Demo spend" }).waitFor();
    expect(await page.getByTestId("signing-secret").count()).toBe(0);
    await context.close();
  });

  it("edits a rule made through the API with its own window and renotify, and says why a preview can't be judged", async () => {
    const res = await fetch(`${base}/api/projects/${account.project}/alerts`, {
      method: "POST",
      headers: { Cookie: account.cookie, Origin: base, "Content-Type": "application/json" },
      body: JSON.stringify({
        name: "API rule",
        metric: "cost",
        op: ">",
        threshold: 1,
        window_minutes: 90,
        renotify_minutes: 30,
      }),
    });
    expect(res.status).toBe(201);
    const { alert } = (await res.json()) as { alert: { id: string } };
    const { page, context } = await openPage(browser, account, `/alerts/${alert.id}`);
    await expect.poll(() => page.locator("main").textContent(), { timeout: 15_000 }).toContain("Nothing yet");
    await page.getByRole("button", { name: "Edit" }).click();
    const form = page.getByTestId("alert-form");
    const chosen = (label: string) =>
      form
        .locator("label", { hasText: new RegExp(`^${label}`) })
        .locator("select")
        .evaluate((s) => (s instanceof HTMLSelectElement ? s.selectedOptions[0]?.textContent : null));
    // The rule's values are offered as they are (the presets have no 90 min window or 30 min reminder).
    expect(await chosen("Window")).toBe("90 min");
    expect(await chosen("Renotify")).toBe("every 30 min");
    const preview = page.getByTestId("alert-preview");
    await expect.poll(() => preview.textContent()).toMatch(/Would have fired \d+ times?/);
    // A rate above 1 can't be judged: the last good preview gives way to the reason.
    await form
      .locator("label", { hasText: /^Metric/ })
      .locator("select")
      .selectOption("error_rate");
    await form.getByRole("spinbutton", { name: "Threshold" }).fill("5");
    await expect.poll(() => preview.textContent()).toMatch(/fraction/);
    expect(await preview.textContent()).not.toMatch(/Would have fired/);
    await context.close();
  });

  for (const view of VIEWS) {
    it(`fits ${view.width} px (${view.colorScheme}): list, rule page and form`, async () => {
      const shots = process.env.WATCHLLM_SHOTS;
      for (const [name, path, ready] of [
        ["list", "/alerts", "alerts"],
        ["rule", alertPath, "alert-history"],
        ["form", "/alerts/new", "alert-form"],
      ] as const) {
        const { page, context } = await openPage(browser, account, path, view);
        await page.getByTestId(ready).waitFor();
        if (ready !== "alert-form") await page.locator(`[data-testid=${ready}] tbody tr`).first().waitFor();
        if (name === "form")
          await expect.poll(() => page.getByTestId("alert-preview").textContent()).toContain("fired");
        expect(await overflow(page), `${name} at ${view.width}`).toEqual([]);
        if (name === "form" && view.width >= 1280) {
          // The form takes the page's width (it was held to the sign-in card's 380 px, a URL showing "http://127.").
          const form = (await page.getByTestId("alert-form").boundingBox())!;
          expect(form.width).toBeGreaterThan(800);
        }
        if (name === "form") {
          // A score average asks for the score's name, and the preview judges it.
          const form = page.getByTestId("alert-form");
          await form
            .locator("label", { hasText: /^Metric/ })
            .locator("select")
            .selectOption("score_avg:");
          await form.getByLabel("Score name").fill("helpfulness");
          await expect
            .poll(() => page.getByTestId("alert-preview").textContent())
            .toMatch(/Would have fired \d+ times?/);
          expect(await overflow(page), `score form at ${view.width}`).toEqual([]);
        }
        if (name === "list") {
          const row = page.locator("[data-testid=alerts] tbody tr").first();
          expect(await row.textContent()).toContain("Demo spend");
          expect(await row.locator(".state-badge").count()).toBe(1);
        }
        if (shots)
          await page.screenshot({
            path: `${shots}/alerts-${name}-${view.width}-${view.colorScheme}.png`,
            fullPage: true,
          });
        await context.close();
      }
    });
  }
});
