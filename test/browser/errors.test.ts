// Failures reach the user: a read the API refuses shows its message, a refused action shows it (dismissible), and a
// page that throws while rendering shows what went wrong instead of a blank screen.
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launch } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let account: { cookie: string; project: string };

beforeAll(async () => {
  browser = await launch();
  const res = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ email: `errors-${Date.now()}@example.com`, password: "correct horse battery", name: "Err" }),
  });
  const body = (await res.json()) as { project: { id: string } };
  account = { cookie: res.headers.get("set-cookie")!.split(";")[0]!, project: body.project.id };
});
afterAll(async () => browser?.close());

async function open(path: string) {
  const context = await browser.newContext();
  const [name, value] = account.cookie.split("=");
  await context.addCookies([{ name: name!, value: value!, url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  return page;
}

describe("errors in the dashboard", () => {
  it("shows the API's message when a page's read fails", async () => {
    const page = await open(`/p/${account.project}/compare?a=nope-a&b=nope-b`);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("No such trace.");
  });

  it("shows a refused action's message, and the user can dismiss it", async () => {
    const page = await open(`/p/${account.project}/settings`);
    await page.getByLabel("New org").fill("x".repeat(150));
    await page.getByRole("button", { name: "Create org" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/name/i);
    await alert.getByRole("button", { name: "Dismiss" }).click();
    await expect.poll(() => page.getByRole("alert").count()).toBe(0);
  });

  it("an error boundary shows what went wrong when a page throws", async () => {
    const harness = await build({
      stdin: {
        contents: `
          import { render } from "preact";
          import { ErrorBoundary } from "./ui/components/ErrorBoundary.tsx";
          function Broken() { throw new Error("the chart had no data"); }
          render(<ErrorBoundary><Broken /></ErrorBoundary>, document.body);`,
        loader: "tsx",
        resolveDir: process.cwd(),
      },
      bundle: true,
      write: false,
      format: "iife",
      jsx: "automatic",
      jsxImportSource: "preact",
    });
    const page = await browser.newPage();
    await page.setContent("<html><body></body></html>");
    await page.addScriptTag({ content: harness.outputFiles[0]!.text });
    const shown = page.getByTestId("page-error");
    await shown.waitFor();
    expect(await shown.textContent()).toContain("the chart had no data");
    expect(await page.getByRole("button", { name: "Reload" }).count()).toBe(1);
  });
});
