// The Overview page's range and filters (all in the URL) and the metric queries they make.
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./format.ts";

export const RANGES: Record<string, { label: string; span: number; interval: "minute" | "hour" | "day" }> = {
  "1h": { label: "1 h", span: HOUR_MS, interval: "minute" },
  "24h": { label: "24 h", span: DAY_MS, interval: "hour" },
  "7d": { label: "7 d", span: 7 * DAY_MS, interval: "hour" },
  "30d": { label: "30 d", span: 30 * DAY_MS, interval: "day" },
};

/** The filters of the page (URL parameter = the metrics API's field). */
export const FILTERS = [
  ["environment", "Environment"],
  ["release", "Release"],
  ["model", "Model"],
  ["name", "Name"],
  ["user_id", "User"],
] as const;

export const INTERVAL_MS = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS } as const;

export type Window = { from: number; to: number; interval?: "minute" | "hour" | "day"; custom: boolean };

/** The range in the URL: a preset ending with the current bucket, or `from`/`to` (epoch ms or a date) for custom. */
export function windowOf(params: URLSearchParams, now = Date.now()): Window {
  const from = Date.parse(params.get("from") ?? "") || Number(params.get("from"));
  const to = Date.parse(params.get("to") ?? "") || Number(params.get("to"));
  if (params.get("range") === "custom" && from > 0 && to > from) return { from, to, custom: true };
  const preset = RANGES[params.get("range") ?? "24h"] ?? RANGES["24h"]!;
  const size = INTERVAL_MS[preset.interval];
  const end = Math.ceil((now + 1) / size) * size;
  return { from: end - preset.span, to: end, interval: preset.interval, custom: false };
}

/** The filters set in the URL; a user filter stands alone (end users have a rollup of their own). */
export function filtersOf(params: URLSearchParams): Array<[string, string]> {
  const set = FILTERS.flatMap(([k]) => (params.get(k) ? [[k, params.get(k)!] as [string, string]] : []));
  const user = set.find(([k]) => k === "user_id");
  return user ? [user] : set;
}

/** A metrics API query for the window and filters. */
export function metricsQuery(w: Window, filters: Array<[string, string]>, extra: Record<string, string>) {
  const q = new URLSearchParams({ from: String(w.from), to: String(w.to), ...extra });
  if (w.interval) q.set("interval", w.interval);
  for (const [k, v] of filters) q.append(k, v);
  return `/api/v1/metrics?${q}` as const;
}

/** The same span just before (what the ▲/▼ compare against). */
export const previous = (w: Window): Window => ({ ...w, from: 2 * w.from - w.to, to: w.from });

/** The change from `before` to `now` as a signed percentage ("▲ 12%", "▼ 3%"); null when there is nothing to compare. */
export function change(now: number | null | undefined, before: number | null | undefined) {
  if (now === null || now === undefined || before === null || before === undefined || before === 0) return null;
  const pct = ((now - before) / Math.abs(before)) * 100;
  if (Math.abs(pct) < 0.5) return { text: "= 0%", up: null };
  return {
    text: `${pct > 0 ? "▲" : "▼"} ${Math.abs(pct) < 10 ? pct.toFixed(1).replace("-", "") : Math.round(Math.abs(pct))}%`,
    up: pct > 0,
  };
}

/**
 * The trace list for a bucket or a group: its time span and the filters the trace list knows (the metrics' `name` is
 * any event's, the list's `event_name`; its `name` is the root's).
 */
export function tracesLink(project: string, from: number, to: number, filters: Array<[string, string]>) {
  const q = new URLSearchParams({ from: String(from), to: String(to) });
  for (const [k, v] of filters) {
    if (k === "model" || k === "user_id") q.set(k, v);
    if (k === "name") q.set("event_name", v);
  }
  return `/p/${project}/traces?${q}`;
}
