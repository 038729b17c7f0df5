// Score metrics: GET /api/v1/metrics?view=scores (per score name over time: count, mean, counts per label) with the
// metrics API's range and interval rules, and measureScoreWindow, one score name's mean over a window (what `score_avg:<name>` alerts judge).
import {
  SCORE_METRIC_FILTERS,
  SCORE_METRIC_LIMITS,
  type ScoreMetricFilter,
  type ScoreMetricSeries,
  type ScoreMetricsAnswer,
  type ScoreMetricValues,
  scoreMetricsQuery,
} from "../../contract/score-metrics.ts";
import { SCORE_KINDS } from "../../contract/scores.ts";
import {
  type ScoreFilters,
  type ScoreMetricRow,
  scoreMetricRows,
  scoreWindowRows,
} from "../db/queries/score-metrics.ts";
import { parseQuery } from "../lib/validate.ts";
import { INTERVAL_MS, type Interval, metricsRange } from "./params.ts";

export type ScoreMetricsParams = { from: number; to: number; interval: Interval; filters: ScoreFilters; limit: number };

/** Parses and checks a view=scores query (`query` as Hono's `c.req.queries()`); the range as the metrics API's. */
export function scoreMetricsParams(query: Record<string, string[]>, now = Date.now()): ScoreMetricsParams {
  const { limit, ...q } = parseQuery(scoreMetricsQuery, { ...query, view: ["scores"] });
  const filters: ScoreFilters = {};
  for (const field of SCORE_METRIC_FILTERS) if (q[field]?.length) filters[field] = q[field];
  return { ...metricsRange(q, now), filters, limit };
}

type Acc = ScoreMetricValues & { numbers: number; sum: number };
const emptyAcc = (): Acc => ({ count: 0, avg: null, values: {}, numbers: 0, sum: 0 });
const valuesOf = ({ count, values, numbers, sum }: Acc): ScoreMetricValues => ({
  count,
  avg: numbers ? sum / numbers : null,
  values,
});

function add(into: Acc, row: ScoreMetricRow) {
  into.count += row.count;
  if (row.kind !== "categorical") {
    into.numbers += row.count;
    into.sum += row.sum ?? 0;
  } else if (row.label !== null) into.values[row.label] = (into.values[row.label] ?? 0) + row.count;
}

/** The score metrics of one project: a series per name (most scored first), every bucket present. */
export async function projectScoreMetrics(
  d1: D1Database,
  projectId: string,
  p: ScoreMetricsParams,
): Promise<ScoreMetricsAnswer> {
  const size = INTERVAL_MS[p.interval];
  const rows = await scoreMetricRows(d1, projectId, {
    from: p.from,
    to: p.to,
    size,
    filters: p.filters,
    names: p.limit,
    labels: SCORE_METRIC_LIMITS.maxLabels,
  });
  const byName = new Map<string, { kinds: Set<string>; total: Acc; other: number; buckets: Map<number, Acc> }>();
  for (const row of rows) {
    const s = byName.get(row.name) ?? { kinds: new Set(), total: emptyAcc(), other: 0, buckets: new Map() };
    byName.set(row.name, s);
    s.kinds.add(row.kind);
    add(s.total, row);
    if (row.kind === "categorical" && row.label === null) s.other += row.count;
    const bucket = Number(row.bucket);
    const b = s.buckets.get(bucket) ?? emptyAcc();
    s.buckets.set(bucket, b);
    add(b, row);
  }
  const series: ScoreMetricSeries[] = [...byName]
    .sort(([a, x], [b, y]) => y.total.count - x.total.count || (a < b ? -1 : 1))
    .map(([name, s]) => {
      const points = [];
      for (let t = p.from; t < p.to; t += size) points.push({ t, ...valuesOf(s.buckets.get(t) ?? emptyAcc()) });
      return {
        name,
        kinds: SCORE_KINDS.filter((k) => s.kinds.has(k)),
        total: valuesOf(s.total),
        other_labels: s.other,
        points,
      };
    });
  return {
    from: p.from,
    to: p.to,
    interval: p.interval,
    view: "scores",
    filters: p.filters,
    series,
    more_names: Math.max(0, Number(rows[0]?.names ?? 0) - series.length),
  };
}

export type ScoreWindowQuery = {
  /** The score name (`score_avg:<name>`'s name). */
  name: string;
  filters?: Partial<Record<Exclude<ScoreMetricFilter, "name">, string[]>>;
  from: number;
  to: number;
  /** Per the score's user (`context.user_id`) or its trace's name (its root's; '' when the trace has not arrived). */
  group_by?: "user_id" | "name" | null;
};
/** The mean of the name's numeric and boolean scores (null: none) and how many scores that mean covers. */
export type ScoreWindowValue = { group: Record<string, string> | null; value: number | null; count: number };

/**
 * One score name's mean over [from, to) for a project, ungrouped or one value per group (every group that has a mean,
 * in group order): what an alert on `score_avg:<name>` judges. Reads the scores themselves (exact); labels have no
 * mean and are not counted.
 */
export async function measureScoreWindow(
  data: D1Database,
  projectId: string,
  q: ScoreWindowQuery,
): Promise<ScoreWindowValue[]> {
  if (!(q.from < q.to)) throw new Error("measureScoreWindow: `from` must be before `to`");
  if ("name" in (q.filters ?? {})) throw new Error("measureScoreWindow: the score name is `name`, not a filter");
  const groupBy = q.group_by ?? null;
  const rows = await scoreWindowRows(data, projectId, {
    name: q.name,
    from: q.from,
    to: q.to,
    filters: Object.fromEntries(Object.entries(q.filters ?? {}).filter(([, v]) => v?.length)),
    group_by: groupBy,
  });
  if (!groupBy) return [{ group: null, value: rows[0]?.avg ?? null, count: rows[0]?.count ?? 0 }];
  return rows.map((r) => ({ group: { [groupBy]: r.group ?? "" }, value: r.avg, count: r.count }));
}
