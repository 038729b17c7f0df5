// Exports whose stored events are pinned (test/otel/fixtures/stored-events.json): every captured library export plus
// hostile and edge-case spans, decoded, mapped and validated as the OTLP route does, so a faster path can be checked
// to store exactly what the old one stored. `npm run otel:stored` rewrites the pinned file (only when a change is meant).
import { decodeExport, type Encoding } from "../../src/otel/decode.ts";
import { mapExport } from "../../src/otel/map.ts";
import { takeSpans } from "../../src/otel/take.ts";
import langfuse from "../otel/fixtures/langfuse.json" with { type: "json" };
import openinference from "../otel/fixtures/openinference.json" with { type: "json" };
import otlpJson from "../otel/fixtures/otlp-json.json" with { type: "json" };
import otlpProto from "../otel/fixtures/otlp-proto.json" with { type: "json" };
import vercelLegacy from "../otel/fixtures/vercel-legacy.json" with { type: "json" };
import vercelSemconv from "../otel/fixtures/vercel-semconv.json" with { type: "json" };

type Captured = { contentType: string; body: string }[];
type Case = { encoding: Encoding; bodies: Uint8Array[] };

const T0 = 1_764_000_000_000_000_000n;
const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
const dbl = (key: string, value: number) => ({ key, value: { doubleValue: value } });
let n = 0;
const id = (bytes: number) => {
  n += 1;
  return (n.toString(16).padStart(8, "0") + "cd".repeat(bytes)).slice(0, bytes * 2);
};

function span(traceId: string, extra: Record<string, unknown> = {}) {
  return {
    traceId,
    spanId: id(8),
    name: "step",
    kind: 1,
    startTimeUnixNano: String(T0),
    endTimeUnixNano: String(T0 + 5_000_000n),
    attributes: [],
    ...extra,
  };
}
const chat = (traceId: string, attributes: unknown[], extra: Record<string, unknown> = {}) =>
  span(traceId, {
    name: "chat gpt-4o-mini",
    attributes: [
      str("gen_ai.operation.name", "chat"),
      str("gen_ai.provider.name", "openai"),
      str("gen_ai.request.model", "gpt-4o-mini"),
      ...attributes,
    ],
    ...extra,
  });
const nested = (depth: number): unknown => (depth === 0 ? "leaf" : { a: nested(depth - 1) });
const kvNested = (depth: number): unknown =>
  depth === 0 ? { stringValue: "leaf" } : { kvlistValue: { values: [{ key: "a", value: kvNested(depth - 1) }] } };

function hostile(): Uint8Array {
  const t = id(16);
  const parts = [{ type: "text", content: "Where is my order? ".repeat(8) }];
  const spans = [
    chat(t, [
      int("gen_ai.usage.input_tokens", 401),
      int("gen_ai.usage.output_tokens", 60),
      str("gen_ai.input.messages", JSON.stringify([{ role: "user", parts }])),
      str("gen_ai.output.messages", JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "ok" }] }])),
      str("user.id", "u-1"),
      str("session.id", "s-1"),
    ]),
    span(t, {
      name: "big metadata",
      attributes: Array.from({ length: 200 }, (_, i) => str(`app.attr.${i}`, "x".repeat(200 + i))),
    }),
    chat(t, [str("gen_ai.input.messages", JSON.stringify(nested(150)))], { name: "too deep input" }),
    span(t, { name: "deep kvlist", attributes: [{ key: "deep", value: kvNested(40) }] }),
    span("0".repeat(32), { name: "zero trace" }),
    span(t, { name: "n".repeat(300) + "\u{1F600}\uD800" }),
    span(t, {
      name: "events",
      events: [
        {
          timeUnixNano: String(T0 + 1000n),
          name: "exception",
          attributes: [str("exception.type", "TypeError"), str("exception.message", "boom"), str("x", "y")],
        },
        ...Array.from({ length: 20 }, (_, i) => ({
          timeUnixNano: String(T0 + BigInt(i)),
          name: `log ${i}`,
          attributes: [str("data", '{"i":1}')],
        })),
      ],
      status: { code: 2, message: "failed" },
    }),
    span(t, { name: "before 2000", startTimeUnixNano: "1000", endTimeUnixNano: "2000" }),
    chat(t, [int("gen_ai.usage.input_tokens", -5), dbl("gen_ai.usage.output_tokens", 1e15)], { name: "odd usage" }),
    chat(t, [dbl("gen_ai.usage.cost", 2e6), str("langfuse.observation.cost_details", '{"total":2000000}')]),
    chat(t, [str("user.id", "u".repeat(400)), str("langfuse.environment", "e".repeat(100))], { name: "long ids" }),
    span(t, {
      name: "openinference sparse",
      attributes: [
        str("openinference.span.kind", "LLM"),
        str("llm.input_messages.10000.message.role", "user"),
        str("llm.input_messages.10000.message.content", "hi"),
        str("llm.input_messages.3.message.content", "first"),
        str("llm.input_messages.__proto__.x", "no"),
      ],
    }),
    span(t, { name: "long duration", endTimeUnixNano: String(T0 + 40n * 86_400_000_000_000n) }),
    span(t, { name: "bytes", attributes: [{ key: "b", value: { bytesValue: "AAEC" } }] }),
  ];
  const dup = spans[0]!;
  spans.push({ ...dup });
  return text({
    resourceSpans: [
      {
        resource: {
          attributes: [
            str("service.name", "stored-cases"),
            str("deployment.environment.name", "x".repeat(80)),
            ...Array.from({ length: 300 }, (_, i) => str(`r.${i}`, "v".repeat(50))),
          ],
        },
        scopeSpans: [{ scope: { name: "cases", version: "1" }, spans }],
      },
    ],
  });
}

const bytesOf = (captured: Captured) =>
  captured.map((r) =>
    r.contentType.includes("json")
      ? new TextEncoder().encode(r.body)
      : Uint8Array.from(atob(r.body), (ch) => ch.charCodeAt(0)),
  );
const encodingOf = (captured: Captured): Encoding => (captured[0]!.contentType.includes("json") ? "json" : "protobuf");

export function storedCases(): Record<string, Case> {
  n = 0;
  const captured: Record<string, Captured> = {
    langfuse,
    openinference,
    otlpJson,
    otlpProto,
    vercelLegacy,
    vercelSemconv,
  };
  const cases: Record<string, Case> = {};
  for (const [name, c] of Object.entries(captured)) cases[name] = { encoding: encodingOf(c), bodies: bytesOf(c) };
  cases.hostile = { encoding: "json", bodies: [hostile()] };
  return cases;
}

/** What the OTLP route would enqueue and report for each export of a case. */
export function storedOf({ encoding, bodies }: Case) {
  return bodies.map((bytes) => {
    const { request, undecodable } = decodeExport(bytes, encoding);
    const { spans, overflow } = mapExport(request, 10_000);
    return { undecodable, overflow, ...takeSpans(spans) };
  });
}
