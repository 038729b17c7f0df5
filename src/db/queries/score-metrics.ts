// Reads of score metrics straight from the scores table (per name, bucket, kind and label), and one score name's mean
// over a window (what an alert on `score_avg:<name>` judges). Both read the scores in range through the
// (project_id, name, ts) or (project_id, ts) index; docs/scores.md#metrics has the measurement that says no rollup is
// needed yet.
import type { ScoreMetricFilter } from "../../../contract/score-metrics.ts";

export type ScoreFilters = Partial<Record<ScoreMetricFilter, string[]>>;

/** One bucket of one name, kind and label (label null: a numeric or boolean score, or a label past the top ones). */
export type ScoreMetricRow = {
  name: string;
  bucket: number;
  kind: "numeric" | "boolean" | "categorical";
  label: string | null;
  count: number;
  sum: number | null;
  /** Distinct score names in range (the same on every row). */
  names: number;
};

const COLUMNS: Record<ScoreMetricFilter, string> = {
  name: "s.name",
  source: "s.source",
  user_id: "s.user_id",
  trace_name: "t.root_name",
};

/** `column IN (…)` per filter (values bound as one JSON parameter each, numbered from `next`). */
function filterClauses(filters: ScoreFilters, next: number) {
  const clauses: string[] = [];
  const params: string[] = [];
  for (const [field, values] of Object.entries(filters) as Array<[ScoreMetricFilter, string[]]>) {
    if (!values.length) continue;
    clauses.push(` AND ${COLUMNS[field]} IN (SELECT value FROM json_each(?${next + params.length}))`);
    params.push(JSON.stringify(values));
  }
  return { where: clauses.join(""), params };
}

/** The trace join, only when the trace's name is asked for (a score may name a trace that has not arrived). */
const traceJoin = (needed: boolean) =>
  needed ? " LEFT JOIN traces t ON t.project_id = s.project_id AND t.trace_id = s.trace_id" : "";

type Read = { from: number; to: number; size: number; filters: ScoreFilters; names: number; labels: number };

/**
 * Scores of a project with `ts` in [from, to), counted and summed per name, answer bucket, kind and label: the `names`
 * most scored names only, and per name its `labels` most used labels (the others counted with label null).
 */
export async function scoreMetricRows(d1: D1Database, projectId: string, r: Read): Promise<ScoreMetricRow[]> {
  const { where, params } = filterClauses(r.filters, 6);
  // Literal integers: a bound JS number is a REAL in D1, which would make the division fractional.
  const size = Math.trunc(r.size);
  const sql = `WITH s AS MATERIALIZED (
      SELECT s.name, s.ts, s.kind, s.value_num, s.value_str FROM scores s${traceJoin("trace_name" in r.filters)}
      WHERE s.project_id = ?1 AND s.ts >= ?2 AND s.ts < ?3${where}),
    names AS (SELECT name FROM s GROUP BY name ORDER BY count(*) DESC, name LIMIT ?4),
    labels AS (SELECT name, label FROM (
      SELECT name, value_str AS label, row_number() OVER (PARTITION BY name ORDER BY count(*) DESC, value_str) AS r
      FROM s WHERE value_str IS NOT NULL AND name IN (SELECT name FROM names) GROUP BY name, value_str)
      WHERE r <= ?5)
    SELECT s.name, (s.ts / ${size}) * ${size} AS bucket, s.kind, l.label, count(*) AS count, sum(s.value_num) AS sum,
      (SELECT count(DISTINCT name) FROM s) AS names
    FROM s LEFT JOIN labels l ON l.name = s.name AND l.label = s.value_str
    WHERE s.name IN (SELECT name FROM names)
    GROUP BY 1, 2, 3, 4`;
  const { results } = await d1
    .prepare(sql)
    .bind(projectId, r.from, r.to, r.names, r.labels, ...params)
    .all<ScoreMetricRow>();
  return results;
}

export type ScoreWindowRow = { group: string | null; count: number; avg: number | null };

/**
 * One score name over [from, to): the mean of its numeric and boolean scores and how many there are, for the whole
 * window or per the score's user or its trace's name (every group with a mean, in group order; labels are left out).
 */
export async function scoreWindowRows(
  d1: D1Database,
  projectId: string,
  q: { name: string; from: number; to: number; filters: ScoreFilters; group_by: "user_id" | "name" | null },
): Promise<ScoreWindowRow[]> {
  const { where, params } = filterClauses(q.filters, 5);
  const group =
    q.group_by === "user_id" ? "coalesce(s.user_id, '')" : q.group_by === "name" ? "coalesce(t.root_name, '')" : "NULL";
  const sql = `SELECT ${group} AS "group", count(*) AS count, avg(s.value_num) AS avg
    FROM scores s${traceJoin(q.group_by === "name" || "trace_name" in q.filters)}
    WHERE s.project_id = ?1 AND s.name = ?2 AND s.ts >= ?3 AND s.ts < ?4 AND s.value_num IS NOT NULL${where}
    GROUP BY 1 ORDER BY 1`;
  const { results } = await d1
    .prepare(sql)
    .bind(projectId, q.name, q.from, q.to, ...params)
    .all<ScoreWindowRow>();
  return results;
}
