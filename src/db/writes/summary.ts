// The trace-summary upsert: aggregates the rows one write inserted (found by batch_id) per trace, and merges the
// aggregate into the existing summary row. Every field is a merge that is associative and commutative (min, max,
// sum, set union, a total order for the root), so any split, order or redelivery of events gives the same row.
import { BY_KEY } from "./event-keys.ts";

/** Is the incoming root candidate better than the stored one? Roots rank first, then earlier, then lower event_id. */
const BETTER_ROOT = `(excluded.root_rank > traces.root_rank OR (excluded.root_rank = traces.root_rank AND
  (excluded.root_ts < traces.root_ts OR (excluded.root_ts = traces.root_ts AND excluded.root_event_id < traces.root_event_id))))`;

const pick = (column: string) => `iif(${BETTER_ROOT}, excluded.${column}, traces.${column})`;

/**
 * A trace's duration in ms, to the microsecond: its end is an epoch time in ms plus a span's fractional duration, a
 * double whose last bit is ~0.24 µs at today's epoch, so end − start carries noise (67.321044921875 for 67.321).
 */
const duration = (end: string, start: string) => `round(${end} - ${start}, 3)`;

const sortedSet = (from: string) => `(SELECT json_group_array(value) FROM (SELECT value FROM ${from} ORDER BY value))`;

/**
 * Parameters: ?1 a JSON array of [project_id, trace_id, event_id] for the rows the write may have inserted, ?2 the write's
 * batch_id (rows that already existed keep their older batch_id and are not counted again), ?3 now (epoch ms).
 */
const summarySql = (newRows: string, now: string) => `
    WITH new AS MATERIALIZED (${newRows}),
    ranked AS (
      SELECT project_id, trace_id, event_id, name, ts, (parent_event_id IS NULL) AS root_rank,
        row_number() OVER (PARTITION BY project_id, trace_id ORDER BY (parent_event_id IS NULL) DESC, ts, event_id) AS rn
      FROM new
    ),
    agg AS (
      SELECT project_id, trace_id, min(ts) AS start_ts, max(ts + coalesce(duration_ms, 0)) AS end_ts,
        count(*) AS span_count, sum(status = 'error' OR type = 'error') AS error_count,
        json_group_array(DISTINCT model) FILTER (WHERE model IS NOT NULL) AS models,
        coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
        coalesce(sum(cached_input_tokens), 0) AS cached_input_tokens, total(cost_usd) AS total_cost,
        sum(type = 'model_response') AS model_calls,
        max(user_id) AS user_id, max(session_id) AS session_id
      FROM new GROUP BY project_id, trace_id
    ),
    tagged AS (
      SELECT n.project_id, n.trace_id, json_group_array(DISTINCT t.value) AS tags
      FROM new n, json_each(n.context, '$.tags') t GROUP BY n.project_id, n.trace_id
    )
    INSERT INTO traces (project_id, trace_id, start_ts, end_ts, duration_ms, span_count, error_count, status,
      root_event_id, root_name, root_ts, root_rank, models, tags, input_tokens, output_tokens, cached_input_tokens,
      total_tokens, total_cost, model_calls, user_id, session_id, updated_at)
    SELECT a.project_id, a.trace_id, a.start_ts, a.end_ts, ${duration("a.end_ts", "a.start_ts")}, a.span_count,
      a.error_count,
      iif(a.error_count > 0, 'error', 'ok'), r.event_id, r.name, r.ts, r.root_rank,
      ${sortedSet("json_each(a.models)")}, ${sortedSet("json_each(coalesce(g.tags, '[]'))")}, a.input_tokens, a.output_tokens, a.cached_input_tokens,
      a.input_tokens + a.output_tokens, a.total_cost, a.model_calls, a.user_id, a.session_id, ${now}
    FROM agg a JOIN ranked r ON r.project_id = a.project_id AND r.trace_id = a.trace_id AND r.rn = 1
    LEFT JOIN tagged g ON g.project_id = a.project_id AND g.trace_id = a.trace_id
    WHERE true
    ON CONFLICT (project_id, trace_id) DO UPDATE SET
      start_ts = min(traces.start_ts, excluded.start_ts),
      end_ts = max(traces.end_ts, excluded.end_ts),
      duration_ms = ${duration("max(traces.end_ts, excluded.end_ts)", "min(traces.start_ts, excluded.start_ts)")},
      span_count = traces.span_count + excluded.span_count,
      error_count = traces.error_count + excluded.error_count,
      status = iif(traces.error_count + excluded.error_count > 0, 'error', 'ok'),
      root_event_id = ${pick("root_event_id")},
      root_name = ${pick("root_name")},
      root_ts = ${pick("root_ts")},
      root_rank = ${pick("root_rank")},
      models = ${sortedSet("json_each(traces.models) UNION SELECT value FROM json_each(excluded.models)")},
      tags = ${sortedSet("json_each(traces.tags) UNION SELECT value FROM json_each(excluded.tags)")},
      input_tokens = traces.input_tokens + excluded.input_tokens,
      output_tokens = traces.output_tokens + excluded.output_tokens,
      cached_input_tokens = traces.cached_input_tokens + excluded.cached_input_tokens,
      total_tokens = traces.total_tokens + excluded.total_tokens,
      total_cost = traces.total_cost + excluded.total_cost,
      model_calls = traces.model_calls + excluded.model_calls,
      user_id = coalesce(max(traces.user_id, excluded.user_id), traces.user_id, excluded.user_id),
      session_id = coalesce(max(traces.session_id, excluded.session_id), traces.session_id, excluded.session_id),
      updated_at = excluded.updated_at`;

export const SUMMARY_UPSERT_SQL = summarySql(
  `
      SELECT e.* FROM json_each(?1) k
      JOIN events e ON ${BY_KEY}
      WHERE e.batch_id = ?2`,
  "?3",
);

/**
 * The summaries of whole traces rebuilt from all their events (absolute, repeatable: for events that were replaced,
 * not only added). ?1 a JSON array of [project_id, trace_id]; the second statement also ?2 now (epoch ms).
 */
export const SUMMARY_DELETE_SQL = `DELETE FROM traces WHERE (project_id, trace_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?1))`;
export const SUMMARY_REBUILD_SQL = summarySql(
  `
      SELECT e.* FROM json_each(?1) k
      JOIN events e ON e.project_id = k.value ->> 0 AND e.trace_id = k.value ->> 1`,
  "?2",
);
