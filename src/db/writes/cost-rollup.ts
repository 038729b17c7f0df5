// The hourly cost rollup (cost_hourly) the costs API reads: per project, hour, model and provider, the sums of its
// model calls. The consumer adds what each write inserted (batch_id guard, like the summary upsert, so redelivery adds
// nothing); deletions on request, replaced folds and a cost recompute adjust it by difference (COST_ADJUST_SQL).
import { HOUR_MS } from "../../lib/time.ts";
import { BY_KEY } from "./event-keys.ts";

/** Aggregates the model calls `e` of `source` (a FROM … WHERE clause) into rollup rows (every sum times `sign`). */
const aggregate = (source: string, sign: 1 | -1 = 1) => `
    INSERT INTO cost_hourly (project_id, hour, model, provider, calls, unpriced_calls, input_tokens, output_tokens,
      cached_input_tokens, cache_write_tokens, cost)
    SELECT e.project_id, (e.ts / ${HOUR_MS}) * ${HOUR_MS}, coalesce(e.model, ''), coalesce(e.provider, ''), ${sign} * count(*),
      ${sign} * count(*) FILTER (WHERE e.cost_source = 'unknown_model'), ${sign} * coalesce(sum(e.input_tokens), 0),
      ${sign} * coalesce(sum(e.output_tokens), 0), ${sign} * coalesce(sum(e.cached_input_tokens), 0),
      ${sign} * coalesce(sum(e.cache_write_tokens), 0), ${sign} * total(e.cost_usd)
    FROM ${source} AND e.type = 'model_response'
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (project_id, hour, model, provider) DO UPDATE SET
      calls = calls + excluded.calls,
      unpriced_calls = unpriced_calls + excluded.unpriced_calls,
      input_tokens = input_tokens + excluded.input_tokens,
      output_tokens = output_tokens + excluded.output_tokens,
      cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
      cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
      cost = cost + excluded.cost`;

/** ?1 a JSON array of [project_id, trace_id, event_id] the write may have inserted, ?2 the write's batch_id. */
export const COST_ROLLUP_SQL = aggregate(`json_each(?1) k JOIN events e ON ${BY_KEY} WHERE e.batch_id = ?2`);

/**
 * Adds (`sign` 1) or takes away (-1) what the model calls `e` of `source` (a FROM … WHERE clause, its parameters the
 * caller's) count, by difference (no read of the hour's other events); taking away deletes the groups left with no call.
 */
export const COST_ADJUST_SQL = (source: string, sign: 1 | -1) => [
  aggregate(source, sign),
  ...(sign === -1
    ? [
        `DELETE FROM cost_hourly WHERE calls <= 0 AND (project_id, hour, model, provider) IN
          (SELECT DISTINCT e.project_id, (e.ts / ${HOUR_MS}) * ${HOUR_MS}, coalesce(e.model, ''), coalesce(e.provider, '')
           FROM ${source} AND e.type = 'model_response')`,
      ]
    : []),
];
