// Settings → data: retention set by an admin and shown with what it means, the audit log recording it, and deleting
// the project only after its name is typed; deleting a trace or an end user's data from their pages; laid out within
// the page at desktop and phone widths, light and dark.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, base, createAccount, openPage, sendEvents, VIEWS } from "./fixtures.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

/** Sections of the data settings wider than the page, and their text smaller than 12 px or unreadable. */
function layoutProblems(page: Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) problems.push(`page scrolls sideways (${width} px)`);
    for (const section of Array.from(document.querySelectorAll("section"))) {
      const title = section.querySelector("h2")?.textContent ?? "section";
      const r = section.getBoundingClientRect();
      if (r.left < -0.5 || r.right > width + 0.5) problems.push(`${title}: ${Math.round(r.width)} px`);
      for (const el of Array.from(section.querySelectorAll<HTMLElement>("p, label, button, input, td, th"))) {
        const b = el.getBoundingClientRect();
        if (!el.offsetParent) continue;
        if (b.right > r.right + 0.5) problems.push(`${title}: "${el.textContent?.slice(0, 30)}" overflows`);
        const style = getComputedStyle(el);
        if (Number.parseFloat(style.fontSize) < 12) problems.push(`${title}: "${el.textContent?.slice(0, 30)}" tiny`);
      }
    }
    return problems;
  });
}

const projectStatus = async (account: Account) =>
  (await fetch(`${base}/api/projects/${account.project}`, { headers: { Cookie: account.cookie } })).status;

describe("settings tabs", () => {
  it("opens on keys and members, gives each tab its own section and address, and marks the current one", async () => {
    const account = await createAccount("Tabs");
    const { page, context } = await openPage(browser, account, "/settings");
    await page.getByRole("heading", { name: "API keys" }).waitFor();
    expect(await page.getByRole("heading", { name: /^Members of/ }).count()).toBe(1);
    expect(await page.getByTestId("prices").count()).toBe(0);
    const tabs = page.getByRole("navigation", { name: "Settings" });
    const walk: Array<[string, string, string | RegExp]> = [
      ["Model prices", "/prices", "Model prices"],
      ["Score configs", "/scores", "Score configs"],
      ["Share links", "/shares", "Share links"],
      ["Usage", "/usage", /^Usage of/],
      ["Data", "/data", "Data retention"],
      ["General", "", "API keys"],
    ];
    for (const [label, path, heading] of walk) {
      await tabs.getByRole("link", { name: label, exact: true }).click();
      await page.getByRole("heading", { name: heading }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/p/${account.project}/settings${path}`);
      expect(await tabs.locator("[aria-current=page]").textContent()).toBe(label);
      expect(await page.locator(".settings h2").count(), label).toBeGreaterThan(0);
    }
    await context.close();
  });

  it("lays every tab out within a 375 px phone, its tables with rows and their buttons (dark)", async () => {
    const account = await createAccount("PhoneTabs");
    const headers = { Cookie: account.cookie, Origin: base, "Content-Type": "application/json" };
    const put = (path: string, body: unknown, method = "POST", more: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { method, headers: { ...headers, ...more }, body: JSON.stringify(body) });
    await put(`/api/projects/${account.project}/score-configs/quality`, { kind: "numeric", min: 0, max: 1 }, "PUT");
    await put(
      "/api/v1/prices",
      {
        model: "ft:gpt-4o-mini:acme",
        match: { equals: "ft:gpt-4o-mini:acme" },
        rates: { input_mtok: 1, output_mtok: 2 },
      },
      "POST",
      { "X-WatchLLM-Project": account.project },
    );
    await put(`/api/projects/${account.project}/keys`, { name: "ci", kind: "ingest" });
    const { page, context } = await openPage(browser, account, "/settings", { width: 375, colorScheme: "dark" });
    const tabs: Array<[string, string]> = [
      ["", "Revoke"],
      ["/prices", "Delete"],
      ["/scores", "Delete quality"],
      ["/shares", ""],
      ["/usage", ""],
      ["/data", "Delete project"],
    ];
    for (const [path, button] of tabs) {
      await page.goto(`${base}/p/${account.project}/settings${path}`);
      await page.locator(".settings h2").first().waitFor();
      if (button) await page.getByRole("button", { name: button, exact: true }).first().waitFor({ timeout: 15_000 });
      if (path === "/data") await page.getByTestId("audit-log").waitFor({ timeout: 15_000 });
      expect(await layoutProblems(page), path || "general").toEqual([]);
    }
    // The audit log words each action from its name ("key.created"), with its target (the key's prefix).
    expect(await page.getByTestId("audit-log").textContent()).toMatch(/Key created: wl_ingest_/);
    await context.close();
  });
});

describe("settings: data retention, audit log, deleting the project", () => {
  it("sets retention, shows it and its audit entry", async () => {
    const account = await createAccount("Retention");
    const { page, context } = await openPage(browser, account, "/settings/data");
    const retention = page.getByTestId("retention");
    await expect.poll(() => retention.textContent(), { timeout: 15_000 }).toContain("forever");
    await page.getByLabel("Keep traces for (days)").fill("14");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => retention.textContent()).toContain("14 days after their last event");
    expect(await retention.textContent()).toContain("Cost totals are kept 400 days");
    const log = page.getByTestId("audit-log");
    await expect.poll(() => log.textContent().catch(() => "")).toContain("Retention: 14 days");
    await context.close();
  });

  for (const view of VIEWS) {
    it(`fits the page and reads (${view.width} px, ${view.colorScheme})`, async () => {
      const account = await createAccount("Layout");
      await fetch(`${base}/api/projects/${account.project}`, {
        method: "PATCH",
        headers: { Cookie: account.cookie, Origin: base, "Content-Type": "application/json" },
        body: JSON.stringify({ retention_days: 30 }),
      });
      const { page, context } = await openPage(browser, account, "/settings/data", view);
      await page.getByTestId("audit-log").waitFor({ timeout: 15_000 });
      await page.getByRole("button", { name: "Delete project" }).waitFor();
      expect(await layoutProblems(page)).toEqual([]);
      const shots = process.env.WATCHLLM_SHOTS;
      if (shots)
        await page.screenshot({ path: `${shots}/settings-data-${view.width}-${view.colorScheme}.png`, fullPage: true });
      await context.close();
    });
  }

  it("deletes the project only once its name is typed, then offers to create one", async () => {
    const account = await createAccount("Leaving");
    const { page, context } = await openPage(browser, account, "/settings/data", { width: 375 });
    const button = page.getByRole("button", { name: "Delete project" });
    await button.waitFor({ timeout: 15_000 });
    const confirm = page.getByLabel("Type the project's name to confirm");
    await confirm.fill("not the name");
    expect(await button.isDisabled()).toBe(true);
    const name = (await (
      await fetch(`${base}/api/projects/${account.project}`, { headers: { Cookie: account.cookie } })
    ).json()) as { project: { name: string } };
    await confirm.fill(name.project.name);
    expect(await button.isDisabled()).toBe(false);
    await button.click();
    await expect.poll(() => page.url(), { timeout: 15_000 }).not.toContain(account.project);
    expect(await projectStatus(account)).toBe(404);
    const keyed = await fetch(`${base}/api/v1/traces`, { headers: { Authorization: `Bearer ${account.keys.secret}` } });
    expect(keyed.status).toBe(401);
    // With no project left, the page offers to create one.
    await page.getByRole("heading", { name: "No projects yet" }).waitFor();
    await page.getByLabel("Project name").fill("second try");
    await page.getByRole("button", { name: "Create project" }).click();
    await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(/\/p\/prj_[^/]+\/traces/);
    await context.close();
  });
});

describe("deleting a trace or an end user's data from its page", () => {
  const run = (trace: string, user: string) => [
    {
      event_id: `${trace}-root`,
      trace_id: trace,
      type: "span",
      name: "agent",
      timestamp: Date.now() - 5_000,
      duration_ms: 100,
      context: { user_id: user },
    },
    {
      event_id: `${trace}-llm`,
      trace_id: trace,
      parent_event_id: `${trace}-root`,
      type: "model_response",
      name: "answer",
      model: "gpt-4o",
      timestamp: Date.now() - 4_000,
      duration_ms: 50,
      context: { user_id: user },
    },
  ];
  const status = async (account: Account, path: string) =>
    (await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${account.keys.secret}` } })).status;

  for (const width of [1280, 375]) {
    it(`deletes a trace after asking, and the header still fits (${width} px)`, async () => {
      const account = await createAccount("TraceDeleter");
      await sendEvents(account, [...run("doomed", "u-1"), ...run("kept", "u-1")]);
      const { page, context } = await openPage(browser, account, "/traces/doomed", { width });
      const button = page.getByRole("button", { name: "Delete trace" });
      await button.waitFor({ timeout: 15_000 });
      const head = await page.locator(".page-head").evaluate((el) => ({
        overflow: el.scrollWidth - el.clientWidth,
        right: el.getBoundingClientRect().right,
        page: document.documentElement.clientWidth,
      }));
      expect(head.overflow).toBeLessThanOrEqual(0);
      expect(head.right).toBeLessThanOrEqual(head.page);
      if (process.env.WATCHLLM_SHOTS)
        await page.screenshot({ path: `${process.env.WATCHLLM_SHOTS}/trace-delete-${width}.png` });
      page.once("dialog", (d) => void d.dismiss());
      await button.click();
      expect(await status(account, "/api/v1/traces/doomed")).toBe(200);
      page.once("dialog", (d) => void d.accept());
      await button.click();
      await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(/\/traces$/);
      expect(await status(account, "/api/v1/traces/doomed")).toBe(404);
      expect(await status(account, "/api/v1/traces/kept")).toBe(200);
      await context.close();
    });
  }

  it("deletes an end user's data from the user's page", async () => {
    const account = await createAccount("UserDeleter");
    await sendEvents(account, [...run("mine", "u-forget"), ...run("theirs", "u-keep")]);
    const { page, context } = await openPage(browser, account, "/users/u-forget", { width: 375 });
    const button = page.getByRole("button", { name: "Delete user's data" });
    await button.waitFor({ timeout: 15_000 });
    page.once("dialog", (d) => void d.accept());
    await button.click();
    await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(/\/users$/);
    expect(await status(account, "/api/v1/users/u-forget")).toBe(404);
    expect(await status(account, "/api/v1/traces/mine")).toBe(404);
    expect(await status(account, "/api/v1/traces/theirs")).toBe(200);
    await context.close();
  });
});
