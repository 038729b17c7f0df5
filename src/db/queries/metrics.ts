// Reads of the metric rollups (minute, hour and day rows; and of trace summaries for the trace view): sums and sketches per bucket and group.
// Rows read are bounded by buckets × groups in range, not by events (the trace view reads one row per trace, and a read
// naming end users together with other fields reads those users' events).
import {
  COARSE_DIMENSIONS,
  DIMENSIONS,
  METRICS,
  type MetricField,
  type MetricFilters,
  type MetricName,
} from "../../../contract/metrics.ts";
import { bucketSql, bucketValue } from "../../lib/sketch.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../lib/time.ts";

export type Grain = "minute" | "hour";
/** The rollups a read may take its rows from, narrowest last: full ⊃ coarse (type, status) ⊃ total (none). */
export type Narrowest = "full" | "coarse" | "total";
const GRAIN_MS: Record<Grain, number> = { minute: MINUTE_MS, hour: HOUR_MS };

/** One bucket of one group: sums, and the sketches as JSON text (an object, or an array of objects to add up). */
export type MetricRow = {
  bucket: number;
  count: number;
  latency: string | null;
  first_token: string | null;
  /** The row's own percentiles (metric name → ms, null when none) as stored (Read.storedPercentiles). */
  percentiles?: Partial<Record<StoredPercentile, number | null>>;
  /** A row of the range's sketches only, no sums: what its total's percentiles come from (Read.storedPercentiles). */
  range?: true;
} & Partial<Record<RollupSum, number>> &
  Partial<Record<MetricField, string | null>>;

/** A percentile metric of the API (`latency_p95`, `first_token_p50`, ...). */
export type StoredPercentile = Extract<MetricName, `${string}_p${number}`>;
/** The percentiles each whole-project minute row stores (migration 0030): every one the API offers, in its order. */
export const STORED_PERCENTILES = METRICS.filter((m): m is StoredPercentile => /_p\d+$/.test(m));
export const isStoredPercentile = (m: string): m is StoredPercentile =>
  (STORED_PERCENTILES as readonly string[]).includes(m);

export type Read = {
  from: number;
  to: number;
  /** Bucket size of the answer (a multiple of the source's). */
  size: number;
  fields: MetricField[];
  filters: MetricFilters;
  /** The summed columns needed (default: all; `count` is always read): fewer columns, fewer bytes to move. */
  sums?: readonly RollupSum[];
  /** The sketches needed (percentiles asked for): all, none, or those named. */
  sketches: boolean | ReadonlyArray<"latency" | "first_token">;
  /**
   * The narrowest rollups that may serve the read when it fits them: the whole-project ones (default), the coarse ones,
   * or the full ones only (benchmarks' A/B of the older reads).
   */
  rollups?: Narrowest;
  /**
   * The percentiles a read of the whole-project minute rows at their own bucket size may answer per bucket as its row
   * stores them (`percentiles`) instead of with its sketches: only for a caller that never adds two buckets together
   * nor takes one from another (a series of all events). The range's sketches then come as one more row (`range`).
   */
  storedPercentiles?: readonly StoredPercentile[];
};

/** The rollups' summed columns (hour, minute and day rows alike). */
export const ROLLUP_SUMS = [
  "count",
  "errors",
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "cost",
  "duration_sum",
  "duration_count",
  "first_token_count",
] as const;
export type RollupSum = (typeof ROLLUP_SUMS)[number];
/** The summed columns that hold reals (the rest count). */
const isReal = (c: string) => c === "cost" || c === "duration_sum";
/** A summed column added up in SQL under its own name (reals with total(), counts with sum()). */
const sumSql = (c: RollupSum) => `${isReal(c) ? "total" : "sum"}(${c}) AS ${c}`;
/** Each summed column added up in SQL. */
export const ROLLUP_SUMS_SQL = ROLLUP_SUMS.map(sumSql).join(", ");

/** `column IN (…)` for each filter, values bound as one JSON parameter each, numbered from `next`. */
function filterClauses(filters: MetricFilters, column: (f: MetricField) => string, next: number) {
  const clauses: string[] = [];
  const params: string[] = [];
  for (const [field, values] of Object.entries(filters) as Array<[MetricField, string[]]>) {
    clauses.push(`${column(field)} IN (SELECT value FROM json_each(?${next + params.length}))`);
    params.push(JSON.stringify(values));
  }
  return { where: clauses.map((c) => ` AND ${c}`).join(""), params };
}

const SKETCHES = ["latency", "first_token"] as const;
type SketchName = (typeof SKETCHES)[number];
/** The sketches a read asks for: all, none, or those named. */
const sketchesOf = (r: Read) => (r.sketches === true ? SKETCHES : r.sketches === false ? [] : r.sketches);

const COLUMN_LIST = ["bucket", ...DIMENSIONS, ...ROLLUP_SUMS, "latency", "first_token"];
const COLUMNS = COLUMN_LIST.join(", ");
const HOUR_COLUMNS = COLUMN_LIST.map((c) => `h.${c}`).join(", ");

/**
 * Where the rows of an hour read come from: whole UTC days from the day rollup when each day falls in one answer bucket
 * (the answer's buckets are whole days, or the read is one bucket), except days marked dirty (their hour rows changed
 * since the day row was built), which are read from hours like the ragged ends. A day built part-way (the day in
 * progress: metrics_days_partial) is its day rows for [day, through) and its hour rows from `through` on; so is the
 * last ragged day when its rows end by `to`. Null: hours only.
 */
function hourSource(projectTable: string, r: Read) {
  if (projectTable !== "metrics_hourly") return null;
  const oneBucket = Math.floor(r.from / r.size) === Math.floor((r.to - 1) / r.size);
  if (r.size % DAY_MS !== 0 && !oneBucket) return null;
  const firstDay = Math.ceil(r.from / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(r.to / DAY_MS) * DAY_MS;
  if (firstDay >= lastDay) return null;
  const clean = (day: string) =>
    `NOT EXISTS (SELECT 1 FROM metrics_days_dirty x WHERE x.project_id = ?1 AND x.day = ${day})`;
  // ?1 project, ?2 from, ?3 to, then ?4 the first whole day, ?5 the end of the last (filters are numbered after them).
  // The last ragged day's rows serve [?5, through) when built part-way through at most `to` and clean.
  const lastBuilt = `(SELECT through FROM metrics_days_partial WHERE project_id = ?1 AND day = ?5 AND through <= ?3
      AND ${clean("?5")})`;
  // The ranges of hours no day row serves: the ragged ends, whole days built part-way (after `through`), dirty days.
  // (D1 allows 5 terms in a compound SELECT: the ranges are one compound, the day and hour rows another.)
  const hours = `SELECT ?2 AS lo, ?4 AS hi
      UNION ALL SELECT coalesce(${lastBuilt}, ?5), ?3
      UNION ALL SELECT through, day + ${DAY_MS} FROM metrics_days_partial p
        WHERE project_id = ?1 AND day >= ?4 AND day < ?5 AND ${clean("p.day")}
      UNION ALL SELECT day, day + ${DAY_MS} FROM metrics_days_dirty WHERE project_id = ?1 AND day >= ?4 AND day < ?5`;
  return {
    params: [firstDay, lastDay],
    sql: `SELECT ${COLUMNS} FROM metrics_daily WHERE project_id = ?1 AND bucket >= ?4 AND bucket < ?5
        AND bucket NOT IN (SELECT day FROM metrics_days_dirty WHERE project_id = ?1 AND day >= ?4 AND day < ?5)
      UNION ALL SELECT ${COLUMNS} FROM metrics_daily WHERE project_id = ?1 AND bucket = ?5 AND ${lastBuilt} IS NOT NULL
      UNION ALL SELECT ${HOUR_COLUMNS} FROM (${hours}) r CROSS JOIN metrics_hourly h
        ON h.project_id = ?1 AND h.bucket >= r.lo AND h.bucket < r.hi`,
  };
}

const COARSE: ReadonlySet<string> = new Set(COARSE_DIMENSIONS);

/**
 * The table a read takes its rows from: end users' rollups when it names users; the whole-project rollups when it
 * neither groups nor filters (one row per bucket); the coarse rollups when it groups and filters by their dimensions
 * only (a few rows per bucket), unless whole days of day rows serve it (30 days by day); else the full ones.
 */
function rollupTable(grain: Grain, r: Read) {
  const suffix = grain === "minute" ? "minute" : "hourly";
  if (r.fields.includes("user_id") || "user_id" in r.filters) return `user_metrics_${suffix}`;
  const full = `metrics_${suffix}`;
  const named = [...r.fields, ...Object.keys(r.filters)];
  const narrowest = r.rollups ?? "total";
  if (narrowest === "full" || hourSource(full, r)) return full;
  if (!named.length && narrowest === "total") return `metrics_total_${suffix}`;
  return named.every((f) => COARSE.has(f)) ? `metrics_coarse_${suffix}` : full;
}

/** The rollup rows of a project in [from, to), summed per answer bucket and group. */
export async function rollupRows(d1: D1Database, projectId: string, grain: Grain, r: Read): Promise<MetricRow[]> {
  const table = rollupTable(grain, r);
  const days = hourSource(table, r);
  const groups = [...new Set(r.fields)];
  const { where, params } = filterClauses(r.filters, (f) => f, days ? 6 : 4);
  const wanted = sketchesOf(r);
  // Stored sketches are text already (JSON objects, or arrays of pairs from day rows): concatenated into an array, not
  // parsed in SQL; the reader scans them (addSketchText).
  const sketches = SKETCHES.map((k) =>
    wanted.includes(k) ? `'[' || group_concat(${k}) || ']' AS ${k}` : `NULL AS ${k}`,
  ).join(", ");
  const source = days ? `(${days.sql}) WHERE true` : `${table} WHERE project_id = ?1 AND bucket >= ?2 AND bucket < ?3`;
  // A whole-project rollup read at its own bucket size holds one row per answer bucket already: read in key order, as
  // stored (no GROUP BY; each row read once), and answered as one text (storedRows).
  const stored = table.startsWith("metrics_total_") && r.size === GRAIN_MS[grain];
  const sums = ROLLUP_SUMS.filter((c) => c === "count" || !r.sums || r.sums.includes(c));
  if (stored) return storedRows(d1, projectId, grain, r, sums, wanted);
  const sql = `SELECT (bucket / ${r.size}) * ${r.size} AS bucket${groups.map((g) => `, ${g}`).join("")}, ${sums.map(sumSql).join(", ")}, ${sketches}
    FROM ${source}${where}
    GROUP BY 1${groups.map((_, i) => `, ${i + 2}`).join("")}`;
  const [names, ...rows] = await d1
    .prepare(sql)
    .bind(projectId, r.from, r.to, ...(days?.params ?? []), ...params)
    .raw({ columnNames: true });
  return rowObjects(names as string[], rows);
}

/** Field and row separators of `storedRows`' text (ASCII unit and record separators: in no number or sketch). */
const [UNIT, RECORD] = ["\u001f", "\u001e"];

/**
 * ?1 project, ?2 from, ?3 to, ?4 the first whole hour, ?5 the end of the last: the whole-project sketches of a minute
 * read's [from, to) in the fewest rows: hour rows for its whole hours, minute rows for its ragged ends.
 */
const RANGE_SKETCHES = `SELECT latency, first_token FROM metrics_total_hourly WHERE project_id = ?1 AND bucket >= ?4 AND bucket < ?5
    UNION ALL SELECT latency, first_token FROM metrics_total_minute WHERE project_id = ?1 AND bucket >= ?2 AND bucket < ?4
    UNION ALL SELECT latency, first_token FROM metrics_total_minute WHERE project_id = ?1 AND bucket >= ?5 AND bucket < ?3`;

/** The whole hours of [from, to) (?4, ?5 of RANGE_SKETCHES): none (both `to`) when it holds none. */
function wholeHours(from: number, to: number) {
  const [first, end] = [Math.ceil(from / HOUR_MS) * HOUR_MS, Math.floor(to / HOUR_MS) * HOUR_MS];
  return first < end ? [first, end] : [to, to];
}

/**
 * A whole-project rollup's rows at its own bucket size, as stored, answered as ONE text (fields and rows joined by
 * separators) rather than 1,440 rows: D1 pays per row it answers (≈ 10 µs each through the local binding, more than
 * the SQL), so a 24-hour minute series moves one row. Reals printed with 17 digits (they read back exactly).
 * With `storedPercentiles` (minute rows), each row brings its stored percentiles (a few digits each) for its own point
 * and no sketch: the same statement adds the range's sketches in the fewest rows (RANGE_SKETCHES) for the total (at 1M
 * events a minute's sketch is ~200 bytes, and 1,440 of them were most of what the 24-hour minute series moved and
 * parsed).
 */
async function storedRows(
  d1: D1Database,
  projectId: string,
  grain: Grain,
  r: Read,
  sums: readonly string[],
  wanted: readonly SketchName[],
): Promise<MetricRow[]> {
  const table = grain === "minute" ? "metrics_total_minute" : "metrics_total_hourly";
  const percentiles = grain === "minute" ? (r.storedPercentiles ?? []) : [];
  const stored = percentiles.length > 0;
  const sketches = stored ? [] : wanted;
  // Buckets as their number from the range's first (a few digits, not 13).
  const first = Math.floor(r.from / r.size) * r.size;
  const fields = [
    `((bucket - ${first}) / ${r.size})`,
    ...sums.map((c) => (isReal(c) ? `printf('%!.17g', ${c})` : c)),
    ...percentiles.map((p) => `coalesce(${p}, '')`),
    ...sketches,
  ];
  const range = stored ? wanted : [];
  const rangeSql = range.map((k) => `, (SELECT '[' || group_concat(${k}) || ']' FROM (${RANGE_SKETCHES})) AS ${k}`);
  const rows = await d1
    .prepare(
      `SELECT (SELECT group_concat(${fields.join(" || char(31) || ")}, char(30)) FROM
        (SELECT * FROM ${table} WHERE project_id = ?1 AND bucket >= ?2 AND bucket < ?3 ORDER BY bucket)) AS t${rangeSql.join("")}`,
    )
    .bind(projectId, r.from, r.to, ...(range.length ? wholeHours(r.from, r.to) : []))
    .raw<Array<string | null>>();
  const [text, ...rangeTexts] = rows[0] ?? [];
  const out: MetricRow[] = [];
  if (!text) return out;
  for (const line of text.split(RECORD)) {
    const values = line.split(UNIT);
    const o: Record<string, unknown> = { latency: null, first_token: null };
    o.bucket = first + Number(values[0]) * r.size;
    let c = 1;
    for (const name of sums) o[name] = Number(values[c++]);
    if (stored) {
      const own: Record<string, number | null> = {};
      for (const p of percentiles) {
        const v = values[c++];
        own[p] = v ? bucketValue(Number(v)) : null;
      }
      o.percentiles = own;
    }
    for (const k of sketches) o[k] = values[c++];
    out.push(o as MetricRow);
  }
  if (range.length) {
    const o: Record<string, unknown> = { bucket: r.from, count: 0, range: true, latency: null, first_token: null };
    range.forEach((k, i) => {
      o[k] = rangeTexts[i];
    });
    out.push(o as MetricRow);
  }
  return out;
}

/**
 * Rows answered as arrays (`raw()`), made objects here: D1 moves arrays more cheaply than objects that repeat every
 * column name (a 24-hour minute series is 1,440 rows).
 */
function rowObjects(names: string[], rows: unknown[][]): MetricRow[] {
  const out: MetricRow[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const o: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) o[names[c]!] = row[c];
    out[i] = o as MetricRow;
  }
  return out;
}

const TRACE_COLUMNS: Partial<Record<MetricField, string>> = { name: "root_name", user_id: "coalesce(user_id, '')" };

/** Trace summaries of a project that started in [from, to), summed per answer bucket and group (trace durations). */
export async function traceRows(d1: D1Database, projectId: string, r: Read): Promise<MetricRow[]> {
  const groups = [...new Set(r.fields)];
  const { where, params } = filterClauses(r.filters, (f) => TRACE_COLUMNS[f]!, 4);
  const select = groups.map((g) => `, ${TRACE_COLUMNS[g]} AS ${g}`).join("");
  const keys = groups.map((_, i) => `, ${i + 2}`).join("");
  const sql = `WITH b AS (
      SELECT (start_ts / ${r.size}) * ${r.size} AS bucket${select}, ${bucketSql("duration_ms")} AS k, count(*) AS n,
        sum(error_count > 0) AS errors, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
        sum(cached_input_tokens) AS cached_input_tokens, total(total_cost) AS cost, total(duration_ms) AS duration_sum
      FROM traces WHERE project_id = ?1 AND start_ts >= ?2 AND start_ts < ?3${where}
      GROUP BY 1${keys}, ${groups.length + 2})
    SELECT bucket${groups.map((g) => `, ${g}`).join("")}, sum(n) AS count, sum(errors) AS errors,
      sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
      sum(cached_input_tokens) AS cached_input_tokens, total(cost) AS cost, total(duration_sum) AS duration_sum,
      sum(n) AS duration_count, 0 AS first_token_count, json_group_object(k, n) AS latency, NULL AS first_token
    FROM b GROUP BY 1${keys}`;
  const { results } = await d1
    .prepare(sql)
    .bind(projectId, r.from, r.to, ...params)
    .all<MetricRow>();
  return results;
}

/** The sketch bucket of a nullable column, in SQL (NULL for NULL: the value is not in the sketch). */
const keyOf = (column: string) => `iif(${column} IS NULL, NULL, CAST(${bucketSql(column)} AS TEXT))`;

/**
 * ?1 project, ?2 from, ?3 to, ?4 JSON user ids: the traces listed under those users that overlap [from, to). CROSS
 * JOIN keeps the users outer, so each user's traces come from their partial index
 * (`SEARCH t USING INDEX traces_project_user (project_id=? AND user_id=? AND start_ts<?)`), not the start-time one.
 */
const USERS_TRACES = `SELECT t.trace_id FROM json_each(?4) u CROSS JOIN traces t ON t.project_id = ?1 AND t.user_id = u.value
  AND t.start_ts < ?3 WHERE t.end_ts >= ?2`;
const USERS_EVENTS_FOUND_SQL = `SELECT count(*) AS n FROM events WHERE project_id = ?1 AND trace_id IN (${USERS_TRACES})
  AND ts >= ?2 AND ts < ?3 AND user_id IN (SELECT value FROM json_each(?4))`;
const USERS_EVENTS_SQL = `SELECT coalesce(sum(count), 0) AS n FROM user_metrics_hourly WHERE project_id = ?1
  AND bucket >= ?2 AND bucket < ?3 AND user_id IN (SELECT value FROM json_each(?4))`;

/**
 * Whether the users' events in [from, to) all lie in traces listed under them (`traces_project_user`, then
 * the events' key by trace: rows read bounded by their traces), checked on the whole hours around the range against the per-user
 * rollup's count. Not when a trace listed under someone else holds one of their events, or the rollup keeps hours
 * whose events retention deleted: then the read takes the project's events (events have no index by time: §2.6).
 */
export async function inUsersTraces(d1: D1Database, projectId: string, users: string[], from: number, to: number) {
  const lo = Math.floor(from / HOUR_MS) * HOUR_MS;
  const hi = Math.ceil(to / HOUR_MS) * HOUR_MS;
  const [found, stored] = await d1.batch<{ n: number }>(
    [USERS_EVENTS_FOUND_SQL, USERS_EVENTS_SQL].map((q) => d1.prepare(q).bind(projectId, lo, hi, JSON.stringify(users))),
  );
  return found!.results[0]!.n === stored!.results[0]!.n;
}

/**
 * The events of a project in [from, to) matching the filters (the users among them), summed per answer bucket, group
 * and sketch bucket (rows of one group and bucket add up in the reader), for what no rollup keeps: end users together
 * with other fields. Fields read as the rollups store them (no value: ''); `user_id` filtered on the column itself.
 * The events come from the users' traces when those hold all of them (inUsersTraces), else from the project's.
 */
export async function eventRows(d1: D1Database, projectId: string, r: Read): Promise<MetricRow[]> {
  const groups = [...new Set(r.fields)];
  const column = (f: MetricField) => (f === "user_id" ? f : `coalesce(${f}, '')`);
  const { where, params } = filterClauses(r.filters, column, 4);
  const users = r.filters.user_id ?? [];
  const traced = users.length > 0 && (await inUsersTraces(d1, projectId, users, r.from, r.to));
  const usersParam = `?${4 + params.length}`;
  const sketches = sketchesOf(r).length > 0;
  const keys = sketches ? `, ${keyOf("duration_ms")} AS lk, ${keyOf("first_token_ms")} AS fk` : "";
  const sql = `SELECT (ts / ${r.size}) * ${r.size} AS bucket${groups.map((g) => `, ${column(g)} AS ${g}`).join("")},
      count(*) AS count, sum(status = 'error' OR type = 'error') AS errors, coalesce(sum(input_tokens), 0) AS input_tokens,
      coalesce(sum(output_tokens), 0) AS output_tokens, coalesce(sum(cached_input_tokens), 0) AS cached_input_tokens,
      total(cost_usd) AS cost, total(duration_ms) AS duration_sum, count(duration_ms) AS duration_count,
      count(first_token_ms) AS first_token_count${
        sketches
          ? `, iif(lk IS NULL, NULL, json_object(lk, count(duration_ms))) AS latency,
      iif(fk IS NULL, NULL, json_object(fk, count(first_token_ms))) AS first_token`
          : ", NULL AS latency, NULL AS first_token"
      }
    FROM (SELECT *${keys} FROM events WHERE project_id = ?1${traced ? ` AND trace_id IN (${USERS_TRACES.replaceAll("?4", usersParam)})` : ""}
      AND ts >= ?2 AND ts < ?3${where})
    GROUP BY 1${groups.map((_, i) => `, ${i + 2}`).join("")}${sketches ? ", lk, fk" : ""}`;
  const { results } = await d1
    .prepare(sql)
    .bind(projectId, r.from, r.to, ...params, ...(traced ? [JSON.stringify(users)] : []))
    .all<MetricRow>();
  return results;
}
