// Adding up metric rows (rollup or trace-summary rows) per group and bucket, and reading each metric off the sums.
import type { MetricField, MetricName } from "../../contract/metrics.ts";
import { type MetricRow, ROLLUP_SUMS, type StoredPercentile } from "../db/queries/metrics.ts";
import { SketchSum } from "../lib/sketch.ts";

/** What every metric is computed from. */
export type Sums = {
  count: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cost: number;
  duration_sum: number;
  duration_count: number;
  latency: SketchSum;
  first_token: SketchSum;
  /** A bucket's percentiles as its one row stores them (read instead of its sketches; see Read.storedPercentiles). */
  percentiles?: MetricRow["percentiles"];
};

/** The rollups' summed columns that Sums adds (first-token counts are read off the sketch). */
type Added = Exclude<(typeof ROLLUP_SUMS)[number], "first_token_count">;
const ADDED = ROLLUP_SUMS.filter((k): k is Added => k !== "first_token_count");

/** Zero sums; `latency` and `first_token` are new empty sketches unless given (alerts pass one shared unused sketch). */
export const emptySums = (latency = new SketchSum(), first_token = new SketchSum()): Sums => ({
  count: 0,
  errors: 0,
  input_tokens: 0,
  output_tokens: 0,
  cached_input_tokens: 0,
  cost: 0,
  duration_sum: 0,
  duration_count: 0,
  latency,
  first_token,
});

export type SketchName = "latency" | "first_token";
const SKETCHES: readonly SketchName[] = ["latency", "first_token"];

/** Adds a row's sums and the sketches named (all by default; stored sketch text of any form, see forEachSketchPair). */
export function addRow(into: Sums, row: MetricRow, sketches: readonly SketchName[] = SKETCHES) {
  for (const k of ADDED) into[k] += Number(row[k] ?? 0);
  for (const s of sketches) into[s].addText(row[s]);
  if (row.percentiles) into.percentiles = row.percentiles;
}

/** Adds `from` into `into`: every sum, and the sketches named (all by default; merging sketches is the cost). */
export function addSums(into: Sums, from: Sums, sketches: readonly SketchName[] = SKETCHES) {
  for (const k of ADDED) into[k] += from[k];
  for (const s of sketches) into[s].add(from[s]);
}

/** Takes `from` out of `into` (in place): `from` must be part of what `into` adds up (sketch counts are exact). */
export function subtractSums(into: Sums, from: Sums) {
  for (const k of ADDED) into[k] -= from[k];
  for (const s of SKETCHES) into[s].subtract(from[s]);
}

const PERCENTILE = /^(latency|first_token)_p(\d+)$/;

/** The metric's value; null for an average or percentile of nothing. */
export const metricValue = (s: Sums, metric: MetricName | string): number | null => metricReader(metric)(s);

/** A metric's value that is no percentile: read off the sums. */
function sumValue(s: Sums, metric: string): number | null {
  switch (metric) {
    case "count":
      return s.count;
    case "error_count":
      return s.errors;
    case "error_rate":
      return s.count ? s.errors / s.count : 0;
    case "latency_avg":
      return s.duration_count ? s.duration_sum / s.duration_count : null;
    case "input_tokens":
    case "output_tokens":
    case "cached_input_tokens":
    case "cost":
      return s[metric];
    default:
      throw new Error(`unknown metric ${metric}`);
  }
}

/** A percentile metric's sketch and quantile (`latency_p95`: latency, 0.95); null for other metrics. */
export function percentileOf(metric: string): { sketch: SketchName; q: number } | null {
  const p = PERCENTILE.exec(metric);
  return p ? { sketch: p[1] === "latency" ? "latency" : "first_token", q: Number(p[2]) / 100 } : null;
}

/** The metric's value of any sums, the metric parsed once (for reading it off thousands of groups). */
export function metricReader(metric: MetricName | string): (s: Sums) => number | null {
  const p = percentileOf(metric);
  if (p)
    return (s) => {
      const stored = s.percentiles?.[metric as StoredPercentile];
      return stored === undefined ? s[p.sketch].quantile(p.q) : stored;
    };
  sumValue(emptySums(), metric); // throws for an unknown metric
  return (s) => sumValue(s, metric);
}

/** The summed columns of each metric that reads any (besides `count`, always read; percentiles read sketches). */
const SUMS_READ: Partial<Record<string, readonly Added[]>> = {
  error_count: ["errors"],
  error_rate: ["errors"],
  latency_avg: ["duration_sum", "duration_count"],
  input_tokens: ["input_tokens"],
  output_tokens: ["output_tokens"],
  cached_input_tokens: ["cached_input_tokens"],
  cost: ["cost"],
};

/** The summed columns the metrics read: what a read fetches besides sketches (fewer columns, fewer bytes). */
export const needsSums = (metrics: readonly string[]): Added[] =>
  ADDED.filter((c) => c === "count" || metrics.some((m) => SUMS_READ[m]?.includes(c)));

/** The sketches the metrics read (their percentiles'): what a read fetches. */
export const needsSketches = (metrics: readonly string[]): SketchName[] =>
  SKETCHES.filter((s) => metrics.some((m) => PERCENTILE.exec(m)?.[1] === s));

/** A row's group: its values of the fields ('' stored for "none" is read as null). */
export function groupOf(row: MetricRow, fields: readonly MetricField[]): Record<string, string | null> {
  const group: Record<string, string | null> = {};
  for (const f of fields) group[f] = row[f] || null;
  return group;
}

export type Grouped = { group: Record<string, string | null>; total: Sums; buckets: Map<number, Sums> };

/**
 * Rows added up per group (and per bucket in each). A `range` row (the range's sketches, when the rows bring their
 * stored percentiles instead) adds to the group's total only.
 */
export function groupRows(rows: MetricRow[], fields: readonly MetricField[]): Grouped[] {
  const out = new Map<string, Grouped>();
  for (const row of rows) {
    const group = groupOf(row, fields);
    const key = JSON.stringify(group);
    let g = out.get(key);
    if (!g) {
      g = { group, total: emptySums(), buckets: new Map() };
      out.set(key, g);
    }
    if (row.range) {
      for (const s of SKETCHES) g.total[s].addText(row[s]);
      continue;
    }
    const bucket = Number(row.bucket);
    let b = g.buckets.get(bucket);
    if (!b) {
      b = emptySums();
      g.buckets.set(bucket, b);
    }
    addRow(b, row);
  }
  // Totals from the buckets: each row's sketches are parsed once.
  for (const g of out.values()) for (const b of g.buckets.values()) addSums(g.total, b);
  return [...out.values()];
}

/** The top `limit` groups by `metric` (highest first, nulls last); the rest added into one more, if any. */
export function topGroups(groups: Grouped[], metric: string, limit: number) {
  const ranked = groups
    .map((g) => ({ g, v: metricValue(g.total, metric) }))
    .sort((a, b) => (b.v ?? Number.NEGATIVE_INFINITY) - (a.v ?? Number.NEGATIVE_INFINITY))
    .map((x) => x.g);
  const top = ranked.slice(0, limit);
  const rest = ranked.slice(limit);
  if (!rest.length) return { top, other: null };
  const other: Grouped = { group: {}, total: emptySums(), buckets: new Map() };
  for (const g of rest) {
    addSums(other.total, g.total);
    for (const [t, s] of g.buckets) {
      let b = other.buckets.get(t);
      if (!b) {
        b = emptySums();
        other.buckets.set(t, b);
      }
      addSums(b, s);
    }
  }
  return { top, other };
}
