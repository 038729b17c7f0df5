// Decodes OTLP/HTTP trace and log exports: binary traces with the hand-written reader (protobuf.ts), binary logs with
// the code generated from src/otel/proto; OTLP JSON with JSON.parse, then traces straight into the spans the mapper
// reads (`readTraceJson`) and logs into the generated types (`fromOtlpLogsJson`).
import { fromBinary } from "@bufbuild/protobuf";
import { ApiError } from "../lib/errors.ts";
import {
  type ExportLogsServiceRequest,
  ExportLogsServiceRequestSchema,
} from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import type { ExportTraceServiceRequest } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { parseInPieces } from "./json-pieces.ts";
import type { ExportIn } from "./map.ts";
import { readTraceJson } from "./otlp-json.ts";
import { fromOtlpLogsJson } from "./otlp-json-logs.ts";
import { readTraceExport } from "./protobuf.ts";

export type Encoding = "protobuf" | "json";

/** A decoded export, plus the spans that could not be decoded on their own (JSON only; each with its reason). */
export type Decoded = { request: ExportTraceServiceRequest | ExportIn; undecodable: string[] };

/** The export's encoding from its Content-Type; 415 `unsupported_media_type` for anything but protobuf or JSON. */
export function encodingOf(contentType: string | undefined): Encoding {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json") return "json";
  throw new ApiError("unsupported_media_type", "Send OTLP as application/x-protobuf or application/json.", {
    supported: ["application/x-protobuf", "application/json"],
  });
}

/** The body as a JSON object (its `items` arrays parsed in pieces when it is large), or a 400 naming what was expected. */
function jsonObject(bytes: Uint8Array, expected: string, items: "spans" | "logRecords"): Record<string, unknown> {
  let json: unknown;
  try {
    json = parseInPieces(bytes, items) ?? JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ApiError("invalid_json", "The body is not valid JSON.", String(err));
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ApiError("invalid_body", `The body is not an OTLP JSON ${expected}.`);
  }
  return json as Record<string, unknown>;
}

export function decodeExport(bytes: Uint8Array, encoding: Encoding): Decoded {
  if (encoding === "protobuf") {
    try {
      return { request: readTraceExport(bytes), undecodable: [] };
    } catch (err) {
      throw new ApiError("invalid_body", "The body is not a protobuf ExportTraceServiceRequest.", String(err));
    }
  }
  return readTraceJson(jsonObject(bytes, "ExportTraceServiceRequest", "spans"));
}

/** A decoded log export, plus the records that could not be decoded on their own (JSON only; each with its reason). */
export type DecodedLogs = { request: ExportLogsServiceRequest; undecodable: string[] };

export function decodeLogsExport(bytes: Uint8Array, encoding: Encoding): DecodedLogs {
  if (encoding === "protobuf") {
    try {
      return { request: fromBinary(ExportLogsServiceRequestSchema, bytes), undecodable: [] };
    } catch (err) {
      throw new ApiError("invalid_body", "The body is not a protobuf ExportLogsServiceRequest.", String(err));
    }
  }
  return fromOtlpLogsJson(jsonObject(bytes, "ExportLogsServiceRequest", "logRecords"));
}
