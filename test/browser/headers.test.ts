// The dashboard's HTML and assets carry a strict Content-Security-Policy and friends, and the app runs under it.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

describe("security headers", () => {
  it("HTML and assets are sent with a strict CSP, frame-ancestors 'none', nosniff and a referrer policy", async () => {
    const html = await fetch(`${base}/p/some/traces`);
    const csp = html.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(html.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(html.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    const script = (await html.text()).match(/src="(\/assets\/[^"]+\.js)"/)![1]!;
    expect((await fetch(`${base}${script}`)).headers.get("Content-Security-Policy")).toBe(csp);
  });

  it("the dashboard runs under that policy: sign-up, traces and settings with no CSP violation", async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${base}/signup`);
    await page.getByLabel("Name").fill("Csp");
    await page.getByLabel("Email").fill(`csp-${Date.now()}@example.com`);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL(/\/p\/prj_[^/]+\/traces$/);
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "API keys" }).waitFor();
    expect(violations).toEqual([]);
  });
});
