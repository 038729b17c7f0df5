// End to end: the SDK (as an app would use it) against the real Worker under `wrangler dev`, read back through the
// trace API with the project's secret key.
import OpenAI from "openai";
import { describe, expect, inject, it } from "vitest";
import { createClient, observeOpenAI } from "../../sdk/js/src/index.ts";

const base = inject("baseUrl");

describe("SDK → Worker → Queue → D1 → trace API", () => {
  it("delivers a traced agent run that reads back as the same tree", async () => {
    const signup = await fetch(`${base}/api/auth/signup`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: base },
      body: JSON.stringify({ email: `sdk-${Date.now()}@example.com`, password: "correct horse battery", name: "SDK" }),
    });
    const { keys } = (await signup.json()) as { keys: { ingest: string; secret: string } };
    const client = createClient({ apiKey: keys.ingest, baseUrl: base, onError: (e) => console.error(e) });
    const trace = client.trace({ name: "sdk-agent", userId: "u-1", sessionId: "s-1", tags: ["e2e"] });
    // The real `openai` client; its upstream answers from a fetch of its own (the Worker is what is under test here).
    const upstream = (async () =>
      Response.json({
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: "gpt-4o-mini",
        choices: [{ index: 0, message: { role: "assistant", content: "42" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
      })) as typeof fetch;
    const openai = observeOpenAI(new OpenAI({ apiKey: "sk-test", fetch: upstream }), { parent: trace });
    await trace.span({ name: "plan" }).run(async (span) => {
      span.toolCall({ name: "calculator", input: "6*7", output: 42, durationMs: 3 });
      await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "6*7?" }] });
    });
    trace.end({ output: "42" });
    await client.flush();
    expect(client.queued).toBe(0);

    const read = () =>
      fetch(`${base}/api/v1/traces/${trace.traceId}`, { headers: { Authorization: `Bearer ${keys.secret}` } });
    await expect.poll(async () => (await read()).status, { timeout: 15_000 }).toBe(200);
    await expect
      .poll(async () => ((await (await read()).json()) as { events: unknown[] }).events.length, { timeout: 15_000 })
      .toBe(4);
    const { trace: summary, events } = (await (await read()).json()) as {
      trace: Record<string, unknown>;
      events: Array<{ name: string; depth: number; type: string }>;
    };
    // The model call was observed with the trace as parent; the tool call went under "plan". (Siblings started in the
    // same millisecond may come in either order.)
    expect(events[0]).toMatchObject({ depth: 0, type: "span", name: "sdk-agent" });
    expect(events.map((e) => `${e.depth} ${e.type} ${e.name}`).sort()).toEqual([
      "0 span sdk-agent",
      "1 model_response chat.completions",
      "1 span plan",
      "2 tool_call calculator",
    ]);
    const plan = events.findIndex((e) => e.name === "plan");
    expect(events[plan + 1]).toMatchObject({ name: "calculator", depth: 2 });
    expect(summary).toMatchObject({
      name: "sdk-agent",
      user_id: "u-1",
      session_id: "s-1",
      tags: ["e2e"],
      models: ["gpt-4o-mini"],
      input_tokens: 9,
      output_tokens: 1,
    });
    expect(summary.total_cost).toBeGreaterThan(0); // priced from the built-in table
  });
});
