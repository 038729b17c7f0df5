// The answers of the trace read API: /api/v1/traces (list, one trace as a tree, one event, export, compare),
// /api/v1/sessions and /api/v1/users. Strict objects: a field the server adds without adding it here fails the tests.
import { z } from "zod";
import { COST_SOURCES, EVENT_STATUSES, EVENT_TYPES } from "./constants.ts";
import { wireEvent } from "./event.ts";
import { scoreView, wireScore } from "./scores.ts";

const json = z.record(z.string(), z.unknown());
const ms = z.number();
const cursor = z.string().nullable();

/** One trace's totals, kept by the consumer as events arrive. */
export const traceSummary = z.strictObject({
  trace_id: z.string(),
  /** The root event's name. */
  name: z.string(),
  start_time: ms,
  end_time: ms,
  duration_ms: z.number(),
  span_count: z.number().int(),
  error_count: z.number().int(),
  status: z.enum(EVENT_STATUSES),
  models: z.array(z.string()),
  tags: z.array(z.string()),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cached_input_tokens: z.number().int(),
  total_tokens: z.number().int(),
  total_cost: z.number(),
  user_id: z.string().nullable(),
  session_id: z.string().nullable(),
  root_event_id: z.string(),
  /** The trace list's score columns (`score_columns`): the mean of a numeric or boolean score, a categorical label. */
  scores: z.record(z.string(), z.union([z.number(), z.string()]).nullable()).optional(),
});
export type TraceSummary = z.infer<typeof traceSummary>;

/** What every view of an event shares. Token fields are flat (the wire format's `usage`, spread). */
export const eventCore = z.strictObject({
  event_id: z.string(),
  parent_event_id: z.string().nullable(),
  type: z.enum(EVENT_TYPES),
  name: z.string(),
  timestamp: ms,
  duration_ms: z.number().nullable(),
  status: z.enum(EVENT_STATUSES),
  model: z.string().nullable(),
  provider: z.string().nullable(),
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  cached_input_tokens: z.number().int().nullable(),
  cache_write_tokens: z.number().int().nullable(),
  cost_usd: z.number().nullable(),
  /** A streamed model call's time to its first token (ms from the call's start); null when not streamed or unknown. */
  first_token_ms: z.number().nullable(),
});

/** A row of the span tree: light fields, its place in the tree, the body only when small. */
export const treeEvent = eventCore.extend({
  depth: z.number().int().nonnegative(),
  child_count: z.number().int().nonnegative(),
  /** Its parent never arrived. */
  orphan: z.boolean(),
  /** Its parents formed a cycle, cut here. */
  cycle: z.boolean(),
  body: json.nullable(),
  /** The body exists but was too big to inline: fetch the event. */
  body_truncated: z.boolean(),
  body_bytes: z.number().int().nonnegative(),
  preview: z.string().nullable(),
});
export type TreeEvent = z.infer<typeof treeEvent>;

/** One event in full (`GET /api/v1/traces/:trace_id/events/:event_id`). */
export const fullEvent = eventCore.extend({
  trace_id: z.string(),
  cost_source: z.enum(COST_SOURCES).nullable(),
  body: json.nullable(),
  context: json.nullable(),
  user_id: z.string().nullable(),
  session_id: z.string().nullable(),
  /** The body was cut to fit the event size limit when it arrived. */
  truncated: z.boolean(),
  /** The whole body's size in bytes (JSON). */
  body_bytes: z.number().int().nonnegative(),
  /** The body was kept in R2 and its object is gone: `body` is the preview D1 kept (the first characters of each part). */
  body_missing: z.boolean(),
  received_at: ms,
});
export type FullEvent = z.infer<typeof fullEvent>;

export const traceListAnswer = z.strictObject({ traces: z.array(traceSummary), next_cursor: cursor });
export type TraceListAnswer = z.infer<typeof traceListAnswer>;

export const traceAnswer = z.strictObject({
  trace: traceSummary,
  events: z.array(treeEvent),
  /** The trace's scores, each with the event it judges (null: the whole trace). */
  scores: z.array(scoreView),
});
export type TraceAnswer = z.infer<typeof traceAnswer>;

/** One array per field of a schema: row i of every array is the i-th item. */
const columnsOf = <S extends Record<string, z.ZodType>>(shape: S) =>
  z.strictObject(
    Object.fromEntries(Object.entries(shape).map(([field, type]) => [field, z.array(type)])) as {
      [K in keyof S]: z.ZodArray<S[K]>;
    },
  );

/** The tree as columns: the fields of `treeEvent`, each an array in depth-first order. */
export const treeColumns = columnsOf(treeEvent.shape);
export type TreeColumns = z.infer<typeof treeColumns>;

/**
 * `GET /api/v1/traces/:trace_id?format=columns`: the same tree as `traceAnswer`, as columns instead of one object per
 * event (no field name repeated per event: about a third of the bytes for big traces, and much less to parse).
 */
export const traceColumnsAnswer = z.strictObject({
  trace: traceSummary,
  columns: treeColumns,
  scores: z.array(scoreView),
});
export type TraceColumnsAnswer = z.infer<typeof traceColumnsAnswer>;

export const eventAnswer = z.strictObject({ event: fullEvent });
export type EventAnswer = z.infer<typeof eventAnswer>;

/** `export?format=json`: the wire format, so the file can be POSTed back to /api/v1/events. */
export const traceExport = z.strictObject({
  format: z.literal("watchllm.trace.v1"),
  exported_at: z.string(),
  trace: traceSummary,
  events: z.array(wireEvent),
  /** Events whose body object was missing from storage: their preview was exported instead. */
  missing_bodies: z.array(z.string()).optional(),
  /** The trace's scores, in the wire format (POST them back to /api/v1/scores). */
  scores: z.array(wireScore).optional(),
});
export type TraceExport = z.input<typeof traceExport>;

const compareSide = z.strictObject({
  event_id: z.string(),
  /** The model a call used (null for other events): a changed model is often why its cost or latency moved. */
  model: z.string().nullable(),
  duration_ms: z.number().nullable(),
  status: z.enum(EVENT_STATUSES),
  input_tokens: z.number().int().nullable(),
  output_tokens: z.number().int().nullable(),
  cost_usd: z.number().nullable(),
});

export const compareSpan = z.strictObject({
  /** The span's steps from the root, e.g. `root/tool_call:search#2`. */
  path: z.string(),
  depth: z.number().int().nonnegative(),
  type: z.enum(EVENT_TYPES),
  name: z.string(),
  a: compareSide.nullable(),
  b: compareSide.nullable(),
  /** B − A; null when the span is on one side only. A cost delta is null when either side has no price. */
  delta: z
    .strictObject({ duration_ms: z.number(), total_tokens: z.number(), cost_usd: z.number().nullable() })
    .nullable(),
  status_changed: z.boolean(),
});
export type CompareSpan = z.infer<typeof compareSpan>;

export const compareAnswer = z.strictObject({
  a: traceSummary,
  b: traceSummary,
  delta: z.strictObject({
    duration_ms: z.number(),
    total_tokens: z.number(),
    total_cost: z.number(),
    span_count: z.number(),
    error_count: z.number(),
  }),
  spans: z.array(compareSpan),
  only_in_a: z.number().int(),
  only_in_b: z.number().int(),
});
export type CompareAnswer = z.infer<typeof compareAnswer>;

const groupTotals = {
  trace_count: z.number().int(),
  first_seen: ms,
  last_seen: ms,
  /** From the first trace's start to the last one's end. */
  duration_ms: z.number(),
  total_tokens: z.number(),
  total_cost: z.number(),
  error_count: z.number().int(),
};

export const sessionGroup = z.strictObject({ session_id: z.string(), user_id: z.string().nullable(), ...groupTotals });
export type SessionGroup = z.infer<typeof sessionGroup>;
export const userGroup = z.strictObject({ user_id: z.string(), session_count: z.number().int(), ...groupTotals });
export type UserGroup = z.infer<typeof userGroup>;

/** A group's scores per name, over all its traces: how many, their mean (numeric and boolean; null: categorical). */
export const groupScore = z.strictObject({ name: z.string(), count: z.number().int(), avg: z.number().nullable() });
export type GroupScore = z.infer<typeof groupScore>;
/** A list row's scores: per name (the `score_names` asked for, or the names its traces have), over its listed traces. */
const rowScores = { scores: z.array(groupScore) };

export const sessionListAnswer = z.strictObject({
  sessions: z.array(sessionGroup.extend(rowScores)),
  next_cursor: cursor,
});
export const userListAnswer = z.strictObject({ users: z.array(userGroup.extend(rowScores)), next_cursor: cursor });

export const sessionAnswer = z.strictObject({
  session: sessionGroup,
  traces: z.array(traceSummary),
  next_cursor: cursor,
  scores: z.array(groupScore),
});
export const userAnswer = z.strictObject({
  user: userGroup,
  traces: z.array(traceSummary),
  next_cursor: cursor,
  scores: z.array(groupScore),
});
