// What a project move reads from its source data database (maintenance/move.ts), page by page where it can be large.
import { STORED_EVENT_FIELDS, type StoredEvent } from "../../../contract/queue.ts";
import { STORED_SCORE_FIELDS, type StoredScore } from "../../../contract/scores.ts";

/** Up to `limit` events of the project after `cursor` (rowid), oldest first, as stored. */
export const eventsAfterRowid = (source: D1Database, projectId: string, cursor: number, limit: number) =>
  source
    .prepare(
      `SELECT rowid AS rowid, received_at, ${STORED_EVENT_FIELDS.join(", ")} FROM events
       WHERE project_id = ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3`,
    )
    .bind(projectId, cursor, limit)
    .all<StoredEvent & { rowid: number; received_at: number }>();

/** Every score of the project, as stored. */
export const projectScores = (source: D1Database, projectId: string) =>
  source
    .prepare(`SELECT ${STORED_SCORE_FIELDS.join(", ")}, received_at FROM scores WHERE project_id = ?1`)
    .bind(projectId)
    .all<StoredScore & { received_at: number }>();

/** Up to `limit` event parts of the project after `cursor` (rowid), in rowid order, with every column. */
export const partsAfterRowid = (source: D1Database, projectId: string, cursor: number, limit: number) =>
  source
    .prepare(
      `SELECT rowid AS rowid, project_id, event_id, part_id, trace_id, rank, at, fields, received_at FROM event_parts
       WHERE project_id = ?1 AND rowid > ?2 ORDER BY rowid LIMIT ?3`,
    )
    .bind(projectId, cursor, limit)
    .all<Record<string, unknown> & { rowid: number }>();

/** The time of the project's first event, null when it has none. */
export async function firstEventTs(source: D1Database, projectId: string) {
  const first = await source
    .prepare("SELECT min(ts) AS ts FROM events WHERE project_id = ?1")
    .bind(projectId)
    .first<{ ts: number | null }>();
  return first?.ts ?? null;
}

/** The project's cost rollup rows of hours before `hour`, every column. */
export const costRollupsBefore = (source: D1Database, projectId: string, hour: number) =>
  source
    .prepare("SELECT * FROM cost_hourly WHERE project_id = ?1 AND hour < ?2")
    .bind(projectId, hour)
    .all<Record<string, unknown>>();

/** The project's rows of a metric hour rollup table (metrics-rollup.ts) of buckets before `hour`, every column. */
export const metricRollupsBefore = (source: D1Database, table: string, projectId: string, hour: number) =>
  source
    .prepare(`SELECT * FROM ${table} WHERE project_id = ?1 AND bucket < ?2`)
    .bind(projectId, hour)
    .all<Record<string, unknown>>();
