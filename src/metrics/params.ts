// The query of GET /api/v1/metrics: parsed with the contract's schema (contract/metrics.ts), then the checks that need
// the clock or several fields (the range, its points, the minute retention, the trace view's fields).
import {
  METRIC_FIELDS,
  METRIC_INTERVALS,
  METRIC_LIMITS,
  type METRIC_VIEWS,
  METRICS,
  type MetricField,
  type MetricFilters,
  type MetricName,
  metricsQuery,
} from "../../contract/metrics.ts";
import { minuteRollupStart } from "../db/writes/metrics-rollup.ts";
import { ApiError } from "../lib/errors.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../lib/time.ts";
import { parseQuery } from "../lib/validate.ts";

export type Interval = (typeof METRIC_INTERVALS)[number];
export type MetricsParams = {
  from: number;
  to: number;
  interval: Interval;
  view: (typeof METRIC_VIEWS)[number];
  metrics: MetricName[];
  group_by: MetricField[];
  filters: MetricFilters;
  limit: number;
};

export const INTERVAL_MS: Record<Interval, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };
/** Trace summaries know only these of the fields (the root's name, the trace's user). */
export const TRACE_FIELDS: readonly MetricField[] = ["name", "user_id"];
/** What a trace has of the metrics (no first-token time). */
export const TRACE_METRICS = METRICS.filter((m) => !m.startsWith("first_token"));

const refuse = (message: string, details: Record<string, unknown>): never => {
  throw new ApiError("invalid_request", message, details);
};

/** The most points a series of this interval may have (a minute series may cover a whole day). */
const maxPoints = (i: Interval) => (i === "minute" ? METRIC_LIMITS.maxMinutePoints : METRIC_LIMITS.maxPoints);

/**
 * The interval that gives at least METRIC_LIMITS.minDefaultPoints points (the coarsest such), within the maximum; not
 * minutes where the range starts before the minute rollups do.
 */
function defaultInterval(span: number, minutesKept: boolean): Interval {
  // The default stays within METRIC_LIMITS.maxPoints (24 hours default to hours); minutes up to a day are asked for.
  const fits = (i: Interval) => span / INTERVAL_MS[i] <= METRIC_LIMITS.maxPoints && (i !== "minute" || minutesKept);
  const wanted = (["day", "hour", "minute"] as const).find(
    (i) => span / INTERVAL_MS[i] >= METRIC_LIMITS.minDefaultPoints && fits(i),
  );
  return wanted ?? (fits("minute") ? "minute" : fits("hour") ? "hour" : "day");
}

/** Parses and checks the query (`query` as Hono's `c.req.queries()`: every value of every name). */
export function metricsParams(query: Record<string, string[]>, now = Date.now()): MetricsParams {
  const q = parseQuery(metricsQuery, query);
  const filters: MetricFilters = {};
  for (const field of METRIC_FIELDS) if (q[field]?.length) filters[field] = q[field];
  const fields = [...q.group_by, ...(Object.keys(filters) as MetricField[])];
  if (q.view === "traces") {
    for (const f of fields)
      if (!TRACE_FIELDS.includes(f))
        refuse(`view=traces groups and filters by ${TRACE_FIELDS.join(", ")} only.`, {
          field: f,
          allowed: TRACE_FIELDS,
        });
    for (const m of q.metrics)
      if (!TRACE_METRICS.includes(m))
        refuse(`Unknown metric \`${m}\` for view=traces.`, { metric: m, allowed: TRACE_METRICS });
  }
  const range = metricsRange(q, now);
  return { ...range, view: q.view, metrics: q.metrics, group_by: q.group_by, filters, limit: q.limit };
}

/** A metrics read's range: the defaults filled in, widened to whole buckets, within the points and the minute rollups. */
export function metricsRange(
  asked: { from?: number; to?: number; interval?: Interval; view?: string },
  now = Date.now(),
): { from: number; to: number; interval: Interval } {
  const to0 = asked.to ?? now;
  const from0 = asked.from ?? to0 - DAY_MS;
  if (from0 >= to0) refuse("`from` must be before `to`.", { from: from0, to: to0 });
  const interval =
    asked.interval ?? defaultInterval(to0 - from0, Math.floor(from0 / MINUTE_MS) * MINUTE_MS >= minuteRollupStart(now));
  const size = INTERVAL_MS[interval];
  const from = Math.floor(from0 / size) * size;
  const to = Math.ceil(to0 / size) * size;
  // A minute series is judged by the range asked for: 24 hours from any second is 1,441 buckets once its ends are
  // widened to whole minutes.
  const points = interval === "minute" ? Math.ceil((to0 - from0) / size) : (to - from) / size;
  if (points > maxPoints(interval))
    refuse(`${points} points is more than ${maxPoints(interval)}: use a coarser interval or a shorter range.`, {
      points,
      max_points: maxPoints(interval),
      allowed_intervals: METRIC_INTERVALS.filter((i) => (to0 - from0) / INTERVAL_MS[i] <= maxPoints(i)),
    });
  // Minute rows are kept 48 hours (and not written for older events): older minutes would read as empty, not as what
  // happened. The trace view reads trace summaries, which have every minute.
  if (interval === "minute" && asked.view !== "traces" && from < minuteRollupStart(now))
    refuse("Minute points cover the last 48 hours only: use `interval=hour` or a later `from`.", {
      from,
      first_minute: minuteRollupStart(now),
      allowed_intervals: ["hour", "day"],
    });
  return { from, to, interval };
}
