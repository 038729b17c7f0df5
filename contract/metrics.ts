// Metrics (GET /api/v1/metrics): series of counts, errors, tokens, cost and latency percentiles over time, grouped by
// event dimensions, read from the rollups the consumer keeps. The query's allowed values and the answer.
import { z } from "zod";
import { csvOf, lastOf, repeated, timeParam } from "./query-params.ts";

/** What can be asked for; `error_rate` is a fraction (0–1), latencies and first-token times in ms, cost in USD. */
export const METRICS = [
  "count",
  "error_count",
  "error_rate",
  "latency_avg",
  "latency_p50",
  "latency_p90",
  "latency_p95",
  "latency_p99",
  "first_token_p50",
  "first_token_p95",
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "cost",
] as const;
export type MetricName = (typeof METRICS)[number];

/** The event dimensions every rollup keeps (columns of the `events` table). */
export const DIMENSIONS = ["type", "name", "model", "provider", "status", "environment", "release"] as const;
/**
 * The dimensions of the coarse rollups (metrics_coarse_minute, metrics_coarse_hourly): a read grouping and filtering by
 * these only is served from far fewer rows than the full dimensions hold (name, environment and release multiply them).
 */
export const COARSE_DIMENSIONS = ["type", "status"] as const;
/** What can be grouped and filtered by: the dimensions, and the end user (a narrower rollup of its own). */
export const METRIC_FIELDS = [...DIMENSIONS, "user_id"] as const;
export type MetricField = (typeof METRIC_FIELDS)[number];
/** Filters of a metrics read: per field, the values any of which an event may have (OR within a field, AND across). */
export type MetricFilters = Partial<Record<MetricField, string[]>>;

export const METRIC_INTERVALS = ["minute", "hour", "day"] as const;
export const METRIC_VIEWS = ["events", "traces", "scores"] as const;

export const METRIC_LIMITS = {
  /** Points (buckets) per series. */
  maxPoints: 1_000,
  /**
   * Points of a minute series: its range may span a whole day (1,440 minutes; 1,441 buckets when its ends fall inside
   * minutes).
   */
  maxMinutePoints: 1_440,
  /** Points the default interval aims for (the coarsest interval giving at least this many). */
  minDefaultPoints: 30,
  maxGroupBy: 2,
  defaultGroups: 10,
  maxGroups: 100,
  /** Values per filter field. */
  maxFilterValues: 50,
  /** Minute rollups are kept this long. */
  minuteRetentionHours: 48,
} as const;

/** The range of a metrics read: `from`/`to` (epoch ms or ISO-8601; default the last 24 hours), `interval` (default the
 * coarsest giving at least METRIC_LIMITS.minDefaultPoints points). The Worker adds the checks that need the clock. */
export const metricsRangeQuery = {
  from: lastOf(timeParam).optional(),
  to: lastOf(timeParam).optional(),
  interval: lastOf(z.enum(METRIC_INTERVALS)).optional(),
  /** A dashboard session names its project. */
  project_id: lastOf(z.string()).optional(),
};

/** The query of GET /api/v1/metrics (view=scores: contract/score-metrics.ts); every field may be a filter. */
export const metricsQuery = z.strictObject({
  ...metricsRangeQuery,
  view: lastOf(z.enum(METRIC_VIEWS)).default("events"),
  metrics: lastOf(csvOf(METRICS).pipe(z.array(z.enum(METRICS)).min(1))).default(["count"]),
  group_by: lastOf(csvOf(METRIC_FIELDS).pipe(z.array(z.enum(METRIC_FIELDS)).max(METRIC_LIMITS.maxGroupBy))).default([]),
  limit: lastOf(z.coerce.number().int().min(1).max(METRIC_LIMITS.maxGroups)).default(METRIC_LIMITS.defaultGroups),
  ...(Object.fromEntries(
    METRIC_FIELDS.map((f) => [f, repeated(z.string(), METRIC_LIMITS.maxFilterValues).optional()]),
  ) as Record<MetricField, z.ZodOptional<ReturnType<typeof repeated<z.ZodString>>>>),
});

/** Each asked metric; null where it has no value (a percentile or average of no events). */
const values = z.record(z.string(), z.number().nullable());

export const metricsSeries = z.strictObject({
  /** The group's values by field (null: events without one); `{}` when not grouped, `{ other: true }` for the rest. */
  group: z.record(z.string(), z.union([z.string(), z.null(), z.literal(true)])),
  total: values,
  points: z.array(values.and(z.object({ t: z.number() }))),
});

export const metricsAnswer = z.strictObject({
  from: z.number(),
  to: z.number(),
  interval: z.enum(METRIC_INTERVALS),
  view: z.enum(METRIC_VIEWS),
  metrics: z.array(z.enum(METRICS)),
  group_by: z.array(z.enum(METRIC_FIELDS)),
  series: z.array(metricsSeries),
});
export type MetricsAnswer = z.infer<typeof metricsAnswer>;
export type MetricsSeries = z.infer<typeof metricsSeries>;
