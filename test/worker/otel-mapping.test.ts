// The convention tables against each library's real output (captured once by `npm run otel:fixtures`), decoded and
// mapped inside workerd, then run through the native validator: one table of expectations per library.
import { create, fromBinary, fromJson, toBinary, toJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { WireEventInput as WireEvent } from "../../contract/event.ts";
import { normalizeProvider } from "../../contract/providers.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { decodeExport } from "../../src/otel/decode.ts";
import { ExportTraceServiceRequestSchema } from "../../src/otel/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { SpanSchema } from "../../src/otel/gen/opentelemetry/proto/trace/v1/trace_pb.ts";
import { instrumentationScope, mapExport, mapSpan, nanosToMs, resourceScope, spanIn } from "../../src/otel/map.ts";
import { readTraceJson } from "../../src/otel/otlp-json.ts";
import { readTraceExport } from "../../src/otel/protobuf.ts";
import langfuse from "../otel/fixtures/langfuse.json";
import openinference from "../otel/fixtures/openinference.json";
import otlpJson from "../otel/fixtures/otlp-json.json";
import otlpProto from "../otel/fixtures/otlp-proto.json";
import vercelLegacy from "../otel/fixtures/vercel-legacy.json";
import vercelSemconv from "../otel/fixtures/vercel-semconv.json";

type Captured = { contentType: string; body: string }[];

function eventsOf(captured: Captured): WireEvent[] {
  return captured.flatMap((r) => {
    const json = r.contentType.includes("json");
    const bytes = json ? new TextEncoder().encode(r.body) : Uint8Array.from(atob(r.body), (ch) => ch.charCodeAt(0));
    return mapExport(decodeExport(bytes, json ? "json" : "protobuf").request, 10_000).spans.flatMap((s) => s.events);
  });
}

/** The fields a row of the tables below pins; absent fields are not compared. */
function row(e: WireEvent) {
  const context = e.context as { user_id?: string; session_id?: string; tags?: string[] } | undefined;
  return {
    type: e.type,
    name: e.name,
    status: e.status ?? "ok",
    model: e.model ?? undefined,
    provider: e.provider ?? undefined,
    usage: e.usage ?? undefined,
    cost_usd: e.cost_usd ?? undefined,
    user: context?.user_id,
    session: context?.session_id,
    tags: context?.tags,
  };
}

const table: Record<string, [Captured, Array<Partial<ReturnType<typeof row>>>]> = {
  "OTLP JSON exporter, gen_ai conventions": [
    otlpJson,
    [
      {
        type: "model_response",
        name: "chat gpt-4o-mini",
        model: "gpt-4o-mini-2024-07-18",
        provider: "openai",
        usage: { input_tokens: 1200, output_tokens: 300, cached_input_tokens: 1000 },
      },
      { type: "log", name: "cache warm" },
      { type: "tool_call", name: "execute_tool lookup_order", usage: undefined },
      { type: "span", name: "notify", status: "error" },
      { type: "error", name: "TypeError", status: "error" },
      { type: "span", name: "support-agent", user: "u-otel", session: "s-otel" },
    ],
  ],
  "OTLP protobuf exporter (gzip), gen_ai conventions": [
    otlpProto,
    [
      {
        type: "model_response",
        model: "gpt-4o-mini-2024-07-18",
        usage: { input_tokens: 1200, output_tokens: 300, cached_input_tokens: 1000 },
      },
      { type: "log" },
      { type: "tool_call", name: "execute_tool lookup_order" },
      { type: "span", name: "notify", status: "error" },
      { type: "error" },
      { type: "span", user: "u-otel", session: "s-otel" },
    ],
  ],
  "Vercel ai, ai.* spans": [
    vercelLegacy,
    [
      { type: "tool_call", name: "ai.toolCall", user: "u-vercel" },
      {
        type: "model_response",
        name: "ai.generateText.doGenerate",
        model: "gpt-4o-mini",
        provider: "openai",
        usage: { input_tokens: 100, output_tokens: 20, cached_input_tokens: 50, cache_write_tokens: 0 },
      },
      {
        type: "model_response",
        name: "ai.generateText.doGenerate",
        usage: { input_tokens: 150, output_tokens: 10, cached_input_tokens: 0, cache_write_tokens: 0 },
      },
      { type: "span", name: "weather-bot", usage: undefined, model: undefined, user: "u-vercel" },
      {
        type: "model_response",
        name: "ai.streamText.doStream",
        usage: { input_tokens: 30, output_tokens: 5, cached_input_tokens: 0, cache_write_tokens: 0 },
      },
      { type: "span", name: "weather-bot", usage: undefined },
      {
        type: "model_response",
        name: "ai.embed.doEmbed",
        model: "text-embedding-3-small",
        usage: { input_tokens: 4, output_tokens: 0 },
      },
      { type: "span", name: "weather-bot" },
    ],
  ],
  "Vercel ai, gen_ai spans": [
    vercelSemconv,
    [
      {
        type: "model_response",
        name: "chat gpt-4o-mini",
        provider: "openai",
        usage: { input_tokens: 100, output_tokens: 20, cached_input_tokens: 50, cache_write_tokens: 0 },
      },
      { type: "tool_call", name: "execute_tool weather" },
      { type: "span", name: "step 1" },
      {
        type: "model_response",
        usage: { input_tokens: 150, output_tokens: 10, cached_input_tokens: 0, cache_write_tokens: 0 },
      },
      { type: "span", name: "step 2" },
      { type: "span", name: "weather-bot", usage: undefined },
      {
        type: "model_response",
        usage: { input_tokens: 30, output_tokens: 5, cached_input_tokens: 0, cache_write_tokens: 0 },
      },
      { type: "span", name: "step 1" },
      { type: "span", name: "weather-bot", usage: undefined },
      {
        type: "model_response",
        name: "embeddings text-embedding-3-small",
        usage: { input_tokens: 4, output_tokens: 0 },
      },
      { type: "model_response", name: "embeddings text-embedding-3-small", usage: undefined },
    ],
  ],
  "OpenInference around openai": [
    openinference,
    [
      {
        type: "model_response",
        model: "gpt-4o-mini-2024-07-18",
        provider: "openai",
        usage: { input_tokens: 1200, output_tokens: 300, cached_input_tokens: 1000 },
      },
      { type: "model_response", model: "gpt-4o-mini", usage: undefined },
      { type: "model_response", usage: { input_tokens: 80, output_tokens: 15 } },
      { type: "model_response", name: "OpenAI Embeddings", model: "text-embedding-3-small" },
      { type: "span", name: "rag-pipeline", user: "u-oi", session: "s-oi" },
    ],
  ],
  "Langfuse SDK": [
    langfuse,
    [
      { type: "log", name: "warned", status: "error", user: "u-lf", session: "s-lf", tags: ["beta", "lf"] },
      {
        type: "model_response",
        name: "answer",
        model: "gpt-4o",
        usage: { input_tokens: 20, output_tokens: 5 },
        cost_usd: 0.0042,
      },
      { type: "tool_call", name: "search" },
      { type: "span", name: "qa-run", user: "u-lf", session: "s-lf", tags: ["beta", "lf"] },
    ],
  ],
};

describe("OTLP mapping of each library's real output", () => {
  for (const [library, [captured, expected]] of Object.entries(table)) {
    it(`maps ${library}`, () => {
      const events = eventsOf(captured);
      expect(events.map(row)).toEqual(expected.map((e) => expect.objectContaining(e)));
      const { rejected } = validateEvents(events);
      expect(rejected).toEqual([]);
    });
  }

  it("rebuilds OpenInference's flattened messages and tool calls into arrays", () => {
    const [chat, , tools] = eventsOf(openinference).filter((e) => e.name === "OpenAI Chat Completions");
    expect(chat!.body).toEqual({
      input: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Where is order 42?" },
      ],
      output: [{ role: "assistant", content: "Your order shipped." }],
    });
    expect((tools!.body as { output: unknown }).output).toEqual([
      { role: "assistant", tool_calls: [{ id: "call_1", name: "lookup_order", arguments: { id: 42 } }] },
    ]);
  });

  it("parses JSON-string inputs and outputs, and keeps tool arguments and results", () => {
    const events = eventsOf(vercelLegacy).filter((e) => e.name !== "weather-bot");
    expect(events[0]!.body).toEqual({ input: { city: "Paris" }, output: { city: "Paris", celsius: 21 } });
    // The model's tool call as the gateway stores OpenAI's: `tool_calls` with JSON-text arguments.
    expect(events[1]!.body).toMatchObject({
      output: {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call-1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }],
      },
    });
    const tool = eventsOf(vercelSemconv).find((e) => e.type === "tool_call")!;
    expect(tool.body).toEqual({ input: { city: "Paris" }, output: { city: "Paris", celsius: 21 } });
    const chat = eventsOf(otlpJson).find((e) => e.type === "model_response");
    expect((chat!.body as { input: unknown[] }).input[0]).toEqual({
      role: "system",
      content: "You are a support agent.",
    });
  });

  it("stores GenAI `parts` messages and Vercel prompt messages as the gateway stores chat messages", () => {
    const [call, answer] = eventsOf(vercelSemconv).filter((e) => e.type === "model_response");
    const toolCall = { id: "call-1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } };
    expect(call!.body).toEqual({
      input: [{ role: "user", content: "What is the weather in Paris?" }],
      output: { role: "assistant", content: null, tool_calls: [toolCall] },
    });
    expect((answer!.body as { input: unknown }).input).toEqual([
      { role: "user", content: "What is the weather in Paris?" },
      { role: "assistant", content: null, tool_calls: [toolCall] },
      { role: "tool", tool_call_id: "call-1", content: expect.stringContaining('"celsius":21') },
    ]);
    expect((answer!.body as { output: unknown }).output).toEqual({
      role: "assistant",
      content: "It is 21°C in Paris.",
    });
  });

  it("normalises every GenAI part kind: several texts, other parts kept, several choices as a list", () => {
    const messages = [
      {
        role: "user",
        name: "ann",
        parts: [
          { type: "text", content: "Look:" },
          { type: "uri", modality: "image", uri: "https://x/cat.png" },
        ],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "c1", response: "sunny" }] },
    ];
    const output = [
      { role: "assistant", parts: [{ type: "text", content: "A" }], finish_reason: "stop" },
      { role: "assistant", parts: [{ type: "text", content: "B" }], finish_reason: "stop" },
    ];
    const { events } = mapSpan(
      create(SpanSchema, {
        traceId: new Uint8Array(16).fill(1),
        spanId: new Uint8Array(8).fill(2),
        startTimeUnixNano: 1_764_000_000_000_000_000n,
        attributes: [
          ["gen_ai.operation.name", "chat"],
          ["gen_ai.system_instructions", JSON.stringify([{ type: "text", content: "Be brief." }])],
          ["gen_ai.input.messages", JSON.stringify(messages)],
          ["gen_ai.output.messages", JSON.stringify(output)],
        ].map(([key, value]) => ({ key, value: { value: { case: "stringValue" as const, value: value! } } })),
      }),
      { resource: undefined, scope: undefined },
    );
    expect(events[0]!.body).toEqual({
      input: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          name: "ann",
          content: [
            { type: "text", text: "Look:" },
            { type: "uri", modality: "image", uri: "https://x/cat.png" },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "sunny" },
      ],
      output: [
        { role: "assistant", content: "A" },
        { role: "assistant", content: "B" },
      ],
    });
    expect(validateEvents(events).rejected).toEqual([]);
  });

  it("turns an exception event into an error child with message, type and stack", () => {
    const error = eventsOf(otlpJson).find((e) => e.type === "error")!;
    const span = eventsOf(otlpJson).find((e) => e.name === "notify")!;
    expect(error.parent_event_id).toBe(span.event_id);
    expect(error.event_id).toBe(`${span.event_id}.0`);
    expect(error.body).toMatchObject({
      message: "mailer offline",
      error_type: "TypeError",
      stack: expect.stringContaining("TypeError: mailer offline"),
    });
    expect(span.body).toEqual({ error: "mailer offline" });
  });

  it("keeps unmapped attributes, resource attributes and the scope in metadata", () => {
    const doGenerate = eventsOf(vercelLegacy).find((e) => e.type === "model_response")!;
    const metadata = (doGenerate.context as { metadata: Record<string, unknown> }).metadata;
    expect(metadata).toMatchObject({
      "ai.telemetry.functionId": "weather-bot",
      "otel.resource": { "service.name": "vercel-legacy" },
      "otel.scope": { name: "watchllm-test-vercel-legacy", version: "1.0.0" },
    });
    expect(metadata).not.toHaveProperty("ai.usage.inputTokens");
    expect(metadata).not.toHaveProperty("ai.prompt.messages");
  });

  it("reads the environment from the resource and a stream's first chunk time into first_token_ms", () => {
    const events = eventsOf(vercelLegacy);
    const stream = events.find((e) => e.name === "ai.streamText.doStream")!;
    expect(stream.first_token_ms).toBeCloseTo(2.226053, 6);
    expect((stream.context as { metadata: object }).metadata).not.toHaveProperty("ai.response.msToFirstChunk");
    for (const e of events) expect(e.context).toMatchObject({ environment: "test" });
    const [withVersion] = mapExport(
      create(ExportTraceServiceRequestSchema, {
        resourceSpans: [
          {
            resource: {
              attributes: [
                { key: "deployment.environment", value: { value: { case: "stringValue", value: "prod" } } },
                { key: "service.version", value: { value: { case: "stringValue", value: "1.4.2" } } },
              ],
            },
            scopeSpans: [
              { spans: [{ traceId: new Uint8Array(16).fill(3), spanId: new Uint8Array(8).fill(4), name: "x" }] },
            ],
          },
        ],
      }),
      10,
    ).spans;
    expect(withVersion!.events[0]!.context).toMatchObject({ environment: "prod", release: "1.4.2" });
  });
});

/** OTLP JSON as proto3 JSON (base64 ids, not hex), which protobuf-es reads. */
const protoJson = (otlpJson: string) =>
  JSON.parse(otlpJson, (key, value) =>
    ["traceId", "spanId", "parentSpanId"].includes(key)
      ? btoa(String.fromCharCode(...(value.match(/../g) ?? []).map((pair: string) => Number.parseInt(pair, 16))))
      : value,
  );

describe("OTLP protobuf reading", () => {
  // Every captured export in binary form (the JSON ones re-encoded by protobuf-es).
  const captured = [otlpProto, otlpJson, vercelLegacy, vercelSemconv, langfuse, openinference].flatMap((c: Captured) =>
    c.map((r) =>
      r.contentType.includes("json")
        ? toBinary(ExportTraceServiceRequestSchema, fromJson(ExportTraceServiceRequestSchema, protoJson(r.body)))
        : Uint8Array.from(atob(r.body), (ch) => ch.charCodeAt(0)),
    ),
  );

  it("reads every captured binary export into exactly the messages protobuf-es' fromBinary makes", () => {
    expect(captured.length).toBeGreaterThan(3);
    for (const bytes of captured) {
      const expected = fromBinary(ExportTraceServiceRequestSchema, bytes);
      const read = readTraceExport(bytes);
      expect(toBinary(ExportTraceServiceRequestSchema, read)).toEqual(
        toBinary(ExportTraceServiceRequestSchema, expected),
      );
      expect(read).toEqual(expected);
    }
  });

  it("reads every field of a span, links, non-ASCII text, negative ints and doubles as fromBinary does", () => {
    // Init shapes (protobuf-es fills in the nested messages).
    const value = (v: unknown) => ({ value: v }) as never;
    const request = create(ExportTraceServiceRequestSchema, {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: value({ case: "stringValue", value: "näme 名" }) }] },
          schemaUrl: "https://s",
          scopeSpans: [
            {
              scope: { name: "lib", version: "1", droppedAttributesCount: 2 },
              spans: [
                {
                  traceId: new Uint8Array(16).fill(7),
                  spanId: new Uint8Array(8).fill(8),
                  parentSpanId: new Uint8Array(8).fill(9),
                  traceState: "a=b",
                  flags: 0xffffffff,
                  name: "x".repeat(100),
                  kind: 3,
                  startTimeUnixNano: 18_446_744_073_709_551_615n,
                  endTimeUnixNano: 1n,
                  attributes: [
                    { key: "i", value: value({ case: "intValue", value: -9_223_372_036_854_775_808n }) },
                    { key: "j", value: value({ case: "intValue", value: -1n }) },
                    { key: "d", value: value({ case: "doubleValue", value: -0.5 }) },
                    { key: "b", value: value({ case: "boolValue", value: true }) },
                    { key: "y", value: value({ case: "bytesValue", value: new Uint8Array([0, 255]) }) },
                    {
                      key: "a",
                      value: value({
                        case: "arrayValue",
                        value: { values: [{ value: { case: "kvlistValue", value: { values: [{ key: "k" }] } } }] },
                      }),
                    },
                  ],
                  droppedAttributesCount: 1,
                  events: [
                    {
                      timeUnixNano: 5n,
                      name: "e",
                      attributes: [{ key: "k", value: value({ case: "stringValue", value: "é" }) }],
                    },
                  ],
                  droppedEventsCount: 2,
                  links: [
                    {
                      traceId: new Uint8Array(16).fill(1),
                      spanId: new Uint8Array(8).fill(2),
                      traceState: "t",
                      flags: 1,
                    },
                  ],
                  droppedLinksCount: 3,
                  status: { code: 2, message: "boom" },
                },
              ],
            },
          ],
        },
      ],
    });
    const bytes = toBinary(ExportTraceServiceRequestSchema, request);
    expect(readTraceExport(bytes)).toEqual(fromBinary(ExportTraceServiceRequestSchema, bytes));
  });

  it("refuses truncated, lying and mistyped input with a reason, and cuts values nested deeper than it reads", () => {
    const bytes = captured[0]!;
    for (const bad of [
      bytes.subarray(0, bytes.length - 1), // truncated
      Uint8Array.of(0x0a, 0x7f, 0x01), // a length beyond the message
      Uint8Array.of(0x08, 0x01), // resource_spans as a varint
      Uint8Array.of(0x0a, 0x02, 0x0b, 0x00), // wire type 3 (groups)
      Uint8Array.of(0x0a, 0x0b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // an 11-byte varint
    ]) {
      expect(() => readTraceExport(bad), String(bad)).toThrow(/at byte \d+/);
    }
    // 100,000 nested arrays in one attribute: read without recursing past the limit, mapped to the depth marker.
    let nested: Uint8Array = Uint8Array.of(0x0a, 0x01, 0x78); // AnyValue { string_value: "x" }
    const wrap = (field: number, inner: Uint8Array) => {
      const length: number[] = [];
      for (let n = inner.length; ; n >>>= 7) {
        if (n < 0x80) {
          length.push(n);
          break;
        }
        length.push((n & 0x7f) | 0x80);
      }
      return Uint8Array.from([(field << 3) | 2, ...length, ...inner]);
    };
    for (let i = 0; i < 2_000; i++) nested = wrap(5, wrap(1, nested)); // AnyValue { array_value: { values: [..] } }
    const span = create(SpanSchema, {
      traceId: new Uint8Array(16).fill(1),
      spanId: new Uint8Array(8).fill(2),
      startTimeUnixNano: 1_764_000_000_000_000_000n,
    });
    const spanBytes = toBinary(SpanSchema, span);
    const attribute = wrap(9, Uint8Array.from([...wrap(1, new TextEncoder().encode("deep")), ...wrap(2, nested)]));
    const exported = wrap(1, wrap(2, wrap(2, Uint8Array.from([...spanBytes, ...attribute]))));
    const read = readTraceExport(exported);
    const { events } = mapSpan(read.resourceSpans[0]!.scopeSpans[0]!.spans[0]!, {
      resource: undefined,
      scope: undefined,
    });
    expect(JSON.stringify(events[0]!.context)).toContain("[nested too deep]");
    expect(validateEvents(events).rejected).toEqual([]);
  });
});

describe("OTLP JSON reading", () => {
  it("reads OTLP JSON into exactly the spans the same exports' binary form gives the mapper", () => {
    // Every captured export, as protobuf-es decodes its binary form and as OTLP JSON (hex ids, enums by name).
    const toHex = (b64: string) => [...atob(b64)].map((ch) => ch.charCodeAt(0).toString(16).padStart(2, "0")).join("");
    const captured = [otlpProto, otlpJson, vercelLegacy, vercelSemconv, langfuse, openinference].flatMap(
      (c: Captured) =>
        c.map((r) =>
          r.contentType.includes("json")
            ? fromJson(ExportTraceServiceRequestSchema, protoJson(r.body))
            : fromBinary(
                ExportTraceServiceRequestSchema,
                Uint8Array.from(atob(r.body), (ch) => ch.charCodeAt(0)),
              ),
        ),
    );
    expect(captured.length).toBeGreaterThan(3);
    for (const decoded of captured) {
      const json = JSON.parse(JSON.stringify(toJson(ExportTraceServiceRequestSchema, decoded)), (key, value) =>
        ["traceId", "spanId", "parentSpanId"].includes(key) ? toHex(value) : value,
      );
      const { request, undecodable } = readTraceJson(json);
      expect(undecodable).toEqual([]);
      expect(request).toEqual({
        resourceSpans: decoded.resourceSpans.map((rs) => ({
          resource: resourceScope(rs.resource),
          scopeSpans: rs.scopeSpans.map((ss) => ({
            scope: instrumentationScope(ss.scope),
            spans: ss.spans.map(spanIn),
          })),
        })),
      });
    }
  });

  it("accepts int64 as strings or numbers, and reports a span it cannot read without losing the others", () => {
    const spanJson = (name: string, start: unknown) => ({
      traceId: "0102030405060708090a0b0c0d0e0f10",
      spanId: "0102030405060708",
      name,
      startTimeUnixNano: start,
      endTimeUnixNano: "1764000000001000000",
      attributes: [
        { key: "n", value: { intValue: 7 } },
        { key: "s", value: { intValue: "9007199254740993" } },
      ],
    });
    const { request, undecodable } = readTraceJson({
      resourceSpans: [
        {
          scopeSpans: [
            { spans: [spanJson("a", "1764000000000000000"), spanJson("b", 1764000000000000), spanJson("c", "soon")] },
          ],
        },
      ],
    });
    const spans = request.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans.map((x) => [x.name, x.startTimeUnixNano])).toEqual([
      ["a", 1_764_000_000_000_000_000n],
      ["b", 1_764_000_000_000_000n],
    ]);
    expect(undecodable).toEqual([expect.stringContaining('span "c": startTimeUnixNano is not an integer')]);
    const { events } = mapSpan(spans[0]!, { resource: undefined, scope: undefined });
    expect((events[0]!.context as { metadata: Record<string, unknown> }).metadata).toEqual({
      n: 7,
      s: "9007199254740993",
    });
  });
});

describe("OTLP mapping rules", () => {
  it("reads ids of any length in linear time: a 1 MB parent id is refused by validation, not a crash", () => {
    const span = create(SpanSchema, {
      traceId: new Uint8Array(16).fill(1),
      spanId: new Uint8Array(8).fill(2),
      parentSpanId: new Uint8Array(1_000_000).fill(0xab),
      name: "hostile parent",
    });
    const { events, problem } = mapSpan(span, { resource: undefined, scope: undefined });
    expect(problem).toBeUndefined();
    expect(events[0]!.parent_event_id).toHaveLength(2_000_000);
    expect(validateEvents(events).rejected).toEqual([expect.objectContaining({ code: "invalid_event" })]);
    const long = mapSpan({ ...span, traceId: new Uint8Array(1_000_000) }, { resource: undefined, scope: undefined });
    expect(long.problem).toMatch(/traceId must be 16 bytes/);
  });

  it("converts nanoseconds with integer math (no float rounding of the nanosecond digits)", () => {
    expect(nanosToMs(1_764_000_000_123_456_789n)).toBe(1_764_000_000_123.456);
    expect(nanosToMs(1_764_000_000_000_000_999n)).toBe(1_764_000_000_000);
  });

  it("normalizes provider names to the price table's", () => {
    expect(
      [
        "openai.chat",
        "OpenAI",
        "azure.ai.openai",
        "aws.bedrock",
        "gcp.vertex_ai",
        "anthropic.messages",
        "mistral_ai",
        "x_ai",
        undefined,
      ].map(normalizeProvider),
    ).toEqual(["openai", "openai", "azure", "aws", "google", "anthropic", "mistral", "x-ai", null]);
  });

  it.each<
    [string, Record<string, unknown>, Array<{ name: string; attrs: Record<string, unknown> }>, Partial<WireEvent>]
  >([
    [
      "OpenLLMetry: gen_ai.system, prompt/completion_tokens, indexed gen_ai.prompt.N.*",
      {
        "gen_ai.system": "Anthropic",
        "gen_ai.request.model": "claude-3-5-sonnet",
        "gen_ai.operation.name": "chat",
        "gen_ai.usage.prompt_tokens": 10,
        "gen_ai.usage.completion_tokens": 2,
        "gen_ai.usage.cache_read_input_tokens": 4,
        "gen_ai.usage.cache_creation_input_tokens": 3,
        "gen_ai.prompt.0.role": "user",
        "gen_ai.prompt.0.content": "hi",
        "gen_ai.completion.0.role": "assistant",
        "gen_ai.completion.0.content": "hello",
      },
      [],
      {
        type: "model_response",
        provider: "anthropic",
        model: "claude-3-5-sonnet",
        usage: { input_tokens: 10, output_tokens: 2, cached_input_tokens: 4, cache_write_tokens: 3 },
        body: { input: [{ role: "user", content: "hi" }], output: [{ role: "assistant", content: "hello" }] },
      },
    ],
    [
      "gen_ai.content.prompt/completion span events (1.2x)",
      {
        "gen_ai.operation.name": "text_completion",
        "gen_ai.request.model": "gpt-3.5-turbo-instruct",
        "gen_ai.usage.cost": 0.5,
      },
      [
        { name: "gen_ai.content.prompt", attrs: { "gen_ai.prompt": '[{"role":"user","content":"hi"}]' } },
        { name: "gen_ai.content.completion", attrs: { "gen_ai.completion": "hello" } },
      ],
      { type: "model_response", cost_usd: 0.5, body: { input: [{ role: "user", content: "hi" }], output: "hello" } },
    ],
    [
      "per-message events and gen_ai.conversation.id",
      { "gen_ai.operation.name": "generate_content", "gen_ai.conversation.id": "conv-1", "enduser.id": "u-9" },
      [
        { name: "gen_ai.user.message", attrs: { content: "hi" } },
        { name: "gen_ai.choice", attrs: { index: 0, message: '{"content":"yo"}' } },
      ],
      {
        type: "model_response",
        context: expect.objectContaining({ session_id: "conv-1", user_id: "u-9" }),
        body: {
          input: [{ role: "user", content: "hi" }],
          output: [{ role: "assistant", index: 0, message: '{"content":"yo"}' }],
        },
      },
    ],
    [
      "Vercel ai 4.x usage names and ai.telemetry.metadata.*",
      {
        "ai.operationId": "ai.generateText.doGenerate",
        "ai.model.id": "gpt-4o",
        "ai.model.provider": "openai.responses",
        "ai.usage.promptTokens": 7,
        "ai.usage.completionTokens": 3,
        "ai.telemetry.metadata.userId": "u-1",
        "ai.telemetry.metadata.sessionId": "s-1",
      },
      [],
      {
        type: "model_response",
        provider: "openai",
        usage: { input_tokens: 7, output_tokens: 3 },
        context: expect.objectContaining({ user_id: "u-1", session_id: "s-1" }),
      },
    ],
    [
      "OpenInference cache details, cost and tags",
      {
        "openinference.span.kind": "LLM",
        "llm.model_name": "gpt-4o",
        "llm.provider": "openai",
        "llm.token_count.prompt": 100,
        "llm.token_count.completion": 5,
        "llm.token_count.prompt_details.cache_read": 60,
        "llm.token_count.prompt_details.cache_write": 20,
        "llm.cost.total": 0.01,
        "tag.tags": ["a", "b"],
        metadata: '{"team":"x"}',
      },
      [],
      {
        type: "model_response",
        usage: { input_tokens: 100, output_tokens: 5, cached_input_tokens: 60, cache_write_tokens: 20 },
        cost_usd: 0.01,
        context: expect.objectContaining({ tags: ["a", "b"], metadata: expect.objectContaining({ team: "x" }) }),
      },
    ],
    [
      "Langfuse cached usage keys (its `input` excludes them) and cost details without a total",
      {
        "langfuse.observation.type": "generation",
        "langfuse.observation.usage_details": '{"input":40,"input_cached_tokens":60,"output":5}',
        "langfuse.observation.cost_details": '{"input":0.001,"output":0.002}',
      },
      [],
      {
        type: "model_response",
        usage: { input_tokens: 100, output_tokens: 5, cached_input_tokens: 60 },
        cost_usd: 0.003,
      },
    ],
    [
      "OpenInference TOOL spans and Langfuse agent spans",
      { "openinference.span.kind": "TOOL", "tool.name": "search", "input.value": '{"q":"x"}', "output.value": "found" },
      [],
      { type: "tool_call", body: { input: { q: "x" }, output: "found" } },
    ],
    [
      "Langfuse's completion start time (first token), environment and release",
      {
        "langfuse.observation.type": "generation",
        "langfuse.observation.model.name": "gpt-4o",
        "langfuse.observation.completion_start_time": JSON.stringify(new Date(1_764_000_000_120).toISOString()),
        "langfuse.environment": "staging",
        "langfuse.release": "v3",
      },
      [],
      {
        type: "model_response",
        first_token_ms: 120,
        context: expect.objectContaining({ environment: "staging", release: "v3" }),
      },
    ],
    [
      "gen_ai's time to first token (seconds)",
      { "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.server.time_to_first_token": 0.25 },
      [],
      { type: "model_response", first_token_ms: 250 },
    ],
  ])("maps %s", (_, attrs, events, expected) => {
    const toKv = (record: Record<string, unknown>) =>
      Object.entries(record).map(([key, v]) => ({
        key,
        value: {
          value: Array.isArray(v)
            ? {
                case: "arrayValue" as const,
                value: { values: v.map((s) => ({ value: { case: "stringValue" as const, value: String(s) } })) },
              }
            : typeof v === "number"
              ? Number.isInteger(v)
                ? { case: "intValue" as const, value: BigInt(v) }
                : { case: "doubleValue" as const, value: v }
              : { case: "stringValue" as const, value: String(v) },
        },
      }));
    const span = create(SpanSchema, {
      traceId: new Uint8Array(16).fill(1),
      spanId: new Uint8Array(8).fill(2),
      name: "call",
      startTimeUnixNano: 1_764_000_000_000_000_000n,
      endTimeUnixNano: 1_764_000_000_250_000_000n,
      attributes: toKv(attrs),
      events: events.map((e) => ({
        name: e.name,
        timeUnixNano: 1_764_000_000_100_000_000n,
        attributes: toKv(e.attrs),
      })),
    });
    const { events: mapped } = mapSpan(span, { resource: undefined, scope: undefined });
    expect(mapped).toHaveLength(1);
    expect(mapped[0]).toMatchObject({ ...expected, timestamp: 1_764_000_000_000, duration_ms: 250 });
    expect(validateEvents(mapped).rejected).toEqual([]);
  });
});
