// OTLP JSON (already parsed by JSON.parse): trace exports straight into the spans the mapper reads (map.ts `SpanIn`:
// plain attribute values, hex ids), with no message objects in between; log exports (otlp-json-logs.ts) into the
// generated message types with the helpers here. OTLP JSON is not plain proto3 JSON (ids are hex, not base64; enums
// are integers), and protobuf-es' reflective fromJson is ~5× slower than this. A span or record that does not fit is
// reported on its own, and the rest of the export is kept.

import { type Attributes, int64Value, MAX_DEPTH, TOO_DEEP, UNSAFE_KEYS } from "./attributes.ts";
import type { AnyValue, InstrumentationScope, KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
import type { Resource } from "./gen/opentelemetry/proto/resource/v1/resource_pb.ts";
import { OTLP_LIMITS } from "./limits.ts";
import { type ExportIn, instrumentationScope, resourceScopeOf, type SpanEventIn, type SpanIn } from "./map.ts";

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const text = (value: unknown): string => (typeof value === "string" ? value : "");
export const count = (value: unknown): number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : 0;

/** int64/fixed64 as a decimal string or a number (OTLP JSON allows both). */
export function int64(value: unknown, field: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  throw new Error(`${field} is not an integer: ${JSON.stringify(value)?.slice(0, 40)}`);
}

/** A hex digit's value by its char code; -1 for anything else. */
const NIBBLE = Array.from({ length: 128 }, (_, code) => {
  const digit = Number.parseInt(String.fromCharCode(code), 16);
  return Number.isNaN(digit) ? -1 : digit;
});
const nibble = (text: string, i: number) => NIBBLE[text.charCodeAt(i)] ?? -1;

/** A hex id as bytes; a malformed one becomes empty, which the mapper refuses with a clear reason. */
export function hexId(value: unknown): Uint8Array {
  if (typeof value !== "string" || value.length % 2) return new Uint8Array();
  const bytes = new Uint8Array(value.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const high = nibble(value, 2 * i);
    const low = nibble(value, 2 * i + 1);
    if (high < 0 || low < 0) return new Uint8Array();
    bytes[i] = high * 16 + low;
  }
  return bytes;
}

function bytes(value: unknown): Uint8Array {
  try {
    return Uint8Array.from(atob(text(value)), (ch) => ch.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}

function double(value: unknown): number {
  if (typeof value === "number") return value;
  if (value === "NaN" || value === "Infinity" || value === "-Infinity") return Number(value);
  throw new Error(`doubleValue is not a number: ${JSON.stringify(value)?.slice(0, 40)}`);
}

export function anyValue(json: unknown, depth: number): AnyValue {
  const out: AnyValue = { $typeName: "opentelemetry.proto.common.v1.AnyValue", value: { case: undefined } };
  if (!isObject(json) || depth > 32) return out;
  if ("stringValue" in json) out.value = { case: "stringValue", value: text(json.stringValue) };
  else if ("boolValue" in json) out.value = { case: "boolValue", value: json.boolValue === true };
  else if ("intValue" in json) out.value = { case: "intValue", value: int64(json.intValue, "intValue") };
  else if ("doubleValue" in json) out.value = { case: "doubleValue", value: double(json.doubleValue) };
  else if ("bytesValue" in json) out.value = { case: "bytesValue", value: bytes(json.bytesValue) };
  else if (isObject(json.arrayValue)) {
    const values = list(json.arrayValue.values).map((v) => anyValue(v, depth + 1));
    out.value = { case: "arrayValue", value: { $typeName: "opentelemetry.proto.common.v1.ArrayValue", values } };
  } else if (isObject(json.kvlistValue)) {
    const values = keyValues(json.kvlistValue.values, depth + 1);
    out.value = { case: "kvlistValue", value: { $typeName: "opentelemetry.proto.common.v1.KeyValueList", values } };
  }
  return out;
}

/**
 * Attribute keys seen lately: the same key string handed out again is interned once when it first keys an object,
 * not in every span. Bounded: emptied when full.
 */
const KEYS_MAX = 4096;
const recentKeys = new Map<string, string>();
function keyOf(value: unknown): string {
  const key = text(value);
  if (key.length > 64) return key;
  const known = recentKeys.get(key);
  if (known !== undefined) return known;
  if (recentKeys.size >= KEYS_MAX) recentKeys.clear();
  recentKeys.set(key, key);
  return key;
}

export function keyValues(json: unknown, depth = 0): KeyValue[] {
  return list(json)
    .filter(isObject)
    .map((kv) => ({
      $typeName: "opentelemetry.proto.common.v1.KeyValue" as const,
      key: keyOf(kv.key),
      value: anyValue(kv.value, depth),
    }));
}

/** OTLP JSON sends enums as integers; proto3 JSON writers send their names, which are taken too. */
const ENUM_NAMES: Record<string, number> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const enumValue = (value: unknown): number => (typeof value === "string" ? (ENUM_NAMES[value] ?? 0) : count(value));

function status(json: unknown): SpanIn["status"] {
  if (!isObject(json)) return undefined;
  return { code: enumValue(json.code), message: text(json.message) };
}

/** A hex id in lowercase, as the mapper keys it; "" when it is not hex of whole bytes (the mapper says why). */
function hexText(value: unknown): string {
  if (typeof value !== "string" || value.length % 2) return "";
  for (let i = 0; i < value.length; i++) if (nibble(value, i) < 0) return "";
  return value.toLowerCase();
}

/**
 * An AnyValue straight to the plain value `attributes.ts` makes of the decoded message (the same value, the same
 * depth marker), without building the message first.
 */
function plainValue(json: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) return TOO_DEEP;
  if (!isObject(json)) return null;
  if ("stringValue" in json) return text(json.stringValue);
  if ("boolValue" in json) return json.boolValue === true;
  if ("intValue" in json) return int64Value(int64(json.intValue, "intValue"));
  if ("doubleValue" in json) return double(json.doubleValue);
  if ("bytesValue" in json) return btoa(String.fromCharCode(...bytes(json.bytesValue)));
  if (isObject(json.arrayValue)) return list(json.arrayValue.values).map((v) => plainValue(v, depth + 1));
  if (isObject(json.kvlistValue)) return plainAttributes(json.kvlistValue.values, depth + 1);
  return null;
}

/** KeyValues as plain attributes, as `attributes(keyValues(json))` makes them (every value read, unsafe keys left out). */
function plainAttributes(json: unknown, depth = 0): Attributes {
  const out: Attributes = {};
  for (const kv of list(json)) {
    if (!isObject(kv)) continue;
    const key = keyOf(kv.key);
    const value = plainValue(kv.value, depth);
    if (!UNSAFE_KEYS.has(key)) out[key] = value;
  }
  return out;
}

function event(json: Json): SpanEventIn {
  const timeUnixNano = int64(json.timeUnixNano, "timeUnixNano");
  return { name: text(json.name), attrs: plainAttributes(json.attributes), timeUnixNano };
}

function span(json: Json): SpanIn {
  const traceId = hexText(json.traceId);
  const spanId = hexText(json.spanId);
  const parentSpanId = hexText(json.parentSpanId);
  const startTimeUnixNano = int64(json.startTimeUnixNano, "startTimeUnixNano");
  const endTimeUnixNano = int64(json.endTimeUnixNano, "endTimeUnixNano");
  const attributes = plainAttributes(json.attributes);
  const events = list(json.events).filter(isObject).map(event);
  return {
    traceId,
    spanId,
    parentSpanId,
    name: text(json.name),
    startTimeUnixNano,
    endTimeUnixNano,
    status: status(json.status),
    attributes,
    events,
  };
}

/** A resource: only what the mappers read. Its attributes repeat for every span or record, so they are budgeted. */
export function resourceOf(json: unknown): Resource {
  const resource = isObject(json) ? json : {};
  return {
    $typeName: "opentelemetry.proto.resource.v1.Resource",
    attributes: keyValues(list(resource.attributes).slice(0, OTLP_LIMITS.resourceAttributes)),
    droppedAttributesCount: count(resource.droppedAttributesCount),
  };
}

export function scopeOf(json: unknown): InstrumentationScope | undefined {
  if (!isObject(json)) return undefined;
  return {
    $typeName: "opentelemetry.proto.common.v1.InstrumentationScope",
    name: text(json.name),
    version: text(json.version),
    attributes: keyValues(json.attributes),
    droppedAttributesCount: count(json.droppedAttributesCount),
  };
}

function describe(json: unknown): string {
  return JSON.stringify(isObject(json) && typeof json.name === "string" ? json.name.slice(0, 64) : "?");
}

/**
 * The export as the mapper reads it, every span that could be read; `undecodable` says which could not, and why.
 * Each resource's part is read once; of a scope only its name and version are read (all the mapper keeps).
 */
export function readTraceJson(json: Json): { request: ExportIn; undecodable: string[] } {
  const undecodable: string[] = [];
  const resourceSpans = list(json.resourceSpans)
    .filter(isObject)
    .map((rs): ExportIn["resourceSpans"][number] => {
      const resource = isObject(rs.resource) ? rs.resource : {};
      return {
        resource: resourceScopeOf(plainAttributes(list(resource.attributes).slice(0, OTLP_LIMITS.resourceAttributes))),
        scopeSpans: list(rs.scopeSpans)
          .filter(isObject)
          .map((ss) => {
            const spans: SpanIn[] = [];
            for (const item of list(ss.spans)) {
              try {
                if (!isObject(item)) throw new Error("not an object");
                spans.push(span(item));
              } catch (err) {
                undecodable.push(`span ${describe(item)}: ${err instanceof Error ? err.message : String(err)}`);
              }
            }
            const scope = isObject(ss.scope)
              ? { name: text(ss.scope.name), version: text(ss.scope.version) }
              : undefined;
            return { scope: instrumentationScope(scope), spans };
          }),
      };
    });
  return { request: { resourceSpans }, undecodable };
}
