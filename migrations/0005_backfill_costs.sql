-- Cost rollups and per-trace model-call counts for events stored before they existed (0003). Rebuilt from the
-- events, so running it on any state gives the same rows. Events stored before pricing existed have no cost yet:
-- POST /api/v1/prices/recompute prices them (see README "Costs").
DELETE FROM cost_hourly;
--> statement-breakpoint
INSERT INTO cost_hourly (project_id, hour, model, provider, calls, unpriced_calls, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, cost)
SELECT e.project_id, (e.ts / 3600000) * 3600000, coalesce(e.model, ''), coalesce(e.provider, ''), count(*),
  count(*) FILTER (WHERE e.cost_source = 'unknown_model'), coalesce(sum(e.input_tokens), 0), coalesce(sum(e.output_tokens), 0),
  coalesce(sum(e.cached_input_tokens), 0), coalesce(sum(e.cache_write_tokens), 0), total(e.cost_usd)
FROM events e WHERE e.type = 'model_response'
GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
UPDATE traces SET model_calls = (SELECT count(*) FROM events e WHERE e.project_id = traces.project_id AND e.trace_id = traces.trace_id AND e.type = 'model_response');
