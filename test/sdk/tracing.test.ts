// What the SDK records: trace and span structure, durations, context, errors, usage mapping.
import { describe, expect, it } from "vitest";
import { wireEvent } from "../../contract/event.ts";
import { fallbackId, idOf } from "../../sdk/js/src/id.ts";
import { toUsage } from "../../sdk/js/src/usage.ts";
import { receivedEvents, tenant } from "./helpers.ts";

describe("traces and spans", () => {
  it("records nested spans, model and tool calls, logs and errors with parents, durations and context", async () => {
    const t = await tenant();
    const client = t.client({ flushAt: 1000 });
    const trace = client.trace({
      name: "support-agent",
      userId: "u-42",
      sessionId: "s-7",
      tags: ["prod"],
      metadata: { plan: "pro" },
      input: "Where is my refund?",
    });
    const retrieval = trace.span({ name: "retrieve" });
    retrieval.toolCall({ name: "search_docs", input: { q: "refund" }, output: ["doc1"], durationMs: 12 });
    await new Promise((r) => setTimeout(r, 20));
    retrieval.end({ output: 1 });
    trace.modelResponse({
      model: "claude-sonnet-4-5",
      provider: "anthropic",
      input: [{ role: "user", content: "hi" }],
      output: "Hello",
      usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 },
      durationMs: 300,
    });
    trace.log("answered", { ok: true });
    await expect(
      trace.span({ name: "fails" }).run(async () => {
        throw new TypeError("bad tool");
      }),
    ).rejects.toThrow("bad tool");
    trace.end({ output: "Your refund is on its way" });
    const events = await receivedEvents(t, client, 7);

    const by = (name: string) => events.find((e) => e.name === name)!;
    const root = by("support-agent");
    expect(root).toMatchObject({
      parent_event_id: null,
      type: "span",
      status: "ok",
      context: { user_id: "u-42", session_id: "s-7", tags: ["prod"], metadata: { plan: "pro" } },
      body: { input: "Where is my refund?", output: "Your refund is on its way" },
    });
    expect(new Set(events.map((e) => e.trace_id))).toEqual(new Set([root.trace_id]));
    expect(by("retrieve")).toMatchObject({ parent_event_id: root.event_id, body: { output: 1 } });
    expect(by("retrieve").duration_ms).toBeGreaterThanOrEqual(15);
    expect(by("search_docs")).toMatchObject({
      type: "tool_call",
      parent_event_id: by("retrieve").event_id,
      duration_ms: 12,
      context: { user_id: "u-42" },
    });
    expect(by("claude-sonnet-4-5")).toMatchObject({
      type: "model_response",
      usage: { input_tokens: 130, output_tokens: 5, cached_input_tokens: 100, cache_write_tokens: 20 },
    });
    expect(by("log")).toMatchObject({ type: "log", body: { message: "answered", data: { ok: true } } });
    expect(by("fails")).toMatchObject({ status: "error" });
    expect(by("TypeError")).toMatchObject({
      type: "error",
      status: "error",
      parent_event_id: by("fails").event_id,
      body: { message: "bad tool", error_type: "TypeError" },
    });
  });

  it("records a model call that is a trace of its own, with the call as the root", async () => {
    const t = await tenant();
    const client = t.client();
    client.modelResponse({ model: "gpt-4o-mini", usage: { input_tokens: 3, output_tokens: 1 }, durationMs: 40 });
    client.modelResponse({ model: "gpt-4o-mini", status: "error" });
    const events = await receivedEvents(t, client, 2);
    expect(events).toHaveLength(2);
    for (const e of events)
      expect(e).toMatchObject({ type: "model_response", parent_event_id: null, model: "gpt-4o-mini" });
    expect(events[0]!.trace_id).not.toBe(events[1]!.trace_id);
    expect(events[0]).toMatchObject({ duration_ms: 40, status: "ok", usage: { input_tokens: 3, output_tokens: 1 } });
    expect(events[1]).toMatchObject({ status: "error" });
  });

  it("sets environment and release on every event, from options or WATCHLLM_ENVIRONMENT / WATCHLLM_RELEASE", async () => {
    const t = await tenant();
    const client = t.client({ environment: "staging", release: "abc123" });
    const trace = client.trace({ name: "run", userId: "u-1" });
    trace.modelResponse({ model: "gpt-4o-mini", firstTokenMs: 120, durationMs: 300 });
    trace.end();
    const events = await receivedEvents(t, client, 2);
    for (const e of events) expect(e.context).toMatchObject({ environment: "staging", release: "abc123" });
    expect(events.find((e) => e.type === "model_response")).toMatchObject({ first_token_ms: 120 });
    expect(events.find((e) => e.type === "span")!.context).toMatchObject({ user_id: "u-1" });

    process.env.WATCHLLM_ENVIRONMENT = "production";
    process.env.WATCHLLM_RELEASE = "v2.1.0";
    try {
      const fromEnv = t.client();
      fromEnv.modelResponse({ model: "gpt-4o-mini" });
      const [e] = (await receivedEvents(t, fromEnv, 3)).slice(2);
      expect(e!.context).toEqual({ environment: "production", release: "v2.1.0" });
    } finally {
      delete process.env.WATCHLLM_ENVIRONMENT;
      delete process.env.WATCHLLM_RELEASE;
    }
  });

  it("sends events the contract takes, with unique event ids, a random UUID per trace and a span's own metadata", async () => {
    const t = await tenant();
    const client = t.client({ flushAt: 1000 });
    for (let i = 0; i < 3; i++) {
      const trace = client.trace({ name: `run-${i}` });
      trace.span({ name: "step", metadata: { kept: i } }).end();
      trace.modelResponse({ model: "gpt-4o-mini", usage: { prompt_tokens: 3, completion_tokens: 1 } });
      trace.end();
    }
    const events = await receivedEvents(t, client, 9);
    for (const e of events) expect(wireEvent.safeParse(e).error).toBeUndefined();
    expect(new Set(events.map((e) => e.event_id)).size).toBe(9);
    const traceIds = new Set(events.map((e) => e.trace_id));
    expect(traceIds.size).toBe(3);
    for (const id of traceIds)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(events.filter((e) => e.name === "step").map((e) => e.body?.metadata)).toEqual([
      { kept: 0 },
      { kept: 1 },
      { kept: 2 },
    ]);
    expect(events.find((e) => e.type === "model_response")?.usage).toEqual({
      input_tokens: 3,
      output_tokens: 1,
      cached_input_tokens: 0,
    });
    const ids = Array.from({ length: 100_000 }, (_, n) => idOf(n));
    expect(new Set(ids).size).toBe(100_000);
    expect(ids[0]).toMatch(/^[0-9a-f]{20}\.[0-9a-z]+$/);
  });

  it("makes v4-shaped unique ids without crypto.randomUUID (Node 18)", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => fallbackId()));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 50))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("maps OpenAI, Anthropic and Gemini usage to WatchLLM's", () => {
    expect(toUsage({ prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 4 } })).toEqual({
      input_tokens: 10,
      output_tokens: 2,
      cached_input_tokens: 4,
    });
    expect(toUsage({ input_tokens: 10, output_tokens: 2, input_tokens_details: { cached_tokens: 3 } })).toEqual({
      input_tokens: 10,
      output_tokens: 2,
      cached_input_tokens: 3,
    });
    expect(
      toUsage({ input_tokens: 5, output_tokens: 1, cache_read_input_tokens: 7, cache_creation_input_tokens: 0 }),
    ).toEqual({ input_tokens: 12, output_tokens: 1, cached_input_tokens: 7, cache_write_tokens: 0 });
    expect(toUsage({ promptTokenCount: 8, candidatesTokenCount: 2, cachedContentTokenCount: 1 })).toEqual({
      input_tokens: 8,
      output_tokens: 2,
      cached_input_tokens: 1,
    });
  });
});
