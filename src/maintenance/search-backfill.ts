// Indexes, in bounded steps, the events stored before the search index was rebuilt (migrations/0007, 0022): a step
// indexes the next STEP events by rowid (one index row per trace among them) and records how far it got, in one
// transaction, so a run can stop anywhere.

import { parseJobField, searchBackfillParams, searchBackfillProgress } from "../../contract/jobs.ts";
import type { JobRow } from "../db/schema.ts";
import { SEARCH_GROUP_SQL, SEARCH_ROWS_SQL } from "../db/search.ts";

const STEP = 2_000;

const NEXT_SQL = `SELECT max(rowid) AS next FROM (SELECT rowid FROM events WHERE rowid > ?1 AND rowid <= ?2 ORDER BY rowid LIMIT ?3)`;
const INDEX_SQL = `INSERT OR REPLACE INTO events_fts (rowid, scope, text)
  SELECT ${SEARCH_ROWS_SQL} FROM events e WHERE e.rowid > ?1 AND e.rowid <= ?2 ${SEARCH_GROUP_SQL}`;
const PROGRESS_SQL = `UPDATE jobs SET progress = json_object('next_rowid', ?1), status = iif(?1 >= ?2, 'done', 'running'),
  attempts = 0, retry_at = NULL, error = NULL, updated_at = ?3, finished_at = iif(?1 >= ?2, ?3, NULL) WHERE id = ?4`;

/** One step of a `search_backfill` job; returns whether the job is done. */
export async function searchBackfillStep(d1: D1Database, job: JobRow): Promise<boolean> {
  const last = parseJobField(searchBackfillParams, job.params, "params").last_rowid;
  const from = parseJobField(searchBackfillProgress, job.progress, "progress").next_rowid ?? 0;
  const row = await d1.prepare(NEXT_SQL).bind(from, last, STEP).first<{ next: number | null }>();
  const next = row?.next ?? last;
  await d1.batch([
    d1.prepare(INDEX_SQL).bind(from, next),
    d1.prepare(PROGRESS_SQL).bind(next, last, Date.now(), job.id),
  ]);
  return next >= last;
}
