// One metric over a window, per group: what alert rules evaluate. Reads minute rollups for windows of up to 48 hours
// within the last 48 hours (those are kept that long) and hour rollups otherwise, never raw events.
import { ALERT_METRICS } from "../../contract/alerts.ts";
import { METRIC_LIMITS, type MetricFilters } from "../../contract/metrics.ts";
import { rollupRows } from "../db/queries/metrics.ts";
import { HOUR_MS, MINUTE_MS } from "../lib/time.ts";
import { emptySums, groupRows, metricValue, needsSketches, topGroups } from "./aggregate.ts";
import { mixesUsers, userGroups } from "./users.ts";

/** The contract's metric filters (the alert filters are a subset of its fields). */
export type WindowFilters = MetricFilters;
export type WindowQuery = {
  metric: string;
  filters: WindowFilters;
  from: number;
  to: number;
  group_by?: "user_id" | "model" | "name" | null;
  limit?: number;
};
/** One value per group (group null when not grouped): the metric over [from, to), and how many events it covers. */
export type WindowValue = { group: Record<string, string> | null; value: number | null; count: number };

/** The metrics an alert can watch (the contract's list). */
export const WINDOW_METRICS = ALERT_METRICS;

/**
 * The metric over [from, to) for a project, one value per group (the top `limit` by the metric, highest first), or one
 * ungrouped value. Bucket edges: minutes (hours beyond 48 h) that start in the window count whole.
 */
export async function measureWindow(data: D1Database, projectId: string, q: WindowQuery): Promise<WindowValue[]> {
  if (!(WINDOW_METRICS as readonly string[]).includes(q.metric))
    throw new Error(`measureWindow: unknown metric "${q.metric}" (one of ${WINDOW_METRICS.join(", ")})`);
  if (!(q.from < q.to)) throw new Error("measureWindow: `from` must be before `to`");
  // Minute rows exist only for the last 48 hours: an older window (a preview's history) reads hours.
  const kept = METRIC_LIMITS.minuteRetentionHours * HOUR_MS;
  const minutes = q.to - q.from <= kept && q.from >= Date.now() - kept;
  const size = minutes ? MINUTE_MS : HOUR_MS;
  const fields = q.group_by ? [q.group_by] : [];
  const filters: MetricFilters = Object.fromEntries(Object.entries(q.filters).filter(([, v]) => v?.length));
  const grain = minutes ? "minute" : "hour";
  const read = {
    from: Math.floor(q.from / size) * size,
    to: q.to,
    // One bucket for the whole window: the rows are summed per group only.
    size: Number.MAX_SAFE_INTEGER,
    fields,
    filters,
    sketches: needsSketches([q.metric]),
  };
  const limit = q.limit ?? METRIC_LIMITS.maxGroups;
  const groups = mixesUsers(fields, filters)
    ? (await userGroups(data, projectId, grain, read, q.metric, limit)).top
    : groupRows(await rollupRows(data, projectId, grain, read), fields);
  if (!q.group_by) {
    const total = groups[0]?.total ?? emptySums();
    return [{ group: null, value: metricValue(total, q.metric), count: total.count }];
  }
  const { top } = topGroups(groups, q.metric, limit);
  return top.map((g) => ({
    group: Object.fromEntries(Object.entries(g.group).map(([k, v]) => [k, v ?? ""])),
    value: metricValue(g.total, q.metric),
    count: g.total.count,
  }));
}
