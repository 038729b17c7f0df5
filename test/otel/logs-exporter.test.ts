// The real OTel logs SDK and its OTLP/HTTP exporters (JSON and protobuf, gzip) against the Worker under `wrangler dev`:
// records emitted inside a span become that span's log events, `gen_ai.evaluation.result` records become scores, and
// a record outside any span comes back to the exporter as a partial success.
import { context, type DiagLogger, DiagLogLevel, diag, trace } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtoLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, inject, it } from "vitest";

const { base, ingestKey, secretKey } = inject("otel");

type TreeEvent = { event_id: string; parent_event_id: string | null; type: string; name: string; status: string };
type Score = { name: string; value: unknown; event_id: string | null; source: string; comment: string | null };

/** Polls an API path (secret key) until `done` accepts its JSON, with a deadline. */
async function poll<T>(path: string, done: (body: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${secretKey}` } });
    const body = res.status === 200 ? ((await res.json()) as T) : undefined;
    if (body && done(body)) return body;
    if (Date.now() > deadline) throw new Error(`${path}: ${JSON.stringify(body)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Captures the exporters' diag warnings (where OTLP exporters report a partial success). */
const warnings: string[] = [];
const capture: DiagLogger = {
  error: () => {},
  warn: (...args: unknown[]) => void warnings.push(args.map(String).join(" ")),
  info: () => {},
  debug: () => {},
  verbose: () => {},
};
afterEach(() => {
  diag.disable();
  warnings.length = 0;
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
});

describe("the OTel logs SDK's OTLP exporters", () => {
  for (const encoding of ["json", "protobuf"] as const) {
    const pkg = `@opentelemetry/exporter-logs-otlp-${encoding === "json" ? "http" : "proto"}`;
    it(`${pkg} (gzip): a span's logs and evaluations, and a record outside any span`, async () => {
      diag.setLogger(capture, DiagLogLevel.WARN);
      const key = encoding === "json" ? ingestKey : secretKey;
      const headers = { Authorization: `Bearer ${key}` };
      // JSON by an explicit url; protobuf by the base users set, to which the exporter appends /v1/logs.
      if (encoding === "protobuf") process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `${base}/api/v1/otel`;
      const options = { headers, compression: "gzip" as never };
      const logExporter =
        encoding === "json"
          ? new JsonLogExporter({ ...options, url: `${base}/api/v1/otel/v1/logs` })
          : new ProtoLogExporter(options);
      const resource = resourceFromAttributes({ "service.name": `logs-${encoding}` });
      const loggers = new LoggerProvider({
        resource,
        processors: [new BatchLogRecordProcessor({ exporter: logExporter })],
      });
      const tracers = new BasicTracerProvider({
        resource,
        spanProcessors: [
          new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/api/v1/otel/v1/traces`, headers })),
        ],
      });
      const logger = loggers.getLogger("app");
      const span = tracers.getTracer("app").startSpan(`answer-${encoding}`);
      const inSpan = trace.setSpan(context.active(), span);
      logger.emit({
        context: inSpan,
        severityNumber: SeverityNumber.WARN,
        severityText: "WARN",
        body: "retrieval slow",
        attributes: { "retrieval.ms": 1200 },
      });
      logger.emit({
        context: inSpan,
        severityNumber: SeverityNumber.ERROR,
        severityText: "ERROR",
        body: "tool failed",
      });
      logger.emit({
        context: inSpan,
        eventName: "gen_ai.evaluation.result",
        attributes: {
          "gen_ai.evaluation.name": "relevance",
          "gen_ai.evaluation.score.value": 0.9,
          "gen_ai.evaluation.explanation": "answers the question",
        },
      });
      logger.emit({ severityNumber: SeverityNumber.INFO, body: "started, outside any span" });
      span.end();
      await tracers.shutdown();
      await loggers.shutdown();

      const { traceId, spanId } = span.spanContext();
      const tree = await poll<{ events: TreeEvent[] }>(`/api/v1/traces/${traceId}`, (t) => t.events.length >= 3);
      expect(tree.events.map((e) => [e.parent_event_id, e.type, e.name, e.status]).sort()).toEqual([
        [null, "span", `answer-${encoding}`, "ok"],
        [spanId, "log", "retrieval slow", "ok"],
        [spanId, "log", "tool failed", "error"],
      ]);
      const slow = tree.events.find((e) => e.name === "retrieval slow")!;
      const detail = await poll<{ event: { body: unknown; context: { metadata: Record<string, unknown> } } }>(
        `/api/v1/traces/${traceId}/events/${encodeURIComponent(slow.event_id)}`,
        () => true,
      );
      expect(detail.event.body).toEqual({ message: "retrieval slow", level: "warn" });
      expect(detail.event.context.metadata).toMatchObject({ "retrieval.ms": 1200 });

      const { scores } = await poll<{ scores: Score[] }>(
        `/api/v1/scores?trace_id=${traceId}`,
        (s) => s.scores.length > 0,
      );
      expect(scores).toEqual([
        expect.objectContaining({
          name: "relevance",
          value: 0.9,
          event_id: spanId,
          comment: "answers the question",
          // The browser-safe ingest key's evaluations count as the SDK's.
          source: encoding === "json" ? "sdk" : "eval",
        }),
      ]);
      // The exporter read our ExportLogsServiceResponse: one record rejected, and why.
      expect(warnings.join("\n")).toMatch(/Partial Success.*"rejectedLogRecords":"?1"?.*no traceId/);
    });
  }
});
