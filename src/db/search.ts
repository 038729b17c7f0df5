// Full-text search over events (the `events_fts` table, rebuilt by migrations/0006): one row per event, its rowid the
// event's rowid (so an event's entry can be found and deleted), `scope` the project as one token, `text` the event's
// name and the first characters of its input, output and message.
import { SEARCH_LIMITS } from "../../contract/limits.ts";

/**
 * A project id as the single token the index stores in `scope` (the tokenizer would split it at `_`). Project ids
 * are `prj_` + base62, so dropping `_` in SQL and dropping every non-alphanumeric here agree.
 */
export const scopeToken = (projectId: string) => projectId.replace(/[^\p{L}\p{N}]/gu, "");

const part = (path: string) => `coalesce(substr(e.body ->> '${path}', 1, ${SEARCH_LIMITS.textChars}), '')`;

/** The index columns of events `e`, in `events_fts` column order after rowid: (scope, trace_id, text). */
export const SEARCH_ROW_SQL = `e.rowid, replace(e.project_id, '_', ''), e.trace_id,
  e.name || ' ' || ${part("$.input")} || ' ' || ${part("$.output")} || ' ' || ${part("$.message")}`;

/** The FTS5 query for a user's search text in one project: every word must appear (a trailing `*` keeps prefix search). */
export function searchMatch(projectId: string, q: string): string | null {
  // Words as the tokenizer cuts them (letters and digits), each its own one-token term: the index keeps no positions.
  const words = q.match(/[\p{L}\p{N}]+\*?/gu);
  if (!words?.length) return null;
  const quote = (text: string) => `"${text}"`;
  const terms = words
    .slice(0, SEARCH_LIMITS.maxWords)
    .map((w) => (w.endsWith("*") ? `${quote(w.slice(0, -1))}*` : quote(w)))
    .map((term, i) => withEscapedForm(term, words[i]!.replace(/\*$/, "")));
  return `scope : ${quote(scopeToken(projectId))} AND text : (${terms.join(" AND ")})`;
}

/**
 * A non-ASCII word also matches its JSON-escaped form: text that a client serialised with `\uXXXX` escapes before
 * sending it as a string (Python's `json.dumps`, as Langfuse's Python SDK does) is indexed as tokens `u4f60 u597d`.
 */
function withEscapedForm(term: string, word: string): string {
  if (/^[A-Za-z0-9]*$/.test(word)) return term;
  const units = Array.from({ length: word.length }, (_, i) => `"u${word.charCodeAt(i).toString(16).padStart(4, "0")}"`);
  return `(${term} OR (${units.join(" AND ")}))`;
}
