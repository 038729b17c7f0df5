// The search backfill's statements (a data database, maintenance/search-backfill.ts): where the next step ends, and
// the step's index rows with its job progress, for one transaction.
import { SEARCH_GROUP_SQL, SEARCH_ROWS_SQL } from "../search.ts";

const NEXT_SQL = `SELECT max(rowid) AS next FROM (SELECT rowid FROM events WHERE rowid > ?1 AND rowid <= ?2 ORDER BY rowid LIMIT ?3)`;
const INDEX_SQL = `INSERT OR REPLACE INTO events_fts (rowid, scope, text)
  SELECT ${SEARCH_ROWS_SQL} FROM events e WHERE e.rowid > ?1 AND e.rowid <= ?2 ${SEARCH_GROUP_SQL}`;
const PROGRESS_SQL = `UPDATE jobs SET progress = json_object('next_rowid', ?1), status = iif(?1 >= ?2, 'done', 'running'),
  attempts = 0, retry_at = NULL, error = NULL, updated_at = ?3, finished_at = iif(?1 >= ?2, ?3, NULL) WHERE id = ?4`;

/** The rowid `step` events after `from` (at most `last`), or null when there are none. */
export async function backfillStepEnd(d1: D1Database, from: number, last: number, step: number) {
  const row = await d1.prepare(NEXT_SQL).bind(from, last, step).first<{ next: number | null }>();
  return row?.next ?? null;
}

/** Indexes the events in rowids (from, next] and saves `next` as the job's progress (done once it reaches `last`). */
export const backfillStatements = (
  d1: D1Database,
  jobId: string,
  from: number,
  next: number,
  last: number,
  now: number,
) => [d1.prepare(INDEX_SQL).bind(from, next), d1.prepare(PROGRESS_SQL).bind(next, last, now, jobId)];
