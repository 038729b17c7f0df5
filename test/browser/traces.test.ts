// The trace pages in a real browser against `wrangler dev` with the demo data: filters in the URL, the coloured
// tree, the inspector, keyboard navigation, compare, sessions, costs and a phone-width layout.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadDemoData, waitForDemoData } from "../../scripts/demo-data.ts";
import { launch } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let account: { cookie: string; project: string; secret: string };

async function api<T>(path: string) {
  const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${account.secret}` } });
  return (await res.json()) as T;
}

beforeAll(async () => {
  browser = await launch();
  const res = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({
      email: `traces-${Date.now()}@example.com`,
      password: "correct horse battery",
      name: "Tracer",
    }),
  });
  const body = (await res.json()) as { project: { id: string }; keys: { ingest: string; secret: string } };
  account = {
    cookie: res.headers.get("set-cookie")!.split(";")[0]!,
    project: body.project.id,
    secret: body.keys.secret,
  };
  await loadDemoData(base, body.keys.ingest);
  await waitForDemoData(base, body.keys.secret);
});
afterAll(async () => browser?.close());

async function open(path: string, width = 1280): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const [name, value] = account.cookie.split("=");
  await context.addCookies([{ name: name!, value: value!, url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/p/${account.project}${path}`);
  return { page, context };
}

const rowCount = (page: Page) => page.locator("[data-testid=trace-table] tbody tr").count();

describe("traces list", () => {
  it("keeps filters in the URL and shows the matching rows", async () => {
    const { page, context } = await open("/traces");
    await page.getByTestId("trace-table").waitFor();
    const everything = (await api<{ traces: unknown[] }>("/api/v1/traces")).traces.length;
    expect(everything).toBeGreaterThan(40);
    await expect.poll(() => rowCount(page)).toBe(everything);

    await page.getByLabel("Status", { exact: true }).selectOption("error");
    await page.waitForURL(/status=error/);
    const errors = (await api<{ traces: unknown[] }>("/api/v1/traces?status=error")).traces.length;
    await expect.poll(() => rowCount(page)).toBe(errors);
    expect(await page.locator("[data-testid=trace-table] tbody tr:not(.err)").count()).toBe(0);

    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("q");
    await page.keyboard.type("refund");
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=refund/);
    await expect
      .poll(async () => page.locator("[data-testid=trace-table] tbody tr").allTextContents())
      .toEqual([expect.stringContaining("support-agent")]);

    // A shared link reopens the same view.
    const shared = await context.newPage();
    await shared.goto(page.url());
    await expect.poll(() => rowCount(shared)).toBe(1);
    expect(await shared.getByLabel("Status", { exact: true }).inputValue()).toBe("error");

    // Back undoes one filter at a time: first the search, then the status.
    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has("q") && url.searchParams.get("status") === "error");
    await expect.poll(() => rowCount(page)).toBe(errors);
    expect(await page.getByLabel("Search", { exact: true }).inputValue()).toBe("");
    await page.goBack();
    await page.waitForURL((url) => url.pathname.endsWith("/traces") && !url.search);
    await expect.poll(() => rowCount(page)).toBe(everything);
    expect(await page.getByLabel("Status", { exact: true }).inputValue()).toBe("");
    await page.goForward();
    await page.waitForURL(/status=error/);
    await expect.poll(() => rowCount(page)).toBe(errors);
    await context.close();
  });

  it("keeps what is typed in a filter while the page renders for something else", async () => {
    const { page, context } = await open("/traces?status=error");
    await page.getByTestId("trace-table").waitFor();
    await page.getByLabel("Search", { exact: true }).fill("refund");
    // The bar renders again while the search box still has the focus (as when the list's answer or a live refresh
    // arrives mid-typing): the panel opened by a script's click, which leaves the focus where it is.
    await page.getByRole("button", { name: /^Filters/ }).evaluate((button) => (button as HTMLButtonElement).click());
    await page.getByLabel("Model").waitFor();
    expect(await page.getByLabel("Search", { exact: true }).inputValue()).toBe("refund");
    await page.getByLabel("Search", { exact: true }).press("Enter");
    await page.waitForURL(/q=refund/);
    // The URL changing from elsewhere still shows in the box: "Clear all" empties it.
    await page.getByRole("button", { name: "Clear all" }).click();
    await page.waitForURL((url) => !url.searchParams.has("q"));
    await expect.poll(() => page.getByLabel("Search", { exact: true }).inputValue()).toBe("");
    await context.close();
  });
});

describe("traces list on a phone", () => {
  it("folds the less-used filters away until asked, and fits the width", async () => {
    const { page, context } = await open("/traces", 375);
    await page.getByTestId("trace-table").waitFor();
    expect(await page.getByLabel("Model").count()).toBe(0);
    await page.getByRole("button", { name: /^Filters/ }).click();
    await page.getByLabel("Model").fill("gpt-4o");
    await page.getByLabel("Model").press("Enter");
    await page.waitForURL(/model=gpt-4o/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await context.close();
  });
});

describe("trace page", () => {
  it("shows the tree with the brief's colours, icons and nesting", async () => {
    const { page, context } = await open("/traces/demo-support-agent");
    await page.getByTestId("tree").locator("[data-event]").first().waitFor();
    const rows = await page.locator("[data-event]").evaluateAll((els) =>
      els.map((el) => ({
        name: el.querySelector(".name")!.textContent,
        type: el.getAttribute("data-type"),
        depth: Number(el.getAttribute("data-depth")),
        colour: getComputedStyle(el.querySelector(".glyph")!).backgroundColor,
        glyph: el.querySelector(".glyph")!.textContent,
      })),
    );
    expect(rows.map((r) => `${r.depth} ${r.name}`)).toEqual([
      "0 support-agent",
      "1 plan",
      "1 lookup_order",
      "1 search_refund_policy",
      "2 embed query",
      "1 issue_refund",
      "1 answer",
      "1 ticket closed",
    ]);
    const colour = Object.fromEntries(rows.map((r) => [r.type, r.colour]));
    expect(colour).toEqual({
      span: "rgb(37, 99, 235)",
      model_response: "rgb(124, 58, 237)",
      tool_call: "rgb(22, 163, 74)",
      log: "rgb(107, 114, 128)",
    });
    expect(new Set(rows.map((r) => r.glyph)).size).toBe(4); // an icon per type, not colour alone

    await page
      .getByRole("treeitem", { name: /search_refund_policy/ })
      .getByRole("button", { name: "Collapse" })
      .click();
    expect(await page.locator("[data-event]").count()).toBe(7);
    await context.close();
  });

  it("opens the inspector on click, with the event's data and its id in the URL", async () => {
    const { page, context } = await open("/traces/demo-support-agent");
    await page.locator("[data-event='demo-support-agent:answer']").click();
    await page.waitForURL(/event=demo-support-agent%3Aanswer/);
    const inspector = page.getByTestId("inspector");
    await expect.poll(() => inspector.textContent()).toContain("price table");
    const text = await inspector.textContent();
    expect(text).toContain("gpt-4o (openai)");
    expect(text).toContain("2410 in (1792 cached) · 188 out");
    expect(text).toContain("Refund of $49.00 issued");
    // The link reopens the same event.
    const again = await context.newPage();
    await again.goto(page.url());
    await expect.poll(() => again.getByTestId("inspector").textContent()).toContain("Refund of $49.00 issued");
    await context.close();
  });

  it("moves with the keyboard: arrows, Enter opens, Escape closes", async () => {
    const { page, context } = await open("/traces/demo-support-agent");
    await page.getByRole("tree").focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await page.locator("[aria-selected=true] .name").textContent()).toBe("lookup_order");
    await page.keyboard.press("Enter");
    await page.waitForURL(/event=demo-support-agent%3Alookup/);
    await expect.poll(() => page.getByTestId("inspector").textContent()).toContain("lookup_order");
    await page.keyboard.press("ArrowLeft"); // to the parent
    expect(await page.locator("[aria-selected=true] .name").textContent()).toBe("support-agent");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByTestId("inspector").count()).toBe(0);
    expect(page.url()).not.toContain("event=");
    await context.close();
  });

  it("zooms the waterfall to a range dragged on its axis, and back", async () => {
    const { page, context } = await open("/traces/demo-support-agent");
    const ruler = page.getByTestId("ruler");
    await ruler.waitFor();
    const box = (await ruler.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + 5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + 5, { steps: 5 });
    await page.mouse.up();
    // 6.40 s trace: a quarter to a half of it.
    await expect.poll(() => page.locator(".zoombar").textContent()).toMatch(/Timeline 1\.[56]\d* s – 3\.[12]\d* s/);
    const answer = page.locator("[data-event='demo-support-agent:answer'] .bar");
    expect(await answer.count()).toBe(0); // starts after the zoomed range
    await page.getByRole("button", { name: "Reset" }).click();
    await expect.poll(() => page.locator(".zoombar").textContent()).toContain("Timeline 0.0 s – 6.4 s");
    expect(await answer.count()).toBe(1);
    await context.close();
  });

  it("renders only the visible rows of a 1,000-span trace and scrolls to its end", async () => {
    const { page, context } = await open("/traces/demo-eval-1000");
    await page.locator("[data-event]").first().waitFor();
    expect(await page.locator("[data-event]").count()).toBeLessThan(100);
    await page.getByTestId("tree").evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => page.locator("[data-event]").last().locator(".name").textContent()).toBe("grade");
    await context.close();
  });

  it("shows the inspector in the tree's place at phone width, and the tree again when it closes", async () => {
    const { page, context } = await open("/traces/demo-support-agent?event=demo-support-agent%3Aplan", 375);
    const inspector = page.getByTestId("inspector");
    await inspector.waitFor();
    expect(await page.getByRole("tree").isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.getByRole("button", { name: "Close inspector" }).click();
    await page.getByRole("tree").waitFor();
    expect(await inspector.count()).toBe(0);
    await context.close();
  });
});

describe("compare, sessions and costs", () => {
  it("compares two runs span by span", async () => {
    const { page, context } = await open("/compare?a=demo-support-agent&b=demo-support-agent-retry");
    const totals = page.getByTestId("compare-totals");
    await expect.poll(() => totals.textContent()).toContain("+1.9 s");
    expect(await totals.locator(".worse").count()).toBeGreaterThan(0);
    // The refund that timed out in B is the extra span; the successful refunds pair up.
    const extra = await page.getByTestId("compare-spans").locator("tr.only-b").allTextContents();
    expect(extra).toEqual([expect.stringMatching(/issue_refund.*error.*only in B/)]);
    expect(await page.locator("tr.changed").count()).toBe(0);
    // The answer changed model in B (why it has no price): each side names its model; calls that kept theirs don't.
    const models = await page.getByTestId("compare-spans").locator(".model").allTextContents();
    expect(models).toEqual(["gpt-4o · ", "ft:gpt-4o-mini:acme:support-v2 · "]);
    await context.close();
  });

  it("lists sessions and drills into one", async () => {
    const { page, context } = await open("/sessions");
    await page.getByRole("link", { name: "chat-1042" }).click();
    await page.waitForURL(/\/sessions\/chat-1042/);
    await expect.poll(() => rowCount(page)).toBe(1);
    await context.close();
  });

  it("shows costs and prices an unknown model from the page", async () => {
    const { page, context } = await open("/costs");
    const unknown = page.getByTestId("unknown-models");
    await expect.poll(() => unknown.textContent()).toContain("ft:gpt-4o-mini:acme:support-v2");
    expect(await page.getByTestId("cost-totals").textContent()).toMatch(/Cost\$\d+\.\d+/);
    await unknown.locator("li", { hasText: "ft:gpt-4o-mini" }).getByRole("button", { name: "Add a price" }).click();
    await page.getByLabel("$ / M input").fill("0.3");
    await page.getByLabel("$ / M output").fill("1.2");
    await page.getByRole("button", { name: "Add price" }).click();
    await expect
      .poll(async () => (await unknown.count()) === 0 || !(await unknown.textContent())!.includes("ft:gpt-4o-mini"), {
        timeout: 20_000,
      })
      .toBe(true);
    const answer = await api<{ event: { cost_usd: number; cost_source: string } }>(
      "/api/v1/traces/demo-support-agent-retry/events/demo-support-agent-retry%3Aanswer",
    );
    expect(answer.event).toMatchObject({ cost_source: "override" });
    expect(answer.event.cost_usd).toBeCloseTo((2410 * 0.3 + 240 * 1.2) / 1e6, 12);
    await context.close();
  });

  it("manages price overrides in settings and re-prices past calls", async () => {
    const { page, context } = await open("/settings/prices");
    const prices = page.getByTestId("prices");
    await prices.getByLabel("Model", { exact: true }).fill("rerank-v3.5");
    await prices.getByLabel("Provider").fill("cohere");
    await prices.getByLabel("Input $/M").fill("2");
    await prices.getByLabel("Output $/M").fill("0");
    await prices.getByRole("button", { name: "Add price" }).click();
    await expect
      .poll(() => prices.locator("tbody tr").allTextContents())
      .toContainEqual(expect.stringContaining("rerank-v3.5 (cohere)"));
    await prices.getByRole("button", { name: "Re-price the last 30 days" }).click();
    await expect.poll(() => prices.getByRole("status").textContent(), { timeout: 20_000 }).toContain("Done");
    const rerank = await api<{ event: { cost_usd: number; cost_source: string } }>(
      "/api/v1/traces/demo-rag-pipeline/events/demo-rag-pipeline%3Arerank",
    );
    expect(rerank.event).toMatchObject({ cost_source: "override" });
    expect(rerank.event.cost_usd).toBeCloseTo((3900 * 2) / 1e6, 12);
    await prices.locator("tbody tr", { hasText: "rerank-v3.5" }).getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => prices.locator("tbody tr", { hasText: "rerank-v3.5" }).count()).toBe(0);
    await context.close();
  });
});
