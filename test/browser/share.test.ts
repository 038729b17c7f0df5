// Sharing a trace: a member makes a link from the trace page; the link opens in a fresh browser (no cookies) as the
// trace's view alone (no app frame, nothing of the project, no API call but the link's own), at 1280 and 375 px, light
// and dark; a link without inputs and outputs never shows them; Settings lists the links and revokes them. And the
// login page loads without a failed request in the console.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, base, createAccount, openPage, sendEvents, VIEWS } from "./fixtures.ts";

let browser: Browser;
let account: Account;
const T0 = Date.now() - 60_000;
const SECRET = "the customer's order number is 4711";
const shots = process.env.WATCHLLM_SHOTS;

const events = [
  {
    event_id: "root",
    trace_id: "shared-run",
    type: "span",
    name: "support agent",
    timestamp: T0,
    duration_ms: 1200,
    body: { input: `Where is my parcel? ${SECRET}`, output: "It ships tomorrow." },
    context: { user_id: "customer-42", session_id: "chat-7" },
  },
  {
    event_id: "llm",
    trace_id: "shared-run",
    parent_event_id: "root",
    type: "model_response",
    name: "chat gpt-4o-mini",
    model: "gpt-4o-mini",
    timestamp: T0 + 100,
    duration_ms: 800,
    usage: { input_tokens: 320, output_tokens: 24 },
    body: {
      input: [
        { role: "system", content: "You are a support agent." },
        { role: "user", content: `Where is my parcel? ${SECRET}` },
      ],
      output: { role: "assistant", content: "It ships tomorrow." },
    },
  },
  {
    event_id: "tool",
    trace_id: "shared-run",
    parent_event_id: "root",
    type: "tool_call",
    name: "lookup_order",
    timestamp: T0 + 950,
    duration_ms: 200,
    body: { input: { order: SECRET }, output: { status: "packed" } },
  },
];

/** Makes a link from the trace page's Share dialog, as a member would; returns its URL. */
async function makeLink(hideIo: boolean, view: (typeof VIEWS)[number]) {
  const { page, context } = await openPage(browser, account, "/traces/shared-run", view);
  await page.getByRole("button", { name: "Share" }).click();
  const dialog = page.getByTestId("share-dialog");
  if (hideIo) await dialog.getByLabel(/Hide inputs and outputs/).check();
  await dialog.getByLabel("Expires").selectOption("7");
  const shot = `${shots}/share-dialog-${view.width}-${view.colorScheme}`;
  if (shots) await page.screenshot({ path: `${shot}.png` });
  await dialog.getByRole("button", { name: "Create link" }).click();
  const url = await dialog.getByLabel("Share link").inputValue();
  // The dialog fits the window, its link box inside it.
  const fits = await dialog.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const copy = el.querySelector(".copy")!.getBoundingClientRect();
    return box.left >= 0 && box.right <= innerWidth && copy.left >= box.left && copy.right <= box.right;
  });
  expect(fits).toBe(true);
  if (shots) await page.screenshot({ path: `${shot}-created.png` });
  expect(url).toMatch(new RegExp(`^${base}/share/wl_share_\\w+$`));
  await context.close();
  return url;
}

/** Opens a URL in a new context without any cookie, recording console errors and the API paths it calls. */
async function openFresh(url: string, view: { width: number; colorScheme: "light" | "dark" } = VIEWS[0]) {
  const context = await browser.newContext({
    viewport: { width: view.width, height: 800 },
    colorScheme: view.colorScheme,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const calls: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/api/")) calls.push(path);
  });
  await page.goto(url);
  return { page, context, errors, calls };
}

const text = (page: Page) => page.evaluate(() => document.body.textContent ?? "");

beforeAll(async () => {
  browser = await launch();
  account = await createAccount("Sharer");
  await sendEvents(account, events);
});
afterAll(async () => browser?.close());

describe("sharing a trace", () => {
  let link = "";
  let hidden = "";
  beforeAll(async () => {
    link = await makeLink(false, VIEWS[0]);
    hidden = await makeLink(true, VIEWS[3]);
  });

  for (const view of VIEWS) {
    it(`opens the link signed out as the trace alone at ${view.width} px, ${view.colorScheme}`, async () => {
      const { page, context, errors, calls } = await openFresh(link, view);
      await expect.poll(() => page.locator("[data-event]").count()).toBe(3);
      await page.locator('[data-event="llm"]').click();
      await expect.poll(() => page.getByTestId("inspector").textContent()).toContain(SECRET);
      const layout = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        nav: document.querySelectorAll("nav.tabs, .switcher").length,
        head: document.querySelector(".page-head h1")?.textContent,
        badge: document.querySelector(".shared-badge")?.textContent,
        // The header bar and the trace fit the window: the page itself does not scroll, its panes do.
        pageScrolls: document.scrollingElement!.scrollHeight > innerHeight + 1,
        inspectorInside: (() => {
          const r = document.querySelector("[data-testid=inspector]")!.getBoundingClientRect();
          return r.left >= 0 && r.right <= innerWidth + 0.5;
        })(),
      }));
      expect(layout).toEqual({
        overflow: 0,
        nav: 0,
        head: "support agent",
        badge: "Shared trace · read-only",
        pageScrolls: false,
        inspectorInside: true,
      });
      // Users and sessions are plain text: there is no project to link to.
      expect(await page.getByTestId("totals").locator("a").count()).toBe(0);
      expect(await text(page)).not.toMatch(/Sharer|My first project|Log out|Settings/);
      expect(
        calls.every((p) => p.startsWith("/api/share/")),
        calls.join(" "),
      ).toBe(true);
      expect(errors).toEqual([]);
      if (shots) await page.screenshot({ path: `${shots}/share-${view.width}-${view.colorScheme}.png` });
      await context.close();
    });
  }

  it("never shows inputs or outputs through a link that hides them", async () => {
    const { page, context, errors } = await openFresh(hidden);
    await expect.poll(() => page.locator("[data-event]").count()).toBe(3);
    expect(await page.getByTestId("shared-about").textContent()).toContain("Inputs and outputs are hidden");
    for (const id of ["root", "llm", "tool"]) {
      await page.locator(`[data-event="${id}"]`).click();
      await expect.poll(() => page.getByTestId("inspector").locator(".facts").textContent()).toContain(id);
      await expect.poll(() => page.getByTestId("inspector").textContent()).toContain("Raw JSON");
    }
    const shown = await text(page);
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain("customer-42");
    expect(shown).toContain("lookup_order");
    expect(errors).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/share-hidden-1280-light.png` });
    await context.close();
  });

  it("lists the links in Settings and revokes one: the link then says it doesn't work", async () => {
    const { page, context } = await openPage(browser, account, "/settings/shares");
    const table = page.getByTestId("share-links");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(2);
    expect(await table.textContent()).toContain("no inputs/outputs");
    page.on("dialog", (d) => void d.accept());
    // Newest first: the hidden link, then the full one.
    await table.locator("tbody tr").nth(1).getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => table.locator("tbody tr").nth(1).textContent()).toContain("revoked");
    if (shots) await page.locator("#shares").screenshot({ path: `${shots}/share-settings-1280-light.png` });
    await context.close();

    const gone = await openFresh(link);
    await expect.poll(() => gone.page.locator("h1").textContent()).toBe("This link doesn't work");
    expect(await text(gone.page)).not.toContain("support agent");
    await gone.context.close();
  });
});

describe("the login page", () => {
  it("loads signed out with no error in the console", async () => {
    const { page, context, errors, calls } = await openFresh(`${base}/login`);
    await page.getByRole("button", { name: "Log in" }).waitFor();
    expect(calls).toContain("/api/auth/session");
    expect(errors).toEqual([]);
    await context.close();
  });
});
