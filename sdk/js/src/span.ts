// Traces and spans: each records events as they end (spans) or at once (model calls, tool calls, logs, errors). On the
// caller's thread an event is only stored as given; `toWire` makes it the wire format when the batch is sent.
import { eventId, traceId } from "./id.ts";
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
  return {
    score_id: o.scoreId || undefined,
    trace_id: target.traceId,
    event_id: target.eventId ?? null,
    name,
    value,
    comment: o.comment,
    source: o.source ?? "sdk",
    timestamp: Date.now(),
    context: clean({ user_id: o.userId ?? userId, metadata: o.metadata }),
  };
}

/** What spans share: where events and scores go and the trace's context. */
export type Recorder = {
  enqueue: (item: WireEvent | WireScore) => void;
  enabled: boolean;
  traceId: string;
  context: WireEvent["context"];
};

/** The object without its undefined fields (built anew: `delete` would slow every later read of it), or undefined. */
const clean = <T extends object>(body: T | null | undefined): T | undefined => {
  let out: Record<string, unknown> | undefined;
  for (const k in body) {
    const v = (body as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out ??= {};
    out[k] = v;
  }
  return out as T | undefined;
};

/** A queued event as the wire format: undefined fields of body and context dropped, usage mapped, `stamp` (environment
 * and release) under the event's own context. Run at flush time; running it twice gives the same event. */
export function toWire(e: WireEvent, stamp?: WireEvent["context"]): WireEvent {
  return {
    ...e,
    context: clean(stamp ? { ...stamp, ...e.context } : e.context),
    body: clean(e.body),
    usage: e.usage && toUsage(e.usage),
  };
}

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

/** A model call's event under `parentId` (null: the call is its trace's root); its usage is mapped by `toWire`. */
function modelCall(r: Recorder, parentId: string | null, o: ModelResponseOptions): WireEvent {
  return {
    event_id: eventId(),
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
    usage: o.usage as Usage | undefined,
    cost_usd: o.costUsd,
    first_token_ms: o.firstTokenMs,
    body: { input: o.input, output: o.output, metadata: o.metadata },
  };
}

/** A span: its methods live on the prototype (one object per span, no closures), so `span.end` needs its span. */
class TraceSpan implements Span {
  readonly id: string;
  readonly traceId: string;
  private r: Recorder;
  private parentId: string | null;
  private name: string;
  private input: unknown;
  private metadata: Record<string, unknown> | undefined;
  /** The span's own event's context (a trace's root adds tags and metadata). */
  private context: WireEvent["context"];
  private started = Date.now();
  private ended = false;
  private failed = false;

  constructor(r: Recorder, parentId: string | null, o: SpanOptions, context = r.context) {
    this.r = r;
    this.id = r.enabled ? eventId() : "";
    this.traceId = r.traceId;
    this.parentId = parentId;
    this.name = o.name;
    this.input = o.input;
    this.metadata = o.metadata;
    this.context = context;
  }

  /** Records an event under this span (nothing when the client is disabled). */
  private emit(type: EventType, name: string, body: WireEvent["body"], status: "ok" | "error" = "ok", ms?: number) {
    const now = Date.now();
    if (this.r.enabled)
      this.r.enqueue({
        event_id: eventId(),
        trace_id: this.traceId,
        parent_event_id: this.id,
        type,
        name,
        timestamp: now - (ms ?? 0),
        duration_ms: ms,
        status,
        context: this.r.context,
        body,
      });
  }

  span(o: SpanOptions): Span {
    return new TraceSpan(this.r, this.id, o);
  }

  end(o?: EndOptions) {
    if (this.ended) return;
    this.ended = true;
    if (this.r.enabled)
      this.r.enqueue({
        event_id: this.id,
        trace_id: this.traceId,
        parent_event_id: this.parentId,
        type: "span",
        name: this.name,
        timestamp: this.started,
        duration_ms: Date.now() - this.started,
        status: o?.status ?? (this.failed ? "error" : "ok"),
        context: this.context,
        body: { input: this.input, output: o?.output, metadata: o?.metadata ?? this.metadata },
      });
  }

  async run<T>(fn: (span: Span) => T | Promise<T>): Promise<T> {
    try {
      const output = await fn(this);
      this.end({ output });
      return output;
    } catch (err) {
      this.error(err);
      this.end();
      throw err;
    }
  }

  modelResponse(o: ModelResponseOptions) {
    if (this.r.enabled) this.r.enqueue(modelCall(this.r, this.id, o));
  }

  toolCall(o: ToolCallOptions) {
    this.emit("tool_call", o.name, { input: o.input, output: o.output }, o.status, o.durationMs);
  }

  log(message: string, data?: unknown) {
    this.emit("log", "log", { message, data });
  }

  score(name: string, value: ScoreValue, o?: ScoreOptions) {
    const eventId = this.parentId === null ? null : this.id;
    if (this.r.enabled)
      this.r.enqueue(scoreOf({ traceId: this.traceId, eventId }, name, value, o, this.r.context?.user_id ?? undefined));
  }

  error(err: unknown) {
    this.failed = true;
    const e = err instanceof Error ? err : new Error(String(err));
    this.emit(
      "error",
      e.name || "Error",
      { message: e.message, stack: e.stack, error_type: e.constructor?.name ?? e.name },
      "error",
    );
  }
}

/** A new trace: its root span carries the trace's name, user, session, tags and metadata. */
export function makeTrace(enqueue: Recorder["enqueue"], enabled: boolean, o: TraceOptions): Span {
  const context = enabled ? { user_id: o.userId, session_id: o.sessionId } : undefined;
  const r: Recorder = { enqueue, enabled, traceId: enabled ? traceId() : "", context };
  const root = o.tags || o.metadata ? { ...context, tags: o.tags, metadata: o.metadata } : context;
  return new TraceSpan(r, null, { name: o.name, input: o.input }, root);
}

/** A model call that is a trace of its own: the call is the trace's root. */
export function recordRootCall(enqueue: Recorder["enqueue"], enabled: boolean, o: ModelResponseOptions) {
  if (enabled) enqueue(modelCall({ enqueue, enabled, traceId: traceId(), context: undefined }, null, o));
}
