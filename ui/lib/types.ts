// The API's shapes come from the contract (types only: no zod in the dashboard's bundle); what is here is the
// dashboard's own: how each event type looks.
import type { EventType } from "../../contract/constants.ts";

export type { EventType } from "../../contract/constants.ts";
export type {
  CompareSpan,
  SessionGroup,
  TraceAnswer,
  TraceColumnsAnswer,
  TraceSummary,
  TreeEvent,
  UserGroup,
} from "../../contract/traces.ts";

/** Glyph and label for each event type: colour is never the only cue. */
export const TYPE_STYLE: Record<EventType, { glyph: string; label: string }> = {
  span: { glyph: "▭", label: "span" },
  model_response: { glyph: "✦", label: "model" },
  tool_call: { glyph: "⚙", label: "tool" },
  log: { glyph: "≡", label: "log" },
  error: { glyph: "✕", label: "error" },
};
