// What the SDK records: trace and span structure, durations, context, errors, usage mapping, auto-instrumentation.
import { describe, expect, it } from "vitest";
import { fallbackId } from "../../sdk/js/src/id.ts";
import { observeFetch, observeOpenAI, toUsage, type WireEvent } from "../../sdk/js/src/index.ts";
import { tenant, until } from "./helpers.ts";

/** A client whose events are captured instead of sent. */
async function capture() {
  const t = await tenant();
  const client = t.client({ flushAt: 1000 });
  const events = async () => {
    await client.flush();
    const sent: WireEvent[] = [];
    return { sent, counts: (await t.received()).counts };
  };
  return { t, client, events };
}

/** Records through a fetch that keeps the batches it was given. */
function recordingFetch() {
  const events: WireEvent[] = [];
  const fake = (async (_url: string, init: RequestInit) => {
    events.push(...(JSON.parse(String(init.body)) as { events: WireEvent[] }).events);
    return new Response(JSON.stringify({ accepted: 1, rejected: [] }), { status: 202 });
  }) as unknown as typeof fetch;
  return { events, fake };
}

describe("traces and spans", () => {
  it("records nested spans, model and tool calls, logs and errors with parents, durations and context", async () => {
    const { events, fake } = recordingFetch();
    const { t } = await capture();
    const client = t.client({ fetch: fake });
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
    await client.flush();

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

/** An OpenAI-shaped client (structure only), answering like the real one, streams included. */
function fakeOpenAI() {
  const usage = { prompt_tokens: 20, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 8 } };
  async function* chunks() {
    for (const piece of ["Bon", "jour"]) yield { model: "gpt-4o-mini", choices: [{ delta: { content: piece } }] };
    yield { model: "gpt-4o-mini", choices: [], usage };
  }
  return {
    apiKey: "sk-test",
    chat: {
      completions: {
        create: async (p: { stream?: boolean; model: string; messages?: unknown }) => {
          if (p.model === "broken") throw new Error("model not found");
          return p.stream
            ? { controller: "kept", [Symbol.asyncIterator]: chunks }
            : { model: "gpt-4o-mini-2024", choices: [{ message: { role: "assistant", content: "Bonjour" } }], usage };
        },
      },
    },
    responses: {
      create: async () => ({
        model: "gpt-5",
        output_text: "hi",
        usage: { input_tokens: 3, output_tokens: 1, input_tokens_details: { cached_tokens: 0 } },
      }),
    },
    embeddings: {
      create: async () => ({
        model: "text-embedding-3-small",
        data: [{ embedding: [0.1, 0.2, 0.3] }],
        usage: { prompt_tokens: 5, total_tokens: 5 },
      }),
    },
  };
}

describe("auto-instrumentation", () => {
  it("observeOpenAI records chat (plain and streamed), responses, embeddings and errors, leaving results untouched", async () => {
    const { events, fake } = recordingFetch();
    const { t } = await capture();
    const client = t.client({ fetch: fake });
    const trace = client.trace({ name: "chat" });
    const openai = observeOpenAI(fakeOpenAI(), { parent: trace });
    expect(openai.apiKey).toBe("sk-test");
    const plain = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Hi" }],
    });
    expect((plain as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe("Bonjour");
    const stream = (await openai.chat.completions.create({
      model: "gpt-4o-mini",
      stream: true,
      messages: [],
    })) as AsyncIterable<{ choices: Array<{ delta: { content: string } }> }> & { controller: string };
    expect(stream.controller).toBe("kept");
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Bonjour");
    await openai.responses.create();
    await openai.embeddings.create();
    await expect(openai.chat.completions.create({ model: "broken", messages: [] })).rejects.toThrow("model not found");
    trace.end();
    await client.flush();
    const calls = events.filter((e) => e.type === "model_response");
    expect(calls.map((e) => [e.name, e.model, e.status])).toEqual([
      ["chat.completions", "gpt-4o-mini-2024", "ok"],
      ["chat.completions", "gpt-4o-mini", "ok"],
      ["responses", "gpt-5", "ok"],
      ["embeddings", "text-embedding-3-small", "ok"],
      ["chat.completions", "broken", "error"],
    ]);
    expect(calls[1]).toMatchObject({
      usage: { input_tokens: 20, output_tokens: 4, cached_input_tokens: 8 },
      body: { output: "Bonjour" },
    });
    expect(calls[3]!.body).toMatchObject({ output: { embeddings: 1, dimensions: 3 } });
    expect(calls.every((e) => e.parent_event_id === trace.id)).toBe(true);
  });

  it("observeFetch records raw LLM HTTP calls, JSON and server-sent events, without touching the caller's body", async () => {
    const { events, fake } = recordingFetch();
    const t = await tenant();
    const client = t.client({ fetch: fake });
    const traced = observeFetch(fetch, { client });
    const call = (stream: boolean) =>
      traced(`${t.base}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o", stream, messages: [{ role: "user", content: "Hi" }] }),
      });
    expect(
      ((await (await call(false)).json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message
        .content,
    ).toBe("Hello there");
    expect(await (await call(true)).text()).toContain("[DONE]");
    // Recording reads a copy of each body in the background: wait until both calls are queued.
    await until(() => client.queued >= 2);
    await client.flush();
    const calls = events.filter((e) => e.type === "model_response");
    expect(calls).toHaveLength(2);
    for (const e of calls)
      expect(e).toMatchObject({
        model: "gpt-4o-2024-08-06",
        provider: "127.0.0.1",
        usage: { input_tokens: 12, output_tokens: 3, cached_input_tokens: 4 },
      });
    expect(calls.map((e) => e.body?.output)).toEqual([{ role: "assistant", content: "Hello there" }, "Hello there"]);
  });
});
