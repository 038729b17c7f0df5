// Feeds the full-text index for the rows one write inserted: one index row per trace (see ../search.ts).
import { SEARCH_GROUP_SQL, searchRowsSql } from "../search.ts";
import { BY_KEY } from "./event-keys.ts";

/**
 * ?1 a JSON array of [project_id, trace_id, event_id, kept search text or null], ?2 the write's batch_id. Only rows this write
 * inserted carry its batch_id, so a redelivered event is never indexed twice.
 */
export const SEARCH_INDEX_SQL = `
    INSERT OR REPLACE INTO events_fts (rowid, scope, text)
    SELECT ${searchRowsSql("k.value ->> 3")}
    FROM json_each(?1) k
    JOIN events e ON ${BY_KEY}
    WHERE e.batch_id = ?2
    ${SEARCH_GROUP_SQL}`;

/**
 * The same, one index row per event: for folded events (src/db/writes/parts.ts), which a newer fold replaces one by one,
 * each with its own row.
 */
export const SEARCH_INDEX_EACH_SQL = SEARCH_INDEX_SQL.replace(SEARCH_GROUP_SQL, "GROUP BY e.rowid");
