// Traces and spans. On the caller's thread an event is one object holding what was given (a span is queued as itself
// when it ends); its ids are a counter until asked for, and `toWire` makes it the wire format when the batch is sent.
import { idOf, traceId } from "./id.ts";
import { clean } from "./options.ts";
import type { EventType, Usage, WireEvent, WireScore } from "./types.ts";

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
  /** The API's host (e.g. `api.groq.com`): without `provider`, ingest names the provider from it, or from `model`. */
  apiHost?: string;
  input?: unknown;
  output?: unknown;
  /** WatchLLM's shape, or any provider's usage object (OpenAI, Anthropic, Gemini) as given: ingest maps it. */
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

/** A score sent later, e.g. end-user feedback from a browser that got the trace id from the server. */
export type ScoreInput = ScoreOptions & { traceId: string; eventId?: string | null; name: string; value: ScoreValue };

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

/** A score of a trace or event, in the wire format; `userId`: the trace's user, when the score names none. */
export const scoreOf = (s: ScoreInput, userId?: string): WireScore => ({
  score_id: s.scoreId,
  trace_id: s.traceId,
  event_id: s.eventId,
  name: s.name,
  value: s.value,
  comment: s.comment,
  source: s.source ?? "sdk",
  timestamp: Date.now(),
  context: clean({ user_id: s.userId ?? userId, metadata: s.metadata }),
});

/** Events made so far: the next event's counter (its id is made from it when asked for: `idOf`). */
let count = 0;
let base: number | undefined;
/** Milliseconds since the first event: a small integer, cheaper to keep than an epoch time (`toWire` adds `base`). */
function now() {
  base ??= Date.now();
  return Date.now() - base;
}

/** Where a client's events go; undefined: the client is disabled (spans still work, nothing is recorded). */
export type Enqueue = ((item: Ev | WireScore) => void) | undefined;

/** What a trace's events share: where they go, the trace's id (made when first asked for), user, session, tags, metadata. */
type Trace = {
  _q: Enqueue;
  /** The client's environment and release, under each event's own context. */
  _env?: WireEvent["context"];
  _id?: string;
  _uid?: string;
  _sid?: string;
  _tags?: string[];
  _meta?: Record<string, unknown>;
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

/**
 * An event: a span (queued by its `end`) or a point event (model call, tool call, log, error) under `parent`. One small
 * class for all (one shape, methods on the prototype); its ids are made when asked for (`id`, `traceId`, `toWire`).
 */
export class Ev implements Span {
  // Declared, not initialised here: the constructor sets every field, in one order (one shape), with less code.
  declare _tr: Trace;
  declare _p: Ev | null;
  declare _type: EventType;
  declare _name: string;
  /** The event's body: input, output, metadata (a span's output and metadata are set when it ends); a log's or an
   * error's own fields. */
  declare _b: Record<string, unknown>;
  /** Start, in `now()`'s milliseconds. */
  declare _t: number;
  /** Duration; a span's is set when it ends. */
  declare _d: number | undefined;
  declare _s: "ok" | "error";
  /** The id's counter. */
  declare _n: number;
  /** A model call's options (a copy): its model, provider, usage… */
  declare _m: ModelResponseOptions | undefined;

  /** `d`: a point event's duration (it started `d` ms ago); a span's is set when it ends. */
  constructor(
    tr: Trace,
    p: Ev | null,
    type: EventType,
    name: string,
    b: Record<string, unknown>,
    d?: number,
    s: "ok" | "error" = "ok",
    m?: ModelResponseOptions,
  ) {
    this._tr = tr;
    this._p = p;
    this._type = type;
    this._name = name;
    this._b = b;
    this._t = now() - (d ?? 0);
    this._d = d;
    this._s = s;
    this._n = count++;
    this._m = m;
  }

  get id() {
    return idOf(this._n);
  }

  get traceId() {
    this._tr._id ??= traceId();
    return this._tr._id;
  }

  span(o: SpanOptions): Span {
    return new Ev(this._tr, this, "span", o.name, { input: o.input, metadata: o.metadata });
  }

  end(o?: EndOptions) {
    if (this._d !== undefined || !this._tr._q) return;
    this._d = now() - this._t;
    if (o) {
      this._b.output = o.output;
      this._s = o.status ?? this._s;
      this._b.metadata = o.metadata ?? this._b.metadata;
    }
    this._tr._q(this);
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
    modelCall(this._tr, this, o);
  }

  toolCall(o: ToolCallOptions) {
    point(this._tr, this, "tool_call", o.name, { input: o.input, output: o.output }, o);
  }

  log(message: string, data?: unknown) {
    point(this._tr, this, "log", "log", { message, data });
  }

  score(name: string, value: ScoreValue, o?: ScoreOptions) {
    this._tr._q?.(scoreOf({ ...o, traceId: this.traceId, eventId: this._p && this.id, name, value }, this._tr._uid));
  }

  error(err: unknown) {
    if (this._d === undefined) this._s = "error";
    const x = err instanceof Error ? err : Error(String(err));
    point(
      this._tr,
      this,
      "error",
      x.name || "Error",
      { message: x.message, stack: x.stack, error_type: x.constructor?.name ?? x.name },
      { status: "error" },
    );
  }

  /** The event as the wire format (what `JSON.stringify` sends): undefined fields of body and context dropped, the
   * client's environment and release under the event's own context. Run at flush time; twice gives the same event. */
  toJSON(): WireEvent {
    const tr = this._tr;
    const m = this._m;
    return {
      event_id: this.id,
      trace_id: this.traceId,
      // biome-ignore lint/complexity/useOptionalChain: a root's is null (sent), not undefined (left out)
      parent_event_id: this._p && this._p.id,
      type: this._type,
      name: this._name,
      timestamp: this._t + base!,
      duration_ms: this._d,
      status: this._s,
      context: clean({
        ...tr._env,
        user_id: tr._uid,
        session_id: tr._sid,
        // A trace's tags and metadata go on its root (only a trace's root span has them: `makeTrace`).
        ...(!this._p && { tags: tr._tags, metadata: tr._meta }),
      }),
      body: clean(this._b),
      model: m?.model,
      provider: m?.provider,
      api_host: m?.apiHost,
      usage: m?.usage,
      cost_usd: m?.costUsd,
      first_token_ms: m?.firstTokenMs,
    };
  }
}

/** A new trace: its root span carries the trace's name, user, session, tags and metadata. */
export const makeTrace = (q: Enqueue, env: Trace["_env"], o: TraceOptions): Span =>
  new Ev(
    { _q: q, _env: env, _uid: o.userId, _sid: o.sessionId, _tags: o.tags, _meta: o.metadata },
    null,
    "span",
    o.name,
    { input: o.input },
  );

/** A point event (model call, tool call, log, error) under `parent`, queued (nothing when the client is disabled). */
function point(
  tr: Trace,
  parent: Ev | null,
  type: EventType,
  name: string,
  body: Record<string, unknown>,
  o?: { durationMs?: number; status?: "ok" | "error" },
  m?: ModelResponseOptions,
) {
  tr._q?.(new Ev(tr, parent, type, name, body, o?.durationMs, o?.status, m));
}

/** A model call under `parent` (null: the call is a trace of its own, `tr` is new); a copy of its options, read by
 * `toJSON`. */
export const modelCall = (tr: Trace, parent: Ev | null, o: ModelResponseOptions) =>
  point(
    tr,
    parent,
    "model_response",
    o.name ?? o.model,
    { input: o.input, output: o.output, metadata: o.metadata },
    o,
    { ...o },
  );
