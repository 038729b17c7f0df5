// POST /api/v1/otel/v1/logs and /api/public/otel/v1/logs inside workerd with the real local Queue and D1: log records
// of a span become its `log` events, `gen_ai.evaluation.result` records become scores, records that name no span are
// counted in partialSuccess; protobuf, JSON and gzip; auth and OTLP error bodies; limits and hostile input.
import { SELF } from "cloudflare:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../contract/limits.ts";
import type { ScoreListAnswer } from "../../contract/scores.ts";
import { StatusSchema } from "../../src/otel/gen/google/rpc/status_pb.ts";
import {
  ExportLogsServiceRequestSchema,
  ExportLogsServiceResponseSchema,
} from "../../src/otel/gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { signUp } from "./account-fixtures.ts";
import { createProject, read, storedEvents, waitFor } from "./fixtures.ts";

const URL_V1 = "https://watchllm.test/api/v1/otel/v1/logs";
const URL_LANGFUSE = "https://watchllm.test/api/public/otel/v1/logs";
const T0 = 1_764_000_000_000_000_000n;

let counter = 0;
/** A fresh hex id of `bytes` bytes. */
const hexId = (bytes: number) => {
  counter += 1;
  return (counter.toString(16).padStart(8, "0") + "cd".repeat(bytes)).slice(0, bytes * 2);
};
const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));

type JsonRecord = Record<string, unknown>;
const str = (value: string) => ({ stringValue: value });
const attrs = (values: Record<string, string | number>) =>
  Object.entries(values).map(([key, v]) => ({ key, value: typeof v === "number" ? { doubleValue: v } : str(v) }));

function record(traceId: string | undefined, spanId: string | undefined, overrides: JsonRecord = {}): JsonRecord {
  return {
    timeUnixNano: String(T0),
    observedTimeUnixNano: String(T0 + 1_000n),
    severityNumber: 9,
    severityText: "INFO",
    body: str("cache warm"),
    attributes: attrs({ "cache.hits": 3 }),
    ...(traceId && { traceId }),
    ...(spanId && { spanId }),
    ...overrides,
  };
}
const logsExport = (logRecords: JsonRecord[]) => ({
  resourceLogs: [
    {
      resource: {
        attributes: [
          { key: "service.name", value: str("logs-test") },
          { key: "deployment.environment.name", value: str("staging") },
        ],
      },
      scopeLogs: [{ scope: { name: "app-logger", version: "1.0.0" }, logRecords }],
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
type JsonAnswer = { partialSuccess?: { rejectedLogRecords: string; errorMessage: string } };

const eventsOfTrace = async (projectId: string, traceId: string) =>
  (await storedEvents(projectId)).filter((e) => e.trace_id === traceId);
const scoresOf = (traceId: string, key: string, n: number) =>
  waitFor(
    async () => (await read<ScoreListAnswer>(`/api/v1/scores?trace_id=${traceId}`, key)).body.scores,
    (s) => s.length >= n,
  );

async function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe("OTLP/HTTP logs route", () => {
  it("makes a span's records its log events: severity → level, body → message, attributes → metadata", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const spanId = hexId(8);
    const res = await postJson(
      logsExport([
        record(traceId, spanId),
        record(traceId, spanId, {
          timeUnixNano: String(T0 + 2_000_000n),
          severityNumber: 17,
          severityText: "ERROR",
          body: str("upstream timed out\nretrying in 2 s"),
          attributes: [...attrs({ "http.status_code": 504, "user.id": "u-logs" })],
        }),
        record(traceId, spanId, {
          timeUnixNano: "0",
          eventName: "app.checkout",
          severityNumber: 0,
          severityText: "Notice",
          body: { kvlistValue: { values: [{ key: "cart", value: { intValue: "3" } }] } },
        }),
      ]),
      p.ingestKey,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(await res.json()).toEqual({});
    const rows = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 3,
    );
    expect(rows.every((r) => r.type === "log" && r.parent_event_id === spanId)).toBe(true);
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(["app.checkout", "cache warm", "upstream timed out"]);
    expect(byName["cache warm"]).toMatchObject({ status: "ok", ts: 1_764_000_000_000, duration_ms: 0 });
    expect(JSON.parse(byName["cache warm"]!.body as string)).toEqual({ message: "cache warm", level: "info" });
    const context = JSON.parse(byName["cache warm"]!.context as string);
    expect(context).toMatchObject({
      environment: "staging",
      metadata: {
        "cache.hits": 3,
        "otel.resource": { "service.name": "logs-test" },
        "otel.scope": { name: "app-logger", version: "1.0.0" },
        "otel.severity_text": "INFO",
      },
    });
    const failed = byName["upstream timed out"]!;
    expect(failed).toMatchObject({ status: "error", ts: 1_764_000_000_002 });
    expect(JSON.parse(failed.body as string)).toEqual({
      message: "upstream timed out\nretrying in 2 s",
      level: "error",
    });
    expect(JSON.parse(failed.context as string)).toMatchObject({
      user_id: "u-logs",
      metadata: { "http.status_code": 504 },
    });
    // No time: the observed time stands in. A structured body is the record's data; the level from its text.
    const checkout = byName["app.checkout"]!;
    expect(Math.round(Number(checkout.ts))).toBe(1_764_000_000_000);
    expect(JSON.parse(checkout.body as string)).toEqual({
      message: "app.checkout",
      level: "notice",
      data: { cart: 3 },
    });
  });

  it("counts records without a trace or span id as rejected, with the reason, and keeps the others", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const spanId = hexId(8);
    const res = await postJson(
      logsExport([
        record(undefined, undefined, { body: str("no trace") }),
        record(traceId, undefined, { body: str("no span") }),
        record(undefined, undefined, { body: str("no trace either") }),
        record("zz-not-hex", spanId, { body: str("bad trace id") }),
        record(traceId, "0000000000000000", { body: str("zero span id") }),
        record(traceId, spanId, { timeUnixNano: "soon", body: str("bad time") }),
        record(traceId, spanId, { timeUnixNano: "0", observedTimeUnixNano: "0", body: str("no time") }),
        // proto3 JSON writers send the enum's name.
        record(traceId, spanId, { body: str("kept"), severityNumber: "SEVERITY_NUMBER_ERROR2" }),
      ]),
      p.ingestKey,
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as JsonAnswer;
    expect(answer.partialSuccess?.rejectedLogRecords).toBe("7");
    const message = answer.partialSuccess!.errorMessage;
    expect(message).toContain("7 log record(s) rejected");
    expect(message).toContain("log record has no traceId, so it belongs to no trace (×2)");
    expect(message).toContain("log record has a traceId but no spanId");
    expect(message).toContain("spanId must be 8 bytes");
    expect(message).toContain("traceId is not a hex id");
    expect(message).toMatch(/timeUnixNano is not an integer/);
    const rows = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 1,
    );
    expect(rows[0]).toMatchObject({ name: "kept", status: "error" });
    expect(JSON.parse(rows[0]!.body as string)).toEqual({ message: "kept", level: "error" });
  });

  it("answers 200 with every record counted when none names a span (well-formed, just not placeable)", async () => {
    const p = await createProject();
    const res = await postJson(logsExport([record(undefined, undefined), record(undefined, undefined)]), p.secretKey);
    expect(res.status).toBe(200);
    expect(((await res.json()) as JsonAnswer).partialSuccess?.rejectedLogRecords).toBe("2");
  });

  it("changes nothing when the same export is sent twice, and keeps identical records of a span apart", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const spanId = hexId(8);
    const body = logsExport([record(traceId, spanId), record(traceId, spanId), record(traceId, spanId)]);
    for (let i = 0; i < 2; i++) {
      expect(await (await postJson(body, p.ingestKey)).json()).toEqual({});
      await waitFor(
        () => eventsOfTrace(p.projectId, traceId),
        (r) => r.length === 3,
      );
    }
    // The second export's events, had they got new ids, would be stored by now behind this later one.
    const marker = hexId(16);
    await postJson(logsExport([record(marker, spanId)]), p.ingestKey);
    await waitFor(
      () => eventsOfTrace(p.projectId, marker),
      (r) => r.length === 1,
    );
    expect(await eventsOfTrace(p.projectId, traceId)).toHaveLength(3);
  });

  it("turns gen_ai.evaluation.result records into scores of the span (eventName or event.name attribute)", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const spanId = hexId(8);
    const evaluation = (values: Record<string, string | number>, named: "eventName" | "attribute" = "eventName") =>
      record(traceId, spanId, {
        body: undefined,
        ...(named === "eventName"
          ? { eventName: "gen_ai.evaluation.result", attributes: attrs(values) }
          : { attributes: attrs({ "event.name": "gen_ai.evaluation.result", ...values }) }),
      });
    const res = await postJson(
      logsExport([
        evaluation({
          "gen_ai.evaluation.name": "relevance",
          "gen_ai.evaluation.score.value": 0.8,
          "gen_ai.evaluation.score.label": "relevant",
          "gen_ai.evaluation.explanation": "on topic",
        }),
        evaluation({ "gen_ai.evaluation.name": "toxicity", "gen_ai.evaluation.score.label": "none" }, "attribute"),
        // Of the whole trace: no span id.
        { ...evaluation({ "gen_ai.evaluation.name": "overall", "gen_ai.evaluation.score.value": 4 }), spanId: "" },
        // Unreadable (no name): stays a log line of the span.
        evaluation({ "gen_ai.evaluation.score.value": 1 }),
      ]),
      p.secretKey,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const scores = await scoresOf(traceId, p.secretKey, 3);
    expect(scores.map((s) => [s.name, s.value, s.event_id, s.source, s.comment]).sort()).toEqual([
      ["overall", 4, null, "eval", null],
      ["relevance", 0.8, spanId, "eval", "on topic"],
      ["toxicity", "none", spanId, "eval", null],
    ]);
    const rows = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 1,
    );
    expect(rows[0]).toMatchObject({ type: "log", name: "gen_ai.evaluation.result", parent_event_id: spanId });
  });

  it("scores an ingest key's evaluations as the SDK's, and rejects one outside the project's config", async () => {
    const owner = await signUp("Logs scorer");
    const put = await owner.browser.request(`/api/projects/${owner.project.id}/score-configs/quality`, {
      method: "PUT",
      json: { kind: "numeric", min: 0, max: 1 },
    });
    expect(put.status).toBeLessThan(300);
    const traceId = hexId(16);
    const spanId = hexId(8);
    const evaluation = (value: number) =>
      record(traceId, spanId, {
        eventName: "gen_ai.evaluation.result",
        attributes: attrs({ "gen_ai.evaluation.name": "quality", "gen_ai.evaluation.score.value": value }),
        timeUnixNano: String(T0 + BigInt(value) * 1_000_000n),
      });
    const res = await postJson(logsExport([evaluation(1), evaluation(7)]), owner.keys.ingest);
    const answer = (await res.json()) as JsonAnswer;
    expect(answer.partialSuccess?.rejectedLogRecords).toBe("1");
    expect(answer.partialSuccess?.errorMessage).toMatch(/evaluation quality: .*7 is above the maximum 1/);
    const [score] = await scoresOf(traceId, owner.keys.secret, 1);
    expect(score).toMatchObject({ name: "quality", value: 1, source: "sdk", author_kind: "ingest" });
  });

  it("takes protobuf, gzip or not, on Langfuse's path with Basic auth, and answers in protobuf", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const spanId = hexId(8);
    const request = create(ExportLogsServiceRequestSchema, {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: T0,
                  severityNumber: 13,
                  severityText: "WARN",
                  body: { value: { case: "stringValue", value: "slow tool" } },
                  traceId: hexBytes(traceId),
                  spanId: hexBytes(spanId),
                },
                { timeUnixNano: T0, body: { value: { case: "stringValue", value: "orphan" } } },
              ],
            },
          ],
        },
      ],
    });
    const bytes = toBinary(ExportLogsServiceRequestSchema, request);
    for (const gzip of [false, true]) {
      const res = await post(URL_LANGFUSE, gzip ? await gzipBytes(bytes) : bytes, {
        "Content-Type": "application/x-protobuf",
        ...(gzip && { "Content-Encoding": "gzip" }),
        Authorization: `Basic ${btoa(`pk-lf-anything:${p.secretKey}`)}`,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("application/x-protobuf");
      const answer = fromBinary(ExportLogsServiceResponseSchema, new Uint8Array(await res.arrayBuffer()));
      expect(answer.partialSuccess?.rejectedLogRecords).toBe(1n);
      expect(answer.partialSuccess?.errorMessage).toContain("no traceId");
    }
    const rows = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 1,
    );
    expect(rows[0]).toMatchObject({ name: "slow tool", status: "ok", parent_event_id: spanId });
    expect(JSON.parse(rows[0]!.body as string)).toMatchObject({ level: "warn" });
  });

  it("answers 401, 415 and 400 as the traces route does", async () => {
    const noKey = await postJson(logsExport([]), null);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ code: 16, message: expect.stringContaining("missing_api_key") });
    const wrong = await post(URL_V1, new Uint8Array(), {
      "Content-Type": "application/x-protobuf",
      Authorization: "Bearer wl_not_a_key",
    });
    expect(wrong.status).toBe(401);
    expect(fromBinary(StatusSchema, new Uint8Array(await wrong.arrayBuffer())).message).toContain("invalid_api_key");
    const p = await createProject();
    const text = await post(URL_V1, "hello", { "Content-Type": "text/plain", Authorization: `Bearer ${p.ingestKey}` });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 3, message: expect.stringContaining("unsupported_media_type") });
    const garbage = await postJson("{not json", p.ingestKey);
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ code: 3, message: expect.stringContaining("invalid_json") });
    const array = await postJson("[]", p.ingestKey);
    expect(array.status).toBe(400);
    expect(await array.json()).toMatchObject({ message: expect.stringContaining("ExportLogsServiceRequest") });
    const proto = await post(URL_V1, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), {
      "Content-Type": "application/x-protobuf",
      Authorization: `Bearer ${p.ingestKey}`,
    });
    expect(proto.status).toBe(400);
    expect(fromBinary(StatusSchema, new Uint8Array(await proto.arrayBuffer())).message).toContain("invalid_body");
  });

  it("writes into the key's own project only, whatever trace id the records name", async () => {
    const victim = await createProject("victim");
    const outsider = await createProject("outsider");
    const traceId = hexId(16);
    const spanId = hexId(8);
    await postJson(logsExport([record(traceId, spanId, { body: str("victim's") })]), victim.ingestKey);
    await waitFor(
      () => eventsOfTrace(victim.projectId, traceId),
      (r) => r.length === 1,
    );
    const res = await postJson(
      logsExport([
        record(traceId, spanId, { body: str("outsider's") }),
        record(traceId, spanId, {
          body: undefined,
          eventName: "gen_ai.evaluation.result",
          attributes: attrs({ "gen_ai.evaluation.name": "planted", "gen_ai.evaluation.score.value": 0 }),
        }),
      ]),
      outsider.secretKey,
    );
    expect(await res.json()).toEqual({});
    await scoresOf(traceId, outsider.secretKey, 1);
    await waitFor(
      () => eventsOfTrace(outsider.projectId, traceId),
      (r) => r.length === 1,
    );
    expect((await eventsOfTrace(victim.projectId, traceId)).map((r) => r.name)).toEqual(["victim's"]);
    expect((await read<ScoreListAnswer>(`/api/v1/scores?trace_id=${traceId}`, victim.secretKey)).body.scores).toEqual(
      [],
    );
  });
});

describe("hostile OTLP log exports stay cheap and bounded", () => {
  const FAST_MS = 3_000;

  it("takes 10,000 records in one export, rejects the ones beyond, and answers fast", async () => {
    const p = await createProject();
    const records = Array.from({ length: 10_001 }, (_, i) => record(undefined, undefined, { body: str(`r${i}`) }));
    const started = Date.now();
    const res = await postJson(logsExport(records), p.ingestKey);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(FAST_MS);
    const answer = (await res.json()) as JsonAnswer;
    expect(answer.partialSuccess?.rejectedLogRecords).toBe("10001");
    expect(answer.partialSuccess?.errorMessage).toContain("1 log record(s) beyond 10000 per export");
    expect(answer.partialSuccess?.errorMessage.length).toBeLessThan(1_000);
  });

  it("keeps a record with 20,000 attributes, a 1 MB attribute and a 100-deep body within the limits", async () => {
    const p = await createProject();
    const traceId = hexId(16);
    const spanId = hexId(8);
    let deep: Record<string, unknown> = str("bottom");
    for (let i = 0; i < 100; i++) deep = { kvlistValue: { values: [{ key: `level${i}`, value: deep }] } };
    const attributes = [
      { key: "huge", value: str("x".repeat(1_000_000)) },
      ...Array.from({ length: 20_000 }, (_, i) => ({ key: `attr.${i}`, value: { intValue: String(i) } })),
    ];
    const started = Date.now();
    const res = await postJson(logsExport([record(traceId, spanId, { attributes, body: deep })]), p.ingestKey);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(FAST_MS);
    expect(await res.json()).toEqual({});
    const [row] = await waitFor(
      () => eventsOfTrace(p.projectId, traceId),
      (r) => r.length === 1,
    );
    const context = String(row!.context);
    expect(context.length).toBeLessThanOrEqual(LIMITS.maxContextBytes);
    expect(JSON.parse(context).metadata["watchllm.truncated"]).toBe(true);
    expect(String(row!.body)).toContain("[nested too deep]");
  });
});
