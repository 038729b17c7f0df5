// The trace list: combinable filters, four sorts in both directions, keyset pages (no OFFSET) on an index per sort.
import { and, asc, desc, eq, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { SEARCH_MAX_EVENTS, searchQuery } from "../../ingest/search-index.ts";
import { decodeCursor } from "../../lib/cursor.ts";
import { limitParam, numberParam, pageParams } from "../../lib/query-params.ts";
import type { Database } from "../client.ts";
import { EVENT_STATUSES, traces } from "../schema.ts";

/** Sort names of the API → the summary column each is backed by (and indexed on, with trace_id). */
export const TRACE_SORTS = {
  start_time: traces.startTs,
  duration: traces.durationMs,
  cost: traces.totalCost,
  span_count: traces.spanCount,
} as const;

export const traceListParams = z.object({
  ...pageParams,
  limit: limitParam(50, 200),
  status: z.enum(EVENT_STATUSES).optional(),
  name: z.string().max(256).optional(),
  model: z.string().max(128).optional(),
  user_id: z.string().max(256).optional(),
  session_id: z.string().max(256).optional(),
  tag: z.string().max(64).optional(),
  min_duration_ms: numberParam.optional(),
  max_duration_ms: numberParam.optional(),
  min_cost: numberParam.optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(Object.keys(TRACE_SORTS) as [keyof typeof TRACE_SORTS]).default("start_time"),
  order: z.enum(["desc", "asc"]).default("desc"),
});

export type TraceListParams = z.infer<typeof traceListParams>;

const inJsonArray = (column: typeof traces.models | typeof traces.tags, value: string) =>
  sql`exists (select 1 from json_each(${column}) where value = ${value})`;

function filters(projectId: string, p: TraceListParams): SQL[] {
  const where: Array<SQL | undefined> = [
    eq(traces.projectId, projectId),
    p.from !== undefined ? gte(traces.startTs, p.from) : undefined,
    p.to !== undefined ? lt(traces.startTs, p.to) : undefined,
    p.status ? eq(traces.status, p.status) : undefined,
    p.name ? eq(traces.rootName, p.name) : undefined,
    p.user_id ? eq(traces.userId, p.user_id) : undefined,
    p.session_id ? eq(traces.sessionId, p.session_id) : undefined,
    p.model ? inJsonArray(traces.models, p.model) : undefined,
    p.tag ? inJsonArray(traces.tags, p.tag) : undefined,
    p.min_duration_ms !== undefined ? gte(traces.durationMs, p.min_duration_ms) : undefined,
    p.max_duration_ms !== undefined ? lte(traces.durationMs, p.max_duration_ms) : undefined,
    p.min_cost !== undefined ? gte(traces.totalCost, p.min_cost) : undefined,
  ];
  if (p.q) {
    const match = searchQuery(projectId, p.q);
    // A search with no searchable word matches nothing rather than everything.
    where.push(
      match
        ? sql`${traces.traceId} in (select trace_id from events_fts where events_fts match ${match} order by rowid desc limit ${SEARCH_MAX_EVENTS})`
        : sql`false`,
    );
  }
  if (p.cursor) {
    const [value, traceId] = decodeCursor(p.cursor);
    const column = TRACE_SORTS[p.sort];
    where.push(
      p.order === "desc"
        ? sql`(${column}, ${traces.traceId}) < (${value}, ${traceId})`
        : sql`(${column}, ${traces.traceId}) > (${value}, ${traceId})`,
    );
  }
  return where.filter((w): w is SQL => w !== undefined);
}

/** One page of summaries (one row more than `limit`, to tell whether another page exists). */
export function traceListQuery(db: Database, projectId: string, p: TraceListParams) {
  const column = TRACE_SORTS[p.sort];
  const direction = p.order === "desc" ? desc : asc;
  return db
    .select()
    .from(traces)
    .where(and(...filters(projectId, p)))
    .orderBy(direction(column), direction(traces.traceId))
    .limit(p.limit + 1);
}

export type TraceRow = typeof traces.$inferSelect;
