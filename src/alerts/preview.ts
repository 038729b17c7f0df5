// The form's live preview: the rule judged at regular points over the last days (the evaluation's reads), the
// worst value at each point for the chart, and how many times it would have fired (per group, ok → firing).
import type { AlertFilters, AlertOp, AlertPreview } from "../../contract/alerts.ts";
import { breaches, groupKeyOf, worst } from "./judge.ts";
import { measureRules, type WindowValue } from "./measure.ts";

const HOUR_MS = 3_600_000;
/** Points judged per day (every 2 hours): 84 reads for a week. */
const POINTS_PER_DAY = 12;
const CONCURRENCY = 6;

export type PreviewRule = {
  metric: string;
  filters: AlertFilters;
  window_minutes: number;
  op: AlertOp;
  threshold: number;
  min_count: number;
  group_by: "user_id" | "model" | "name" | null;
};

export async function previewRule(data: D1Database, projectId: string, rule: PreviewRule, days: number, now: number) {
  const step = (24 * HOUR_MS) / POINTS_PER_DAY;
  const end = Math.floor(now / step) * step;
  const times = Array.from({ length: days * POINTS_PER_DAY }, (_, i) => end - (days * POINTS_PER_DAY - 1 - i) * step);
  const measured: WindowValue[][] = new Array(times.length);
  let next = 0;
  const worker = async () => {
    while (next < times.length) {
      const i = next++;
      const at = times[i]!;
      const read = { id: "preview", metric: rule.metric, filters: rule.filters, windowMinutes: rule.window_minutes };
      const values = (await measureRules(data, projectId, [{ ...read, groupBy: rule.group_by }], at)).get("preview");
      if (!values || values instanceof Error) throw values ?? new Error("not measured");
      measured[i] = values;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const judge = { op: rule.op, threshold: rule.threshold, minCount: rule.min_count };
  const firing = new Set<string>();
  let fired = 0;
  const points = times.map((at, i) => {
    const values = measured[i]!;
    const breaching = new Set(values.filter((v) => breaches(judge, v)).map((v) => groupKeyOf(v.group)));
    for (const key of breaching) if (!firing.has(key)) fired++;
    firing.clear();
    for (const key of breaching) firing.add(key);
    return { at, value: worst(judge, values), count: values.reduce((n, v) => n + v.count, 0) };
  });
  return { points, would_have_fired: fired, days } satisfies AlertPreview;
}
