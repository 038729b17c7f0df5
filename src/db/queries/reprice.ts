// The model calls a cost recompute re-prices (a project's data database): one page in (ts, event_id) order, the
// calls whose cost the client did not set.
import { and, asc, eq, gte, lt, ne, or, sql } from "drizzle-orm";
import type { CursorValues } from "../../lib/cursor.ts";
import type { DataDb } from "../client.ts";
import { events } from "../data-schema.ts";

export function callsToReprice(
  data: DataDb,
  projectId: string,
  range: { from: number; to: number },
  after: CursorValues | undefined,
  limit: number,
) {
  const [afterTs, afterId] = after ?? [];
  return data
    .select({
      event_id: events.eventId,
      trace_id: events.traceId,
      type: events.type,
      model: events.model,
      provider: events.provider,
      ts: events.ts,
      input_tokens: events.inputTokens,
      output_tokens: events.outputTokens,
      cached_input_tokens: events.cachedInputTokens,
      cache_write_tokens: events.cacheWriteTokens,
      cost_usd: events.costUsd,
      cost_source: events.costSource,
    })
    .from(events)
    .where(
      and(
        eq(events.projectId, projectId),
        gte(events.ts, range.from),
        lt(events.ts, range.to),
        eq(events.type, "model_response"),
        or(ne(events.costSource, "client"), sql`${events.costSource} IS NULL`),
        after ? sql`(${events.ts}, ${events.eventId}) > (${afterTs}, ${afterId})` : undefined,
      ),
    )
    .orderBy(asc(events.ts), asc(events.eventId))
    .limit(limit);
}
