// `npm run screenshots`: a scratch instance with a demo account and data, every page at 1280 and 375 px in light
// and dark, written to docs/screenshots/. Onboarding is shown as a new user sees it: signed up in the browser, with
// the new project's keys on screen.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch } from "../test/browser/browser.ts";
import { loadDemoData, waitForDemoData } from "./demo-data.ts";
import { signUpOn, startScratchInstance } from "./dev-server.ts";

const out = "docs/screenshots";
mkdirSync(out, { recursive: true });
const server = await startScratchInstance("shots");
const browser = await launch();
try {
  // One account with data for the app pages; onboarding signs up in the browser.
  const full = await signUpOn(server.base, "Demo");
  await loadDemoData(server.base, full.keys.ingest);
  await waitForDemoData(server.base, full.keys.secret);
  // One alert rule, so the Alerts page shows a rule with its state and chart rather than its empty state.
  const rule = await fetch(`${server.base}/api/projects/${full.project.id}/alerts`, {
    method: "POST",
    headers: { Cookie: full.cookie, Origin: server.base, "Content-Type": "application/json" },
    body: JSON.stringify({
      name: "Any model whose p95 passes 2 s",
      metric: "latency_p95",
      filters: { type: ["model_response"] },
      window_minutes: 1440,
      op: ">",
      threshold: 2000,
      min_count: 5,
      group_by: "model",
      renotify_minutes: null,
      enabled: true,
      channels: [{ type: "webhook", url: "https://example.com/hook" }],
    }),
  });
  if (rule.status !== 201) throw new Error(`creating the alert rule answered ${rule.status}: ${await rule.text()}`);

  const pages: Array<[string, string, string | null]> = [
    ["login", "/login", null],
    ["signup", "/signup", null],
    ["onboarding", "/signup", null],
    ["overview", `/p/${full.project.id}/overview?range=7d`, full.cookie],
    ["traces", `/p/${full.project.id}/traces`, full.cookie],
    [
      "trace",
      `/p/${full.project.id}/traces/demo-support-agent?event=${encodeURIComponent("demo-support-agent:answer")}`,
      full.cookie,
    ],
    [
      "trace-error",
      `/p/${full.project.id}/traces/demo-support-agent-retry?event=${encodeURIComponent("demo-support-agent-retry:refund-timeout")}`,
      full.cookie,
    ],
    ["trace-1000", `/p/${full.project.id}/traces/demo-eval-1000`, full.cookie],
    ["compare", `/p/${full.project.id}/compare?a=demo-support-agent&b=demo-support-agent-retry`, full.cookie],
    ["sessions", `/p/${full.project.id}/sessions`, full.cookie],
    ["users", `/p/${full.project.id}/users`, full.cookie],
    ["costs", `/p/${full.project.id}/costs`, full.cookie],
    ["alerts", `/p/${full.project.id}/alerts`, full.cookie],
    ["settings", `/p/${full.project.id}/settings`, full.cookie],
  ];
  for (const scheme of ["light", "dark"] as const) {
    for (const width of [1280, 375]) {
      for (const [name, path, cookie] of pages) {
        const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
        if (cookie) {
          const [k, v] = cookie.split("=");
          await context.addCookies([{ name: k!, value: v!, url: server.base }]);
        }
        const page = await context.newPage();
        await page.goto(server.base + path);
        if (name === "onboarding") {
          await page.getByLabel("Name").fill("Newcomer");
          await page.getByLabel("Email").fill(`newcomer-${scheme}-${width}-${Date.now()}@example.com`);
          await page.getByLabel("Password").fill("screenshots!");
          await page.getByRole("button", { name: "Sign up" }).click();
          await page.getByTestId("new-keys").waitFor();
        }
        await page.waitForLoadState("networkidle");
        await page.screenshot({ path: join(out, `${name}-${width}-${scheme}.png`), fullPage: true });
        await context.close();
      }
    }
  }
  console.log(`wrote ${pages.length * 4} screenshots to ${out}/`);
} finally {
  await browser.close();
  await server.stop();
}
