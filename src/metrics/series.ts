// GET /api/v1/metrics' answer: the rows in range added up per group and bucket, the top groups by the first metric
// (the rest as `{ other: true }`), every bucket present (zeros, and null percentiles, where nothing happened).
import type { MetricName, MetricsAnswer, MetricsSeries } from "../../contract/metrics.ts";
import { rollupRows, traceRows } from "../db/queries/metrics.ts";
import { emptySums, type Grouped, groupRows, metricValue, needsSketches, type Sums, topGroups } from "./aggregate.ts";
import { INTERVAL_MS, type MetricsParams } from "./params.ts";

const values = (s: Sums, metrics: MetricName[]) => Object.fromEntries(metrics.map((m) => [m, metricValue(s, m)]));

function series(g: Grouped, group: MetricsSeries["group"], p: MetricsParams): MetricsSeries {
  const size = INTERVAL_MS[p.interval];
  const points = [];
  for (let t = p.from; t < p.to; t += size) points.push({ t, ...values(g.buckets.get(t) ?? emptySums(), p.metrics) });
  return { group, total: values(g.total, p.metrics), points };
}

/** The metrics of one project (its data database holds all of its rows). */
export async function projectMetrics(d1: D1Database, projectId: string, p: MetricsParams): Promise<MetricsAnswer> {
  const read = {
    from: p.from,
    to: p.to,
    size: INTERVAL_MS[p.interval],
    fields: p.group_by,
    filters: p.filters,
    sketches: needsSketches(p.metrics),
  };
  const rows =
    p.view === "traces"
      ? await traceRows(d1, projectId, read)
      : await rollupRows(d1, projectId, p.interval === "minute" ? "minute" : "hour", read);
  const grouped = groupRows(rows, p.group_by);
  // Ungrouped, there is always one series (all zeros when nothing happened).
  if (!p.group_by.length && !grouped.length) grouped.push({ group: {}, total: emptySums(), buckets: new Map() });
  const { top, other } = topGroups(grouped, p.metrics[0]!, p.limit);
  return {
    from: p.from,
    to: p.to,
    interval: p.interval,
    view: p.view,
    metrics: p.metrics,
    group_by: p.group_by,
    series: [...top.map((g) => series(g, g.group, p)), ...(other ? [series(other, { other: true }, p)] : [])],
  };
}
