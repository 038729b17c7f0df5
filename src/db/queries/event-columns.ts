// The `events` column behind each field of the contract's event shapes, so read queries select exactly the fields an
// answer has, already under their API names (the select list is derived from the contract, never written out).
import { events } from "../schema.ts";

const EVENT_FIELD_COLUMNS = {
  event_id: events.eventId,
  trace_id: events.traceId,
  parent_event_id: events.parentEventId,
  type: events.type,
  name: events.name,
  timestamp: events.ts,
  duration_ms: events.durationMs,
  status: events.status,
  model: events.model,
  provider: events.provider,
  input_tokens: events.inputTokens,
  output_tokens: events.outputTokens,
  cached_input_tokens: events.cachedInputTokens,
  cache_write_tokens: events.cacheWriteTokens,
  cost_usd: events.costUsd,
  first_token_ms: events.firstTokenMs,
  cost_source: events.costSource,
  body: events.body,
  context: events.context,
  user_id: events.userId,
  session_id: events.sessionId,
  truncated: events.truncated,
  body_bytes: events.bodyBytes,
  received_at: events.receivedAt,
};

type EventField = keyof typeof EVENT_FIELD_COLUMNS;

/** The select list for these fields of an answer (the contract's field names that are `events` columns). */
export function eventColumns<K extends EventField>(fields: readonly K[]): Pick<typeof EVENT_FIELD_COLUMNS, K> {
  return Object.fromEntries(fields.map((f) => [f, EVENT_FIELD_COLUMNS[f]])) as Pick<typeof EVENT_FIELD_COLUMNS, K>;
}

/** The fields of a contract schema, all of which must be `events` columns (a field that isn't fails to compile). */
export const columnFields = <K extends EventField>(shape: Record<K, unknown>) => Object.keys(shape) as K[];
