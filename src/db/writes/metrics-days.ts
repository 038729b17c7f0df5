// Day rollups of the event metrics (metrics_daily, migration 0024): one row per project, UTC day and dimensions, the sum
// of that day's hour rows, with the sketches as flat JSON arrays of (bucket, count) pairs. Triggers on metrics_hourly mark
// the day of every hour row inserted, changed or deleted in metrics_days_dirty, whatever writes it (the consumer, a
// rebuild after deletion or a replaced event, retention, a project move); the scheduled handler rebuilds complete dirty
// days here, each in one transaction that also clears its mark (a write landing after it marks the day again). Readers
// take a dirty day from its hour rows, so a day row is only read while it equals its hours.
// The day in progress is built part-way (migration 0031): from its complete hours, when enough events arrived since its
// last build to keep builds a small fraction of a row written per event; its rows then cover [day, through)
// (metrics_days_partial), hour rows from `through` on don't mark it dirty, and readers add those hour rows to its rows.
import { DIMENSIONS } from "../../../contract/metrics.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../lib/time.ts";
import { ROLLUP_SUMS, ROLLUP_SUMS_SQL } from "../queries/metrics.ts";

const DIMS = DIMENSIONS.join(", ");
const SUMS = ROLLUP_SUMS.join(", ");

/** One sketch column of the day's hour rows, per group, as a flat JSON array of pairs. */
const pairs = (column: string) =>
  `SELECT gk, '[' || group_concat(k || ',' || n) || ']' AS pairs FROM
    (SELECT h.gk, CAST(j.key AS INTEGER) AS k, sum(j.value) AS n FROM h, json_each(h.${column}) j GROUP BY h.gk, k)
    GROUP BY gk`;

/**
 * ?1 project_id, ?2 day start, ?3 the end of the hours built (the day's end for a complete day): the statements that
 * rebuild that day's rows from its hour rows in [?2, ?3), record how far they reach when short of the day's end, and
 * clear its mark.
 */
export const METRICS_DAY_REBUILD_SQL = [
  "DELETE FROM metrics_daily WHERE project_id = ?1 AND bucket = ?2",
  `WITH h AS MATERIALIZED (
      SELECT json_array(${DIMS}) AS gk, * FROM metrics_hourly
      WHERE project_id = ?1 AND bucket >= ?2 AND bucket < ?3
    ),
    s AS (SELECT gk, ${DIMS}, ${ROLLUP_SUMS_SQL}
      FROM h GROUP BY gk),
    l AS (${pairs("latency")}),
    f AS (${pairs("first_token")})
    INSERT INTO metrics_daily (project_id, bucket, ${DIMS}, ${SUMS}, latency, first_token)
    SELECT ?1, ?2, ${DIMS}, ${SUMS}, coalesce(l.pairs, '[]'), coalesce(f.pairs, '[]')
    FROM s LEFT JOIN l USING (gk) LEFT JOIN f USING (gk) WHERE true`,
  "DELETE FROM metrics_days_partial WHERE project_id = ?1 AND day = ?2",
  `INSERT INTO metrics_days_partial (project_id, day, through, events, rows)
    SELECT ?1, ?2, ?3, events, rows FROM
      (SELECT coalesce(sum(count), 0) AS events, count(*) AS rows FROM metrics_daily WHERE project_id = ?1 AND bucket = ?2)
    WHERE ?3 < ?2 + ${DAY_MS}`,
  "DELETE FROM metrics_days_dirty WHERE project_id = ?1 AND day = ?2",
];

/** A build of the day in progress waits for this many new events per row it writes (≤ 0.02 rows written per event). */
export const EVENTS_PER_ROW_BUILT = 50;
/** An hour counts as complete this long after it ends (its last events may still be on the queue). */
export const SETTLE_MS = 5 * MINUTE_MS;
/** Days in progress are looked at in the first minutes after an hour settles (a missed tick is made up within them). */
const CHECK_MS = 5 * MINUTE_MS;

/** The parameters of one of METRICS_DAY_REBUILD_SQL (D1 refuses more than a statement numbers). */
export const dayBuildArgs = (sql: string, projectId: string, day: number, end: number) =>
  sql.includes("?3") ? [projectId, day, end] : [projectId, day];

const build = (d1: D1Database, projectId: string, day: number, end: number) =>
  d1.batch(METRICS_DAY_REBUILD_SQL.map((q) => d1.prepare(q).bind(...dayBuildArgs(q, projectId, day, end))));

/**
 * Rebuilds up to `limit` complete dirty days of one data database (oldest first), and complete days built part-way,
 * until `deadline`; then builds days in progress through their complete hours where it pays (buildDaysInProgress).
 * Returns how many days were built.
 */
export async function rebuildDirtyDays(d1: D1Database, now: number, limit = 50, deadline = Number.POSITIVE_INFINITY) {
  const { results } = await d1
    .prepare(
      `SELECT project_id, day FROM metrics_days_dirty WHERE day <= ?1
        UNION SELECT project_id, day FROM metrics_days_partial WHERE day <= ?1 ORDER BY day LIMIT ?2`,
    )
    .bind(now - DAY_MS, limit)
    .all<{ project_id: string; day: number }>();
  let done = 0;
  for (const { project_id, day } of results) {
    if (Date.now() > deadline) return done;
    await build(d1, project_id, day, day + DAY_MS);
    done++;
  }
  return done + (await buildDaysInProgress(d1, now, limit - done, deadline));
}

type InProgress = {
  project_id: string;
  day: number;
  through: number | null;
  /** The day's events in its complete hours now, and when its rows were built. */
  total: number;
  events: number;
  rows: number;
  dirty: number;
};

/**
 * ?1 now, ?2 the end of the complete hours, ?3 limit, ?4 events per row built: days in progress with complete hours
 * their rows don't cover and enough events since their last build to pay for rewriting its rows (the day's events
 * from its whole-project hour rows, a few a day, in the same read), the least covered first.
 */
const IN_PROGRESS_SQL = `SELECT * FROM (
    SELECT c.project_id, c.day, p.through, coalesce(p.events, 0) AS events, coalesce(p.rows, 0) AS rows,
      EXISTS (SELECT 1 FROM metrics_days_dirty x WHERE x.project_id = c.project_id AND x.day = c.day) AS dirty,
      (SELECT coalesce(sum(h.count), 0) FROM metrics_total_hourly h
        WHERE h.project_id = c.project_id AND h.bucket >= c.day AND h.bucket < ?2) AS total
    FROM (SELECT project_id, day FROM metrics_days_dirty WHERE day > ?1 - ${DAY_MS} AND day < ?2
      UNION SELECT project_id, day FROM metrics_days_partial WHERE day > ?1 - ${DAY_MS} AND through < ?2) c
    LEFT JOIN metrics_days_partial p USING (project_id, day))
  WHERE total - events >= ?4 * (2 * rows + 1)
  ORDER BY coalesce(through, day) LIMIT ?3`;
/** ?1 project, ?2 start, ?3 end: the hour rows a build would take in place of (and the groups among them). */
const UNCOVERED_SQL = `SELECT count(*) AS hours, count(DISTINCT json_array(${DIMS})) AS groups FROM metrics_hourly
  WHERE project_id = ?1 AND bucket >= ?2 AND bucket < ?3`;

/**
 * Builds the day in progress of each project through its complete hours when that pays: at least
 * EVENTS_PER_ROW_BUILT events arrived since its last build per row the build writes (its rows deleted and written
 * again), and its rows will be fewer than the hour rows they replace. Looked at once an hour (the first ticks after
 * an hour settles), so a day's build costs at most a few reads an hour when it doesn't pay.
 */
export async function buildDaysInProgress(
  d1: D1Database,
  now: number,
  limit = 50,
  deadline = Number.POSITIVE_INFINITY,
  eventsPerRow = EVENTS_PER_ROW_BUILT,
) {
  const end = Math.floor((now - SETTLE_MS) / HOUR_MS) * HOUR_MS;
  if (limit <= 0 || now - SETTLE_MS - end >= CHECK_MS) return 0;
  // Only days with enough new events come back (one read); a few of them may still not pay (below).
  const { results } = await d1
    .prepare(IN_PROGRESS_SQL)
    .bind(now, end, limit * 2, eventsPerRow)
    .all<InProgress>();
  let done = 0;
  for (const c of results) {
    if (done >= limit || Date.now() > deadline) break;
    const fresh = c.total - c.events;
    // A dirty day is built from its first hour (its rows don't stand for any of it now).
    const start = c.dirty || c.through === null ? c.day : c.through;
    const uncovered = await d1
      .prepare(UNCOVERED_SQL)
      .bind(c.project_id, start, end)
      .first<{ hours: number; groups: number }>();
    const { hours, groups } = uncovered ?? { hours: 0, groups: 0 };
    const written = c.rows + (start === c.day ? groups : c.rows + groups);
    if (hours <= groups || fresh < eventsPerRow * written) continue;
    await build(d1, c.project_id, c.day, end);
    done++;
  }
  return done;
}
