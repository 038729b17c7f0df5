// Reads of the metric rollups (and of trace summaries for the trace view): sums and sketches per bucket and group.
// Rows read are bounded by buckets × groups in range, not by events (the trace view reads one row per trace, and a read
// naming end users together with other fields reads those users' events).
import type { MetricField, MetricFilters } from "../../../contract/metrics.ts";
import { bucketSql } from "../../lib/sketch.ts";

export type Grain = "minute" | "hour";

/** One bucket of one group: sums, and the sketches as JSON text (an object, or an array of objects to add up). */
export type MetricRow = {
  bucket: number;
  count: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cost: number;
  duration_sum: number;
  duration_count: number;
  first_token_count: number;
  latency: string | null;
  first_token: string | null;
} & Partial<Record<MetricField, string | null>>;

export type Read = {
  from: number;
  to: number;
  /** Bucket size of the answer (a multiple of the source's). */
  size: number;
  fields: MetricField[];
  filters: MetricFilters;
  /** Whether the sketches are needed (percentiles asked for). */
  sketches: boolean;
};

const SUMS = `sum(count) AS count, sum(errors) AS errors, sum(input_tokens) AS input_tokens,
  sum(output_tokens) AS output_tokens, sum(cached_input_tokens) AS cached_input_tokens, total(cost) AS cost,
  total(duration_sum) AS duration_sum, sum(duration_count) AS duration_count, sum(first_token_count) AS first_token_count`;

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

/** The rollup rows of a project in [from, to), summed per answer bucket and group. */
export async function rollupRows(d1: D1Database, projectId: string, grain: Grain, r: Read): Promise<MetricRow[]> {
  const users = r.fields.includes("user_id") || "user_id" in r.filters;
  const table = `${users ? "user_metrics" : "metrics"}_${grain === "minute" ? "minute" : "hourly"}`;
  const groups = [...new Set(r.fields)];
  const { where, params } = filterClauses(r.filters, (f) => f, 4);
  const sketches = r.sketches
    ? // Stored sketches are JSON objects already: concatenated into an array, not parsed again in SQL.
      "'[' || group_concat(latency) || ']' AS latency, '[' || group_concat(first_token) || ']' AS first_token"
    : "NULL AS latency, NULL AS first_token";
  const sql = `SELECT (bucket / ${r.size}) * ${r.size} AS bucket${groups.map((g) => `, ${g}`).join("")}, ${SUMS}, ${sketches}
    FROM ${table} WHERE project_id = ?1 AND bucket >= ?2 AND bucket < ?3${where}
    GROUP BY 1${groups.map((_, i) => `, ${i + 2}`).join("")}`;
  const { results } = await d1
    .prepare(sql)
    .bind(projectId, r.from, r.to, ...params)
    .all<MetricRow>();
  return results;
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
 * The events of a project in [from, to) matching the filters, summed per answer bucket, group and sketch bucket (rows
 * of one group and bucket add up in the reader), for what no rollup keeps: end users together with other fields. Fields
 * read as the rollups store them (no value: ''); `user_id` filtered on the column itself, so that the users' index
 * bounds the rows read by those users' events.
 */
export async function eventRows(d1: D1Database, projectId: string, r: Read): Promise<MetricRow[]> {
  const groups = [...new Set(r.fields)];
  const column = (f: MetricField) => (f === "user_id" ? f : `coalesce(${f}, '')`);
  const { where, params } = filterClauses(r.filters, column, 4);
  const keys = r.sketches ? `, ${keyOf("duration_ms")} AS lk, ${keyOf("first_token_ms")} AS fk` : "";
  const sql = `SELECT (ts / ${r.size}) * ${r.size} AS bucket${groups.map((g) => `, ${column(g)} AS ${g}`).join("")},
      count(*) AS count, sum(status = 'error' OR type = 'error') AS errors, coalesce(sum(input_tokens), 0) AS input_tokens,
      coalesce(sum(output_tokens), 0) AS output_tokens, coalesce(sum(cached_input_tokens), 0) AS cached_input_tokens,
      total(cost_usd) AS cost, total(duration_ms) AS duration_sum, count(duration_ms) AS duration_count,
      count(first_token_ms) AS first_token_count${
        r.sketches
          ? `, iif(lk IS NULL, NULL, json_object(lk, count(duration_ms))) AS latency,
      iif(fk IS NULL, NULL, json_object(fk, count(first_token_ms))) AS first_token`
          : ", NULL AS latency, NULL AS first_token"
      }
    FROM (SELECT *${keys} FROM events WHERE project_id = ?1 AND ts >= ?2 AND ts < ?3${where})
    GROUP BY 1${groups.map((_, i) => `, ${i + 2}`).join("")}${r.sketches ? ", lk, fk" : ""}`;
  const { results } = await d1
    .prepare(sql)
    .bind(projectId, r.from, r.to, ...params)
    .all<MetricRow>();
  return results;
}
