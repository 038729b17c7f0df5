// GET /api/v1/metrics' answer: the rows in range added up per group and bucket, the top groups by the first metric
// (the rest as `{ other: true }`), every bucket present (zeros, and null percentiles, where nothing happened).
import type { MetricName, MetricsAnswer, MetricsSeries } from "../../contract/metrics.ts";
import { isStoredPercentile, type Narrowest, rollupRows, traceRows } from "../db/queries/metrics.ts";
import {
  emptySums,
  type Grouped,
  groupRows,
  metricReader,
  needsSketches,
  needsSums,
  type Sums,
  topGroups,
} from "./aggregate.ts";
import { INTERVAL_MS, type MetricsParams } from "./params.ts";
import { mixesUsers, userGroups } from "./users.ts";

/** The metrics' values of sums, each metric parsed once (a 24-hour minute series reads 1,440 points). */
function valuesOf(metrics: MetricName[]) {
  const readers = metrics.map((m) => [m, metricReader(m)] as const);
  return (s: Sums) => {
    const out: Record<string, number | null> = {};
    for (const [m, read] of readers) out[m] = read(s);
    return out;
  };
}

function series(g: Grouped, group: MetricsSeries["group"], p: MetricsParams): MetricsSeries {
  const size = INTERVAL_MS[p.interval];
  const values = valuesOf(p.metrics);
  const empty = values(emptySums());
  const points = [];
  for (let t = p.from; t < p.to; t += size) {
    const b = g.buckets.get(t);
    points.push({ t, ...(b ? values(b) : empty) });
  }
  return { group, total: values(g.total), points };
}

/** The top groups by the first metric and the rest, from the rollups (or the events, for end users with other fields). */
async function groupsOf(d1: D1Database, projectId: string, p: MetricsParams, opts: ReadOptions) {
  const { rollups = "total", storedPercentiles = true } = opts;
  const percentiles = storedPercentiles ? p.metrics.filter(isStoredPercentile) : [];
  const read = {
    rollups,
    from: p.from,
    to: p.to,
    size: INTERVAL_MS[p.interval],
    fields: p.group_by,
    filters: p.filters,
    sums: needsSums(p.metrics),
    sketches: needsSketches(p.metrics),
  };
  const grain = p.interval === "minute" ? "minute" : "hour";
  if (p.view === "events" && mixesUsers(p.group_by, p.filters))
    return userGroups(d1, projectId, grain, read, p.metrics[0]!, p.limit);
  const rows =
    p.view === "traces"
      ? await traceRows(d1, projectId, read)
      : // Each group's buckets are never added to another group's (at most one group when whole-project rows serve it):
        // each bucket may bring its percentiles as stored.
        await rollupRows(d1, projectId, grain, { ...read, storedPercentiles: percentiles });
  return topGroups(groupRows(rows, p.group_by), p.metrics[0]!, p.limit);
}

/**
 * How a read may be served (the defaults: the fastest; the benchmark's older reads, for A/B): `rollups`, the narrowest
 * rollups it may take ("coarse" or "full": not the whole-project ones); `storedPercentiles` false: whole-project rows
 * bring their sketches, not their stored percentiles.
 */
export type ReadOptions = { rollups?: Narrowest; storedPercentiles?: boolean };

/** The metrics of one project (its data database holds all of its rows). */
export async function projectMetrics(
  d1: D1Database,
  projectId: string,
  p: MetricsParams,
  opts: ReadOptions = {},
): Promise<MetricsAnswer> {
  const { top, other } = await groupsOf(d1, projectId, p, opts);
  // Ungrouped, there is always one series (all zeros when nothing happened).
  if (!p.group_by.length && !top.length) top.push({ group: {}, total: emptySums(), buckets: new Map() });
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
