// The gateway's cache hits in a cost report's range: model calls recorded with a client cost of 0 and `cache_hit` in
// their metadata, grouped by what prices them alike (project, model, provider, hour, token counts), through the
// partial index events_zero_cost_v2. Hits of one cached answer share their token counts, so groups stay few.
import { and, count, gte, inArray, lt, min, sql } from "drizzle-orm";
import type { CostParams } from "../../../contract/costs.ts";
import { HOUR_MS } from "../../lib/time.ts";
import type { DataDb } from "../client.ts";
import { events } from "../schema.ts";

export function cacheHitsQuery(db: DataDb, projectIds: string[], p: Pick<CostParams, "from" | "to">) {
  const hour = sql`${events.ts} / ${sql.raw(String(HOUR_MS))}`;
  return db
    .select({
      project_id: events.projectId,
      model: events.model,
      provider: events.provider,
      ts: min(events.ts).mapWith(Number),
      input_tokens: events.inputTokens,
      output_tokens: events.outputTokens,
      cached_input_tokens: events.cachedInputTokens,
      cache_write_tokens: events.cacheWriteTokens,
      hits: count(),
    })
    .from(events)
    .where(
      and(
        inArray(events.projectId, projectIds),
        gte(events.ts, p.from),
        lt(events.ts, p.to),
        // Literals, not parameters: SQLite uses a partial index only when the query repeats its condition.
        sql`${events.costSource} = 'client' AND ${events.costUsd} = 0 AND ${events.type} = 'model_response'`,
        sql`${events.context} ->> '$.metadata.cache_hit' = 1`,
      ),
    )
    .groupBy(
      events.projectId,
      events.model,
      events.provider,
      hour,
      events.inputTokens,
      events.outputTokens,
      events.cachedInputTokens,
      events.cacheWriteTokens,
    );
}

export type CacheHitGroup = Awaited<ReturnType<typeof cacheHitsQuery>>[number];
