// Rows → the contract's answer shapes (JSON columns parsed, flags as booleans). Every function returns a contract type,
// so a field added to the contract is a type error here until it is produced.
import type { FullEvent, SessionGroup, TraceSummary, TreeEvent, UserGroup } from "../../contract/traces.ts";
import type { BodyRead } from "../db/bodies.ts";
import type { FullEventRow, TreeEventRow } from "../db/queries/trace-events.ts";
import type { GroupRow } from "../db/queries/trace-groups.ts";
import type { TraceRow } from "../db/schema.ts";
import type { Placed } from "./tree.ts";

const parse = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));
type Json = Record<string, unknown>;

export function traceSummary(t: TraceRow): TraceSummary {
  return {
    trace_id: t.traceId,
    name: t.rootName,
    start_time: t.startTs,
    end_time: t.endTs,
    duration_ms: t.durationMs,
    span_count: t.spanCount,
    error_count: t.errorCount,
    status: t.status,
    models: parse<string[]>(t.models) ?? [],
    tags: parse<string[]>(t.tags) ?? [],
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

/** One event in full, as `GET /traces/:trace_id/events/:event_id` answers, with its body as read (from R2 if there). */
export function fullEventView({ body_ref: _, ...e }: FullEventRow, read: BodyRead): FullEvent {
  return {
    ...e,
    body: parse<Json>(read.body),
    body_bytes: read.bytes,
    body_missing: read.missing,
    context: parse<Json>(e.context),
    truncated: e.truncated === 1,
  };
}

/** A row of the tree: light fields, the body only when inlined, its place in the tree. */
export function treeEventView({ body, body_bytes, ...e }: Placed<TreeEventRow>): TreeEvent {
  return { ...e, body: parse<Json>(body), body_truncated: body === null && body_bytes > 0, body_bytes };
}

/**
 * Milliseconds to the microsecond, for a duration computed here: epoch times with fractions (or two spans' fractional
 * durations) subtract with noise below it, as a trace's duration would (src/db/writes/summary.ts rounds the same).
 */
export const wholeMicros = (ms: number) => Math.round(ms * 1000) / 1000;

const groupTotals = (g: GroupRow) => ({
  trace_count: g.traceCount,
  first_seen: g.firstSeen ?? 0,
  last_seen: g.lastSeen ?? 0,
  duration_ms: wholeMicros((g.lastSeen ?? 0) - (g.firstSeen ?? 0)),
  total_tokens: g.totalTokens ?? 0,
  total_cost: g.totalCost ?? 0,
  error_count: g.errorCount ?? 0,
});

export const sessionView = (g: GroupRow): SessionGroup => ({ session_id: g.id, user_id: g.userId, ...groupTotals(g) });
export const userView = (g: GroupRow): UserGroup => ({
  user_id: g.id,
  session_count: g.sessionCount,
  ...groupTotals(g),
});
