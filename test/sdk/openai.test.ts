// observeOpenAI with the real `openai` package (both majors): the client stays the library's own, and every model call
// it makes is recorded — plain and streamed, with usage, provider, tool-call arguments, errors — as a trace of its own
// or under the parent given.
import type OpenAI7 from "openai";
import { describe, expect, expectTypeOf, it } from "vitest";
import { observeOpenAI } from "../../sdk/js/src/index.ts";
import chatTools from "../fixtures/providers/openai/chat.tools.json";
import { hi, majors, setup, textOf, weatherTool } from "./openai-setup.ts";

// What the recorded answers (test/fixtures/providers/openai) hold.
const usage = { input_tokens: 12, output_tokens: 7, cached_input_tokens: 4 };
const responsesUsage = { input_tokens: 20, output_tokens: 5, cached_input_tokens: 8 };
const model = "gpt-4o-mini-2024-07-18";
const TOOL_ARGUMENTS: string = chatTools.choices[0]!.message.tool_calls[0]!.function.arguments;

describe.each(majors)("observeOpenAI with $label", ({ OpenAI, Stream }) => {
  it("is the library's own client: instanceof, withOptions, stream.tee(), withResponse() and asResponse() work and are recorded", async () => {
    const { openai, raw, events } = await setup(OpenAI);
    expectTypeOf(observeOpenAI<OpenAI7>).returns.toEqualTypeOf<OpenAI7>();
    expect(openai).toBeInstanceOf(OpenAI);
    expect(openai).not.toBe(raw);
    const derived = openai.withOptions({ timeout: 9_000 });
    expect(derived).toBeInstanceOf(OpenAI);
    expect(derived.timeout).toBe(9_000);
    await derived.chat.completions.create({ model: "gpt-4o-mini", messages: hi });

    const stream = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: hi, stream: true });
    expect(stream).toBeInstanceOf(Stream);
    const [left, right] = stream.tee();
    expect(await textOf(left)).toBe("Hello from the fake upstream.");
    expect(await textOf(right)).toBe("Hello from the fake upstream.");
    // The library's own round trip: a stream to a ReadableStream of JSON lines and back.
    const readable = (
      await openai.chat.completions.create({ model: "gpt-4o-mini", messages: hi, stream: true })
    ).toReadableStream();
    expect(await textOf(Stream.fromReadableStream(readable, new AbortController()))).toBe(
      "Hello from the fake upstream.",
    );

    const { data, response } = await openai.chat.completions
      .create({ model: "gpt-4o-mini", messages: hi })
      .withResponse();
    expect(response.status).toBe(200);
    expect(data.choices[0]!.message.content).toBe("Hello from the fake upstream.");
    const rawAnswer = await openai.embeddings.create({ model: "text-embedding-3-small", input: "hi" }).asResponse();
    expect(((await rawAnswer.json()) as { data: unknown[] }).data).toHaveLength(1);

    const recorded = await events(5);
    expect(recorded.map((e) => e.name).sort()).toEqual([
      "chat.completions",
      "chat.completions",
      "chat.completions",
      "chat.completions",
      "embeddings",
    ]);
    expect(recorded.every((e) => e.status === "ok")).toBe(true);
  });

  it("records chat completions, legacy completions, responses and embeddings: model, provider, usage, input, output", async () => {
    const { openai, events } = await setup(OpenAI);
    await openai.chat.completions.create({ model: "gpt-4o-mini", messages: hi });
    await openai.completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "Say hi" });
    expect((await openai.responses.create({ model: "gpt-4o-mini", input: "Hi" })).output_text).toBe(
      "Hello from the fake upstream.",
    );
    await openai.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
    const [chat, completion, response, embedding] = await events(4);
    // The upstream is 127.0.0.1: the provider comes from the model's name, never from the host.
    expect(chat).toMatchObject({
      type: "model_response",
      parent_event_id: null,
      name: "chat.completions",
      model,
      provider: "openai",
      usage,
      body: { input: hi, output: { role: "assistant", content: "Hello from the fake upstream." } },
    });
    expect(chat!.duration_ms).toBeGreaterThanOrEqual(0);
    expect(completion).toMatchObject({
      name: "completions",
      model: "gpt-3.5-turbo-instruct",
      usage: { input_tokens: 12, output_tokens: 7 },
    });
    expect(completion!.body).toMatchObject({ input: "Say hi", output: "Hello from the fake upstream." });
    expect(response).toMatchObject({
      name: "responses",
      model,
      usage: responsesUsage,
      body: { input: "Hi", output: "Hello from the fake upstream." },
    });
    expect(embedding).toMatchObject({
      name: "embeddings",
      model: "text-embedding-3-small",
      usage: { input_tokens: 6, output_tokens: 0 },
      body: { input: ["a", "b"], output: { embeddings: 2, dimensions: 3 } },
    });
  });

  it("records streams of chat completions and responses with their text, usage and time to first token", async () => {
    const { openai, events } = await setup(OpenAI);
    const chat = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: hi,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(await textOf(chat)).toBe("Hello from the fake upstream.");
    let text = "";
    const stream = await openai.responses.create({ model: "gpt-4o-mini", input: "Hi", stream: true });
    for await (const event of stream) if (event.type === "response.output_text.delta") text += event.delta;
    expect(text).toBe("Hello from the fake upstream.");
    const recorded = await events(2);
    expect(recorded[0]).toMatchObject({
      status: "ok",
      model,
      usage,
      body: { output: { content: "Hello from the fake upstream." } },
    });
    expect(recorded[1]).toMatchObject({
      status: "ok",
      model,
      usage: responsesUsage,
      body: { output: "Hello from the fake upstream." },
    });
    for (const e of recorded) {
      expect(e.first_token_ms).toBeGreaterThanOrEqual(0);
      expect(e.first_token_ms).toBeLessThanOrEqual(e.duration_ms!);
      expect(e.body!.metadata).toBeUndefined();
    }
  });

  it("assembles streamed tool-call arguments into the recorded output", async () => {
    const { openai, events } = await setup(OpenAI);
    const chat = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: hi,
      tools: [weatherTool],
      stream: true,
    });
    let args = "";
    for await (const chunk of chat) args += chunk.choices[0]?.delta?.tool_calls?.[0]?.function?.arguments ?? "";
    expect(args).toBe(TOOL_ARGUMENTS);
    const responses = await openai.responses.create({
      model: "gpt-4o-mini",
      input: "Weather?",
      tools: [{ type: "function", name: "get_weather", parameters: weatherTool.function.parameters, strict: false }],
      stream: true,
    });
    for await (const _ of responses);
    const [fromChat, fromResponses] = await events(2);
    expect(fromChat!.body!.output).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: TOOL_ARGUMENTS } }],
    });
    expect(fromResponses!.body!.output).toEqual([
      expect.objectContaining({ type: "function_call", name: "get_weather", arguments: TOOL_ARGUMENTS }),
    ]);
  });

  it("makes each call without a parent a trace of its own, and records under the parent given exactly once", async () => {
    const { t, watchllm, openai, events } = await setup(OpenAI);
    await openai.chat.completions.create({ model: "gpt-4o-mini", messages: hi });
    await openai.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
    const trace = watchllm.trace({ name: "agent" });
    // Observing an observed client again (e.g. per request, with that request's trace) records each call once.
    const inTrace = observeOpenAI(openai, { client: watchllm, parent: trace });
    await inTrace.chat.completions.create({ model: "gpt-4o-mini", messages: hi });
    trace.end();
    const recorded = await events(4);
    const [first, second, nested] = recorded.filter((e) => e.type === "model_response");
    for (const orphan of [first!, second!]) expect(orphan.parent_event_id).toBeNull();
    expect(first!.trace_id).not.toBe(second!.trace_id);
    expect(nested).toMatchObject({ parent_event_id: trace.id, trace_id: trace.traceId });
    expect(recorded).toHaveLength(4);
    expect(Object.values((await t.received()).counts)).toEqual([1, 1, 1, 1]);
  });

  it("records a failed call with the API's error, and still throws the library's error", async () => {
    const { openai, events } = await setup(OpenAI);
    const failed = openai.chat.completions.create({ model: "broken", messages: hi });
    await expect(failed).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const [event] = await events(1);
    expect(event).toMatchObject({ status: "error", model: "broken", parent_event_id: null });
    expect((event!.body!.metadata as { error: string }).error).toBe("HTTP 404: The model `broken` does not exist");
  });

  it("records each attempt of the library's automatic retries", async () => {
    const { openai, events } = await setup(OpenAI);
    const retrying = openai.withOptions({ maxRetries: 2 });
    await expect(retrying.chat.completions.create({ model: "overloaded", messages: hi })).rejects.toBeInstanceOf(
      OpenAI.InternalServerError,
    );
    const attempts = await events(3);
    expect(attempts).toHaveLength(3);
    // The library leaves a retried attempt's body unread; it reads the last one for its error.
    expect(attempts.map((e) => [e.status, (e.body!.metadata as { error: string }).error])).toEqual([
      ["error", "HTTP 503"],
      ["error", "HTTP 503"],
      ["error", "HTTP 503: The server is overloaded"],
    ]);
  });
});

describe("observeOpenAI", () => {
  it("names the provider from the API's host, else from the model's name, never a bare host", async () => {
    const { OpenAI } = majors[0]!;
    const { t, watchllm, events } = await setup(OpenAI);
    // A client of Groq's API whose requests are answered by the local fake upstream.
    const viaGroq = new OpenAI({
      apiKey: "sk-test",
      baseURL: "https://api.groq.com/openai/v1",
      fetch: (url, init) => fetch(String(url).replace("https://api.groq.com/openai", t.base), init),
    });
    const local = new OpenAI({ apiKey: "sk-test", baseURL: `${t.base}/v1` });
    for (const [client, name] of [
      [viaGroq, "llama-3.1-8b"],
      [local, "claude-sonnet-4-5"],
      [local, "my-own-model"],
    ] as const)
      await observeOpenAI(client, { client: watchllm }).chat.completions.create({ model: name, messages: hi });
    expect((await events(3)).map((e) => e.provider ?? null)).toEqual(["groq", "anthropic", null]);
  });

  it("refuses a client that is not the openai package's, saying what to use instead", () => {
    expect(() => observeOpenAI({ chat: { completions: { create: async () => ({}) } } })).toThrow(/observeFetch/);
  });
});
