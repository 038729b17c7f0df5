// Trace exports: WatchLLM JSON (the ingest wire format, so a file can be POSTed back to /api/v1/events) and
// HAR 1.2 (each model and tool call as a request/response entry, for browser devtools and HAR viewers).
import type { WireEventInput } from "../../contract/event.ts";
import type { ScoreView, WireScore } from "../../contract/scores.ts";
import type { FullEvent, TraceExport, TraceSummary } from "../../contract/traces.ts";

/** Scores in the wire format of POST /api/v1/scores (their ids kept, so a re-import replaces rather than repeats). */
const toWireScores = (scores: ScoreView[]): WireScore[] =>
  scores.map((s) => ({
    score_id: s.score_id,
    trace_id: s.trace_id,
    event_id: s.event_id,
    name: s.name,
    value: s.value,
    comment: s.comment,
    source: s.source,
    timestamp: s.timestamp,
    ...((s.user_id !== null || s.metadata !== null) && {
      context: { user_id: s.user_id, ...(s.metadata && { metadata: s.metadata }) },
    }),
  }));

function toWireEvents(events: FullEvent[]): WireEventInput[] {
  return events.map((e) => ({
    event_id: e.event_id,
    trace_id: e.trace_id,
    parent_event_id: e.parent_event_id,
    type: e.type,
    name: e.name,
    timestamp: e.timestamp,
    duration_ms: e.duration_ms,
    status: e.status,
    body: e.body,
    context: e.context,
    model: e.model,
    provider: e.provider,
    usage:
      e.input_tokens === null && e.output_tokens === null
        ? null
        : {
            input_tokens: e.input_tokens ?? 0,
            output_tokens: e.output_tokens ?? 0,
            ...(e.cached_input_tokens !== null && { cached_input_tokens: e.cached_input_tokens }),
            ...(e.cache_write_tokens !== null && { cache_write_tokens: e.cache_write_tokens }),
          },
    // Only a cost the client sent is part of the event; computed costs are recomputed on import.
    cost_usd: e.cost_source === "client" ? e.cost_usd : null,
    ...(e.first_token_ms !== null && { first_token_ms: e.first_token_ms }),
  }));
}

export function traceJson(trace: TraceSummary, events: FullEvent[], scores: ScoreView[] = []): TraceExport {
  const missing = events.filter((e) => e.body_missing).map((e) => e.event_id);
  return {
    format: "watchllm.trace.v1",
    exported_at: new Date().toISOString(),
    trace,
    events: toWireEvents(events),
    ...(missing.length && { missing_bodies: missing }),
    ...(scores.length && { scores: toWireScores(scores) }),
  };
}

const json = (value: unknown) => (value === undefined || value === null ? "" : JSON.stringify(value, null, 2));
const size = (text: string) => new TextEncoder().encode(text).length;

function harEntry(e: FullEvent, version: string) {
  const request = json(e.body?.input ?? e.body);
  const response = json(e.body?.output ?? e.body?.error ?? e.body?.message ?? null);
  const host = e.type === "model_response" ? `${e.provider ?? "llm"}.model.watchllm` : "tool.watchllm";
  const path = encodeURIComponent(e.type === "model_response" ? (e.model ?? e.name) : e.name);
  const failed = e.status === "error";
  const duration = e.duration_ms ?? 0;
  return {
    pageref: e.trace_id,
    startedDateTime: new Date(e.timestamp).toISOString(),
    time: duration,
    request: {
      method: "POST",
      url: `https://${host}/${path}`,
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: [{ name: "x-watchllm-event-id", value: e.event_id }],
      queryString: [],
      postData: { mimeType: "application/json", text: request },
      headersSize: -1,
      bodySize: size(request),
    },
    response: {
      status: failed ? 500 : 200,
      statusText: failed ? "Error" : "OK",
      httpVersion: "HTTP/1.1",
      cookies: [],
      headers: [],
      content: { size: size(response), mimeType: "application/json", text: response },
      redirectURL: "",
      headersSize: -1,
      bodySize: size(response),
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: duration, receive: 0 },
    comment: `${e.type} ${e.name} (WatchLLM ${version})`,
    _watchllm: {
      event_id: e.event_id,
      parent_event_id: e.parent_event_id,
      type: e.type,
      model: e.model,
      provider: e.provider,
      usage: {
        input_tokens: e.input_tokens,
        output_tokens: e.output_tokens,
        cached_input_tokens: e.cached_input_tokens,
        cache_write_tokens: e.cache_write_tokens,
      },
      cost_usd: e.cost_usd,
      ...(e.body_missing && { body_missing: true }),
    },
  };
}

export function traceHar(trace: TraceSummary, events: FullEvent[], version: string, scores: ScoreView[] = []) {
  return {
    log: {
      version: "1.2",
      creator: { name: "WatchLLM", version },
      pages: [
        {
          startedDateTime: new Date(trace.start_time).toISOString(),
          id: trace.trace_id,
          title: trace.name,
          pageTimings: { onContentLoad: -1, onLoad: trace.duration_ms },
          _watchllm: { scores },
        },
      ],
      entries: events
        .filter((e) => e.type === "model_response" || e.type === "tool_call")
        .map((e) => harEntry(e, version)),
    },
  };
}
