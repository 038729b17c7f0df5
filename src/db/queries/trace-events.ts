// Reads of one trace: its summary, its events without heavy bodies (for the tree), and one event in full.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../client.ts";
import { events, traces } from "../schema.ts";

/** Bodies up to this many bytes are inlined in the tree; larger ones are flagged and fetched per event. */
export const TREE_INLINE_BODY_BYTES = 1_024;
/** In traces with more events than this, no body is inlined (previews only): big trees stay light, bodies load per event. */
export const TREE_INLINE_MAX_EVENTS = 200;
/** Characters of output (or message, or input) text shown as each tree row's preview… */
export const TREE_PREVIEW_CHARS = 160;
/** …in traces of up to this many events (beyond it, previews are null too and the tree is timing and names only). */
export const TREE_PREVIEW_MAX_EVENTS = 2_000;

export function traceQuery(db: Database, projectId: string, traceId: string) {
  return db
    .select()
    .from(traces)
    .where(and(eq(traces.projectId, projectId), eq(traces.traceId, traceId)))
    .limit(1);
}

export async function findTrace(db: Database, projectId: string, traceId: string) {
  const [row] = await traceQuery(db, projectId, traceId);
  return row;
}

/** Every event of a trace, light: bodies only when small, short text previews only in traces that aren't huge. */
export function treeEventsQuery(
  db: Database,
  projectId: string,
  traceId: string,
  inlineBytes: number,
  previews = true,
) {
  const bodyBytes = sql<number>`coalesce(length(${events.body}), 0)`;
  return db
    .select({
      eventId: events.eventId,
      parentEventId: events.parentEventId,
      type: events.type,
      name: events.name,
      ts: events.ts,
      durationMs: events.durationMs,
      status: events.status,
      model: events.model,
      provider: events.provider,
      inputTokens: events.inputTokens,
      outputTokens: events.outputTokens,
      cachedInputTokens: events.cachedInputTokens,
      cacheWriteTokens: events.cacheWriteTokens,
      costUsd: events.costUsd,
      body: sql<string | null>`iif(${bodyBytes} <= ${inlineBytes}, ${events.body}, null)`,
      bodyBytes,
      preview: previews
        ? sql<
            string | null
          >`substr(coalesce(${events.body} ->> '$.output', ${events.body} ->> '$.message', ${events.body} ->> '$.input'), 1, ${TREE_PREVIEW_CHARS})`
        : sql<string | null>`null`,
    })
    .from(events)
    .where(and(eq(events.projectId, projectId), eq(events.traceId, traceId)));
}

export type TreeEventRow = Awaited<ReturnType<typeof treeEventsQuery>>[number];

export async function findEvent(db: Database, projectId: string, traceId: string, eventId: string) {
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.projectId, projectId), eq(events.eventId, eventId), eq(events.traceId, traceId)))
    .limit(1);
  return row;
}

/** Every event of a trace in full (exports). */
export function fullEventsQuery(db: Database, projectId: string, traceId: string) {
  return db
    .select()
    .from(events)
    .where(and(eq(events.projectId, projectId), eq(events.traceId, traceId)))
    .orderBy(events.ts, events.eventId);
}
