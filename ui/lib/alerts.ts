// How the dashboard words alert rules: metric names, windows, values in the metric's unit, and one line per rule.
import type { Alert, AlertMetric, AlertOp, AlertRuleMetric } from "../../contract/alerts.ts";
import { cost, duration, grouped, shortTime } from "./format.ts";

export const METRIC_LABELS: Record<AlertMetric, string> = {
  cost: "Cost ($)",
  count: "Events",
  error_count: "Errors",
  error_rate: "Error rate (0–1)",
  latency_p95: "Latency p95 (ms)",
  latency_p99: "Latency p99 (ms)",
  first_token_p95: "First token p95 (ms)",
  input_tokens: "Input tokens",
  output_tokens: "Output tokens",
};

/** The contract's lists, restated here so the bundle carries no zod (the types keep them in step). */
export const METRICS = Object.keys(METRIC_LABELS) as AlertMetric[];
/** The metric choice of a score average (the form asks for the score's name beside it). */
export const SCORE_AVG = "score_avg:";

/** A score average's score name, or null. */
export const scoreName = (metric: string) => (metric.startsWith(SCORE_AVG) ? metric.slice(SCORE_AVG.length) : null);

/** "Cost ($)", "Score “helpfulness” (average)". */
export const metricLabel = (metric: AlertRuleMetric) => {
  const score = scoreName(metric);
  return score === null ? METRIC_LABELS[metric as AlertMetric] : `Score “${score}” (average)`;
};

export const OPS: AlertOp[] = [">", ">=", "<", "<="];
export const GROUP_BYS: Array<NonNullable<Alert["group_by"]>> = ["user_id", "model", "name"];

export const WINDOWS: Array<[number, string]> = [
  [5, "5 min"],
  [15, "15 min"],
  [60, "1 h"],
  [360, "6 h"],
  [1440, "24 h"],
  [10080, "7 days"],
  [43200, "30 days"],
];

export const windowLabel = (minutes: number) =>
  WINDOWS.find(([m]) => m === minutes)?.[1] ??
  (minutes % 1440 === 0 ? `${minutes / 1440} d` : minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`);

export const RENOTIFY: Array<[number, string]> = [
  [60, "every hour"],
  [240, "every 4 h"],
  [1440, "every day"],
];

/** A select's choices plus the rule's own value when it is not one of them (a rule made through the API: 90 min). */
export function choicesWith(presets: Array<[number, string]>, current: number | null, label: (m: number) => string) {
  if (current === null || presets.some(([m]) => m === current)) return presets;
  return [...presets, [current, label(current)] as [number, string]].sort((a, b) => a[0] - b[0]);
}

/** A value in its metric's unit: $0.42, 12%, 850 ms, 1,204. */
export function metricValue(metric: string, v: number | null) {
  if (v === null) return "—";
  if (metric === "cost") return cost(v);
  if (scoreName(metric) !== null) return grouped(Number(v.toPrecision(3)));
  if (metric === "error_rate") return `${Number((v * 100).toPrecision(3))}%`;
  if (metric.startsWith("latency") || metric.startsWith("first_token")) return duration(v);
  return grouped(Math.round(v));
}

/** "Cost > $5.00 over 24 h, per user_id". */
export const ruleText = (a: Pick<Alert, "metric" | "op" | "threshold" | "window_minutes" | "group_by">) =>
  `${metricLabel(a.metric).replace(/ \(.*\)$/, "")} ${a.op} ${metricValue(a.metric, a.threshold)} over ${windowLabel(a.window_minutes)}${a.group_by ? `, per ${a.group_by}` : ""}`;

/** "firing since 12:04", "resolved 3 h ago", "ok". */
export function stateText(a: Pick<Alert, "state" | "state_since" | "enabled">) {
  if (!a.enabled) return "disabled";
  if (a.state === "firing" && a.state_since) return `firing since ${shortTime(a.state_since)}`;
  if (a.state === "resolved" && a.state_since) return `resolved ${shortTime(a.state_since)}`;
  return a.state;
}
