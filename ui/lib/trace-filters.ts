// The trace list's filters: which URL parameters are filters, how each is labelled and shown as a chip, and the API
// query they make.
import type { TraceSort } from "../../contract/constants.ts";
import type { TraceListQuery } from "../../contract/trace-query.ts";
import { clockOf, DAY_MS, dayOf, duration } from "./format.ts";

/** Filters in the bar itself (search, status, sort) and in the folded panel, in the panel's order. */
export const PANEL_FILTERS = [
  ["model", "Model", "text"],
  ["user_id", "User", "text"],
  ["session_id", "Session", "text"],
  ["tag", "Tag", "text"],
  ["name", "Trace name", "text"],
  ["event_name", "Event name", "text"],
  ["from", "From", "date"],
  ["to", "To", "date"],
  ["min_duration_ms", "Min duration (ms)", "number"],
  ["min_cost", "Min cost ($)", "number"],
  ["score", "Score name", "text"],
  ["score_min", "Score ≥", "number"],
  ["score_max", "Score ≤", "number"],
  ["score_value", "Score value", "text"],
  ["score_missing", "No such score", "check"],
  ["score_columns", "Score columns", "text"],
] as const satisfies ReadonlyArray<readonly [keyof TraceListQuery, string, string]>;

const API_PARAMS: ReadonlyArray<keyof TraceListQuery> = [
  "q",
  "status",
  ...PANEL_FILTERS.map(([k]) => k),
  "sort",
  "order",
];

/** The contract's sorts, each with its label (a sort added to the contract fails the typecheck until it has one). */
const SORT_LABELS: Record<TraceSort, string> = {
  start_time: "Start",
  duration: "Duration",
  span_count: "Spans",
  cost: "Cost",
};
export const SORTS = Object.entries(SORT_LABELS) as Array<[TraceSort, string]>;

/** The API query for the URL's filters (dates become day bounds). */
export function apiQuery(params: URLSearchParams) {
  const out = new URLSearchParams();
  for (const key of API_PARAMS) {
    const value = params.get(key);
    if (!value) continue;
    if (key === "to" && /^\d{4}-\d{2}-\d{2}$/.test(value))
      out.set(key, String(Date.parse(`${value}T00:00:00Z`) + DAY_MS));
    else out.set(key, value);
  }
  return out.toString();
}

/** A range bound as set: a date as typed, or an epoch time (a chart's bucket) as a day and time. */
function bound(value: string) {
  if (/^\d+$/.test(value)) return `${dayOf(Number(value))}, ${clockOf(Number(value))}`;
  return Number.isNaN(Date.parse(value)) ? value : dayOf(Date.parse(value), true);
}

/** The chip of an active filter: "Model: gpt-4o", "Min duration: 500 ms", "From: Nov 24, 10:00 PM". */
export function chipText(key: string, value: string) {
  if (key === "q") return `Search: ${value}`;
  if (key === "from" || key === "to") return `${key === "from" ? "From" : "To"}: ${bound(value)}`;
  if (key === "status") return `Status: ${value}`;
  if (key === "min_duration_ms") return `Min duration: ${duration(Number(value))}`;
  if (key === "min_cost") return `Min cost: $${value}`;
  if (key === "score_missing") return "No such score";
  const label = PANEL_FILTERS.find(([k]) => k === key)?.[1] ?? key;
  return `${label}: ${value}`;
}

/** The filters set in the URL (not the sort), minus those a page fixes (a session's own id). */
export function activeFilters(params: URLSearchParams, fixed: Record<string, string> = {}) {
  return API_PARAMS.filter((k) => k !== "sort" && k !== "order" && params.get(k) && !(k in fixed)).map(
    (k) => [k, params.get(k)!] as const,
  );
}

/** The score names chosen as trace-list columns (`score_columns=quality,thumbs`). */
export const scoreColumns = (params: URLSearchParams) =>
  (params.get("score_columns") ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean)
    .slice(0, 5);
