// Day rollups of the event metrics (metrics_daily, migration 0024): one row per project, UTC day and dimensions, the sum
// of that day's hour rows, with the sketches as flat JSON arrays of (bucket, count) pairs. Triggers on metrics_hourly mark
// the day of every hour row inserted, changed or deleted in metrics_days_dirty, whatever writes it (the consumer, a
// rebuild after deletion or a replaced event, retention, a project move); the scheduled handler rebuilds complete dirty
// days here, each in one transaction that also clears its mark (a write landing after it marks the day again). Readers
// take a dirty day from its hour rows, so a day row is only read while it equals its hours.
import { DIMENSIONS } from "../../../contract/metrics.ts";
import { DAY_MS } from "../../lib/time.ts";
import { ROLLUP_SUMS, ROLLUP_SUMS_SQL } from "../queries/metrics.ts";

const DIMS = DIMENSIONS.join(", ");
const SUMS = ROLLUP_SUMS.join(", ");

/** One sketch column of the day's hour rows, per group, as a flat JSON array of pairs. */
const pairs = (column: string) =>
  `SELECT gk, '[' || group_concat(k || ',' || n) || ']' AS pairs FROM
    (SELECT h.gk, CAST(j.key AS INTEGER) AS k, sum(j.value) AS n FROM h, json_each(h.${column}) j GROUP BY h.gk, k)
    GROUP BY gk`;

/** ?1 project_id, ?2 day start: the statements that rebuild that day's rows from its hour rows and clear its mark. */
export const METRICS_DAY_REBUILD_SQL = [
  "DELETE FROM metrics_daily WHERE project_id = ?1 AND bucket = ?2",
  `WITH h AS MATERIALIZED (
      SELECT json_array(${DIMS}) AS gk, * FROM metrics_hourly
      WHERE project_id = ?1 AND bucket >= ?2 AND bucket < ?2 + ${DAY_MS}
    ),
    s AS (SELECT gk, ${DIMS}, ${ROLLUP_SUMS_SQL}
      FROM h GROUP BY gk),
    l AS (${pairs("latency")}),
    f AS (${pairs("first_token")})
    INSERT INTO metrics_daily (project_id, bucket, ${DIMS}, ${SUMS}, latency, first_token)
    SELECT ?1, ?2, ${DIMS}, ${SUMS}, coalesce(l.pairs, '[]'), coalesce(f.pairs, '[]')
    FROM s LEFT JOIN l USING (gk) LEFT JOIN f USING (gk) WHERE true`,
  "DELETE FROM metrics_days_dirty WHERE project_id = ?1 AND day = ?2",
];

/**
 * Rebuilds up to `limit` complete dirty days of one data database (oldest first; the day in progress stays dirty: a
 * read ending in it takes it from hours anyway) until `deadline`. Returns how many were rebuilt.
 */
export async function rebuildDirtyDays(d1: D1Database, now: number, limit = 50, deadline = Number.POSITIVE_INFINITY) {
  const { results } = await d1
    .prepare("SELECT project_id, day FROM metrics_days_dirty WHERE day <= ?1 ORDER BY day LIMIT ?2")
    .bind(now - DAY_MS, limit)
    .all<{ project_id: string; day: number }>();
  let done = 0;
  for (const { project_id, day } of results) {
    if (Date.now() > deadline) break;
    await d1.batch(METRICS_DAY_REBUILD_SQL.map((q) => d1.prepare(q).bind(project_id, day)));
    done++;
  }
  return done;
}
