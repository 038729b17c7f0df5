// The inspector reads inputs and outputs as a conversation for every shape the ways in store (OpenAI messages and
// Responses items, Anthropic content blocks, OTel GenAI parts, Vercel AI SDK prompts), with a Raw JSON toggle; streamed
// calls carry a stream badge with their first-token time; at 1280 and 375 px, light and dark, nothing overflows.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, createAccount, openPage, sendEvents, VIEWS } from "./fixtures.ts";

let browser: Browser;
let account: Account;
const T0 = Date.now() - 60_000;
const shots = process.env.WATCHLLM_SHOTS;

const call = (id: string, offset: number, body: object, metadata: object = {}) => ({
  event_id: id,
  trace_id: "conversations",
  parent_event_id: "root",
  type: "model_response",
  name: id,
  model: "gpt-4o-mini",
  timestamp: T0 + offset,
  duration_ms: 400,
  body,
  context: { metadata },
});

const SHAPES = {
  openai: {
    input: [
      { role: "system", content: "You are a support agent." },
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this photo?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup_order", arguments: '{"id":42}' } }],
      },
      { role: "tool", tool_call_id: "call_1", content: '{"status":"shipped"}' },
    ],
    output: { role: "assistant", content: "Your order 42 has shipped." },
  },
  anthropic: {
    input: [
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Weather in Paris?" }] },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } }],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "18°C, clear" }] },
    ],
    output: { role: "assistant", content: [{ type: "text", text: "18°C and clear in Paris." }] },
  },
  otel: {
    input: [
      { role: "system", parts: [{ type: "text", content: "Answer in French." }] },
      { role: "user", parts: [{ type: "text", content: "Say hello." }] },
    ],
    output: [{ role: "assistant", parts: [{ type: "text", content: "Bonjour !" }], finish_reason: "stop" }],
  },
  vercel: {
    input: {
      system: "You write haiku.",
      messages: [{ role: "user", content: [{ type: "text", text: "A haiku about rain." }] }],
    },
    output: {
      text: "Rain on the tin roof",
      tool_calls: [{ toolCallId: "t1", toolName: "save_poem", input: { n: 1 } }],
    },
  },
};

beforeAll(async () => {
  browser = await launch();
  account = await createAccount("Conversations");
  await sendEvents(account, [
    { event_id: "root", trace_id: "conversations", type: "span", name: "agent", timestamp: T0, duration_ms: 2000 },
    call("openai", 10, SHAPES.openai),
    call("anthropic", 500, SHAPES.anthropic),
    call("otel", 900, SHAPES.otel),
    call("vercel", 1300, SHAPES.vercel, { time_to_first_token_ms: 230 }),
    // As the gateway records a stream: the request's params, the first-token time in metadata and on the event.
    {
      ...call("streamed", 1500, { ...SHAPES.otel, params: { stream: true } }, { ttft_ms: 180 }),
      first_token_ms: 180,
    },
  ]);
});
afterAll(async () => browser?.close());

const turns = (page: Page) =>
  page
    .getByTestId("inspector")
    .locator(".turn")
    .evaluateAll((els) => els.map((el) => `${el.querySelector(".turn-role")?.textContent}: ${el.textContent}`));

describe("inputs and outputs as a conversation", () => {
  it("shows OpenAI messages with roles, the image as a placeholder and the tool call with its arguments", async () => {
    const { page, context } = await openPage(browser, account, "/traces/conversations?event=openai");
    await expect.poll(() => turns(page)).toHaveLength(5);
    const shown = await turns(page);
    expect(shown[0]).toMatch(/^system: systemYou are a support agent/);
    expect(shown[1]).toMatch(/^user: .*What is in this photo\?.*\[image\]/);
    expect(shown[2]).toMatch(/^assistant: .*Tool call lookup_order.*call_1.*"id": 42/s);
    expect(shown[3]).toMatch(/^tool: .*Result.*call_1.*"status": "shipped"/s); // JSON text read as JSON
    expect(shown[4]).toMatch(/^assistant: .*Your order 42 has shipped/);
    // Raw JSON shows what was stored.
    const input = page.getByTestId("inspector").locator("details.part").first();
    await input.getByRole("button", { name: "Raw JSON" }).click();
    await expect.poll(() => input.locator("pre").first().textContent()).toContain('"tool_call_id": "call_1"');
    expect(await input.getByTestId("conversation").count()).toBe(0);
    await context.close();
  });

  it.each([
    ["anthropic", ["system: ", "user: ", "assistant: ", "user: ", "assistant: "], "get_weather"],
    ["otel", ["system: ", "user: ", "assistant: "], "Bonjour"],
    ["vercel", ["system: ", "user: ", "assistant: "], "save_poem"],
  ])("reads %s messages as turns", async (id, roles, text) => {
    const { page, context } = await openPage(browser, account, `/traces/conversations?event=${id}`);
    await expect.poll(async () => (await turns(page)).map((t) => t.slice(0, t.indexOf(": ") + 2))).toEqual(roles);
    expect((await turns(page)).join("\n")).toContain(text);
    await context.close();
  });

  it("marks a streamed call with its first-token time in the tree and the inspector", async () => {
    const { page, context } = await openPage(browser, account, "/traces/conversations?event=streamed");
    // The tree has the time once the API returns `first_token_ms` on tree events; the badge alone before that.
    const row = page.locator('[data-event="streamed"]');
    await expect.poll(() => row.locator(".badge.stream").textContent()).toMatch(/^stream( · 180 ms)?$/);
    expect(await page.locator('[data-event="openai"] .badge.stream').count()).toBe(0);
    const facts = page.getByTestId("inspector").locator(".facts");
    await expect.poll(() => facts.textContent()).toContain("First token180 ms");
    expect(await page.getByTestId("inspector-status").textContent()).toContain("stream");
    // An SDK's stream (metadata only) is marked in the inspector.
    await page.locator('[data-event="vercel"]').click();
    await expect.poll(() => facts.textContent()).toContain("First token230 ms");
    await context.close();
  });

  it("gives the trace list's columns the width of their content, so names are not cut while Start has room", async () => {
    const { page, context } = await openPage(browser, account, "/traces");
    const table = page.getByTestId("trace-table");
    await expect.poll(() => table.locator("tbody tr").count()).toBe(1);
    const widths = await table.evaluate((el) => {
      const heads = [...el.querySelectorAll("thead th")] as HTMLElement[];
      const width = (label: string) => heads.find((h) => h.title === label)!.getBoundingClientRect().width;
      const name = el.querySelector("tbody td:nth-child(2) a") as HTMLElement;
      return { start: width("Start"), cost: width("Cost"), nameCut: name.scrollWidth > name.clientWidth + 1 };
    });
    // "12:14 PM" needs about 9 characters, not the 9.5 rem it had; the cost column fits "no price"-sized text.
    expect(widths.start).toBeLessThan(110);
    expect(widths.cost).toBeLessThan(110);
    expect(widths.nameCut).toBe(false);
    await context.close();
  });

  for (const view of VIEWS) {
    it(`fits the inspector at ${view.width} px, ${view.colorScheme}`, async () => {
      const { page, context } = await openPage(browser, account, "/traces/conversations?event=openai", view);
      const inspector = page.getByTestId("inspector");
      await expect.poll(() => inspector.locator(".turn").count()).toBe(5);
      const layout = await inspector.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const inside = (e: Element) => {
          const r = e.getBoundingClientRect();
          return r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
        };
        return {
          overflow: el.scrollWidth - el.clientWidth,
          turnsInside: [...el.querySelectorAll(".turn")].every(inside),
          // Copy and Raw JSON sit inside their part's box, not beside it.
          toolsInside: [...el.querySelectorAll("details.part")].every((d) =>
            [...d.querySelectorAll(".part-tools button")].every((b) => {
              const r = b.getBoundingClientRect();
              const p = d.getBoundingClientRect();
              return r.left >= p.left && r.right <= p.right + 0.5;
            }),
          ),
        };
      });
      expect(layout).toEqual({ overflow: 0, turnsInside: true, toolsInside: true });
      if (shots) await page.screenshot({ path: `${shots}/conversation-${view.width}-${view.colorScheme}.png` });
      await context.close();
    });
  }
});
