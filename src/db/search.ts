// Full-text search over events (the `events_fts` table, rebuilt by migrations/0022): contentless (it keeps the index,
// not the text, which the events already hold) and one row per trace per write: the names and the first characters of
// the inputs, outputs and messages of the events one write stored for one trace, its rowid the rowid of the first of
// them (so deleting that event deletes the row, and a search hit finds its trace through the event). `scope` is the
// project as one token. A search finds traces, so one row per trace and write finds what one row per event found
// (and a trace whose words are split over events of one write too), for a tenth of the rows written and deleted.
import { SEARCH_LIMITS } from "../../contract/limits.ts";

/**
 * A project id as the single token the index stores in `scope` (the tokenizer would split it at `_`). Project ids
 * are `prj_` + base62, so dropping `_` in SQL and dropping every non-alphanumeric here agree.
 */
export const scopeToken = (projectId: string) => projectId.replace(/[^\p{L}\p{N}]/gu, "");

const part = (path: string) => `coalesce(substr(e.body ->> '${path}', 1, ${SEARCH_LIMITS.textChars}), '')`;

/** The searchable text of event `e`: its name and the first characters of its input, output and message. */
const EVENT_TEXT_SQL = `e.name || ' ' || ${part("$.input")} || ' ' || ${part("$.output")} || ' ' || ${part("$.message")}`;

/**
 * The index rows of the events `e` a query selects, one per trace: SELECT SEARCH_ROWS_SQL FROM … SEARCH_GROUP_SQL.
 * `known`: SQL of the text kept for an event whose body went to R2 (see keepSearchText), else null.
 */
export const searchRowsSql = (known = "null") =>
  `min(e.rowid), replace(e.project_id, '_', ''), group_concat(coalesce(${known}, ${EVENT_TEXT_SQL}), ' ')`;
export const SEARCH_ROWS_SQL = searchRowsSql();
export const SEARCH_GROUP_SQL = "GROUP BY e.project_id, e.trace_id";

/**
 * Offloaded bodies keep a shorter preview in D1 (BODY_LIMITS.previewChars) than search reads (SEARCH_LIMITS.textChars):
 * the text search indexes is taken when the body moves to R2, and the write that stores the event indexes it.
 * (A trace indexed again later, after an end user's deletion, reads the previews.)
 */
const keptTexts = new WeakMap<object, string>();

/** Keeps the searchable text of an event whose full body (JSON text) is about to be replaced by its preview. */
export function keepSearchText(event: { name: string }, body: string) {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const part = (value: unknown) =>
    value === undefined || value === null
      ? ""
      : (typeof value === "string" ? value : JSON.stringify(value)).slice(0, SEARCH_LIMITS.textChars);
  keptTexts.set(event, [event.name, part(parsed.input), part(parsed.output), part(parsed.message)].join(" "));
}

/** The text kept for an event by keepSearchText, or null (its stored body is what search reads). */
export const keptSearchText = (event: object) => keptTexts.get(event) ?? null;

/**
 * ?1 a JSON array of [project_id, trace_id]: the index rows of these traces are replaced by one row of all their events
 * (after events of the traces were replaced or deleted one by one, which may have taken a row other events shared).
 */
export const SEARCH_UNINDEX_TRACES_SQL = `DELETE FROM events_fts WHERE rowid IN (SELECT e.rowid FROM json_each(?1) k
  JOIN events e ON e.project_id = k.value ->> 0 AND e.trace_id = k.value ->> 1)`;
export const SEARCH_REINDEX_TRACES_SQL = `INSERT OR REPLACE INTO events_fts (rowid, scope, text)
  SELECT ${SEARCH_ROWS_SQL} FROM json_each(?1) k JOIN events e ON e.project_id = k.value ->> 0 AND e.trace_id = k.value ->> 1
  ${SEARCH_GROUP_SQL}`;

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
