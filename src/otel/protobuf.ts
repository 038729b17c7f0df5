// A hand-written reader for OTLP/HTTP protobuf trace exports, into the same generated message types protobuf-es'
// `fromBinary` makes (plain objects, as `otlp-json.ts` makes them). The reflective `fromBinary` spent most of its time
// and garbage on creating messages field by field; this reads the wire format straight into the final objects.
// Hostile input: every length is checked against the bytes left (a truncated or lying message throws), values nested
// deeper than `MAX_DEPTH` are skipped (the mapper cuts them at 32 anyway), and unknown fields are skipped.
import type { ExportTraceServiceRequest } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import type { AnyValue, InstrumentationScope, KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
import type { Resource } from "./gen/opentelemetry/proto/resource/v1/resource_pb.ts";
import type {
  ResourceSpans,
  ScopeSpans,
  Span,
  Span_Event,
  Span_Link,
  Status,
} from "./gen/opentelemetry/proto/trace/v1/trace_pb.ts";

/** AnyValue nesting read; deeper values are skipped (the mapper already replaces what lies below 32 by a marker). */
const MAX_DEPTH = 40;

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;

const utf8 = new TextDecoder();

/**
 * Short ASCII strings seen lately, by a hash of their bytes: attribute keys and most names repeat in every span, and
 * handing out the same string again saves building it and, once it has keyed an object, interning it again. Bounded:
 * emptied when full (distinct hostile keys cost one clear per `RECENT_MAX` strings).
 */
const SHORT = 64;
const RECENT_MAX = 4096;
const recent = new Map<number, string>();

function sameAscii(text: string, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}
const EMPTY = new Uint8Array(0);

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  fail(what: string): never {
    throw new Error(`${what} at byte ${this.pos}`);
  }

  /** A varint up to 2^53 as a number (lengths, tags, enums, uint32); longer ones are cut to their low 53 bits. */
  varint(): number {
    const buf = this.buf;
    let result = 0;
    let shift = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= buf.length) this.fail("truncated varint");
      const byte = buf[this.pos++]!;
      if (shift < 2 ** 53) result += (byte & 0x7f) * shift;
      if (byte < 0x80) return result;
      shift *= 128;
    }
    return this.fail("varint longer than 10 bytes");
  }

  /** An int64 varint, two's complement, exact. */
  int64(): bigint {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) this.fail("truncated varint");
      const byte = this.buf[this.pos++]!;
      if (i < 4) lo |= (byte & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (byte & 0x0f) << 28;
        hi |= (byte & 0x7f) >> 4;
      } else hi |= (byte & 0x7f) << (7 * i - 32);
      if (byte < 0x80) return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
    }
    this.pos = start;
    return this.fail("varint longer than 10 bytes");
  }

  fixed32(): number {
    if (this.pos + 4 > this.buf.length) this.fail("truncated fixed32");
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  fixed64(): bigint {
    const lo = this.fixed32();
    const hi = this.fixed32();
    return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
  }

  double(): number {
    if (this.pos + 8 > this.buf.length) this.fail("truncated double");
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8);
    this.pos += 8;
    return view.getFloat64(0, true);
  }

  /** The end of a length-delimited field that starts here. */
  end(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.buf.length) this.fail("length beyond the message");
    return end;
  }

  bytes(): Uint8Array {
    const end = this.end();
    const out = this.buf.subarray(this.pos, end);
    this.pos = end;
    return out;
  }

  /**
   * UTF-8 text; short ASCII (keys, names, models) from the recent-strings cache or without TextDecoder, everything
   * else through it (invalid bytes → U+FFFD).
   */
  string(): string {
    const end = this.end();
    const buf = this.buf;
    const start = this.pos;
    this.pos = end;
    if (end - start > SHORT) return utf8.decode(buf.subarray(start, end));
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) {
      const byte = buf[i]!;
      if (byte >= 0x80) return utf8.decode(buf.subarray(start, end));
      hash = Math.imul(hash ^ byte, 0x01000193);
    }
    const known = recent.get(hash);
    if (known !== undefined && known.length === end - start && sameAscii(known, buf, start)) return known;
    const text = String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(hash, text);
    return text;
  }

  /** Skips a field of `wireType` (groups are not part of proto3 and are refused). */
  skip(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === FIXED64) this.pos += 8;
    else if (wireType === LEN) this.pos = this.end();
    else if (wireType === FIXED32) this.pos += 4;
    else this.fail(`unsupported wire type ${wireType}`);
    if (this.pos > this.buf.length) this.fail("truncated field");
  }
}

/** Reads the fields of a message ending at `end`: `read(field, wireType)` returns false for a field it does not take. */
function fields(r: Reader, end: number, read: (field: number, wireType: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 0) r.fail("field number 0");
    if (!read(field, wireType)) r.skip(wireType);
  }
  if (r.pos !== end) r.fail("field runs past its message");
}

/** The next tag of a message as `field << 3 | wireType`, checked (the hot messages read their fields with it, inline). */
function nextTag(r: Reader): number {
  const tag = r.varint();
  if (tag >>> 3 === 0) r.fail("field number 0");
  return tag;
}

/** Fails unless a message read with `nextTag` ended exactly at its end. */
function closeAt(r: Reader, end: number): void {
  if (r.pos !== end) r.fail("field runs past its message");
}

/** Fails unless a known field came with the wire type its declaration says. */
function expect(r: Reader, wireType: number, want: number): void {
  if (wireType !== want) r.fail(`wire type ${wireType} where ${want} was expected`);
}

function anyValue(r: Reader, depth: number): AnyValue {
  const end = r.end();
  const out: AnyValue = { $typeName: "opentelemetry.proto.common.v1.AnyValue", value: { case: undefined } };
  if (depth > MAX_DEPTH) {
    r.pos = end;
    return out;
  }
  while (r.pos < end) {
    const tag = nextTag(r);
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case 1:
        expect(r, wireType, LEN);
        out.value = { case: "stringValue", value: r.string() };
        break;
      case 2:
        expect(r, wireType, VARINT);
        out.value = { case: "boolValue", value: r.varint() !== 0 };
        break;
      case 3:
        expect(r, wireType, VARINT);
        out.value = { case: "intValue", value: r.int64() };
        break;
      case 4:
        expect(r, wireType, FIXED64);
        out.value = { case: "doubleValue", value: r.double() };
        break;
      case 5: {
        expect(r, wireType, LEN);
        const values: AnyValue[] = [];
        fields(r, r.end(), (f, w) => {
          if (f !== 1) return false;
          expect(r, w, LEN);
          values.push(anyValue(r, depth + 1));
          return true;
        });
        out.value = { case: "arrayValue", value: { $typeName: "opentelemetry.proto.common.v1.ArrayValue", values } };
        break;
      }
      case 6: {
        expect(r, wireType, LEN);
        const values: KeyValue[] = [];
        fields(r, r.end(), (f, w) => {
          if (f !== 1) return false;
          expect(r, w, LEN);
          values.push(keyValue(r, depth + 1));
          return true;
        });
        out.value = {
          case: "kvlistValue",
          value: { $typeName: "opentelemetry.proto.common.v1.KeyValueList", values },
        };
        break;
      }
      case 7:
        expect(r, wireType, LEN);
        out.value = { case: "bytesValue", value: r.bytes() };
        break;
      default:
        r.skip(wireType);
    }
  }
  closeAt(r, end);
  return out;
}

function keyValue(r: Reader, depth = 0): KeyValue {
  const end = r.end();
  const out: KeyValue = { $typeName: "opentelemetry.proto.common.v1.KeyValue", key: "", value: undefined };
  while (r.pos < end) {
    const tag = nextTag(r);
    const wireType = tag & 7;
    const field = tag >>> 3;
    if (field === 1) {
      expect(r, wireType, LEN);
      out.key = r.string();
    } else if (field === 2) {
      expect(r, wireType, LEN);
      out.value = anyValue(r, depth);
    } else r.skip(wireType);
  }
  closeAt(r, end);
  return out;
}

function resource(r: Reader): Resource {
  const end = r.end();
  const out: Resource = {
    $typeName: "opentelemetry.proto.resource.v1.Resource",
    attributes: [],
    droppedAttributesCount: 0,
  };
  fields(r, end, (field, wireType) => {
    if (field === 1) {
      expect(r, wireType, LEN);
      out.attributes.push(keyValue(r));
    } else if (field === 2) {
      expect(r, wireType, VARINT);
      out.droppedAttributesCount = r.varint() >>> 0;
    } else return false;
    return true;
  });
  return out;
}

function scope(r: Reader): InstrumentationScope {
  const end = r.end();
  const out: InstrumentationScope = {
    $typeName: "opentelemetry.proto.common.v1.InstrumentationScope",
    name: "",
    version: "",
    attributes: [],
    droppedAttributesCount: 0,
  };
  fields(r, end, (field, wireType) => {
    if (field === 1) {
      expect(r, wireType, LEN);
      out.name = r.string();
    } else if (field === 2) {
      expect(r, wireType, LEN);
      out.version = r.string();
    } else if (field === 3) {
      expect(r, wireType, LEN);
      out.attributes.push(keyValue(r));
    } else if (field === 4) {
      expect(r, wireType, VARINT);
      out.droppedAttributesCount = r.varint() >>> 0;
    } else return false;
    return true;
  });
  return out;
}

function event(r: Reader): Span_Event {
  const end = r.end();
  const out: Span_Event = {
    $typeName: "opentelemetry.proto.trace.v1.Span.Event",
    timeUnixNano: 0n,
    name: "",
    attributes: [],
    droppedAttributesCount: 0,
  };
  fields(r, end, (field, wireType) => {
    if (field === 1) {
      expect(r, wireType, FIXED64);
      out.timeUnixNano = r.fixed64();
    } else if (field === 2) {
      expect(r, wireType, LEN);
      out.name = r.string();
    } else if (field === 3) {
      expect(r, wireType, LEN);
      out.attributes.push(keyValue(r));
    } else if (field === 4) {
      expect(r, wireType, VARINT);
      out.droppedAttributesCount = r.varint() >>> 0;
    } else return false;
    return true;
  });
  return out;
}

function link(r: Reader): Span_Link {
  const end = r.end();
  const out: Span_Link = {
    $typeName: "opentelemetry.proto.trace.v1.Span.Link",
    traceId: EMPTY,
    spanId: EMPTY,
    traceState: "",
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
  };
  fields(r, end, (field, wireType) => {
    if (field === 1) {
      expect(r, wireType, LEN);
      out.traceId = r.bytes();
    } else if (field === 2) {
      expect(r, wireType, LEN);
      out.spanId = r.bytes();
    } else if (field === 3) {
      expect(r, wireType, LEN);
      out.traceState = r.string();
    } else if (field === 4) {
      expect(r, wireType, LEN);
      out.attributes.push(keyValue(r));
    } else if (field === 5) {
      expect(r, wireType, VARINT);
      out.droppedAttributesCount = r.varint() >>> 0;
    } else if (field === 6) {
      expect(r, wireType, FIXED32);
      out.flags = r.fixed32();
    } else return false;
    return true;
  });
  return out;
}

function status(r: Reader): Status {
  const end = r.end();
  const out: Status = { $typeName: "opentelemetry.proto.trace.v1.Status", message: "", code: 0 };
  fields(r, end, (field, wireType) => {
    if (field === 2) {
      expect(r, wireType, LEN);
      out.message = r.string();
    } else if (field === 3) {
      expect(r, wireType, VARINT);
      out.code = r.varint() | 0;
    } else return false;
    return true;
  });
  return out;
}

function span(r: Reader): Span {
  const end = r.end();
  const out: Span = {
    $typeName: "opentelemetry.proto.trace.v1.Span",
    traceId: EMPTY,
    spanId: EMPTY,
    traceState: "",
    parentSpanId: EMPTY,
    flags: 0,
    name: "",
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: undefined,
  };
  while (r.pos < end) {
    const tag = nextTag(r);
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case 1:
        expect(r, wireType, LEN);
        out.traceId = r.bytes();
        break;
      case 2:
        expect(r, wireType, LEN);
        out.spanId = r.bytes();
        break;
      case 3:
        expect(r, wireType, LEN);
        out.traceState = r.string();
        break;
      case 4:
        expect(r, wireType, LEN);
        out.parentSpanId = r.bytes();
        break;
      case 5:
        expect(r, wireType, LEN);
        out.name = r.string();
        break;
      case 6:
        expect(r, wireType, VARINT);
        out.kind = r.varint() | 0;
        break;
      case 7:
        expect(r, wireType, FIXED64);
        out.startTimeUnixNano = r.fixed64();
        break;
      case 8:
        expect(r, wireType, FIXED64);
        out.endTimeUnixNano = r.fixed64();
        break;
      case 9:
        expect(r, wireType, LEN);
        out.attributes.push(keyValue(r));
        break;
      case 10:
        expect(r, wireType, VARINT);
        out.droppedAttributesCount = r.varint() >>> 0;
        break;
      case 11:
        expect(r, wireType, LEN);
        out.events.push(event(r));
        break;
      case 12:
        expect(r, wireType, VARINT);
        out.droppedEventsCount = r.varint() >>> 0;
        break;
      case 13:
        expect(r, wireType, LEN);
        out.links.push(link(r));
        break;
      case 14:
        expect(r, wireType, VARINT);
        out.droppedLinksCount = r.varint() >>> 0;
        break;
      case 15:
        expect(r, wireType, LEN);
        out.status = status(r);
        break;
      case 16:
        expect(r, wireType, FIXED32);
        out.flags = r.fixed32();
        break;
      default:
        r.skip(wireType);
    }
  }
  closeAt(r, end);
  return out;
}

function scopeSpans(r: Reader): ScopeSpans {
  const end = r.end();
  const out: ScopeSpans = {
    $typeName: "opentelemetry.proto.trace.v1.ScopeSpans",
    scope: undefined,
    spans: [],
    schemaUrl: "",
  };
  fields(r, end, (field, wireType) => {
    if (field === 1) {
      expect(r, wireType, LEN);
      out.scope = scope(r);
    } else if (field === 2) {
      expect(r, wireType, LEN);
      out.spans.push(span(r));
    } else if (field === 3) {
      expect(r, wireType, LEN);
      out.schemaUrl = r.string();
    } else return false;
    return true;
  });
  return out;
}

function resourceSpans(r: Reader): ResourceSpans {
  const end = r.end();
  const out: ResourceSpans = {
    $typeName: "opentelemetry.proto.trace.v1.ResourceSpans",
    resource: undefined,
    scopeSpans: [],
    schemaUrl: "",
  };
  fields(r, end, (field, wireType) => {
    if (field === 1) {
      expect(r, wireType, LEN);
      out.resource = resource(r);
    } else if (field === 2) {
      expect(r, wireType, LEN);
      out.scopeSpans.push(scopeSpans(r));
    } else if (field === 3) {
      expect(r, wireType, LEN);
      out.schemaUrl = r.string();
    } else return false;
    return true;
  });
  return out;
}

/** An ExportTraceServiceRequest from its binary form; throws on malformed input (the caller answers 400). */
export function readTraceExport(bytes: Uint8Array): ExportTraceServiceRequest {
  const r = new Reader(bytes);
  const request: ExportTraceServiceRequest = {
    $typeName: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest",
    resourceSpans: [],
  };
  fields(r, bytes.length, (field, wireType) => {
    if (field !== 1) return false;
    expect(r, wireType, LEN);
    request.resourceSpans.push(resourceSpans(r));
    return true;
  });
  return request;
}
