// The hourly cost rollup (cost_hourly) the costs API reads: per project, hour, model and provider, the sums of its
// model calls. The consumer adds what each write inserted (batch_id guard, like the summary upsert, so redelivery adds
// nothing); a cost recompute rebuilds whole hours from the events.
import { HOUR_MS } from "../../lib/time.ts";

/** Aggregates the model calls `e` of `source` (a FROM … WHERE clause) into rollup rows. */
const aggregate = (source: string) => `
    INSERT INTO cost_hourly (project_id, hour, model, provider, calls, unpriced_calls, input_tokens, output_tokens,
      cached_input_tokens, cache_write_tokens, cost)
    SELECT e.project_id, (e.ts / ${HOUR_MS}) * ${HOUR_MS}, coalesce(e.model, ''), coalesce(e.provider, ''), count(*),
      count(*) FILTER (WHERE e.cost_source = 'unknown_model'), coalesce(sum(e.input_tokens), 0), coalesce(sum(e.output_tokens), 0),
      coalesce(sum(e.cached_input_tokens), 0), coalesce(sum(e.cache_write_tokens), 0), total(e.cost_usd)
    FROM ${source} AND e.type = 'model_response'
    GROUP BY 1, 2, 3, 4`;

/** ?1 a JSON array of [project_id, event_id] the write may have inserted, ?2 the write's batch_id. */
export const COST_ROLLUP_SQL = `${aggregate(
  "json_each(?1) k JOIN events e ON e.project_id = k.value ->> 0 AND e.event_id = k.value ->> 1 WHERE e.batch_id = ?2",
)}
    ON CONFLICT (project_id, hour, model, provider) DO UPDATE SET
      calls = calls + excluded.calls,
      unpriced_calls = unpriced_calls + excluded.unpriced_calls,
      input_tokens = input_tokens + excluded.input_tokens,
      output_tokens = output_tokens + excluded.output_tokens,
      cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
      cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
      cost = cost + excluded.cost`;

/** ?1 project_id, ?2 a JSON array of hour starts: those hours' rows, rebuilt from the events (absolute, repeatable). */
export const COST_ROLLUP_REBUILD_SQL = [
  `DELETE FROM cost_hourly WHERE project_id = ?1 AND hour IN (SELECT value FROM json_each(?2))`,
  aggregate(
    `json_each(?2) h JOIN events e ON e.project_id = ?1 AND e.ts >= h.value AND e.ts < h.value + ${HOUR_MS} WHERE true`,
  ),
];
