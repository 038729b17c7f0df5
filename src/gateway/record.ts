// Turns one gateway call into the contract's wire event and puts it on the one queue — after the answer has gone
// back, inside ctx.waitUntil. A failed send is retried twice, then the event is dropped with a counted log line.

import type { WireEventInput as WireEvent } from "../../contract/event.ts";
import { normalizeUsage } from "../../contract/providers.ts";
import { enqueueEvents, type Outbox } from "../ingest/enqueue.ts";
import { validateEvents } from "../ingest/validate.ts";
import { log } from "../lib/log.ts";
import type { Digest } from "./digest.ts";
import type { CallOptions } from "./options.ts";
import { reportedCost } from "./usage.ts";

export type Call = {
  eventId: string;
  traceId: string;
  projectId: string;
  provider: string;
  /** e.g. `chat.completions`, from the path after /v1. */
  endpoint: string;
  method: string;
  startedAt: number;
  options: CallOptions;
  /** The parsed JSON request, or undefined for other bodies (multipart, files) and body-less requests. */
  request?: Record<string, unknown>;
};

export type Outcome = {
  endedAt: number;
  status?: number;
  ttftMs?: number;
  /** A streamed (SSE) answer's first chunk, ms after the request. */
  firstTokenMs?: number;
  digest?: Digest;
  /** The upstream's error body (JSON) when it answered 4xx/5xx. */
  errorBody?: unknown;
  /** Why the call failed on our side of the upstream (`aborted`, unreachable …). */
  failure?: string;
  cacheHit?: boolean;
  /** Metadata from the upstream's answer, e.g. its request id. */
  extra?: Record<string, unknown>;
};

const INPUT_FIELDS = ["messages", "input", "prompt", "system", "model"];

/** The request's input as the dashboard shows it: messages (Anthropic's system prompt first), input or prompt. */
function inputOf(req: Record<string, unknown>) {
  const input = req.messages ?? req.input ?? req.prompt;
  if (req.system !== undefined && Array.isArray(req.messages))
    return [{ role: "system", content: req.system }, ...req.messages];
  return input;
}

function paramsOf(req: Record<string, unknown>) {
  const params = Object.fromEntries(Object.entries(req).filter(([k]) => !INPUT_FIELDS.includes(k)));
  return Object.keys(params).length ? params : undefined;
}

/** The event's body: input and params, output, the upstream's error body; what the caller asked to omit left out. */
function bodyOf(request: Record<string, unknown>, digest: Digest, outcome: Outcome, options: CallOptions) {
  const params = paramsOf(request);
  return {
    ...(!options.omit.request && { input: inputOf(request), ...(params && { params }) }),
    ...(!options.omit.response && {
      output: digest.output ?? null,
      ...(outcome.errorBody !== undefined && { error: outcome.errorBody }),
    }),
  };
}

/** OpenTelemetry GenAI operation names (`gen_ai.operation.name`) of the model endpoints. */
const OPERATIONS: Record<string, string> = {
  "chat.completions": "chat",
  messages: "chat",
  responses: "chat",
  completions: "text_completion",
  embeddings: "embeddings",
};

/** A model call's name as OTel GenAI spans are named, `{operation} {requested model}`: `chat gpt-4o-mini`. */
function callName(call: Call, model: string): string {
  const requested = typeof call.request?.model === "string" ? call.request.model : model;
  return `${OPERATIONS[call.endpoint] ?? call.endpoint} ${requested}`.slice(0, 256);
}

/**
 * The call's events: the call, and with WatchLLM-Trace-Name and no parent, a root span of that name over it. The
 * root's event id is the trace id, so every call of the trace names the same root (stored once) and a root the
 * caller already recorded under that id stays as it is.
 */
export function toWireEvents(call: Call, outcome: Outcome): WireEvent[] {
  const { traceName, parentId } = call.options;
  if (!traceName || parentId) return [toWireEvent(call, outcome)];
  const event = toWireEvent({ ...call, options: { ...call.options, parentId: call.traceId } }, outcome);
  const root: WireEvent = {
    event_id: call.traceId,
    trace_id: call.traceId,
    type: "span",
    name: traceName,
    timestamp: call.startedAt,
    duration_ms: event.duration_ms,
    context: event.context && { ...event.context, metadata: { gateway: true } },
  };
  return [root, event];
}

/** The one event of a call: a model_response when the request named a model, else a span without a body. */
export function toWireEvent(call: Call, outcome: Outcome): WireEvent {
  const { options, request } = call;
  const digest = outcome.digest ?? {};
  const model = digest.model ?? (typeof request?.model === "string" ? request.model : undefined);
  const upstreamError = outcome.status !== undefined && outcome.status >= 400;
  const error = outcome.failure ?? digest.error ?? (upstreamError ? `HTTP ${outcome.status}` : undefined);
  const isModelCall = request !== undefined && model !== undefined;
  const usage = normalizeUsage(digest.usage);
  const metadata: Record<string, unknown> = {
    ...options.properties,
    gateway: true,
    endpoint: `${call.method} /${call.endpoint.replaceAll(".", "/")}`,
    upstream_status: outcome.status ?? null,
    ...(outcome.ttftMs !== undefined && { ttft_ms: outcome.ttftMs }),
    ...(digest.finishReason && { finish_reason: digest.finishReason }),
    ...(error !== undefined && { error }),
    ...(outcome.cacheHit && { cache_hit: true }),
    ...((options.omit.request || options.omit.response) && {
      omitted: [...(options.omit.request ? ["request"] : []), ...(options.omit.response ? ["response"] : [])],
    }),
    ...outcome.extra,
  };
  const cost = outcome.cacheHit ? 0 : reportedCost(digest.usage);
  return {
    event_id: call.eventId,
    trace_id: call.traceId,
    parent_event_id: options.parentId ?? null,
    type: isModelCall ? "model_response" : "span",
    name: options.name ?? (isModelCall ? callName(call, model) : call.endpoint),
    timestamp: call.startedAt,
    duration_ms: Math.max(0, outcome.endedAt - call.startedAt),
    status: error === undefined ? "ok" : "error",
    body: isModelCall ? bodyOf(request, digest, outcome, options) : null,
    context: {
      ...(options.userId && { user_id: options.userId }),
      ...(options.sessionId && { session_id: options.sessionId }),
      ...(options.tags.length && { tags: options.tags }),
      metadata,
    },
    model: isModelCall ? model : null,
    provider: call.provider,
    usage: isModelCall ? usage : null,
    cost_usd: isModelCall ? cost : null,
    first_token_ms: isModelCall ? (outcome.firstTokenMs ?? null) : null,
  };
}

let dropped = 0;
const RETRY_DELAYS_MS = [250, 1_000];

/** Validates and enqueues the events; never throws (the call they record has already been answered). */
export async function sendEvent(out: Outbox, projectId: string, recorded: WireEvent[]): Promise<void> {
  const { events, rejected } = validateEvents(recorded);
  if (!events.length) {
    dropped += 1;
    log.error("gateway.event_dropped", "invalid event", {
      project_id: projectId,
      trace_id: recorded[0]?.trace_id,
      reason: "invalid",
      dropped_total: dropped,
      rejected,
    });
    return;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await enqueueEvents(out, projectId, events, [], [], "gateway");
      return;
    } catch (err) {
      if (attempt >= RETRY_DELAYS_MS.length) {
        dropped += 1;
        log.error("gateway.event_dropped", err, {
          project_id: projectId,
          trace_id: recorded[0]?.trace_id,
          reason: "queue_unavailable",
          dropped_total: dropped,
        });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
    }
  }
}
