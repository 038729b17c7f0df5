// Alert rules' values over their windows, for every group, from the rollups (never events): the rules of a project with
// the same window share one read of each rollup (grouped by every field they group or filter by), and a window of
// whole hours reads hour rows for them with minute rows only at its two ragged ends (an hour row is the sum of its
// minutes), so a 24-hour window reads about 24 + 2 × 59 buckets instead of 1,440. Each group of a read is added up once
// across its ranges, and rules of the same filters, group_by and sketch share one set of merged groups, their sketches
// packed (sorted pairs, only the sketch a rule reads) rather than objects, and each group's state key and object made
// once for all the rules judging it: the Worker's CPU time is in this merging and its garbage (docs/benchmarks.md,
// Alerts). Score averages (`score_avg:<name>`) read the scores (measureScoreWindow).
import { ALERT_METRICS, type AlertFilters, scoreMetricName } from "../../contract/alerts.ts";
import { METRIC_LIMITS, type MetricField } from "../../contract/metrics.ts";
import { type Grain, type MetricRow, rollupRows } from "../db/queries/metrics.ts";
import { mergePacked, type PackedSketch, packedQuantile, SketchSum } from "../lib/sketch.ts";
import { HOUR_MS, MINUTE_MS } from "../lib/time.ts";
import {
  addRow,
  addSums,
  emptySums,
  metricReader,
  needsSketches,
  percentileOf,
  type SketchName,
  type Sums,
} from "../metrics/aggregate.ts";
import { measureScoreWindow } from "../metrics/scores.ts";

/**
 * One value per group (group null when not grouped): the metric over the window, and how many events it covers; `key`,
 * when given, is the group's state key (groupKeyOf(group)), made once for all the rules that judge that group.
 */
export type WindowValue = { group: Record<string, string> | null; key?: string; value: number | null; count: number };

/** The state row key of a group ('' for a rule without group_by). */
export const groupKeyOf = (group: Record<string, string> | null) => (group ? JSON.stringify(group) : "");

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

/**
 * One group of a read, added up across the window's ranges: its sums, and per sketch the stored sketch texts of its
 * rows (packed once, when a rule reads that sketch's percentile).
 */
type Part = {
  row: MetricRow;
  sums: Sums;
  /** The stored texts of each sketch (made on first use: most parts' sketches are never read). */
  latency: string[] | null;
  first_token: string[] | null;
  packed: Packed | null;
};
type Packed = Partial<Record<SketchName, PackedSketch>>;

/** A part's sketch, packed from its texts on first use. */
function packedOf(part: Part, sketch: SketchName): PackedSketch {
  let s = part.packed?.[sketch];
  if (!s) {
    s = mergePacked([], part[sketch] ?? []);
    part.packed ??= {};
    part.packed[sketch] = s;
  }
  return s;
}

/** The window's rows for the rules of one read, grouped by all their fields, each group added up once. */
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
  const ranges = await Promise.all(windowRanges(from, to, Date.now()).map(read));
  const add = (part: Part, row: MetricRow) => {
    addRow(part.sums, row, NO_SKETCHES);
    for (const s of sketches) {
      const text = row[s];
      if (!text) continue;
      const texts = part[s];
      if (texts) texts.push(text);
      else part[s] = [text];
    }
  };
  const newPart = (row: MetricRow): Part => {
    const part: Part = { row, sums: bareSums(), latency: null, first_token: null, packed: null };
    add(part, row);
    return part;
  };
  // One range: SQL summed each group already (a part per row).
  if (ranges.length === 1) return ranges[0]!.map(newPart);
  // A group's key: its one field's value (most reads name one), or all of them joined.
  const one = fields.length === 1 ? fields[0]! : null;
  const parts = new Map<string, Part>();
  for (const rows of ranges)
    for (const row of rows) {
      let key = "";
      if (one) key = row[one] ?? "";
      else for (const f of fields) key += `${row[f] ?? ""}\u0000`;
      const part = parts.get(key);
      if (part) add(part, row);
      else parts.set(key, newPart(row));
    }
  return [...parts.values()];
}

const NO_SKETCHES: SketchName[] = [];
/** The sketches of every bareSums: never added to (parts keep their sketch texts apart, see Part). */
const UNUSED = new SketchSum();
/** Sums whose sketches are not kept (addRow and addSums with NO_SKETCHES): two objects fewer per group. */
const bareSums = (): Sums => emptySums(UNUSED, UNUSED);

/** A rule's filters as sets, and a key shared by the rules that add up the same groups (and sketch). */
function selection(rule: MeasuredRule) {
  const filters = Object.entries(rule.filters)
    .filter(([, v]) => v?.length)
    .map(([k, v]) => [k as MetricField, [...new Set(v)].sort()] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const sketch = percentileOf(rule.metric)?.sketch ?? null;
  return {
    sets: filters.map(([k, v]) => [k, new Set(v)] as const),
    sketch,
    key: JSON.stringify([filters, rule.groupBy, sketch]),
  };
}

/** The sketch of several parts: from those packed already, and straight from the stored texts of the others. */
function mergedSketch(parts: Part[], sketch: SketchName) {
  const packed: PackedSketch[] = [];
  const texts: string[] = [];
  for (const part of parts) {
    const p = part.packed?.[sketch];
    if (p) packed.push(p);
    else for (const text of part[sketch] ?? []) texts.push(text);
  }
  return mergePacked(packed, texts);
}

/** A rule's group: its sums and, for a percentile rule, its sketch. */
type Group = { sums: Sums; sketch: PackedSketch | null };

/** A group of a grouped rule as the judge sees it: the group object and its state key (groupKeyOf), made once. */
type Label = { group: Record<string, string>; key: string };
/** Labels by group_by field, then value, shared by every rule of a read (each is made once a minute, not per rule). */
type Labels = Map<string, Map<string, Label>>;

/**
 * One selection's groups from the shared parts: its filters applied, added up per group_by. A group of one part
 * shares that part's sums and packed sketch (nothing copied); a group of more adds up its own.
 */
function groupsOf(
  parts: Part[],
  sets: ReadonlyArray<readonly [MetricField, Set<string>]>,
  groupBy: MeasuredRule["groupBy"],
  sketch: SketchName | null,
): Map<string, Group> {
  // A group's one part, or its parts (most groups of a fine grouping, each end user's, have one).
  const members = new Map<string, Part | Part[]>();
  next: for (const part of parts) {
    const { row } = part;
    for (const [k, values] of sets) if (!values.has(row[k] ?? "")) continue next;
    const key = groupBy ? (row[groupBy] ?? "") : "";
    const seen = members.get(key);
    if (seen === undefined) members.set(key, part);
    else if (Array.isArray(seen)) seen.push(part);
    else members.set(key, [seen, part]);
  }
  const groups = new Map<string, Group>();
  for (const [key, list] of members) {
    if (!Array.isArray(list)) {
      groups.set(key, { sums: list.sums, sketch: sketch ? packedOf(list, sketch) : null });
      continue;
    }
    const sums = bareSums();
    for (const part of list) addSums(sums, part.sums, NO_SKETCHES);
    groups.set(key, { sums, sketch: sketch ? mergedSketch(list, sketch) : null });
  }
  return groups;
}

/** A group of one field, built as a literal (an object with a computed key is slower to make and read). */
const groupObject = (by: NonNullable<MeasuredRule["groupBy"]>, key: string): Record<string, string> =>
  by === "user_id" ? { user_id: key } : by === "model" ? { model: key } : { name: key };

/** The labels of a group_by field, from the read's labels or made (and kept) now. */
function labelsOf(labels: Labels, by: NonNullable<MeasuredRule["groupBy"]>) {
  let byValue = labels.get(by);
  if (!byValue) {
    byValue = new Map();
    labels.set(by, byValue);
  }
  return (value: string): Label => {
    let label = byValue.get(value);
    if (!label) {
      const group = groupObject(by, value);
      label = { group, key: groupKeyOf(group) };
      byValue.set(value, label);
    }
    return label;
  };
}

/** A rule's value of a group, the metric parsed once: percentiles off the packed sketch, the rest off the sums. */
function groupReader(metric: string): (g: Group) => number | null {
  const p = percentileOf(metric);
  if (p) return (g) => (g.sketch ? packedQuantile(g.sketch, p.q) : null);
  const value = metricReader(metric);
  return (g) => value(g.sums);
}

/** One rule's values from its selection's groups (each with its state key). */
function ruleValues(rule: MeasuredRule, groups: Map<string, Group>, labels: Labels): WindowValue[] {
  const value = groupReader(rule.metric);
  if (!rule.groupBy) {
    const total = groups.get("") ?? { sums: emptySums(), sketch: null };
    return [{ group: null, key: "", value: value(total), count: total.sums.count }];
  }
  const labelOf = labelsOf(labels, rule.groupBy);
  const out: WindowValue[] = [];
  for (const [v, g] of groups) {
    const { group, key } = labelOf(v);
    out.push({ group, key, value: value(g), count: g.sums.count });
  }
  return out;
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
    const { user_id, ...others } = first.filters;
    if (Object.values(others).some((v) => v?.length) || first.groupBy === "model")
      throw new Error("score_avg rules filter by user_id only and group by user_id or name");
    const values = await measureScoreWindow(data, projectId, {
      name: score,
      filters: user_id?.length ? { user_id } : {},
      group_by: first.groupBy,
      from,
      to: at,
    });
    for (const r of rules) out.set(r.id, values);
    return;
  }
  const parts = await readParts(data, projectId, rules, from, at);
  // Rules of the same filters and group_by (and sketch) share their groups: each sketch is merged once per read.
  const shared = new Map<string, Map<string, Group>>();
  const labels: Labels = new Map();
  for (const rule of rules) {
    try {
      const { sets, sketch, key } = selection(rule);
      let groups = shared.get(key);
      if (!groups) {
        groups = groupsOf(parts, sets, rule.groupBy, sketch);
        shared.set(key, groups);
      }
      out.set(rule.id, ruleValues(rule, groups, labels));
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
