// Alert rules' values over their windows, for every group, from the rollups (never events): the rules of a project with
// the same window share one read of each rollup (grouped by every field they group or filter by), and a window of whole hours reads hour rows for them
// with minute rows only at its two ragged ends (an hour row is the sum of its minutes), so a 24-hour window reads
// about 24 + 2 × 59 buckets instead of 1,440. Score averages (`score_avg:<name>`) read the scores (src/alerts/scores.ts).
import { ALERT_METRICS, type AlertFilters, scoreMetricName } from "../../contract/alerts.ts";
import { METRIC_LIMITS, type MetricField } from "../../contract/metrics.ts";
import { type Grain, type MetricRow, rollupRows } from "../db/queries/metrics.ts";
import { HOUR_MS, MINUTE_MS } from "../lib/time.ts";
import {
  addRow,
  addSums,
  emptySums,
  metricValue,
  needsSketches,
  type Sums,
  sketchOfMetric,
} from "../metrics/aggregate.ts";
import { scoreAverages, type WindowValue } from "./scores.ts";

/** One value per group (group null when not grouped): the metric over the window, and how many events it covers. */
export type { WindowValue };

/** What a read needs of a rule. */
export type MeasuredRule = {
  id: string;
  metric: string;
  filters: AlertFilters;
  windowMinutes: number;
  groupBy: "user_id" | "model" | "name" | null;
};

/** The rules' values (or why a rule could not be measured), by rule id. */
export type Measurements = Map<string, WindowValue[] | Error>;

const KEPT_MS = METRIC_LIMITS.minuteRetentionHours * HOUR_MS;

/** The rollup ranges a window [from, to) reads: minutes, hours, or hours between two ragged ends of minutes. */
export function windowRanges(from: number, to: number, now: number): Array<{ grain: Grain; from: number; to: number }> {
  // Minute rows exist only for the last 48 hours: an older window (a preview's history) reads whole hours.
  if (to - from > KEPT_MS || from < now - KEPT_MS)
    return [{ grain: "hour", from: Math.floor(from / HOUR_MS) * HOUR_MS, to }];
  const start = Math.floor(from / MINUTE_MS) * MINUTE_MS;
  const firstHour = Math.ceil(start / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(to / HOUR_MS) * HOUR_MS;
  if (firstHour >= lastHour) return [{ grain: "minute", from: start, to }];
  return [
    { grain: "minute", from: start, to: firstHour },
    { grain: "hour", from: firstHour, to: lastHour },
    { grain: "minute", from: lastHour, to },
  ].filter((r) => r.from < r.to) as Array<{ grain: Grain; from: number; to: number }>;
}

/** The fields a rule groups or filters by; user_id can't mix with others (end users have their own rollup). */
function fieldsOf(rule: MeasuredRule): MetricField[] {
  const filtered = Object.entries(rule.filters)
    .filter(([, v]) => v?.length)
    .map(([k]) => k as MetricField);
  const named = [...(rule.groupBy ? [rule.groupBy] : []), ...filtered];
  if (named.includes("user_id") && named.some((f) => f !== "user_id"))
    throw new Error("user_id can't be combined with other filters or grouping (end users have their own rollup)");
  return named;
}

/**
 * Rules that read the same rows share a key: event metrics of one window and rollup (end users or dimensions) are
 * read once, grouped by every field their rules group or filter by (D1 reads the same rows whatever the grouping).
 */
const readKey = (rule: MeasuredRule) =>
  scoreMetricName(rule.metric) !== null
    ? JSON.stringify([rule.metric, rule.windowMinutes, rule.groupBy, rule.filters])
    : JSON.stringify([rule.windowMinutes, fieldsOf(rule).includes("user_id")]);

type Part = { row: MetricRow; sums: Sums };

/** The window's rows for the rules of one read, grouped by all their fields, each added up once. */
async function readParts(data: D1Database, projectId: string, rules: MeasuredRule[], from: number, to: number) {
  const fields = [...new Set(rules.flatMap(fieldsOf))];
  const sketches = needsSketches(rules.map((r) => r.metric));
  const read = (r: { grain: Grain; from: number; to: number }) =>
    // One bucket for each range: the rows are summed per group only.
    rollupRows(data, projectId, r.grain, {
      from: r.from,
      to: r.to,
      size: Number.MAX_SAFE_INTEGER,
      fields,
      filters: {},
      sketches,
    });
  const parts = await Promise.all(windowRanges(from, to, Date.now()).map(read));
  return parts.flat().map((row): Part => {
    const sums = emptySums();
    addRow(sums, row, sketches);
    return { row, sums };
  });
}

/** One rule's groups from the shared parts: its filters applied, added up per its group_by. */
function ruleValues(rule: MeasuredRule, parts: Part[]): WindowValue[] {
  const filters = Object.entries(rule.filters).filter(([, v]) => v?.length) as Array<[MetricField, string[]]>;
  const sets = filters.map(([k, v]) => [k, new Set(v)] as const);
  const groups = new Map<string, Sums>();
  const sketch = sketchOfMetric(rule.metric);
  for (const { row, sums } of parts) {
    if (!sets.every(([k, values]) => values.has(row[k] ?? ""))) continue;
    const key = rule.groupBy ? (row[rule.groupBy] ?? "") : "";
    let total = groups.get(key);
    if (!total) {
      total = emptySums();
      groups.set(key, total);
    }
    addSums(total, sums, sketch ? [sketch] : []);
  }
  if (!rule.groupBy) {
    const total = groups.get("") ?? emptySums();
    return [{ group: null, value: metricValue(total, rule.metric), count: total.count }];
  }
  const by = rule.groupBy;
  return [...groups].map(([key, total]) => ({
    group: { [by]: key },
    value: metricValue(total, rule.metric),
    count: total.count,
  }));
}

/** Every group's value of each rule of one read. */
async function measureShared(
  data: D1Database,
  projectId: string,
  rules: MeasuredRule[],
  at: number,
  out: Measurements,
) {
  const first = rules[0]!;
  const from = at - first.windowMinutes * MINUTE_MS;
  const score = scoreMetricName(first.metric);
  if (score !== null) {
    const values = await scoreAverages(data, projectId, {
      name: score,
      filters: first.filters,
      groupBy: first.groupBy,
      from,
      to: at,
    });
    for (const r of rules) out.set(r.id, values);
    return;
  }
  const parts = await readParts(data, projectId, rules, from, at);
  for (const rule of rules) {
    try {
      out.set(rule.id, ruleValues(rule, parts));
    } catch (err) {
      out.set(rule.id, err instanceof Error ? err : new Error(String(err)));
    }
  }
}

/**
 * The values of a project's rules at minute `at`, every group of each (judging all of them is what makes a group
 * beyond the largest hundred fire): one read per distinct (window, filters, group_by). A read that fails fails only
 * the rules that share it.
 */
export async function measureRules(data: D1Database, projectId: string, rules: MeasuredRule[], at: number) {
  const out: Measurements = new Map();
  const reads = new Map<string, MeasuredRule[]>();
  for (const rule of rules) {
    const known = (ALERT_METRICS as readonly string[]).includes(rule.metric) || scoreMetricName(rule.metric) !== null;
    if (!known) {
      out.set(
        rule.id,
        new Error(`unknown metric "${rule.metric}" (one of ${ALERT_METRICS.join(", ")}, score_avg:<name>)`),
      );
      continue;
    }
    let key: string;
    try {
      key = readKey(rule);
    } catch (err) {
      out.set(rule.id, err as Error);
      continue;
    }
    reads.set(key, [...(reads.get(key) ?? []), rule]);
  }
  for (const shared of reads.values()) {
    try {
      await measureShared(data, projectId, shared, at, out);
    } catch (err) {
      for (const r of shared) out.set(r.id, err instanceof Error ? err : new Error(String(err)));
    }
  }
  return out;
}
