// OTLP JSON log exports (already parsed by JSON.parse) into the generated message types, with the trace decoder's
// helpers: hex ids, int64s as strings or numbers, enums as integers or names. A record that does not fit is reported
// on its own, and the rest of the export is kept.
import type { ExportLogsServiceRequest } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type { LogRecord, ResourceLogs, ScopeLogs } from "./gen/opentelemetry/proto/logs/v1/logs_pb.ts";
import {
  anyValue,
  count,
  hexId,
  int64,
  isObject,
  type Json,
  keyValues,
  list,
  resourceOf,
  scopeOf,
  text,
} from "./otlp-json.ts";

const SEVERITY_NAMES = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/** `SEVERITY_NUMBER_WARN2` → 14, as proto3 JSON writers send the enum; OTLP JSON sends the number. */
function severityNumber(value: unknown): number {
  if (typeof value !== "string") return Math.min(count(value), 24);
  const match = /^SEVERITY_NUMBER_([A-Z]+)([234])?$/.exec(value);
  const range = match ? SEVERITY_NAMES.indexOf(match[1]!) : -1;
  return range < 0 ? 0 : range * 4 + Number(match![2] ?? 1);
}

/** An id that is absent or empty is no id; one given but not hex is refused (not taken as absent). */
function id(value: unknown, field: string): Uint8Array {
  const bytes = hexId(value);
  if (!bytes.length && value !== undefined && value !== null && value !== "") {
    throw new Error(`${field} is not a hex id: ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  return bytes;
}

function logRecord(json: Json): LogRecord {
  return {
    $typeName: "opentelemetry.proto.logs.v1.LogRecord",
    timeUnixNano: int64(json.timeUnixNano, "timeUnixNano"),
    observedTimeUnixNano: int64(json.observedTimeUnixNano, "observedTimeUnixNano"),
    severityNumber: severityNumber(json.severityNumber),
    severityText: text(json.severityText),
    body: "body" in json ? anyValue(json.body, 0) : undefined,
    attributes: keyValues(json.attributes),
    droppedAttributesCount: count(json.droppedAttributesCount),
    flags: count(json.flags),
    traceId: id(json.traceId, "traceId"),
    spanId: id(json.spanId, "spanId"),
    eventName: text(json.eventName),
  };
}

function describeRecord(json: unknown): string {
  const name = isObject(json) ? (json.eventName ?? json.severityText) : undefined;
  return JSON.stringify(typeof name === "string" ? name.slice(0, 64) : "?");
}

/** The export, with every record that could be read; `undecodable` says which could not, and why. */
export function fromOtlpLogsJson(json: Json): { request: ExportLogsServiceRequest; undecodable: string[] } {
  const undecodable: string[] = [];
  const resourceLogs = list(json.resourceLogs)
    .filter(isObject)
    .map(
      (rl): ResourceLogs => ({
        $typeName: "opentelemetry.proto.logs.v1.ResourceLogs",
        resource: resourceOf(rl.resource),
        schemaUrl: text(rl.schemaUrl),
        scopeLogs: list(rl.scopeLogs)
          .filter(isObject)
          .map((sl): ScopeLogs => {
            const logRecords: LogRecord[] = [];
            for (const item of list(sl.logRecords)) {
              try {
                if (!isObject(item)) throw new Error("not an object");
                logRecords.push(logRecord(item));
              } catch (err) {
                undecodable.push(
                  `log record ${describeRecord(item)}: ${err instanceof Error ? err.message : String(err)}`,
                );
              }
            }
            return {
              $typeName: "opentelemetry.proto.logs.v1.ScopeLogs",
              scope: scopeOf(sl.scope),
              logRecords,
              schemaUrl: text(sl.schemaUrl),
            };
          }),
      }),
    );
  return {
    request: { $typeName: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest", resourceLogs },
    undecodable,
  };
}
