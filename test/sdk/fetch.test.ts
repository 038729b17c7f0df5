// observeFetch: raw HTTP calls to LLM APIs recorded from what the caller reads (JSON or server-sent events), with the
// provider named by ingest from the API host it sends (or the model), and other requests left alone.
import { describe, expect, it } from "vitest";
import { providerOfEvent, type WireEvent } from "../../contract/event.ts";
import { createDigest } from "../../sdk/js/src/digest.ts";
import { observeFetch } from "../../sdk/js/src/index.ts";
import chat from "../fixtures/providers/openai/chat.json";
import { receivedEvents, tenant } from "./helpers.ts";

// What the recorded answers (test/fixtures/providers/openai) hold.
const USAGE = chat.usage;
const usage = { input_tokens: 12, output_tokens: 7, cached_input_tokens: 4 };
const responsesUsage = { input_tokens: 20, output_tokens: 5, cached_input_tokens: 8 };

async function setup() {
  const t = await tenant();
  const watchllm = t.client({ flushAt: 1000 });
  const traced = observeFetch(fetch, { client: watchllm });
  const post = (path: string, body: Record<string, unknown>) =>
    traced(`${t.base}/v1/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  return { t, watchllm, traced, post, events: (n: number) => receivedEvents(t, watchllm, n) };
}

describe("observeFetch", () => {
  it("records chat completions, JSON and streamed, without touching the caller's body", async () => {
    const { post, events } = await setup();
    const messages = [{ role: "user", content: "Hi" }];
    const plain = (await (await post("chat/completions", { model: "gpt-4o", messages })).json()) as {
      usage: unknown;
    };
    expect(plain.usage).toEqual(USAGE);
    const streamed = await post("chat/completions", {
      model: "gpt-4o",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(await streamed.text()).toContain("data: [DONE]");
    const recorded = await events(2);
    for (const e of recorded)
      expect(e).toMatchObject({
        type: "model_response",
        name: "chat.completions",
        parent_event_id: null,
        model: "gpt-4o-2024-07-18",
        provider: "openai",
        usage,
        body: { input: messages, output: { role: "assistant", content: "Hello from the fake upstream." } },
      });
  });

  it("records a Responses API stream with the usage of its response.completed event", async () => {
    const { post, events } = await setup();
    const res = await post("responses", { model: "gpt-4o-mini", input: "Hi", stream: true });
    expect(await res.text()).toContain("response.completed");
    const [event] = await events(1);
    expect(event).toMatchObject({
      name: "responses",
      status: "ok",
      usage: responsesUsage,
      body: { output: "Hello from the fake upstream." },
    });
  });

  it("records a stream the reader cancels as aborted, with what it read", async () => {
    const { post, events } = await setup();
    const reader = (await post("chat/completions", { model: "slow", messages: [], stream: true })).body!.getReader();
    for (let i = 0; i < 3; i++) await reader.read();
    await reader.cancel();
    const [event] = await events(1);
    expect(event).toMatchObject({
      status: "error",
      model: "slow-2024-07-18",
      body: { metadata: { error: "aborted" } },
    });
    expect((event!.body!.output as { content: string }).content).toMatch(/^tick0 /);
  });

  it("passes other requests through untouched and unrecorded", async () => {
    const { t, watchllm, traced, post } = await setup();
    expect((await traced(`${t.base}/__received`)).status).toBe(200);
    const batch = await post("batches", { input_file_id: "file-1", endpoint: "/v1/chat/completions" });
    expect(await batch.json()).toMatchObject({ id: "batch_1" });
    await watchllm.flush();
    expect(watchllm.queued).toBe(0);
    expect((await t.received()).events).toEqual([]);
  });
});

/** The provider ingest stores for a call observeFetch recorded to `host` with `model` (it sends the host). */
const providerOf = (host: string, model: string) =>
  providerOfEvent({ api_host: host, model } as WireEvent) ?? undefined;

describe("provider", () => {
  it("comes from a known API host, else from the maker the model's name implies, never from a bare host", () => {
    expect(providerOfEvent({ provider: "mine", api_host: "api.groq.com", model: "gpt-4o" } as WireEvent)).toBe("mine");
    expect(providerOf("api.groq.com", "llama-3.1-8b-instant")).toBe("groq");
    // Azure's own prices (the price table's `azure` entries), as the gateway and the Python SDK name it.
    expect(providerOf("my-resource.openai.azure.com", "gpt-4o")).toBe("azure");
    // The price table's id for xAI, whichever way in (once `xai` here and `x-ai` elsewhere).
    expect(providerOf("api.x.ai", "grok-3")).toBe("x-ai");
    expect(providerOf("127.0.0.1", "grok-3")).toBe("x-ai");
    expect(providerOf("127.0.0.1", "deepseek-chat")).toBe("deepseek");
    expect(providerOf("127.0.0.1", "gpt-4o-mini-2024-07-18")).toBe("openai");
    expect(providerOf("127.0.0.1", "o3-mini")).toBe("openai");
    expect(providerOf("localhost", "claude-3-5-sonnet@20241022")).toBe("anthropic");
    expect(providerOf("proxy.internal", "google/gemini-2.0-flash")).toBe("google");
    expect(providerOf("127.0.0.1", "mistral-large-latest")).toBe("mistral");
    expect(providerOf("127.0.0.1", "my-fine-tune")).toBeUndefined();
  });
});

describe("stream digest", () => {
  const read = (lines: string[], split = 7) => {
    const digest = createDigest();
    const feed = (chunk: string) => digest._read(chunk, true);
    const text = lines.map((l) => `data: ${l}\n\n`).join("");
    // Chunks that cut events, lines and JSON in the middle, as networks deliver them.
    for (let i = 0; i < text.length; i += split) feed(text.slice(i, i + split));
    return digest;
  };

  it("assembles Anthropic text and tool-use input, and its usage, from message events", () => {
    const events = [
      { type: "message_start", message: { model: "claude-sonnet-4-5", usage: { input_tokens: 10, output_tokens: 1 } } },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Let me check." } },
      { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "t1", name: "w", input: {} } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"city":' } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '"Paris"}' } },
      { type: "message_delta", usage: { output_tokens: 9 } },
      { type: "message_stop" },
    ];
    const digest = read(events.map((e) => JSON.stringify(e)));
    expect(digest._state).toMatchObject({ _model: "claude-sonnet-4-5", _finished: true });
    expect(digest._state._usage).toEqual({ input_tokens: 10, output_tokens: 9 });
    expect(digest._output()).toEqual([
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "t1", name: "w", input: { city: "Paris" } },
    ]);
  });

  it("joins Gemini's streamed parts and keeps its usage", () => {
    const chunk = (text: string, extra = {}) =>
      JSON.stringify({ candidates: [{ content: { parts: [{ text }] } }], modelVersion: "gemini-2.0-flash", ...extra });
    const digest = read([
      chunk("Bon"),
      chunk("jour", { usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 2 } }),
    ]);
    expect(digest._output()).toBe("Bonjour");
    expect(digest._state).toMatchObject({ _model: "gemini-2.0-flash", _usage: { promptTokenCount: 4 } });
  });
});
