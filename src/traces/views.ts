// Rows → the JSON the trace API answers with (snake_case, times in epoch ms, JSON columns parsed).

import type { TreeEventRow } from "../db/queries/trace-events.ts";
import type { GroupRow } from "../db/queries/trace-groups.ts";
import type { events, traces } from "../db/schema.ts";
import type { Placed } from "./tree.ts";

type TraceRow = typeof traces.$inferSelect;
type EventRow = typeof events.$inferSelect;

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

export function traceSummary(t: TraceRow) {
  return {
    trace_id: t.traceId,
    name: t.rootName,
    start_time: t.startTs,
    end_time: t.endTs,
    duration_ms: t.durationMs,
    span_count: t.spanCount,
    error_count: t.errorCount,
    status: t.status,
    models: parse(t.models) as string[],
    tags: parse(t.tags) as string[],
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    cached_input_tokens: t.cachedInputTokens,
    total_tokens: t.totalTokens,
    total_cost: t.totalCost,
    user_id: t.userId,
    session_id: t.sessionId,
    root_event_id: t.rootEventId,
  };
}

export type TraceSummary = ReturnType<typeof traceSummary>;

type EventCore = Pick<
  EventRow,
  | "eventId"
  | "parentEventId"
  | "type"
  | "name"
  | "ts"
  | "durationMs"
  | "status"
  | "model"
  | "provider"
  | "inputTokens"
  | "outputTokens"
  | "cachedInputTokens"
  | "cacheWriteTokens"
  | "costUsd"
>;

/** The fields every view of an event shares. */
const eventCore = (e: EventCore) => ({
  event_id: e.eventId,
  parent_event_id: e.parentEventId,
  type: e.type,
  name: e.name,
  timestamp: e.ts,
  duration_ms: e.durationMs,
  status: e.status,
  model: e.model,
  provider: e.provider,
  input_tokens: e.inputTokens,
  output_tokens: e.outputTokens,
  cached_input_tokens: e.cachedInputTokens,
  cache_write_tokens: e.cacheWriteTokens,
  cost_usd: e.costUsd,
});

/** One event in full, as `GET /traces/:trace_id/events/:event_id` answers. */
export function eventView(e: EventRow) {
  return {
    ...eventCore(e),
    trace_id: e.traceId,
    cost_source: e.costSource,
    body: parse(e.body) as Record<string, unknown> | null,
    context: parse(e.context) as Record<string, unknown> | null,
    user_id: e.userId,
    session_id: e.sessionId,
    truncated: e.truncated === 1,
    received_at: e.receivedAt,
  };
}

export type EventView = ReturnType<typeof eventView>;

/** A row of the tree: light fields, the body only when inlined, its place in the tree. */
export function treeEventView(e: Placed<TreeEventRow>) {
  return {
    ...eventCore(e),
    depth: e.depth,
    child_count: e.childCount,
    orphan: e.orphan,
    cycle: e.cycle,
    body: parse(e.body) as Record<string, unknown> | null,
    body_truncated: e.body === null && e.bodyBytes > 0,
    body_bytes: e.bodyBytes,
    preview: e.preview,
  };
}

/** A session's or a user's totals. */
export function groupView(by: "session" | "user", g: GroupRow) {
  const totals = {
    trace_count: g.traceCount,
    first_seen: g.firstSeen,
    last_seen: g.lastSeen,
    duration_ms: (g.lastSeen ?? 0) - (g.firstSeen ?? 0),
    total_tokens: g.totalTokens,
    total_cost: g.totalCost,
    error_count: g.errorCount,
  };
  return by === "session"
    ? { session_id: g.id, user_id: g.userId, ...totals }
    : { user_id: g.id, session_count: g.sessionCount, ...totals };
}
