// Traces and spans: each records events as they end (spans) or at once (model calls, tool calls, logs, errors).
import { newId } from "./id.ts";
import type { EventType, Usage, WireEvent, WireScore } from "./types.ts";
import { toUsage } from "./usage.ts";

export type TraceOptions = {
  name: string;
  userId?: string;
  sessionId?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  input?: unknown;
};
export type SpanOptions = { name: string; input?: unknown; metadata?: Record<string, unknown> };
export type EndOptions = { output?: unknown; status?: "ok" | "error"; metadata?: Record<string, unknown> };
export type ModelResponseOptions = {
  model: string;
  provider?: string;
  input?: unknown;
  output?: unknown;
  /** WatchLLM's shape, or any provider's usage object (OpenAI, Anthropic, Gemini), mapped for you. */
  usage?: Usage | Record<string, unknown>;
  durationMs?: number;
  /** For a streamed call: milliseconds from the request to the first streamed token. */
  firstTokenMs?: number;
  name?: string;
  costUsd?: number;
  status?: "ok" | "error";
  metadata?: Record<string, unknown>;
};
export type ToolCallOptions = {
  name: string;
  input?: unknown;
  output?: unknown;
  durationMs?: number;
  status?: "ok" | "error";
};

/** A score's value: a number, a boolean (thumbs up/down), or a categorical label. */
export type ScoreValue = WireScore["value"];
export type ScoreOptions = {
  comment?: string;
  /** The idempotency key: the same id again replaces the score (default: derived by the server). */
  scoreId?: string;
  /** Default `sdk`. */
  source?: WireScore["source"];
  /** The end user who gave it (defaults to the trace's user). */
  userId?: string;
  metadata?: Record<string, unknown>;
};

/** A score of a trace or event, in the wire format. */
export function scoreOf(
  target: { traceId: string; eventId?: string | null },
  name: string,
  value: ScoreValue,
  o: ScoreOptions = {},
  userId?: string,
): WireScore {
  const user = o.userId ?? userId;
  return {
    ...(o.scoreId && { score_id: o.scoreId }),
    trace_id: target.traceId,
    event_id: target.eventId ?? null,
    name,
    value,
    comment: o.comment,
    source: o.source ?? "sdk",
    timestamp: Date.now(),
    ...((user || o.metadata) && { context: clean({ user_id: user, metadata: o.metadata }) }),
  };
}

/** What spans share: where events and scores go and the trace's context. */
export type Recorder = {
  enqueue: (item: WireEvent | WireScore) => void;
  enabled: boolean;
  traceId: string;
  context: WireEvent["context"];
};

const idFor = (r: Recorder) => (r.enabled ? newId() : "");
/** The object without its undefined fields (built anew: `delete` would slow every later read of it), or undefined. */
const clean = (body: Record<string, unknown>) => {
  let out: Record<string, unknown> | undefined;
  for (const k in body) {
    if (body[k] === undefined) continue;
    out ??= {};
    out[k] = body[k];
  }
  return out;
};

/** A trace's root or any span inside it. */
export interface Span {
  readonly id: string;
  readonly traceId: string;
  /** A child span; call `.end()` on it (or use `.run()`). */
  span(options: SpanOptions): Span;
  /** Records this span with its duration; later calls do nothing. */
  end(options?: EndOptions): void;
  /** Runs `fn` inside this span: records its result as output, or its error (and rethrows it), then ends the span. */
  run<T>(fn: (span: Span) => T | Promise<T>): Promise<T>;
  /** Records a model call under this span. */
  modelResponse(options: ModelResponseOptions): void;
  /** Records a tool call under this span. */
  toolCall(options: ToolCallOptions): void;
  /** Records a log line under this span. */
  log(message: string, data?: unknown): void;
  /** Records an error (message, stack, type) under this span and marks the span failed. */
  error(err: unknown): void;
  /** Scores this span (on a trace's root: the whole trace), e.g. `trace.score("quality", 0.9, { comment: "…" })`. */
  score(name: string, value: ScoreValue, options?: ScoreOptions): void;
}

/** A model call's event under `parentId` (null: the call is its trace's root). */
function modelCall(r: Recorder, parentId: string | null, o: ModelResponseOptions): WireEvent {
  return {
    event_id: idFor(r),
    trace_id: r.traceId,
    parent_event_id: parentId,
    type: "model_response",
    name: o.name ?? o.model,
    timestamp: Date.now() - (o.durationMs ?? 0),
    duration_ms: o.durationMs,
    status: o.status ?? "ok",
    context: r.context,
    model: o.model,
    provider: o.provider,
    usage: toUsage(o.usage),
    cost_usd: o.costUsd,
    ...(o.firstTokenMs !== undefined && { first_token_ms: o.firstTokenMs }),
    body: clean({ input: o.input, output: o.output, metadata: o.metadata }),
  };
}

export function makeSpan(
  r: Recorder,
  parentId: string | null,
  name: string,
  input?: unknown,
  extra: Partial<WireEvent> = {},
): Span {
  const id = idFor(r);
  const started = Date.now();
  let ended = false;
  let failed = false;
  const event = (type: EventType, fields: Partial<WireEvent> & { name: string }, at = Date.now()): WireEvent => ({
    event_id: idFor(r),
    trace_id: r.traceId,
    parent_event_id: id,
    type,
    timestamp: at,
    status: "ok",
    context: r.context,
    ...fields,
  });
  const record = (e: WireEvent) => r.enabled && r.enqueue(e);
  const span: Span = {
    id,
    traceId: r.traceId,
    span: (o) => makeSpan(r, id, o.name, o.input, o.metadata ? { body: { metadata: o.metadata } } : {}),
    end(o = {}) {
      if (ended) return;
      ended = true;
      record({
        ...extra,
        event_id: id,
        trace_id: r.traceId,
        parent_event_id: parentId,
        type: "span",
        name,
        timestamp: started,
        duration_ms: Date.now() - started,
        status: o.status ?? (failed ? "error" : "ok"),
        context: { ...r.context, ...extra.context },
        body: clean({ ...extra.body, input, output: o.output, metadata: o.metadata }),
      });
    },
    async run(fn) {
      try {
        const output = await fn(span);
        span.end({ output });
        return output;
      } catch (err) {
        span.error(err);
        span.end();
        throw err;
      }
    },
    modelResponse(o) {
      record(modelCall(r, id, o));
    },
    toolCall(o) {
      record(
        event(
          "tool_call",
          {
            name: o.name,
            duration_ms: o.durationMs,
            status: o.status ?? "ok",
            body: clean({ input: o.input, output: o.output }),
          },
          Date.now() - (o.durationMs ?? 0),
        ),
      );
    },
    log(message, data) {
      record(event("log", { name: "log", body: clean({ message, data }) }));
    },
    score(scoreName, value, o) {
      if (!r.enabled) return;
      const eventId = parentId === null ? null : id;
      r.enqueue(scoreOf({ traceId: r.traceId, eventId }, scoreName, value, o, r.context?.user_id ?? undefined));
    },
    error(err) {
      failed = true;
      const e = err instanceof Error ? err : new Error(String(err));
      record(
        event("error", {
          name: e.name || "Error",
          status: "error",
          body: clean({ message: e.message, stack: e.stack, error_type: e.constructor?.name ?? e.name }),
        }),
      );
    },
  };
  return span;
}

/** A new trace: its root span carries the trace's name, user, session, tags and metadata. */
export function makeTrace(enqueue: Recorder["enqueue"], enabled: boolean, o: TraceOptions) {
  const context = enabled ? clean({ user_id: o.userId, session_id: o.sessionId }) : undefined;
  const r: Recorder = { enqueue, enabled, traceId: enabled ? newId() : "", context };
  const root = clean({ tags: o.tags, metadata: o.metadata });
  return makeSpan(r, null, o.name, o.input, root ? { context: { ...context, ...root } } : {});
}

/** A model call that is a trace of its own: the call is the trace's root. */
export function recordRootCall(enqueue: Recorder["enqueue"], enabled: boolean, o: ModelResponseOptions) {
  if (enabled) enqueue(modelCall({ enqueue, enabled, traceId: newId(), context: undefined }, null, o));
}
