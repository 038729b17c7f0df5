// Feeds the full-text index for the rows one write inserted: one index row per trace (see ../search.ts).
import { SEARCH_GROUP_SQL, SEARCH_ROWS_SQL } from "../search.ts";

/**
 * Parameters as the summary upsert's: ?1 a JSON array of [project_id, event_id], ?2 the write's batch_id. Only rows
 * this write inserted carry its batch_id, so a redelivered event is never indexed twice.
 */
export const SEARCH_INDEX_SQL = `
    INSERT OR REPLACE INTO events_fts (rowid, scope, text)
    SELECT ${SEARCH_ROWS_SQL}
    FROM json_each(?1) k
    JOIN events e ON e.project_id = k.value ->> 0 AND e.event_id = k.value ->> 1
    WHERE e.batch_id = ?2
    ${SEARCH_GROUP_SQL}`;
