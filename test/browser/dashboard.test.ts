import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

let n = 0;
const email = () => `ui-${Date.now()}-${++n}@example.com`;

async function signUp(page: Page, name: string, address = email()) {
  await page.goto(`${base}/signup`);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(address);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL(/\/p\/prj_[^/]+\/traces$/);
  return { address, project: page.url().match(/\/p\/(prj_[^/]+)\//)![1]! };
}

async function sendEvent(key: string) {
  const res = await fetch(`${base}/api/v1/events`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      events: [
        { event_id: crypto.randomUUID(), trace_id: "ui-trace", type: "log", name: "hello", timestamp: Date.now() },
      ],
    }),
  });
  expect(res.status).toBe(202);
}

describe("dashboard shell", () => {
  it("sign up → onboarding → create a key → first event turns onboarding green → log out → log back in", async () => {
    const page = await browser.newPage();
    const { address, project } = await signUp(page, "Ada");
    const status = page.getByTestId("first-event");
    await expect.poll(() => status.textContent()).toContain("Waiting for the first event");
    expect(await page.getByLabel("Ingest key").inputValue()).toMatch(/^wl_ingest_/);
    expect(await page.getByLabel("Secret key").inputValue()).toMatch(/^wl_secret_/);

    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByPlaceholder("e.g. production").fill("browser test"); // the key form's Name (score configs have one too)
    await page.getByRole("button", { name: "Create key" }).click();
    const newKey = (await page.getByLabel("New key").inputValue())!;
    expect(newKey).toMatch(/^wl_ingest_/);
    // The table shows only the prefix, never the whole key.
    const table = page.locator("table").first();
    await expect.poll(() => table.textContent()).toContain(newKey.slice(0, 14));
    expect(await table.textContent()).not.toContain(newKey);

    // Back on the empty project's onboarding, which waits for the event, then send it.
    await page.getByRole("link", { name: "Traces" }).click();
    await expect.poll(() => page.getByTestId("first-event").textContent()).toContain("Waiting for the first event");
    await sendEvent(newKey);
    await expect
      .poll(() => page.getByTestId("first-event").textContent(), { timeout: 20_000 })
      .toContain("First event received");

    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${base}/login`);
    expect((await page.request.get(`${base}/api/me`)).status()).toBe(401);
    await page.getByLabel("Email").fill(address);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(new RegExp(`/p/${project}/(traces|overview)$`));
    const options = await page.getByLabel("Project").locator("option").allTextContents();
    expect(options).toEqual(["Ada's org / My first project"]);
    await page.close();
  });

  it("shows both new keys once after sign-up, with copy buttons, and the secret key reads the API", async () => {
    const context = await browser.newContext();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
    const page = await context.newPage();
    await signUp(page, "Keys");
    const keys = page.getByTestId("new-keys");
    await keys.waitFor();
    expect(await keys.textContent()).toContain("won't be shown again");
    const ingest = await page.getByLabel("Ingest key").inputValue();
    const secret = await page.getByLabel("Secret key").inputValue();
    expect(ingest).toMatch(/^wl_ingest_/);
    expect(secret).toMatch(/^wl_secret_/);
    for (const [label, value] of [
      ["Secret key", secret],
      ["Ingest key", ingest],
    ] as const) {
      await page
        .locator(".copy", { has: page.getByLabel(label) })
        .getByRole("button", { name: "Copy" })
        .click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    }
    const read = await fetch(`${base}/api/v1/traces`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(read.status).toBe(200);
    // Once: "I've saved them" forgets the secret key, and a reload shows neither.
    await page.getByRole("button", { name: "I've saved them" }).click();
    expect(await page.getByLabel("Secret key").count()).toBe(0);
    await page.reload();
    await page.getByTestId("first-event").waitFor();
    expect(await page.getByLabel("Secret key").count()).toBe(0);
    expect(await page.getByLabel("Ingest key").count()).toBe(0);
    await context.close();
  });

  it("invites a second person by link, who lands in the org with the invited role", async () => {
    const owner = await browser.newPage();
    await signUp(owner, "Owner");
    await owner.getByRole("link", { name: "Settings" }).click();
    await owner.locator("form.inline", { hasText: "Create invite link" }).getByLabel("Role").selectOption("viewer");
    await owner.getByRole("button", { name: "Create invite link" }).click();
    const link = (await owner.getByLabel("Invite link").inputValue())!;
    expect(link).toMatch(/\/invite\//);

    const guest = await (await browser.newContext()).newPage();
    await guest.goto(link);
    await expect.poll(() => guest.locator(".notice").textContent()).toContain("as viewer");
    await guest.getByLabel("Name").fill("Guest");
    await guest.getByLabel("Email").fill(email());
    await guest.getByLabel("Password").fill("correct horse battery");
    await guest.getByRole("button", { name: "Sign up" }).click();
    await guest.waitForURL(/\/(traces|overview)$/);
    const me = (await (await guest.request.get(`${base}/api/me`)).json()) as {
      orgs: Array<{ name: string; role: string }>;
    };
    expect(me.orgs.find((o) => o.name === "Owner's org")?.role).toBe("viewer");
    await owner.reload();
    await expect.poll(() => owner.locator("table").nth(1).textContent()).toContain("Guest");
  });

  it("with its only project deleted, offers to create one, and the new project opens", async () => {
    const page = await browser.newPage();
    const { project } = await signUp(page, "Nel");
    const deleted = await page.request.delete(`${base}/api/projects/${project}`, { headers: { Origin: base } });
    expect(deleted.ok()).toBe(true);
    await page.goto(`${base}/`);
    await page.getByRole("heading", { name: "No projects yet" }).waitFor();
    await page.getByLabel("Project name").fill("second try");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(/\/p\/prj_[^/]+\//);
    expect(page.url()).not.toContain(project);
    await page.close();
  });

  it("fits a 375 px phone without horizontal scrolling and is keyboard reachable", async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await signUp(page, "Phone");
    for (const [section, loaded] of [
      ["Traces", "Send your first event"],
      ["Settings", "Create key"],
    ] as const) {
      await page.getByRole("link", { name: section }).click();
      await page.getByText(loaded).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    }
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(/\/login$/);
    const reached: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      reached.push(
        await page.evaluate(
          () => document.activeElement?.getAttribute("name") ?? document.activeElement?.textContent ?? "",
        ),
      );
    }
    expect(reached).toEqual(expect.arrayContaining(["email", "password", "Log in"]));
  });
});
