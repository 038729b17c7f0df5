// OTLP/HTTP answers in the request's encoding: ExportTraceServiceResponse / ExportLogsServiceResponse on success
// (partialSuccess when spans or log records were rejected) and google.rpc.Status on failure, with BadRequest or RetryInfo details as the OTLP specification asks.
import { create, createRegistry, type DescMessage, type MessageShape, toBinary, toJson } from "@bufbuild/protobuf";
import { anyPack, DurationSchema } from "@bufbuild/protobuf/wkt";
import type { ApiError } from "../lib/errors.ts";
import type { Encoding } from "./decode.ts";
import { BadRequestSchema, RetryInfoSchema } from "./gen/google/rpc/error_details_pb.ts";
import { StatusSchema } from "./gen/google/rpc/status_pb.ts";
import { ExportLogsServiceResponseSchema } from "./gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.ts";
import { ExportTraceServiceResponseSchema } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";

const registry = createRegistry(BadRequestSchema, RetryInfoSchema);
const CONTENT_TYPE: Record<Encoding, string> = { protobuf: "application/x-protobuf", json: "application/json" };

/** gRPC status codes for the HTTP statuses we answer with (OTLP clients may record them; they act on the HTTP status). */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

function encode<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
  encoding: Encoding,
  status: number,
  headers: Record<string, string> = {},
) {
  const body =
    encoding === "protobuf" ? toBinary(schema, message) : JSON.stringify(toJson(schema, message, { registry }));
  return new Response(body, { status, headers: { "Content-Type": CONTENT_TYPE[encoding], ...headers } });
}

export function exportResponse(encoding: Encoding, rejectedSpans: number, errorMessage: string) {
  const partialSuccess =
    rejectedSpans || errorMessage ? { rejectedSpans: BigInt(rejectedSpans), errorMessage } : undefined;
  return encode(
    ExportTraceServiceResponseSchema,
    create(ExportTraceServiceResponseSchema, { partialSuccess }),
    encoding,
    200,
  );
}

export function logsExportResponse(encoding: Encoding, rejectedLogRecords: number, errorMessage: string) {
  const partialSuccess =
    rejectedLogRecords || errorMessage ? { rejectedLogRecords: BigInt(rejectedLogRecords), errorMessage } : undefined;
  return encode(
    ExportLogsServiceResponseSchema,
    create(ExportLogsServiceResponseSchema, { partialSuccess }),
    encoding,
    200,
  );
}

/**
 * A failure as google.rpc.Status: 400s carry a BadRequest; 429s and 503s (the statuses OTLP clients retry) a RetryInfo
 * and `Retry-After`, of the error's own `retry_after_seconds` when it has one.
 */
export function statusResponse(encoding: Encoding, error: ApiError, retryAfterSeconds: number) {
  const details = [];
  const headers: Record<string, string> = {};
  if (error.status === 400) {
    const description =
      typeof error.details === "string" ? error.details : JSON.stringify(error.details ?? error.message);
    details.push(
      anyPack(
        BadRequestSchema,
        create(BadRequestSchema, { fieldViolations: [{ field: "body", description: description.slice(0, 1000) }] }),
      ),
    );
  }
  if (error.status === 503 || error.status === 429) {
    const seconds =
      (error.details as { retry_after_seconds?: number } | null)?.retry_after_seconds ?? retryAfterSeconds;
    headers["Retry-After"] = String(seconds);
    details.push(
      anyPack(
        RetryInfoSchema,
        create(RetryInfoSchema, { retryDelay: create(DurationSchema, { seconds: BigInt(seconds) }) }),
      ),
    );
  }
  const status = create(StatusSchema, {
    code: GRPC_CODE[error.status] ?? 2,
    message: `${error.code}: ${error.message}`,
    details,
  });
  return encode(StatusSchema, status, encoding, error.status, headers);
}
