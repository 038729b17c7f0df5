// Score metrics (GET /api/v1/metrics?view=scores): per score name over time, how many scores, the mean of the numeric
// and boolean ones (true = 1), and how many of each label for categorical ones. The query's allowed values and the answer.
import { z } from "zod";
import { METRIC_INTERVALS, metricsRangeQuery } from "./metrics.ts";
import { lastOf, repeatedNonEmpty } from "./query-params.ts";
import { SCORE_KINDS, SCORE_SOURCES } from "./scores.ts";

/**
 * What view=scores filters by: `name` (the score's name), `source`, `user_id` (the score's `context.user_id`) and
 * `trace_name` (the name of the trace's root, for scores whose trace has arrived). Each may be given several times.
 */
export const SCORE_METRIC_FILTERS = ["name", "source", "user_id", "trace_name"] as const;
export type ScoreMetricFilter = (typeof SCORE_METRIC_FILTERS)[number];

export const SCORE_METRIC_LIMITS = {
  /** Score names per answer (the most scored first). */
  defaultNames: 20,
  maxNames: 100,
  /** Labels per categorical name and answer (the most used first; the rest added up under `other_labels`). */
  maxLabels: 20,
  /** Values per filter field. */
  maxFilterValues: 50,
} as const;

const filter = <T extends z.ZodType>(item: T) => repeatedNonEmpty(item, SCORE_METRIC_LIMITS.maxFilterValues).optional();

/** The query of GET /api/v1/metrics?view=scores: the metrics API's range, the filters, `limit` (names). */
export const scoreMetricsQuery = z.strictObject({
  ...metricsRangeQuery,
  view: lastOf(z.literal("scores")),
  limit: lastOf(z.coerce.number().int().min(1).max(SCORE_METRIC_LIMITS.maxNames)).default(
    SCORE_METRIC_LIMITS.defaultNames,
  ),
  name: filter(z.string()),
  source: filter(z.enum(SCORE_SOURCES)),
  user_id: filter(z.string()),
  trace_name: filter(z.string()),
} satisfies Record<ScoreMetricFilter, unknown> & Record<string, unknown>);

/** One bucket (or the whole range) of one score name. */
export const scoreMetricValues = z.strictObject({
  count: z.number().int(),
  /** Mean of the numeric and boolean scores (true = 1); null when there were none. */
  avg: z.number().nullable(),
  /** Categorical scores: how many had each label (empty when there were none). */
  values: z.record(z.string(), z.number().int()),
});
export type ScoreMetricValues = z.infer<typeof scoreMetricValues>;

export const scoreMetricSeries = z.strictObject({
  name: z.string(),
  /** The kinds of the name's scores in range (one, unless scores of one name were sent with different kinds). */
  kinds: z.array(z.enum(SCORE_KINDS)),
  total: scoreMetricValues,
  /** Labels past SCORE_METRIC_LIMITS.maxLabels, added up (per bucket under `values.other` would hide a real label). */
  other_labels: z.number().int(),
  points: z.array(scoreMetricValues.extend({ t: z.number() })),
});
export type ScoreMetricSeries = z.infer<typeof scoreMetricSeries>;

export const scoreMetricsAnswer = z.strictObject({
  from: z.number(),
  to: z.number(),
  interval: z.enum(METRIC_INTERVALS),
  view: z.literal("scores"),
  filters: z.partialRecord(z.enum(SCORE_METRIC_FILTERS), z.array(z.string())),
  series: z.array(scoreMetricSeries),
  /** Score names in range past `limit`, not shown. */
  more_names: z.number().int(),
});
export type ScoreMetricsAnswer = z.infer<typeof scoreMetricsAnswer>;
