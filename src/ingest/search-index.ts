// Feeds the full-text index (events_fts, created in migrations/0002) for the trace list's `q` search.

/** A search looks at the newest this-many matching events (a word found everywhere must not walk a whole project). */
export const SEARCH_MAX_EVENTS = 10_000;

/** How much of each of an event's input, output and message text is searchable. */
export const SEARCH_TEXT_CHARS = 2_000;

/**
 * A project id as the single token the index stores in `scope` (the tokenizer would split it at `_`). Project ids
 * are `prj_` + base62, so dropping `_` in SQL and dropping every non-alphanumeric here agree.
 */
export const scopeToken = (projectId: string) => projectId.replace(/[^\p{L}\p{N}]/gu, "");
const SCOPE_SQL = `replace(e.project_id, '_', '')`;

const part = (path: string) => `coalesce(substr(e.body ->> '${path}', 1, ${SEARCH_TEXT_CHARS}), '')`;

/**
 * Parameters as the summary upsert's: ?1 a JSON array of [project_id, event_id], ?2 the write's batch_id. Only rows
 * this write inserted carry its batch_id, so a redelivered event is never indexed twice.
 */
export const SEARCH_INDEX_SQL = `
    INSERT INTO events_fts (scope, trace_id, text)
    SELECT ${SCOPE_SQL}, e.trace_id, e.name || ' ' || ${part("$.input")} || ' ' || ${part("$.output")} || ' ' || ${part("$.message")}
    FROM json_each(?1) k
    JOIN events e ON e.project_id = k.value ->> 0 AND e.event_id = k.value ->> 1
    WHERE e.batch_id = ?2`;

/** The FTS5 query for a user's search text in one project: every word must appear (a trailing `*` keeps prefix search). */
export function searchQuery(projectId: string, q: string): string | null {
  // Words as the tokenizer cuts them (letters and digits), each its own one-token term: the index keeps no positions.
  const words = q.match(/[\p{L}\p{N}]+\*?/gu);
  if (!words?.length) return null;
  const quote = (text: string) => `"${text}"`;
  const terms = words.slice(0, 16).map((w) => (w.endsWith("*") ? `${quote(w.slice(0, -1))}*` : quote(w)));
  return `scope : ${quote(scopeToken(projectId))} AND text : (${terms.join(" AND ")})`;
}
