// Settings → Usage and the quota banner against the real Worker: an org put on a small plan by the operator's command
// (`npm run org:plan`), its month's events against the quota, the trend and the splits; near (80%) and over (100%) the
// banner says so on every page, and the usage page lists the quota warnings; laid out within the page at desktop and phone widths, light and dark.
import { execFileSync } from "node:child_process";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, base, createAccount, openPage, sendEvents, VIEWS } from "./fixtures.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

async function orgOf(account: Account) {
  const me = (await (await fetch(`${base}/api/me`, { headers: { Cookie: account.cookie } })).json()) as {
    orgs: Array<{ id: string }>;
  };
  return me.orgs[0]!.id;
}

/**
 * The operator's command, on the test instance's local state. wrangler dev reloads the Worker when wrangler writes its
 * own files, dropping open connections: wait until the instance answers again.
 */
async function putOnPlan(org: string, plan: string) {
  const out = execFileSync("node", ["scripts/org-plan.ts", org, plan, "--persist-to", inject("stateDir")], {
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
  for (let ok = 0; ok < 2; ) ok = (await fetch(`${base}/api/health`).catch(() => null))?.ok ? ok + 1 : 0;
  return out;
}

const events = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({
    event_id: `${tag}-${i}`,
    trace_id: `${tag}-trace-${i}`,
    type: "span",
    name: "step",
    timestamp: Date.now() - 1_000,
    duration_ms: 5,
  }));

/** Waits until usage counts `n` events (the consumer counts what it stored); hooks can't use expect.poll. */
async function usageReaches(account: Account, org: string, n: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${base}/api/orgs/${org}/usage`, { headers: { Cookie: account.cookie } });
    const events = ((await res.json()) as { month: { events: number } }).month.events;
    if (events === n) return;
    if (Date.now() > deadline) throw new Error(`usage counts ${events} events, not ${n}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Parts of the usage section wider than the page or cut, and text smaller than 12 px. */
function layoutProblems(page: Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) problems.push(`page scrolls sideways (${width} px)`);
    const parts = [
      document.querySelector("[data-testid=usage]"),
      document.querySelector("[data-testid=quota-banner]"),
      ...Array.from(document.querySelectorAll("[data-testid=usage] :is(p, dt, dd, th, td, li, svg, figcaption, h3)")),
    ];
    for (const el of parts as HTMLElement[]) {
      if (!el) continue;
      const r = el.getBoundingClientRect();
      const what = el.textContent?.slice(0, 30) || el.tagName;
      if (r.left < -0.5 || r.right > width + 0.5) problems.push(`"${what}" outside the page`);
      if (Number.parseFloat(getComputedStyle(el).fontSize) < 12 && el.tagName !== "svg")
        problems.push(`"${what}" tiny`);
    }
    const figures = Array.from(document.querySelectorAll<HTMLElement>(".usage-figures > div"));
    for (const f of figures) if (f.scrollWidth > f.clientWidth + 1) problems.push(`figure "${f.textContent}" cut`);
    return problems;
  });
}

describe("settings: usage and the quota banner", () => {
  let account: Account;
  let org: string;
  beforeAll(async () => {
    account = await createAccount("Usage");
    org = await orgOf(account);
    expect(await putOnPlan(org, "ui-small")).toContain("→ ui-small");
    await sendEvents(account, events(9, "near"));
    await usageReaches(account, org, 9);
  }, 300_000); // wrangler d1 execute (the operator's command) is slow on a busy machine

  for (const view of VIEWS) {
    it(`shows the month against the plan, near the quota (${view.width} px, ${view.colorScheme})`, async () => {
      const { page, context } = await openPage(browser, account, "/settings/usage", view);
      const usage = page.getByTestId("usage");
      await expect.poll(() => usage.textContent(), { timeout: 15_000 }).toContain("9 of 10 events this month (90%)");
      expect(await page.getByTestId("plan").textContent()).toContain("ui-small");
      expect(await page.getByTestId("usage-projects").textContent()).toContain("9");
      expect(await page.getByTestId("usage-sources").textContent()).toContain("Events API / SDKs");
      expect(await page.getByTestId("usage-trend").locator("rect").count()).toBeGreaterThan(0);
      expect(await page.getByTestId("quota-banner").textContent()).toContain("90% of this month's 10 events");
      // The consumer noted the 80% warning; the org has no alert channel, so the every-minute run tells no one.
      expect(await page.getByTestId("usage-warnings").textContent()).toMatch(
        /^80% reached \d{4}-\d\d-\d\d: (notifying the alert channels|no alert channel to notify)/,
      );
      expect(await layoutProblems(page)).toEqual([]);
      const shots = process.env.WATCHLLM_SHOTS;
      if (shots)
        await page.screenshot({ path: `${shots}/usage-${view.width}-${view.colorScheme}.png`, fullPage: true });
      await context.close();
    });
  }

  it("draws no quota bar for an org without a quota (an empty bar read as 0% used)", async () => {
    const free = await createAccount("NoQuota");
    const { page, context } = await openPage(browser, free, "/settings/usage");
    const meter = page.getByTestId("quota-meter");
    await expect.poll(() => meter.textContent(), { timeout: 15_000 }).toContain("events this month (no quota)");
    expect(await meter.locator(".meter-bar").count()).toBe(0);
    await context.close();
  });

  it("says on every page when the quota is used up, and ingest answers 429 quota_exceeded", async () => {
    await sendEvents(account, events(1, "last"));
    await usageReaches(account, org, 10);
    const { page, context } = await openPage(browser, account, "/traces", { width: 375 });
    const banner = page.getByTestId("quota-banner");
    await expect.poll(() => banner.textContent().catch(() => ""), { timeout: 15_000 }).toContain("used all 10 events");
    expect(await layoutProblems(page)).toEqual([]);
    const refused = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${account.keys.ingest}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events: events(1, "refused") }),
    });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("quota_exceeded");
    await context.close();
  });
});
