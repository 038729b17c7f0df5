// The metric rollups (metrics_minute, metrics_hourly, their coarse twins metrics_coarse_minute/_hourly, the whole-project
// metrics_total_minute/_hourly, and per end user user_metrics_minute, user_metrics_hourly): per project, bucket and
// dimensions, the sums of the events and their latency and first-token sketches. The consumer adds
// what each write inserted (batch_id guard, like the cost rollup: a redelivered event adds nothing), aggregated in SQL
// over the batch, one upsert per group; deletions, replaced events and recomputed costs adjust them by difference.
import { COARSE_DIMENSIONS, DIMENSIONS } from "../../../contract/metrics.ts";
import { bucketSql } from "../../lib/sketch.ts";
import { HOUR_MS, MINUTE_MS } from "../../lib/time.ts";
import { BY_KEY } from "./event-keys.ts";

export type Rollup = { table: string; size: number; dims: readonly string[]; where: string };

/** Minute rollups are kept this long (alerts read them; the API reads hours beyond). */
export const MINUTE_ROLLUP_RETENTION_MS = 48 * HOUR_MS;
/**
 * The first minute kept, in SQL: the minute holding now − 48 h. Minute rows of older events would only be pruned, so
 * they are not written (or rebuilt) at all; whole minutes, so a minute at or after this one always holds all its events
 * (the pruning and the readers use the same edge: `minuteRollupStart`).
 */
const FIRST_MINUTE = `((CAST(unixepoch('subsec') * 1000 AS INTEGER) - ${MINUTE_ROLLUP_RETENTION_MS}) / ${MINUTE_MS}) * ${MINUTE_MS}`;
const RECENT = `e.ts >= ${FIRST_MINUTE}`;

/** The first minute whose minute rows are complete at `now` (older ones are pruned, or partly never written). */
export const minuteRollupStart = (now: number) =>
  Math.floor((now - MINUTE_ROLLUP_RETENTION_MS) / MINUTE_MS) * MINUTE_MS;

/**
 * The eight rollups: two grains, each for the event dimensions, for the coarse ones (type and status: what a series of
 * one type or status reads in a few rows per bucket), for none (the whole project: a series of all events reads one
 * row per bucket) and for end users.
 */
export const ROLLUPS: Rollup[] = [
  { table: "metrics_minute", size: MINUTE_MS, dims: DIMENSIONS, where: RECENT },
  { table: "metrics_hourly", size: HOUR_MS, dims: DIMENSIONS, where: "true" },
  { table: "metrics_coarse_minute", size: MINUTE_MS, dims: COARSE_DIMENSIONS, where: RECENT },
  { table: "metrics_coarse_hourly", size: HOUR_MS, dims: COARSE_DIMENSIONS, where: "true" },
  { table: "metrics_total_minute", size: MINUTE_MS, dims: [], where: RECENT },
  { table: "metrics_total_hourly", size: HOUR_MS, dims: [], where: "true" },
  { table: "user_metrics_minute", size: MINUTE_MS, dims: ["user_id"], where: `e.user_id IS NOT NULL AND ${RECENT}` },
  { table: "user_metrics_hourly", size: HOUR_MS, dims: ["user_id"], where: "e.user_id IS NOT NULL" },
];

const SUMS = ["count", "errors", "input_tokens", "output_tokens", "cached_input_tokens", "cost", "duration_sum"];
const COUNTS = ["duration_count", "first_token_count"];

/** Adds two stored sketches (JSON objects of bucket → count); a bucket whose counts cancel out (a subtraction) goes. */
const mergeJson = (a: string, b: string) =>
  `(SELECT coalesce(json_group_object(key, n), '{}') FROM (SELECT key, sum(value) AS n FROM
    (SELECT key, value FROM json_each(${a}) UNION ALL SELECT key, value FROM json_each(${b})) GROUP BY key HAVING n <> 0))`;

/** A sketch per group of `g`, from the rows of `new` whose `column` is set (counts times `sign`). */
const sketchOf = (column: string, sign: 1 | -1) =>
  `(SELECT coalesce(json_group_object(k, n), '{}') FROM (SELECT ${bucketSql(column)} AS k, ${sign} * count(*) AS n
    FROM new WHERE new.gk = g.gk AND ${column} IS NOT NULL GROUP BY k))`;

/**
 * An INSERT of the events `e` of `source` (a FROM … WHERE clause), aggregated into rows of the rollup `r`, limited to
 * `r.where` (pass `{ ...r, where: "true" }` to write every minute: benchmarks filling a dataset of the past). `sign`
 * -1 negates every sum, count and sketch count: what the events take away (see METRICS_SUBTRACT_SQL).
 */
export function rollupInsertSql(r: Rollup, source: string, sign: 1 | -1 = 1) {
  const key = ["project_id", "bucket", ...r.dims];
  return `
    WITH new AS MATERIALIZED (
      SELECT e.project_id, (e.ts / ${r.size}) * ${r.size} AS bucket,${r.dims.map((d) => ` coalesce(e.${d}, '') AS ${d},`).join("")}
        json_array(e.project_id, (e.ts / ${r.size}) * ${r.size}${r.dims.map((d) => `, coalesce(e.${d}, '')`).join("")}) AS gk,
        (e.status = 'error' OR e.type = 'error') AS error, e.input_tokens, e.output_tokens, e.cached_input_tokens,
        e.cost_usd, e.duration_ms, e.first_token_ms
      FROM ${source} AND ${r.where}
    ),
    g AS (
      SELECT gk, ${key.join(", ")}, ${sign} * count(*) AS count, ${sign} * sum(error) AS errors,
        ${sign} * coalesce(sum(input_tokens), 0) AS input_tokens, ${sign} * coalesce(sum(output_tokens), 0) AS output_tokens,
        ${sign} * coalesce(sum(cached_input_tokens), 0) AS cached_input_tokens, ${sign} * total(cost_usd) AS cost,
        ${sign} * total(duration_ms) AS duration_sum, ${sign} * count(duration_ms) AS duration_count,
        ${sign} * count(first_token_ms) AS first_token_count
      FROM new GROUP BY gk
    )
    INSERT INTO ${r.table} (${key.join(", ")}, ${[...SUMS, ...COUNTS].join(", ")}, latency, first_token)
    SELECT ${key.join(", ")}, ${[...SUMS, ...COUNTS].join(", ")}, ${sketchOf("duration_ms", sign)}, ${sketchOf("first_token_ms", sign)}
    FROM g WHERE true`;
}

function upsertSql(r: Rollup, source: string, sign: 1 | -1 = 1) {
  const key = ["project_id", "bucket", ...r.dims];
  const add = [...SUMS, ...COUNTS].map((c) => `${c} = ${r.table}.${c} + excluded.${c}`);
  return `${rollupInsertSql(r, source, sign)}
    ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${add.join(", ")},
      latency = ${mergeJson(`${r.table}.latency`, "excluded.latency")},
      first_token = ${mergeJson(`${r.table}.first_token`, "excluded.first_token")}`;
}

/** ?1 a JSON array of [project_id, trace_id, event_id] the write may have inserted, ?2 the write's batch_id: one per rollup. */
export const METRICS_ROLLUP_SQL = ROLLUPS.map((r) =>
  upsertSql(r, `json_each(?1) k JOIN events e ON ${BY_KEY} WHERE e.batch_id = ?2`),
);

/**
 * Adjusting by difference, for events that change or go (a fold replaced, a cost recomputed, a deletion on request):
 * the statements adding (`sign` 1) or taking away (-1) what the events `e` of `source` (a FROM … WHERE clause, its
 * parameters the caller's) count in every rollup, one upsert per group; taking away ends by deleting the groups left
 * with no event. No statement reads an hour's other events, so events need no index by time (docs/SCALING.md §2.5).
 * Sums of floats (cost, duration) may then differ from a rebuild by rounding.
 */
export const METRICS_ADJUST_SQL = (source: string, sign: 1 | -1) => [
  ...ROLLUPS.map((r) => upsertSql(r, source, sign)),
  ...(sign === -1
    ? ROLLUPS.map(
        (r) => `DELETE FROM ${r.table} WHERE count <= 0 AND (project_id, bucket) IN
          (SELECT DISTINCT e.project_id, (e.ts / ${r.size}) * ${r.size} FROM ${source})`,
      )
    : []),
];

/**
 * ?1 project_id, ?2 before: that project's rollups older than ?2, ?3 at most this many buckets per table (the tables
 * are WITHOUT ROWID, clustered by project and bucket: whole buckets go, oldest first).
 */
export const METRICS_ERASE_SQL = ROLLUPS.map(
  (r) =>
    `DELETE FROM ${r.table} WHERE project_id = ?1 AND bucket IN
      (SELECT DISTINCT bucket FROM ${r.table} WHERE project_id = ?1 AND bucket < ?2 ORDER BY bucket LIMIT ?3)`,
);

/** Deletes the projects' minute rollups past MINUTE_ROLLUP_RETENTION_MS (each read from its own index range). */
export async function pruneMinuteRollups(d1: D1Database, projectIds: string[], now: number) {
  const statements = ROLLUPS.filter((r) => r.size === MINUTE_MS).flatMap((r) =>
    projectIds.map((id) =>
      d1.prepare(`DELETE FROM ${r.table} WHERE project_id = ?1 AND bucket < ?2`).bind(id, minuteRollupStart(now)),
    ),
  );
  for (let i = 0; i < statements.length; i += 100) await d1.batch(statements.slice(i, i + 100));
}

/** The hour rollups (kept like cost rollups: a move copies the rows of hours no event is left in). */
export const METRICS_HOURLY_TABLES = ROLLUPS.filter((r) => r.size === HOUR_MS).map((r) => r.table);
