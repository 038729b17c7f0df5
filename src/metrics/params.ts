// The query of GET /api/v1/metrics, checked by hand so that every refusal names the allowed values in `details`.
import {
  METRIC_FIELDS,
  METRIC_INTERVALS,
  METRIC_LIMITS,
  METRIC_VIEWS,
  METRICS,
  type MetricField,
  type MetricFilters,
  type MetricName,
} from "../../contract/metrics.ts";
import { timeParam } from "../../contract/query-params.ts";
import { minuteRollupStart } from "../db/writes/metrics-rollup.ts";
import { ApiError } from "../lib/errors.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../lib/time.ts";

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

const OTHER_PARAMS = ["from", "to", "interval", "view", "metrics", "group_by", "limit", "project_id"];

const refuse = (message: string, details: Record<string, unknown>): never => {
  throw new ApiError("invalid_request", message, details);
};

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    refuse(`Unknown ${name} \`${value}\`.`, { [name]: value, allowed });
  return value as T;
}

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function time(name: string, value: string | undefined, fallback: number) {
  if (value === undefined) return fallback;
  const parsed = timeParam.safeParse(value);
  if (!parsed.success) refuse(`\`${name}\` must be epoch milliseconds or ISO-8601.`, { [name]: value });
  return parsed.data as number;
}

/**
 * The interval that gives at least METRIC_LIMITS.minDefaultPoints points (the coarsest such), within the maximum; not
 * minutes where the range starts before the minute rollups do.
 */
/** The most points a series of this interval may have (a minute series may cover a whole day). */
const maxPoints = (i: Interval) => (i === "minute" ? METRIC_LIMITS.maxMinutePoints : METRIC_LIMITS.maxPoints);

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
  for (const name of Object.keys(query))
    if (!OTHER_PARAMS.includes(name) && !(METRIC_FIELDS as readonly string[]).includes(name))
      refuse(`Unknown query parameter \`${name}\`.`, { parameter: name, allowed: [...OTHER_PARAMS, ...METRIC_FIELDS] });
  const one = (name: string) => query[name]?.at(-1);
  const view = oneOf("view", one("view") ?? "events", METRIC_VIEWS);
  const metrics = list(one("metrics") ?? "count").map((m) => oneOf("metric", m, METRICS));
  if (!metrics.length) refuse("Name at least one metric.", { allowed: METRICS });
  const groupBy = [...new Set(list(one("group_by")).map((f) => oneOf("group_by field", f, METRIC_FIELDS)))];
  if (groupBy.length > METRIC_LIMITS.maxGroupBy)
    refuse(`Group by at most ${METRIC_LIMITS.maxGroupBy} fields.`, { group_by: groupBy, allowed: METRIC_FIELDS });
  const filters: MetricFilters = {};
  for (const field of METRIC_FIELDS) {
    const values = query[field];
    if (!values?.length) continue;
    if (values.length > METRIC_LIMITS.maxFilterValues)
      refuse(`At most ${METRIC_LIMITS.maxFilterValues} values per filter.`, {
        field,
        max: METRIC_LIMITS.maxFilterValues,
      });
    filters[field] = values;
  }
  const fields = [...groupBy, ...(Object.keys(filters) as MetricField[])];
  if (view === "traces") {
    for (const f of fields)
      if (!TRACE_FIELDS.includes(f))
        refuse(`view=traces groups and filters by ${TRACE_FIELDS.join(", ")} only.`, {
          field: f,
          allowed: TRACE_FIELDS,
        });
    for (const m of metrics) oneOf("metric for view=traces", m, TRACE_METRICS);
  }
  const rawLimit = one("limit");
  const limit = rawLimit === undefined ? METRIC_LIMITS.defaultGroups : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > METRIC_LIMITS.maxGroups)
    refuse(`\`limit\` must be an integer from 1 to ${METRIC_LIMITS.maxGroups}.`, { limit: rawLimit });
  const to0 = time("to", one("to"), now);
  const from0 = time("from", one("from"), to0 - DAY_MS);
  if (from0 >= to0) refuse("`from` must be before `to`.", { from: from0, to: to0 });
  const interval = one("interval")
    ? oneOf("interval", one("interval")!, METRIC_INTERVALS)
    : defaultInterval(to0 - from0, Math.floor(from0 / MINUTE_MS) * MINUTE_MS >= minuteRollupStart(now));
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
  if (interval === "minute" && view === "events" && from < minuteRollupStart(now))
    refuse("Minute points cover the last 48 hours only: use `interval=hour` or a later `from`.", {
      from,
      first_minute: minuteRollupStart(now),
      allowed_intervals: ["hour", "day"],
    });
  return { from, to, interval, view, metrics, group_by: groupBy, filters, limit };
}
