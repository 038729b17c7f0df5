// observeOpenAI with the real `openai` package's helpers (both majors): stream/parse helpers record one model call
// per request, runTools records a span with its model and tool calls inside, and a stream the caller leaves early or
// aborts is recorded with what was received, as an `aborted` error.
import { describe, expect, it } from "vitest";
import { observeOpenAI, type WireEvent } from "../../sdk/js/src/index.ts";
import chatStructured from "../fixtures/providers/openai/chat.structured.json";
import chatTools from "../fixtures/providers/openai/chat.tools.json";
import { hi, majors, setup, weatherSchema, weatherTool } from "./openai-setup.ts";

// What the recorded answers (test/fixtures/providers/openai) hold.
const STRUCTURED = JSON.parse(chatStructured.choices[0]!.message.content);
const TOOL_ARGUMENTS: string = chatTools.choices[0]!.message.tool_calls[0]!.function.arguments;
const metadataOf = (e: WireEvent | undefined) => e?.body?.metadata as Record<string, unknown> | undefined;
const weather = async (args: string) => `22C in ${(JSON.parse(args) as { city: string }).city}`;

describe.each(majors)("observeOpenAI helpers with $label", ({ OpenAI }) => {
  it("records chat.completions.stream() and .parse(), responses.stream() and .parse(): one model call each", async () => {
    const { openai, events } = await setup(OpenAI);
    const chat = openai.chat.completions.stream({
      model: "gpt-4o-mini",
      messages: hi,
      stream_options: { include_usage: true },
    });
    expect((await chat.finalChatCompletion()).choices[0]!.message.content).toBe("Hello from the fake upstream.");
    const parsed = await openai.chat.completions.parse({
      model: "gpt-4o-mini",
      messages: hi,
      response_format: { type: "json_schema", json_schema: weatherSchema },
    });
    expect(parsed.choices[0]!.message.parsed).toEqual(STRUCTURED);
    const responses = openai.responses.stream({ model: "gpt-4o-mini", input: "Hi" });
    expect((await responses.finalResponse()).output_text).toBe("Hello from the fake upstream.");
    const parsedResponse = await openai.responses.parse({
      model: "gpt-4o-mini",
      input: "Weather?",
      text: { format: { type: "json_schema", ...weatherSchema } },
    });
    expect(parsedResponse.output_parsed).toEqual(STRUCTURED);

    const recorded = await events(4);
    expect(recorded).toHaveLength(4);
    expect(recorded.map((e) => [e.name, e.status, metadataOf(e)?.helper])).toEqual([
      ["chat.completions", "ok", "stream"],
      ["chat.completions", "ok", "chat.completions.parse"],
      ["responses", "ok", "stream"],
      ["responses", "ok", undefined],
    ]);
    expect(recorded[1]!.body!.output).toMatchObject({ content: JSON.stringify(STRUCTURED) });
    expect(recorded[3]!.body!.output).toBe(JSON.stringify(STRUCTURED));
    for (const e of recorded.slice(0, 2)) expect(e.usage).toMatchObject({ input_tokens: 12, cached_input_tokens: 4 });
    for (const e of recorded.slice(2)) expect(e.usage).toMatchObject({ input_tokens: 20, cached_input_tokens: 8 });
  });

  it("records runTools as a span holding each model call and each tool call, a trace of its own", async () => {
    const { openai, events } = await setup(OpenAI);
    const runner = openai.chat.completions.runTools({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [{ type: "function", function: { ...weatherTool.function, function: weather } }],
    });
    expect(await runner.finalContent()).toBe("Hello from the fake upstream.");
    const recorded = await events(4);
    const span = recorded.find((e) => e.type === "span")!;
    expect(span).toMatchObject({
      name: "chat.completions.runTools",
      parent_event_id: null,
      status: "ok",
      body: { input: [{ role: "user", content: "Weather in Paris?" }], output: "Hello from the fake upstream." },
    });
    const inside = recorded.filter((e) => e !== span);
    expect(inside.every((e) => e.parent_event_id === span.event_id && e.trace_id === span.trace_id)).toBe(true);
    expect(inside.map((e) => e.type).sort()).toEqual(["model_response", "model_response", "tool_call"]);
    expect(inside.find((e) => e.type === "tool_call")).toMatchObject({
      name: "get_weather",
      status: "ok",
      body: { input: JSON.parse(TOOL_ARGUMENTS), output: "22C in Paris" },
    });
  });

  it("records a streaming runTools under the parent given, and a failing tool as an error", async () => {
    const { watchllm, openai, events } = await setup(OpenAI);
    const trace = watchllm.trace({ name: "agent" });
    const inTrace = observeOpenAI(openai, { parent: trace });
    const streamed = inTrace.chat.completions.runTools({
      model: "gpt-4o-mini",
      messages: hi,
      stream: true,
      tools: [{ type: "function", function: { ...weatherTool.function, function: weather } }],
    });
    expect(await streamed.finalContent()).toBe("Hello from the fake upstream.");
    const failing = inTrace.chat.completions.runTools({
      model: "gpt-4o-mini",
      messages: hi,
      tools: [
        {
          type: "function",
          function: {
            ...weatherTool.function,
            function: async () => {
              throw new Error("weather service down");
            },
          },
        },
      ],
    });
    await expect(failing.finalContent()).rejects.toThrow("weather service down");
    trace.end();
    const recorded = await events(8);
    const runs = recorded.filter((e) => e.name === "chat.completions.runTools");
    expect(runs.map((e) => [e.parent_event_id, e.status])).toEqual([
      [trace.id, "ok"],
      [trace.id, "error"],
    ]);
    const under = (run: WireEvent) => recorded.filter((e) => e.parent_event_id === run.event_id);
    const kinds = (run: WireEvent) =>
      under(run)
        .map((e) => `${e.type} ${e.status}`)
        .sort();
    expect(kinds(runs[0]!)).toEqual(["model_response ok", "model_response ok", "tool_call ok"]);
    expect(kinds(runs[1]!)).toEqual(["model_response ok", "tool_call error"]);
  });

  it("records a stream the caller breaks out of, or aborts, as an aborted error with what was received", async () => {
    const { openai, events } = await setup(OpenAI);
    let chunks = 0;
    const chat = await openai.chat.completions.create({ model: "slow", messages: hi, stream: true });
    for await (const _ of chat) if (++chunks === 4) break;

    chunks = 0;
    const controlled = await openai.chat.completions.create({ model: "slow", messages: hi, stream: true });
    for await (const _ of controlled) if (++chunks === 3) controlled.controller.abort();

    const abort = new AbortController();
    let deltas = 0;
    const responses = await openai.responses.create(
      { model: "slow", input: "Hi", stream: true },
      { signal: abort.signal },
    );
    for await (const event of responses)
      if (event.type === "response.output_text.delta" && ++deltas === 3) abort.abort();

    const helper = openai.chat.completions.stream({ model: "slow", messages: hi });
    helper.on("content", (_delta, snapshot) => {
      if (snapshot.length >= 10) helper.abort();
    });
    await helper.done().catch(() => undefined);

    const recorded = await events(4);
    for (const e of recorded) {
      expect(e).toMatchObject({ status: "error", body: { metadata: { error: "aborted" } } });
      expect(e.duration_ms).toBeLessThan(3_000); // the slow streams run for 4 s
    }
    const [fromChat, fromController, fromResponses, fromHelper] = recorded.map((e) => e.body!.output);
    const contentOf = (output: unknown) => (output as { content: string }).content;
    // What was received: the first chunks, not the whole answer.
    for (const text of [contentOf(fromChat), contentOf(fromController), fromResponses, contentOf(fromHelper)]) {
      expect(text).toMatch(/^tick0 /);
      expect((text as string).length).toBeLessThan(100);
    }
  });
});
