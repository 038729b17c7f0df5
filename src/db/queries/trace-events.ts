// Reads of one trace: its summary, its events without heavy bodies (for the tree), and one event in full. Select lists
// come from the contract's event shapes.
import { and, eq, inArray, sql } from "drizzle-orm";
import { TREE_LIMITS } from "../../../contract/limits.ts";
import { eventCore, fullEvent } from "../../../contract/traces.ts";
import type { DataDb } from "../client.ts";
import { events, traces } from "../schema.ts";
import { columnFields, eventColumns } from "./event-columns.ts";

const CORE_FIELDS = columnFields(eventCore.shape);
/** An event in full: the contract's fields that are columns, and where its body is when R2 keeps it. */
const FULL_FIELDS = columnFields(fullEvent.omit({ body_missing: true }).shape);
const fullColumns = () => ({ ...eventColumns(FULL_FIELDS), body_ref: events.bodyRef });

export function traceQuery(db: DataDb, projectId: string, traceId: string) {
  return db
    .select()
    .from(traces)
    .where(and(eq(traces.projectId, projectId), eq(traces.traceId, traceId)))
    .limit(1);
}

export async function findTrace(db: DataDb, projectId: string, traceId: string) {
  const [row] = await traceQuery(db, projectId, traceId);
  return row;
}

/** How much of its events a trace's tree carries: bodies only in small traces, previews only in traces not huge. */
export function treeDetail(spanCount: number) {
  return {
    inlineBytes: spanCount > TREE_LIMITS.inlineMaxEvents ? 0 : TREE_LIMITS.inlineBodyBytes,
    previews: spanCount <= TREE_LIMITS.previewMaxEvents,
  };
}

/** The tree's select list: the core fields, the body only when ≤ `inlineBytes`, and a short text preview. */
function treeSelect(detail: ReturnType<typeof treeDetail>) {
  // A body in R2 has its size recorded (D1 holds its preview); one in D1 is measured.
  const bodyBytes = sql<number>`coalesce(${events.bodyBytes}, length(${events.body}), 0)`;
  return {
    ...eventColumns(CORE_FIELDS),
    body: sql<
      string | null
    >`iif(${events.bodyRef} IS NULL AND ${bodyBytes} <= ${detail.inlineBytes}, ${events.body}, null)`,
    body_bytes: bodyBytes,
    preview: detail.previews
      ? sql<
          string | null
        >`substr(coalesce(${events.body} ->> '$.output', ${events.body} ->> '$.message', ${events.body} ->> '$.input'), 1, ${TREE_LIMITS.previewChars})`
      : sql<string | null>`null`,
  };
}

/** Every event of a trace, light (`treeSelect`), as row objects, or as raw value arrays with `.values()`. */
export function treeEventsQuery(db: DataDb, projectId: string, traceId: string, detail: ReturnType<typeof treeDetail>) {
  return db
    .select(treeSelect(detail))
    .from(events)
    .where(and(eq(events.projectId, projectId), eq(events.traceId, traceId)));
}

/** Field and record separators of `treeLinksQuery`'s texts (ids are printable: contract/event.ts). */
const [UNIT, RECORD] = ["\u001f", "\u001e"];

/**
 * What places every event of a trace in the tree (a big trace's first screen is chosen from these), as texts of
 * `id US time [US parent]` per event joined by RS: D1 pays per row it answers, and a 10,000-span trace's links were
 * 10,000 rows (now about 3). One text per 4,096 rowids, so a text stays far below D1's 2 MB per value however long
 * the ids (4,096 × 275 B at most).
 */
export function treeLinksQuery(db: DataDb, projectId: string, traceId: string) {
  return db
    .select({
      links: sql<string>`group_concat(${events.eventId} || char(31) || ${events.ts} || ifnull(char(31) || ${events.parentEventId}, ''), char(30))`,
    })
    .from(events)
    .where(and(eq(events.projectId, projectId), eq(events.traceId, traceId)))
    .groupBy(sql`rowid >> 12`);
}

/** Every event's links of a trace (`treeLinksQuery` read back). */
export async function treeLinks(db: DataDb, projectId: string, traceId: string) {
  const ids: string[] = [];
  const parents: (string | null)[] = [];
  const times: number[] = [];
  for (const { links } of await treeLinksQuery(db, projectId, traceId))
    for (const event of links.split(RECORD)) {
      const [id, time, parent] = event.split(UNIT);
      ids.push(id!);
      times.push(Number(time));
      parents.push(parent ?? null);
    }
  return { ids, parents, times };
}

/** Tree rows of some events of a trace (`ids`: at most TRACE_HEAD_MAX, D1 binds at most 100 values). */
export function treeEventsByIdQuery(
  db: DataDb,
  projectId: string,
  traceId: string,
  ids: string[],
  detail: ReturnType<typeof treeDetail>,
) {
  return db
    .select(treeSelect(detail))
    .from(events)
    .where(and(eq(events.projectId, projectId), eq(events.traceId, traceId), inArray(events.eventId, ids)));
}

export type TreeEventRow = Awaited<ReturnType<typeof treeEventsQuery>>[number];
/** The fields of a tree row in select order: where each is in a raw row from `treeEventsQuery(...).values()`. */
export const TREE_ROW_FIELDS = Object.keys(treeSelect(treeDetail(0))) as (keyof TreeEventRow)[];

export async function findEvent(db: DataDb, projectId: string, traceId: string, eventId: string) {
  const [row] = await db
    .select(fullColumns())
    .from(events)
    .where(and(eq(events.projectId, projectId), eq(events.eventId, eventId), eq(events.traceId, traceId)))
    .limit(1);
  return row;
}

/** Every event of a trace in full (exports). */
export function fullEventsQuery(db: DataDb, projectId: string, traceId: string) {
  return db
    .select(fullColumns())
    .from(events)
    .where(and(eq(events.projectId, projectId), eq(events.traceId, traceId)))
    .orderBy(events.ts, events.eventId);
}

export type FullEventRow = Awaited<ReturnType<typeof fullEventsQuery>>[number];

/** Which of these traces hold an event of the end user (read by each trace's key: bounded by the list). */
export async function tracesWithUser(db: DataDb, projectId: string, userId: string, traceIds: string[]) {
  if (!traceIds.length) return [];
  const rows = await db
    .select({ traceId: events.traceId })
    .from(events)
    .where(
      and(
        eq(events.projectId, projectId),
        sql`${events.traceId} in (select value from json_each(${JSON.stringify(traceIds)}))`,
        eq(events.userId, userId),
      ),
    )
    .groupBy(events.traceId);
  return rows.map((r) => r.traceId);
}
