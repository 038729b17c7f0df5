// The trace API's answers (see README "Traces (read API)").
export type EventType = "span" | "model_response" | "tool_call" | "log" | "error";

export type TraceSummary = {
  trace_id: string;
  name: string;
  start_time: number;
  end_time: number;
  duration_ms: number;
  span_count: number;
  error_count: number;
  status: "ok" | "error";
  models: string[];
  tags: string[];
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  total_tokens: number;
  total_cost: number;
  user_id: string | null;
  session_id: string | null;
  root_event_id: string;
};

export type TreeEvent = {
  event_id: string;
  parent_event_id: string | null;
  depth: number;
  child_count: number;
  orphan: boolean;
  cycle: boolean;
  type: EventType;
  name: string;
  timestamp: number;
  duration_ms: number | null;
  status: "ok" | "error";
  model: string | null;
  provider: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  cache_write_tokens: number | null;
  cost_usd: number | null;
  body: Record<string, unknown> | null;
  body_truncated: boolean;
  preview: string | null;
};

export type FullEvent = Omit<TreeEvent, "depth" | "child_count" | "orphan" | "cycle" | "preview" | "body_truncated"> & {
  context: Record<string, unknown> | null;
  user_id: string | null;
  session_id: string | null;
  truncated: boolean;
  cost_source: string | null;
};

export type Group = {
  session_id?: string;
  user_id?: string | null;
  trace_count: number;
  session_count?: number;
  first_seen: number;
  last_seen: number;
  duration_ms: number;
  total_tokens: number;
  total_cost: number;
  error_count: number;
};

/** Glyph and label for each event type: colour is never the only cue. */
export const TYPE_STYLE: Record<EventType, { glyph: string; label: string }> = {
  span: { glyph: "▭", label: "span" },
  model_response: { glyph: "✦", label: "model" },
  tool_call: { glyph: "⚙", label: "tool" },
  log: { glyph: "≡", label: "log" },
  error: { glyph: "✕", label: "error" },
};
