// Turns decoded OTLP log records into WatchLLM wire events and scores. An evaluation result (`gen_ai.evaluation.result`)
// becomes a score of the span it names (or of the trace); any other record carrying a trace and span id becomes a `log`
// child of that span (severity → level, body → message, attributes → metadata, bounded); a record that names no span
// can't be placed and is rejected with its reason. Pure: the same export always gives the same ids.
import type { WireEventInput as WireEvent } from "../../contract/event.ts";
import { LIMITS } from "../../contract/limits.ts";
import type { WireScore } from "../../contract/scores.ts";
import { anyValue, attributes, toText } from "./attributes.ts";
import { SpanAttrs } from "./conventions/convention.ts";
import { EVALUATION_EVENT, evaluationScore } from "./evaluation.ts";
import type { ExportLogsServiceRequest } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type { LogRecord } from "./gen/opentelemetry/proto/logs/v1/logs_pb.ts";
import { OTLP_LIMITS } from "./limits.ts";
import { compact, hex, instrumentationScope, KEYS, nanosToMs, resourceScope, type Scope } from "./map.ts";
import { boundMetadata } from "./metadata.ts";

/** What one record became: a log event, a score, or the reason it was rejected. */
export type MappedLog = { event?: WireEvent; score?: WireScore; problem?: string };

/** OTel severity numbers come in six ranges of four (1–4 TRACE … 21–24 FATAL). */
const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
const ERROR_SEVERITY = 17;

/** The record's level from its severity number, else from its severity text (lower-cased). */
export function levelOf(record: Pick<LogRecord, "severityNumber" | "severityText">): string | undefined {
  const n = record.severityNumber;
  if (n >= 1 && n <= 24) return LEVELS[Math.floor((n - 1) / 4)];
  return record.severityText.trim().toLowerCase().slice(0, 32) || undefined;
}

/** cyrb53: a fast 53-bit string hash, enough to tell apart the records of one span. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** A record's id: its span (or trace) and a hash of its content, so a re-sent export names the same events. */
function recordKey(record: LogRecord, traceId: string, owner: string, body: unknown, attrs: unknown): string {
  const content = JSON.stringify([
    traceId,
    String(record.timeUnixNano),
    String(record.observedTimeUnixNano),
    record.severityNumber,
    record.severityText,
    record.eventName,
    body ?? null,
    attrs,
  ]);
  return `${owner}.log.${hash53(content)}`;
}

const idProblem = (bytes: Uint8Array, size: number, field: string) =>
  bytes.length !== size || bytes.every((b) => b === 0)
    ? `${field} must be ${size} bytes (${size * 2} hex digits), not all zero`
    : undefined;

/** Maps one record; `where` is its resource and scope. */
export function mapLogRecord(record: LogRecord, where: Scope): MappedLog {
  if (!record.traceId.length) return { problem: "log record has no traceId, so it belongs to no trace" };
  const traceProblem = idProblem(record.traceId, 16, "traceId");
  if (traceProblem) return { problem: traceProblem };
  const spanProblem = record.spanId.length ? idProblem(record.spanId, 8, "spanId") : undefined;
  if (spanProblem) return { problem: spanProblem };
  const nanos = record.timeUnixNano || record.observedTimeUnixNano;
  if (!nanos) return { problem: "log record has neither timeUnixNano nor observedTimeUnixNano" };

  const traceId = hex(record.traceId);
  const spanId = record.spanId.length ? hex(record.spanId) : null;
  const attrs = attributes(record.attributes);
  const body = anyValue(record.body);
  const id = recordKey(record, traceId, spanId ?? traceId, body, attrs);
  const timestamp = nanosToMs(nanos);

  const isEvaluation = (record.eventName || toText(attrs["event.name"])) === EVALUATION_EVENT;
  const score = isEvaluation ? evaluationScore(attrs, { scoreId: id, traceId, spanId, timestamp }) : undefined;
  if (score) return { score };
  if (!spanId) return { problem: "log record has a traceId but no spanId, so it belongs to no span" };

  const view = new SpanAttrs(attrs, record.eventName, []);
  const user = toText(view.first(KEYS.user))?.slice(0, 256);
  const session = toText(view.first(KEYS.session))?.slice(0, 256);
  const environment = where.environment?.slice(0, LIMITS.maxEnvironmentChars);
  const release = where.release?.slice(0, LIMITS.maxReleaseChars);
  const metadata = view.unused();
  if (where.resource) metadata["otel.resource"] = where.resource;
  if (where.scope) metadata["otel.scope"] = where.scope;
  if (record.severityText) metadata["otel.severity_text"] = record.severityText.slice(0, 64);
  const fixedBytes = 3 * ((user?.length ?? 0) + (session?.length ?? 0) + (environment?.length ?? 0) + 96);
  const bounded = boundMetadata(
    metadata,
    LIMITS.maxContextBytes - fixedBytes - (release?.length ?? 0) * 3 - OTLP_LIMITS.contextMarginBytes,
  );

  const message =
    typeof body === "string" ? body : typeof body === "number" || typeof body === "boolean" ? String(body) : undefined;
  const data = body !== null && typeof body === "object" ? body : undefined;
  const name = record.eventName || message?.split("\n", 1)[0] || "log";
  const event: WireEvent = {
    event_id: id,
    trace_id: traceId,
    parent_event_id: spanId,
    type: "log",
    name: name.slice(0, LIMITS.maxNameChars),
    timestamp,
    duration_ms: 0,
    status: record.severityNumber >= ERROR_SEVERITY ? "error" : "ok",
    body: compact({ message: message ?? (record.eventName || undefined), level: levelOf(record), data }) ?? null,
    context: compact({ user_id: user, session_id: session, environment, release, metadata: bounded }) ?? null,
  };
  return { event };
}

/**
 * The first `limit` records of an export, mapped in order; `overflow` counts the records beyond it. Records that
 * hash alike (the same content under the same span) get an occurrence suffix, so none is lost as a duplicate.
 */
export function mapLogsExport(
  request: ExportLogsServiceRequest,
  limit: number,
): { records: MappedLog[]; overflow: number } {
  const records: MappedLog[] = [];
  const seen = new Map<string, number>();
  let overflow = 0;
  for (const rl of request.resourceLogs) {
    const resource = resourceScope(rl.resource);
    for (const sl of rl.scopeLogs) {
      const where = { ...resource, scope: instrumentationScope(sl.scope) };
      for (const record of sl.logRecords) {
        if (records.length >= limit) {
          overflow += 1;
          continue;
        }
        const mapped = mapLogRecord(record, where);
        const key = mapped.event?.event_id ?? mapped.score?.score_id;
        const n = key ? (seen.get(key) ?? 0) : 0;
        if (key) seen.set(key, n + 1);
        if (n && mapped.event) mapped.event.event_id = `${key}.${n}`;
        if (n && mapped.score) mapped.score.score_id = `${key}.${n}`;
        records.push(mapped);
      }
    }
  }
  return { records, overflow };
}
