// POST /api/v1/otel/v1/traces and /api/public/otel/v1/traces inside workerd with the real local Queue and D1:
// encodings, auth, OTLP error bodies, partial success, limits, and that the server keeps serving after bad input.

import { SELF } from "cloudflare:test";
import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../contract/limits.ts";
import { ApiError } from "../../src/lib/errors.ts";
import { BadRequestSchema, RetryInfoSchema } from "../../src/otel/gen/google/rpc/error_details_pb.ts";
import { StatusSchema } from "../../src/otel/gen/google/rpc/status_pb.ts";
import { ExportTraceServiceResponseSchema } from "../../src/otel/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { statusResponse } from "../../src/otel/respond.ts";
import otlpProto from "../otel/fixtures/otlp-proto.json";
import { createProject, gzip, read, storedEvents, waitFor } from "./fixtures.ts";

const URL_V1 = "https://watchllm.test/api/v1/otel/v1/traces";
const URL_LANGFUSE = "https://watchllm.test/api/public/otel/v1/traces";
const T0 = 1_764_000_000_000_000_000n;

let counter = 0;
const hexId = (bytes: number) => {
  counter += 1;
  return (counter.toString(16).padStart(8, "0") + "ab".repeat(bytes)).slice(0, bytes * 2);
};

type JsonSpan = Record<string, unknown>;
function span(traceId: string, overrides: JsonSpan = {}): JsonSpan {
  return {
    traceId,
    spanId: hexId(8),
    name: "step",
    kind: 1,
    startTimeUnixNano: String(T0),
    endTimeUnixNano: String(T0 + 5_000_000n),
    attributes: [{ key: "k", value: { stringValue: "v" } }],
    ...overrides,
  };
}
const exportOf = (spans: JsonSpan[]) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "route-test" } }] },
      scopeSpans: [{ scope: { name: "t" }, spans }],
    },
  ],
});

function post(url: string, body: string | Uint8Array, headers: Record<string, string>) {
  return SELF.fetch(url, { method: "POST", headers, body: body as BodyInit });
}
const postJson = (body: unknown, key: string | null, url = URL_V1, extra: Record<string, string> = {}) =>
  post(url, typeof body === "string" ? body : JSON.stringify(body), {
    "Content-Type": "application/json",
    ...(key && { Authorization: `Bearer ${key}` }),
    ...extra,
  });

const protoFixture = () => otlpProto.map((r) => Uint8Array.from(atob(r.body), (ch) => ch.charCodeAt(0)));
const eventsOfTrace = async (projectId: string, traceId: string) =>
  (await storedEvents(projectId)).filter((e) => e.trace_id === traceId);

describe("OTLP/HTTP traces route", () => {
  it("takes the protobuf exporter's gzip exports and answers an ExportTraceServiceResponse in protobuf", async () => {
    const p = await createProject();
    for (const bytes of protoFixture()) {
      const gz = new Uint8Array(
        await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
      );
      const ok = await post(URL_V1, gz, {
        "Content-Type": "application/x-protobuf",
        "Content-Encoding": "gzip",
        Authorization: `Bearer ${p.ingestKey}`,
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("Content-Type")).toBe("application/x-protobuf");
      const answer = fromBinary(ExportTraceServiceResponseSchema, new Uint8Array(await ok.arrayBuffer()));
      expect(answer.partialSuccess).toBeUndefined();
    }
    const rows = await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 6,
    );
    const traceId = rows[0]!.trace_id as string;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const { body } = await read(`/api/v1/traces/${traceId}`, p.secretKey);
    // Siblings that started within the same millisecond have no fixed order: compare parent → child edges.
    const names = Object.fromEntries(body.events.map((e: { event_id: string; name: string }) => [e.event_id, e.name]));
    const edges = body.events.map(
      (e: { parent_event_id: string | null; type: string; name: string }) =>
        `${names[e.parent_event_id ?? ""] ?? "-"} > ${e.type} ${e.name}`,
    );
    expect(edges.sort()).toEqual([
      "- > span support-agent",
      "chat gpt-4o-mini > log cache warm",
      "notify > error TypeError",
      "support-agent > model_response chat gpt-4o-mini",
      "support-agent > span notify",
      "support-agent > tool_call execute_tool lookup_order",
    ]);
    expect(body.trace).toMatchObject({
      user_id: "u-otel",
      session_id: "s-otel",
      input_tokens: 1200,
      output_tokens: 300,
      error_count: 2,
    });
    expect(body.trace.total_cost).toBeGreaterThan(0);
  });

  it("takes OTLP JSON with hex ids and string or number int64s, and answers {} for full success", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const root = span(traceId, { name: "root", startTimeUnixNano: Number(T0 / 1000n) * 1000 });
    const child = span(traceId, { name: "child", parentSpanId: root.spanId, status: { code: 2, message: "boom" } });
    const res = await postJson(exportOf([root, child]), p.ingestKey);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(await res.json()).toEqual({});
    const rows = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 2,
    );
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(byName.child).toMatchObject({
      parent_event_id: root.spanId,
      status: "error",
      ts: 1_764_000_000_000,
      duration_ms: 5,
    });
    expect(JSON.parse(byName.child!.body as string)).toEqual({ error: "boom" });
    expect(JSON.parse(byName.root!.context as string).metadata).toMatchObject({
      k: "v",
      "otel.resource": { "service.name": "route-test" },
      "otel.scope": { name: "t" },
    });
  });

  it("changes nothing when the same export is sent twice", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const body = exportOf([span(traceId), span(traceId)]);
    expect((await postJson(body, p.ingestKey)).status).toBe(200);
    await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 2,
    );
    expect((await postJson(body, p.ingestKey)).status).toBe(200);
    const { body: tree } = await waitFor(
      () => read(`/api/v1/traces/${traceId}`, p.secretKey),
      (r) => r.status === 200,
    );
    expect(tree.trace.span_count).toBe(2);
    expect(await eventsOfTrace(p.projectId, traceId)).toHaveLength(2);
  });

  it("serves Langfuse's path with Basic auth where either part is a WatchLLM key", async () => {
    const p = await createProject();
    for (const credentials of [`pk-lf-anything:${p.secretKey}`, `${p.ingestKey}:sk-lf-anything`]) {
      const traceId = hexId(16);
      const res = await postJson(exportOf([span(traceId)]), null, URL_LANGFUSE, {
        Authorization: `Basic ${btoa(credentials)}`,
      });
      expect(res.status).toBe(200);
      await waitFor(
        () => eventsOfTrace(p.projectId, traceId),
        (r) => r.length === 1,
      );
    }
  });

  it("answers 401 with a google.rpc.Status in the request's encoding when the key is missing or wrong", async () => {
    const noKey = await postJson(exportOf([span(hexId(16))]), null);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ code: 16, message: expect.stringContaining("missing_api_key") });
    const wrong = await post(URL_V1, protoFixture()[0]!, {
      "Content-Type": "application/x-protobuf",
      Authorization: `Basic ${btoa("pk-lf-x:sk-lf-y")}`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("Content-Type")).toBe("application/x-protobuf");
    expect(fromBinary(StatusSchema, new Uint8Array(await wrong.arrayBuffer())).message).toContain("invalid_api_key");
  });

  it("answers 415 as a google.rpc.Status in JSON for other content types, without a CSRF refusal", async () => {
    const p = await createProject();
    const res = await post(URL_V1, "hello", {
      "Content-Type": "text/plain",
      Origin: "https://evil.example",
      Authorization: `Bearer ${p.ingestKey}`,
    });
    expect(res.status).toBe(415);
    // Every OTLP failure body is a Status (the specification's "MUST"); it was our `{ error }` shape here.
    expect(res.headers.get("Content-Type")).toContain("application/json");
    expect(await res.json()).toMatchObject({
      code: 3,
      message: expect.stringMatching(/^unsupported_media_type: .*application\/x-protobuf or application\/json/),
    });
  });

  it("answers 400 with a BadRequest detail for garbage, in JSON and in protobuf", async () => {
    const p = await createProject();
    const json = await postJson("{not json", p.ingestKey);
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({
      code: 3,
      message: expect.stringContaining("invalid_json"),
      details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "body" }] }],
    });
    const proto = await post(URL_V1, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), {
      "Content-Type": "application/x-protobuf",
      Authorization: `Bearer ${p.ingestKey}`,
    });
    expect(proto.status).toBe(400);
    const decoded = fromBinary(StatusSchema, new Uint8Array(await proto.arrayBuffer()));
    expect(decoded.message).toContain("invalid_body");
    expect(fromBinary(BadRequestSchema, decoded.details[0]!.value).fieldViolations[0]?.description).toBeTruthy();
    const badGzip = await post(URL_V1, new Uint8Array([1, 2, 3]), {
      "Content-Type": "application/x-protobuf",
      "Content-Encoding": "gzip",
      Authorization: `Bearer ${p.ingestKey}`,
    });
    expect(badGzip.status).toBe(400);
  });

  it("refuses a gzip bomb with 413 after decompressing no more than the limit, and keeps serving", async () => {
    const p = await createProject();
    const bomb = await gzip("0".repeat(LIMITS.maxRequestBytes * 4));
    expect(bomb.byteLength).toBeLessThan(100_000);
    const res = await post(URL_V1, bomb, {
      "Content-Type": "application/json",
      "Content-Encoding": "gzip",
      Authorization: `Bearer ${p.ingestKey}`,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ message: expect.stringContaining("payload_too_large") });
    const traceId = hexId(16);
    expect((await postJson(exportOf([span(traceId)]), p.ingestKey)).status).toBe(200);
    await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 1,
    );
  });

  it("stores the valid spans beside invalid ones and counts the rest in partialSuccess", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const good = [span(traceId, { name: "good-1" }), span(traceId, { name: "good-2" })];
    const bad = [
      span("zz-not-hex", { name: "bad-id" }),
      span(traceId, { name: "bad-time", startTimeUnixNano: "0", endTimeUnixNano: "0" }),
      span("00000000000000000000000000000000", { name: "zero-id" }),
      span(traceId, { name: "bad-int", startTimeUnixNano: "soon" }),
    ];
    const res = await postJson(exportOf([good[0]!, ...bad, good[1]!]), p.ingestKey);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(answer.partialSuccess.rejectedSpans).toBe("4");
    expect(answer.partialSuccess.errorMessage).toMatch(/traceId must be 16 bytes/);
    expect(answer.partialSuccess.errorMessage).toMatch(/milliseconds/);
    expect(answer.partialSuccess.errorMessage).toMatch(/bad-int/);
    const rows = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 2,
    );
    expect(rows.map((r) => r.name).sort()).toEqual(["good-1", "good-2"]);
  });

  it("keeps a span with a huge attribute: metadata cut to the context limit and marked, the body truncated", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const huge = "x".repeat(1_200_000);
    const attributes = [
      { key: "huge.note", value: { stringValue: huge } },
      { key: "input.value", value: { stringValue: huge } },
      ...Array.from({ length: 300 }, (_, i) => ({ key: `extra.${i}`, value: { stringValue: "y".repeat(100) } })),
    ];
    const res = await postJson(exportOf([span(traceId, { attributes })]), p.ingestKey);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const [row] = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 1,
    );
    expect(row!.truncated).toBe(1);
    const metadata = JSON.parse(row!.context as string).metadata;
    expect(metadata["watchllm.truncated"]).toBe(true);
    expect((row!.context as string).length).toBeLessThanOrEqual(LIMITS.maxContextBytes);
    expect((row!.body as string).length).toBeLessThanOrEqual(LIMITS.maxEventBytes);
  });

  it("keeps a span with 20,000 attributes and a 100-deep attribute value, within the context limit", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    let deep: Record<string, unknown> = { stringValue: "bottom" };
    for (let i = 0; i < 100; i++) deep = { kvlistValue: { values: [{ key: `level${i}`, value: deep }] } };
    const attributes = [
      { key: "deep", value: deep },
      ...Array.from({ length: 20_000 }, (_, i) => ({ key: `attr.${i}`, value: { intValue: String(i) } })),
    ];
    const res = await postJson(exportOf([span(traceId, { attributes })]), p.ingestKey);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const [row] = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 1,
    );
    const context = String(row?.context);
    const metadata = JSON.parse(context).metadata;
    expect(metadata["watchllm.truncated"]).toBe(true);
    expect(metadata["watchllm.dropped_keys"]).toHaveLength(20);
    expect(metadata["attr.0"]).toBe(0);
    expect(context.length).toBeLessThanOrEqual(LIMITS.maxContextBytes);
  });

  it("takes 10,000 spans in one export, rejects the ones beyond, and keeps serving", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const spans = Array.from({ length: 10_001 }, (_, i) => span(traceId, { name: `s${i}`, attributes: [] }));
    const res = await postJson(exportOf(spans), p.ingestKey);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(answer.partialSuccess).toMatchObject({
      rejectedSpans: "1",
      errorMessage: expect.stringContaining("beyond 10000 per export"),
    });
    const { body } = await waitFor(
      () => read(`/api/v1/traces/${traceId}`, p.secretKey),
      (r) => r.status === 200 && r.body.trace.span_count === 10_000,
      { timeoutMs: 60_000 },
    );
    expect(body.events).toHaveLength(10_000);
    const health = await SELF.fetch("https://watchllm.test/api/health");
    expect(health.status).toBe(200);
  });

  it("answers queue trouble with 503, Retry-After and a RetryInfo", async () => {
    const res = statusResponse(
      "protobuf",
      new ApiError("queue_unavailable", "The event queue is unavailable; retry the request."),
      5,
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("5");
    const status = fromBinary(StatusSchema, new Uint8Array(await res.arrayBuffer()));
    expect(status.code).toBe(14);
    expect(fromBinary(RetryInfoSchema, status.details[0]!.value).retryDelay?.seconds).toBe(5n);
  });
});

/** Runs a hostile request and, until it answers, another tenant's trace list again and again; the slowest read. */
async function alongside(hostile: () => Promise<Response>) {
  const reader = await createProject("bystander");
  const started = Date.now();
  let done = false;
  const pending = hostile().then(async (res) => {
    const answer = { status: res.status, text: await res.text(), ms: Date.now() - started };
    done = true;
    return answer;
  });
  let readMs = 0;
  do {
    const readStarted = Date.now();
    const other = await read("/api/v1/traces", reader.secretKey);
    readMs = Math.max(readMs, Date.now() - readStarted);
    expect(other.status).toBe(200);
  } while (!done && Date.now() - started < 60_000);
  return { hostile: await pending, readMs };
}

const str = (value: string) => ({ stringValue: value });

describe("hostile OTLP exports stay cheap, and another tenant doesn't notice", () => {
  // Generous for a loaded 2-core machine (about 150 ms of CPU here): the unbounded versions took 20–50 s.
  const FAST_MS = 3_000;

  it("300 spans sharing 20,000 resource attributes (~1 MB): resource read once, kept bounded per span", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const body = {
      resourceSpans: [
        {
          resource: {
            attributes: Array.from({ length: 20_000 }, (_, i) => ({ key: `res.${i}`, value: str(`value-${i}`) })),
          },
          scopeSpans: [{ scope: { name: "t" }, spans: Array.from({ length: 300 }, () => span(traceId)) }],
        },
      ],
    };
    const text = JSON.stringify(body);
    expect(text.length).toBeGreaterThan(900_000);
    const { hostile, readMs } = await alongside(() => postJson(text, p.ingestKey));
    expect(hostile.status).toBe(200);
    expect(hostile.ms).toBeLessThan(FAST_MS);
    expect(readMs).toBeLessThan(FAST_MS);
    const rows = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 300,
    );
    const context = String(rows[0]!.context);
    expect(context.length).toBeLessThanOrEqual(LIMITS.maxContextBytes);
    expect(JSON.parse(context).metadata["otel.resource"]).toMatchObject({ "res.0": "value-0" });
  });

  it("sparse indexes (`.contents.10000.`) at every level make no holes: one item each, fast", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const attributes = [
      { key: "openinference.span.kind", value: str("LLM") },
      ...Array.from({ length: 300 }, (_, i) => ({
        key: `llm.input_messages.${i * 33}.message.contents.10000.message_content.text`,
        value: str(`m${i}`),
      })),
    ];
    const { hostile, readMs } = await alongside(() => postJson(exportOf([span(traceId, { attributes })]), p.ingestKey));
    expect(hostile.status).toBe(200);
    expect(hostile.ms).toBeLessThan(FAST_MS);
    expect(readMs).toBeLessThan(FAST_MS);
    const [row] = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 1,
    );
    const { body } = await read(`/api/v1/traces/${traceId}/events/${row!.event_id}`, p.secretKey);
    const input = body.event.body.input as Array<{ content: unknown[] }>;
    expect(input).toHaveLength(300);
    expect(input[1]!.content).toEqual([{ text: "m1" }]);
  });

  it("metadata nested 3,000 and 100,000 deep is cut, not a 500; the valid sibling span is kept", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const spans = [
      span(traceId, { name: "deep", attributes: [{ key: "metadata", value: str(nested(3_000)) }] }),
      span(traceId, { name: "deeper", attributes: [{ key: "metadata", value: str(nested(100_000)) }] }),
      span(traceId, { name: "sibling" }),
    ];
    const res = await postJson(exportOf(spans), p.ingestKey);
    expect(res.status).toBe(200);
    const rows = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 3,
    );
    expect(rows.map((r) => r.name).sort()).toEqual(["deep", "deeper", "sibling"]);
    expect(String(rows.find((r) => r.name === "deep")!.context)).toContain("[nested too deep]");
  });
});
