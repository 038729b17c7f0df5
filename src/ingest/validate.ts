// Validates wire events (the contract's schema) one by one and normalizes the good ones into the stored shape the
// queue carries: flat, JSON fields as text, times in epoch ms, the body truncated to fit the event size limit.
import type { z } from "zod";
import { providerOfEvent, type Rejection, type WireEvent, wireEvent } from "../../contract/event.ts";
import { LIMITS } from "../../contract/limits.ts";
import type { StoredEvent } from "../../contract/queue.ts";
import { byteLength, truncateJson } from "../lib/json-size.ts";
import { quickCheck } from "./check.ts";

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "event"}: ${issue.message}`).join("; ");
}

/**
 * At least the length of the stored row as JSON (its body still null): the context string escaped (at most twice its
 * length, as it is JSON already) plus the other fields, whose strings are bounded by the schema (about 1,600 chars, at
 * most 6 chars each once escaped) with their keys and numbers.
 */
const rowCharsBound = (context: string | null) => 2 * (context?.length ?? 0) + 12_000;

function toStored(e: WireEvent): StoredEvent | Omit<Rejection, "index"> {
  const context = e.context ? JSON.stringify(e.context) : null;
  // n UTF-16 units are at most 3n UTF-8 bytes: most texts are not encoded to be measured.
  if (context && context.length * 3 > LIMITS.maxContextBytes && byteLength(context) > LIMITS.maxContextBytes) {
    return {
      event_id: e.event_id,
      code: "event_too_large",
      message: `context exceeds ${LIMITS.maxContextBytes} bytes`,
    };
  }
  const stored: StoredEvent = {
    event_id: e.event_id,
    trace_id: e.trace_id,
    parent_event_id: e.parent_event_id ?? null,
    type: e.type,
    name: e.name ?? e.type,
    ts: Math.round(e.timestamp),
    duration_ms: e.duration_ms ?? null,
    status: e.status ?? (e.type === "error" ? "error" : "ok"),
    body: null,
    context,
    model: e.model ?? null,
    provider: providerOfEvent(e),
    input_tokens: e.usage?.input_tokens ?? null,
    output_tokens: e.usage?.output_tokens ?? null,
    cached_input_tokens: e.usage?.cached_input_tokens ?? null,
    cache_write_tokens: e.usage?.cache_write_tokens ?? null,
    cost_usd: e.cost_usd ?? null,
    cost_source: e.cost_usd == null ? null : "client",
    user_id: e.context?.user_id ?? null,
    session_id: e.context?.session_id ?? null,
    truncated: 0,
    body_ref: null,
    body_bytes: null,
    body_sha256: null,
    environment: e.context?.environment ?? null,
    release: e.context?.release ?? null,
    first_token_ms: e.first_token_ms ?? null,
  };
  if (e.body) {
    const body = JSON.stringify(e.body);
    // The row is written out only when the bound on its size (below) leaves doubt.
    const fits = (rowCharsBound(context) + body.length) * 3 <= LIMITS.maxEventBytes;
    const row = fits ? "" : JSON.stringify(stored);
    const { json, truncated } =
      fits || (row.length + body.length) * 3 <= LIMITS.maxEventBytes
        ? { json: body, truncated: false }
        : truncateJson(body, LIMITS.maxEventBytes - byteLength(row));
    stored.body = json;
    stored.truncated = truncated ? 1 : 0;
  }
  return stored;
}

/**
 * Validates each event on its own: the good ones are kept, each bad one is reported with its index and reason.
 * `built`: the events were made by a way in (OTLP), not sent as they are, so the quick check is tried before the schema.
 */
export function validateEvents(
  items: unknown[],
  { built = false }: { built?: boolean } = {},
): { events: StoredEvent[]; rejected: Rejection[] } {
  const events: StoredEvent[] = [];
  const rejected: Rejection[] = [];
  const first = new Map<string, number>();
  items.forEach((item, index) => {
    const quick = built ? quickCheck(item) : undefined;
    const parsed = quick ? ({ success: true, data: quick } as const) : wireEvent.safeParse(item);
    const eventId = (item as { event_id?: unknown } | null)?.event_id;
    if (!parsed.success) {
      rejected.push({
        index,
        event_id: typeof eventId === "string" ? eventId : null,
        code: "invalid_event",
        message: describeIssues(parsed.error),
      });
      return;
    }
    const seen = first.get(parsed.data.event_id);
    if (seen !== undefined) {
      const message = `event_id repeats the event at index ${seen}; only the first is stored`;
      rejected.push({ index, event_id: parsed.data.event_id, code: "duplicate_event_id", message });
      return;
    }
    first.set(parsed.data.event_id, index);
    const result = toStored(parsed.data);
    if ("code" in result) rejected.push({ index, ...result });
    else events.push(result);
  });
  return { events, rejected };
}
