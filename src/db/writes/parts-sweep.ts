// Event parts that never became an event (a Langfuse update whose create never came, parts that never fold into a
// valid event): deleted by age, one window of arrival times at a time (the `event_parts_received` index). A fold is
// stored under a trace id one of its parts carries, so its event is looked for under each (the events' key).
const ORPHANS_SQL = `DELETE FROM event_parts WHERE rowid IN (SELECT p.rowid FROM event_parts p
  WHERE p.received_at >= ?1 AND p.received_at < ?2
    AND NOT EXISTS (SELECT 1 FROM events e WHERE e.project_id = p.project_id AND e.trace_id IN
      (SELECT q.trace_id FROM event_parts q WHERE q.project_id = p.project_id AND q.event_id = p.event_id)
      AND e.event_id = p.event_id)
  LIMIT ?3)`;

/** Deletes up to `limit` orphaned parts received in [from, until); how many went. */
/** Makes sure the database has the sweep job of this id (a no-op when it has). */
export const partsSweepJobEnsure = (d1: D1Database, id: string) =>
  d1.prepare("INSERT OR IGNORE INTO jobs (id, kind, status) VALUES (?1, ?1, 'running')").bind(id).run();

export async function eraseOrphanedParts(d1: D1Database, from: number, until: number, limit: number) {
  const { meta } = await d1.prepare(ORPHANS_SQL).bind(from, until, limit).run();
  return meta.changes;
}

/** When the oldest part still kept arrived (null: none). */
export const oldestPart = (d1: D1Database) =>
  d1.prepare("SELECT min(received_at) AS at FROM event_parts").first<number | null>("at");
