// Turns decoded OTLP spans into WatchLLM wire events: one event per span (ids, times, status, type, model, usage,
// input/output, context from the convention tables) plus `error` children for exception events and bounded `log`
// children for the other span events. Validation and enqueueing stay with the native ingest path.
import type { WireEventInput as WireEvent } from "../../contract/event.ts";
import { LIMITS } from "../../contract/limits.ts";
import { normalizeProvider } from "../../contract/providers.ts";
import type { WireScore } from "../../contract/scores.ts";
import { type Attributes, attributes, parseJson, toStrings, toText } from "./attributes.ts";
import {
  type Convention,
  type EventType,
  SpanAttrs,
  type SpanEventView,
  type Usage,
} from "./conventions/convention.ts";
import { genAi } from "./conventions/gen-ai.ts";
import { langfuse } from "./conventions/langfuse.ts";
import { openInference } from "./conventions/openinference.ts";
import { vercelAi } from "./conventions/vercel.ts";
import { EVALUATION_EVENT, evaluationScore } from "./evaluation.ts";
import type { ExportTraceServiceRequest } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.ts";
import type { InstrumentationScope } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";
import type { Resource } from "./gen/opentelemetry/proto/resource/v1/resource_pb.ts";
import { type Span, Status_StatusCode } from "./gen/opentelemetry/proto/trace/v1/trace_pb.ts";
import { OTLP_LIMITS } from "./limits.ts";
import { boundMetadata } from "./metadata.ts";

/** Asked in this order; for each field the first convention with an answer wins. */
export const CONVENTIONS: readonly Convention[] = [genAi, openInference, vercelAi, langfuse];
const CONSUMED_EVENTS = new Set(CONVENTIONS.flatMap((c) => c.events ?? []));
const keysOf = (field: "model" | "provider" | "user" | "session" | "tags") => CONVENTIONS.flatMap((c) => c[field]);
export const KEYS = {
  model: keysOf("model"),
  provider: keysOf("provider"),
  user: keysOf("user"),
  session: keysOf("session"),
  tags: keysOf("tags"),
};

/** The events made from one span: the span's own first, then its children. `problem` when the span can't be taken. */
export type MappedSpan = { events: WireEvent[]; scores?: WireScore[]; problem?: string };

/** A span event as the mapper reads it: its attributes as plain values. */
export type SpanEventIn = SpanEventView & { timeUnixNano: bigint };

/**
 * A span as the mapper reads it, from either encoding: ids as lowercase hex ("" when malformed), attributes as plain
 * values. OTLP JSON is read straight into it (otlp-json.ts); decoded protobuf messages are turned into it by `spanIn`.
 */
export type SpanIn = {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  status: { code: number; message: string } | undefined;
  attributes: Attributes;
  events: SpanEventIn[];
};

/** A decoded trace export as the mapper reads it: each resource's and scope's part read once, the spans plain. */
export type ExportIn = {
  resourceSpans: Array<{
    resource: Omit<Scope, "scope">;
    scopeSpans: Array<{ scope: Scope["scope"]; spans: SpanIn[] }>;
  }>;
};

const DIGITS = Array.from("0123456789abcdef", (ch) => ch.charCodeAt(0));
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const codes: number[] = [];
/**
 * Lowercase hex, built as one flat string (ids key maps and objects downstream). A long id (only hostile input has
 * one) is joined instead: `fromCharCode.apply` would run out of arguments.
 */
export function hex(bytes: Uint8Array): string {
  if (bytes.length > 64) return Array.from(bytes, (byte) => HEX[byte]).join("");
  codes.length = 2 * bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    codes[2 * i] = DIGITS[bytes[i]! >> 4]!;
    codes[2 * i + 1] = DIGITS[bytes[i]! & 15]!;
  }
  return String.fromCharCode.apply(null, codes);
}

/** A decoded protobuf span as the mapper reads it. */
export function spanIn(span: Span): SpanIn {
  return {
    traceId: hex(span.traceId),
    spanId: hex(span.spanId),
    parentSpanId: hex(span.parentSpanId),
    name: span.name,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    status: span.status && { code: span.status.code, message: span.status.message },
    attributes: attributes(span.attributes),
    events: span.events.map((e) => ({ name: e.name, attrs: attributes(e.attributes), timeUnixNano: e.timeUnixNano })),
  };
}

const ZEROS = /^0*$/;
/** Whether `id` is the hex of `bytes` bytes, not all zero. */
const validId = (id: string, bytes: number) => id.length === 2 * bytes && !ZEROS.test(id);

/** Epoch ms (µs precision) from int64 nanoseconds, with integer math so no nanosecond digits are lost to floats. */
export function nanosToMs(nanos: bigint): number {
  return Number(nanos / 1000n) / 1000;
}

/** A client-given cost (never negative). */
function costOf(view: SpanAttrs): number | undefined {
  const cost = answer((c) => c.cost(view));
  return cost !== undefined && cost >= 0 ? cost : undefined;
}

function answer<T>(read: (c: Convention) => T | undefined): T | undefined {
  for (const convention of CONVENTIONS) {
    const value = read(convention);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The first convention's usage, with cache counts filled in from the others (Vercel puts them under ai.usage.*). */
function usageOf(view: SpanAttrs): Usage | undefined {
  let usage: Usage | undefined;
  for (const convention of CONVENTIONS) {
    const found = convention.usage(view);
    if (!found) continue;
    usage ??= { ...found };
    usage.cached_input_tokens ??= found.cached_input_tokens;
    usage.cache_write_tokens ??= found.cache_write_tokens;
  }
  if (!usage) return undefined;
  const count = (n: number | undefined) => (n === undefined ? undefined : Math.min(1e12, Math.max(0, Math.round(n))));
  return {
    input_tokens: count(usage.input_tokens)!,
    output_tokens: count(usage.output_tokens)!,
    ...(usage.cached_input_tokens !== undefined && { cached_input_tokens: count(usage.cached_input_tokens) }),
    ...(usage.cache_write_tokens !== undefined && { cache_write_tokens: count(usage.cache_write_tokens) }),
  };
}

const clip = (text: string | undefined, max: number) => (text === undefined ? undefined : text.slice(0, max));

/** `value` without its undefined fields; undefined when none is left. */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> | undefined {
  let out: Partial<T> | undefined;
  for (const key in value) {
    if (value[key] !== undefined) {
      out ??= {};
      out[key] = value[key];
    }
  }
  return out;
}

/**
 * Where the span came from, as it goes into metadata (absent when empty), and the app's environment and release from
 * the resource (`deployment.environment.name`, legacy `deployment.environment`; `service.version`).
 */
export type Scope = {
  resource: Attributes | undefined;
  scope: { name?: string; version?: string } | undefined;
  environment?: string;
  release?: string;
};

const MAX_FIRST_TOKEN_MS = 30 * 86_400_000;

/** A streamed call's time to its first token: Vercel's ms, gen_ai's seconds (the client's first chunk, else the
 * server's first token), or Langfuse's completion start time. */
function firstTokenMs(view: SpanAttrs, startMs: number): number | undefined {
  const ms =
    view.number(["ai.response.msToFirstChunk", "ai.stream.msToFirstChunk"]) ??
    (view.number(["gen_ai.client.operation.time_to_first_chunk", "gen_ai.server.time_to_first_token"]) ?? Number.NaN) *
      1000;
  const start = toText(view.get("langfuse.observation.completion_start_time"))?.replaceAll('"', "");
  const value = Number.isFinite(ms) ? ms : start ? Date.parse(start) - startMs : Number.NaN;
  return Number.isFinite(value) && value >= 0 && value <= MAX_FIRST_TOKEN_MS ? value : undefined;
}

/** Maps one span. Pure: the same span always gives the same events (so a re-sent export changes nothing). */
export function mapSpan(decoded: Span | SpanIn, where: Scope): MappedSpan {
  const span = "$typeName" in decoded ? spanIn(decoded) : decoded;
  const { traceId, spanId, events } = span;
  if (!validId(traceId, 16)) return { events: [], problem: "traceId must be 16 bytes (32 hex digits), not all zero" };
  if (!validId(spanId, 8)) return { events: [], problem: "spanId must be 8 bytes (16 hex digits), not all zero" };
  const parent = span.parentSpanId || null;

  const view = new SpanAttrs(span.attributes, span.name, events);
  const type: EventType = answer((c) => c.type(view)) ?? "span";
  const modelCall = type === "model_response";

  const failed = span.status?.code === Status_StatusCode.ERROR;
  const errorMessage = failed ? span.status?.message || "status ERROR" : answer((c) => c.error?.(view));
  const input = answer((c) => c.input(view));
  const output = answer((c) => c.output(view));
  const body =
    type === "log"
      ? compact({ message: errorMessage ?? span.name, data: compact({ input, output }) })
      : compact({ input, output, error: errorMessage });

  const user = clip(toText(view.first(KEYS.user)), 256);
  const session = clip(toText(view.first(KEYS.session)), 256);
  const tags = toStrings(view.first(KEYS.tags))
    ?.slice(0, 50)
    .map((tag) => tag.slice(0, 64));
  const extra = answer((c) => c.metadata?.(view));

  // Read before the metadata is gathered, so the attributes they come from are not repeated there.
  const model = modelCall ? (clip(toText(view.first(KEYS.model)), 128) ?? null) : undefined;
  const provider = modelCall ? normalizeProvider(toText(view.first(KEYS.provider))) : undefined;
  const usage = modelCall ? (usageOf(view) ?? null) : undefined;
  const cost = modelCall ? costOf(view) : undefined;
  const start = span.startTimeUnixNano;
  const startMs = nanosToMs(start);
  const firstToken = modelCall ? firstTokenMs(view, startMs) : undefined;
  const environment = clip(toText(view.get("langfuse.environment")) ?? where.environment, LIMITS.maxEnvironmentChars);
  const release = clip(toText(view.get("langfuse.release")) ?? where.release, LIMITS.maxReleaseChars);

  const children = events.length
    ? childEvents(span, events, traceId, spanId, { user, session, environment, release })
    : NO_CHILDREN;
  const metadata: Attributes = extra ? { ...extra, ...view.unused() } : view.unused();
  if (where.resource) metadata["otel.resource"] = where.resource;
  if (where.scope) metadata["otel.scope"] = where.scope;
  if (children.dropped) metadata["otel.events_dropped"] = children.dropped;
  const fixedBytes =
    3 *
    ((user?.length ?? 0) +
      (session?.length ?? 0) +
      (environment?.length ?? 0) +
      (release?.length ?? 0) +
      (tags ? JSON.stringify(tags).length : 0) +
      96);
  const bounded = boundMetadata(metadata, LIMITS.maxContextBytes - fixedBytes - OTLP_LIMITS.contextMarginBytes);

  // One object literal with every field, so all events share a shape (the validator reads them faster).
  const event: WireEvent = {
    event_id: spanId,
    trace_id: traceId,
    parent_event_id: parent,
    type,
    name: (answer((c) => c.spanName?.(view)) || span.name || undefined)?.slice(0, 256),
    timestamp: startMs,
    duration_ms: span.endTimeUnixNano > start ? nanosToMs(span.endTimeUnixNano - start) : 0,
    status: errorMessage !== undefined ? "error" : "ok",
    body: body ?? null,
    context: { user_id: user, session_id: session, environment, release, tags, metadata: bounded },
    model,
    provider,
    usage,
    cost_usd: cost,
    first_token_ms: firstToken,
  };
  return { events: [event, ...children.events], ...(children.scores.length && { scores: children.scores }) };
}

const NO_CHILDREN: Readonly<ReturnType<typeof childEvents>> = Object.freeze({ events: [], scores: [], dropped: 0 });

/** `exception` events become `error` children; other events not read by a convention become `log` children. */
function childEvents(
  span: SpanIn,
  views: SpanEventIn[],
  traceId: string,
  spanId: string,
  who: { user?: string; session?: string; environment?: string; release?: string },
) {
  const out: WireEvent[] = [];
  const scores: WireScore[] = [];
  let dropped = 0;
  const context =
    compact({ user_id: who.user, session_id: who.session, environment: who.environment, release: who.release }) ?? null;
  views.forEach((view, index) => {
    if (CONSUMED_EVENTS.has(view.name)) return;
    if (out.length >= OTLP_LIMITS.childEventsPerSpan) {
      dropped += 1;
      return;
    }
    const base = {
      event_id: `${spanId}.${index}`,
      trace_id: traceId,
      parent_event_id: spanId,
      timestamp: nanosToMs(view.timeUnixNano || span.startTimeUnixNano),
      duration_ms: 0,
      context,
    };
    // An evaluation of the span is a score of it (one that can't be read stays a log line).
    const score =
      view.name === EVALUATION_EVENT
        ? evaluationScore(view.attrs, { scoreId: base.event_id, traceId, spanId, timestamp: base.timestamp })
        : undefined;
    if (score) scores.push(score);
    else if (view.name === "exception") {
      const {
        "exception.message": message,
        "exception.type": errorType,
        "exception.stacktrace": stack,
        ...rest
      } = view.attrs;
      const name = toText(errorType) ?? "exception";
      out.push({
        ...base,
        type: "error",
        name: name.slice(0, 256),
        status: "error",
        body: compact({ message, error_type: errorType, stack, data: compact(rest) }) ?? null,
      });
    } else {
      const data = Object.fromEntries(Object.entries(view.attrs).map(([k, v]) => [k, parseJson(v)]));
      out.push({
        ...base,
        type: "log",
        name: (view.name || "event").slice(0, 256),
        body: compact({ message: view.name, data: compact(data) }) ?? null,
      });
    }
  });
  return { events: out, scores, dropped };
}

/**
 * A resource's part of the scope, read once per resource, not per span or record: every one of them shares the same
 * bounded copy.
 */
export function resourceScope(resource: Resource | undefined): Omit<Scope, "scope"> {
  return resourceScopeOf(attributes((resource?.attributes ?? []).slice(0, OTLP_LIMITS.resourceAttributes), 0));
}

/** `resourceScope` of a resource's first `OTLP_LIMITS.resourceAttributes` attributes, as plain values. */
export function resourceScopeOf(attrs: Attributes): Omit<Scope, "scope"> {
  return {
    resource: boundMetadata(attrs, OTLP_LIMITS.resourceBytes),
    environment: toText(attrs["deployment.environment.name"] ?? attrs["deployment.environment"]),
    release: toText(attrs["service.version"]),
  };
}

export function instrumentationScope(
  scope: Pick<InstrumentationScope, "name" | "version"> | undefined,
): Scope["scope"] {
  return scope?.name ? compact({ name: scope.name, version: scope.version || undefined }) : undefined;
}

/** The first `limit` spans of an export, mapped in order; `overflow` counts the spans beyond it. */
export function mapExport(
  request: ExportTraceServiceRequest | ExportIn,
  limit: number,
): { spans: MappedSpan[]; overflow: number } {
  const spans: MappedSpan[] = [];
  let overflow = 0;
  for (const rs of request.resourceSpans) {
    const resource = "$typeName" in rs ? resourceScope(rs.resource) : rs.resource;
    for (const ss of rs.scopeSpans) {
      const where = { ...resource, scope: "$typeName" in ss ? instrumentationScope(ss.scope) : ss.scope };
      for (const span of ss.spans) {
        if (spans.length < limit) spans.push(mapSpan(span, where));
        else overflow += 1;
      }
    }
  }
  return { spans, overflow };
}
