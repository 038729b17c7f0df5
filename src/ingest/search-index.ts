// Feeds the full-text index (events_fts, created in migrations/0002) for the trace list's `q` search.

/** A search looks at the newest this-many matching events (a word found everywhere must not walk a whole project). */
export const SEARCH_MAX_EVENTS = 10_000;

/** How much of each of an event's input, output and message text is searchable. */
export const SEARCH_TEXT_CHARS = 2_000;

const part = (path: string) => `coalesce(substr(e.body ->> '${path}', 1, ${SEARCH_TEXT_CHARS}), '')`;

/**
 * Parameters as the summary upsert's: ?1 a JSON array of [project_id, event_id], ?2 the write's batch_id. Only rows
 * this write inserted carry its batch_id, so a redelivered event is never indexed twice.
 */
export const SEARCH_INDEX_SQL = `
    INSERT INTO events_fts (scope, trace_id, text)
    SELECT e.project_id, e.trace_id, e.name || ' ' || ${part("$.input")} || ' ' || ${part("$.output")} || ' ' || ${part("$.message")}
    FROM json_each(?1) k
    JOIN events e ON e.project_id = k.value ->> 0 AND e.event_id = k.value ->> 1
    WHERE e.batch_id = ?2`;

/** The FTS5 query for a user's search text in one project: every word must appear (a trailing `*` keeps prefix search). */
export function searchQuery(projectId: string, q: string): string | null {
  const words = q.match(/[\p{L}\p{N}_]+\*?/gu);
  if (!words?.length) return null;
  const phrase = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const terms = words.slice(0, 16).map((w) => (w.endsWith("*") ? `${phrase(w.slice(0, -1))}*` : phrase(w)));
  return `scope : ${phrase(projectId)} AND text : (${terms.join(" AND ")})`;
}
