// The closed sets of values that cross WatchLLM's boundaries. No zod here: the dashboard imports these at run time.

/** What an event is; the dashboard colours them blue, purple, green, gray and red. */
export const EVENT_TYPES = ["span", "model_response", "tool_call", "log", "error"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_STATUSES = ["ok", "error"] as const;

/** Where a model call's cost came from: the client, the project's price override, the built-in table, or nowhere. */
export const COST_SOURCES = ["client", "override", "price_table", "unknown_model"] as const;
export type CostSource = (typeof COST_SOURCES)[number];

export const KEY_KINDS = ["ingest", "secret"] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** Strongest first: a role may do everything the roles after it may. */
export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const TRACE_SORTS = ["start_time", "duration", "cost", "span_count"] as const;
export type TraceSort = (typeof TRACE_SORTS)[number];

export const COST_GROUPS = ["model", "provider", "project", "day", "hour", "user", "session", "trace_name"] as const;
export type CostGroup = (typeof COST_GROUPS)[number];
