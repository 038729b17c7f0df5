// The trace list: combinable filters, four sorts in both directions, keyset pages (no OFFSET). The default sort (start
// time) walks its index; the others sort the project's traces in the filtered range (migration 0025 dropped their
// indexes: each cost a row written per trace and write, docs/SCALING.md §2.4).
import { and, asc, desc, eq, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { TRACE_SORTS, type TraceSort } from "../../../contract/constants.ts";
import { SEARCH_LIMITS } from "../../../contract/limits.ts";
import type { TraceListParams } from "../../../contract/trace-query.ts";
import { decodeCursor } from "../../lib/cursor.ts";
import { ApiError } from "../../lib/errors.ts";
import type { DataDb } from "../client.ts";
import { type TraceRow, traces } from "../schema.ts";
import { searchMatch } from "../search.ts";
import { scoreFilter } from "./score-filter.ts";

/** Sort names of the API → the summary column each is backed by. */
const SORT_FIELDS = {
  start_time: "startTs",
  duration: "durationMs",
  cost: "totalCost",
  span_count: "spanCount",
} as const satisfies Record<TraceSort, keyof TraceRow>;

const sortColumn = (sort: TraceSort) => traces[SORT_FIELDS[sort]];

/** A page's cursor: its last row's sort value, trace id, and the sort they belong to. */
export const traceCursor = (row: TraceRow, sort: TraceSort) => [row[SORT_FIELDS[sort]], row.traceId, sort];
const traceCursorShape = z.tuple([z.number(), z.string(), z.enum(TRACE_SORTS)]);

const inJsonArray = (column: typeof traces.models | typeof traces.tags, value: string) =>
  sql`exists (select 1 from json_each(${column}) where value = ${value})`;

function filters(projectId: string, p: TraceListParams): SQL[] {
  const where: Array<SQL | undefined> = [
    eq(traces.projectId, projectId),
    p.from !== undefined ? gte(traces.startTs, p.from) : undefined,
    p.to !== undefined ? lt(traces.startTs, p.to) : undefined,
    p.status ? eq(traces.status, p.status) : undefined,
    p.name ? eq(traces.rootName, p.name) : undefined,
    // Read through the events' key (project, trace): each trace of the walk is probed until a page is full.
    p.event_name
      ? sql`exists (select 1 from events e where e.project_id = ${projectId} and e.trace_id = ${traces.traceId}
          and e.name = ${p.event_name})`
      : undefined,
    p.user_id ? eq(traces.userId, p.user_id) : undefined,
    p.session_id ? eq(traces.sessionId, p.session_id) : undefined,
    p.model ? inJsonArray(traces.models, p.model) : undefined,
    p.tag ? inJsonArray(traces.tags, p.tag) : undefined,
    p.min_duration_ms !== undefined ? gte(traces.durationMs, p.min_duration_ms) : undefined,
    p.max_duration_ms !== undefined ? lte(traces.durationMs, p.max_duration_ms) : undefined,
    p.min_cost !== undefined ? gte(traces.totalCost, p.min_cost) : undefined,
    scoreFilter(p),
  ];
  if (p.q) {
    const match = searchMatch(projectId, p.q);
    // A search with no searchable word matches nothing rather than everything.
    where.push(
      match
        ? sql`${traces.traceId} in (select e.trace_id from events_fts join events e on e.rowid = events_fts.rowid
            where events_fts match ${match} and e.project_id = ${projectId}
            order by events_fts.rowid desc limit ${SEARCH_LIMITS.maxIndexRows})`
        : sql`false`,
    );
  }
  if (p.cursor) {
    const [value, traceId, sort] = decodeCursor(p.cursor, traceCursorShape);
    // A cursor keys on its own sort's value: under another sort it would cut the list at an unrelated number.
    if (sort !== p.sort) {
      const message = `\`cursor\` belongs to the list sorted by ${sort}; start again without it.`;
      throw new ApiError("invalid_cursor", message, { cursor_sort: sort, sort: p.sort });
    }
    const column = sortColumn(p.sort);
    where.push(
      p.order === "desc"
        ? sql`(${column}, ${traces.traceId}) < (${value}, ${traceId})`
        : sql`(${column}, ${traces.traceId}) > (${value}, ${traceId})`,
    );
  }
  return where.filter((w): w is SQL => w !== undefined);
}

/** One page of summaries (one row more than `limit`, to tell whether another page exists). */
export function traceListQuery(db: DataDb, projectId: string, p: TraceListParams) {
  const column = sortColumn(p.sort);
  const direction = p.order === "desc" ? desc : asc;
  return db
    .select()
    .from(traces)
    .where(and(...filters(projectId, p)))
    .orderBy(direction(column), direction(traces.traceId))
    .limit(p.limit + 1);
}
