// Large bodies in the inspector: one kept in R2 is shown whole (the page follows the pointer), and one whose object is
// gone says so and shows the preview, at desktop and phone widths, light and dark.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WRANGLER_ENV } from "../../scripts/local-d1.ts";
import { launch } from "./browser.ts";
import { type Account, createAccount, openPage, sendEvents, VIEWS } from "./fixtures.ts";

let browser: Browser;
let account: Account;
const T0 = Date.now() - 60_000;
const long = (words: number, tail: string) => `${"context about the refund policy ".repeat(words)}${tail}`;
const kept = { input: long(2_000, "END-OF-LONG-PROMPT"), output: "The refund was issued." };
const lost = { input: long(400, "NEVER-SHOWN"), output: "A preview survives." };

beforeAll(async () => {
  browser = await launch();
  account = await createAccount("Bodies");
  const event = (id: string, body: object, offset: number) => ({
    event_id: id,
    trace_id: "big-bodies",
    parent_event_id: id === "root" ? null : "root",
    type: id === "root" ? "span" : "model_response",
    name: id,
    model: id === "root" ? undefined : "gpt-4o",
    timestamp: T0 + offset,
    duration_ms: 100,
    body,
  });
  await sendEvents(account, [event("root", { input: "start" }, 0), event("kept", kept, 10), event("lost", lost, 20)]);
  // Delete the second body's object from the instance's local R2 (its key: project/t=<trace hash>/<event hash>/sha256).
  const hex = (text: string) => createHash("sha256").update(text).digest("hex");
  const sha = hex(JSON.stringify(lost));
  execFileSync(
    "wrangler",
    [
      "r2",
      "object",
      "delete",
      `watchllm-bodies/${account.project}/t=${hex("big-bodies").slice(0, 32)}/${hex("lost").slice(0, 32)}/${sha}`,
      "--local",
      "--persist-to",
      inject("stateDir"),
    ],
    { stdio: "ignore", env: { ...process.env, ...WRANGLER_ENV, CI: "true" } },
  );
});
afterAll(async () => browser?.close());

describe("large bodies in the inspector", () => {
  it("shows a body kept in R2 whole", async () => {
    const { page, context } = await openPage(browser, account, "/traces/big-bodies?event=kept");
    const inspector = page.getByTestId("inspector");
    await expect.poll(() => inspector.textContent(), { timeout: 15_000 }).toContain("END-OF-LONG-PROMPT");
    await context.close();
  });

  for (const view of VIEWS) {
    it(`says when a body's object is gone and shows its preview (${view.width} px, ${view.colorScheme})`, async () => {
      const { page, context } = await openPage(browser, account, "/traces/big-bodies?event=lost", view);
      const notice = page.getByTestId("inspector").getByRole("alert");
      await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toContain("no longer there");
      const inspectorText = (await page.getByTestId("inspector").textContent())!;
      expect(inspectorText).toContain("A preview survives.");
      expect(inspectorText).not.toContain("NEVER-SHOWN");
      // The notice fits its box and reads: within the inspector, not clipped, with readable text.
      const box = await notice.evaluate((el) => {
        const parent = el.closest("[data-testid=inspector]")!.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          inside: r.left >= parent.left - 0.5 && r.right <= parent.right + 0.5,
          overflow: el.scrollWidth - el.clientWidth,
          fontSize: Number.parseFloat(style.fontSize),
          color: style.color,
          background: style.backgroundColor,
        };
      });
      expect(box.inside).toBe(true);
      expect(box.overflow).toBeLessThanOrEqual(0);
      expect(box.fontSize).toBeGreaterThanOrEqual(12);
      expect(box.color).not.toBe(box.background);
      const shots = process.env.WATCHLLM_SHOTS;
      if (shots) await page.screenshot({ path: `${shots}/body-missing-${view.width}-${view.colorScheme}.png` });
      await context.close();
    });
  }
});
