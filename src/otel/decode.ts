// Decodes an OTLP/HTTP trace export (binary protobuf or OTLP JSON) with the code generated from src/otel/proto.
import { fromBinary, fromJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { ApiError } from "../lib/errors.ts";
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
} from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import { type Span, SpanSchema } from "./gen/opentelemetry/proto/trace/v1/trace_pb.ts";

export type Encoding = "protobuf" | "json";

/** A decoded export, plus the spans that could not be decoded on their own (JSON only; each with its reason). */
export type Decoded = { request: ExportTraceServiceRequest; undecodable: string[] };

export function encodingOf(contentType: string | undefined): Encoding | undefined {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json") return "json";
  return undefined;
}

export function decodeExport(bytes: Uint8Array, encoding: Encoding): Decoded {
  if (encoding === "protobuf") {
    try {
      return { request: fromBinary(ExportTraceServiceRequestSchema, bytes), undecodable: [] };
    } catch (err) {
      throw new ApiError("invalid_body", "The body is not a protobuf ExportTraceServiceRequest.", String(err));
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ApiError("invalid_json", "The body is not valid JSON.", String(err));
  }
  if (!isObject(json)) throw new ApiError("invalid_body", "The body is not an OTLP JSON ExportTraceServiceRequest.");
  hexIdsToBase64(json);
  try {
    return { request: fromJson(ExportTraceServiceRequestSchema, json, { ignoreUnknownFields: true }), undecodable: [] };
  } catch {
    return decodeSpanBySpan(json);
  }
}

/** When the export as a whole does not decode, keep every span that does and report the others. */
function decodeSpanBySpan(json: JsonObject): Decoded {
  const undecodable: string[] = [];
  const resourceSpans = asArray(json.resourceSpans).map((rs) => {
    const scopeSpans = asArray(isObject(rs) ? rs.scopeSpans : undefined).map((ss) => {
      const spans: Span[] = [];
      for (const span of asArray(isObject(ss) ? ss.spans : undefined)) {
        try {
          spans.push(fromJson(SpanSchema, span, { ignoreUnknownFields: true }));
        } catch (err) {
          undecodable.push(`span ${describe(span)}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      return { ...(isObject(ss) ? ss : {}), spans: [] as JsonValue[], parsed: spans };
    });
    return { ...(isObject(rs) ? rs : {}), scopeSpans };
  });
  let request: ExportTraceServiceRequest;
  try {
    // The envelopes (resource, scope) decoded without their spans, which are put back already decoded.
    request = fromJson(
      ExportTraceServiceRequestSchema,
      {
        resourceSpans: resourceSpans.map((rs) => ({
          ...rs,
          scopeSpans: rs.scopeSpans.map(({ parsed: _, ...ss }) => ss),
        })),
      } as JsonObject,
      { ignoreUnknownFields: true },
    );
  } catch (err) {
    throw new ApiError("invalid_body", "The body is not an OTLP JSON ExportTraceServiceRequest.", String(err));
  }
  request.resourceSpans.forEach((rs, i) => {
    rs.scopeSpans.forEach((ss, j) => {
      ss.spans = resourceSpans[i]!.scopeSpans[j]!.parsed;
    });
  });
  return { request, undecodable };
}

const HEX_ID = /^(?:[0-9a-fA-F]{2})*$/;
const ID_FIELDS = ["traceId", "spanId", "parentSpanId"] as const;

/** OTLP JSON carries ids as hex, not protobuf JSON's base64: convert in place; a malformed id becomes empty. */
function hexIdsToBase64(json: JsonObject) {
  for (const rs of asArray(json.resourceSpans)) {
    for (const ss of asArray(isObject(rs) ? rs.scopeSpans : undefined)) {
      for (const span of asArray(isObject(ss) ? ss.spans : undefined)) {
        if (!isObject(span)) continue;
        convertIds(span);
        for (const link of asArray(span.links)) if (isObject(link)) convertIds(link);
      }
    }
  }
}

function convertIds(holder: JsonObject) {
  for (const field of ID_FIELDS) {
    const value = holder[field];
    if (value === undefined || value === null) continue;
    holder[field] = typeof value === "string" && HEX_ID.test(value) ? hexToBase64(value) : "";
  }
}

function hexToBase64(hex: string): string {
  let binary = "";
  for (let i = 0; i < hex.length; i += 2) binary += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

function describe(span: JsonValue): string {
  const name = isObject(span) && typeof span.name === "string" ? span.name.slice(0, 64) : "?";
  return JSON.stringify(name);
}
